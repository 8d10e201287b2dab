import fs from 'node:fs';
import { addDays } from '../../../../core/dates.js';
import { csvField, REGISTER_COLUMNS, type RegisterPerson } from './format.js';

/**
 * Synthetic resident register export for demos and benchmarks (docs/REGISTER.md). Names are drawn
 * by rough frequency (the most common German family and first names, a share of foreign names),
 * with umlauts and ß, double names, name particles, birth names; addresses in the demo
 * municipalities of Südwestfalen with plausible postcodes; households and families (spouses,
 * children with parent links). The same seed gives the same file.
 *
 * Every person is invented: names and streets are common words, combinations random.
 */

/** mulberry32: a tiny well-known seeded PRNG (public domain, Tommy Ettinger). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Weighted<T> = Array<[T, number]>;

class Picker<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;
  constructor(weighted: Weighted<T>) {
    this.items = weighted.map(([v]) => v);
    let sum = 0;
    this.cumulative = weighted.map(([, w]) => {
      sum += w;
      return sum;
    });
    this.total = sum;
  }
  pick(rnd: () => number): T {
    const x = rnd() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cumulative[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

// Family names by rough frequency in Germany (relative weights, most common first).
const FAMILY_NAMES = new Picker<string>([
  ['Müller', 260],
  ['Schmidt', 190],
  ['Schneider', 115],
  ['Fischer', 100],
  ['Weber', 87],
  ['Meyer', 79],
  ['Wagner', 77],
  ['Becker', 73],
  ['Schulz', 71],
  ['Hoffmann', 70],
  ['Schäfer', 59],
  ['Koch', 55],
  ['Bauer', 55],
  ['Richter', 53],
  ['Klein', 52],
  ['Wolf', 50],
  ['Schröder', 48],
  ['Neumann', 47],
  ['Schwarz', 46],
  ['Zimmermann', 45],
  ['Braun', 42],
  ['Krüger', 42],
  ['Hofmann', 41],
  ['Hartmann', 40],
  ['Lange', 39],
  ['Schmitt', 38],
  ['Werner', 38],
  ['Schmitz', 37],
  ['Krause', 37],
  ['Meier', 36],
  ['Lehmann', 35],
  ['Schmid', 34],
  ['Schulze', 33],
  ['Maier', 32],
  ['Köhler', 31],
  ['Herrmann', 31],
  ['König', 30],
  ['Walter', 30],
  ['Mayer', 29],
  ['Huber', 28],
  ['Kaiser', 27],
  ['Fuchs', 27],
  ['Peters', 26],
  ['Lang', 26],
  ['Scholz', 25],
  ['Möller', 25],
  ['Weiß', 25],
  ['Jung', 24],
  ['Hahn', 24],
  ['Schubert', 23],
  ['Vogel', 23],
  ['Friedrich', 23],
  ['Keller', 22],
  ['Günther', 22],
  ['Frank', 22],
  ['Berger', 21],
  ['Winkler', 21],
  ['Roth', 21],
  ['Beck', 20],
  ['Lorenz', 20],
  ['Baumann', 20],
  ['Franke', 19],
  ['Albrecht', 19],
  ['Schuster', 19],
  ['Simon', 18],
  ['Ludwig', 18],
  ['Böhm', 18],
  ['Winter', 18],
  ['Kraus', 17],
  ['Martin', 17],
  ['Schumacher', 17],
  ['Krämer', 17],
  ['Vogt', 16],
  ['Stein', 16],
  ['Jäger', 16],
  ['Otto', 16],
  ['Sommer', 16],
  ['Groß', 15],
  ['Seidel', 15],
  ['Heinrich', 15],
  ['Brandt', 15],
  ['Haas', 15],
  ['Schreiber', 15],
  ['Graf', 14],
  ['Schulte', 14],
  ['Dietrich', 14],
  ['Ziegler', 14],
  ['Kuhn', 14],
  ['Kühn', 14],
  ['Pohl', 13],
  ['Engel', 13],
  ['Horn', 13],
  ['Busch', 13],
  ['Bergmann', 13],
  ['Thomas', 13],
  ['Voigt', 13],
  ['Sauer', 12],
  ['Arnold', 12],
  ['Wolff', 12],
  ['Pfeiffer', 12],
  // Südwestfalen
  ['Stahl', 9],
  ['Hüttenhain', 4],
  ['Irle', 5],
  ['Hoberg', 4],
  ['Dornseifer', 4],
  ['Flender', 4],
  ['Bräutigam', 3],
  ['Gödde', 4],
  ['Hesse', 6],
  ['Hüpper', 3],
  ['Epe', 3],
  ['Jüngst', 4],
  ['Buchen', 4],
  ['Quast', 3],
  ['Japes', 3],
  ['Röttger', 4],
  ['Mertens', 6],
  ['Stöcker', 4],
  ['Bröcher', 3],
  ['Weißenfeld', 2],
  ['Kleinschmidt', 5],
  ['Großmann', 4],
  ['Mayr', 3],
  ['Maurer', 8],
  ['Schmied', 3],
  ['Meißner', 6],
  ['Fuß', 3],
  ['Strauß', 5],
  ['Nußbaum', 3],
  ['Döring', 6],
  ['Müllenbach', 3],
]);

const FOREIGN_FAMILY = new Picker<[string, string]>([
  [['Yılmaz', 'TUR'], 10],
  [['Kaya', 'TUR'], 8],
  [['Demir', 'TUR'], 8],
  [['Şahin', 'TUR'], 6],
  [['Çelik', 'TUR'], 6],
  [['Öztürk', 'TUR'], 6],
  [['Nowak', 'POL'], 8],
  [['Kowalski', 'POL'], 7],
  [['Wiśniewski', 'POL'], 4],
  [['Rossi', 'ITA'], 5],
  [['Russo', 'ITA'], 4],
  [['Esposito', 'ITA'], 3],
  [['Papadopoulos', 'GRC'], 4],
  [['Ivanov', 'RUS'], 4],
  [['Popescu', 'ROU'], 5],
  [['Horváth', 'HUN'], 3],
  [['Novák', 'CZE'], 3],
  [['García', 'ESP'], 3],
  [['Al-Hassan', 'SYR'], 5],
  [['Haddad', 'SYR'], 4],
  [['Kovačević', 'HRV'], 3],
  [['Petrović', 'SRB'], 3],
  [['Shevchenko', 'UKR'], 5],
  [['Bondarenko', 'UKR'], 4],
]);

const PARTICLE_NAMES = new Picker<[string, string]>([
  [['von', 'Berg'], 3],
  [['von der', 'Heide'], 3],
  [['van der', 'Linden'], 2],
  [['von', 'Wrede'], 1],
  [['vom', 'Brocke'], 2],
  [['van', 'Dijk'], 2],
  [['de', 'Vries'], 2],
  [['zu', 'Fürstenberg'], 1],
  [['von', 'Plettenberg'], 1],
]);

const MALE = new Picker<string>([
  ['Peter', 30],
  ['Michael', 30],
  ['Thomas', 28],
  ['Andreas', 27],
  ['Wolfgang', 22],
  ['Klaus', 20],
  ['Jürgen', 20],
  ['Stefan', 20],
  ['Christian', 19],
  ['Frank', 18],
  ['Uwe', 16],
  ['Markus', 16],
  ['Bernd', 15],
  ['Günter', 14],
  ['Hans', 14],
  ['Jörg', 12],
  ['Matthias', 12],
  ['Sven', 10],
  ['Alexander', 12],
  ['Daniel', 12],
  ['Tobias', 10],
  ['Jan', 10],
  ['Lukas', 10],
  ['Leon', 9],
  ['Finn', 8],
  ['Paul', 9],
  ['Jonas', 9],
  ['Noah', 7],
  ['Elias', 7],
  ['Ben', 7],
  ['Björn', 5],
  ['Sören', 4],
  ['Jürgen-Peter', 2],
  ['Karl-Heinz', 6],
  ['Hans-Jürgen', 4],
  ['Mehmet', 4],
  ['Ömer', 2],
  ['Mustafa', 3],
]);

const FEMALE = new Picker<string>([
  ['Ursula', 22],
  ['Monika', 22],
  ['Petra', 20],
  ['Sabine', 22],
  ['Andrea', 20],
  ['Claudia', 18],
  ['Susanne', 18],
  ['Birgit', 15],
  ['Gabriele', 15],
  ['Renate', 14],
  ['Karin', 14],
  ['Brigitte', 13],
  ['Stefanie', 12],
  ['Nicole', 12],
  ['Julia', 12],
  ['Katharina', 11],
  ['Anna', 12],
  ['Laura', 10],
  ['Lena', 10],
  ['Sophie', 9],
  ['Mia', 9],
  ['Emma', 10],
  ['Hannah', 9],
  ['Lea', 8],
  ['Gisela', 8],
  ['Helga', 8],
  ['Anneliese', 5],
  ['Käthe', 3],
  ['Jörgine', 1],
  ['Marie-Luise', 4],
  ['Anne-Kathrin', 3],
  ['Zeynep', 3],
  ['Ayşe', 3],
  ['Małgorzata', 2],
]);

const STREETS = new Picker<string>([
  ['Hauptstraße', 10],
  ['Bahnhofstraße', 8],
  ['Kirchstraße', 7],
  ['Schulstraße', 7],
  ['Gartenstraße', 6],
  ['Dorfstraße', 5],
  ['Bergstraße', 6],
  ['Lindenstraße', 6],
  ['Am Sonnenhang', 3],
  ['Wiesenweg', 4],
  ['Buchenweg', 4],
  ['Eichendorffstraße', 3],
  ['Goethestraße', 4],
  ['Schillerstraße', 4],
  ['Mühlenweg', 4],
  ['Zum Hüttenwerk', 2],
  ['Auf der Höh', 2],
  ['Siegstraße', 3],
  ['Lennestraße', 3],
  ['Ruhrstraße', 3],
  ['Sauerlandstraße', 3],
  ['Weidenauer Straße', 2],
  ['Koblenzer Straße', 2],
  ['Friedrich-Ebert-Straße', 3],
  ['Am Rathaus', 2],
  ['Grüner Weg', 3],
  ['Hüttenstraße', 3],
  ['Talstraße', 4],
  ['Waldstraße', 5],
  ['Rosenstraße', 4],
  ['Im Großen Feld', 2],
  ['Fußweg zur Mühle', 1],
]);

const BIRTH_PLACES = new Picker<string>([
  ['Siegen', 10],
  ['Olpe', 4],
  ['Lüdenscheid', 5],
  ['Iserlohn', 5],
  ['Arnsberg', 5],
  ['Soest', 4],
  ['Lippstadt', 4],
  ['Dortmund', 6],
  ['Hagen', 4],
  ['Köln', 5],
  ['Düsseldorf', 3],
  ['Bochum', 3],
  ['Essen', 3],
  ['Kassel', 2],
  ['Frankfurt am Main', 2],
  ['München', 2],
  ['Berlin', 3],
  ['Gießen', 1],
  ['Marburg', 1],
]);

const FOREIGN_BIRTH_PLACES: Record<string, string> = {
  TUR: 'İstanbul',
  POL: 'Kraków',
  ITA: 'Napoli',
  GRC: 'Thessaloniki',
  RUS: 'Omsk',
  ROU: 'Timișoara',
  HUN: 'Pécs',
  CZE: 'Plzeň',
  ESP: 'Málaga',
  SYR: 'Aleppo',
  HRV: 'Split',
  SRB: 'Niš',
  UKR: 'Charkiw',
};

/** Demo municipalities with rough population (thousands) and plausible postcodes. */
const MUNICIPALITIES: Array<[ags: string, ort: string, pop: number, plz: string[]]> = [
  ['05958004', 'Arnsberg', 73, ['59755', '59757', '59759', '59821', '59823']],
  ['05958008', 'Bestwig', 10, ['59909']],
  ['05958012', 'Brilon', 25, ['59929']],
  ['05958016', 'Eslohe (Sauerland)', 9, ['59889']],
  ['05958020', 'Hallenberg', 4, ['59969']],
  ['05958024', 'Marsberg', 19, ['34431']],
  ['05958028', 'Medebach', 8, ['59964']],
  ['05958032', 'Meschede', 30, ['59872']],
  ['05958036', 'Olsberg', 15, ['59939']],
  ['05958040', 'Schmallenberg', 25, ['57392']],
  ['05958044', 'Sundern (Sauerland)', 27, ['59846']],
  ['05958048', 'Winterberg', 12, ['59955']],
  ['05962004', 'Altena', 16, ['58762']],
  ['05962008', 'Balve', 11, ['58802']],
  ['05962012', 'Halver', 16, ['58553']],
  ['05962016', 'Hemer', 34, ['58675']],
  ['05962020', 'Herscheid', 7, ['58849']],
  ['05962024', 'Iserlohn', 91, ['58636', '58638', '58640', '58642', '58644']],
  ['05962028', 'Kierspe', 16, ['58566']],
  ['05962032', 'Lüdenscheid', 72, ['58507', '58509', '58511', '58513', '58515']],
  ['05962036', 'Meinerzhagen', 20, ['58540']],
  ['05962040', 'Menden (Sauerland)', 52, ['58706', '58708', '58710']],
  ['05962044', 'Nachrodt-Wiblingwerde', 6, ['58769']],
  ['05962048', 'Neuenrade', 12, ['58809']],
  ['05962052', 'Plettenberg', 25, ['58840']],
  ['05962056', 'Schalksmühle', 10, ['58579']],
  ['05962060', 'Werdohl', 17, ['58791']],
  ['05966004', 'Attendorn', 24, ['57439']],
  ['05966008', 'Drolshagen', 12, ['57489']],
  ['05966012', 'Finnentrop', 17, ['57413']],
  ['05966016', 'Kirchhundem', 11, ['57399']],
  ['05966020', 'Lennestadt', 25, ['57368']],
  ['05966024', 'Olpe', 24, ['57462']],
  ['05966028', 'Wenden', 19, ['57482']],
  ['05970004', 'Bad Berleburg', 19, ['57319']],
  ['05970008', 'Burbach', 14, ['57299']],
  ['05970012', 'Erndtebrück', 7, ['57339']],
  ['05970016', 'Freudenberg', 18, ['57258']],
  ['05970020', 'Hilchenbach', 15, ['57271']],
  ['05970024', 'Kreuztal', 31, ['57223']],
  ['05970028', 'Bad Laasphe', 13, ['57334']],
  ['05970032', 'Netphen', 23, ['57250']],
  ['05970036', 'Neunkirchen', 13, ['57290']],
  ['05970040', 'Siegen', 102, ['57072', '57074', '57076', '57078', '57080']],
  ['05970044', 'Wilnsdorf', 20, ['57234']],
  ['05974004', 'Anröchte', 10, ['59609']],
  ['05974008', 'Bad Sassendorf', 12, ['59505']],
  ['05974012', 'Ense', 12, ['59469']],
  ['05974016', 'Erwitte', 16, ['59597']],
  ['05974020', 'Geseke', 21, ['59590']],
  ['05974024', 'Lippetal', 12, ['59510']],
  ['05974028', 'Lippstadt', 68, ['59555', '59556', '59557', '59558']],
  ['05974032', 'Möhnesee', 12, ['59519']],
  ['05974036', 'Rüthen', 11, ['59602']],
  ['05974040', 'Soest', 48, ['59494']],
  ['05974044', 'Warstein', 25, ['59581']],
  ['05974048', 'Welver', 12, ['59514']],
  ['05974052', 'Werl', 31, ['59457']],
  ['05974056', 'Wickede (Ruhr)', 12, ['58739']],
];

