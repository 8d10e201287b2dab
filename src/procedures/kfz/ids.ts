/** The procedure ids of the Zulassungsstelle (no imports: the web app's first page uses them). */
export const KFZ_PROCEDURE_IDS = [
  'neuzulassung',
  'umschreibung',
  'ausserbetriebsetzung',
  'wiederzulassung',
  'anschriftenaenderung',
  'kurzzeitkennzeichen',
] as const;
export type KfzProcedureId = (typeof KFZ_PROCEDURE_IDS)[number];
