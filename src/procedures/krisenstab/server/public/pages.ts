import { formatGermanDate, type IsoDate, todayInGermany } from '../../../../core/dates.js';
import { DIENST_STATUS_LABELS, type DienstStatus } from '../../katalog.js';
import type { PublicSlot } from '../appointments.js';
import type { DienstView, LageView } from '../catalogue.js';
import { germanDateTime, germanTime, germanWeekdayDate } from '../time.js';
import { type Html, html, lines } from './html.js';

/**
 * The public pages (German, server-rendered, no script). Every page has a skip link, one h1, a
 * service navigation with the Leichte-Sprache page and the accessibility statement (BITV NRW),
 * and labelled forms with an error summary. Only public fields of the catalogue are shown; no
 * page shows anything a citizen entered.
 */
export const PREFIX = '/oeffentlich';

/** Date of the accessibility statement (self-assessment of this release). */
export const STATEMENT_DATE: IsoDate = '2026-12-03';

export interface AuthorityInfo {
  ags: string;
  name: string;
  kind: string;
  kreisAgs: string;
  kreisName: string | null;
}

const kindName = (a: { name: string; kind: string }) => {
  if (a.kind === 'Kreis' && !/kreis/i.test(a.name)) return `Kreis ${a.name}`;
  if (a.kind === 'Stadt' && !/^Stadt /.test(a.name)) return `Stadt ${a.name}`;
  if (a.kind === 'Gemeinde' && !/^Gemeinde /.test(a.name)) return `Gemeinde ${a.name}`;
  return a.name;
};

export { kindName };

function layout(opts: { title: string; authority?: AuthorityInfo; body: Html }): string {
  const a = opts.authority;
  const base = a ? `${PREFIX}/${a.ags}` : PREFIX;
  const nav = a
    ? html`<nav class="service" aria-label="Service">
        <ul>
          <li><a href="${base}">Übersicht der Dienste</a></li>
          <li><a href="${base}/termine">Termin buchen</a></li>
          <li><a href="${base}/absagen">Termin absagen</a></li>
          <li><a href="${base}/leichte-sprache" lang="de">Leichte Sprache</a></li>
          <li><a href="${base}/barrierefreiheit">Erklärung zur Barrierefreiheit</a></li>
          <li><a href="${PREFIX}">Andere Kommune wählen</a></li>
        </ul>
      </nav>`
    : html``;
  return `<!doctype html>${html`<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title}</title>
<link rel="stylesheet" href="${PREFIX}/style.css">
</head>
<body>
<a class="skip" href="#inhalt">Zum Inhalt springen</a>
<header class="site">
  <p class="site-name">${a ? kindName(a) : 'Verwaltung im Notbetrieb'}</p>
  <p class="site-sub">Erreichbarkeit der Verwaltung während des Notbetriebs</p>
  ${nav}
</header>
<main id="inhalt" tabindex="-1">
${opts.body}
</main>
<footer class="site">
  <ul>
    ${a ? html`<li><a href="${base}/barrierefreiheit">Erklärung zur Barrierefreiheit</a></li><li><a href="${base}/leichte-sprache">Leichte Sprache</a></li>` : html``}
    <li><a href="${PREFIX}">Alle Kommunen</a></li>
  </ul>
</footer>
</body>
</html>`}`;
}

// ---- index ----

