/**
 * One upload in a fresh process, for bench/sdk/run.ts: prints `{seconds, maxRssMb}` so each
 * way of passing a file is measured without the others' heap left behind.
 * Usage: upload-child.ts WAY BASE_URL API_KEY FILE
 */
import { createReadStream } from 'node:fs';
import Reducto from 'reductoai';
import { Folio } from '../../packages/sdk/src/index.ts';
import { fileFromPath } from '../../packages/sdk/src/node.ts';
import { ownPeakRssMb } from '../peak-rss.ts';

const [way, baseURL, apiKey, file] = process.argv.slice(2);
const folio = new Folio({ baseURL, apiKey });
const reducto = new Reducto({ baseURL, apiKey });
const ways: Record<string, () => PromiseLike<unknown>> = {
  none: async () => undefined,
  'folio-path': async () => folio.upload({ file: await fileFromPath(file) }),
  'folio-stream': () => folio.upload({ file: createReadStream(file) }),
  'folio-presigned-stream': () => folio.uploads.createPresigned({ file: createReadStream(file) }),
  'reductoai-stream': () => reducto.upload({ file: createReadStream(file) }),
};
const t0 = performance.now();
await ways[way]();
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ seconds: Math.round(seconds * 1000) / 1000, maxRssMb: Math.round(ownPeakRssMb()) }));
