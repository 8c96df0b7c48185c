import { rawPdf } from '@folio/engine';

/**
 * A one-page PDF parsed once when a worker thread starts: the engine's first parse loads
 * pdf.js, fonts and layout code (seconds), and that cost belongs to start-up, not to the
 * first user's job.
 */
export function warmUpPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const content = 'BT /F1 24 Tf 72 700 Td (Folio warm-up) Tj ET';
  objects[3] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  return rawPdf(objects as string[]);
}