export function indexPage(authorities: AuthorityInfo[]): string {
  const kreise = authorities.filter((a) => a.kind === 'Kreis' || a.ags === a.kreisAgs);
  const groups = kreise.map((k) => ({
    kreis: k,
    members: authorities.filter((a) => a.kreisAgs === k.ags && a.ags !== k.ags),
  }));
  const listed = new Set(groups.flatMap((g) => [g.kreis.ags, ...g.members.map((m) => m.ags)]));
  const others = authorities.filter((a) => !listed.has(a.ags));
  return layout({
    title: 'Erreichbarkeit der Verwaltung – Kommune wählen',
    body: html`<h1>Erreichbarkeit der Verwaltung</h1>
      <p>Wählen Sie Ihre Stadt, Gemeinde oder Ihren Kreis. Sie sehen dann, welche Dienste wo und wann angeboten werden, und können Termine buchen.</p>
      ${groups.map(
        (g) => html`<h2>${kindName(g.kreis)}</h2>
          <ul>
            <li><a href="${PREFIX}/${g.kreis.ags}">${kindName(g.kreis)} (Kreisverwaltung)</a></li>
            ${g.members.map((m) => html`<li><a href="${PREFIX}/${m.ags}">${kindName(m)}</a></li>`)}
          </ul>`,
      )}
      ${others.length ? html`<h2>Weitere</h2><ul>${others.map((m) => html`<li><a href="${PREFIX}/${m.ags}">${kindName(m)}</a></li>`)}</ul>` : html``}`,
  });
}

// ---- status page ----

function statusBadge(status: DienstStatus): Html {
  return html`<span class="status status-${status}">${DIENST_STATUS_LABELS[status]}</span>`;
}

function serviceSection(d: DienstView, id: string): Html {
  const status = d.status as DienstStatus;
  return html`<section class="service" aria-labelledby="${id}">
    <h3 id="${id}">${d.title}</h3>
    <p>${statusBadge(status)}${d.statusSeit ? html` <span class="stand">seit ${germanDateTime(d.statusSeit)} Uhr</span>` : html``}</p>
    <dl>
      ${status === 'nachbarbehoerde' && d.ausweichName ? html`<dt>Zuständig zurzeit</dt><dd>${d.ausweichName}</dd>` : html``}
      ${d.ort ? html`<dt>Wo</dt><dd>${d.ort}</dd>` : html``}
      ${d.zeiten ? html`<dt>Wann</dt><dd>${lines(d.zeiten)}</dd>` : html``}
      ${d.hotline ? html`<dt>Telefon</dt><dd><a href="tel:${d.hotline.replace(/[^0-9+]/g, '')}">${d.hotline}</a></dd>` : html``}
      ${d.hinweis ? html`<dt>Hinweis</dt><dd>${lines(d.hinweis)}</dd>` : html``}
    </dl>
  </section>`;
}

export function publishedServices(dienste: DienstView[]): DienstView[] {
  return dienste.filter((d) => d.oeffentlich && d.status !== null);
}

function contactBox(lage: LageView): Html {
  if (!lage.buergertelefon && !lage.kontaktEmail) return html``;
  return html`<div class="contact">
    <h2>Kontakt</h2>
    <p>
      ${lage.buergertelefon ? html`Bürgertelefon: <a href="tel:${lage.buergertelefon.replace(/[^0-9+]/g, '')}">${lage.buergertelefon}</a><br>` : html``}
      ${lage.kontaktEmail ? html`E-Mail: <a href="mailto:${lage.kontaktEmail}">${lage.kontaktEmail}</a>` : html``}
    </p>
  </div>`;
}

export function lastChange(lage: LageView, dienste: DienstView[]): string | null {
  const times = [lage.updatedAt, ...dienste.map((d) => d.updatedAt)].filter((t): t is string => !!t);
  return times.length ? (times.sort().at(-1) as string) : null;
}

