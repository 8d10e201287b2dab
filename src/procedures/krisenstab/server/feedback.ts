import type { Kysely } from 'kysely';
import { hasRole, type Principal } from '../../../core/access.js';
import { forbidden } from '../../../core/errors.js';
import { newId } from '../../../core/ids.js';
import { OFFICE_TYPES } from '../../../core/offices.js';
import type { DialectName } from '../../../db/database.js';
import { writeTransaction } from '../../../db/group-commit.js';
import type { Database } from '../../../db/types.js';
import { hasControlCharacter } from '../katalog.js';
import { addressWait, lockAddress, recordAttempt } from './address-throttle.js';
import { addressSubject, rateLimited } from './appointments.js';
import type { KrisenstabConfig } from './config.js';

/**
 * Feedback on accessibility (Barriere melden): the electronic contact form the accessibility
 * statement links to (BITV NRW). Citizens send it without login (throttled per address like
 * bookings); it may hold a contact, so only the Amtsleitung of the authority reads it (each read
 * is in the audit log), never the crisis team; it is deleted a configurable number of days after
 * it came in.
 */
export interface FeedbackInput {
  seite: string | null;
  nachricht: string;
  kontakt: string | null;
}

export function validateFeedback(body: unknown): {
  input: FeedbackInput | null;
  state: { seite: string; nachricht: string; kontakt: string; errors: Record<string, string> };
} {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const str = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : '');
  const state = {
    seite: str(b.seite, 400),
    nachricht: str(b.nachricht, 5000),
    kontakt: str(b.kontakt, 400),
    errors: {} as Record<string, string>,
  };
  const nachricht = state.nachricht.trim();
  const seite = state.seite.trim();
  const kontakt = state.kontakt.trim();
  if (nachricht.length < 10)
    state.errors.nachricht = 'Nachricht: Bitte beschreiben Sie die Barriere (mindestens 10 Zeichen).';
  else if (nachricht.length > 2000) state.errors.nachricht = 'Nachricht: höchstens 2000 Zeichen.';
  else if (hasControlCharacter(nachricht, true))
    state.errors.nachricht = 'Nachricht: enthält unzulässige Steuerzeichen.';
  if (seite.length > 200 || hasControlCharacter(seite))
    state.errors.seite = 'Seite: höchstens 200 Zeichen, ohne Steuerzeichen.';
  if (kontakt.length > 200 || hasControlCharacter(kontakt))
    state.errors.kontakt = 'Kontakt: höchstens 200 Zeichen, ohne Steuerzeichen.';
  const ok = Object.keys(state.errors).length === 0;
  return { input: ok ? { seite: seite || null, nachricht, kontakt: kontakt || null } : null, state };
}

export class FeedbackService {
  constructor(
    private readonly deps: {
      db: Kysely<Database>;
      dialect: DialectName;
      now: () => Date;
      config: KrisenstabConfig;
      installationId: string;
    },
  ) {}

  async submit(ags: string, input: FeedbackInput, clientAddress: string): Promise<void> {
    const subject = addressSubject(this.deps.installationId, clientAddress);
    const now = this.deps.now();
    await writeTransaction(this.deps.db, async (trx) => {
      await lockAddress(trx, this.deps.dialect, subject);
      const wait = await addressWait(trx, {
        art: 'rueckmeldung',
        subject,
        limit: this.deps.config.buchungenJeAdresse,
        windowMs: this.deps.config.drosselMinuten * 60_000,
        now,
      });
      if (wait > 0) throw rateLimited(wait, 'Rückmeldungen');
      await trx
        .insertInto('krisenstab_rueckmeldung')
        .values({ id: newId(), authority_ags: ags, created_at: now.toISOString(), ...input })
        .execute();
      await recordAttempt(trx, 'rueckmeldung', subject, now.toISOString());
    });
  }

  /** The authority's feedback, newest first: the Amtsleitung of any of its offices. */
  async list(principal: Principal, ags: string) {
    const allowed = OFFICE_TYPES.some((officeType) =>
      hasRole(principal, { authorityAgs: ags, officeType }, ['leitung']),
    );
    if (!allowed) throw forbidden('Rückmeldungen zur Barrierefreiheit liest die Amtsleitung der Behörde.');
    const rows = await this.deps.db
      .selectFrom('krisenstab_rueckmeldung')
      .selectAll()
      .where('authority_ags', '=', ags)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      seite: r.seite,
      nachricht: r.nachricht,
      kontakt: r.kontakt,
      createdAt: r.created_at,
    }));
  }

  async purge(): Promise<number> {
    const cutoff = new Date(
      this.deps.now().getTime() - this.deps.config.rueckmeldungLoeschfristTage * 86_400_000,
    );
    const r = await this.deps.db
      .deleteFrom('krisenstab_rueckmeldung')
      .where('created_at', '<', cutoff.toISOString())
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
