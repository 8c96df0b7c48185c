/** The server's Reducto conformance suites, driven by @folio/sdk instead of the official SDK. */
import { Folio, toFile } from '../src/index.ts';
import { conformanceSuite } from '../../server/test/conformance.ts';
import { extractConformanceSuite } from '../../server/test/conformance-extract.ts';
import { startServerProcess } from '../../server/test/harness.ts';

const makeClient = (baseURL: string, apiKey: string) => new Folio({ apiKey, baseURL, maxRetries: 0 });

conformanceSuite('embedded server process, @folio/sdk', {
  start: () => startServerProcess({ workers: 1 }),
  makeClient,
});

extractConformanceSuite('embedded server process, @folio/sdk', {
  start: () => startServerProcess({ workers: 2 }),
  makeClient,
  toUploadable: (bytes, name) => toFile(bytes, name),
});
