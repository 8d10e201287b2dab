import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { agsSchema, principalOf, standardErrors } from '../../../core/http.js';
import type { Database } from '../../../db/types.js';
import { listRegisterEntries } from './numbers.js';

/** The register book of a registry office: entries of one register and year, in number order. */
export const registryRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/registry/entries',
    {
      schema: {
        tags: ['Standesamt'],
        summary: 'Registereinträge (G/S/E) eines Standesamts und Jahres',
        querystring: z.object({
          authorityAgs: agsSchema,
          register: z.enum(['G', 'S', 'E'], { error: 'Register: G, S oder E.' }),
          year: z.coerce.number().int().min(1900).max(2200),
        }),
        response: {
          200: z.object({
            register: z.string(),
            registerLabel: z.string(),
            year: z.number().int(),
            items: z.array(
              z.object({
                seq: z.number().int(),
                number: z.string(),
                caseId: z.string(),
                aktenzeichen: z.string(),
                procedureId: z.string(),
                createdAt: z.string(),
              }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request, reply) => {
      const result = await listRegisterEntries(db, principalOf(request), request.query);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );
};
