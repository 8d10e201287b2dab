import type { CaseView } from '../../../web/api.js';
import { FeeTable, Panel } from '../../../web/case-panels.js';
import { formatDate } from '../../../web/format.js';
import { FUEHRERSCHEIN_PROCEDURE_IDS } from '../ids.js';

/**
 * The Fahrerlaubnisbehörde's parts of the case page: the check of the classes (minimum age per
 * class, the day from which it may be issued, restrictions), the exchange deadline of an old
 * licence (overdue or not), the fee with the cash payment and its receipt, and the issued proof.
 * Shown only for the family's own procedures; the data comes from the server's hooks.
 */

interface FsData {
  pruefung?: {
    stichtag: string;
    klassen: Array<{ klasse: string; jahre: number; ab: string; grundlage: string }>;
    auflagen: Array<{ text: string; bis: string }>;
  };
  umtauschfrist?: { frist: string; grundlage: string; stichtag: string; ueberfaellig: boolean };
  kosten?: {
    stichtag: string;
    positionen: Array<{ code: string; label: string; amountCents: number; basis: string }>;
    summeCents: number;
  };
  zahlung?: { kassenbuchungId: string | null; belegNr: number | null; betragCents: number; tag: string };
  nachweis?: {
    art: 'vorlaeufiger_nachweis' | 'pruefungsbescheinigung_bf17';
    ausgestelltAm: string;
    gueltigBis: string;
    klassen: string[];
    auflagen: string[];
    fuehrerscheinnummer?: string;
    begleitpersonen?: string[];
  };
  abschluss?: { am: string; vermerk?: string };
  international?: { nummer: string; ausgestelltAm: string; gueltigBis: string };
}

function Pruefung({ p }: { p: NonNullable<FsData['pruefung']> }) {
  return (
    <Panel id="fe-pruefung" title="Prüfung der Klassen">
      <p className="panel-state">
        Mindestalter und Vorbesitz nach der Fahrerlaubnis-Verordnung sind erfüllt (Stand Antrag vom{' '}
        {formatDate(p.stichtag)}).
      </p>
      <div className="table-wrap">
        <table className="fe-klassen">
          <caption className="visually-hidden">Mindestalter je Klasse</caption>
          <thead>
            <tr>
              <th scope="col">Klasse</th>
              <th scope="col">Mindestalter</th>
              <th scope="col">Erteilung ab</th>
              <th scope="col">Rechtsgrundlage</th>
            </tr>
          </thead>
          <tbody>
            {p.klassen.map((k) => (
              <tr key={k.klasse}>
                <th scope="row">{k.klasse}</th>
                <td>{k.jahre} Jahre</td>
                <td>{formatDate(k.ab)}</td>
                <td>{k.grundlage}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.auflagen.length ? (
        <>
          <h3>Auflagen</h3>
          <ul>
            {p.auflagen.map((a) => (
              <li key={a.text}>{a.text}</li>
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  );
}

function Umtauschfrist({ f }: { f: NonNullable<FsData['umtauschfrist']> }) {
  return (
    <Panel id="fe-umtauschfrist" title="Umtauschfrist (Anlage 8e FeV)">
      <p className="panel-state">
        <span className={`deadline ${f.ueberfaellig ? 'overdue' : 'on_time'}`}>
          <span className="deadline-state">{f.ueberfaellig ? 'Überfällig' : 'Nicht überfällig'}</span>
        </span>{' '}
        Umtausch bis {formatDate(f.frist)}; Antrag vom {formatDate(f.stichtag)}.
      </p>
      <p>{f.grundlage}</p>
    </Panel>
  );
}

function Gebuehr({ g, z }: { g: NonNullable<FsData['kosten']>; z: FsData['zahlung'] }) {
  return (
    <Panel id="fe-gebuehr" title="Gebühr">
      <FeeTable fees={g} payment={z} />
    </Panel>
  );
}

function Nachweis({ n }: { n: NonNullable<FsData['nachweis']> }) {
  const bf17 = n.art === 'pruefungsbescheinigung_bf17';
  return (
    <Panel id="fe-nachweis" title={bf17 ? 'Prüfungsbescheinigung (BF17)' : 'Vorläufiger Nachweis'}>
      <p className="panel-state">
        Ausgestellt am {formatDate(n.ausgestelltAm)} für die Klassen {n.klassen.join(', ')},{' '}
        <strong>gültig bis {formatDate(n.gueltigBis)}</strong> (nur im Inland).
      </p>
      <p>Führerscheinnummer: {n.fuehrerscheinnummer ?? 'wird nach Wiederanlauf vergeben'}</p>
      {n.auflagen.length ? (
        <ul aria-label="Auflagen">
          {n.auflagen.map((a) => (
            <li key={a}>{a}</li>
          ))}
        </ul>
      ) : null}
      {n.begleitpersonen?.length ? <p>Begleitpersonen: {n.begleitpersonen.join('; ')}</p> : null}
    </Panel>
  );
}

export function FuehrerscheinPanels({ view }: { view: CaseView }) {
  if (!FUEHRERSCHEIN_PROCEDURE_IDS.has(view.procedureId)) return null;
  const d = (view.data ?? {}) as FsData;
  return (
    <>
      {d.pruefung ? <Pruefung p={d.pruefung} /> : null}
      {d.umtauschfrist ? <Umtauschfrist f={d.umtauschfrist} /> : null}
      {d.kosten ? <Gebuehr g={d.kosten} z={d.zahlung} /> : null}
      {d.nachweis ? <Nachweis n={d.nachweis} /> : null}
      {d.abschluss ? (
        <Panel id="fe-abschluss" title="Abgeschlossen ohne Nachweis">
          <p className="panel-state">
            Am {formatDate(d.abschluss.am)} abgeschlossen; die Karte bestellt das Fachverfahren nach
            Wiederanlauf.{d.abschluss.vermerk ? ` Vermerk: ${d.abschluss.vermerk}` : ''}
          </p>
        </Panel>
      ) : null}
      {d.international ? (
        <Panel id="fe-international" title="Internationaler Führerschein">
          <p className="panel-state">
            Vordruck Nr. {d.international.nummer}, ausgestellt am {formatDate(d.international.ausgestelltAm)},{' '}
            <strong>gültig bis {formatDate(d.international.gueltigBis)}</strong>.
          </p>
        </Panel>
      ) : null}
    </>
  );
}
