import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { standardErrors } from '../../core/http.js';
import { OFFICE_LABELS, type OfficeType } from '../../core/offices.js';
import type { Database } from '../../db/types.js';

const authoritySchema = z.object({
  ags: z.string(),
  name: z.string(),
  kind: z.string(),
  kreisAgs: z.string(),
  plateCodes: z.array(z.string()),
});

export const authorityRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/authorities',
    {
      schema: {
        tags: ['Behörden'],
        summary: 'Kreise und Gemeinden',
        querystring: z.object({
          kreis: z
            .string()
            .regex(/^\d{8}$/, 'Der Kreis-AGS hat acht Ziffern.')
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(authoritySchema) }), ...standardErrors },
      },
    },
    async (request) => {
      let q = db.selectFrom('authority').selectAll().orderBy('ags');
      if (request.query.kreis) q = q.where('kreis_ags', '=', request.query.kreis);
      const rows = await q.execute();
      return {
        items: rows.map((r) => ({
          ags: r.ags,
          name: r.name,
          kind: r.kind,
          kreisAgs: r.kreis_ags,
          plateCodes: r.plate_codes.split(',').filter(Boolean),
        })),
      };
    },
  );

  app.get(
    '/authorities/:ags',
    {
      schema: {
        tags: ['Behörden'],
        summary: 'Eine Behörde mit ihren Ämtern',
        params: z.object({ ags: z.string().regex(/^\d{8}$/, 'Der AGS hat acht Ziffern.') }),
        response: {
          200: authoritySchema.extend({
            offices: z.array(
              z.object({ id: z.string(), officeType: z.string(), label: z.string(), name: z.string() }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const r = await db
        .selectFrom('authority')
        .selectAll()
        .where('ags', '=', request.params.ags)
        .executeTakeFirst();
      if (!r) throw notFound(`Die Behörde ${request.params.ags}`);
      const offices = await db
        .selectFrom('office')
        .selectAll()
        .where('authority_ags', '=', r.ags)
        .orderBy('office_type')
        .execute();
      return {
        ags: r.ags,
        name: r.name,
        kind: r.kind,
        kreisAgs: r.kreis_ags,
        plateCodes: r.plate_codes.split(',').filter(Boolean),
        offices: offices.map((o) => ({
          id: o.id,
          officeType: o.office_type,
          label: OFFICE_LABELS[o.office_type as OfficeType] ?? o.office_type,
          name: o.name,
        })),
      };
    },
  );
};
