import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { ApiError } from '../http/api-error.ts';
import { assertPublicUrl, isBlockedAddress, publicLookup } from './address-policy.ts';

export interface DownloadLimits {
  maxBytes: number;
  timeoutS: number;
  allowPrivate: boolean;
  /** Which addresses are refused (default: private, loopback, link-local, metadata). */
  isBlocked?: (address: string) => boolean;
  /** Stops the download (the job was cancelled, timed out or its worker is stopping). */
  signal?: AbortSignal;
}

const MAX_REDIRECTS = 5;

/** Download a document URL with size and time limits, re-checking every redirect hop. */
export async function downloadUrl(raw: string, limits: DownloadLimits): Promise<{ bytes: Uint8Array; filename: string | null }> {
  const deadline = Date.now() + limits.timeoutS * 1000;
  let current = raw;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const url = await assertPublicUrl(current, limits.allowPrivate, limits.isBlocked);
    const answer = await fetchOnce(url, limits, deadline);
    if ('redirect' in answer) {
      current = new URL(answer.redirect, url).toString();
      continue;
    }
    const name = decodeURIComponent(url.pathname.split('/').pop() ?? '') || null;
    return { bytes: answer.bytes, filename: name };
  }
  throw new ApiError('URL_NOT_ALLOWED', `Too many redirects from ${raw}`);
}

function fetchOnce(url: URL, limits: DownloadLimits, deadline: number): Promise<{ bytes: Uint8Array } | { redirect: string }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let settled = false;
    const finish = (error: ApiError | null, value?: { bytes: Uint8Array } | { redirect: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(value!);
    };
    const failed = (err: Error): ApiError =>
      err instanceof ApiError ? err : new ApiError('DOWNLOAD_FAILED', `Failed to download file from url: ${err.message}`);
    const req = client.get(url, {
      lookup: limits.allowPrivate || isIP(host) ? undefined : publicLookup(limits.isBlocked ?? isBlockedAddress),
      headers: { 'user-agent': 'Folio/0.1 (document download)' },
      signal: limits.signal,
    });
    const timer = setTimeout(() => finish(new ApiError('TIMEOUT', `Downloading ${url.host} took longer than ${limits.timeoutS} s`)), Math.max(1, deadline - Date.now()));
    req.on('error', (err) => finish(failed(err)));
    req.on('response', (res) => {
      res.on('error', (err) => finish(failed(err)));
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        return finish(null, { redirect: res.headers.location });
      }
      if (status !== 200) {
        res.resume();
        return finish(new ApiError('DOWNLOAD_FAILED', `Failed to download file from url: HTTP ${status}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) finish(new ApiError('DOCUMENT_TOO_LARGE', `The document at the URL is larger than ${Math.round(limits.maxBytes / 1e6)} MB`));
        else chunks.push(c);
      });
      res.on('end', () => finish(null, { bytes: new Uint8Array(Buffer.concat(chunks)) }));
    });
  });
}
