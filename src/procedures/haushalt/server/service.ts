import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canRead, hasRole, type Principal } from '../../../core/access.js';
import type { InTransactionHook } from '../../../core/cases/service.js';
import { todayInGermany } from '../../../core/dates.js';
import {
  type AppError,
  type FieldError,
  forbidden,
  notFound,
  validationFailed,
} from '../../../core/errors.js';
import { type IdempotentRequest, type IdempotentResult, runIdempotent } from '../../../core/idempotency.js';
import type { Database } from '../../../db/types.js';
import { EDITABLE_STATES } from '../haushaltsplan.js';
import {
  BETRAG_SPALTEN,
  type Betraege,
  type HaushaltsZeile,
  PLAN_LABELS,
  type Plan,
  PRODUKTBEREICHE,
  positionOf,
  spaltenTitel,
  zeilenSchluessel,
} from '../katalog.js';
import { type Gesamtplan, gesamtplan, type TeilplanSumme, teilplanSummen } from '../totals.js';
import { readBudgetCsv, writeBudgetCsv } from './csv.js';
import { renderGesamtplanPdf } from './pdf.js';
import {
  findPlan,
  insertVersion,
  linesOf,
  type PlanRecord,
  plansOf,
  type VersionRecord,
  versionOf,
  versionsOf,
} from './repository.js';
import { readBudgetXlsx, writeBudgetXlsx } from './xlsx.js';
import { checkRows, MAX_ERRORS, type RawCell, type RawRow, type Spalte } from './zeilen.js';

/**
 * The budget plans of the Kämmerei: read (plan with its versions and totals, lines of a Teilplan,
 * diff of two versions), write (a new version from an XLSX/CSV file or from edited lines —
 * idempotent, all-or-nothing, audited in the same transaction), export (XLSX, CSV, PDF).
 * Permissions: reading needs any role at the authority's Kämmerei (the Bürgermeister and the
 * Ratsbüro read what they approve), writing the Sachbearbeitung (or Amtsleitung).
 */

export interface Actor {
  userId: string;
  displayName: string;
}

const OFFICE = 'kaemmerei' as const;

export function requireRead(principal: Principal, authorityAgs: string): void {
  if (!canRead(principal, { authorityAgs, officeType: OFFICE })) {
    throw forbidden('Haushaltspläne sieht nur die Kämmerei der Behörde (und wer dort eine Rolle hat).');
  }
}

function requireWrite(principal: Principal, authorityAgs: string): void {
  if (!hasRole(principal, { authorityAgs, officeType: OFFICE }, ['sachbearbeitung'])) {
    throw forbidden('Fassungen des Haushaltsplans legt die Sachbearbeitung der Kämmerei an.');
  }
}

export interface PlanSummary {
  caseId: string;
  aktenzeichen: string;
  authorityAgs: string;
  authorityName: string;
  haushaltsjahr: number;
  status: string;
  statusLabel: string;
  caseVersion: number;
  deadline: string | null;
  latestVersion: number;
  frozen: boolean;
  editable: boolean;
  fassung: { nummer: number; sha256: string; zeilen: number } | null;
}

function summaryOf(p: PlanRecord): PlanSummary {
  return {
    caseId: p.caseId,
    aktenzeichen: p.aktenzeichen,
    authorityAgs: p.authorityAgs,
    authorityName: p.authorityName,
    haushaltsjahr: p.haushaltsjahr,
    status: p.status,
    statusLabel: p.statusLabel,
    caseVersion: p.caseVersion,
    deadline: p.deadline,
    latestVersion: p.latestVersion,
    frozen: p.frozen,
    editable: !p.frozen && EDITABLE_STATES.includes(p.status),
    fassung: p.data.fassung ?? null,
  };
}

export interface PlanView extends PlanSummary {
  spalten: Record<(typeof BETRAG_SPALTEN)[number], string>;
  versions: VersionRecord[];
  /** The version shown (the newest unless asked for another), null before the first import. */
  shown: VersionRecord | null;
  gesamtplan: Gesamtplan | null;
  teilplaene: TeilplanSumme[];
}

