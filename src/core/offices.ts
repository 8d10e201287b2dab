/** The offices (Ämter) Notbetrieb knows. Ids are stable; labels are German. */
export const OFFICE_TYPES = [
  'standesamt',
  'meldebehoerde',
  'zulassungsstelle',
  'fahrerlaubnisbehoerde',
  'sozialamt',
  'auslaenderbehoerde',
  'kaemmerei',
] as const;

export type OfficeType = (typeof OFFICE_TYPES)[number];

export const OFFICE_LABELS: Record<OfficeType, string> = {
  standesamt: 'Standesamt',
  meldebehoerde: 'Meldebehörde / Bürgerbüro',
  zulassungsstelle: 'Straßenverkehrsamt – Zulassungsstelle',
  fahrerlaubnisbehoerde: 'Straßenverkehrsamt – Fahrerlaubnisbehörde',
  sozialamt: 'Sozialamt',
  auslaenderbehoerde: 'Ausländerbehörde',
  kaemmerei: 'Kämmerei',
};

/**
 * Which offices an authority has by default (FACTS.md §1): civil registry and residents'
 * registration are municipal; vehicle registration, driving licences and the foreigners' authority
 * sit at the Kreis. Sozialamt and Kämmerei exist at both. Large towns with their own foreigners'
 * authority get it by configuration (authorities import with an `aemter` column).
 */
export function defaultOfficesFor(kind: string): OfficeType[] {
  if (kind === 'Kreis') {
    return ['zulassungsstelle', 'fahrerlaubnisbehoerde', 'auslaenderbehoerde', 'sozialamt', 'kaemmerei'];
  }
  return ['standesamt', 'meldebehoerde', 'sozialamt', 'kaemmerei'];
}

export function isOfficeType(v: string): v is OfficeType {
  return (OFFICE_TYPES as readonly string[]).includes(v);
}