export function statusPage(opts: {
  authority: AuthorityInfo;
  lage: LageView;
  dienste: DienstView[];
  offices: Array<{ officeType: string; officeLabel: string }>;
}): string {
  const { authority: a, lage } = opts;
  const shown = publishedServices(opts.dienste);
  const stand = lastChange(lage, opts.dienste);
  const base = `${PREFIX}/${a.ags}`;
  return layout({
    title: `${kindName(a)}: Erreichbarkeit der Verwaltung`,
    authority: a,
    body: html`<h1>${kindName(a)}: Welche Dienste gibt es wo und wann?</h1>
      ${lage.hinweis ? html`<div class="notice"><h2>Aktueller Hinweis</h2><p>${lines(lage.hinweis)}</p></div>` : html``}
      <p class="stand">${stand ? html`Stand: ${germanDateTime(stand)} Uhr.` : html`Noch keine Angaben der Verwaltung.`} Diese Seite wird laufend aktualisiert.</p>
      ${contactBox(lage)}
      ${
        opts.offices.length
          ? html`<h2>Termine</h2><p>Termine können Sie online buchen bei: ${opts.offices.map((o, i) => html`${i ? ', ' : ''}${o.officeLabel}`)}.</p>
            <p><a href="${base}/termine">Termin online buchen</a> · <a href="${base}/absagen">Gebuchten Termin absagen</a></p>`
          : html``
      }
      <h2>Dienste</h2>
      ${
        shown.length
          ? shown.map((d, i) => serviceSection(d, `dienst-${i + 1}`))
          : html`<p>Zurzeit liegen hier keine Angaben zu einzelnen Diensten vor.${lage.buergertelefon ? html` Bitte rufen Sie das Bürgertelefon an.` : html``}</p>`
      }
      ${
        a.kind !== 'Kreis' && a.kreisName && a.kreisAgs !== a.ags
          ? html`<h2>Dienste des Kreises</h2><p>Zulassungsstelle, Führerscheinstelle und Ausländerbehörde gehören meist zum Kreis: <a href="${PREFIX}/${a.kreisAgs}">${kindName({ name: a.kreisName, kind: 'Kreis' })}</a>.</p>`
          : html``
      }
      <h2>Zum Ausdrucken</h2>
      <p><a href="${base}/aushang.pdf">Aushang mit QR-Code für die Tür des Rathauses (PDF)</a>. Der Aushang enthält dieselben Angaben wie diese Seite.</p>`,
  });
}

// ---- Leichte Sprache ----

const LEICHT: Record<DienstStatus, (d: DienstView) => Html> = {
  normal: () => html`Das geht wie immer.`,
  notbetrieb: () => html`Das geht. Es dauert aber länger als sonst.`,
  nachbarbehoerde: (d) =>
    html`Das macht gerade ein anderes Amt.${d.ausweichName ? html` Das Amt heißt: ${d.ausweichName}.` : html``}`,
  ausgesetzt: () => html`Dafür müssen Sie gerade warten. Später geht es wieder.`,
};