export interface ImportInput {
  format: 'xlsx' | 'csv';
  fileName: string;
  /** XLSX: base64 of the file; CSV: its text. */
  content: string;
  basedOnVersion: number;
  note?: string | undefined;
}

export interface EditInput {
  basedOnVersion: number;
  note?: string | undefined;
  upsert: Array<Omit<HaushaltsZeile, 'erlaeuterung'> & { erlaeuterung?: string | null | undefined }>;
  remove: Array<{ produkt: string; plan: Plan; position: number }>;
}

export interface DiffLine {
  schluessel: string;
  art: 'neu' | 'entfernt' | 'geaendert';
  produktbereich: string;
  produkt: string;
  produktName: string;
  plan: Plan;
  position: number;
  positionLabel: string;
  vorher: (Betraege & { erlaeuterung: string | null }) | null;
  nachher: (Betraege & { erlaeuterung: string | null }) | null;
  /** Changed fields (amount columns, Erläuterung, names). */
  felder: string[];
}

export interface DiffView {
  from: number;
  to: number;
  lines: DiffLine[];
  truncated: boolean;
  counts: { neu: number; entfernt: number; geaendert: number };
  /** Results of both versions side by side: Jahresergebnis and Finanzmittelsaldo per column. */
  ergebnisse: Array<{ id: string; label: string; vorher: Betraege; nachher: Betraege }>;
}

const MAX_DIFF_LINES = 2_000;

function rowsOfZeilen(
  zeilen: readonly EditInput['upsert'][number][],
  label: (i: number) => string,
): RawRow[] {
  return zeilen.map((z, i) => {
    const cells: Partial<Record<Spalte, RawCell>> = {
      produktbereich: z.produktbereich,
      produktgruppe: z.produktgruppe,
      produktgruppeName: z.produktgruppeName,
      produkt: z.produkt,
      produktName: z.produktName,
      plan: z.plan,
      position: z.position,
      erlaeuterung: z.erlaeuterung ?? null,
    };
    for (const c of BETRAG_SPALTEN) cells[c] = z[c] / 100;
    return { sheet: null, row: i + 1, cells, label: label(i) };
  });
}

export class HaushaltService {
  constructor(private readonly deps: { db: Kysely<Database>; now: () => Date }) {}

  private async plan(principal: Principal, caseId: string): Promise<PlanRecord> {
    const plan = await findPlan(this.deps.db, caseId);
    if (!plan) throw notFound('Der Haushaltsplan');
    requireRead(principal, plan.authorityAgs);
    return plan;
  }

  async list(principal: Principal, authorityAgs: string): Promise<PlanSummary[]> {
    requireRead(principal, authorityAgs);
    return (await plansOf(this.deps.db, authorityAgs)).map(summaryOf);
  }

  async view(principal: Principal, caseId: string, versionNo?: number): Promise<PlanView> {
    const plan = await this.plan(principal, caseId);
    const versions = await versionsOf(this.deps.db, caseId);
    const shown =
      versionNo === undefined
        ? (versions[0] ?? null)
        : (versions.find((v) => v.versionNo === versionNo) ?? null);
    if (versionNo !== undefined && !shown) throw notFound(`Die Fassung ${versionNo}`);
    const zeilen = shown ? await linesOf(this.deps.db, shown.id) : [];
    return {
      ...summaryOf(plan),
      spalten: spaltenTitel(plan.haushaltsjahr),
      versions,
      shown,
      gesamtplan: shown ? gesamtplan(zeilen) : null,
      teilplaene: teilplanSummen(zeilen),
    };
  }

  private async version(principal: Principal, caseId: string, versionNo: number) {
    const plan = await this.plan(principal, caseId);
    const version = await versionOf(this.deps.db, caseId, versionNo);
    if (!version) throw notFound(`Die Fassung ${versionNo}`);
    return { plan, version };
  }

