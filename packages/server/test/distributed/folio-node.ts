/**
 * One Folio process of the distributed test deployment, started as a child process:
 * `node --import tsx folio-node.ts api|worker`. The roles are the ones `folio serve
 * --workers 0` and `folio worker` start; configuration comes from the environment.
 * Prints one JSON line `{"ready":true,"url":…,"pid":…}` once serving.
 */
import { startServer } from '../../src/server.ts';

const role = process.argv[2];
if (role !== 'api' && role !== 'worker') throw new Error('usage: folio-node.ts api|worker');
const server = await startServer(role === 'api' ? { api: true, workers: 0 } : { api: false });
process.stdout.write(`${JSON.stringify({ ready: true, role, url: server.url, pid: process.pid })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
