import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { GENERATED_FILE, generateTypes } from './openapi-types.ts';

it('src/generated/openapi.ts matches the server\'s /openapi.json (else run `npm run generate:sdk-types`)', async () => {
  const fresh = await generateTypes();
  const committed = readFileSync(GENERATED_FILE, 'utf8');
  expect(committed === fresh, 'SDK types are stale: run `npm run generate:sdk-types` and commit the result').toBe(true);
});
