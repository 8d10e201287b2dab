import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/types.js';
import { canRead, hasRole, type Principal } from '../access.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../idempotency.js';
import { newId } from '../ids.js';
import type { OfficeType } from '../offices.js';
import {
  batchHasPayments,
  PAYMENTS_CONTENT_TYPE,
  PAYMENTS_FORMAT_ID,
  paymentsCsv,
  paymentsFileName,
} from '../payments/handover.js';
import type { ProcedureRegistry } from '../procedure-registry.js';
import { foldForSearch } from '../text.js';
import type { Acknowledgement } from './acknowledgement.js';
import type { HandoverCase, HandoverContext, HandoverRegistry } from './format.js';

/**
 * Handover batches (generic for every procedure). A batch is created in one transaction that
 * claims the eligible cases (handover_claim has the case id as primary key: a case is in at most
 * one batch that is not rejected, also under concurrent exports). The files are then written
 * outside the transaction, streaming page by page, each hashed (SHA-256) while written, and a
 * manifest lists them. An acknowledgement marks cases as handed over or rejected; a rejected case
 * (or a rejected batch) releases its claim so that a later batch takes it again.
 */

export const PAGE_SIZE = 200;

export type BatchStatus =
  | 'in_arbeit'
  | 'exportiert'
  | 'teilweise_quittiert'
  | 'quittiert'
  | 'abgelehnt'
  | 'fehlgeschlagen';

export const BATCH_STATUS_LABELS: Record<BatchStatus, string> = {
  in_arbeit: 'Wird erstellt',
  exportiert: 'Exportiert, Quittung ausstehend',
  teilweise_quittiert: 'Teilweise quittiert',
  quittiert: 'Quittiert',
  abgelehnt: 'Abgelehnt',
  fehlgeschlagen: 'Export fehlgeschlagen',
};

export const CASE_HANDOVER_LABELS: Record<string, string> = {
  exportiert: 'Exportiert',
  uebergeben: 'Übergeben',
  abgelehnt: 'Abgelehnt',
};

export interface ManifestFile {
  name: string;
  formatId: string;
  contentType: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  batchId: string;
  procedureId: string;
  authorityAgs: string;
  createdAt: string;
  caseCount: number;
  files: ManifestFile[];
}

export interface BatchView {
  id: string;
  procedureId: string;
  authorityAgs: string;
  officeType: string;
  status: BatchStatus;
  statusLabel: string;
  caseCount: number;
  createdAt: string;
  completedAt: string | null;
  acknowledgedAt: string | null;
  rejectedAt: string | null;
  manifest: Manifest | null;
  files: Array<ManifestFile & { href: string }>;
  cases: Array<{
    caseId: string;
    aktenzeichen: string;
    status: string;
    statusLabel: string;
    note: string | null;
  }>;
}

export type Progress = (done: number, total: number, file: string) => void;

const temporaryDirs = new Set<string>();

