import { z } from 'zod';

/** Response shapes of the Krisenstab API (OpenAPI; the serializer strips anything not listed). */
export const figuresShape = {
  offen: z.number().int(),
  ueberfaellig: z.number().int(),
  angelegtHeute: z.number().int(),
  erledigtHeute: z.number().int(),
  gesamt: z.number().int(),
  uebergeben: z.number().int(),
  inUebergabe: z.number().int(),
  nichtUebergeben: z.number().int(),
};
export const figuresSchema = z.object(figuresShape).meta({ id: 'KrisenstabKennzahlen' });

export const dayPointSchema = z
  .object({
    tag: z.string(),
    angelegt: z.number().int(),
    erledigt: z.number().int(),
    offen: z.number().int(),
  })
  .meta({ id: 'KrisenstabTageswert' });

export const serviceSummarySchema = z
  .object({
    gesamt: z.number().int(),
    normal: z.number().int(),
    notbetrieb: z.number().int(),
    nachbarbehoerde: z.number().int(),
    ausgesetzt: z.number().int(),
    nichtErfasst: z.number().int(),
    wazUeberschritten: z.number().int(),
    mtaUeberschritten: z.number().int(),
  })
  .meta({ id: 'KrisenstabDiensteUebersicht' });

export const wazSchema = z.object({
  state: z.string(),
  label: z.string(),
  stunden: z.number().nullable(),
  mtaUeberschritten: z.boolean(),
});

export const dienstSchema = z
  .object({
    key: z.string(),
    id: z.string().nullable(),
    authorityAgs: z.string(),
    familyId: z.string().nullable(),
    officeType: z.string().nullable(),
    officeLabel: z.string().nullable(),
    title: z.string(),
    status: z.string().nullable(),
    statusLabel: z.string(),
    statusSeit: z.string().nullable(),
    notbetriebSeit: z.string().nullable(),
    ort: z.string().nullable(),
    zeiten: z.string().nullable(),
    ausweichAgs: z.string().nullable(),
    ausweichName: z.string().nullable(),
    hotline: z.string().nullable(),
    hinweis: z.string().nullable(),
    mtaStunden: z.number().int().nullable(),
    wazStunden: z.number().int().nullable(),
    niveauProzent: z.number().int().nullable(),
    oeffentlich: z.boolean(),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
    waz: wazSchema,
    editable: z.boolean(),
  })
  .meta({ id: 'KrisenstabDienst' });

export const lageSchema = z
  .object({
    authorityAgs: z.string(),
    ausfallSeit: z.string().nullable(),
    hinweis: z.string().nullable(),
    buergertelefon: z.string().nullable(),
    kontaktEmail: z.string().nullable(),
    version: z.number().int(),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'KrisenstabLage' });

export const logSchema = z
  .object({
    id: z.string(),
    authorityAgs: z.string().nullable(),
    authorityName: z.string().nullable(),
    art: z.string(),
    artLabel: z.string(),
    titel: z.string(),
    text: z.string().nullable(),
    zustaendig: z.string().nullable(),
    faelligAm: z.string().nullable(),
    createdAt: z.string(),
    createdByName: z.string(),
    erledigtAm: z.string().nullable(),
    erledigtVon: z.string().nullable(),
  })
  .meta({ id: 'KrisenstabLogEintrag' });

export const officeFiguresSchema = z.object({
  officeType: z.string(),
  officeLabel: z.string(),
  ...figuresShape,
});

export const regionSchema = z.object({
  stand: z.string(),
  heute: z.string(),
  tage: z.array(z.string()),
  summe: figuresSchema,
  verlauf: z.array(dayPointSchema),
  dienste: serviceSummarySchema,
  offeneAufgaben: z.number().int(),
  behoerden: z.array(
    z.object({
      ags: z.string(),
      name: z.string(),
      kind: z.string(),
      kreisAgs: z.string(),
      ausfallSeit: z.string().nullable(),
      ...figuresShape,
      aemter: z.array(officeFiguresSchema),
      dienste: serviceSummarySchema,
    }),
  ),
});

export const authorityBoardSchema = z.object({
  stand: z.string(),
  heute: z.string(),
  tage: z.array(z.string()),
  authority: z.object({ ags: z.string(), name: z.string(), kind: z.string(), kreisAgs: z.string() }),
  summe: figuresSchema,
  verlauf: z.array(dayPointSchema),
  aemter: z.array(officeFiguresSchema.extend({ verlauf: z.array(dayPointSchema) })),
  lage: lageSchema,
  dienste: z.array(dienstSchema),
  log: z.array(logSchema),
});

export const catalogueSchema = z.object({
  authority: z.object({ ags: z.string(), name: z.string(), kind: z.string() }),
  lage: lageSchema,
  dienste: z.array(dienstSchema),
  aenderungen: z.array(
    z.object({
      id: z.string(),
      dienstId: z.string(),
      at: z.string(),
      actorName: z.string(),
      changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])),
    }),
  ),
  editableLage: z.boolean(),
});
