import type { Box, BlockType } from '../model.ts';
import type { Answer } from './answer.ts';
import { countFields, plain } from './answer.ts';

/** Reducto's citation (docs.reducto.ai, Extract response); `parentBlock` is its one camelCase key. */
export interface Citation {
  type: BlockType;
  content: string;
  bbox: Box;
  confidence: 'high' | 'low';
  granular_confidence?: { extract_confidence: number | null; parse_confidence: number | null };
  parentBlock: { type: BlockType; bbox: Box; content: string };
}

export interface CitationSettings {
  enabled?: boolean;
  numerical_confidence?: boolean;
  parent_block?: 'full' | 'bbox_only';
}

export interface ExtractUsage {
  num_pages: number;
  num_fields: number;
  credits: number | null;
}

/** `/extract` body minus what the server adds (job_id, studio_link, duration). */
export type ExtractBody =
  | { response_type: 'extract'; result: unknown[]; citations: null; usage: ExtractUsage }
  | { response_type: 'v3_extract'; result: unknown; usage: ExtractUsage };

export function toWire(answer: Answer, numPages: number, citations: CitationSettings = {}): ExtractBody {
  const usage = { num_pages: numPages, num_fields: countFields(answer), credits: null };
  if (!citations.enabled) return { response_type: 'extract', result: [plain(answer)], citations: null, usage };
  return { response_type: 'v3_extract', result: cited(answer, citations), usage };
}

function cited(a: Answer, opts: CitationSettings): unknown {
  if (a.kind === 'array') return a.items.map((i) => cited(i, opts));
  if (a.kind === 'object') return Object.fromEntries(Object.entries(a.fields).map(([k, v]) => [k, cited(v, opts)]));
  const list: Citation[] = a.value === null ? [] : a.sources.map((s) => {
    const c: Citation = {
      type: s.block.type,
      content: s.content,
      bbox: roundBox(s.box),
      confidence: a.confidence >= 0.7 ? 'high' : 'low',
      parentBlock: { type: s.block.type, bbox: roundBox(s.block.box), content: opts.parent_block === 'bbox_only' ? '' : s.block.text },
    };
    if (opts.numerical_confidence !== false) c.granular_confidence = { extract_confidence: a.confidence, parse_confidence: round(s.block.confidence) };
    return c;
  });
  return { value: a.value, citations: list };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function roundBox(b: Box): Box {
  return { left: round(b.left), top: round(b.top), width: round(b.width), height: round(b.height), page: b.page, original_page: b.original_page };
}
