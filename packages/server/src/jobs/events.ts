import { EventEmitter } from 'node:events';
import type { JobStatus } from './job.ts';

/** A change to a job, for SSE streams, sync waiters and workers that must stop. */
export interface JobEvent {
  jobId: string;
  status: JobStatus;
  progress: number | null;
}

/**
 * Publish/subscribe for job changes. Publishers are the routes (submit, cancel) and the
 * workers (progress, finish). Delivery is best effort and at most once: subscribers that
 * need certainty re-read the JobStore (SSE and sync waiters also poll slowly). A distributed
 * implementation carries events between processes (e.g. PostgreSQL LISTEN/NOTIFY).
 */
export interface JobEventBus {
  /** Announce a change of one job. */
  publish(event: JobEvent): void;
  /** Listen to one job's changes; returns the unsubscribe function. */
  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void;
  /** Announce that a job was queued (wakes idle workers without waiting for their poll). */
  notifyQueued(): void;
  /** Listen for queued jobs; returns the unsubscribe function. */
  onQueued(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Events within one process: enough for the embedded deployment. */
export class LocalJobEventBus implements JobEventBus {
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  publish(event: JobEvent): void {
    this.#emitter.emit(`job:${event.jobId}`, event);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.#emitter.on(`job:${jobId}`, listener);
    return () => this.#emitter.off(`job:${jobId}`, listener);
  }

  notifyQueued(): void {
    this.#emitter.emit('queued');
  }

  onQueued(listener: () => void): () => void {
    this.#emitter.on('queued', listener);
    return () => this.#emitter.off('queued', listener);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}