  async lines(principal: Principal, caseId: string, versionNo: number, produktbereich: string) {
    const { plan, version } = await this.version(principal, caseId, versionNo);
    const zeilen = await linesOf(this.deps.db, version.id, produktbereich);
    return {
      haushaltsjahr: plan.haushaltsjahr,
      versionNo,
      produktbereich,
      name: PRODUKTBEREICHE[produktbereich as keyof typeof PRODUKTBEREICHE],
      spalten: spaltenTitel(plan.haushaltsjahr),
      items: zeilen.map((z) => ({ ...z, positionLabel: positionOf(z.plan, z.position)?.label ?? '' })),
    };
  }

  /** A new version from a file: checked completely first, then written in one transaction. */
  async importFile(
    principal: Principal,
    caseId: string,
    input: ImportInput,
    idem: IdempotentRequest,
    inTransaction: InTransactionHook,
  ): Promise<IdempotentResult> {
    const plan = await this.plan(principal, caseId);
    requireWrite(principal, plan.authorityAgs);
    const bytes = input.format === 'xlsx' ? Buffer.from(input.content, 'base64') : Buffer.from(input.content);
    if (input.format === 'xlsx' && !/^[A-Za-z0-9+/]*={0,2}$/.test(input.content.replace(/\s/g, ''))) {
      throw validationFailed(
        [{ path: 'body/content', message: 'Der Dateiinhalt ist nicht Base64-kodiert.' }],
        'Die Datei konnte nicht gelesen werden.',
      );
    }
    const read =
      input.format === 'xlsx'
        ? await readBudgetXlsx(bytes, plan.haushaltsjahr)
        : { ...readBudgetCsv(input.content, plan.haushaltsjahr), ignoredSheets: [] };
    const checked =
      read.errors.length === 0
        ? checkRows(read.rows, plan.haushaltsjahr)
        : { zeilen: [], errors: read.errors, moreErrors: 0 };
    if (checked.errors.length) throw importRefused(checked.errors, checked.moreErrors);
    if (checked.zeilen.length === 0) {
      throw importRefused([{ path: 'datei', message: 'Die Datei enthält keine Zeilen.' }], 0);
    }
    const sourceSha256 = createHash('sha256').update(bytes).digest('hex');
    return this.write(principal, plan, idem, inTransaction, checked.zeilen, {
      basedOn: input.basedOnVersion,
      source: input.format,
      sourceName: input.fileName,
      sourceSha256,
      note: input.note ?? null,
      extra: { ignoredSheets: read.ignoredSheets },
    });
  }

  /** A new version from the previous one with some lines changed, added or removed. */
  async edit(
    principal: Principal,
    caseId: string,
    input: EditInput,
    idem: IdempotentRequest,
    inTransaction: InTransactionHook,
  ): Promise<IdempotentResult> {
    const plan = await this.plan(principal, caseId);
    requireWrite(principal, plan.authorityAgs);
    const base =
      input.basedOnVersion > 0 ? await versionOf(this.deps.db, caseId, input.basedOnVersion) : null;
    if (input.basedOnVersion > 0 && !base) throw notFound(`Die Fassung ${input.basedOnVersion}`);
    const current = base ? await linesOf(this.deps.db, base.id) : [];
    const byKey = new Map(current.map((z, i) => [zeilenSchluessel(z), i]));
    const errors: FieldError[] = [];
    const removed = new Set<number>();
    input.remove.forEach((k, i) => {
      const at = byKey.get(zeilenSchluessel(k));
      if (at === undefined) {
        errors.push({
          path: `body/remove/${i}`,
          message: `Zu entfernen: Produkt ${k.produkt}, ${PLAN_LABELS[k.plan]} Zeile ${k.position} gibt es in Fassung ${input.basedOnVersion} nicht.`,
        });
      } else removed.add(at);
    });
    if (errors.length) throw validationFailed(errors);
    const merged: EditInput['upsert'] = current.map((z) => ({ ...z }));
    const labels: string[] = current.map(
      (z) => `Bestehende Zeile Produkt ${z.produkt}, ${PLAN_LABELS[z.plan]} ${z.position}`,
    );
    input.upsert.forEach((z, i) => {
      const at = byKey.get(zeilenSchluessel(z));
      if (at !== undefined && !removed.has(at)) {
        merged[at] = z;
        labels[at] = `Änderung ${i + 1}`;
      } else {
        merged.push(z);
        labels.push(`Änderung ${i + 1}`);
      }
    });
    const kept = merged.map((z, i) => [z, labels[i] as string] as const).filter((_x, i) => !removed.has(i));
    const checked = checkRows(
      rowsOfZeilen(
        kept.map(([z]) => z),
        (i) => kept[i]?.[1] ?? '',
      ),
      plan.haushaltsjahr,
    );
    if (checked.errors.length) throw validationFailed(checked.errors);
    return this.write(principal, plan, idem, inTransaction, checked.zeilen, {
      basedOn: input.basedOnVersion,
      source: 'bearbeitung',
      sourceName: null,
      sourceSha256: null,
      note: input.note ?? null,
      extra: {},
    });
  }

