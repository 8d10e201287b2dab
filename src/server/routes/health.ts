import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../../core/errors.js';
import { problemSchema } from '../../core/http.js';
import type { Database } from '../../db/types.js';
import { pending as pendingMigrations } from '../platform.js';

export const healthRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['Betrieb'],
        summary: 'Lebenszeichen des Prozesses',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['Betrieb'],
        summary: 'Bereit: Datenbank erreichbar und Schema aktuell',
        response: { 200: z.object({ status: z.literal('ready') }), 503: problemSchema },
      },
    },
    async () => {
      try {
        await sql`SELECT 1`.execute(db);
      } catch {
        throw new AppError('NOT_READY', 'Nicht bereit', 'Die Datenbank ist nicht erreichbar.');
      }
      const pending = await pendingMigrations(db);
      if (pending.length) {
        throw new AppError(
          'NOT_READY',
          'Nicht bereit',
          `${pending.length} Datenbank-Migration(en) stehen noch aus.`,
        );
      }
      return { status: 'ready' as const };
    },
  );
};