export const DEMO_MUNICIPALITIES = MUNICIPALITIES.map(([ags, ort, , plz]) => ({ ags, ort, plz }));

const MUNICIPALITY = new Picker(
  MUNICIPALITIES.map((m) => [m, m[2]] as [(typeof MUNICIPALITIES)[number], number]),
);

export interface GenerateOptions {
  count: number;
  seed: number;
  /** Reference day for ages (default 2026-11-01). */
  referenceDay?: string;
  /** Only these AGS (default: all demo municipalities). */
  ags?: string[];
}

/** Yields persons household by household until `count` persons exist. */
export function* generatePersons(opts: GenerateOptions): Generator<RegisterPerson> {
  const rnd = mulberry32(opts.seed);
  const ref = opts.referenceDay ?? '2026-11-01';
  const towns = opts.ags ? MUNICIPALITIES.filter((m) => opts.ags?.includes(m[0])) : MUNICIPALITIES;
  const townPicker = opts.ags
    ? new Picker(towns.map((m) => [m, m[2]] as [(typeof towns)[number], number]))
    : MUNICIPALITY;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const chance = (p: number) => rnd() < p;
  const bornAgedBetween = (lo: number, hi: number) => addDays(ref, -(int(lo * 365, hi * 365 + 364) + 1));
  let personNo = 0;
  let householdNo = 0;
  const nextId = () => `P${String(++personNo).padStart(8, '0')}`;

  const familyName = (): { name: string; particle: string | null; nat: string } => {
    if (chance(0.11)) {
      const [name, nat] = FOREIGN_FAMILY.pick(rnd);
      return { name, particle: null, nat };
    }
    if (chance(0.012)) {
      const [particle, name] = PARTICLE_NAMES.pick(rnd);
      return { name, particle, nat: 'DEU' };
    }
    return { name: FAMILY_NAMES.pick(rnd), particle: null, nat: 'DEU' };
  };
  const firstNames = (sex: 'm' | 'w') => {
    const p = sex === 'm' ? MALE : FEMALE;
    const a = p.pick(rnd);
    if (chance(0.35)) {
      const b = p.pick(rnd);
      if (b !== a) return `${a} ${b}`;
    }
    return a;
  };

  while (personNo < opts.count) {
    const [ags, ort, , plzs] = townPicker.pick(rnd);
    const plz = plzs[int(0, plzs.length - 1)] as string;
    const strasse = STREETS.pick(rnd);
    const hausnummer = `${int(1, 180)}${chance(0.08) ? 'abc'[int(0, 2)] : ''}`;
    const haushalt = `H${String(++householdNo).padStart(8, '0')}`;
    const einzug = addDays(ref, -int(30, 365 * 30));
    const fam = familyName();
    const base = {
      strasse,
      hausnummer,
      plz,
      ort,
      ags,
      haushaltId: haushalt,
      einzugsdatum: einzug,
    };
    const birthPlace = (nat: string) =>
      nat !== 'DEU' && chance(0.7) ? (FOREIGN_BIRTH_PLACES[nat] ?? 'Wien') : BIRTH_PLACES.pick(rnd);
    const out: RegisterPerson[] = [];
    const kind = rnd();
    const adultSex: 'm' | 'w' = chance(0.5) ? 'm' : 'w';
    const a1: RegisterPerson = {
      personenId: nextId(),
      familienname: fam.name,
      namensbestandteil: fam.particle,
      vornamen: firstNames(adultSex),
      geburtsname: null,
      geburtsdatum: bornAgedBetween(18, 92),
      geburtsort: birthPlace(fam.nat),
      geschlecht: chance(0.001) ? 'd' : adultSex,
      staatsangehoerigkeit: fam.nat,
      ehegatteId: null,
      elternIds: null,
      ...base,
    };
    out.push(a1);
    if (kind >= 0.4) {
      // Couple (married), possibly with children, possibly a grandparent.
      const otherSex: 'm' | 'w' = adultSex === 'm' ? 'w' : 'm';
      const own = familyName();
      const doubleName = chance(0.06);
      const keepsOwn = !doubleName && chance(0.1);
      const a2: RegisterPerson = {
        personenId: nextId(),
        familienname: keepsOwn ? own.name : doubleName ? `${fam.name}-${own.name}` : fam.name,
        namensbestandteil: keepsOwn ? own.particle : fam.particle,
        vornamen: firstNames(otherSex),
        geburtsname: keepsOwn ? null : own.particle ? `${own.particle} ${own.name}` : own.name,
        geburtsdatum: addDays(a1.geburtsdatum, int(-3000, 3000)),
        geburtsort: birthPlace(own.nat),
        geschlecht: otherSex,
        staatsangehoerigkeit: own.nat === fam.nat ? own.nat : chance(0.5) ? `${own.nat},DEU` : own.nat,
        ehegatteId: a1.personenId,
        elternIds: null,
        ...base,
      };
      if (a2.geburtsdatum > addDays(ref, -18 * 366)) a2.geburtsdatum = addDays(ref, -20 * 366);
      a1.ehegatteId = a2.personenId;
      out.push(a2);
      if (kind >= 0.65) {
        const children = int(1, 3);
        const youngest = [a1.geburtsdatum, a2.geburtsdatum].sort()[1] as string;
        for (let i = 0; i < children; i++) {
          const sex: 'm' | 'w' = chance(0.5) ? 'm' : 'w';
          let born = addDays(youngest, int(20 * 365, 40 * 365));
          if (born > ref) born = addDays(ref, -int(1, 17 * 365));
          out.push({
            personenId: nextId(),
            familienname: fam.name,
            namensbestandteil: fam.particle,
            vornamen: firstNames(sex),
            geburtsname: null,
            geburtsdatum: born,
            geburtsort: BIRTH_PLACES.pick(rnd),
            geschlecht: sex,
            staatsangehoerigkeit: fam.nat === 'DEU' || chance(0.6) ? 'DEU' : fam.nat,
            ehegatteId: null,
            elternIds: `${a1.personenId},${a2.personenId}`,
            ...base,
          });
        }
      }
    } else if (kind >= 0.32) {
      // Single parent with a child.
      const sex: 'm' | 'w' = chance(0.5) ? 'm' : 'w';
      let born = addDays(a1.geburtsdatum, int(20 * 365, 38 * 365));
      if (born > ref) born = addDays(ref, -int(1, 17 * 365));
      out.push({
        personenId: nextId(),
        familienname: fam.name,
        namensbestandteil: fam.particle,
        vornamen: firstNames(sex),
        geburtsname: null,
        geburtsdatum: born,
        geburtsort: BIRTH_PLACES.pick(rnd),
        geschlecht: sex,
        staatsangehoerigkeit: fam.nat,
        ehegatteId: null,
        elternIds: a1.personenId,
        ...base,
      });
    }
    for (const p of out) {
      if (personNo - out.length + out.indexOf(p) >= opts.count) return;
      yield p;
    }
  }
}

