import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Deployment } from '../harness.ts';
import { dropSchema, freshSchema, TEST_DATABASE_URL } from './pg-test-db.ts';
import { startS3Server, type S3TestServer } from './s3-server.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../../..');

export interface FolioProcess {
  role: 'api' | 'worker';
  pid: number;
  url: string | null;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Last lines of stderr, for failure messages. */
  log: string[];
}

export interface ClusterOptions {
  apis?: number;
  workers?: number;
  /** Worker threads per worker process. */
  threads?: number;
  /** How many API keys (owners) to configure: key-1 … key-N (default 3). */
  apiKeys?: number;
  env?: Record<string, string>;
}

/**
 * The distributed deployment, for real: a fresh PostgreSQL schema, s3rver on 127.0.0.1,
 * N API processes and M worker processes (child processes), and a round-robin HTTP
 * balancer in front of the API processes — so consecutive requests of one client land on
 * different API processes, as behind a real load balancer.
 */
export class Cluster implements Deployment {
  readonly schema = freshSchema('folio_c');
  readonly processes: FolioProcess[] = [];
  #s3!: S3TestServer;
  #balancer!: http.Server;
  #dataDir = mkdtempSync(join(tmpdir(), 'folio-cluster-'));
  #next = 0;
  url = '';
  apiKeys = ['key-a', 'key-b', 'key-c'];
  env: Record<string, string> = {};

  get baseURL(): string {
    return this.url;
  }

  stop(): Promise<void> {
    return this.close();
  }

  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const cluster = new Cluster();
    await cluster.#start(options);
    return cluster;
  }

  async #start(o: ClusterOptions): Promise<void> {
    if (o.apiKeys) this.apiKeys = Array.from({ length: o.apiKeys }, (_, i) => `key-${i + 1}`);
    this.#s3 = await startS3Server();
    this.#balancer = http.createServer((req, res) => void this.#forward(req, res));
    await new Promise<void>((r) => this.#balancer.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.#balancer.address() as AddressInfo).port}`;
    this.env = {
      ...this.#s3.env,
      FOLIO_DATABASE_URL: TEST_DATABASE_URL,
      FOLIO_DATABASE_SCHEMA: this.schema,
      // A test cluster runs several processes; with the default 10 connections each, two test
      // runs side by side exhaust PostgreSQL's 100 ("sorry, too many clients already").
      FOLIO_DATABASE_POOL: '4',
      FOLIO_DATA_DIR: this.#dataDir,
      FOLIO_SIGNING_SECRET: randomBytes(24).toString('base64url'),
      FOLIO_PUBLIC_URL: this.url,
      FOLIO_API_KEYS: this.apiKeys.join(','),
      FOLIO_LEASE_S: '2',
      FOLIO_WORKERS: String(o.threads ?? 1),
      FOLIO_LOG_LEVEL: 'warn',
      FOLIO_ALLOW_PRIVATE_WEBHOOKS: '1',
      FOLIO_WEBHOOK_BACKOFF_MS: '100',
      HOST: '127.0.0.1',
      PORT: '0',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...o.env,
    };
    // The first process migrates; the rest start together (they must cope with each other).
    await this.spawn('api');
    await Promise.all([
      ...Array.from({ length: (o.apis ?? 2) - 1 }, () => this.spawn('api')),
      ...Array.from({ length: o.workers ?? 3 }, () => this.spawn('worker')),
    ]);
  }

  get apis(): FolioProcess[] {
    return this.processes.filter((p) => p.role === 'api' && p.child.exitCode === null && p.child.signalCode === null);
  }

  get workers(): FolioProcess[] {
    return this.processes.filter((p) => p.role === 'worker' && p.child.exitCode === null && p.child.signalCode === null);
  }

  /** Start one more API or worker process; resolves when it is serving. */
  async spawn(role: 'api' | 'worker'): Promise<FolioProcess> {
    const child = spawn(process.execPath, ['--conditions=@folio/source', '--import', 'tsx', join(HERE, 'folio-node.ts'), role], {
      cwd: ROOT,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      // A request that failed inside a process is worth seeing next to the failing test.
      if (line.includes(' failed:')) process.stderr.write(`[folio ${role}] ${line}\n`);
      log.push(line);
      if (log.length > 50) log.shift();
    });
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const ready = await new Promise<{ url: string | null; pid: number }>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        if (line.startsWith('{"ready":true')) resolve(JSON.parse(line));
      });
      void exited.then((code) => reject(new Error(`${role} process exited (${code}) before it was ready:\n${log.join('\n')}`)));
    });
    const proc: FolioProcess = { role, pid: ready.pid, url: ready.url, child, exited, log };
    this.processes.push(proc);
    return proc;
  }

  /** Each process's state and last log lines, for failure messages. */
  describe(): string {
    return this.processes
      .map((p) => `${p.role} ${p.pid} exit=${p.child.exitCode ?? p.child.signalCode ?? 'running'}\n  ${p.log.slice(-15).join('\n  ')}`)
      .join('\n');
  }

  /** Kill a process with a signal (SIGKILL = crash: no cleanup of any kind). */
  async kill(proc: FolioProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    proc.child.kill(signal);
    await proc.exited;
  }

  /** Round-robin over live API processes; a dead one's connection error moves on to the next. */
  async #forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const apis = this.apis;
    for (let i = 0; i < apis.length; i++) {
      const target = apis[this.#next++ % apis.length];
      const ok = await new Promise<boolean>((resolve) => {
        const upstream = http.request(
          `${target.url}${req.url}`,
          { method: req.method, headers: { ...req.headers, host: new URL(target.url!).host } },
          (up) => {
            res.writeHead(up.statusCode ?? 502, up.headers);
            up.pipe(res);
            up.on('end', () => resolve(true));
            up.on('error', () => resolve(true));
          },
        );
        upstream.on('error', () => resolve(res.headersSent));
        upstream.end(body);
      });
      if (ok) return;
    }
    res.writeHead(502, { 'content-type': 'application/json' }).end('{"detail":"no API process reachable"}');
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map(async (p) => {
      if (p.child.exitCode === null && p.child.signalCode === null) {
        p.child.kill('SIGTERM');
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000);
        await p.exited;
        clearTimeout(timer);
      }
    }));
    await new Promise((r) => this.#balancer?.close(r));
    await this.#s3?.close();
    await dropSchema(this.schema);
    rmSync(this.#dataDir, { recursive: true, force: true });
  }
}
