/**
 * Generates packages/sdk/src/generated/openapi.ts from the server's /openapi.json, which
 * @fastify/swagger builds from the routes' request schemas. Run it after changing a route
 * schema: `npm run generate:sdk-types`. openapi-types.test.ts fails while the file is stale.
 *
 * The spec is taken from the server app built in-process (SQLite in a temp dir, no workers,
 * not listening), so no server needs to be running and the output is deterministic.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApp, configFromEnv, createBackends } from '@folio/server';

export const GENERATED_FILE = fileURLToPath(new URL('../src/generated/openapi.ts', import.meta.url));

const HEADER = `/**
 * GENERATED from the server's /openapi.json by packages/sdk/test/openapi-types.ts.
 * Do not edit by hand: run \`npm run generate:sdk-types\`.
 */
/* eslint-disable */
`;

/** The server's OpenAPI document, as GET /openapi.json serves it. */
export async function serverOpenApi(): Promise<Record<string, unknown>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'folio-openapi-'));
  const config = configFromEnv({}, { dataDir, workers: 0, apiKeys: [], logLevel: 'silent', databaseUrl: null, blobStore: 'fs' });
  const backends = await createBackends(config);
  try {
    const app = await buildApp(config, backends);
    await app.ready();
    const spec = app.swagger() as unknown as Record<string, unknown>;
    await app.close();
    return spec;
  } finally {
    await backends.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function generateTypes(): Promise<string> {
  const spec = await serverOpenApi();
  const ast = await openapiTS(spec as never, { alphabetize: true });
  return HEADER + astToString(ast);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(GENERATED_FILE, await generateTypes());
  console.log(`wrote ${GENERATED_FILE}`);
}
