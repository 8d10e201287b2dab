import { useState } from 'react';
import {
  WOHNSITUATION_LABELS,
  WOHNSITUATIONEN,
  type Wohnsituation,
} from '../../../core/benefits/regelbedarf.js';
import { todayInGermany } from '../../../core/dates.js';
import { monthOf } from '../../../core/months.js';
import type { CaseView } from '../../../web/api.js';
import { Panel, type PanelDone, useAction } from '../../../web/case-panels.js';
import { centsToInput, parseEuroToCents } from '../../../web/format.js';
import type { SozialhilfeDaten } from '../definition.js';
import { nameOf } from '../ids.js';

/**
 * Änderung der Verhältnisse from a month, prefilled from the Fassung in force last: the living
 * situation and countable income of every member and the costs of the dwelling. Everything else of
 * the household (the § 30 facts) is sent as it is; members join or leave with the generic action
 * form. The server recomputes from that month (earlier months keep their Fassung) and refuses what
 * the rules cannot compute. Loaded lazily with the case panels.
 */

/** Not a number → null: the server refuses it with its German message. */
const cents = (text: string) => {
  const c = parseEuroToCents(text || '0');
  return Number.isNaN(c) ? null : c;
};

export function AenderungForm({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const d = view.data as SozialhilfeDaten;
  const latest = d.fassungen?.[d.fassungen.length - 1];
  const personen = latest?.haushalt.personen ?? d.personen;
  const u = latest?.haushalt.unterkunft ?? d.unterkunft;
  const [abMonat, setAbMonat] = useState(monthOf(todayInGermany()));
  const [wohn, setWohn] = useState<Wohnsituation[]>(personen.map((p) => p.wohnsituation));
  const [einkommen, setEinkommen] = useState(personen.map((p) => centsToInput(p.einkommenCents ?? 0)));
  const [miete, setMiete] = useState(
    [u.grundmieteCents, u.nebenkostenCents, u.heizkostenCents].map(centsToInput),
  );
  const [grund, setGrund] = useState('');
  const { busy, error, run } = useAction(view, onDone);
  const kosten = ['Grundmiete', 'Nebenkosten', 'Heizkosten'];
  return (
    <Panel id="sozialhilfe-aenderung" title="Änderung der Verhältnisse">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const neu = personen.map((p, i) => {
            const c = cents(einkommen[i] ?? '');
            const { einkommenCents: _alt, ...rest } = p;
            return { ...rest, wohnsituation: wohn[i], ...(c === 0 ? {} : { einkommenCents: c }) };
          });
          void run(
            'aendern',
            'Änderung bescheiden',
            {
              abMonat,
              grund,
              personen: neu,
              unterkunft: {
                grundmieteCents: cents(miete[0] ?? ''),
                nebenkostenCents: cents(miete[1] ?? ''),
                heizkostenCents: cents(miete[2] ?? ''),
                warmwasserDezentral: u.warmwasserDezentral,
              },
            },
            'Änderung beschieden.',
          );
        }}
      >
        <label htmlFor="sozialhilfe-aenderung-ab">Änderung ab Monat</label>
        <input
          id="sozialhilfe-aenderung-ab"
          type="month"
          value={abMonat}
          onChange={(e) => setAbMonat(e.target.value)}
          required
        />
        {personen.map((p, i) => (
          <span key={`${p.familienname}-${p.vornamen}-${p.geburtsdatum}`}>
            <label htmlFor={`sozialhilfe-wohn-${i}`}>Wohnsituation {nameOf(p)}</label>
            <select
              id={`sozialhilfe-wohn-${i}`}
              value={wohn[i]}
              onChange={(e) => setWohn(wohn.map((w, j) => (j === i ? (e.target.value as Wohnsituation) : w)))}
            >
              {WOHNSITUATIONEN.map((w) => (
                <option key={w} value={w}>
                  {WOHNSITUATION_LABELS[w]}
                </option>
              ))}
            </select>
            <label htmlFor={`sozialhilfe-einkommen-${i}`}>Anrechenbares Einkommen {nameOf(p)} (EUR)</label>
            <input
              id={`sozialhilfe-einkommen-${i}`}
              inputMode="decimal"
              value={einkommen[i] ?? ''}
              onChange={(e) => setEinkommen(einkommen.map((x, j) => (j === i ? e.target.value : x)))}
            />
          </span>
        ))}
        {kosten.map((k, i) => (
          <span key={k}>
            <label htmlFor={`sozialhilfe-kosten-${i}`}>{k} je Monat (EUR)</label>
            <input
              id={`sozialhilfe-kosten-${i}`}
              inputMode="decimal"
              value={miete[i] ?? ''}
              onChange={(e) => setMiete(miete.map((x, j) => (j === i ? e.target.value : x)))}
            />
          </span>
        ))}
        <label htmlFor="sozialhilfe-grund">Grund der Änderung</label>
        <input
          id="sozialhilfe-grund"
          value={grund}
          onChange={(e) => setGrund(e.target.value)}
          required
          maxLength={300}
        />
        <button type="submit" className="button-primary" disabled={busy}>
          Änderung bescheiden
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
    </Panel>
  );
}
