import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * Open `url` in headless Chromium and poll `expression` (JavaScript evaluated in the page)
 * until it returns a truthy value or `timeoutMs` passes; resolves the last value. Talks the
 * DevTools protocol over Chromium's pipe (fds 3 and 4), so the page runs in real time:
 * `--dump-dom` with a virtual time budget stalls on pdf.js's worker.
 */
export async function evaluateWhenReady(chromium: string, url: string, expression: string, timeoutMs = 120_000): Promise<unknown> {
  const browser = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const toBrowser = browser.stdio[3] as Writable;
  const fromBrowser = browser.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let buffer = '';
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      buffer = buffer.slice(end + 1);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result ?? {});
    }
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      toBrowser.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  try {
    const { targetId } = await send('Target.createTarget', { url });
    const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
    const deadline = Date.now() + timeoutMs;
    let value: unknown;
    do {
      await new Promise((r) => setTimeout(r, 250));
      const { result } = await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId as string);
      value = (result as { value?: unknown }).value;
    } while (!value && Date.now() < deadline);
    return value;
  } finally {
    browser.kill();
  }
}