  private write(
    principal: Principal,
    plan: PlanRecord,
    idem: IdempotentRequest,
    inTransaction: InTransactionHook,
    zeilen: HaushaltsZeile[],
    v: {
      basedOn: number;
      source: VersionRecord['source'];
      sourceName: string | null;
      sourceSha256: string | null;
      note: string | null;
      extra: Record<string, unknown>;
    },
  ): Promise<IdempotentResult> {
    return runIdempotent(
      this.deps.db,
      idem,
      () => this.deps.now().toISOString(),
      async (trx) => {
        const version = await insertVersion(
          trx,
          {
            caseId: plan.caseId,
            basedOn: v.basedOn,
            source: v.source,
            sourceName: v.sourceName,
            sourceSha256: v.sourceSha256,
            note: v.note,
            actor: { userId: principal.userId, displayName: principal.displayName },
            now: this.deps.now(),
          },
          zeilen,
        );
        const body = {
          version,
          gesamtplan: gesamtplan(zeilen),
          teilplaene: teilplanSummen(zeilen),
          ...v.extra,
        };
        await inTransaction(trx, 201, { planId: plan.caseId, versionId: version.id });
        return { statusCode: 201, body };
      },
    );
  }

  async diff(principal: Principal, caseId: string, from: number, to: number): Promise<DiffView> {
    const a = await this.version(principal, caseId, from);
    const b = await versionOf(this.deps.db, caseId, to);
    if (!b) throw notFound(`Die Fassung ${to}`);
    const before = await linesOf(this.deps.db, a.version.id);
    const after = await linesOf(this.deps.db, b.id);
    const old = new Map(before.map((z) => [zeilenSchluessel(z), z]));
    const lines: DiffLine[] = [];
    const counts = { neu: 0, entfernt: 0, geaendert: 0 };
    const amounts = (z: HaushaltsZeile) =>
      ({
        ...Object.fromEntries(BETRAG_SPALTEN.map((c) => [c, z[c]])),
        erlaeuterung: z.erlaeuterung,
      }) as Betraege & { erlaeuterung: string | null };
    const push = (d: DiffLine) => {
      counts[d.art]++;
      if (lines.length < MAX_DIFF_LINES) lines.push(d);
    };
    const describe = (z: HaushaltsZeile) => ({
      schluessel: zeilenSchluessel(z),
      produktbereich: z.produktbereich,
      produkt: z.produkt,
      produktName: z.produktName,
      plan: z.plan,
      position: z.position,
      positionLabel: positionOf(z.plan, z.position)?.label ?? '',
    });
    for (const z of after) {
      const k = zeilenSchluessel(z);
      const o = old.get(k);
      old.delete(k);
      if (!o) {
        push({ ...describe(z), art: 'neu', vorher: null, nachher: amounts(z), felder: [] });
        continue;
      }
      const felder = [
        ...BETRAG_SPALTEN.filter((c) => o[c] !== z[c]),
        ...(
          ['erlaeuterung', 'produktName', 'produktgruppe', 'produktgruppeName', 'produktbereich'] as const
        ).filter((c) => o[c] !== z[c]),
      ];
      if (felder.length)
        push({ ...describe(z), art: 'geaendert', vorher: amounts(o), nachher: amounts(z), felder });
    }
    for (const o of old.values())
      push({ ...describe(o), art: 'entfernt', vorher: amounts(o), nachher: null, felder: [] });
    const ga = gesamtplan(before);
    const gb = gesamtplan(after);
    const pick = (rows: Gesamtplan['ergebnisplan'], id: string) => {
      const r = rows.find((x) => x.id === id);
      return Object.fromEntries(BETRAG_SPALTEN.map((c) => [c, r?.[c] ?? 0])) as Betraege;
    };
    const ergebnisse = [
      ['ordentlichesErgebnis', 'Ordentliches Ergebnis', 'ergebnisplan'],
      ['jahresergebnis', 'Jahresergebnis', 'ergebnisplan'],
      ['aenderungFinanzmittel', 'Änderung des Bestands an Finanzmitteln', 'finanzplan'],
    ].map(([id, label, plan]) => ({
      id: id as string,
      label: label as string,
      vorher: pick(ga[plan as keyof Gesamtplan], id as string),
      nachher: pick(gb[plan as keyof Gesamtplan], id as string),
    }));
    return {
      from,
      to,
      lines,
      truncated: lines.length < counts.neu + counts.entfernt + counts.geaendert,
      counts,
      ergebnisse,
    };
  }

