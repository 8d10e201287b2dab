import { lazy, Suspense, useEffect, useState } from 'react';
import { todayInGermany } from '../../../core/dates.js';
import { monthOf } from '../../../core/months.js';
import { api, type CaseView } from '../../../web/api.js';
import { allowed, Panel, type PanelDone, useAction } from '../../../web/case-panels.js';
import { formatDate, formatEuroCents } from '../../../web/format.js';
import type { AsylDaten } from '../definition.js';
import { ASYL_ID, AUSZUG_IDS, auszugId, nameOf, UNTERBRINGEN_IDS, unterbringenId } from '../ids.js';

/**
 * The AsylbLG parts of the case page: the Bewilligung (start day), the calculation of a month line
 * by line with the § 2 switch date of each person shown in advance (from the server, with the
 * rules in force), and the accommodation places (allocate a free place, record a move-out).
 * Plain labelled form controls; the server checks everything again.
 */

const AenderungForm = lazy(() => import('./AenderungForm.js').then((m) => ({ default: m.AenderungForm })));

interface Berechnung {
  monat: string;
  positionen: Array<{ text: string; grundlage: string; betragCents: number; quelle?: string }>;
  summeCents: number | null;
  hinweise: string[];
  fehler: string | null;
  wechsel: Array<{ person: string; ab: string | null; reason: string }>;
}

interface Unterkunft {
  id: string;
  name: string;
  plaetze: number;
  frei: number;
}

/** Today in Germany (not UTC: after midnight German time it is already the next day). */
const heute = () => todayInGermany();

function Bewilligen({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const d = view.data as AsylDaten;
  const [ab, setAb] = useState(d.zuweisung.zuweisungsdatum);
  const { busy, error, run } = useAction(view, onDone);
  return (
    <Panel id="asyl-bewilligen" title="Leistungen bewilligen">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('bewilligen', 'Leistungen bewilligen', { leistungsBeginn: ab }, 'Leistungen bewilligt.');
        }}
      >
        <label htmlFor="asyl-ab">Leistungen ab</label>
        <input id="asyl-ab" type="date" value={ab} onChange={(e) => setAb(e.target.value)} required />
        <button type="submit" className="button-primary" disabled={busy}>
          Bewilligen
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </Panel>
  );
}

