import { lazy, Suspense, useEffect, useState } from 'react';
import { todayInGermany } from '../../../core/dates.js';
import { monatText, monthOf } from '../../../core/months.js';
import { api, type CaseView } from '../../../web/api.js';
import { allowed, Panel, type PanelDone, useAction } from '../../../web/case-panels.js';
import { centsToInput, formatEuroCents, parseEuroToCents } from '../../../web/format.js';
import { SOZIALHILFE_ID } from '../ids.js';

/**
 * The Sozialhilfe parts of the case page: the calculation of a month line by line with the legal
 * source of every line, the warnings (Angemessenheitsgrenze der Unterkunftskosten, unconfirmed
 * Regelbedarf) and, once decided, the Vorschuss set-off and the amount paid — all from the server
 * (GET /api/sozialhilfe/faelle/:id/berechnung), which computes with the rules in force; and the
 * Vorschuss as a share of the provisional entitlement; the Bewilligung from a month; the Änderung prefilled (AenderungForm, lazy). The other actions, and an
 * Änderung that adds or removes members, use the generic action forms.
 */

interface Antwort {
  monat: string;
  grundlage: 'antrag' | 'bescheid';
  fassungAb: string | null;
  berechnung: {
    zeilen: Array<{ art: string; text: string; quelle: string; cents: number }>;
    bedarfCents: number;
    einkommenCents: number;
    anspruchCents: number;
    hinweise: string[];
  } | null;
  fehler: string | null;
  zahlung: { anspruchCents: number; anrechnungCents: number; zahlCents: number } | null;
  vorschuss: { summeCents: number; angerechnetCents: number; offenCents: number; erstattungCents: number };
}

const AenderungForm = lazy(() => import('./AenderungForm.js').then((m) => ({ default: m.AenderungForm })));

/** This month in Germany (not UTC). */
const dieserMonat = () => monthOf(todayInGermany());

