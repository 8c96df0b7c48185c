/** Parse one PDF file and print timing and peak RSS as JSON (run in a fresh process). */
import { readFile } from 'node:fs/promises';
import { parse } from '../../packages/engine/src/parse.ts';
import { PageCollector } from '../../packages/engine/src/page-collector.ts';
import { ownPeakRssMb } from '../peak-rss.ts';

// As `folio parse` reads a file: its own memory, handed over to the engine (no copy), and a
// full collection whenever the heap of a long document has grown by 64 MB.
const file = process.argv[2];
const t = performance.now();
const data = await readFile(file);
const collector = new PageCollector();
const out = await parse(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), {}, {
  filename: file,
  handOver: true,
  onProgress: () => collector.page(),
});
const ms = performance.now() - t;
console.log(JSON.stringify({ ms, pages: out.usage.num_pages, maxRssMB: ownPeakRssMb() }));
