/**
 * One reading of one PDF in this process, for timing whole processes from outside (e.g. with
 * /usr/bin/time): `folio` = a full parse; `pdfjs` = pdf.js getTextContent of every page, as it
 * comes; `pdfjs-text-fonts` = the same with fonts parsed only as far as text needs.
 *
 *   node --conditions=@folio/source --import tsx bench/speed/one.ts folio|pdfjs|pdfjs-text-fonts FILE
 */
import { readFileSync } from 'node:fs';
import { parse } from '../../packages/engine/src/parse.ts';
import { rawTextLayer } from './text-layer.ts';
import { ownPeakRssMb } from '../peak-rss.ts';

const [mode, file] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
if (mode === 'folio') await parse(bytes, {}, { filename: file });
else if (mode === 'pdfjs' || mode === 'pdfjs-text-fonts') await rawTextLayer(bytes, mode === 'pdfjs-text-fonts');
else throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify({ mode, maxRssMB: ownPeakRssMb() }));
