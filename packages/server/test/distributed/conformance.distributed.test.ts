/**
 * The whole conformance suite — parse/jobs and extract/split/classify/edit/pipeline, with the
 * official reductoai SDK and with @folio/sdk — against the distributed deployment:
 * PostgreSQL (fresh schema) + s3rver, 2 API processes behind a round-robin balancer and
 * 3 worker processes. One cluster serves all four suites (CI time).
 */
import Reducto, { toFile as reductoFile } from 'reductoai';
import { Folio, toFile as folioFile } from '../../../sdk/src/index.ts';
import { conformanceSuite } from '../conformance.ts';
import { extractConformanceSuite } from '../conformance-extract.ts';
import type { Deployment } from '../harness.ts';
import { Cluster } from './cluster.ts';

const SUITES = 4;
let cluster: Promise<Cluster> | null = null;
let started = 0;
let stopped = 0;

/**
 * Every suite gets the same cluster but its own three API keys (owners), so one suite's jobs
 * never show up in another's listings; the last suite to finish shuts the cluster down.
 */
async function start(): Promise<Deployment> {
  cluster ??= Cluster.start({ apis: 2, workers: 3, apiKeys: SUITES * 3 });
  const c = await cluster;
  const first = 3 * started++;
  return {
    baseURL: c.baseURL,
    apiKeys: c.apiKeys.slice(first, first + 3),
    stop: async () => {
      if (++stopped === SUITES) await c.close();
    },
  };
}

const reducto = (baseURL: string, apiKey: string) => new Reducto({ apiKey, baseURL, maxRetries: 0 });
const folio = (baseURL: string, apiKey: string) => new Folio({ apiKey, baseURL, maxRetries: 0 });

conformanceSuite('distributed (PostgreSQL + S3, 2 API + 3 worker processes), official reductoai SDK', { start, makeClient: reducto });
conformanceSuite('distributed (PostgreSQL + S3, 2 API + 3 worker processes), @folio/sdk', { start, makeClient: folio });
extractConformanceSuite('distributed (PostgreSQL + S3, 2 API + 3 worker processes), official reductoai SDK', {
  start,
  makeClient: reducto,
  toUploadable: (bytes, name) => reductoFile(Buffer.from(bytes), name),
});
extractConformanceSuite('distributed (PostgreSQL + S3, 2 API + 3 worker processes), @folio/sdk', {
  start,
  makeClient: folio,
  toUploadable: (bytes, name) => folioFile(bytes, name),
});
