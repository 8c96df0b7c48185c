import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ApiError } from '../http/api-error.ts';
import { JOB_STATUSES, JOB_TYPES, isTerminal, type JobStatus, type JobType } from '../jobs/job.ts';
import { decodeCursor } from '../jobs/job.ts';
import { partBlobPrefix } from '../jobs/fanout.ts';
import { deleteJobBlobs } from '../jobs/job-response.ts';
import { jobListItem, jobViewText } from '../jobs/job-view.ts';
import { JobViewCache } from '../jobs/job-view-cache.ts';
import { jobDocument } from '../jobs/job-document.ts';
import { ownerOf, type RouteContext } from './context.ts';

const JobParams = Type.Object({ job_id: Type.String({ minLength: 1 }) });

const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String()),
  exclude_configs: Type.Optional(Type.Boolean({ default: false })),
  status: Type.Optional(Type.Union(JOB_STATUSES.map((s) => Type.Literal(s)))),
  type: Type.Optional(Type.Union(JOB_TYPES.map((t) => Type.Literal(t)))),
  created_after: Type.Optional(Type.String({ format: 'date-time' })),
  created_before: Type.Optional(Type.String({ format: 'date-time' })),
});

const SSE_POLL_MS = 1000;
/** Finished jobs' GET /job texts kept in memory (see JobViewCache). */
const VIEW_CACHE_BYTES = 32 * 1024 * 1024;
const VIEW_CACHE_TTL_MS = 2000;

