import type { PgDatabase } from './pg-database.ts';

/**
 * Folio's tables in PostgreSQL, as numbered migrations applied on start-up by whichever
 * process gets the advisory lock first (API and worker processes may start together).
 * Times are epoch milliseconds (bigint) to match the Job model and the SQLite store.
 * The queue itself (pg-boss) keeps its own tables in `<schema>_queue`.
 */
const MIGRATIONS: Array<(s: string) => string> = [
  (s) => `
CREATE TABLE ${s}.jobs (
  id text PRIMARY KEY,
  owner text NOT NULL,
  type text NOT NULL,
  status text NOT NULL,
  progress double precision,
  reason text,
  error_code text,
  raw_config text NOT NULL,
  config text NOT NULL,
  input text NOT NULL,
  result text,
  num_pages integer,
  total_pages integer,
  duration double precision,
  created_at bigint NOT NULL,
  started_at bigint,
  finished_at bigint,
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at bigint,
  -- host/pid of the process holding the lease: for operators (and fault tests)
  lease_process text,
  priority integer NOT NULL DEFAULT 0,
  timeout_s double precision,
  idempotency_key text,
  webhook text,
  metadata text,
  -- the pg-boss job that currently represents this row in the queue (one per attempt)
  queue_job_id uuid
);
CREATE INDEX jobs_owner_created ON ${s}.jobs (owner, created_at DESC, id DESC);
CREATE INDEX jobs_owner_status_created ON ${s}.jobs (owner, status, created_at DESC, id DESC);
CREATE INDEX jobs_leases ON ${s}.jobs (lease_expires_at) WHERE status = 'InProgress';
CREATE UNIQUE INDEX jobs_idempotency ON ${s}.jobs (owner, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE ${s}.uploads (
  id text PRIMARY KEY,
  owner text NOT NULL,
  filename text,
  size bigint,
  blob_key text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint
);

CREATE TABLE ${s}.webhook_attempts (
  job_id text NOT NULL,
  url text NOT NULL,
  attempt integer NOT NULL,
  status_code integer,
  error text,
  at bigint NOT NULL
);
CREATE INDEX webhook_attempts_job ON ${s}.webhook_attempts (job_id, at, attempt);

-- Outbox: one row per terminal state, written in the transaction that finishes the job, so
-- each webhook is delivered once per terminal state whichever process finished it.
CREATE TABLE ${s}.webhook_outbox (
  job_id text NOT NULL,
  status text NOT NULL,
  created_at bigint NOT NULL,
  claimed_by text,
  claimed_until bigint,
  delivered_at bigint,
  PRIMARY KEY (job_id, status)
);
CREATE INDEX webhook_outbox_due ON ${s}.webhook_outbox (created_at) WHERE delivered_at IS NULL;

-- Fan-out: the page-range parts of a large parse, each its own queue item.
CREATE TABLE ${s}.job_parts (
  job_id text NOT NULL REFERENCES ${s}.jobs (id) ON DELETE CASCADE,
  part integer NOT NULL,
  first_page integer NOT NULL,
  last_page integer NOT NULL,
  status text NOT NULL,
  pages_done integer NOT NULL DEFAULT 0,
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_expires_at bigint,
  reason text,
  error_code text,
  queue_job_id uuid,
  PRIMARY KEY (job_id, part)
);
CREATE INDEX job_parts_leases ON ${s}.job_parts (lease_expires_at) WHERE status = 'InProgress';
`,
  // Fan-out bookkeeping: a parent's part count, each part's response until the merge.
  (s) => `
ALTER TABLE ${s}.jobs ADD COLUMN fanout_parts integer;
ALTER TABLE ${s}.job_parts ADD COLUMN result text;
ALTER TABLE ${s}.job_parts ADD COLUMN lease_process text;
ALTER TABLE ${s}.job_parts ADD COLUMN input_ref text;
`,
  // Retention sweeps: finished jobs past the result TTL, uploads past their expiry.
  (s) => `
CREATE INDEX jobs_finished ON ${s}.jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX uploads_expiry ON ${s}.uploads (expires_at) WHERE expires_at IS NOT NULL;
`,
  // The queue depth (GET /metrics) counts Pending jobs on every scrape: keep it off the table.
  (s) => `
CREATE INDEX jobs_pending ON ${s}.jobs (created_at) WHERE status = 'Pending';
`,
];

const LOCK_ID = 0x466f6c696f; // "Folio"

export async function migrate(db: PgDatabase): Promise<void> {
  const s = db.schema;
  await db.tx(async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await c.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await c.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${s}.migrations`);
    for (let v = (rows[0]?.v ?? 0) + 1; v <= MIGRATIONS.length; v++) {
      await c.query(MIGRATIONS[v - 1](s));
      await c.query(`INSERT INTO ${s}.migrations (version) VALUES ($1)`, [v]);
    }
  });
}
