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
import type { AsylDaten } from '../definition.js';
import { nameOf } from '../ids.js';

/**
 * Änderung of a decided case from a month: the living situation of every person (Bedarfsstufe)
 * and the countable income; the server recomputes from that month and refuses what the tables
 * cannot compute. Loaded lazily with the case panels.
 */
export function AenderungForm({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  const d = view.data as AsylDaten;
  const latest = d.fassungen?.[d.fassungen.length - 1];
  const [abMonat, setAbMonat] = useState(monthOf(todayInGermany()));
  const [wohn, setWohn] = useState<Wohnsituation[]>(
    latest?.wohnsituation ?? d.personen.map((p) => p.wohnsituation as Wohnsituation),
  );
  const [einkommen, setEinkommen] = useState(centsToInput(latest?.einkommenCents ?? 0));
  const [grund, setGrund] = useState('');
  const { busy, error, run } = useAction(view, onDone);
  return (
    <Panel id="asyl-aenderung" title="Änderung bescheiden">
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          // Not a number → null: the server refuses it with its German message.
          const c = parseEuroToCents(einkommen || '0');
          const cents = Number.isNaN(c) ? null : c;
          void run(
            'aendern',
            'Änderung bescheiden',
            { abMonat, wohnsituation: wohn, einkommenCents: cents, grund },
            'Änderung beschieden.',
          );
        }}
      >
        <label htmlFor="asyl-ab-monat">Änderung ab Monat</label>
        <input
          id="asyl-ab-monat"
          type="month"
          value={abMonat}
          onChange={(e) => setAbMonat(e.target.value)}
          required
        />
        {d.personen.map((p, i) => (
          <span key={`${p.familienname}-${p.vornamen}-${p.geburtsdatum}`}>
            <label htmlFor={`asyl-wohn-${i}`}>Wohnsituation {nameOf(p)}</label>
            <select
              id={`asyl-wohn-${i}`}
              value={wohn[i]}
              onChange={(e) => setWohn(wohn.map((w, j) => (j === i ? (e.target.value as Wohnsituation) : w)))}
            >
              {WOHNSITUATIONEN.map((w) => (
                <option key={w} value={w}>
                  {WOHNSITUATION_LABELS[w]}
                </option>
              ))}
            </select>
          </span>
        ))}
        <label htmlFor="asyl-einkommen">Anrechenbares Einkommen je Monat (EUR)</label>
        <input
          id="asyl-einkommen"
          inputMode="decimal"
          value={einkommen}
          onChange={(e) => setEinkommen(e.target.value)}
        />
        <label htmlFor="asyl-grund">Grund der Änderung</label>
        <input
          id="asyl-grund"
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