function Berechnungspanel({ view }: { view: CaseView }) {
  const [monat, setMonat] = useState(monthOf(heute()));
  const [b, setB] = useState<Berechnung | null>(null);
  useEffect(() => {
    api
      .get<Berechnung>(`/api/asyl/faelle/${encodeURIComponent(view.id)}/berechnung?monat=${monat}`)
      .then(setB)
      .catch(() => setB(null));
  }, [view.id, monat]);
  return (
    <Panel id="asyl-berechnung" title="Berechnung des Monatsanspruchs">
      <label htmlFor="asyl-monat">Leistungsmonat</label>{' '}
      <input
        id="asyl-monat"
        type="month"
        value={monat}
        onChange={(e) => e.target.value && setMonat(e.target.value)}
      />
      {b?.fehler ? <p role="alert">{b.fehler}</p> : null}
      {b && !b.fehler ? (
        <div className="table-wrap">
          <table className="asyl-berechnung">
            <caption className="visually-hidden">Berechnung Zeile für Zeile</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Rechtsgrundlage</th>
                <th scope="col">Betrag</th>
              </tr>
            </thead>
            <tbody>
              {b.positionen.map((p) => (
                <tr key={`${p.text}-${p.grundlage}`}>
                  <td>{p.text}</td>
                  <td>{p.grundlage}</td>
                  <td>{formatEuroCents(p.betragCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Monatlicher Anspruch
                </th>
                <td className="asyl-summe">{formatEuroCents(b.summeCents ?? 0)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      {b?.hinweise.map((h) => (
        <p key={h} className="panel-state">
          {h}
        </p>
      ))}
      {b ? (
        <>
          <h3>Wechsel zu Leistungen entsprechend SGB XII (§ 2 AsylbLG)</h3>
          <ul className="asyl-wechsel">
            {b.wechsel.map((w) => (
              <li key={w.person}>
                {w.person}: {w.ab ? <strong>ab {formatDate(w.ab)}</strong> : 'kein Wechsel'} – {w.reason}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  );
}

function Unterbringung({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const d = view.data as AsylDaten;
  const [liste, setListe] = useState<Unterkunft[]>([]);
  const [person, setPerson] = useState('0');
  const [unterkunft, setUnterkunft] = useState('');
  const [einzug, setEinzug] = useState(heute());
  const { busy, error, run } = useAction(view, onDone);
  const canHouse = allowed(view, unterbringenId(view.status));
  useEffect(() => {
    api
      .get<{ items: Unterkunft[] }>(`/api/asyl/unterkuenfte?authorityAgs=${view.authorityAgs}`)
      .then((r) => {
        setListe(r.items);
        setUnterkunft((u) => u || (r.items.find((i) => i.frei > 0)?.id ?? ''));
      })
      .catch(() => setListe([]));
  }, [view.authorityAgs]);
  const offen = (d.belegungen ?? []).filter((b) => !b.auszug);
  const ohnePlatz = d.personen
    .map((p, i) => ({ p, i }))
    .filter(({ i }) => !offen.some((b) => b.person === i));
  return (
    <Panel id="asyl-unterbringung" title="Unterbringung">
      {offen.length ? (
        <ul className="asyl-belegung">
          {offen.map((b) => (
            <li key={b.person}>
              {d.personen[b.person] ? nameOf(d.personen[b.person] as AsylDaten['personen'][number]) : ''}:{' '}
              {b.unterkunft}, Platz {b.platzNr} seit {formatDate(b.einzug)}{' '}
              {allowed(view, auszugId(view.status)) ? (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void run(
                      auszugId(view.status),
                      'Auszug erfassen',
                      { person: b.person, auszug: heute() },
                      'Auszug erfasst.',
                    )
                  }
                >
                  Auszug heute
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="panel-state">Noch niemand untergebracht.</p>
      )}
      {canHouse && ohnePlatz.length ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              unterbringenId(view.status),
              'Unterbringen',
              { person: Number(person), unterkunftId: unterkunft, einzug },
              'Platz zugewiesen.',
            );
          }}
        >
          <label htmlFor="asyl-person">Person</label>
          <select id="asyl-person" value={person} onChange={(e) => setPerson(e.target.value)}>
            {ohnePlatz.map(({ p, i }) => (
              <option key={i} value={String(i)}>
                {nameOf(p)}
              </option>
            ))}
          </select>
          <label htmlFor="asyl-unterkunft">Unterkunft</label>
          <select id="asyl-unterkunft" value={unterkunft} onChange={(e) => setUnterkunft(e.target.value)}>
            {liste.map((u) => (
              <option key={u.id} value={u.id} disabled={u.frei === 0}>
                {u.name} ({u.frei} von {u.plaetze} frei)
              </option>
            ))}
          </select>
          <label htmlFor="asyl-einzug">Einzug am</label>
          <input
            id="asyl-einzug"
            type="date"
            value={einzug}
            onChange={(e) => setEinzug(e.target.value)}
            required
          />
          <button type="submit" className="button-primary" disabled={busy || !unterkunft}>
            Platz zuweisen
          </button>
        </form>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
    </Panel>
  );
}

export function AsylPanels({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  if (view.procedureId !== ASYL_ID) return null;
  const d = view.data as AsylDaten;
  return (
    <>
      <Unterbringung view={view} onDone={onDone} />
      {allowed(view, 'bewilligen') ? <Bewilligen view={view} onDone={onDone} /> : null}
      {d.bewilligung ? <Berechnungspanel key={`berechnung:${view.version}`} view={view} /> : null}
      {allowed(view, 'aendern') ? (
        <Suspense fallback={null}>
          <AenderungForm view={view} onDone={onDone} />
        </Suspense>
      ) : null}
    </>
  );
}

/** Actions the panels offer: the case page leaves out their generic buttons. */
export const ASYL_PANEL_ACTIONS: ReadonlySet<string> = new Set([
  'bewilligen',
  'aendern',
  ...UNTERBRINGEN_IDS,
  ...AUSZUG_IDS,
]);
