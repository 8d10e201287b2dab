import type { Kysely } from 'kysely';
import type { Principal } from '../../../core/access.js';
import { AppError, notFound, validationFailed } from '../../../core/errors.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../../../core/idempotency.js';
import { newId } from '../../../core/ids.js';
import type { Database } from '../../../db/types.js';
import { LOG_ART_LABELS, type LogArt, type LogInput } from '../katalog.js';
import { requireCrisisTeam } from './access.js';

/**
 * The crisis team's log (Lagelog): reports (Meldungen), decisions (Entscheidungen) and tasks
 * (Aufgaben, with owner and due date). Append-only like case actions: an entry is never changed
 * or deleted (database triggers refuse it); a task is closed by an append-only "done" row. For the
 * crisis team only. Entries are the team's own text: the form asks not to enter citizens' names.
 */
export interface LogView {
  id: string;
  authorityAgs: string | null;
  authorityName: string | null;
  art: LogArt;
  artLabel: string;
  titel: string;
  text: string | null;
  zustaendig: string | null;
  faelligAm: string | null;
  createdAt: string;
  createdByName: string;
  erledigtAm: string | null;
  erledigtVon: string | null;
}

export interface LogFilter {
  authorityAgs?: string | undefined;
  nurOffen?: boolean | undefined;
  seit?: string | undefined;
  limit?: number | undefined;
}

export class LogService {
  constructor(private readonly deps: { db: Kysely<Database>; now: () => Date }) {}

  async list(principal: Principal, filter: LogFilter): Promise<LogView[]> {
    requireCrisisTeam(principal);
    return this.read(filter);
  }

  /** Reads without a principal (the snapshot, which runs as the server). */
  async read(filter: LogFilter): Promise<LogView[]> {
    let q = this.deps.db
      .selectFrom('krisenstab_log as l')
      .leftJoin('krisenstab_log_erledigt as e', 'e.log_id', 'l.id')
      .leftJoin('authority as a', 'a.ags', 'l.authority_ags')
      .select([
        'l.id',
        'l.authority_ags',
        'a.name as authority_name',
        'l.art',
        'l.titel',
        'l.text',
        'l.zustaendig',
        'l.faellig_am',
        'l.created_at',
        'l.created_by_name',
        'e.done_at',
        'e.done_by_name',
      ]);
    if (filter.authorityAgs) q = q.where('l.authority_ags', '=', filter.authorityAgs);
    if (filter.nurOffen) q = q.where('l.art', '=', 'aufgabe').where('e.done_at', 'is', null);
    if (filter.seit) q = q.where('l.created_at', '>=', filter.seit);
    const rows = await q
      .orderBy('l.created_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(filter.limit ?? 200)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      authorityAgs: r.authority_ags,
      authorityName: r.authority_name ?? null,
      art: r.art as LogArt,
      artLabel: LOG_ART_LABELS[r.art as LogArt] ?? r.art,
      titel: r.titel,
      text: r.text,
      zustaendig: r.zustaendig,
      faelligAm: r.faellig_am,
      createdAt: r.created_at,
      createdByName: r.created_by_name,
      erledigtAm: r.done_at ?? null,
      erledigtVon: r.done_by_name ?? null,
    }));
  }

  async add(principal: Principal, input: LogInput, idem: IdempotentRequest): Promise<IdempotentResult> {
    requireCrisisTeam(principal);
    if (input.authorityAgs) {
      const a = await this.deps.db
        .selectFrom('authority')
        .select('ags')
        .where('ags', '=', input.authorityAgs)
        .executeTakeFirst();
      if (!a)
        throw validationFailed([
          { path: 'authorityAgs', message: 'Behörde: unbekannter Gemeindeschlüssel.' },
        ]);
    }
    const nowIso = this.deps.now().toISOString();
    const id = newId();
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        await trx
          .insertInto('krisenstab_log')
          .values({
            id,
            authority_ags: input.authorityAgs ?? null,
            art: input.art,
            titel: input.titel,
            text: input.text ?? null,
            zustaendig: input.zustaendig ?? null,
            faellig_am: input.faelligAm ?? null,
            created_at: nowIso,
            created_by: principal.userId,
            created_by_name: principal.displayName,
          })
          .execute();
        return { statusCode: 201, body: { id } };
      },
    );
  }

  async complete(principal: Principal, id: string, idem: IdempotentRequest): Promise<IdempotentResult> {
    requireCrisisTeam(principal);
    const entry = await this.deps.db
      .selectFrom('krisenstab_log')
      .select(['id', 'art'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!entry) throw notFound('Der Eintrag');
    if (entry.art !== 'aufgabe') {
      throw new AppError('ACTION_NOT_ALLOWED', 'Keine Aufgabe', 'Nur Aufgaben können erledigt werden.');
    }
    const nowIso = this.deps.now().toISOString();
    return runIdempotent(
      this.deps.db,
      idem,
      () => nowIso,
      async (trx) => {
        const done = await trx
          .insertInto('krisenstab_log_erledigt')
          .values({
            log_id: id,
            done_at: nowIso,
            done_by: principal.userId,
            done_by_name: principal.displayName,
          })
          .onConflict((oc) => oc.column('log_id').doNothing())
          .returning('log_id')
          .executeTakeFirst();
        if (!done) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Bereits erledigt',
            'Diese Aufgabe ist bereits als erledigt vermerkt.',
          );
        }
        return { statusCode: 200, body: { id, erledigtAm: nowIso } };
      },
    );
  }
}
