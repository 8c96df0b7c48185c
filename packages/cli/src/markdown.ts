/** A parse result's Markdown: its chunks' content, in order. */
export function markdownOf(result: { chunks: Array<{ content: string }> }): string {
  return result.chunks.map((chunk) => chunk.content).join('\n\n');
}
