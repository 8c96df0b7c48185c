/**
 * Alt text of a picture as authored; a bare file name is none. Office appends machine-written boilerplate to its
 * generated descriptions ("Description automatically generated", "AI-generated content may
 * be incorrect."); that says nothing about the picture, so it is dropped.
 */
export function altText(raw: string | undefined): string {
  // Office fills in the inserted file's name when the author wrote no description.
  if (/^[^\s/\\]+\.(png|jpe?g|gif|bmp|tiff?|emf|wmf|svg|webp|heic)$/i.test((raw ?? '').trim())) return '';
  return (raw ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !/^(description automatically generated( with (low|medium|high) confidence)?|ai-generated content may be incorrect\.?)$/i.test(line))
    .join('\n');
}
