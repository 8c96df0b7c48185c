/**
 * Inside a worker thread: runs one operation at a time, posts progress, and aborts the
 * operation's AbortSignal when the main thread says so (cancel, timeout, lost lease).
 */
import { parentPort } from 'node:worker_threads';
import { EngineError } from '@folio/engine';
import { OPERATIONS } from '../operations/registry.ts';
import type { FromThread, ToThread } from './messages.ts';

const port = parentPort;
if (!port) throw new Error('workers/thread.ts must run in a worker thread');
const running = new Map<number, AbortController>();
const post = (m: FromThread): void => port.postMessage(m);

port.on('message', async (msg: ToThread) => {
  if (msg.kind === 'abort') {
    running.get(msg.runId)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(msg.runId, controller);
  try {
    const load = OPERATIONS[msg.type];
    if (!load) throw new EngineError('INVALID_CONFIG', `Job type ${msg.type} is not available on this server`);
    const operation = await load();
    const output = await operation(msg.input, msg.config, {
      signal: controller.signal,
      onProgress: (done, total) => post({ kind: 'progress', runId: msg.runId, done, total }),
    });
    post({ kind: 'done', runId: msg.runId, output });
  } catch (err) {
    const code = err instanceof EngineError ? err.code : controller.signal.aborted ? 'JOB_CANCELLED' : 'INTERNAL_ERROR';
    const message = err instanceof Error ? err.message : String(err);
    post({ kind: 'error', runId: msg.runId, code, message });
  } finally {
    running.delete(msg.runId);
  }
});
