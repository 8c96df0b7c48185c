import { buildOutput, extract, llmConfigFromEnv, readDocument, split, type ParsedDocument } from '@folio/engine';
import type { PipelineDefinition } from '../pipelines/pipeline.ts';
import type { Operation } from './operation.ts';
import { documentOf } from './document.ts';

export interface PipelineJobConfig {
  /** The saved pipeline as it was when the job was submitted. */
  pipeline: PipelineDefinition;
  settings?: { document_password?: string | null };
}

/** The pages of a document as a document of their own (a split's extraction input). */
function pagesOf(doc: ParsedDocument, pages: number[]): ParsedDocument {
  const keep = new Set(pages);
  return { ...doc, pages: doc.pages.filter((p) => keep.has(p.page)), blocks: doc.blocks.filter((b) => keep.has(b.box.page)) };
}

/**
 * Pipeline: parse once, then split and extract on that parse (per split and partition when
 * the pipeline splits). Answers Reducto's PipelineResponse.
 */
export const operation: Operation = async (input, config, ctx) => {
  const { pipeline, settings } = config as PipelineJobConfig;
  const parsing = { ...pipeline.parsing, settings: { ...pipeline.parsing?.settings, ...(settings?.document_password ? { document_password: settings.document_password } : {}) } };
  const doc = input.parsed ? await documentOf(input, parsing, ctx) : await readDocument(input.bytes, parsing, { signal: ctx.signal, onProgress: ctx.onProgress, filename: input.filename ?? undefined });
  const parsed = input.parsed ? null : buildOutput(doc, parsing);
  const parse = parsed
    ? { response_type: 'parse', usage: parsed.usage, result: parsed.result, pdf_url: null, studio_link: null, document_properties: parsed.document_properties }
    : (() => { const { job_id: _j, ...rest } = input.parsed!; return rest; })();
  const llm = llmConfigFromEnv();

  let splitBody: ReturnType<typeof split> | null = null;
  let extractResult: unknown = null;
  if (pipeline.split) {
    splitBody = split(doc, pipeline.split.split_description, pipeline.split.settings, ctx.signal);
    const perSplit: unknown[] = [];
    for (const s of splitBody.result.splits) {
      const cfg = pipeline.split_extract?.[s.name] ?? pipeline.extract;
      if (!cfg || s.pages.length === 0) continue;
      const parts = s.partitions?.length ? s.partitions.map((p) => ({ partition: p.name, pages: p.pages })) : [{ partition: null, pages: s.pages }];
      for (const part of parts) {
        const body = await extract(pagesOf(doc, part.pages), cfg.instructions, cfg.settings, { llm, signal: ctx.signal });
        perSplit.push({ split_name: s.name, page_range: part.pages, partition: part.partition, result: body });
      }
    }
    extractResult = perSplit;
  } else if (pipeline.extract) {
    extractResult = await extract(doc, pipeline.extract.instructions, pipeline.extract.settings, { llm, signal: ctx.signal });
  }
  return {
    response: {
      response_type: 'pipeline',
      result: { parse, split: splitBody, extract: extractResult, edit: null },
      usage: { num_pages: doc.pages.length, credits: null },
    },
    numPages: doc.pages.length,
    totalPages: doc.totalPages,
    images: parsed?.images,
  };
};
