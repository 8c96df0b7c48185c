/** Parse one PDF file and print timing and peak RSS as JSON (run in a fresh process). */
import { readFileSync } from 'node:fs';
import { parse } from '../../packages/engine/src/parse.ts';

const file = process.argv[2];
const t = performance.now();
const out = await parse(new Uint8Array(readFileSync(file)), {}, { filename: file });
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, pages: out.usage.num_pages, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
