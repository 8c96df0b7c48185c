import Reducto from 'reductoai';
import { conformanceSuite } from './conformance.ts';
import { startServerProcess } from './harness.ts';

conformanceSuite('embedded server process, official reductoai SDK', {
  start: () => startServerProcess({ workers: 1 }),
  makeClient: (baseURL, apiKey) => new Reducto({ apiKey, baseURL, maxRetries: 0 }),
});
