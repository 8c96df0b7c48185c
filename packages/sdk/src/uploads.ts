import type { RequestBody } from './transport.ts';
import { fileFromPath } from './file-from-path.ts';

/**
 * Anything `client.upload()` accepts:
 * - a `File` or `Blob` (browsers and Node), a `Uint8Array`/`Buffer` or `ArrayBuffer`;
 * - a fetch `Response` (its body is uploaded);
 * - a stream: a web `ReadableStream`, a Node `Readable` (e.g. `fs.createReadStream`) or any
 *   async iterable of bytes — streamed as it is read, so such a request is never retried;
 * - in Node, a file path string (read lazily via `fs.openAsBlob`, so retries can re-read it).
 */
export type Uploadable =
  | Blob
  | Uint8Array
  | ArrayBuffer
  | Response
  | ReadableStream<Uint8Array>
  | AsyncIterable<Uint8Array | string>
  | string;

/** Name a bare byte buffer so the server can sniff its type from the extension too. */
export async function toFile(value: Blob | Uint8Array | ArrayBuffer, name = 'file', type = ''): Promise<File> {
  if (typeof File !== 'undefined' && value instanceof File && arguments.length < 2) return value;
  const part: BlobPart = value instanceof Uint8Array ? (value as Uint8Array<ArrayBuffer>) : value;
  return new File([part], name, { type: type || (value instanceof Blob ? value.type : '') });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array | string> {
  return value !== null && typeof value === 'object' && Symbol.asyncIterator in value;
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== 'undefined' && value instanceof ReadableStream;
}

/** Turn an Uploadable into the multipart body of POST /upload (field `file`). */
export async function multipartFor(file: Uploadable, filename?: string): Promise<RequestBody> {
  if (typeof file === 'string') file = await fileFromPath(file);
  if (file instanceof Response) file = await file.blob();
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) file = await toFile(file, filename ?? 'file');
  if (file instanceof Blob) {
    const blob = file;
    const name = filename ?? (blob as File).name ?? 'file';
    return {
      make: () => {
        const form = new FormData();
        form.append('file', blob, name);
        return form;
      },
      replayable: true,
    };
  }
  if (isReadableStream(file) || isAsyncIterable(file)) {
    const name = filename ?? streamPath(file) ?? 'file';
    return streamingMultipart(file, name);
  }
  throw new TypeError('upload: unsupported file value (expected File, Blob, bytes, Response, stream or path)');
}

/** The bytes alone, as the body of a PUT to a presigned upload URL. */
export async function rawBodyFor(file: Uploadable): Promise<RequestBody & { filename?: string }> {
  if (typeof file === 'string') file = await fileFromPath(file);
  if (file instanceof Response) file = await file.blob();
  if (file instanceof Uint8Array || file instanceof ArrayBuffer) file = await toFile(file);
  if (file instanceof Blob) {
    const blob = file;
    return { make: () => blob, contentType: blob.type || 'application/octet-stream', replayable: true, filename: (blob as File).name };
  }
  if (isReadableStream(file) || isAsyncIterable(file)) {
    const source = file;
    let used = false;
    return {
      contentType: 'application/octet-stream',
      replayable: false,
      filename: streamPath(source),
      make: () => {
        if (used) throw new Error('A streamed upload body can be sent only once');
        used = true;
        return isReadableStream(source) ? source : iterableToStream(source);
      },
    };
  }
  throw new TypeError('upload: unsupported file value (expected File, Blob, bytes, Response, stream or path)');
}

function iterableToStream(source: AsyncIterable<Uint8Array | string>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : new Uint8Array(next.value));
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Node streams from fs.createReadStream carry their path; use its base name. */
function streamPath(stream: object): string | undefined {
  const path = (stream as { path?: unknown }).path;
  if (typeof path !== 'string') return undefined;
  return path.split(/[\\/]/).pop();
}

/**
 * FormData cannot hold a stream without buffering it, so a streamed upload frames its one
 * multipart part around the bytes as they are read.
 */
function streamingMultipart(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>, filename: string): RequestBody {
  const boundary = `----folio${Math.random().toString(16).slice(2)}${Date.now().toString(16)}`;
  const encoder = new TextEncoder();
  const safeName = filename.replace(/["\r\n\\]/g, '_');
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  let used = false;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    replayable: false,
    make: () => {
      if (used) throw new Error('A streamed upload body can be sent only once');
      used = true;
      const iterable: AsyncIterable<Uint8Array | string> = isReadableStream(source) ? readableToIterable(source) : source;
      const iterator = iterable[Symbol.asyncIterator]();
      let stage: 'head' | 'body' | 'done' = 'head';
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (stage === 'head') {
            stage = 'body';
            controller.enqueue(head);
            return;
          }
          if (stage === 'done') return;
          const next = await iterator.next();
          if (next.done) {
            stage = 'done';
            controller.enqueue(tail);
            controller.close();
            return;
          }
          controller.enqueue(typeof next.value === 'string' ? encoder.encode(next.value) : new Uint8Array(next.value));
        },
        async cancel(reason) {
          await iterator.return?.(reason);
        },
      });
    },
  };
}

async function* readableToIterable(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}
