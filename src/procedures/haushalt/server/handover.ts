import { csvFileFormat, csvLine } from '../../../core/handover/csv.js';
import type { HandoverRegistry } from '../../../core/handover/format.js';
import { centsToDecimal } from '../geld.js';
import {
  ARTEN,
  RECHTSGRUENDE,
  VERPFLICHTUNG_CSV_COLUMNS,
  VERPFLICHTUNG_ID,
  type VerpflichtungDaten,
} from '../verpflichtung.js';

/**
 * Handover of the commitments of the vorläufige Haushaltsführung to the restored finance system:
 * no XÖV standard exists for them, so one CSV line per commitment for re-keying (shared
 * mechanism, docs/HANDOVER.md). Cancelled commitments are not handed over. The budget plan itself
 * reaches the finance system as the XLSX/CSV export of its pinned version (docs/HAUSHALT.md).
 */
export function registerHaushaltHandover(h: HandoverRegistry): void {
  h.register({
    procedureId: VERPFLICHTUNG_ID,
    eligibleStates: ['erfasst'],
    formats: [
      csvFileFormat(
        (ctx) => `verpflichtungen-${ctx.authority.ags}.csv`,
        VERPFLICHTUNG_CSV_COLUMNS,
        (c) => {
          const d = c.data as VerpflichtungDaten;
          return csvLine([
            c.aktenzeichen,
            d.haushaltsjahr,
            d.datum,
            d.produktbereich,
            d.produkt,
            d.produktName,
            ARTEN[d.art],
            d.gegenstand,
            centsToDecimal(d.betragCents),
            RECHTSGRUENDE[d.rechtsgrund],
            d.nachweis,
            d.referenz ?? '',
            c.id,
          ]);
        },
      ),
    ],
  });
}
