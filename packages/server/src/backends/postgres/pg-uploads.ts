import type { Upload, UploadStore } from '../../storage/upload-store.ts';
import type { PgDatabase } from './pg-database.ts';
import { toUpload, type UploadRow } from './pg-rows.ts';

/**
 * Upload rows on PostgreSQL. Expired uploads are swept with SKIP LOCKED, so sweepers in
 * several processes share the work and never return the same upload twice.
 */
export class PgUploads implements UploadStore {
  readonly #db: PgDatabase;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  async create(u: Upload): Promise<void> {
    await this.#db.query(
      `INSERT INTO ${this.#db.schema}.uploads (id, owner, filename, size, blob_key, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [u.id, u.owner, u.filename, u.size, u.blobKey, u.createdAt, u.expiresAt],
    );
  }

  async get(id: string, owner?: string): Promise<Upload | null> {
    const { rows } = await this.#db.query<UploadRow>(`SELECT * FROM ${this.#db.schema}.uploads WHERE id = $1`, [id]);
    const r = rows[0];
    return r && (owner === undefined || r.owner === owner) ? toUpload(r) : null;
  }

  async setSize(id: string, size: number): Promise<void> {
    await this.#db.query(`UPDATE ${this.#db.schema}.uploads SET size = $1 WHERE id = $2`, [size, id]);
  }

  async delete(id: string, owner: string): Promise<Upload | null> {
    const { rows } = await this.#db.query<UploadRow>(
      `DELETE FROM ${this.#db.schema}.uploads WHERE id = $1 AND owner = $2 RETURNING *`,
      [id, owner],
    );
    return rows[0] ? toUpload(rows[0]) : null;
  }

  async deleteExpired(now: number, limit: number): Promise<Upload[]> {
    const u = `${this.#db.schema}.uploads`;
    const { rows } = await this.#db.query<UploadRow>(
      `DELETE FROM ${u} WHERE id IN (
         SELECT id FROM ${u} WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [now, limit],
    );
    return rows.map(toUpload);
  }
}
