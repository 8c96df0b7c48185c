import { editPdf, type EditRequest } from '@folio/engine';
import type { Operation } from './operation.ts';

/** Edit: fill the PDF's form; the filled PDF is stored as a blob and served by signed URL. */
export const operation: Operation = async (input, config, ctx) => {
  const out = await editPdf(input.bytes, config as EditRequest, ctx.signal);
  ctx.onProgress(out.numPages, out.numPages);
  return {
    response: {
      response_type: 'edit',
      document_url: 'folio-image:edited',
      form_schema: out.formSchema,
      usage: { num_pages: out.numPages, credits: null },
    },
    numPages: out.numPages,
    totalPages: out.numPages,
    images: new Map([['edited', { bytes: out.bytes, mime: 'application/pdf' }]]),
  };
};
