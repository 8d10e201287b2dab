import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import type { HandoverCase, HandoverRegistry } from '../../../core/handover/format.js';
import { monthOf, nextMonth } from '../../../core/months.js';
import { ASYL_CSV_COLUMNS, ASYL_ID, type AsylDaten, leistungsfallAus } from '../definition.js';
import { AsylRegelError, type AsylRegeln, monatsanspruch, para2Wechsel } from '../saetze.js';

/**
 * Handover of the AsylbLG cases through the generic batch mechanism (docs/HANDOVER.md): one CSV
 * with typed lines (`satzart`) per case — `person` (with the § 2 date), `bescheid` (Bewilligung
 * and every Änderung), `anspruch` (the entitlement of every benefit month up to the export month,
 * with the payment key the payment runs use, so that the specialist system matches each paid
 * amount), `unterbringung` (every move-in with move-out) and `einstellung`. There is no XÖV message
 * for AsylbLG benefits in the shared schemas, so CSV only.
 */

type Row = Partial<Record<(typeof ASYL_CSV_COLUMNS)[number], unknown>>;

export function asylCsvLines(c: HandoverCase, exportMonth: string, regeln: AsylRegeln): string {
  const d = c.data as AsylDaten;
  const z = d.zuweisung;
  const base: Row = {
    aktenzeichen: c.aktenzeichen,
    status: c.status,
    zuweisung_ab: z.zuweisungsdatum,
    zuweisende_stelle: z.zuweisendeStelle,
    zuweisungsbescheid: `${z.bescheidAktenzeichen} vom ${z.bescheidDatum}`,
    herkunftsland: z.herkunftsland,
    vorgangs_id: c.id,
  };
  const rows: Row[] = [];
  const wechsel = para2Wechsel(d.personen, regeln);
  d.personen.forEach((p, i) => {
    rows.push({
      satzart: 'person',
      person_nr: i + 1,
      familienname: p.familienname,
      vornamen: p.vornamen,
      geburtsdatum: p.geburtsdatum,
      staatsangehoerigkeit: p.staatsangehoerigkeit,
      aufenthalt_seit: p.aufenthaltSeit,
      bamf_aktenzeichen: p.bamfAktenzeichen ?? '',
      gueltig_ab: wechsel[i]?.ab ?? '',
      art: 'para2_ab',
      details: wechsel[i]?.reason ?? '',
    });
  });
  for (const f of d.fassungen ?? []) {
    const a = [...(d.aenderungen ?? [])].reverse().find((x) => x.abMonat === f.abMonat);
    rows.push({
      satzart: 'bescheid',
      gueltig_ab: a ? `${f.abMonat}-01` : d.bewilligung?.leistungsBeginn,
      art: a ? 'aenderung' : 'bewilligung',
      betrag_cent: f.einkommenCents,
      details: `einkommen_cent; wohnsituation=${f.wohnsituation.join(',')}${a ? `; grund=${a.grund}; am=${a.am}` : ''}`,
    });
  }
  const fall = leistungsfallAus(d);
  if (fall && d.bewilligung) {
    const last = fall.leistungsEnde ? monthOf(fall.leistungsEnde) : exportMonth;
    for (let m = d.bewilligung.abMonat; m <= last && m <= exportMonth; m = nextMonth(m)) {
      try {
        const r = monatsanspruch(fall, m, regeln);
        rows.push({
          satzart: 'anspruch',
          gueltig_ab: m,
          art: 'monatsanspruch',
          betrag_cent: r.summeCents,
          details: `asyl:${c.id}:${m}`,
        });
      } catch (e) {
        if (!(e instanceof AsylRegelError)) throw e;
        rows.push({ satzart: 'anspruch', gueltig_ab: m, art: 'nicht_berechnet', details: e.message });
      }
    }
  }
  for (const b of d.belegungen ?? []) {
    rows.push({
      satzart: 'unterbringung',
      person_nr: b.person + 1,
      gueltig_ab: b.einzug,
      gueltig_bis: b.auszug ?? '',
      art: 'platz',
      details: `${b.unterkunft}, Platz ${b.platzNr}`,
    });
  }
  if (d.einstellung) {
    rows.push({
      satzart: 'einstellung',
      gueltig_bis: d.einstellung.letzterTag,
      art: 'einstellung',
      details: d.einstellung.grund,
    });
  }
  return rows.map((r) => csvLine(ASYL_CSV_COLUMNS.map((col) => ({ ...base, ...r })[col] ?? ''))).join('');
}

export function registerAsylHandover(regeln: () => AsylRegeln) {
  return (h: HandoverRegistry): void => {
    h.register({
      procedureId: ASYL_ID,
      eligibleStates: ['zugewiesen', 'bewilligt', 'eingestellt'],
      formats: [
        {
          ...csvFileFormat(
            (ctx) => `asylblg-${ctx.authority.ags}.csv`,
            ASYL_CSV_COLUMNS,
            () => '',
          ),
          entry: (c, ctx) => asylCsvLines(c, monthOf(ctx.createdAt.toISOString().slice(0, 10)), regeln()),
        },
      ],
    });
  };
}