function Berechnung({ view }: { view: CaseView }) {
  const d = view.data as { bewilligung?: { abMonat: string }; antrag: { antragsdatum: string } };
  const [monat, setMonat] = useState(() => {
    const jetzt = dieserMonat();
    const ab = d.bewilligung?.abMonat ?? d.antrag.antragsdatum.slice(0, 7);
    return [jetzt, ab].sort()[1] ?? jetzt;
  });
  const [r, setR] = useState<Antwort | null>(null);
  useEffect(() => {
    api
      .get<Antwort>(`/api/sozialhilfe/faelle/${encodeURIComponent(view.id)}/berechnung?monat=${monat}`)
      .then(setR)
      .catch(() => setR(null));
  }, [view.id, monat]);
  const b = r?.berechnung;
  return (
    <Panel id="sozialhilfe-berechnung" title="Berechnung des Monatsanspruchs">
      <label htmlFor="sozialhilfe-monat">Leistungsmonat</label>{' '}
      <input
        id="sozialhilfe-monat"
        type="month"
        value={monat}
        onChange={(e) => e.target.value && setMonat(e.target.value)}
      />
      {r ? (
        <p className="panel-state">
          {r.grundlage === 'antrag'
            ? 'Vorläufige Berechnung aus dem Antrag (noch nicht entschieden).'
            : r.fassungAb
              ? `Nach dem Bescheid ab ${monatText(r.fassungAb)}.`
              : ''}
        </p>
      ) : null}
      {r?.fehler ? <p role="alert">{r.fehler}</p> : null}
      {b ? (
        <div className="table-wrap">
          <table className="sozialhilfe-berechnung">
            <caption className="visually-hidden">Berechnung für {monatText(monat)} Zeile für Zeile</caption>
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Rechtsgrundlage und Quelle</th>
                <th scope="col" className="num">
                  Betrag
                </th>
              </tr>
            </thead>
            <tbody>
              {b.zeilen.map((z, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the lines have no id and never reorder
                <tr key={i} className={`zeile-${z.art}`}>
                  <td>{z.text}</td>
                  <td>{z.quelle}</td>
                  <td className="num">{formatEuroCents(z.cents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  Gesamtbedarf
                </th>
                <td className="num">{formatEuroCents(b.bedarfCents)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={2}>
                  Monatlicher Anspruch
                </th>
                <td className="num sozialhilfe-anspruch">
                  <strong>{formatEuroCents(b.anspruchCents)}</strong>
                </td>
              </tr>
              {r?.zahlung && r.zahlung.anrechnungCents > 0 ? (
                <>
                  <tr>
                    <th scope="row" colSpan={2}>
                      Angerechneter Vorschuss (§ 42 Abs. 2 SGB I)
                    </th>
                    <td className="num">{formatEuroCents(-r.zahlung.anrechnungCents)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={2}>
                      Zahlbetrag
                    </th>
                    <td className="num sozialhilfe-zahlbetrag">{formatEuroCents(r.zahlung.zahlCents)}</td>
                  </tr>
                </>
              ) : null}
            </tfoot>
          </table>
        </div>
      ) : null}
      {b?.hinweise.length ? (
        <ul className="sozialhilfe-hinweise" aria-label="Hinweise zur Berechnung">
          {b.hinweise.map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      ) : null}
      {r && r.vorschuss.summeCents > 0 ? (
        <p className="sozialhilfe-vorschuss">
          Vorschüsse: {formatEuroCents(r.vorschuss.summeCents)}, davon angerechnet{' '}
          {formatEuroCents(r.vorschuss.angerechnetCents)}
          {r.vorschuss.offenCents > 0 ? `, noch anzurechnen ${formatEuroCents(r.vorschuss.offenCents)}` : ''}
          {r.vorschuss.erstattungCents > 0
            ? `, zu erstatten ${formatEuroCents(r.vorschuss.erstattungCents)} (§ 42 Abs. 2 Satz 2 SGB I)`
            : ''}
          .
        </p>
      ) : null}
    </Panel>
  );
}

function Bewilligen({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const d = view.data as { antrag: { antragsdatum: string } };
  const [ab, setAb] = useState(d.antrag.antragsdatum.slice(0, 7));
  const { busy, error, run } = useAction(view, onDone);
  return (
    <Panel id="sozialhilfe-bewilligen" title="Leistungen bewilligen">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run('bewilligen', 'Bewilligen', { abMonat: ab }, 'Leistungen bewilligt.');
        }}
      >
        <label htmlFor="sozialhilfe-ab">Bewilligung ab Monat</label>
        <input id="sozialhilfe-ab" type="month" value={ab} onChange={(e) => setAb(e.target.value)} required />
        <button type="submit" className="button-primary" disabled={busy}>
          Bewilligen
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </Panel>
  );
}

/**
 * Vorschuss (§ 42 SGB I) as a chosen share of the provisional monthly entitlement (FACTS.md §6),
 * the amount editable (the Höhe is the authority's discretion); the server stores the amount.
 */
function Vorschuss({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const [anspruch, setAnspruch] = useState<number | null>(null);
  const [anteil, setAnteil] = useState('50');
  const [betrag, setBetrag] = useState('');
  const [grund, setGrund] = useState('');
  const { busy, error, run } = useAction(view, onDone);
  useEffect(() => {
    api
      .get<Antwort>(
        `/api/sozialhilfe/faelle/${encodeURIComponent(view.id)}/berechnung?monat=${dieserMonat()}`,
      )
      .then((r) => setAnspruch(r.berechnung?.anspruchCents ?? null))
      .catch(() => setAnspruch(null));
  }, [view.id]);
  useEffect(() => {
    const p = Number(anteil.replace(',', '.'));
    if (anspruch !== null && Number.isFinite(p)) setBetrag(centsToInput(Math.round((anspruch * p) / 100)));
  }, [anspruch, anteil]);
  return (
    <Panel id="sozialhilfe-vorschuss" title="Vorschuss zahlen (§ 42 SGB I)">
      <p className="panel-state">
        {anspruch === null
          ? 'Vorläufiger Monatsanspruch nicht berechenbar: Betrag bitte selbst festlegen.'
          : `Vorläufiger Monatsanspruch: ${formatEuroCents(anspruch)}. Der Vorschuss wird später auf die bewilligten Leistungen angerechnet.`}
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const c = parseEuroToCents(betrag);
          void run(
            'vorschuss',
            'Vorschuss zahlen',
            { betragCents: Number.isNaN(c) ? null : c, grund },
            'Vorschuss erfasst; er wird mit dem nächsten Zahlungslauf gezahlt.',
          );
        }}
      >
        <label htmlFor="sozialhilfe-anteil">Anteil in Prozent</label>
        <input
          id="sozialhilfe-anteil"
          inputMode="decimal"
          value={anteil}
          onChange={(e) => setAnteil(e.target.value)}
        />
        <label htmlFor="sozialhilfe-vorschuss-betrag">Vorschuss (EUR)</label>
        <input
          id="sozialhilfe-vorschuss-betrag"
          inputMode="decimal"
          value={betrag}
          onChange={(e) => setBetrag(e.target.value)}
          required
        />
        <label htmlFor="sozialhilfe-vorschuss-grund">Begründung</label>
        <input
          id="sozialhilfe-vorschuss-grund"
          value={grund}
          onChange={(e) => setGrund(e.target.value)}
          required
          maxLength={300}
        />
        <button type="submit" className="button-primary" disabled={busy}>
          Vorschuss zahlen
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </Panel>
  );
}

export function SozialhilfePanels({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  if (view.procedureId !== SOZIALHILFE_ID) return null;
  return (
    <>
      <Berechnung key={`berechnung:${view.version}`} view={view} />
      {allowed(view, 'vorschuss') ? (
        <Vorschuss key={`vorschuss:${view.version}`} view={view} onDone={onDone} />
      ) : null}
      {allowed(view, 'bewilligen') ? <Bewilligen view={view} onDone={onDone} /> : null}
      {allowed(view, 'aendern') ? (
        <Suspense fallback={null}>
          <AenderungForm view={view} onDone={onDone} />
        </Suspense>
      ) : null}
    </>
  );
}

/** Actions the panels offer: the case page leaves out their generic buttons. */
export const SOZIALHILFE_PANEL_ACTIONS: ReadonlySet<string> = new Set(['bewilligen', 'vorschuss']);
