import { z } from 'zod';

/**
 * Settings of the Krisenstab family, from the environment (validated when the app starts; a bad
 * value stops the start with a German message, like src/server/config.ts).
 *
 * - NOTBETRIEB_TERMIN_LOESCHFRIST_TAGE: booking data is deleted this many days after the
 *   appointment (default 14).
 * - NOTBETRIEB_TERMIN_BUCHUNGEN_JE_ADRESSE / NOTBETRIEB_TERMIN_DROSSEL_MINUTEN: at most that many
 *   bookings per client address within that many minutes (default 5 in 60).
 * - NOTBETRIEB_TERMIN_CODE_FEHLVERSUCHE: wrong booking codes per address in the same window before
 *   the cancel form refuses (default 10).
 * - NOTBETRIEB_RUECKMELDUNG_LOESCHFRIST_TAGE: feedback on accessibility is deleted this many days
 *   after it came in (default 90).
 * - NOTBETRIEB_LAGEBERICHT_STUNDE: German hour (0–23) of the daily snapshot the Lagebericht is
 *   built from (default 6).
 * - NOTBETRIEB_WARTUNG_SEKUNDEN: how often the server deletes expired booking data and checks
 *   whether the day's snapshot is due (default 300; it also runs once at start).
 * - NOTBETRIEB_SEITEN_CACHE_SEKUNDEN: how long a rendered public page is reused in the process
 *   before it is rendered again (default 5; 0 renders every request; a write clears it).
 * - NOTBETRIEB_PUBLIC_URL: the citizens' address of this server (for the poster's QR code),
 *   e.g. https://notbetrieb.siegen.de; without it the poster uses the address it was asked under.
 * - NOTBETRIEB_OMBUDSSTELLE: where the accessibility statement points for the enforcement
 *   procedure (default: the Ombudsstelle für barrierefreie IT NRW, see docs/KRISENSTAB.md).
 */
export interface KrisenstabConfig {
  loeschfristTage: number;
  buchungenJeAdresse: number;
  drosselMinuten: number;
  codeFehlversuche: number;
  rueckmeldungLoeschfristTage: number;
  lageberichtStunde: number;
  wartungSekunden: number;
  seitenCacheSekunden: number;
  publicUrl: string | null;
  ombudsstelle: string;
}

const int = (name: string, min: number, max: number, dflt: number) =>
  z.coerce
    .number({ error: `${name} muss eine Zahl sein` })
    .int(`${name} muss eine ganze Zahl sein`)
    .min(min, `${name} muss zwischen ${min} und ${max} liegen`)
    .max(max, `${name} muss zwischen ${min} und ${max} liegen`)
    .default(dflt);

export const DEFAULT_OMBUDSSTELLE =
  'Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen, https://www.lbbp.nrw.de/ombudsstelle';

const envSchema = z.object({
  NOTBETRIEB_TERMIN_LOESCHFRIST_TAGE: int('NOTBETRIEB_TERMIN_LOESCHFRIST_TAGE', 0, 3650, 14),
  NOTBETRIEB_TERMIN_BUCHUNGEN_JE_ADRESSE: int('NOTBETRIEB_TERMIN_BUCHUNGEN_JE_ADRESSE', 1, 10_000, 5),
  NOTBETRIEB_TERMIN_DROSSEL_MINUTEN: int('NOTBETRIEB_TERMIN_DROSSEL_MINUTEN', 1, 7 * 24 * 60, 60),
  NOTBETRIEB_TERMIN_CODE_FEHLVERSUCHE: int('NOTBETRIEB_TERMIN_CODE_FEHLVERSUCHE', 1, 10_000, 10),
  NOTBETRIEB_RUECKMELDUNG_LOESCHFRIST_TAGE: int('NOTBETRIEB_RUECKMELDUNG_LOESCHFRIST_TAGE', 1, 3650, 90),
  NOTBETRIEB_LAGEBERICHT_STUNDE: int('NOTBETRIEB_LAGEBERICHT_STUNDE', 0, 23, 6),
  NOTBETRIEB_WARTUNG_SEKUNDEN: int('NOTBETRIEB_WARTUNG_SEKUNDEN', 1, 24 * 3600, 300),
  NOTBETRIEB_SEITEN_CACHE_SEKUNDEN: int('NOTBETRIEB_SEITEN_CACHE_SEKUNDEN', 0, 60, 5),
  NOTBETRIEB_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'NOTBETRIEB_PUBLIC_URL muss eine http(s)-Adresse sein' })
    .optional(),
  NOTBETRIEB_OMBUDSSTELLE: z
    .string()
    .min(3, 'NOTBETRIEB_OMBUDSSTELLE ist zu kurz')
    .max(500, 'NOTBETRIEB_OMBUDSSTELLE ist zu lang')
    .default(DEFAULT_OMBUDSSTELLE),
});

export function krisenstabConfig(env: NodeJS.ProcessEnv = process.env): KrisenstabConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new Error(
      `Ungültige Konfiguration (Krisenstab):\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  return {
    loeschfristTage: e.NOTBETRIEB_TERMIN_LOESCHFRIST_TAGE,
    buchungenJeAdresse: e.NOTBETRIEB_TERMIN_BUCHUNGEN_JE_ADRESSE,
    drosselMinuten: e.NOTBETRIEB_TERMIN_DROSSEL_MINUTEN,
    codeFehlversuche: e.NOTBETRIEB_TERMIN_CODE_FEHLVERSUCHE,
    rueckmeldungLoeschfristTage: e.NOTBETRIEB_RUECKMELDUNG_LOESCHFRIST_TAGE,
    lageberichtStunde: e.NOTBETRIEB_LAGEBERICHT_STUNDE,
    wartungSekunden: e.NOTBETRIEB_WARTUNG_SEKUNDEN,
    seitenCacheSekunden: e.NOTBETRIEB_SEITEN_CACHE_SEKUNDEN,
    publicUrl: e.NOTBETRIEB_PUBLIC_URL ? e.NOTBETRIEB_PUBLIC_URL.replace(/\/+$/, '') : null,
    ombudsstelle: e.NOTBETRIEB_OMBUDSSTELLE,
  };
}
