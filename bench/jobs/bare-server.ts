/**
 * The ceiling for GET /job/{id}: bare Fastify answering one point read of the same jobs
 * table, with no auth, no mapping. Started as a child process by run.ts with the SQLite file,
 * or with a PostgreSQL URL and schema.
 */
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import pg from 'pg';

const [where, schema] = process.argv.slice(2);
let read: (id: string) => Promise<unknown>;
if (where.startsWith('postgres')) {
  const pool = new pg.Pool({ connectionString: where, max: 10 });
  read = async (id) => (await pool.query(`SELECT * FROM ${schema}.jobs WHERE id = $1`, [id])).rows[0];
} else {
  const get = new Database(where, { readonly: true }).prepare('SELECT * FROM jobs WHERE id = ?');
  read = async (id) => get.get(id);
}
const app = Fastify();
app.get('/row/:id', async (request) => read((request.params as { id: string }).id));
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address() as { port: number };
console.log(`bare listening on http://127.0.0.1:${address.port}`);
