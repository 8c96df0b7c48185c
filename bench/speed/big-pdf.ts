import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A long report: per page a heading, prose in two columns, and a small ruled table. */
export async function bigPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const words = 'the quick brown fox jumps over a lazy dog while seven wizards quietly box jugs of liquid'.split(' ');
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage([612, 792]);
    page.drawText(`Annual report — page ${n}`, { x: 72, y: 760, size: 8, font });
    page.drawText(`Section ${n}: Operations`, { x: 72, y: 720, size: 14, font: bold });
    for (const x of [72, 320]) {
      for (let l = 0; l < 40; l++) {
        const line = Array.from({ length: 9 }, (_, i) => words[(n + l * 3 + i + x) % words.length]).join(' ');
        page.drawText(line, { x, y: 690 - l * 12, size: 9, font });
      }
    }
    for (let r = 0; r <= 4; r++) page.drawLine({ start: { x: 72, y: 180 - r * 18 }, end: { x: 540, y: 180 - r * 18 }, thickness: 0.5 });
    for (const x of [72, 228, 384, 540]) page.drawLine({ start: { x, y: 180 }, end: { x, y: 108 }, thickness: 0.5 });
    for (let r = 0; r < 4; r++) {
      for (let c = 0; c < 3; c++) page.drawText(r === 0 ? `Column ${c + 1}` : `${n * 10 + r * 3 + c}`, { x: 78 + c * 156, y: 167 - r * 18, size: 9, font });
    }
    page.drawText(String(n), { x: 300, y: 40, size: 9, font });
  }
  return pdf.save();
}
