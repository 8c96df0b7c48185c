/**
 * A PDF written from its object bodies (numbered from 1, the first the catalog), with a correct
 * cross-reference table: the smallest well-formed PDF of given objects, for a warm-up page or a
 * document whose exact bytes matter (a test's damaged stream, a font with given metrics).
 */
export function rawPdf(objects: string[], header = '%PDF-1.4\n'): Uint8Array {
  let pdf = header;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}
