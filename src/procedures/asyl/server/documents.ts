import { WOHNSITUATION_LABELS } from '../../../core/benefits/regelbedarf.js';
import type { DocumentRenderers } from '../../../core/documents.js';
import { monatText } from '../../../core/months.js';
import { ASYL_ID, type AsylDaten, BESCHEID_DOKUMENT, leistungsfallAus, nameOf } from '../definition.js';
import { AsylRegelError, type AsylRegeln, monatsanspruch, para2Wechsel } from '../saetze.js';

const euro = (cents: number) =>
  `${(cents / 100).toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;

/**
 * The Bescheid über Leistungen nach dem AsylbLG: the persons, the benefit period, the calculation
 * of the month the latest decision starts with, line by line, the § 2 date of each person (shown
 * in advance), the payment and the Rechtsbehelfsbelehrung (Widerspruch within a month, § 84 SGG;
 * the Sozialgericht decides AsylbLG matters, § 51 Abs. 1 Nr. 6a SGG). Frame and fonts (umlauts)
 * from core/documents.ts.
 */
export function registerAsylDocuments(regeln: () => AsylRegeln) {
  return (renderers: DocumentRenderers): void => {
    renderers.register(ASYL_ID, BESCHEID_DOKUMENT, (_pdf, view, h) => {
      const d = view.data as AsylDaten;
      const fall = leistungsfallAus(d);
      const rules = regeln();
      const latest = d.fassungen?.[d.fassungen.length - 1];
      const aenderung = (d.aenderungen?.length ?? 0) > 0 && latest;
      h.paragraph(
        aenderung
          ? `Änderungsbescheid: Die Leistungen nach dem Asylbewerberleistungsgesetz (AsylbLG) werden ab ${monatText(latest.abMonat)} neu festgesetzt.`
          : `Ihnen werden ab ${h.date(d.bewilligung?.leistungsBeginn)} Leistungen nach dem Asylbewerberleistungsgesetz (AsylbLG) bewilligt.`,
      );
      h.heading('Leistungsberechtigte Personen');
      const wechsel = para2Wechsel(d.personen, rules);
      d.personen.forEach((p, i) => {
        h.field(`${i + 1}. ${nameOf(p)}`, `geboren ${h.date(p.geburtsdatum)}, ${p.staatsangehoerigkeit}`);
        const w = wechsel[i];
        h.paragraph(
          w?.ab
            ? `Ab ${h.date(w.ab)} Leistungen entsprechend dem SGB XII (§ 2 AsylbLG): ${w.reason}.`
            : `Kein Wechsel zu § 2 AsylbLG: ${w?.reason ?? ''}`,
        );
      });
      h.heading('Zuweisung');
      h.field('Zuweisung ab', h.date(d.zuweisung.zuweisungsdatum));
      h.field(
        'Zuweisungsbescheid',
        `${d.zuweisung.bescheidAktenzeichen} vom ${h.date(d.zuweisung.bescheidDatum)} (${d.zuweisung.zuweisendeStelle})`,
      );
      if (fall && latest) {
        h.heading(`Berechnung für ${monatText(latest.abMonat)}`);
        latest.wohnsituation.forEach((w, i) => {
          const p = d.personen[i];
          if (p) h.field(`Wohnsituation ${nameOf(p)}`, WOHNSITUATION_LABELS[w]);
        });
        try {
          const r = monatsanspruch(fall, latest.abMonat, rules);
          for (const pos of r.positionen)
            h.field(
              pos.text,
              `${euro(pos.betragCents)} (${pos.grundlage}${pos.quelle ? `; ${pos.quelle}` : ''})`,
            );
          h.field('Monatlicher Anspruch', euro(r.summeCents));
          for (const x of r.hinweise) h.paragraph(x);
        } catch (e) {
          if (!(e instanceof AsylRegelError)) throw e;
          h.paragraph(e.message);
        }
      }
      h.heading('Auszahlung');
      h.field(
        'Zahlungsweg',
        d.zahlung.weg === 'bar'
          ? 'Barauszahlung an der Kasse'
          : `Überweisung an ${d.zahlung.kontoinhaber ?? ''}, IBAN ${d.zahlung.iban ?? ''}`,
      );
      h.paragraph(
        'Die Leistungen werden monatlich im Voraus gezahlt. Änderungen Ihrer Verhältnisse (Einkommen, Umzug, Familienstand) teilen Sie bitte unverzüglich mit.',
      );
      h.heading('Rechtsbehelfsbelehrung');
      h.paragraph(
        `Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift bei ${view.authorityName}, Sozialamt, einzulegen.`,
      );
      h.paragraph('');
      h.paragraph('Im Auftrag – Unterschrift, Dienstsiegel: ______________________________');
    });
  };
}