export function registerJobViewRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { backends } = ctx;
  const views = new JobViewCache(VIEW_CACHE_BYTES, VIEW_CACHE_TTL_MS);

  app.get('/job/:job_id', { schema: { params: JobParams, summary: 'Status, progress and result of a job', tags: ['Jobs'] } }, async (request, reply) => {
    const { job_id } = request.params as { job_id: string };
    const owner = ownerOf(request);
    reply.type('application/json');
    const cached = views.get(job_id, owner);
    if (cached !== undefined) return cached;
    const job = await backends.jobs.get(job_id, owner);
    if (!job) throw ApiError.notFound('Job', job_id);
    const text = jobViewText(job);
    if (isTerminal(job.status)) views.set(job_id, owner, text);
    return text;
  });

  app.post('/cancel/:job_id', { schema: { params: JobParams, summary: 'Cancel a queued or running job', tags: ['Jobs'] } }, async (request) => {
    const { job_id } = request.params as { job_id: string };
    const job = await backends.queue.cancel(job_id, ownerOf(request));
    if (!job) throw ApiError.notFound('Job', job_id);
    if (job.status === 'Cancelled') {
      backends.events.publish({ jobId: job.id, status: 'Cancelled', progress: job.progress });
      // A fanned-out parse's finished parts leave results behind; running parts drop theirs.
      await backends.blobs.deletePrefix(partBlobPrefix(job.id));
    }
    return { job_id: job.id, status: job.status };
  });

  app.get('/jobs', { schema: { querystring: ListQuery, summary: 'List jobs, newest first', tags: ['Jobs'] } }, async (request) => {
    const q = request.query as { limit?: number; cursor?: string; exclude_configs?: boolean; status?: JobStatus; type?: JobType; created_after?: string; created_before?: string };
    const cursor = q.cursor ? q.cursor : null;
    if (cursor && !decodeCursor(cursor)) {
      throw new ApiError('INVALID_CONFIG', 'Invalid cursor');
    }
    const page = await backends.jobs.list({
      owner: ownerOf(request),
      limit: q.limit ?? 100,
      cursor,
      status: q.status,
      type: q.type,
      createdAfter: q.created_after ? Date.parse(q.created_after) : undefined,
      createdBefore: q.created_before ? Date.parse(q.created_before) : undefined,
      excludeConfigs: q.exclude_configs === true,
    });
    return { jobs: page.jobs.map(jobListItem), next_cursor: page.nextCursor };
  });

  app.delete('/job/:job_id', { schema: { params: JobParams, summary: 'Delete a job and its stored results', tags: ['Jobs'] } }, async (request, reply) => {
    const { job_id } = request.params as { job_id: string };
    const owner = ownerOf(request);
    // A running job is cancelled first so its worker stops and writes nothing.
    await backends.queue.cancel(job_id, owner);
    const job = await backends.jobs.delete(job_id, owner);
    views.delete(job_id);
    if (!job) throw ApiError.notFound('Job', job_id);
    backends.events.publish({ jobId: job.id, status: 'Cancelled', progress: job.progress });
    await deleteJobBlobs(job, backends);
    return reply.code(202).send({ job_id: job.id });
  });

  // Folio extension: the document a job read (so a viewer can draw its pages under the boxes).
  app.get('/job/:job_id/document', { schema: { params: JobParams, summary: 'The source document of a job (uploads only)', tags: ['Jobs'] } }, async (request, reply) => {
    const { job_id } = request.params as { job_id: string };
    const doc = await jobDocument(job_id, ownerOf(request), ctx.backends, ctx.config);
    const name = encodeURIComponent(doc.filename ?? job_id);
    return reply
      .type(doc.contentType)
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `${doc.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`)
      .send(Buffer.from(doc.bytes.buffer, doc.bytes.byteOffset, doc.bytes.byteLength));
  });

  // Folio extension: every webhook delivery attempt of a job.
  app.get('/job/:job_id/webhook_attempts', { schema: { params: JobParams, summary: 'Webhook delivery attempts of a job', tags: ['Jobs'] } }, async (request) => {
    const { job_id } = request.params as { job_id: string };
    if (!(await backends.jobs.get(job_id, ownerOf(request)))) throw ApiError.notFound('Job', job_id);
    const attempts = await backends.jobs.webhookAttempts(job_id);
    return { attempts: attempts.map((a) => ({ url: a.url, attempt: a.attempt, status_code: a.statusCode, error: a.error, at: new Date(a.at).toISOString() })) };
  });

  // Server-Sent Events: `status` and `progress` events until the job is terminal.
  app.get('/job/:job_id/events', { schema: { params: JobParams, summary: 'Stream status and progress (Server-Sent Events)', tags: ['Jobs'] } }, async (request, reply) => {
    const { job_id } = request.params as { job_id: string };
    const owner = ownerOf(request);
    const first = await backends.jobs.get(job_id, owner);
    if (!first) throw ApiError.notFound('Job', job_id);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let lastStatus: JobStatus | null = null;
    let lastProgress = -1;
    let ended = false;
    const send = (status: JobStatus, progress: number | null): void => {
      if (ended) return;
      // The slow poll reads progress the worker writes less often than it publishes: never go back.
      const shown = status === 'Completed' ? 100 : Math.max(progress ?? 0, lastProgress, 0);
      if (status === lastStatus && shown === lastProgress) return;
      lastStatus = status;
      lastProgress = shown;
      const data = JSON.stringify({ job_id, status, progress: shown });
      res.write(`event: ${isTerminal(status) ? 'status' : 'progress'}\ndata: ${data}\n\n`);
      if (isTerminal(status)) end();
    };
    const unsubscribe = backends.events.subscribe(job_id, (e) => send(e.status, e.progress));
    // Slow poll: catches changes whose events were published in another process.
    const timer = setInterval(async () => {
      const job = await backends.jobs.get(job_id, owner).catch(() => null);
      if (ended) return;
      if (!job) return end();
      send(job.status, job.progress);
      // send() may have ended the stream on a terminal status.
      if (!ended) res.write(': keep-alive\n\n');
    }, SSE_POLL_MS);
    const end = (): void => {
      if (ended) return;
      ended = true;
      unsubscribe();
      clearInterval(timer);
      res.end();
    };
    res.on('close', end);
    send(first.status, first.progress);
  });
}
