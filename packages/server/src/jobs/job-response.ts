import { randomUUID } from 'node:crypto';
import type { Backends } from '../backends/backends.ts';
import type { ServerConfig } from '../config.ts';
import type { OperationOutput } from '../operations/operation.ts';
import { partBlobPrefix } from './fanout.ts';
import type { Job } from './job.ts';

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'application/pdf': 'pdf' };

/**
 * Turn an operation's output into the response the sync endpoint returns and GET /job
 * shows: job_id and duration first, images stored as blobs behind signed URLs, and a
 * result above the size limit (or with force_url_result) stored as a blob and replaced
 * by `{type: "url", url, result_id}`.
 */
export async function buildJobResponse(job: Job, output: OperationOutput, duration: number, backends: Backends, config: ServerConfig): Promise<Record<string, unknown>> {
  let response: Record<string, unknown> = { job_id: job.id, duration, ...output.response };
  // The result as JSON, when a worker thread sent it so (response.result is then a placeholder).
  let resultJson: Uint8Array | string | undefined = output.resultJson;
  if (output.images?.size) {
    let text = JSON.stringify(response);
    let resultText = resultJson && new TextDecoder().decode(resultJson);
    for (const [key, image] of output.images) {
      const blobKey = `images/${job.id}/${key.replace(/[^\w.-]/g, '_')}.${EXTENSIONS[image.mime] ?? 'bin'}`;
      await backends.blobs.put(blobKey, image.bytes);
      const url = await backends.blobs.signedUrl(blobKey, config.signedUrlTtlS);
      text = text.replaceAll(JSON.stringify(`folio-image:${key}`), JSON.stringify(url));
      resultText = resultText?.replaceAll(JSON.stringify(`folio-image:${key}`), JSON.stringify(url));
    }
    response = JSON.parse(text);
    resultJson = resultText;
  }
  if (resultJson !== undefined || 'result' in response) {
    const json = resultJson ?? JSON.stringify(response.result);
    const forced = (job.config as { settings?: { force_url_result?: boolean } } | null)?.settings?.force_url_result === true;
    if (forced || (typeof json === 'string' ? Buffer.byteLength(json) : json.byteLength) > config.urlResultBytes) {
      const resultId = randomUUID();
      const key = `results/${resultId}.json`;
      await backends.blobs.put(key, typeof json === 'string' ? Buffer.from(json) : json);
      response.result = { type: 'url', url: await backends.blobs.signedUrl(key, config.signedUrlTtlS), result_id: resultId };
    } else if (resultJson !== undefined) {
      response.result = JSON.parse(typeof json === 'string' ? json : new TextDecoder().decode(json));
    }
  }
  return response;
}

/** Blobs a job owns, removed with it. */
export async function deleteJobBlobs(job: Job, backends: Backends): Promise<void> {
  await backends.blobs.deletePrefix(`images/${job.id}`);
  await backends.blobs.deletePrefix(partBlobPrefix(job.id));
  const result = (job.result as { result?: { type?: string; result_id?: string } } | null)?.result;
  if (result?.type === 'url' && result.result_id) await backends.blobs.delete(`results/${result.result_id}.json`);
}
