import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import { AppError } from '../../core/errors.js';

/**
 * Security headers (helmet) with a strict Content-Security-Policy: scripts, styles, fonts and
 * connections only from this origin, no inline script, no plugins, no framing. The Swagger UI at
 * /api/docs sets its own policy (staticCSP with hashes for its few inline parts). API responses
 * default to `Cache-Control: no-store`: they may carry personal data and must not linger in
 * browser or proxy caches on shared office PCs.
 */
export const securityPlugin = fp(async (app: FastifyInstance, opts: { tls: boolean }) => {
  // helmet's middleware is built ONCE and applied to every response. (@fastify/helmet rebuilt it,
  // parsing the whole policy, on every request: ~2 % of the server's CPU under load.)
  const applyHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        // Only over TLS: on a plain-HTTP LAN install the upgrade would break every request.
        ...(opts.tls ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    // HSTS only means something over TLS.
    strictTransportSecurity: opts.tls ? { maxAge: 31536000, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onRequest', (request, reply, done) => {
    applyHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) {
      reply.header('cache-control', 'no-store');
    }
    return payload;
  });

  // No legitimate input contains a NUL character, and PostgreSQL cannot store one in text: refuse
  // it in every body, query and path before validation, on both dialects alike.
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.body) || hasNul(request.query) || hasNul(request.params)) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Ungültige Eingabe',
        'Die Anfrage enthält ein unzulässiges Nullzeichen.',
      );
    }
  });
});

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (!value || typeof value !== 'object' || depth > 32) return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}
