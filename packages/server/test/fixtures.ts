import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A text PDF generated in code: `pages` pages, each with a heading and a few lines. */
export async function makePdf(pages: number, heading: (page: number) => string = (p) => `Page ${p} of the Folio test document`): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([612, 792]);
    page.drawText(heading(p), { x: 72, y: 700, size: 20, font: bold });
    for (let line = 0; line < 12; line++) {
      page.drawText(`Line ${line + 1}: invoices, receipts and contracts are parsed into layout-aware chunks.`, { x: 72, y: 660 - line * 18, size: 11, font });
    }
  }
  return doc.save();
}

/** A fresh temporary folder for a test's input files; `remove` deletes it with what it holds. */
export class TempFolder {
  readonly dir = mkdtempSync(join(tmpdir(), 'folio-test-'));
  /** Writes `bytes` as `name` in the folder; returns its path. */
  write(name: string, bytes: Uint8Array | string): string {
    const path = join(this.dir, name);
    writeFileSync(path, bytes);
    return path;
  }
  path(name: string): string {
    return join(this.dir, name);
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
