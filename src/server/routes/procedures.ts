import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../core/errors.js';
import { standardErrors } from '../../core/http.js';
import { OFFICE_LABELS } from '../../core/offices.js';
import type { ProcedureDefinition } from '../../core/procedure.js';
import type { ProcedureRegistry } from '../../core/procedure-registry.js';

/** Serves procedure definitions, including the JSON Schema of each form, so clients can render and validate it. */
function describe(def: ProcedureDefinition) {
  return {
    id: def.id,
    version: def.version,
    office: def.office,
    officeLabel: OFFICE_LABELS[def.office],
    title: def.title,
    description: def.description,
    aktenzeichenCode: def.aktenzeichenCode,
  };
}

/** JSON Schemas are derived once per schema object: definitions do not change while the app runs. */
const jsonSchemaCache = new WeakMap<z.ZodType, unknown>();

function jsonSchemaOf(schema: z.ZodType): unknown {
  const cached = jsonSchemaCache.get(schema);
  if (cached !== undefined) return cached;
  const derived = deriveJsonSchema(schema);
  jsonSchemaCache.set(schema, derived);
  return derived;
}

function deriveJsonSchema(schema: z.ZodType): unknown {
  // Refinements (check digits, date order) cannot be expressed in JSON Schema; the server checks
  // them, and the web app bundles the same zod definitions to check them before sending.
  return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
}

export const procedureRoutes: FastifyPluginAsyncZod<{ registry: ProcedureRegistry }> = async (
  app,
  { registry },
) => {
  const summary = z.object({
    id: z.string(),
    version: z.number().int(),
    office: z.string(),
    officeLabel: z.string(),
    title: z.string(),
    description: z.string(),
    aktenzeichenCode: z.string(),
  });

  app.get(
    '/procedures',
    {
      schema: {
        tags: ['Verfahren'],
        summary: 'Alle Verfahren',
        response: { 200: z.object({ items: z.array(summary) }), ...standardErrors },
      },
    },
    async () => ({ items: registry.list().map(describe) }),
  );

  app.get(
    '/procedures/:id',
    {
      schema: {
        tags: ['Verfahren'],
        summary: 'Definition eines Verfahrens mit JSON Schema des Formulars',
        params: z.object({ id: z.string().max(64) }),
        response: {
          200: summary.extend({
            form: z.object({ sections: z.array(z.unknown()), jsonSchema: z.unknown() }),
            states: z.record(z.string(), z.object({ label: z.string(), final: z.boolean().optional() })),
            create: z.object({
              id: z.string(),
              label: z.string(),
              to: z.string(),
              roles: z.array(z.string()),
            }),
            actions: z.array(
              z.object({
                id: z.string(),
                label: z.string(),
                description: z.string().optional(),
                from: z.array(z.string()),
                to: z.string(),
                roles: z.array(z.string()),
                payloadJsonSchema: z.unknown().optional(),
                producesDocument: z.string().optional(),
              }),
            ),
            deadline: z.object({ label: z.string(), openIn: z.array(z.string()) }).nullable(),
            documents: z.array(
              z.object({ id: z.string(), title: z.string(), availableIn: z.array(z.string()) }),
            ),
            handover: z.array(
              z.object({ id: z.string(), title: z.string(), kind: z.string(), describe: z.string() }),
            ),
          }),
          ...standardErrors,
        },
      },
    },
    async (request) => {
      const def = registry.get(request.params.id);
      if (!def) throw notFound(`Das Verfahren „${request.params.id}"`);
      return {
        ...describe(def),
        form: { sections: def.form.sections, jsonSchema: jsonSchemaOf(def.form.schema) },
        states: def.states,
        create: { ...def.create, roles: [...def.create.roles] },
        actions: def.actions.map((a) => ({
          id: a.id,
          label: a.label,
          ...(a.description ? { description: a.description } : {}),
          from: [...a.from],
          to: a.to,
          roles: [...a.roles],
          ...(a.payload ? { payloadJsonSchema: jsonSchemaOf(a.payload) } : {}),
          ...(a.producesDocument ? { producesDocument: a.producesDocument } : {}),
        })),
        deadline: def.deadline ? { label: def.deadline.label, openIn: [...def.deadline.openIn] } : null,
        documents: def.documents.map((d) => ({ ...d, availableIn: [...d.availableIn] })),
        handover: def.handover,
      };
    },
  );
};