export function leichteSprachePage(opts: {
  authority: AuthorityInfo;
  lage: LageView;
  dienste: DienstView[];
}): string {
  const { authority: a, lage } = opts;
  const shown = publishedServices(opts.dienste);
  const base = `${PREFIX}/${a.ags}`;
  return layout({
    title: `${kindName(a)}: Informationen in Leichter Sprache`,
    authority: a,
    body: html`<h1>Informationen in Leichter Sprache</h1>
      <p>Das ist die Internet-Seite von: ${kindName(a)}.</p>
      <p>Die Verwaltung hat gerade Probleme mit den Computern.</p>
      <p>Deshalb dauert manches länger.</p>
      <p>Manches macht gerade ein anderes Amt.</p>

      <h2>Was steht auf dieser Internet-Seite?</h2>
      <p>Hier steht:</p>
      <ul>
        <li>Welche Dienste gibt es gerade?</li>
        <li>Wo bekommen Sie diese Dienste?</li>
        <li>Wann ist das Amt offen?</li>
      </ul>
      <p>Sie können hier auch einen Termin machen.</p>

      <h2>Welche Dienste gibt es gerade?</h2>
      ${
        shown.length
          ? html`<ul>${shown.map(
              (d) =>
                html`<li><strong>${d.title}</strong>: ${LEICHT[d.status as DienstStatus](d)}${
                  d.ort ? html` Der Ort ist: ${d.ort}.` : html``
                }${d.zeiten ? html` Die Zeiten sind: ${d.zeiten}.` : html``}</li>`,
            )}</ul>`
          : html`<p>Hier stehen noch keine Dienste. Bitte rufen Sie bei der Verwaltung an.</p>`
      }

      <h2>So finden Sie sich auf der Internet-Seite zurecht</h2>
      <p>Oben auf jeder Seite sind Links.</p>
      <ul>
        <li><a href="${base}">Übersicht der Dienste</a>: Dort stehen alle Dienste.</li>
        <li><a href="${base}/termine">Termin buchen</a>: Dort machen Sie einen Termin.</li>
        <li><a href="${base}/absagen">Termin absagen</a>: Dort sagen Sie einen Termin ab. Dafür brauchen Sie den Buchungs-Code.</li>
        <li><a href="${base}/barrierefreiheit">Erklärung zur Barrierefreiheit</a>: Dort steht, wie gut Sie die Seite benutzen können.</li>
      </ul>

      <h2>Sie brauchen Hilfe?</h2>
      ${
        lage.buergertelefon || lage.kontaktEmail
          ? html`<p>${lage.buergertelefon ? html`Rufen Sie an: ${lage.buergertelefon}. ` : html``}${
              lage.kontaktEmail ? html`Oder schreiben Sie eine E-Mail an: ${lage.kontaktEmail}.` : html``
            }</p>`
          : html`<p>Gehen Sie zur Verwaltung. Dort hilft man Ihnen.</p>`
      }

      <h2>Erklärung zur Barriere-Freiheit</h2>
      <p>Alle Menschen sollen diese Internet-Seite gut benutzen können.</p>
      <p>Zum Beispiel auch blinde Menschen. Oder Menschen mit Lern-Schwierigkeiten.</p>
      <p>Das steht in einem Gesetz.</p>
      <p>Manche Teile sind noch schwer zu benutzen. Zum Beispiel der Aushang als PDF.</p>
      <p>Im Aushang steht aber dasselbe wie auf dieser Seite.</p>
      <p>Sie finden etwas schwer? Dann sagen Sie uns das. Rufen Sie an, schreiben Sie uns, oder nutzen Sie das <a href="${base}/barriere-melden">Formular: Barriere melden</a>.</p>
      <p>Sie bekommen keine gute Antwort? Dann können Sie sich beschweren. Das geht bei der Ombuds-Stelle für barriere-freie Informations-Technik in Nordrhein-Westfalen.</p>

      <h2>Gibt es noch mehr in Leichter Sprache?</h2>
      <p>Auf dieser Internet-Seite gibt es nur diesen Text in Leichter Sprache.</p>`,
  });
}

// ---- accessibility statement ----

