import { KolButton, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, newIdempotencyKey } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { selected } from '../../../web/scope.js';
import { ErrorAlert, InfoAlert, Loading } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE, refusalText } from '../../../web/write.js';
import { DIENST_STATUS, DIENST_STATUS_LABELS } from '../katalog.js';
import type { DienstView, LageView } from '../server/catalogue.js';
import { berlinToIso, isoToBerlin, TIME } from './time.js';
import './krisenstab.css';

/** Shared parts of the Krisenstab pages: figures, charts, the catalogue editor. */
export interface Figures {
  offen: number;
  ueberfaellig: number;
  angelegtHeute: number;
  erledigtHeute: number;
  gesamt: number;
  uebergeben: number;
  inUebergabe: number;
  nichtUebergeben: number;
}
export interface DayPoint {
  tag: string;
  angelegt: number;
  erledigt: number;
  offen: number;
}

const nf = new Intl.NumberFormat('de-DE');
export const n = (v: number) => nf.format(v);
export const shortDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

export function KeyFigures({ f, label }: { f: Figures; label: string }) {
  const items: Array<[string, number]> = [
    ['Offen', f.offen],
    ['Überfällig', f.ueberfaellig],
    ['Heute angelegt', f.angelegtHeute],
    ['Heute erledigt', f.erledigtHeute],
    ['Übergeben', f.uebergeben],
    ['In Übergabe', f.inUebergabe],
    ['Noch nicht übergeben', f.nichtUebergeben],
  ];
  return (
    <ul className="kennzahlen" aria-label={label}>
      {items.map(([l, v]) => (
        <li key={l}>
          <span className="zahl">{n(v)}</span> {l}
        </li>
      ))}
    </ul>
  );
}

