import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { AuthService } from '../core/auth/login.js';
import { CaseService } from '../core/cases/service.js';
import type { DocumentRenderers } from '../core/documents.js';
import { defaultHandoverDir, HandoverService } from '../core/handover/service.js';
import { ensureInstallationId } from '../core/installation.js';
import { scheduleMaintenance } from '../core/maintenance.js';
import { PaymentService } from '../core/payments/service.js';
import type { ProcedureRegistry } from '../core/procedure-registry.js';
import { RoomService } from '../core/rooms/service.js';
import type { DatabaseHandle } from '../db/database.js';
import type { AppConfig } from './config.js';
import {
  documentRenderers,
  familyInfos,
  handoverRegistry,
  paymentSources,
  procedureRegistry,
  registerFamilyPublicRoutes,
  registerFamilyRoutes,
} from './platform.js';
import { auditPlugin } from './plugins/audit.js';
import { authPlugin, trackRoutes } from './plugins/auth.js';
import { errorsPlugin, frameworkErrorHandler } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { securityPlugin } from './plugins/security.js';
import { webPlugin } from './plugins/web.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { authorityRoutes } from './routes/authorities.js';
import { caseRoutes } from './routes/cases.js';
import { cashJournalRoutes } from './routes/cashjournal.js';
import { handoverRoutes } from './routes/handover.js';
import { healthRoutes } from './routes/health.js';
import { paymentRoutes } from './routes/payments.js';
import { procedureRoutes } from './routes/procedures.js';
import { roomRoutes } from './routes/rooms.js';
import { SEARCH_INDEX_CHECK_S, searchIndexStep } from './search-index.js';

export interface BuildAppOptions {
  config: Pick<AppConfig, 'logLevel'> & Partial<AppConfig>;
  database: DatabaseHandle;
  /** Injectable clock (tests fix it); defaults to the system clock. */
  now?: () => Date;
  /** Served over TLS: cookies get Secure and the __Host- prefix. */
  tls?: boolean;
  /** Key and certificate (PEM) when the app serves HTTPS itself (`serve --tls-*`). */
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Where JSON log lines go (default stdout); tests capture them to prove no personal data leaks. */
  logStream?: { write(line: string): void };
}

export interface AppServices {
  registry: ProcedureRegistry;
  cases: CaseService;
  documents: DocumentRenderers;
  installationId: string;
}

/**
 * Builds the HTTP application. Never listens: main.ts does that; tests use app.inject().
 * Expects a migrated database.
 */
export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance & { services: AppServices }> {
  const now = opts.now ?? (() => new Date());
  const { db } = opts.database;
  const app = Fastify({
    ...(opts.https ? ({ https: opts.https } as object) : {}),
    logger: {
      level: opts.config.logLevel,
      ...(opts.logStream ? { stream: opts.logStream } : {}),
      // No personal data in logs: no bodies, no query strings, no cookies.
      serializers: {
        req: (req) => ({
          method: req.method,
          url: String(req.url ?? '').split('?')[0],
          remoteAddress: req.ip,
        }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
    },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();
  // The API speaks JSON only; any other body type is refused with 415.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  trackRoutes(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const installationId = await ensureInstallationId(db);
  const registry = procedureRegistry(now);
  const documents = documentRenderers();
  const handover = new HandoverService({
    db,
    registry,
    handovers: handoverRegistry(),
    installationId,
    dir: defaultHandoverDir(opts.config.dataDir),
    now,
  });
  const rooms = new RoomService({ db, now });
  const cases = new CaseService({ db, registry, installationId, now });
  const payments = new PaymentService({ db, sources: paymentSources(), installationId, now });

  await app.register(errorsPlugin);
  await app.register(securityPlugin, { tls: opts.tls ?? false });
  await app.register(cookie);
  await app.register(metricsPlugin, { poolStats: opts.database.poolStats });
  await app.register(authPlugin, { db, now, tls: opts.tls ?? false });
  await app.register(auditPlugin, { db, now });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Notbetrieb API',
        description:
          'Fachverfahren für den kommunalen Notbetrieb. Fehler als application/problem+json (RFC 9457). Jede Änderung braucht einen Idempotency-Key.',
        version: '0.1.0',
      },
      tags: [
        { name: 'Betrieb', description: 'Gesundheit, Bereitschaft, Metriken' },
        { name: 'Verfahren', description: 'Verfahrensdefinitionen mit Formularschemata' },
        { name: 'Behörden', description: 'Kreise, Gemeinden und Ämter' },
        { name: 'Vorgänge', description: 'Vorgänge mit Aktionsverlauf' },
        { name: 'Anmeldung', description: 'Anmeldung mit Passwort und zweitem Faktor, Sitzung' },
        { name: 'Verwaltung', description: 'Konten und Berechtigungen (nur Administration)' },
      ],
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'nb_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  // The API documentation is static and holds no personal data: public like health checks.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...(route.config ?? {}), auth: 'public' };
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list', deepLinking: false },
    staticCSP: true,
    // Over plain HTTP on the LAN the upgrade directive would break the page's own assets.
    transformStaticCSP: (header: string) =>
      opts.tls ? header : header.replace(/\s*upgrade-insecure-requests;?/, ''),
    uiHooks: {},
  });

  const familyServices = {
    db,
    dialect: opts.database.dialect,
    now,
    registry,
    cases,
    documents,
    installationId,
    families: familyInfos(now),
  };
  await app.register(healthRoutes, { db });
  if (opts.config.searchIndexHour !== undefined && opts.config.searchIndexHour !== null) {
    scheduleMaintenance(app, {
      intervalS: SEARCH_INDEX_CHECK_S,
      log: app.log,
      steps: [
        [
          'Suchindex zusammenführen',
          searchIndexStep({ db, now, hour: opts.config.searchIndexHour, log: app.log }),
        ],
      ],
    });
  }
  await app.register(
    async (api) => {
      await api.register(procedureRoutes, { registry });
      await api.register(authorityRoutes, { db });
      await api.register(caseRoutes, { cases, documents, now });
      await api.register(handoverRoutes, { handover });
      await api.register(roomRoutes, { rooms });
      await api.register(cashJournalRoutes, { db, now });
      await api.register(paymentRoutes, { payments, now });
      await api.register(authRoutes, { db, auth: new AuthService({ db, now }), tls: opts.tls ?? false });
      await api.register(adminRoutes, { db, now });
      await registerFamilyRoutes(api, familyServices);
    },
    { prefix: '/api' },
  );
  // The families' public pages (status page, appointment booking): no login, outside /api.
  await registerFamilyPublicRoutes(app, familyServices);

  // The clerk workspace (issue 4): static files and SPA fallback, public (no data in them).
  await app.register(webPlugin, {});

  const withServices = app as unknown as FastifyInstance & { services: AppServices };
  withServices.services = { registry, cases, documents, installationId };
  return withServices;
}
