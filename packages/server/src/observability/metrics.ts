import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue } from '../jobs/queue.ts';

/** Job durations run from a fraction of a second (one page) to the 15-minute default timeout. */
const JOB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900];
/** A worker's memory for one job: a few MB for a page, up to the thread's heap cap (2 GB by default). */
const MEMORY_BUCKETS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096].map((mb) => mb * 1024 * 1024);
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the worker threads of this process are doing, read at scrape time. */
export interface WorkerGauge {
  readonly size: number;
  readonly busy: number;
}

/**
 * This process's Prometheus metrics (GET /metrics). Each process counts what it did — the jobs
 * its workers finished, the requests it served — so a deployment scrapes every process and
 * sums; `folio_queue_depth` is read from the shared store and is the same in every process.
 * A registry per instance, so several servers in one process (tests) do not share counters.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly jobsCompleted: Counter<'type'>;
  readonly jobsFailed: Counter<'type' | 'error'>;
  readonly jobsCancelled: Counter<'type'>;
  readonly jobDuration: Histogram<'type' | 'status'>;
  readonly pagesProcessed: Counter<'type'>;
  readonly jobPeakMemory: Histogram<'type'>;
  readonly workerBusySeconds: Counter;
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  #workers: WorkerGauge | null = null;

  constructor(queue: Pick<JobQueue, 'pendingCount'>) {
    const registers = [this.registry];
    this.jobsCompleted = new Counter({ name: 'folio_jobs_completed_total', help: 'Jobs this process completed', labelNames: ['type'], registers });
    this.jobsFailed = new Counter({ name: 'folio_jobs_failed_total', help: 'Jobs this process failed, by error name (DOCUMENT_CORRUPT, TIMEOUT, ...)', labelNames: ['type', 'error'], registers });
    this.jobsCancelled = new Counter({ name: 'folio_jobs_cancelled_total', help: 'Running jobs this process stopped because they were cancelled', labelNames: ['type'], registers });
    this.jobDuration = new Histogram({ name: 'folio_job_duration_seconds', help: 'Time from a worker claiming a job to its end', labelNames: ['type', 'status'], buckets: JOB_BUCKETS, registers });
    this.pagesProcessed = new Counter({ name: 'folio_pages_processed_total', help: 'Pages of the documents of the jobs this process completed', labelNames: ['type'], registers });
    this.jobPeakMemory = new Histogram({ name: 'folio_job_peak_memory_bytes', help: 'Peak memory of the worker thread running a job (V8 heap in use plus buffers), by job', labelNames: ['type'], buckets: MEMORY_BUCKETS, registers });
    this.workerBusySeconds = new Counter({ name: 'folio_worker_busy_seconds_total', help: 'Seconds worker threads spent running jobs; rate() / folio_worker_threads is the utilisation', registers });
    this.httpDuration = new Histogram({ name: 'folio_http_request_duration_seconds', help: 'HTTP requests this process answered, by route pattern', labelNames: ['method', 'route', 'status_code'], buckets: HTTP_BUCKETS, registers });
    const workers = (): WorkerGauge | null => this.#workers;
    new Gauge({ name: 'folio_worker_threads', help: 'Worker threads in this process', registers, collect() { this.set(workers()?.size ?? 0); } });
    new Gauge({ name: 'folio_worker_threads_busy', help: 'Worker threads of this process running a job now', registers, collect() { this.set(workers()?.busy ?? 0); } });
    new Gauge({
      name: 'folio_queue_depth',
      help: 'Jobs waiting for a worker (Pending), across the deployment',
      registers,
      async collect() {
        this.set(await queue.pendingCount());
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'folio_' });
  }

  /** The worker pool of this process, once it has one. */
  watchWorkers(workers: WorkerGauge): void {
    this.#workers = workers;
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