/** The server's SVG chart and, for screen readers and keyboard users, the same numbers as a table. */
export function BacklogChart({ query, points, title }: { query: string; points: DayPoint[]; title: string }) {
  const last = points.at(-1);
  return (
    <section className="verlauf" aria-labelledby="verlauf-titel">
      <h2 id="verlauf-titel">{title}</h2>
      <img
        src={`/api/krisenstab/verlauf.svg?${query}`}
        width={760}
        height={300}
        alt={
          last
            ? `Diagramm: ${title}. Zuletzt ${last.offen} offene Vorgänge; die Zahlen stehen in der Tabelle darunter.`
            : `Diagramm: ${title}.`
        }
      />
      <details>
        <summary>Zahlen als Tabelle</summary>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Tag</th>
                <th scope="col">Angelegt</th>
                <th scope="col">Erledigt</th>
                <th scope="col">Offen am Tagesende</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.tag}>
                  <th scope="row">{shortDate(p.tag)}</th>
                  <td>{n(p.angelegt)}</td>
                  <td>{n(p.erledigt)}</td>
                  <td>{n(p.offen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const numOrNull = (s: string): number | null | 'bad' => {
  const t = s.trim();
  if (!t) return null;
  const v = Number(t);
  return Number.isInteger(v) ? v : 'bad';
};

interface CatalogueResponse {
  authority: { ags: string; name: string; kind: string };
  lage: LageView;
  dienste: DienstView[];
  aenderungen: Array<{
    id: string;
    dienstId: string;
    at: string;
    actorName: string;
    changes: Record<string, unknown>;
  }>;
  editableLage: boolean;
}

/** Edits one entry of the catalogue (all fields; saved with the version it was loaded with). */
function DienstForm({
  ags,
  d,
  onSaved,
  create,
  officeType,
}: {
  ags: string;
  d: DienstView | null;
  onSaved: (msg: string) => void;
  create?: boolean;
  officeType?: string | null;
}) {
  const id = d?.key ?? 'neu';
  const [title, setTitle] = useState(d?.title ?? '');
  const [status, setStatus] = useState<string>(d?.status ?? '');
  const [ort, setOrt] = useState(d?.ort ?? '');
  const [zeiten, setZeiten] = useState(d?.zeiten ?? '');
  const [ausweich, setAusweich] = useState(d?.ausweichName ?? '');
  const [hotline, setHotline] = useState(d?.hotline ?? '');
  const [hinweis, setHinweis] = useState(d?.hinweis ?? '');
  const [mta, setMta] = useState(d?.mtaStunden?.toString() ?? '');
  const [waz, setWaz] = useState(d?.wazStunden?.toString() ?? '');
  const [niveau, setNiveau] = useState(d?.niveauProzent?.toString() ?? '');
  const [oeffentlich, setOeffentlich] = useState(d ? (d.oeffentlich ? 'ja' : 'nein') : 'ja');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const m = numOrNull(mta);
    const w = numOrNull(waz);
    const nv = numOrNull(niveau);
    if (m === 'bad' || w === 'bad' || nv === 'bad')
      return setError('MTA, WAZ und Niveau: Bitte ganze Zahlen angeben.');
    const dienst = {
      title: title.trim(),
      status: status || null,
      ort: ort.trim() || null,
      zeiten: zeiten.trim() || null,
      ausweichAgs: d?.ausweichAgs && ausweich === d.ausweichName ? d.ausweichAgs : null,
      ausweichName: ausweich.trim() || null,
      hotline: hotline.trim() || null,
      hinweis: hinweis.trim() || null,
      mtaStunden: m,
      wazStunden: w,
      niveauProzent: nv,
      oeffentlich: oeffentlich === 'ja',
    };
    setBusy(true);
    setError(null);
    try {
      if (create) {
        const r = await postOrQueue(
          `/api/krisenstab/katalog/${ags}/dienste`,
          { officeType: officeType ?? null, dienst },
          `Dienst aufnehmen: ${dienst.title}`,
        );
        onSaved(r.queued ? QUEUED_MESSAGE : `„${dienst.title}“ aufgenommen.`);
      } else if (d) {
        await api.put(
          `/api/krisenstab/katalog/${ags}/dienste/${encodeURIComponent(d.key)}`,
          { expectedVersion: d.version, dienst },
          { idempotencyKey: newIdempotencyKey() },
        );
        onSaved(`„${dienst.title}“ gespeichert.`);
      }
    } catch (e) {
      setError(refusalText(e, messageOf));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <ErrorAlert message={error} />
      <div className="dienst-form">
        <KolInputText
          id={`feld-titel-${id}`}
          _label="Bezeichnung"
          _required
          _value={title}
          _on={{ onInput: (_e, v) => setTitle(text(v)) }}
        />
        <KolSelect
          id={`feld-status-${id}`}
          _label="Status"
          _options={[
            { value: '', label: 'nicht erfasst' },
            ...DIENST_STATUS.map((s) => ({ value: s, label: DIENST_STATUS_LABELS[s] })),
          ]}
          _value={status}
          _on={{ onInput: (_e, v) => setStatus(selected(v)) }}
        />
        <KolInputText
          id={`feld-ausweich-${id}`}
          _label="Ausweichbehörde (bei Nachbarbehörde)"
          _value={ausweich}
          _on={{ onInput: (_e, v) => setAusweich(text(v)) }}
        />
        <KolInputText
          id={`feld-ort-${id}`}
          _label="Ort (Adresse)"
          _value={ort}
          _on={{ onInput: (_e, v) => setOrt(text(v)) }}
        />
        <KolTextarea
          id={`feld-zeiten-${id}`}
          _label="Zeiten"
          _rows={2}
          _value={zeiten}
          _on={{ onInput: (_e, v) => setZeiten(text(v)) }}
        />
        <KolInputText
          id={`feld-hotline-${id}`}
          _label="Telefon"
          _value={hotline}
          _on={{ onInput: (_e, v) => setHotline(text(v)) }}
        />
        <KolTextarea
          id={`feld-hinweis-${id}`}
          _label="Hinweis für Bürgerinnen und Bürger"
          _rows={2}
          _value={hinweis}
          _on={{ onInput: (_e, v) => setHinweis(text(v)) }}
        />
        <KolInputText
          id={`feld-mta-${id}`}
          _label="MTA (Stunden)"
          _value={mta}
          _on={{ onInput: (_e, v) => setMta(text(v)) }}
        />
        <KolInputText
          id={`feld-waz-${id}`}
          _label="WAZ (Stunden)"
          _value={waz}
          _on={{ onInput: (_e, v) => setWaz(text(v)) }}
        />
        <KolInputText
          id={`feld-niveau-${id}`}
          _label="Notbetriebsniveau (%)"
          _value={niveau}
          _on={{ onInput: (_e, v) => setNiveau(text(v)) }}
        />
        <KolSelect
          id={`feld-oeffentlich-${id}`}
          _label="Auf der öffentlichen Seite zeigen"
          _options={[
            { value: 'ja', label: 'ja' },
            { value: 'nein', label: 'nein' },
          ]}
          _value={oeffentlich}
          _on={{ onInput: (_e, v) => setOeffentlich(selected(v) || 'ja') }}
        />
      </div>
      <KolButton
        _label={create ? 'Dienst aufnehmen' : `${d?.title ?? 'Dienst'} speichern`}
        _type="submit"
        _disabled={busy}
      />
    </form>
  );
}

/** The situation of an authority: outage start, public notice, contact (crisis team). */
function LageForm({ ags, lage, onSaved }: { ags: string; lage: LageView; onSaved: (msg: string) => void }) {
  const start = lage.ausfallSeit ? isoToBerlin(lage.ausfallSeit) : { date: '', time: '' };
  const [datum, setDatum] = useState(start.date ? shortDate(start.date) : '');
  const [zeit, setZeit] = useState(start.time);
  const [hinweis, setHinweis] = useState(lage.hinweis ?? '');
  const [telefon, setTelefon] = useState(lage.buergertelefon ?? '');
  const [email, setEmail] = useState(lage.kontaktEmail ?? '');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let ausfallSeit: string | null = null;
    if (datum.trim()) {
      const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(datum.trim());
      if (!m || !TIME.test(zeit.trim()))
        return setError('Ausfall seit: Datum TT.MM.JJJJ und Uhrzeit HH:MM angeben.');
      ausfallSeit = berlinToIso(
        `${m[3]}-${(m[2] ?? '').padStart(2, '0')}-${(m[1] ?? '').padStart(2, '0')}`,
        zeit.trim(),
      );
    }
    try {
      await api.put(
        `/api/krisenstab/katalog/${ags}/lage`,
        {
          expectedVersion: lage.version,
          lage: {
            ausfallSeit,
            hinweis: hinweis.trim() || null,
            buergertelefon: telefon.trim() || null,
            kontaktEmail: email.trim() || null,
          },
        },
        { idempotencyKey: newIdempotencyKey() },
      );
      setError(null);
      onSaved('Lage gespeichert.');
    } catch (e) {
      setError(refusalText(e, messageOf));
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <ErrorAlert message={error} />
      <div className="dienst-form">
        <KolInputText
          id="feld-ausfall-datum"
          _label="Ausfall seit: Datum"
          _placeholder="TT.MM.JJJJ"
          _value={datum}
          _on={{ onInput: (_e, v) => setDatum(text(v)) }}
        />
        <KolInputText
          id="feld-ausfall-zeit"
          _label="Ausfall seit: Uhrzeit"
          _placeholder="HH:MM"
          _value={zeit}
          _on={{ onInput: (_e, v) => setZeit(text(v)) }}
        />
        <KolInputText
          id="feld-buergertelefon"
          _label="Bürgertelefon"
          _value={telefon}
          _on={{ onInput: (_e, v) => setTelefon(text(v)) }}
        />
        <KolInputText
          id="feld-kontakt-email"
          _label="E-Mail für Bürgerinnen und Bürger"
          _value={email}
          _on={{ onInput: (_e, v) => setEmail(text(v)) }}
        />
        <KolTextarea
          id="feld-lage-hinweis"
          _label="Hinweis auf der öffentlichen Seite"
          _rows={3}
          _value={hinweis}
          _on={{ onInput: (_e, v) => setHinweis(text(v)) }}
        />
      </div>
      <KolButton _label="Lage speichern" _type="submit" />
    </form>
  );
}

/**
 * The catalogue of one authority: its situation (crisis team), every service with status, WAZ
 * judgement and an edit form where the user may change it, a form for further services, and the
 * recent changes.
 */
export function CatalogueEditor({ ags, newOfficeType }: { ags: string; newOfficeType?: string | null }) {
  const [data, setData] = useState<CatalogueResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const load = useCallback(async () => {
    try {
      setData(await api.get<CatalogueResponse>(`/api/krisenstab/katalog/${ags}`));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags]);
  useEffect(() => {
    void load();
  }, [load]);
  const saved = (msg: string) => {
    setInfo(msg);
    setVersion((v) => v + 1);
    void load();
  };
  if (error) return <ErrorAlert message={error} />;
  if (!data) return <Loading what="Dienstekatalog" />;
  const canCreate = data.editableLage || !!newOfficeType;
  return (
    <>
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      <p>
        <a href={`/oeffentlich/${ags}`} target="_blank" rel="noopener">
          Öffentliche Seite von {data.authority.name} ansehen (öffnet in neuem Fenster)
        </a>
      </p>
      {data.editableLage ? (
        <section aria-labelledby="lage-titel">
          <h2 id="lage-titel">Lage und Kontakt</h2>
          <LageForm key={`lage-${version}`} ags={ags} lage={data.lage} onSaved={saved} />
        </section>
      ) : null}
      <section aria-labelledby="dienste-titel">
        <h2 id="dienste-titel">Dienste</h2>
        {data.dienste.map((d) => (
          <div className="dienst" key={`${d.key}-${version}`}>
            <h3>{d.title}</h3>
            <p>
              Status: <strong>{d.statusLabel}</strong>
              {d.statusSeit ? ` seit ${formatDateTime(d.statusSeit)}` : ''}
              {d.ausweichName && d.status === 'nachbarbehoerde' ? ` (${d.ausweichName})` : ''}.{' '}
              <span className={d.waz.state.includes('ueberschritten') ? 'waz-ueberschritten' : undefined}>
                WAZ: {d.waz.label}
                {d.waz.stunden !== null ? ` (${d.waz.stunden.toLocaleString('de-DE')} Std.)` : ''}
              </span>
              {d.waz.mtaUeberschritten ? (
                <span className="waz-ueberschritten"> MTA überschritten.</span>
              ) : null}
            </p>
            {d.editable ? (
              <details>
                <summary>{d.title} bearbeiten</summary>
                <DienstForm ags={ags} d={d} onSaved={saved} />
              </details>
            ) : null}
          </div>
        ))}
        {canCreate ? (
          <details>
            <summary>Weiteren Dienst aufnehmen</summary>
            <DienstForm
              key={`neu-${version}`}
              ags={ags}
              d={null}
              create
              officeType={newOfficeType ?? null}
              onSaved={saved}
            />
          </details>
        ) : null}
      </section>
      {data.aenderungen.length ? (
        <section aria-labelledby="aenderungen-titel">
          <h2 id="aenderungen-titel">Letzte Änderungen</h2>
          <ul>
            {data.aenderungen.slice(0, 10).map((a) => (
              <li key={a.id}>
                {formatDateTime(a.at)}, {a.actorName}: {Object.keys(a.changes).join(', ')}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
