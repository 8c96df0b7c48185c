import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readDocument } from '../src/index.ts';
import { buildDocx, HEADING_STYLES, p } from './formats-fixtures.ts';

// Runs where LibreOffice is installed (apt-get install libreoffice-writer-nogui); skipped elsewhere.
const hasSoffice = spawnSync('soffice', ['--version'], { timeout: 30_000 }).status === 0;

describe('legacy formats via LibreOffice', () => {
  it.skipIf(!hasSoffice)('reads a .doc (made from a generated DOCX) with its headings and table', async () => {
    // LibreOffice wants a complete table (widths, grid) and a paragraph after it, as Word writes them.
    const tc = (t: string) => `<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr>${p(t)}</w:tc>`;
    const table = '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>' +
      `<w:tr>${tc('Item')}${tc('Owner')}</w:tr><w:tr>${tc('Budget')}${tc('Ann')}</w:tr></w:tbl>`;
    const docx = await buildDocx({ styles: HEADING_STYLES, body: p('Minutes', { style: 'Heading1' }) + p('The board met on Monday.') + table + p('End.') });
    const dir = mkdtempSync(join(tmpdir(), 'folio-test-doc-'));
    try {
      writeFileSync(join(dir, 'in.docx'), docx);
      execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`, '--headless', '--convert-to', 'doc', '--outdir', dir, join(dir, 'in.docx')], { timeout: 120_000, stdio: 'ignore' });
      const doc = await readDocument(new Uint8Array(readFileSync(join(dir, 'in.doc'))), {}, { filename: 'minutes.doc' });
      expect(doc.blocks.find((b) => b.text === 'Minutes')).toMatchObject({ type: 'Section Header', level: 1 });
      expect(doc.blocks.some((b) => b.text === 'The board met on Monday.')).toBe(true);
      const table = doc.blocks.find((b) => b.type === 'Table')!.table!;
      expect(table.cells.map((c) => c.text)).toEqual(['Item', 'Owner', 'Budget', 'Ann']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it.skipIf(!hasSoffice)('reads RTF through the same conversion', async () => {
    const rtf = '{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0\\pard\nFirst paragraph.\\par\nSecond {\\i styled} paragraph.\\par\n}';
    const doc = await readDocument(new TextEncoder().encode(rtf), {}, { filename: 'note.rtf' });
    expect(doc.blocks.map((b) => b.text)).toEqual(['First paragraph.', 'Second styled paragraph.']);
  });
  it.skipIf(!hasSoffice)('cancels a running conversion with JOB_CANCELLED', async () => {
    const controller = new AbortController();
    const rtf = new TextEncoder().encode('{\\rtf1\\ansi Cancel me.\\par}');
    const pending = readDocument(rtf, {}, { filename: 'c.rtf', signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(pending).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
  });
});
