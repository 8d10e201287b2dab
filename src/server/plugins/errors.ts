import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type ErrorCode, type FieldError, HTTP_STATUS } from '../../core/errors.js';

/**
 * Every error leaves the server as RFC 9457 problem+json with a stable `code` and German text.
 * 5xx responses never echo internals; the log keeps the details, keyed by request id.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

export function problemOf(err: AppError, requestId?: string): Problem {
  return {
    type: `urn:notbetrieb:problem:${err.code.toLowerCase().replace(/_/g, '-')}`,
    title: err.title,
    status: err.status,
    detail: err.detail,
    code: err.code,
    ...(requestId ? { requestId } : {}),
    ...(err.errors.length ? { errors: err.errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, err: AppError): FastifyReply {
  return reply
    .code(err.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(problemOf(err, reply.request.id));
}

const CONTEXT_LABEL: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

function fromFastifyError(err: FastifyError, request: FastifyRequest): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const ctx = CONTEXT_LABEL[(err as { validationContext?: string }).validationContext ?? 'body'] ?? 'body';
    const errors = err.validation.map((v) => ({
      path: [ctx, ...v.instancePath.split('/').filter(Boolean)].join('/'),
      message: v.message ?? 'Ungültiger Wert',
    }));
    return new AppError(
      'VALIDATION_FAILED',
      'Eingaben unvollständig oder fehlerhaft',
      'Bitte die markierten Angaben prüfen.',
      errors,
    );
  }
  const status = err.statusCode ?? 500;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError(
        'VALIDATION_FAILED',
        'Ungültige Anfrage',
        'Der Inhalt der Anfrage ist kein gültiges JSON.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'Anfrage zu groß', 'Der Inhalt der Anfrage ist zu groß.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new AppError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Format nicht unterstützt',
        'Bitte die Daten als JSON (Content-Type: application/json) senden.',
      );
  }
  if (status >= 400 && status < 500) {
    request.log.info({ err: { code: err.code, message: err.message } }, 'client error');
    return new AppError('VALIDATION_FAILED', 'Ungültige Anfrage', 'Die Anfrage ist ungültig.');
  }
  return new AppError(
    'INTERNAL',
    'Interner Fehler',
    'Bei der Verarbeitung ist ein Fehler aufgetreten. Es wurde nichts geändert. Bitte erneut versuchen; bleibt der Fehler, die IT mit der Anfragenummer informieren.',
  );
}

/**
 * Refusals Fastify makes before routing (a badly percent-encoded URL, an over-long path parameter)
 * leave as problem+json like every other error (Fastify's `frameworkErrors` option). Found by the
 * API fuzzer (test/fuzz): they used to be plain application/json.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  void sendProblem(
    reply,
    new AppError(
      'VALIDATION_FAILED',
      'Ungültige Adresse',
      error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? 'Ein Teil der Adresse ist zu lang.'
        : 'Die Adresse der Anfrage ist nicht gültig kodiert.',
    ),
  );
}

export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = fromFastifyError(error, request);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, appError);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      reply,
      new AppError(
        'NOT_FOUND',
        'Nicht gefunden',
        `Unter ${request.method} ${request.url.split('?')[0]} gibt es nichts.`,
      ),
    ),
  );
});

export { HTTP_STATUS };
