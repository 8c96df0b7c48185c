import type { ParsedDocument } from './model.ts';
import type { ParseOptions } from './options.ts';
import type { ParseOutput } from './result.ts';

/**
 * The output stage: render blocks to Markdown/HTML tables, chunk, filter, add page markers.
 * Owned by the render/ and chunking/ modules; this is the single entry the orchestrator calls.
 */
export function buildOutput(doc: ParsedDocument, options: ParseOptions): ParseOutput {
  void doc; void options;
  throw new Error('output stage not implemented yet');
}
