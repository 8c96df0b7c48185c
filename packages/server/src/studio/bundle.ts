import { fileURLToPath } from 'node:url';

let cached: Promise<string> | null = null;

/** The Studio's browser script (SDK + UI + pdf.js), bundled once per process. */
export function bundleStudio(): Promise<string> {
  cached ??= build().catch((err: unknown) => {
    cached = null; // let the next request try again
    throw err;
  });
  return cached;
}

async function build(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./app/main.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
