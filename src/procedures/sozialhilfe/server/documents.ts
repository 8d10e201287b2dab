import type { Berechnung, SozialhilfeRegeln } from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { WOHNSITUATION_LABELS } from '../../../core/benefits/regelbedarf.js';
import type { DocumentRenderers, PdfHelpers } from '../../../core/documents.js';
import { addMonthsTo, monatText } from '../../../core/months.js';
import type { SozialhilfeDaten } from '../definition.js';
import { BESCHEID_DOKUMENT, LEISTUNGSART_LABELS, nameOf, SOZIALHILFE_ID } from '../ids.js';
import { zahlplan } from '../leistung.js';

const euro = (cents: number) =>
  `${(cents / 100).toLocaleString('de-DE', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} EUR`;

/**
 * The Bescheid über Leistungen nach dem SGB XII, one document for every decision of the case:
 * Bewilligung (or the latest Änderung, or the Einstellung) with the members, the calculation lines
 * stored with the decision and their legal sources, the set-off of advances (§ 42 Abs. 2 SGB I)
 * and the payment; or the Ablehnung with its reason and the advances to be repaid. Both end with
 * the Rechtsbehelfsbelehrung: the elements § 36 SGB X requires (remedy, authority and its seat,
 * time limit, form), with the facts of § 84 Abs. 1 SGG (Widerspruch within one month of
 * notification, in writing or for the record at the authority that issued the decision) and the
 * Sozialgericht for SGB XII matters (§ 51 Abs. 1 Nr. 6a SGG). Own wording. Frame and fonts
 * (umlauts) from core/documents.ts.
 */

function berechnungsteil(h: PdfHelpers, b: Berechnung) {
  h.heading(
    `Berechnung für ${monatText(b.monat)} (${b.haushaltsgroesse} ${b.haushaltsgroesse === 1 ? 'Person' : 'Personen'})`,
  );
  for (const z of b.zeilen) h.field(z.text, `${euro(z.cents)} (${z.quelle})`);
  h.field('Gesamtbedarf', euro(b.bedarfCents));
  if (b.einkommenCents) h.field('Anrechenbares Einkommen', euro(-b.einkommenCents));
  h.field('Monatlicher Anspruch', euro(b.anspruchCents));
  if (b.hinweise.length) {
    h.heading('Hinweise zur Berechnung');
    for (const x of b.hinweise) h.paragraph(x);
  }
}

function rechtsbehelfsbelehrung(h: PdfHelpers, behoerde: string) {
  h.heading('Rechtsbehelfsbelehrung');
  h.paragraph(
    `Gegen diesen Bescheid können Sie innerhalb eines Monats, nachdem er Ihnen bekannt gegeben worden ist, Widerspruch erheben. Der Widerspruch ist schriftlich oder zur Niederschrift bei ${behoerde}, Sozialamt, einzulegen, also bei der Behörde, die diesen Bescheid erlassen hat (§ 84 Abs. 1 SGG).`,
  );
  h.paragraph(
    'Wird dem Widerspruch nicht abgeholfen, entscheidet über eine Klage das Sozialgericht (§ 51 Abs. 1 Nr. 6a SGG).',
  );
}

