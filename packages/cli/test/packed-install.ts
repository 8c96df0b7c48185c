/**
 * Installs this repository's packages as a user would: `npm pack` tarballs installed into an
 * empty project. Offline (the tests must not need the network): npm can only take packages
 * from its cache, and the cache holds tarballs by integrity but not the registry's package
 * listings. So the project gets a package-lock.json naming the exact versions this
 * repository's lockfile installs, which is what lets npm install from the cache alone.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface LockEntry {
  version?: string;
  resolved?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

/** The registry's tarball URL of the package at a lockfile location (`node_modules/@scope/name`). */
function tarballUrl(location: string, version: string): string {
  const name = location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
  return `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`;
}

export interface Packed { name: string; tarball: string; files: string[] }

/** `npm pack` of the workspace packages into `dir`; the build must be current (npm run build). */
export async function pack(workspaces: string[], dir: string): Promise<Packed[]> {
  const args = ['pack', '--json', '--ignore-scripts', '--pack-destination', dir, ...workspaces.flatMap((w) => ['--workspace', w])];
  const { stdout } = await run(NPM, args, { cwd: ROOT, maxBuffer: 1 << 24 });
  const result = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[];
  return result.map((p) => ({ name: p.name, tarball: join(dir, p.filename), files: p.files.map((f) => f.path) }));
}

/**
 * An empty project in `dir` with `packed` installed from their tarballs. Install scripts are
 * skipped: offline, better-sqlite3's cannot fetch or compile its binary, and nothing the
 * packing tests run (the SDK, `folio --help`, `folio parse`) opens a database.
 */
export async function installPacked(dir: string, packed: Packed[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rootLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const dependencies = Object.fromEntries(packed.map((p) => [p.name, `file:${p.tarball}`]));
  const packages: Record<string, LockEntry> = { '': { name: 'packed-install-test', dependencies } };

  // Where each workspace package sits in the repository, and where it lands when installed.
  const workspaceAt = new Map<string, string>();
  for (const [location, entry] of Object.entries(rootLock.packages)) {
    if (entry.link && location.startsWith('node_modules/')) workspaceAt.set(location, entry.resolved!);
  }
  const installedLocation = (location: string): string => {
    for (const [installed, source] of workspaceAt) {
      if (location === source || location.startsWith(`${source}/`)) return installed + location.slice(source.length);
    }
    return location;
  };

  // Node's lookup over lockfile locations: the nearest node_modules/<name> upwards.
  const resolve = (from: string, name: string): string | undefined => {
    let base = from;
    for (;;) {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (rootLock.packages[candidate]) return candidate;
      if (!base) return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut === -1 ? '' : base.slice(0, cut);
    }
  };

  const queue: string[] = [];
  for (const p of packed) {
    const source = workspaceAt.get(`node_modules/${p.name}`);
    if (!source) throw new Error(`${p.name} is not a workspace package`);
    const entry = rootLock.packages[source];
    const { name: _name, devDependencies: _devDependencies, ...installed } = entry;
    packages[`node_modules/${p.name}`] = { ...installed, resolved: `file:${p.tarball}` };
    queue.push(source);
  }
  const seen = new Set(queue);
  while (queue.length) {
    const from = queue.shift()!;
    const entry = rootLock.packages[from];
    const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n));
    const names = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})];
    for (const name of names) {
      const target = resolve(from, name);
      if (!target) {
        if (name in (entry.optionalDependencies ?? {}) || optionalPeers.has(name)) continue;
        throw new Error(`${from}: ${name} is not in package-lock.json`);
      }
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
      const found = rootLock.packages[target];
      if (found.link) continue; // a workspace package: packed and listed above
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...copy } = found;
      // This repository's lockfile names no tarball URLs; with one (and the integrity) npm
      // takes the tarball from its cache without asking for the package's registry listing.
      copy.resolved ??= tarballUrl(target, found.version!);
      packages[installedLocation(target)] = copy;
    }
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'packed-install-test', private: true, dependencies }, null, 2)}\n`);
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify({ name: 'packed-install-test', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
  await run(NPM, ['install', '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev'], { cwd: dir, maxBuffer: 1 << 24 });
}
