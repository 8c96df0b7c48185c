/**
 * The ceiling for GET /job/{id}: bare Fastify answering one SQLite point read of the same
 * jobs table, with no auth, no mapping. Started as a child process by run.ts.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const db = new Database(process.argv[2], { readonly: true });
const get = db.prepare('SELECT * FROM jobs WHERE id = ?');
const app = Fastify();
app.get('/row/:id', async (request) => get.get((request.params as { id: string }).id));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address() as { port: number };
console.log(`bare listening on http://127.0.0.1:${address.port}`);
