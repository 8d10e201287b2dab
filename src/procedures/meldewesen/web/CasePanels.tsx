import type { CaseView } from '../../../web/api.js';
import { FeeTable } from '../../../web/case-panels.js';
import { formatDate } from '../../../web/format.js';
import { isMeldewesenProcedure } from '../ids.js';

/**
 * Meldewesen parts of the case page: the fee of an ID document application (positions with their
 * legal basis and the sum), the cash payment with a link to its receipt, the issued document, and
 * the Meldefrist (BMG § 17) of a Meldevorgang.
 */
interface MeldewesenData {
  gebuehren?: {
    stichtag: string;
    positionen: Array<{ code: string; label: string; amountCents: number; basis: string }>;
    summeCents: number;
  };
  zahlung?: { kassenbuchungId: string; belegNr: number; betragCents: number; tag: string };
  dokument?: { nummer: string; ausgestelltAm: string; gueltigBis: string };
  meldefrist?: { stichtag: string; endetAm: string; gemeldetAm: string; eingehalten: boolean };
}

export function MeldewesenPanels({ view }: { view: CaseView }) {
  if (!isMeldewesenProcedure(view.procedureId)) return null;
  const d = (view.data ?? {}) as MeldewesenData;
  return (
    <>
      {d.gebuehren ? (
        <section aria-labelledby="panel-gebuehr" className="case-panel panel-gebuehr">
          <h2 id="panel-gebuehr">Gebühr</h2>
          <FeeTable fees={d.gebuehren} payment={d.zahlung} />
          {d.dokument ? (
            <p>
              Ausgehändigt: Nr. {d.dokument.nummer}, ausgestellt am {formatDate(d.dokument.ausgestelltAm)},
              gültig bis {formatDate(d.dokument.gueltigBis)}.
            </p>
          ) : null}
        </section>
      ) : null}
      {d.meldefrist ? (
        <section aria-labelledby="panel-meldefrist" className="case-panel panel-meldefrist">
          <h2 id="panel-meldefrist">Meldefrist</h2>
          <p>
            Umzug am {formatDate(d.meldefrist.stichtag)}, Frist bis {formatDate(d.meldefrist.endetAm)},
            gemeldet am {formatDate(d.meldefrist.gemeldetAm)}:{' '}
            <strong>{d.meldefrist.eingehalten ? 'Frist eingehalten' : 'Frist überschritten'}</strong>
          </p>
        </section>
      ) : null}
    </>
  );
}
