import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS, EngineError } from '@folio/engine';
import { ApiError, statusOfErrorName } from '../src/http/api-error.ts';
import { installErrorHandler } from '../src/http/error-handler.ts';

describe('error catalogue', () => {
  it('gives every error name one HTTP status, the engine\'s where the engine names it', () => {
    for (const [name, status] of Object.entries(ERROR_STATUS)) {
      expect(new ApiError(name as keyof typeof ERROR_STATUS, 'x').status).toBe(status);
      expect(new ApiError(new EngineError(name as keyof typeof ERROR_STATUS, 'x').code, 'x').status).toBe(status);
    }
    expect(new ApiError('TIMEOUT', 'download took too long').status).toBe(504);
    expect(new ApiError('AUTH_ERROR', 'no key').status).toBe(401);
    expect(new ApiError('FORBIDDEN', 'signed URL expired').status).toBe(403);
    expect(new ApiError('DOWNLOAD_FAILED', 'HTTP 404').status).toBe(400);
  });

  it('answers a failed job with the status of its error name, and 500 for a name it does not know', () => {
    expect(ApiError.fromJobFailure('DOCUMENT_TOO_LARGE', 'too big', 'j1').status).toBe(413);
    expect(ApiError.fromJobFailure(null, null, 'j1')).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(statusOfErrorName('SOMETHING_NEW')).toBe(500);
  });

  it('answers an unknown route with NOT_FOUND and the status the catalogue gives it', async () => {
    const app = Fastify();
    installErrorHandler(app);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${base}/no/such/route?x=1`);
      expect(res.status).toBe(statusOfErrorName('NOT_FOUND'));
      expect(await res.json()).toMatchObject({ error: { code: statusOfErrorName('NOT_FOUND'), name: 'NOT_FOUND', message: 'No route GET /no/such/route' } });
    } finally {
      await app.close();
    }
  });
});