export function barrierefreiheitPage(opts: {
  authority: AuthorityInfo;
  lage: LageView;
  ombudsstelle: string;
}): string {
  const { authority: a, lage } = opts;
  const base = `${PREFIX}/${a.ags}`;
  return layout({
    title: `${kindName(a)}: Erklärung zur Barrierefreiheit`,
    authority: a,
    body: html`<h1>Erklärung zur Barrierefreiheit</h1>
      <p>${kindName(a)} ist als öffentliche Stelle bemüht, diese Seiten im Einklang mit dem Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW) und der Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen (BITV NRW) barrierefrei zugänglich zu machen.</p>
      <p>Diese Erklärung gilt für die Seiten unter <a href="${base}">${base}</a>: die Übersicht der Dienste im Notbetrieb, die Online-Terminbuchung und -absage, die Seite in Leichter Sprache und den Aushang zum Ausdrucken.</p>

      <h2>Stand der Vereinbarkeit mit den Anforderungen</h2>
      <p>Die Seiten sind mit den Anforderungen der BITV NRW (§§ 3 und 4; WCAG 2.1, Stufe AA) <strong>teilweise vereinbar</strong>. Sie funktionieren ohne JavaScript, mit der Tastatur und mit Bildschirmlesern; sie werden vor jeder Auslieferung automatisch auf die Kriterien der WCAG 2.1 A und AA geprüft (axe-core).</p>

      <h2>Nicht barrierefreie Inhalte</h2>
      <ul>
        <li>Der Aushang als PDF ist kein getaggtes (barrierefreies) PDF. Alle Angaben des Aushangs stehen auch auf der <a href="${base}">Übersichtsseite</a>.</li>
        <li>Erläuterungen in Deutscher Gebärdensprache fehlen noch. Erläuterungen in <a href="${base}/leichte-sprache">Leichter Sprache</a> gibt es.</li>
      </ul>

      <h2>Erstellung dieser Erklärung</h2>
      <p>Diese Erklärung wurde am ${formatGermanDate(STATEMENT_DATE)} erstellt. Sie beruht auf einer Selbstbewertung und der automatischen Prüfung der Seiten.</p>

      <h2>Barrieren melden: Kontakt</h2>
      <p>Sind Ihnen Barrieren aufgefallen, oder brauchen Sie Informationen in einer zugänglichen Form? Dann nutzen Sie bitte das <a href="${base}/barriere-melden">Formular „Barriere melden“</a> oder melden Sie sich:</p>
      ${
        lage.buergertelefon || lage.kontaktEmail
          ? html`<p>${lage.buergertelefon ? html`Telefon: ${lage.buergertelefon}<br>` : html``}${lage.kontaktEmail ? html`E-Mail: <a href="mailto:${lage.kontaktEmail}">${lage.kontaktEmail}</a>` : html``}</p>`
          : html`<p>bei der Verwaltung von ${kindName(a)} (Kontaktangaben folgen, sobald die Verwaltung sie hier einträgt).</p>`
      }

      <h2>Durchsetzungsverfahren</h2>
      <p>Wenn Sie auf Ihre Meldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen wenden (§§ 10d, 10e BGG NRW, §§ 9 ff. BITV NRW):</p>
      <p>${opts.ombudsstelle}</p>`,
  });
}

// ---- appointments ----

