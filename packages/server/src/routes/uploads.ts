import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Readable } from 'node:stream';
import { formatFromName } from '@folio/engine';
import { ApiError } from '../http/api-error.ts';
import { uploadIdOf, uploadRef } from '../input/input-ref.ts';
import { ownerOf, type RouteContext } from './context.ts';

const UPLOAD_TTL_MS = 24 * 3600 * 1000;
const PRESIGNED_TTL_S = 3600;

const UploadQuery = Type.Object({ extension: Type.Optional(Type.String({ maxLength: 16 })) });

/** "pdf" from "pdf", ".pdf", "report.pdf"; null when unknown or unsafe. */
function extensionOf(name: string | undefined | null): string | null {
  if (!name) return null;
  const ext = name.toLowerCase().split('.').pop()!.replace(/[^a-z0-9]/g, '');
  return ext && formatFromName(ext) ? ext : null;
}

export function registerUploadRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { backends, config } = ctx;

  app.post('/upload', {
    schema: {
      querystring: UploadQuery,
      summary: 'Upload a document (multipart field "file"), or get a presigned PUT URL when no file is sent',
      tags: ['Uploads'],
      consumes: ['multipart/form-data', 'application/json'],
    },
  }, async (request) => {
    const owner = ownerOf(request);
    const hint = (request.query as { extension?: string }).extension;
    const base = randomUUID();
    if (!request.isMultipart()) {
      // No file: the presigned flow. The client PUTs raw bytes to the signed URL.
      const id = base;
      await backends.uploads.create({ id, owner, filename: hint ? `upload.${extensionOf(hint) ?? 'bin'}` : null, size: null, blobKey: `uploads/${id}`, createdAt: Date.now(), expiresAt: Date.now() + UPLOAD_TTL_MS });
      return { file_id: uploadRef(id), presigned_url: backends.signer.sign('PUT', `/upload/${id}/content`, PRESIGNED_TTL_S) };
    }
    const file = await request.file({ limits: { fileSize: config.maxUploadBytes, files: 1 } });
    if (!file) throw new ApiError('INVALID_CONFIG', 'Multipart body without a "file" field');
    const ext = extensionOf(hint) ?? extensionOf(file.filename);
    const id = ext ? `${base}.${ext}` : base;
    const blobKey = `uploads/${id}`;
    const { size } = await backends.blobs.put(blobKey, file.file, { maxBytes: config.maxUploadBytes });
    if (file.file.truncated) {
      await backends.blobs.delete(blobKey);
      throw new ApiError('DOCUMENT_TOO_LARGE', `Uploads are limited to ${Math.round(config.maxUploadBytes / 1e6)} MB`);
    }
    if (size === 0) {
      await backends.blobs.delete(blobKey);
      throw new ApiError('DOCUMENT_EMPTY', 'The uploaded file is empty');
    }
    const filename = file.filename && file.filename !== 'blob' ? file.filename : ext ? `upload.${ext}` : null;
    await backends.uploads.create({ id, owner, filename, size, blobKey, createdAt: Date.now(), expiresAt: Date.now() + UPLOAD_TTL_MS });
    return { file_id: uploadRef(id), presigned_url: null };
  });

  app.delete('/upload/:file_id', { schema: { params: Type.Object({ file_id: Type.String() }), summary: 'Delete an upload', tags: ['Uploads'] } }, async (request) => {
    const ref = decodeURIComponent((request.params as { file_id: string }).file_id);
    const upload = await backends.uploads.delete(uploadIdOf(ref), ownerOf(request));
    if (!upload) throw ApiError.notFound(`Upload ${ref}`);
    await backends.blobs.delete(upload.blobKey);
    return { file_id: uploadRef(upload.id) };
  });

  // The presigned PUT target: no API key, the URL's signature authorises it.
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.put('/upload/:id/content', { config: { public: true }, schema: { hide: true } as object }, async (request) => {
      const { id } = request.params as { id: string };
      const q = request.query as { expires?: string; sig?: string };
      if (!backends.signer.verify('PUT', `/upload/${id}/content`, q.expires, q.sig)) {
        throw new ApiError('FORBIDDEN', 'The upload URL is invalid or has expired');
      }
      const upload = await backends.uploads.get(id);
      if (!upload) throw ApiError.notFound(`Upload reducto://${id}`);
      if (!request.body) throw new ApiError('DOCUMENT_EMPTY', 'The PUT body is empty');
      const { size } = await backends.blobs.put(upload.blobKey, request.body as Readable, { maxBytes: config.maxUploadBytes });
      if (size === 0) throw new ApiError('DOCUMENT_EMPTY', 'The PUT body is empty');
      await backends.uploads.setSize(id, size);
      return { file_id: uploadRef(id), size };
    });
  });
}