  async exportFile(principal: Principal, caseId: string, versionNo: number, format: 'xlsx' | 'csv' | 'pdf') {
    const { plan, version } = await this.version(principal, caseId, versionNo);
    const zeilen = await linesOf(this.deps.db, version.id);
    const base = `haushaltsplan-${plan.haushaltsjahr}-${plan.authorityAgs}-fassung-${versionNo}`;
    const meta = {
      authorityName: plan.authorityName,
      authorityAgs: plan.authorityAgs,
      haushaltsjahr: plan.haushaltsjahr,
      versionNo,
      statusLabel:
        plan.data.fassung?.nummer === versionNo
          ? plan.statusLabel
          : plan.latestVersion === versionNo
            ? 'Entwurf'
            : 'Frühere Fassung',
      createdAt: this.deps.now(),
    };
    if (format === 'csv') {
      return {
        body: Buffer.from(writeBudgetCsv(plan.haushaltsjahr, zeilen), 'utf8'),
        contentType: 'text/csv; charset=utf-8',
        fileName: `${base}.csv`,
      };
    }
    if (format === 'xlsx') {
      return {
        body: await writeBudgetXlsx(meta, zeilen, gesamtplan(zeilen)),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `${base}.xlsx`,
      };
    }
    return {
      body: await renderGesamtplanPdf(
        {
          ...meta,
          aktenzeichen: plan.aktenzeichen,
          caseId: plan.caseId,
          contentSha256: version.contentSha256,
          today: todayInGermany(this.deps.now()),
        },
        gesamtplan(zeilen),
        teilplanSummen(zeilen),
      ),
      contentType: 'application/pdf',
      fileName: `${base}.pdf`,
    };
  }
}

function importRefused(errors: FieldError[], more: number): AppError {
  const shown = errors.slice(0, MAX_ERRORS);
  const extra = more + errors.length - shown.length;
  return validationFailed(
    shown,
    `Die Datei wurde nicht eingelesen: ${errors.length + more === 1 ? 'ein Fehler' : `${errors.length + more} Fehler`}${extra ? ` (die ersten ${shown.length} sind aufgeführt)` : ''}. Es wurde nichts übernommen.`,
  );
}