export function personToCsvLine(p: RegisterPerson): string {
  const values: Record<(typeof REGISTER_COLUMNS)[number], string | null> = {
    personen_id: p.personenId,
    familienname: p.familienname,
    namensbestandteil: p.namensbestandteil,
    vornamen: p.vornamen,
    geburtsname: p.geburtsname,
    geburtsdatum: p.geburtsdatum,
    geburtsort: p.geburtsort,
    geschlecht: p.geschlecht,
    staatsangehoerigkeit: p.staatsangehoerigkeit,
    strasse: p.strasse,
    hausnummer: p.hausnummer,
    plz: p.plz,
    ort: p.ort,
    ags: p.ags,
    haushalt_id: p.haushaltId,
    ehegatte_id: p.ehegatteId,
    eltern_ids: p.elternIds,
    einzugsdatum: p.einzugsdatum,
  };
  return REGISTER_COLUMNS.map((c) => csvField(values[c])).join(';');
}

/** Writes a synthetic export; returns the number of persons written. */
export function writeSyntheticExport(
  file: string,
  opts: GenerateOptions & { encoding?: 'utf-8' | 'latin1' },
): number {
  const fd = fs.openSync(file, 'w');
  const enc: BufferEncoding = opts.encoding === 'latin1' ? 'latin1' : 'utf8';
  let n = 0;
  try {
    let buf: string[] = [REGISTER_COLUMNS.join(';')];
    for (const p of generatePersons(opts)) {
      const line = personToCsvLine(p);
      buf.push(enc === 'latin1' ? toLatin1Safe(line) : line);
      n++;
      if (buf.length >= 20_000) {
        fs.writeSync(fd, Buffer.from(`${buf.join('\n')}\n`, enc));
        buf = [];
      }
    }
    if (buf.length) fs.writeSync(fd, Buffer.from(`${buf.join('\n')}\n`, enc));
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

const NO_DECOMPOSITION: Record<string, string> = { ı: 'i', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', ø: 'ø' };

/** ISO-8859-1 has no ş, ı, ł …: such letters lose their accent (Şahin -> Sahin) in latin1 output. */
function toLatin1Safe(line: string): string {
  return line.replace(
    /[\u0100-\u{10ffff}]/gu,
    (ch) => NO_DECOMPOSITION[ch] ?? (ch.normalize('NFKD').replace(/\p{M}/gu, '')[0] || '?'),
  );
}
