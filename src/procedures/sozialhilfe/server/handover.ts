import type { SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { regelbedarfsstufe } from '../../../core/benefits/regelbedarf.js';
import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import type { HandoverCase, HandoverRegistry } from '../../../core/handover/format.js';
import { monthOf } from '../../../core/months.js';
import { SOZIALHILFE_CSV_COLUMNS, type SozialhilfeDaten } from '../definition.js';
import { SOZIALHILFE_ID } from '../ids.js';
import { zahlplan } from '../leistung.js';

/**
 * Handover of the Sozialhilfe cases through the generic batch mechanism (docs/HANDOVER.md): one CSV
 * with typed lines (`satzart`) per case — `person` (each member of the latest Fassung with the
 * Regelbedarfsstufe of its first month), `bescheid` (Bewilligung, every Änderung, Ablehnung,
 * Einstellung), `berechnung` (every stored calculation line of a decision, with its source),
 * `vorschuss` (each advance with its payment key), `anspruch` (every benefit month up to the export
 * month: entitlement, Vorschuss set-off, amount paid and the payment key the runs use) and
 * `erstattung` (advances to be repaid). There is no XÖV message for SGB XII benefits in the shared
 * schemas, so CSV only.
 */

type Row = Partial<Record<(typeof SOZIALHILFE_CSV_COLUMNS)[number], unknown>>;

export function sozialhilfeCsvLines(c: HandoverCase, exportMonth: string, regeln: SozialhilfeRegeln): string {
  const d = c.data as SozialhilfeDaten;
  const base: Row = {
    aktenzeichen: c.aktenzeichen,
    status: c.status,
    leistungsart: d.antrag.leistungsart,
    vorgangs_id: c.id,
  };
  const rows: Row[] = [];
  const fassungen = d.fassungen ?? [];
  const latest = fassungen[fassungen.length - 1];
  const stichtag = `${latest?.abMonat ?? monthOf(d.antrag.antragsdatum)}-01`;
  (latest?.haushalt.personen ?? d.personen).forEach((p, i) => {
    let stufe = '';
    if (p.geburtsdatum <= stichtag) stufe = String(regelbedarfsstufe(p, stichtag).stufe);
    rows.push({
      satzart: 'person',
      person_nr: i + 1,
      familienname: p.familienname,
      vornamen: p.vornamen,
      geburtsdatum: p.geburtsdatum,
      wohnsituation: p.wohnsituation,
      gueltig_ab: stichtag,
      art: 'regelbedarfsstufe',
      details: stufe,
      betrag_cent: p.einkommenCents ?? '',
    });
  });
  for (const f of fassungen) {
    rows.push({
      satzart: 'bescheid',
      gueltig_ab: f.abMonat,
      art: f.grund === undefined ? 'bewilligung' : 'aenderung',
      betrag_cent: f.berechnung.anspruchCents,
      details: `am=${f.am}${f.grund ? `; grund=${f.grund}` : ''}; bedarf_cent=${f.berechnung.bedarfCents}; einkommen_cent=${f.berechnung.einkommenCents}`,
    });
    for (const z of f.berechnung.zeilen)
      rows.push({
        satzart: 'berechnung',
        person_nr: z.person === null ? '' : z.person + 1,
        gueltig_ab: f.abMonat,
        art: z.art,
        betrag_cent: z.cents,
        details: `${z.text} (${z.quelle})`,
      });
  }
  if (d.ablehnung)
    rows.push({
      satzart: 'bescheid',
      gueltig_ab: d.ablehnung.am,
      art: 'ablehnung',
      details: d.ablehnung.grund,
    });
  (d.vorschuesse ?? []).forEach((v, i) => {
    rows.push({
      satzart: 'vorschuss',
      gueltig_ab: v.am,
      art: 'vorschuss_42_sgb_i',
      betrag_cent: v.betragCents,
      zahlungsschluessel: `sozialhilfe:${c.id}:vorschuss:${i + 1}`,
      details: v.grund,
    });
  });
  const plan = zahlplan(d, exportMonth, c.authorityAgs, regeln);
  for (const m of plan.monate) {
    rows.push({
      satzart: 'anspruch',
      gueltig_ab: m.monat,
      art: m.fehler ? 'nicht_berechnet' : 'monatsanspruch',
      betrag_cent: m.fehler ? '' : m.anspruchCents,
      anrechnung_cent: m.fehler ? '' : m.anrechnungCents,
      zahlbetrag_cent: m.fehler ? '' : m.zahlCents,
      zahlungsschluessel: m.fehler ? '' : `sozialhilfe:${c.id}:${m.monat}`,
      details: m.fehler ?? '',
    });
  }
  if (plan.erstattungCents > 0)
    rows.push({ satzart: 'erstattung', art: 'vorschuss_42_abs_2_sgb_i', betrag_cent: plan.erstattungCents });
  if (d.einstellung)
    rows.push({
      satzart: 'bescheid',
      gueltig_bis: d.einstellung.letzterMonat,
      art: 'einstellung',
      details: `am=${d.einstellung.am}; grund=${d.einstellung.grund}`,
    });
  return rows
    .map((r) => csvLine(SOZIALHILFE_CSV_COLUMNS.map((col) => ({ ...base, ...r })[col] ?? '')))
    .join('');
}

export function registerSozialhilfeHandover(regeln: () => SozialhilfeRegeln) {
  return (h: HandoverRegistry): void => {
    h.register({
      procedureId: SOZIALHILFE_ID,
      eligibleStates: ['beantragt', 'bewilligt', 'abgelehnt', 'eingestellt'],
      formats: [
        {
          ...csvFileFormat(
            (ctx) => `sozialhilfe-${ctx.authority.ags}.csv`,
            SOZIALHILFE_CSV_COLUMNS,
            () => '',
          ),
          entry: (c, ctx) =>
            sozialhilfeCsvLines(c, monthOf(ctx.createdAt.toISOString().slice(0, 10)), regeln()),
        },
      ],
    });
  };
}