export function registerSozialhilfeDocuments(regeln: () => SozialhilfeRegeln) {
  return (renderers: DocumentRenderers): void => {
    renderers.register(SOZIALHILFE_ID, BESCHEID_DOKUMENT, (_pdf, view, h) => {
      const d = view.data as SozialhilfeDaten;
      const art = LEISTUNGSART_LABELS[d.antrag.leistungsart];
      const vorschuss = (d.vorschuesse ?? []).reduce((a, v) => a + v.betragCents, 0);
      if (d.ablehnung) {
        h.paragraph(`Ihr Antrag vom ${h.date(d.antrag.antragsdatum)} auf ${art} wird abgelehnt.`);
        h.heading('Begründung');
        h.paragraph(d.ablehnung.grund);
        if (vorschuss > 0)
          h.paragraph(
            `Der gezahlte Vorschuss von ${euro(vorschuss)} übersteigt die zustehende Leistung und ist zu erstatten (§ 42 Abs. 2 Satz 2 SGB I). Hierüber ergeht ein gesonderter Bescheid.`,
          );
      } else {
        const fassungen = d.fassungen ?? [];
        const latest = fassungen[fassungen.length - 1];
        if (latest?.grund !== undefined)
          h.paragraph(
            `Änderungsbescheid: Die Leistungen (${art}) werden wegen geänderter Verhältnisse ab ${monatText(latest.abMonat)} neu festgesetzt.${latest.grund ? ` Grund: ${latest.grund}.` : ''} Die Monate davor bleiben unverändert.`,
          );
        else if (d.bewilligung)
          h.paragraph(`Ihnen wird ab ${monatText(d.bewilligung.abMonat)} ${art} bewilligt.`);
        if (d.einstellung)
          h.paragraph(
            `Die Leistungen werden mit Ablauf des Monats ${monatText(d.einstellung.letzterMonat)} eingestellt. Grund: ${d.einstellung.grund}.`,
          );
        h.heading('Mitglieder der Bedarfsgemeinschaft');
        for (const [i, p] of (latest?.haushalt.personen ?? d.personen).entries())
          h.field(
            `${i + 1}. ${nameOf(p)}`,
            `geboren ${h.date(p.geburtsdatum)}; ${WOHNSITUATION_LABELS[p.wohnsituation]}`,
          );
        if (latest) berechnungsteil(h, latest.berechnung);
        if (vorschuss > 0 && d.bewilligung) {
          // Deterministic: the set-off over the next two years (or up to the Einstellung).
          const bis = d.einstellung ? d.einstellung.letzterMonat : addMonthsTo(d.bewilligung.abMonat, 24);
          const plan = zahlplan(d, bis, view.authorityAgs, regeln());
          h.heading('Anrechnung des Vorschusses (§ 42 Abs. 2 SGB I)');
          h.paragraph(
            `Gezahlte Vorschüsse von ${euro(vorschuss)} werden auf die bewilligten Leistungen angerechnet, beginnend mit dem ersten Leistungsmonat.`,
          );
          for (const m of plan.monate.filter((x) => x.anrechnungCents > 0))
            h.field(
              monatText(m.monat),
              `Anspruch ${euro(m.anspruchCents)}, angerechnet ${euro(m.anrechnungCents)}, Zahlbetrag ${euro(m.zahlCents)}`,
            );
          if (plan.offenCents > 0)
            h.paragraph(`Noch anzurechnen: ${euro(plan.offenCents)} (mit den folgenden Monaten).`);
          if (plan.erstattungCents > 0)
            h.paragraph(
              `Nicht angerechnete Vorschüsse von ${euro(plan.erstattungCents)} sind zu erstatten (§ 42 Abs. 2 Satz 2 SGB I); hierüber ergeht ein gesonderter Bescheid.`,
            );
        }
        h.heading('Auszahlung');
        h.field(
          'Zahlungsweg',
          d.zahlung.weg === 'bar'
            ? 'Barauszahlung an der Kasse'
            : `Überweisung an ${d.zahlung.kontoinhaber ?? ''}, IBAN ${d.zahlung.iban ?? ''}`,
        );
        h.paragraph(
          'Die Leistungen werden monatlich im Voraus gezahlt. Bitte teilen Sie Änderungen Ihrer Verhältnisse (Einkommen, Miete, Umzug, Zusammensetzung des Haushalts) unverzüglich mit (§ 60 SGB I).',
        );
      }
      rechtsbehelfsbelehrung(h, view.authorityName);
      h.paragraph('');
      h.paragraph('Im Auftrag – Unterschrift, Dienstsiegel: ______________________________');
    });
  };
}
