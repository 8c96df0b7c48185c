// Builds every workspace package to dist/: tsc compiles the ES modules and type declarations
// (project references, incremental), then the SDK gets a CommonJS copy and the server its
// prebuilt Studio assets. Run by `npm ci` (root `prepare`) and `npm run build`.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);

const packages = ['engine', 'sdk', 'server', 'cli', 'langchain', 'llamaindex'].map((name) => path.join(root, 'packages', name));

execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const dir of packages) await fixDeclarationImports(path.join(dir, 'dist'));
await buildSdkCommonJs(path.join(root, 'packages/sdk/dist'));
await buildStudioAssets(path.join(root, 'packages/server'));

/**
 * `require('@folio/sdk')`: each compiled ES module transformed to CommonJS one for one, with
 * the same declarations, under dist/cjs (its package.json says "commonjs"). tsc's ES output
 * already names `.js` files, so the relative requires resolve as they are.
 */
async function buildSdkCommonJs(dist) {
  const esbuild = await import('esbuild');
  const out = path.join(dist, 'cjs');
  await rm(out, { recursive: true, force: true });
  for (const file of await filesUnder(dist)) {
    if (file.startsWith(`cjs${path.sep}`) || !(file.endsWith('.js') || file.endsWith('.d.ts'))) continue;
    const target = path.join(out, file);
    await mkdir(path.dirname(target), { recursive: true });
    if (file.endsWith('.d.ts')) {
      await copyFile(path.join(dist, file), target);
    } else {
      const { code } = await esbuild.transform(await readFile(path.join(dist, file), 'utf8'), { format: 'cjs', target: 'node20', sourcefile: file });
      await writeFile(target, code);
    }
  }
  await writeFile(path.join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
}

/** The Studio page, its style and its bundled script next to the compiled studio module. */
async function buildStudioAssets(server) {
  const source = path.join(server, 'src/studio/app');
  const out = path.join(server, 'dist/studio/app');
  await mkdir(out, { recursive: true });
  const { buildStudio } = await import(path.join(server, 'dist/studio/bundle.js'));
  await writeFile(path.join(out, 'app.js'), await buildStudio(new URL(`file://${source}/`)));
  for (const name of ['page.html', 'style.css']) await copyFile(path.join(source, name), path.join(out, name));
}

/**
 * tsc rewrites `./x.ts` to `./x.js` in the JavaScript it emits (rewriteRelativeImportExtensions)
 * but not in declarations, which must name the files that exist in dist/.
 */
async function fixDeclarationImports(dist) {
  const relativeTs = /((?:from\s+|import\s*\(\s*)['"]\.{1,2}\/[^'"]*?)\.ts(['"])/g;
  for (const file of await filesUnder(dist)) {
    if (!file.endsWith('.d.ts')) continue;
    const text = await readFile(path.join(dist, file), 'utf8');
    const fixed = text.replace(relativeTs, '$1.js$2');
    if (fixed !== text) await writeFile(path.join(dist, file), fixed);
  }
}

async function filesUnder(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}
