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
