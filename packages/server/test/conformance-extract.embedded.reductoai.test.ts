import Reducto, { toFile } from 'reductoai';
import { extractConformanceSuite } from './conformance-extract.ts';
import { startServerProcess } from './harness.ts';

extractConformanceSuite('embedded server process, official reductoai SDK', {
  start: () => startServerProcess({ workers: 2 }),
  makeClient: (baseURL, apiKey) => new Reducto({ apiKey, baseURL, maxRetries: 0 }),
  toUploadable: (bytes, name) => toFile(Buffer.from(bytes), name),
});
