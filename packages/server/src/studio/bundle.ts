import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

/**
 * The Studio's browser script (SDK + UI + pdf.js). The build writes it next to the compiled
 * module (`app/app.js`); run from TypeScript source, it is bundled once per process instead,
 * so development has no build step to forget.
 */
export function bundleStudio(): Promise<string> {
  const fromSource = import.meta.url.endsWith('.ts');
  cached ??= (fromSource ? buildStudio() : readFile(new URL('./app/app.js', import.meta.url), 'utf8')).catch((err: unknown) => {
    cached = null; // let the next request try again
    throw err;
  });
  return cached;
}

/** Bundles the Studio from its TypeScript source (`src/studio/app/main.ts`). */
export async function buildStudio(appDir: URL = new URL('./app/', import.meta.url)): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('main.ts', appDir))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    // Within this repository the SDK is bundled from its source.
    conditions: ['@folio/source'],
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
