import {
  BerechnungError,
  parseRegeln,
  type SozialhilfeRegeln,
  STANDARD_REGELN,
} from '../../../core/benefits/hilfe-zum-lebensunterhalt.js';
import { RegelbedarfError, regelbedarfTableFromEnvironment } from '../../../core/benefits/regelbedarf.js';

/**
 * The rules in force for the Sozialhilfe family (docs/SOZIALHILFE.md, docs/OPERATIONS.md):
 * - `NOTBETRIEB_SOZIALHILFE_JSON`: Angemessenheitsgrenzen der Unterkunftskosten per municipality
 *   (or Kreis) and household size, and the § 30 SGB XII Mehrbedarf shares in basis points
 *   (`{"kdu":[{"ags":"05970000","bruttokaltCents":[…],"jeWeiterePersonCents":…,"heizungCents":[…],
 *   "quelle":"KdU-Richtlinie …"}],"mehrbedarf":{"gehbehinderungBp":1700,…}}`, read by
 *   core/benefits `parseRegeln`);
 * - `NOTBETRIEB_REGELBEDARF_JSON`: Regelbedarf rows of a later year (core/benefits).
 * Read on first use and again whenever the variables change (tests set them per file); a
 * malformed value is refused with a German message naming the variable.
 */

let cached: { key: string; regeln: SozialhilfeRegeln } | undefined;

export function sozialhilfeRegeln(): SozialhilfeRegeln {
  const json = process.env.NOTBETRIEB_SOZIALHILFE_JSON ?? '';
  const key = `${json}\u0000${process.env.NOTBETRIEB_REGELBEDARF_JSON ?? ''}`;
  if (cached?.key === key) return cached.regeln;
  try {
    const base = { ...STANDARD_REGELN, regelbedarf: regelbedarfTableFromEnvironment() };
    const regeln = json.trim() ? parseRegeln(json, base) : base;
    cached = { key, regeln };
    return regeln;
  } catch (e) {
    if (e instanceof BerechnungError || e instanceof RegelbedarfError)
      throw new Error(
        `Ungültige Konfiguration: NOTBETRIEB_SOZIALHILFE_JSON / NOTBETRIEB_REGELBEDARF_JSON: ${e.message}`,
      );
    throw e;
  }
}
