/** `node --import tsx packages/server/src/main.ts`: API and workers in one process. */
import { startServer } from './server.ts';

const server = await startServer();
console.log(`Folio listening on ${server.url} (data: ${server.config.dataDir}, workers: ${server.config.workers})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
// A bug in one request or job must not take the server down: jobs are durable, so log it.
process.on('unhandledRejection', (reason) => console.error('Folio: unhandled rejection:', reason));
