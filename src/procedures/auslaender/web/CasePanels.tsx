import { useEffect, useState } from 'react';
import { api, type CaseView } from '../../../web/api.js';
import { Panel, type PanelDone } from '../../../web/case-panels.js';
import { formatDate } from '../../../web/format.js';
import { AUFENTHALT_ID, BESCHAEFTIGUNG_ID } from '../ids.js';

/**
 * The Ausländerbehörde parts of the case page: the check before the next step, from the server
 * with the rules in force (§ 81 AufenthG effect with its reason, the employment line and the next
 * validity; or the Beschäftigungserlaubnis rule with the BA consent), the numbered certificates
 * issued and the BA step. The actions themselves are the generic forms of the case page.
 */

interface Pruefung {
  art: 'fiktion' | 'beschaeftigung';
  ergebnis: string;
  norm: string;
  begruendung: string;
  beschaeftigung: string | null;
  naechsteGueltigkeit: { nr: number; gueltigAb: string; bis3: string; bis6: string } | null;
  zustimmungBaNoetig: boolean | null;
}

const WIRKUNG: Record<string, string> = {
  abs3s1: 'Der Aufenthalt gilt als erlaubt',
  abs3s2: 'Die Abschiebung gilt als ausgesetzt',
  abs4: 'Der Aufenthaltstitel gilt als fortbestehend',
  keine: 'Keine Fiktionswirkung – keine Fiktionsbescheinigung',
};
const LAGE: Record<string, string> = {
  ausgeschlossen: 'Beschäftigung ausgeschlossen',
  noch_nicht: 'Wartezeit noch nicht erfüllt',
  ermessen: 'Erlaubnis nach Ermessen möglich',
  anspruch: 'Erlaubnis ist zu erteilen',
};

interface Bescheinigung {
  nr: number;
  bescheinigungsNr: string;
  ausgestelltAm: string;
  gueltigAb: string;
  gueltigBis: string;
}

function PruefungPanel({ view }: { view: CaseView }) {
  const [loaded, setP] = useState<Pruefung | null>(null);
  let p = loaded;
  useEffect(() => {
    api
      .get<Pruefung>(`/api/auslaender/faelle/${encodeURIComponent(view.id)}/pruefung`)
      .then(setP)
      .catch(() => setP(null));
  }, [view.id]);
  if (!p) return null;
  const fiktion = p.art === 'fiktion';
  // A decided Beschäftigungserlaubnis shows the check of the day of the decision, as printed.
  const stored = (view.data as { pruefung?: { lage: string; norm: string; begruendung: string } }).pruefung;
  if (!fiktion && stored && (view.status === 'erteilt' || view.status === 'abgelehnt')) {
    p = { ...p, ergebnis: stored.lage, norm: stored.norm, begruendung: stored.begruendung };
  }
  return (
    <Panel
      id="abh-pruefung"
      title={fiktion ? 'Wirkung des Antrags (§ 81 AufenthG)' : 'Prüfung der Beschäftigungserlaubnis'}
    >
      <p className="abh-ergebnis">
        <strong>{fiktion ? WIRKUNG[p.ergebnis] : LAGE[p.ergebnis]}</strong> ({p.norm})
      </p>
      <p>{p.begruendung}</p>
      {p.beschaeftigung ? (
        <p>
          Erwerbstätigkeit laut Bescheinigung: <strong>{p.beschaeftigung}</strong>
        </p>
      ) : null}
      {p.naechsteGueltigkeit &&
      p.ergebnis !== 'keine' &&
      (view.status === 'beantragt' || view.status === 'fiktion') ? (
        <p>
          {p.naechsteGueltigkeit.nr === 0 ? 'Bescheinigung' : `Verlängerung Nr. ${p.naechsteGueltigkeit.nr}`}{' '}
          ab {formatDate(p.naechsteGueltigkeit.gueltigAb)}: bei 3 Monaten bis{' '}
          {formatDate(p.naechsteGueltigkeit.bis3)}, bei 6 Monaten bis {formatDate(p.naechsteGueltigkeit.bis6)}
          .
        </p>
      ) : null}
      {p.zustimmungBaNoetig !== null && p.ergebnis !== 'ausgeschlossen' ? (
        <p>
          Zustimmung der Bundesagentur für Arbeit:{' '}
          <strong>{p.zustimmungBaNoetig ? 'erforderlich' : 'nicht erforderlich'}</strong>
        </p>
      ) : null}
    </Panel>
  );
}

function Bescheinigungen({ list }: { list: Bescheinigung[] }) {
  return (
    <Panel id="abh-bescheinigungen" title="Ausgestellte Fiktionsbescheinigungen">
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Bescheinigungen mit Verlängerungen</caption>
          <thead>
            <tr>
              <th scope="col">Nr.</th>
              <th scope="col">Bescheinigung</th>
              <th scope="col">ausgestellt am</th>
              <th scope="col">gültig vom</th>
              <th scope="col">gültig bis</th>
            </tr>
          </thead>
          <tbody>
            {list.map((b) => (
              <tr key={b.nr}>
                <td>{b.nr === 0 ? 'Erstausstellung' : `Verlängerung ${b.nr}`}</td>
                <td>{b.bescheinigungsNr}</td>
                <td>{formatDate(b.ausgestelltAm)}</td>
                <td>{formatDate(b.gueltigAb)}</td>
                <td>{formatDate(b.gueltigBis)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  );
}

function BaSchritt({
  ba,
}: {
  ba: {
    angefragtAm?: string;
    entscheidung?: string;
    entschiedenAm?: string;
    zeichen?: string;
    grund?: string;
  };
}) {
  return (
    <Panel id="abh-ba" title="Zustimmung der Bundesagentur für Arbeit">
      <p>Angefragt am {formatDate(ba.angefragtAm)}.</p>
      <p>
        {ba.entscheidung === 'zugestimmt'
          ? `Zugestimmt am ${formatDate(ba.entschiedenAm)}${ba.zeichen ? ` (${ba.zeichen})` : ''}.`
          : ba.entscheidung === 'versagt'
            ? `Versagt am ${formatDate(ba.entschiedenAm)}: ${ba.grund ?? ''}`
            : 'Antwort der BA steht aus.'}
      </p>
    </Panel>
  );
}

export function AuslaenderPanels({ view }: { view: CaseView; onDone: PanelDone }) {
  if (view.procedureId !== AUFENTHALT_ID && view.procedureId !== BESCHAEFTIGUNG_ID) return null;
  const d = view.data as { bescheinigungen?: Bescheinigung[]; ba?: Parameters<typeof BaSchritt>[0]['ba'] };
  return (
    <>
      <PruefungPanel key={`pruefung:${view.version}`} view={view} />
      {d.bescheinigungen?.length ? <Bescheinigungen list={d.bescheinigungen} /> : null}
      {d.ba?.angefragtAm ? <BaSchritt ba={d.ba} /> : null}
    </>
  );
}