export function slotsPage(opts: {
  authority: AuthorityInfo;
  offices: Array<{ officeType: string; officeLabel: string }>;
  officeType: string | null;
  from: IsoDate;
  days: IsoDate[];
  slots: PublicSlot[];
  dayOf: (iso: string) => IsoDate;
  prev: IsoDate | null;
  next: IsoDate;
}): string {
  const { authority: a } = opts;
  const base = `${PREFIX}/${a.ags}`;
  const q = (day: IsoDate) => `${base}/termine?${opts.officeType ? `amt=${opts.officeType}&` : ''}ab=${day}`;
  const byDay = new Map<IsoDate, PublicSlot[]>();
  for (const s of opts.slots) {
    const d = opts.dayOf(s.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  return layout({
    title: `${kindName(a)}: Termin buchen`,
    authority: a,
    body: html`<h1>Termin buchen</h1>
      ${
        opts.offices.length === 0
          ? html`<p>${kindName(a)} bietet zurzeit keine Online-Termine an. Bitte nutzen Sie die Angaben auf der <a href="${base}">Übersichtsseite</a>.</p>`
          : html`
        <p>Wählen Sie einen freien Termin. Sie brauchen kein Konto. Sie bekommen einen Buchungscode, mit dem Sie den Termin wieder absagen können.</p>
        ${
          opts.offices.length > 1
            ? html`<p>Amt: ${opts.offices.map(
                (o, i) =>
                  html`${i ? ' · ' : ''}${
                    o.officeType === opts.officeType
                      ? html`<strong>${o.officeLabel}</strong>`
                      : html`<a href="${base}/termine?amt=${o.officeType}">${o.officeLabel}</a>`
                  }`,
              )}${opts.officeType ? html` · <a href="${base}/termine">alle Ämter</a>` : html``}</p>`
            : html``
        }
        <h2>Freie Termine vom ${formatGermanDate(opts.from)} bis ${formatGermanDate(opts.days.at(-1) ?? opts.from)}</h2>
        ${
          opts.slots.length === 0
            ? html`<p>In diesem Zeitraum sind keine Termine frei.</p>`
            : opts.days
                .filter((d) => byDay.has(d))
                .map(
                  (d) => html`<h3>${germanWeekdayDate(d)}</h3>
                  <ul class="slots">${(byDay.get(d) ?? []).map(
                    (s) =>
                      html`<li><a href="${base}/termine/${s.id}">${germanTime(s.startsAt)}–${germanTime(s.endsAt)} Uhr<span class="stand">, ${s.officeLabel}, ${s.roomName}</span></a></li>`,
                  )}</ul>`,
                )
        }
        <nav class="pager" aria-label="Zeitraum">
          ${opts.prev ? html`<a href="${q(opts.prev)}">Vorherige Woche</a>` : html``}
          <a href="${q(opts.next)}">Nächste Woche</a>
        </nav>`
      }`,
  });
}

export interface FormState {
  name: string;
  email: string;
  telefon: string;
  errors: Record<string, string>;
}

function field(opts: {
  id: string;
  name: keyof Omit<FormState, 'errors'>;
  label: string;
  type: string;
  autocomplete: string;
  help?: string;
  state: FormState;
  required?: boolean;
}): Html {
  const err = opts.state.errors[opts.name];
  const describedBy = [opts.help ? `${opts.id}-hilfe` : null, err ? `${opts.id}-fehler` : null]
    .filter(Boolean)
    .join(' ');
  return html`<div class="field">
    <label for="${opts.id}">${opts.label}${opts.required ? ' (Pflichtfeld)' : ''}</label>
    ${opts.help ? html`<span class="help" id="${opts.id}-hilfe">${opts.help}</span>` : html``}
    ${err ? html`<span class="field-error" id="${opts.id}-fehler">${err}</span>` : html``}
    <input type="${opts.type}" id="${opts.id}" name="${opts.name}" value="${opts.state[opts.name]}" autocomplete="${opts.autocomplete}"${
      describedBy ? html` aria-describedby="${describedBy}"` : html``
    }${err ? html` aria-invalid="true"` : html``}${opts.required ? html` required` : html``} maxlength="200">
  </div>`;
}

function errorSummary(errors: Record<string, string>, ids: Record<string, string>): Html {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert">
    <h2>Bitte prüfen Sie Ihre Angaben</h2>
    <ul>${entries.map(([k, m]) => html`<li>${ids[k] ? html`<a href="#${ids[k]}">${m}</a>` : m}</li>`)}</ul>
  </div>`;
}

export function bookingFormPage(opts: {
  authority: AuthorityInfo;
  slot: PublicSlot;
  formId: string;
  state: FormState;
  loeschfristTage: number;
}): string {
  const { authority: a, slot } = opts;
  const base = `${PREFIX}/${a.ags}`;
  const ids = { name: 'feld-name', email: 'feld-email', telefon: 'feld-telefon', kontakt: 'feld-email' };
  return layout({
    title: `${Object.keys(opts.state.errors).length ? 'Fehler: ' : ''}Termin buchen – ${kindName(a)}`,
    authority: a,
    body: html`<h1>Termin buchen</h1>
      <p><strong>${germanWeekdayDate(dayOf(slot.startsAt))}, ${germanTime(slot.startsAt)}–${germanTime(slot.endsAt)} Uhr</strong><br>
      ${slot.officeLabel}, ${slot.roomName}</p>
      ${slot.hinweis ? html`<p>${slot.hinweis}</p>` : html``}
      ${errorSummary(opts.state.errors, ids)}
      <form method="post" action="${base}/termine/${slot.id}" novalidate>
        <input type="hidden" name="formular" value="${opts.formId}">
        ${field({ id: 'feld-name', name: 'name', label: 'Ihr Name', type: 'text', autocomplete: 'name', state: opts.state, required: true })}
        <p>Wie können wir Sie erreichen, falls sich etwas ändert? Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an (mindestens eins davon).</p>
        ${field({ id: 'feld-email', name: 'email', label: 'E-Mail-Adresse', type: 'email', autocomplete: 'email', state: opts.state })}
        ${field({ id: 'feld-telefon', name: 'telefon', label: 'Telefonnummer', type: 'tel', autocomplete: 'tel', help: 'Zum Beispiel 0271 12345', state: opts.state })}
        <p>Ihre Angaben sieht nur das Amt, bei dem Sie den Termin buchen. Sie werden ${opts.loeschfristTage} Tage nach dem Termin automatisch gelöscht, bei einer Absage sofort.</p>
        <button type="submit">Termin verbindlich buchen</button>
      </form>
      <p><a href="${base}/termine">Zurück zu den freien Terminen</a></p>`,
  });
}

/** The German day of a timestamp. */
const dayOf = (iso: string): IsoDate => todayInGermany(new Date(iso));

export function bookedPage(opts: {
  authority: AuthorityInfo;
  booking: { startsAt: string; endsAt: string; roomName: string; officeLabel: string };
  code: string | null;
}): string {
  const { authority: a, booking: b } = opts;
  const base = `${PREFIX}/${a.ags}`;
  const when = html`${germanWeekdayDate(dayOf(b.startsAt))}, ${germanTime(b.startsAt)}–${germanTime(b.endsAt)} Uhr`;
  return layout({
    title: `Termin gebucht – ${kindName(a)}`,
    authority: a,
    body: html`<h1>Ihr Termin ist gebucht</h1>
      <p><strong>${when}</strong><br>${b.officeLabel}, ${b.roomName}</p>
      ${
        opts.code
          ? html`<h2>Ihr Buchungscode</h2>
            <p class="code" aria-label="Buchungscode ${opts.code.split('').join(' ')}">${opts.code}</p>
            <p>Bitte notieren Sie den Code oder drucken Sie diese Seite aus. Mit dem Code können Sie den Termin absagen. Der Code wird nur einmal angezeigt.</p>`
          : html`<p>Diese Buchung wurde bereits gespeichert. Den Buchungscode haben wir Ihnen bei der Buchung angezeigt.</p>`
      }
      <p>Bitte bringen Sie zum Termin Ihren Ausweis und die Unterlagen für Ihr Anliegen mit.</p>
      <p><a href="${base}/absagen">Termin absagen</a> · <a href="${base}">Zur Übersicht der Dienste</a></p>`,
  });
}

export function cancelFormPage(opts: {
  authority: AuthorityInfo;
  code: string;
  error: string | null;
}): string {
  const { authority: a } = opts;
  const base = `${PREFIX}/${a.ags}`;
  return layout({
    title: `${opts.error ? 'Fehler: ' : ''}Termin absagen – ${kindName(a)}`,
    authority: a,
    body: html`<h1>Termin absagen</h1>
      <p>Geben Sie den Buchungscode ein, den Sie bei der Buchung bekommen haben. Der Termin wird dann für andere frei, und Ihre Angaben werden gelöscht.</p>
      ${opts.error ? errorSummary({ code: opts.error }, { code: 'feld-code' }) : html``}
      <form method="post" action="${base}/absagen" novalidate>
        <div class="field">
          <label for="feld-code">Buchungscode (Pflichtfeld)</label>
          <span class="help" id="feld-code-hilfe">12 Zeichen, zum Beispiel ABCD-EFGH-JKLM</span>
          <input type="text" id="feld-code" name="code" value="${opts.code}" autocomplete="off" aria-describedby="feld-code-hilfe"${opts.error ? html` aria-invalid="true"` : html``} required maxlength="40">
        </div>
        <button type="submit">Termin absagen</button>
      </form>`,
  });
}

export function cancelledPage(opts: {
  authority: AuthorityInfo;
  booking: { startsAt: string; endsAt: string; roomName: string; officeLabel: string };
}): string {
  const { authority: a, booking: b } = opts;
  return layout({
    title: `Termin abgesagt – ${kindName(a)}`,
    authority: a,
    body: html`<h1>Ihr Termin ist abgesagt</h1>
      <p>Der Termin am ${germanWeekdayDate(dayOf(b.startsAt))}, ${germanTime(b.startsAt)} Uhr (${b.officeLabel}) ist abgesagt. Ihre Angaben sind gelöscht.</p>
      <p><a href="${PREFIX}/${a.ags}/termine">Einen neuen Termin buchen</a></p>`,
  });
}

export function messagePage(opts: {
  authority?: AuthorityInfo | undefined;
  title: string;
  text: string;
  back?: { href: string; label: string };
}): string {
  return layout({
    title: opts.title,
    ...(opts.authority ? { authority: opts.authority } : {}),
    body: html`<h1>${opts.title}</h1><p>${opts.text}</p>${opts.back ? html`<p><a href="${opts.back.href}">${opts.back.label}</a></p>` : html``}`,
  });
}

export interface FeedbackState {
  seite: string;
  nachricht: string;
  kontakt: string;
  errors: Record<string, string>;
}

/** The electronic contact form of the accessibility statement. */
export function feedbackFormPage(opts: {
  authority: AuthorityInfo;
  state: FeedbackState;
  loeschfristTage: number;
}): string {
  const { authority: a, state } = opts;
  const base = `${PREFIX}/${a.ags}`;
  const err = (k: string, id: string) =>
    state.errors[k] ? html`<span class="field-error" id="${id}-fehler">${state.errors[k]}</span>` : html``;
  const invalid = (k: string, id: string, help?: string) => {
    const ids = [help, state.errors[k] ? `${id}-fehler` : null].filter(Boolean).join(' ');
    return html`${ids ? html` aria-describedby="${ids}"` : html``}${state.errors[k] ? html` aria-invalid="true"` : html``}`;
  };
  return layout({
    title: `${Object.keys(state.errors).length ? 'Fehler: ' : ''}Barriere melden – ${kindName(a)}`,
    authority: a,
    body: html`<h1>Barriere melden</h1>
      <p>Sie können etwas auf diesen Seiten nicht lesen, nicht bedienen oder nicht verstehen? Schreiben Sie uns. Die Nachricht geht an die Verwaltung von ${kindName(a)}.</p>
      ${errorSummary(state.errors, { nachricht: 'feld-nachricht', seite: 'feld-seite', kontakt: 'feld-kontakt' })}
      <form method="post" action="${base}/barriere-melden" novalidate>
        <div class="field">
          <label for="feld-nachricht">Was ist schwer oder geht nicht? (Pflichtfeld)</label>
          ${err('nachricht', 'feld-nachricht')}
          <textarea id="feld-nachricht" name="nachricht" rows="6" maxlength="2000" required${invalid('nachricht', 'feld-nachricht')}>${state.nachricht}</textarea>
        </div>
        <div class="field">
          <label for="feld-seite">Auf welcher Seite? (freiwillig)</label>
          ${err('seite', 'feld-seite')}
          <input type="text" id="feld-seite" name="seite" value="${state.seite}" maxlength="200"${invalid('seite', 'feld-seite')}>
        </div>
        <div class="field">
          <label for="feld-kontakt">Wie erreichen wir Sie für eine Antwort? E-Mail oder Telefon (freiwillig)</label>
          <span class="help" id="feld-kontakt-hilfe">Ohne Angabe können wir nicht antworten.</span>
          ${err('kontakt', 'feld-kontakt')}
          <input type="text" id="feld-kontakt" name="kontakt" value="${state.kontakt}" maxlength="200" autocomplete="email"${invalid('kontakt', 'feld-kontakt', 'feld-kontakt-hilfe')}>
        </div>
        <p>Ihre Nachricht liest die Verwaltung. Sie wird nach ${opts.loeschfristTage} Tagen gelöscht.</p>
        <button type="submit">Nachricht senden</button>
      </form>`,
  });
}
