import { z } from 'zod';
import { AppError } from '../errors.js';
import { splitCsvLine } from './csv.js';

/**
 * Acknowledgement of a handover batch by the receiving software (or by the clerk who re-keyed
 * it): per case "uebernommen" (taken over) or "abgelehnt" (rejected, with a reason). Accepted as
 * JSON ({ batchId, entries: [{ aktenzeichen, status, grund? }] }) or CSV with the header
 * `aktenzeichen;status;grund` (semicolon, UTF-8, optional BOM).
 */
export const ackEntrySchema = z
  .object({
    aktenzeichen: z.string().trim().min(1).max(40),
    status: z.enum(['uebernommen', 'abgelehnt'], { error: 'Status: „uebernommen" oder „abgelehnt".' }),
    grund: z.string().trim().max(500).optional(),
  })
  .strict();

export const ackSchema = z
  .object({
    batchId: z.uuid('Keine gültige Übergabe-ID.').optional(),
    entries: z.array(ackEntrySchema).min(1, 'Die Quittung enthält keine Einträge.').max(100_000),
  })
  .strict();

export type Acknowledgement = z.output<typeof ackSchema>;

const invalid = (detail: string) =>
  new AppError('VALIDATION_FAILED', 'Quittung nicht lesbar', detail, [
    { path: 'acknowledgement', message: detail },
  ]);

/** Parses an acknowledgement file (JSON or CSV). */
export function parseAcknowledgement(text: string): Acknowledgement {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw invalid('Die Datei ist kein gültiges JSON.');
    }
    return validate(json);
  }
  const lines = body.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim().toLowerCase());
  if (header[0] !== 'aktenzeichen' || header[1] !== 'status') {
    throw invalid('Die CSV-Datei braucht die Kopfzeile „aktenzeichen;status;grund".');
  }
  const entries = lines.slice(1).map((l) => {
    const [aktenzeichen, status, grund] = splitCsvLine(l);
    return { aktenzeichen, status, ...(grund ? { grund } : {}) };
  });
  return validate({ entries });
}

function validate(value: unknown): Acknowledgement {
  const parsed = ackSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalid(`${first?.path.join('/') ?? ''}: ${first?.message ?? 'ungültig'}`);
  }
  return parsed.data;
}