/** DATA_DIR/handover, or NOTBETRIEB_HANDOVER_DIR; without either (tests) a temporary directory removed at exit. */
export function defaultHandoverDir(dataDir: string | undefined): string {
  if (process.env.NOTBETRIEB_HANDOVER_DIR) return path.resolve(process.env.NOTBETRIEB_HANDOVER_DIR);
  if (dataDir) return path.join(dataDir, 'handover');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notbetrieb-handover-'));
  if (temporaryDirs.size === 0) {
    process.once('exit', () => {
      for (const d of temporaryDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  temporaryDirs.add(dir);
  return dir;
}

/** Batches whose files this process is writing right now (a replayed request must not restart them). */
const writing = new Set<string>();

export interface HandoverServiceDeps {
  db: Kysely<Database>;
  registry: ProcedureRegistry;
  handovers: HandoverRegistry;
  installationId: string;
  dir: string;
  now: () => Date;
}

/** Writes text to a file as a stream, hashing what it writes; honours back-pressure. */
class HashedWriter {
  private readonly stream: fs.WriteStream;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private failed: Error | undefined;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.stream = fs.createWriteStream(file, { flags: 'wx' });
    this.stream.on('error', (e) => {
      this.failed = e;
    });
  }

  async write(text: string): Promise<void> {
    if (this.failed) throw this.failed;
    const buf = Buffer.from(text, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.stream.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('drain', resolve);
        this.stream.once('error', reject);
      });
    }
  }

  async end(): Promise<{ sha256: string; bytes: number }> {
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
    if (this.failed) throw this.failed;
    return { sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

export class HandoverService {
  constructor(private readonly deps: HandoverServiceDeps) {}

  private officeOf(procedureId: string): OfficeType {
    const def = this.deps.registry.get(procedureId);
    if (!def)
      throw new AppError(
        'UNKNOWN_PROCEDURE',
        'Verfahren unbekannt',
        `Ein Verfahren "${procedureId}" gibt es nicht.`,
      );
    return def.office;
  }

  /**
   * Creates a batch of all eligible, unclaimed cases of a procedure at an authority and writes its
   * files. Idempotent: the same key returns the same batch.
   */
  async export(
    principal: Principal,
    input: { procedureId: string; authorityAgs: string },
    idem: IdempotentRequest,
    onProgress?: Progress,
  ): Promise<IdempotentResult> {
    const office = this.officeOf(input.procedureId);
    const scope = { authorityAgs: input.authorityAgs, officeType: office };
    if (!hasRole(principal, scope, ['sachbearbeitung'])) {
      throw forbidden('Sie dürfen für dieses Amt keine Übergaben erstellen.');
    }
    const h = this.deps.handovers.get(input.procedureId);
    if (!h || h.formats.length === 0) {
      throw new AppError(
        'ACTION_NOT_ALLOWED',
        'Keine Übergabe vorgesehen',
        'Für dieses Verfahren ist keine Übergabe an ein Fachverfahren vorgesehen.',
      );
    }
    const result = await runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const id = newId();
        const nowIso = this.deps.now().toISOString();
        await trx
          .insertInto('handover_batch')
          .values({
            id,
            procedure_id: input.procedureId,
            authority_ags: input.authorityAgs,
            office_type: office,
            status: 'in_arbeit',
            case_count: 0,
            manifest: null,
            created_at: nowIso,
            created_by: principal.userId,
            completed_at: null,
            acknowledged_at: null,
            rejected_at: null,
          })
          .execute();
        // Claim every eligible case that no other live batch holds. ON CONFLICT DO NOTHING: a
        // concurrent export that claimed a case first keeps it.
        await trx
          .insertInto('handover_claim')
          .columns(['case_id', 'batch_id'])
          .expression((eb) =>
            eb
              .selectFrom('cases')
              .select(['cases.id', sql.lit(id).as('batch_id')])
              .where('cases.procedure_id', '=', input.procedureId)
              .where('cases.authority_ags', '=', input.authorityAgs)
              .where('cases.status', 'in', [...h.eligibleStates])
              .where(({ not, exists, selectFrom }) =>
                not(
                  exists(
                    selectFrom('handover_claim as hc')
                      .select('hc.case_id')
                      .whereRef('hc.case_id', '=', 'cases.id'),
                  ),
                ),
              ),
          )
          .onConflict((oc) => oc.column('case_id').doNothing())
          .execute();
        await trx
          .insertInto('handover_batch_case')
          .columns(['batch_id', 'case_id', 'position', 'status', 'note', 'updated_at'])
          .expression((eb) =>
            eb
              .selectFrom('handover_claim')
              .innerJoin('cases', 'cases.id', 'handover_claim.case_id')
              .select([
                sql.lit(id).as('batch_id'),
                'cases.id',
                sql<number>`cases.year * 1000000 + cases.seq`.as('position'),
                sql.lit('exportiert').as('status'),
                sql<null>`NULL`.as('note'),
                sql.lit(nowIso).as('updated_at'),
              ])
              .where('handover_claim.batch_id', '=', id),
          )
          .execute();
        const count = await trx
          .selectFrom('handover_batch_case')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('batch_id', '=', id)
          .executeTakeFirstOrThrow();
        const n = Number(count.n);
        if (n === 0) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Nichts zu übergeben',
            'Es gibt keine abgeschlossenen Vorgänge, die noch nicht übergeben oder in einer offenen Übergabe enthalten sind.',
          );
        }
        await trx.updateTable('handover_batch').set({ case_count: n }).where('id', '=', id).execute();
        return { statusCode: 201, body: { id } };
      },
    );
    const { id } = result.body as { id: string };
    await this.writeFiles(id, onProgress);
    return { ...result, body: await this.view(id) };
  }

  /** Writes the files of a batch that is still 'in_arbeit' (also resumes an interrupted one). */
  async writeFiles(batchId: string, onProgress?: Progress): Promise<void> {
    if (writing.has(batchId)) return;
    writing.add(batchId);
    try {
      await this.writeFilesOnce(batchId, onProgress);
    } finally {
      writing.delete(batchId);
    }
  }

  private async writeFilesOnce(batchId: string, onProgress?: Progress): Promise<void> {
    const batch = await this.deps.db
      .selectFrom('handover_batch')
      .selectAll()
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow();
    if (batch.status !== 'in_arbeit') return;
    const h = this.deps.handovers.get(batch.procedure_id);
    if (!h) throw new Error(`no handover for ${batch.procedure_id}`);
    const authority = await this.deps.db
      .selectFrom('authority')
      .select(['ags', 'name'])
      .where('ags', '=', batch.authority_ags)
      .executeTakeFirstOrThrow();
    const places = new Map<string, string>();
    for (const a of await this.deps.db.selectFrom('authority').select(['ags', 'name', 'kind']).execute()) {
      if (a.kind !== 'Kreis') places.set(foldForSearch(a.name), a.ags);
    }
    const ctx: HandoverContext = {
      batchId,
      createdAt: new Date(batch.created_at),
      authority,
      installationId: this.deps.installationId,
      agsForPlace: (name) => places.get(foldForSearch(name)),
    };
    const dir = path.join(this.deps.dir, batchId);
    // A previous attempt may have died half-way: start over.
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const files: ManifestFile[] = [];
    const total = batch.case_count;
    try {
      for (const f of h.formats) {
        let done = 0;
        if (f.layout === 'one-file') {
          const name = safeRelative(f.fileName(ctx));
          const w = new HashedWriter(path.join(dir, name));
          if (f.header) await w.write(f.header(ctx));
          for await (const c of this.casesOf(batchId)) {
            await w.write(f.entry(c, ctx));
            onProgress?.(++done, total, name);
          }
          if (f.footer) await w.write(f.footer(ctx));
          files.push({ name, formatId: f.formatId, contentType: f.contentType, ...(await w.end()) });
        } else {
          for await (const c of this.casesOf(batchId)) {
            const name = safeRelative(f.fileName(c, ctx));
            const w = new HashedWriter(path.join(dir, name));
            await w.write(f.render(c, ctx));
            files.push({ name, formatId: f.formatId, contentType: f.contentType, ...(await w.end()) });
            onProgress?.(++done, total, name);
          }
        }
      }
      // The payments of the batch's cases, for every procedure whose cases are paid (core/payments).
      if (await batchHasPayments(this.deps.db, batchId)) {
        const name = safeRelative(paymentsFileName(batch.authority_ags));
        const w = new HashedWriter(path.join(dir, name));
        for await (const text of paymentsCsv(this.deps.db, batchId)) await w.write(text);
        files.push({
          name,
          formatId: PAYMENTS_FORMAT_ID,
          contentType: PAYMENTS_CONTENT_TYPE,
          ...(await w.end()),
        });
      }
      const manifest: Manifest = {
        batchId,
        procedureId: batch.procedure_id,
        authorityAgs: batch.authority_ags,
        createdAt: batch.created_at,
        caseCount: total,
        files,
      };
      fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {
        flag: 'wx',
      });
      await this.deps.db
        .updateTable('handover_batch')
        .set({
          status: 'exportiert',
          manifest: JSON.stringify(manifest),
          completed_at: this.deps.now().toISOString(),
        })
        .where('id', '=', batchId)
        .where('status', '=', 'in_arbeit')
        .execute();
    } catch (err) {
      await this.deps.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('handover_claim').where('batch_id', '=', batchId).execute();
        await trx
          .updateTable('handover_batch')
          .set({ status: 'fehlgeschlagen' })
          .where('id', '=', batchId)
          .execute();
      });
      throw err;
    }
  }

  /** The cases of a batch, page by page (keyset), so that large batches never sit in memory. */
  private async *casesOf(batchId: string): AsyncGenerator<HandoverCase> {
    let after: { position: number; caseId: string } | undefined;
    for (;;) {
      let q = this.deps.db
        .selectFrom('handover_batch_case')
        .innerJoin('cases', 'cases.id', 'handover_batch_case.case_id')
        .select([
          'handover_batch_case.position',
          'cases.id',
          'cases.aktenzeichen',
          'cases.procedure_id',
          'cases.authority_ags',
          'cases.status',
          'cases.data',
          'cases.created_at',
          'cases.updated_at',
        ])
        .where('handover_batch_case.batch_id', '=', batchId);
      if (after) {
        const a = after;
        q = q.where((eb) =>
          eb.or([
            eb('handover_batch_case.position', '>', a.position),
            eb.and([eb('handover_batch_case.position', '=', a.position), eb('cases.id', '>', a.caseId)]),
          ]),
        );
      }
      const rows = await q
        .orderBy('handover_batch_case.position')
        .orderBy('cases.id')
        .limit(PAGE_SIZE)
        .execute();
      for (const r of rows) {
        yield {
          id: r.id,
          aktenzeichen: r.aktenzeichen,
          procedureId: r.procedure_id,
          authorityAgs: r.authority_ags,
          status: r.status,
          data: JSON.parse(r.data),
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        };
      }
      if (rows.length < PAGE_SIZE) return;
      const last = rows[rows.length - 1];
      if (!last) return;
      after = { position: Number(last.position), caseId: last.id };
    }
  }

  private async batchFor(principal: Principal, id: string, write: boolean) {
    const batch = await this.deps.db
      .selectFrom('handover_batch')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!batch) throw notFound('Die Übergabe');
    const scope = { authorityAgs: batch.authority_ags, officeType: batch.office_type as OfficeType };
    const ok = write ? hasRole(principal, scope, ['sachbearbeitung']) : canRead(principal, scope);
    if (!ok) throw forbidden('Diese Übergabe gehört zu einem Amt, für das Sie nicht berechtigt sind.');
    return batch;
  }

  async get(principal: Principal, id: string): Promise<BatchView> {
    await this.batchFor(principal, id, false);
    return this.view(id);
  }

  async list(principal: Principal, filter: { authorityAgs: string; procedureId?: string }) {
    const office = filter.procedureId ? this.officeOf(filter.procedureId) : undefined;
    const scopes = principal.grants.filter(
      (g) => g.authorityAgs === filter.authorityAgs && (!office || g.officeType === office),
    );
    if (scopes.length === 0) throw forbidden('Sie sind für die Übergaben dieser Behörde nicht berechtigt.');
    let q = this.deps.db
      .selectFrom('handover_batch')
      .select(['id', 'procedure_id', 'status', 'case_count', 'created_at', 'completed_at', 'acknowledged_at'])
      .where('authority_ags', '=', filter.authorityAgs)
      .where('office_type', 'in', [...new Set(scopes.map((s) => s.officeType))]);
    if (filter.procedureId) q = q.where('procedure_id', '=', filter.procedureId);
    const rows = await q.orderBy('created_at', 'desc').limit(200).execute();
    return rows.map((r) => ({
      id: r.id,
      procedureId: r.procedure_id,
      status: r.status,
      statusLabel: BATCH_STATUS_LABELS[r.status as BatchStatus] ?? r.status,
      caseCount: r.case_count,
      createdAt: r.created_at,
      completedAt: r.completed_at,
      acknowledgedAt: r.acknowledged_at,
    }));
  }

  /** Absolute path of a file of the batch, after checking it is listed in its manifest. */
  async filePath(
    principal: Principal,
    id: string,
    name: string,
  ): Promise<{ file: string; entry: ManifestFile }> {
    const batch = await this.batchFor(principal, id, false);
    const manifest = batch.manifest ? (JSON.parse(batch.manifest) as Manifest) : null;
    if (name === 'manifest.json' && manifest) {
      return {
        file: path.join(this.deps.dir, id, 'manifest.json'),
        entry: { name, formatId: 'manifest', contentType: 'application/json', sha256: '', bytes: 0 },
      };
    }
    const entry = manifest?.files.find((f) => f.name === name);
    if (!entry) throw notFound('Die Datei');
    return { file: path.join(this.deps.dir, id, entry.name), entry };
  }

  /** Imports an acknowledgement: all entries must belong to the batch, else nothing changes. */
  async acknowledge(
    principal: Principal,
    id: string,
    ack: Acknowledgement,
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    await this.batchFor(principal, id, true);
    if (ack.batchId && ack.batchId !== id) {
      throw new AppError(
        'VALIDATION_FAILED',
        'Quittung passt nicht',
        'Die Quittung gehört zu einer anderen Übergabe.',
        [{ path: 'acknowledgement/batchId', message: 'Andere Übergabe-ID.' }],
      );
    }
    const result = await runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const batch = await trx
          .selectFrom('handover_batch')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (!['exportiert', 'teilweise_quittiert'].includes(batch.status)) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Quittung nicht möglich',
            `Eine Übergabe im Status „${BATCH_STATUS_LABELS[batch.status as BatchStatus] ?? batch.status}" kann nicht quittiert werden.`,
          );
        }
        const members = await trx
          .selectFrom('handover_batch_case')
          .innerJoin('cases', 'cases.id', 'handover_batch_case.case_id')
          .select(['cases.id', 'cases.aktenzeichen', 'handover_batch_case.status'])
          .where('handover_batch_case.batch_id', '=', id)
          .execute();
        const byAz = new Map(members.map((m) => [m.aktenzeichen, m]));
        const unknown = ack.entries.filter((e) => !byAz.has(e.aktenzeichen)).map((e) => e.aktenzeichen);
        if (unknown.length > 0) {
          throw new AppError(
            'VALIDATION_FAILED',
            'Quittung passt nicht',
            `Diese Aktenzeichen gehören nicht zu dieser Übergabe: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}. Es wurde nichts geändert.`,
          );
        }
        const nowIso = this.deps.now().toISOString();
        let accepted = 0;
        let rejected = 0;
        for (const e of ack.entries) {
          const m = byAz.get(e.aktenzeichen);
          if (m?.status !== 'exportiert') continue;
          const status = e.status === 'uebernommen' ? 'uebergeben' : 'abgelehnt';
          await trx
            .updateTable('handover_batch_case')
            .set({ status, note: e.grund ?? null, updated_at: nowIso })
            .where('batch_id', '=', id)
            .where('case_id', '=', m.id)
            .execute();
          if (status === 'abgelehnt') {
            await trx
              .deleteFrom('handover_claim')
              .where('case_id', '=', m.id)
              .where('batch_id', '=', id)
              .execute();
            rejected++;
          } else accepted++;
        }
        const open = await trx
          .selectFrom('handover_batch_case')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('batch_id', '=', id)
          .where('status', '=', 'exportiert')
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('handover_batch')
          .set({
            status: Number(open.n) === 0 ? 'quittiert' : 'teilweise_quittiert',
            acknowledged_at: nowIso,
          })
          .where('id', '=', id)
          .execute();
        return { statusCode: 200, body: { accepted, rejected } };
      },
    );
    return { ...result, body: { ...(result.body as object), batch: await this.view(id) } };
  }

  /** Rejects a whole batch (e.g. the receiving side could not read it): its open cases are released. */
  async reject(
    principal: Principal,
    id: string,
    reason: string,
    idem: IdempotentRequest,
  ): Promise<IdempotentResult> {
    await this.batchFor(principal, id, true);
    const result = await runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const batch = await trx
          .selectFrom('handover_batch')
          .selectAll()
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        if (!['exportiert', 'teilweise_quittiert', 'fehlgeschlagen'].includes(batch.status)) {
          throw new AppError(
            'ACTION_NOT_ALLOWED',
            'Ablehnen nicht möglich',
            'Diese Übergabe kann nicht mehr abgelehnt werden.',
          );
        }
        const nowIso = this.deps.now().toISOString();
        await trx.deleteFrom('handover_claim').where('batch_id', '=', id).execute();
        await trx
          .updateTable('handover_batch_case')
          .set({ status: 'abgelehnt', note: reason, updated_at: nowIso })
          .where('batch_id', '=', id)
          .where('status', '=', 'exportiert')
          .execute();
        await trx
          .updateTable('handover_batch')
          .set({ status: 'abgelehnt', rejected_at: nowIso })
          .where('id', '=', id)
          .execute();
        return { statusCode: 200, body: { id } };
      },
    );
    return { ...result, body: await this.view(id) };
  }

  /** Handover history of one case (for the case page). */
  async historyOfCase(principal: Principal, caseId: string) {
    const row = await this.deps.db
      .selectFrom('cases')
      .select(['authority_ags', 'office_type'])
      .where('id', '=', caseId)
      .executeTakeFirst();
    if (!row) throw notFound('Der Vorgang');
    if (!canRead(principal, { authorityAgs: row.authority_ags, officeType: row.office_type as OfficeType })) {
      throw forbidden('Dieser Vorgang gehört zu einem Amt, für das Sie nicht berechtigt sind.');
    }
    const rows = await this.deps.db
      .selectFrom('handover_batch_case')
      .innerJoin('handover_batch', 'handover_batch.id', 'handover_batch_case.batch_id')
      .select([
        'handover_batch.id',
        'handover_batch.created_at',
        'handover_batch_case.status',
        'handover_batch_case.note',
      ])
      .where('handover_batch_case.case_id', '=', caseId)
      .orderBy('handover_batch.created_at')
      .execute();
    return rows.map((r) => ({
      batchId: r.id,
      createdAt: r.created_at,
      status: r.status,
      statusLabel: CASE_HANDOVER_LABELS[r.status] ?? r.status,
      note: r.note,
    }));
  }

  private async view(id: string): Promise<BatchView> {
    const b = await this.deps.db
      .selectFrom('handover_batch')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    const cases = await this.deps.db
      .selectFrom('handover_batch_case')
      .innerJoin('cases', 'cases.id', 'handover_batch_case.case_id')
      .select(['cases.id', 'cases.aktenzeichen', 'handover_batch_case.status', 'handover_batch_case.note'])
      .where('handover_batch_case.batch_id', '=', id)
      .orderBy('handover_batch_case.position')
      .orderBy('cases.id')
      .limit(10_000)
      .execute();
    const manifest = b.manifest ? (JSON.parse(b.manifest) as Manifest) : null;
    return {
      id: b.id,
      procedureId: b.procedure_id,
      authorityAgs: b.authority_ags,
      officeType: b.office_type,
      status: b.status as BatchStatus,
      statusLabel: BATCH_STATUS_LABELS[b.status as BatchStatus] ?? b.status,
      caseCount: b.case_count,
      createdAt: b.created_at,
      completedAt: b.completed_at,
      acknowledgedAt: b.acknowledged_at,
      rejectedAt: b.rejected_at,
      manifest,
      files: (manifest?.files ?? []).map((f) => ({
        ...f,
        href: `/api/handover/batches/${b.id}/files/${encodeURIComponent(f.name)}`,
      })),
      cases: cases.map((c) => ({
        caseId: c.id,
        aktenzeichen: c.aktenzeichen,
        status: c.status,
        statusLabel: CASE_HANDOVER_LABELS[c.status] ?? c.status,
        note: c.note,
      })),
    };
  }
}

/** A relative path inside the batch directory: no absolute paths, no "..". */
function safeRelative(name: string): string {
  const norm = path.posix.normalize(name);
  if (
    norm.startsWith('/') ||
    norm.startsWith('..') ||
    norm.includes('\0') ||
    !/^[A-Za-z0-9._/-]+$/.test(norm)
  ) {
    throw new Error(`unsafe handover file name ${name}`);
  }
  return norm;
}
