/** Parse one PDF file and print timing and peak RSS as JSON (run in a fresh process). */
import { readFile } from 'node:fs/promises';
import { parse } from '../../packages/engine/src/parse.ts';

const file = process.argv[2];
const t = performance.now();
// As `folio parse` reads it: the file's own memory, handed over to the engine (no copy).
const data = await readFile(file);
const out = await parse(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {}, { filename: file, handOver: true });
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, pages: out.usage.num_pages, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
