import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';
import { BacklogChart, CatalogueEditor, type DayPoint, type Figures, KeyFigures, n } from './common.js';

interface AuthorityBoard {
  stand: string;
  authority: { ags: string; name: string; kind: string };
  summe: Figures;
  verlauf: DayPoint[];
  aemter: Array<Figures & { officeType: string; officeLabel: string; verlauf: DayPoint[] }>;
  log: Array<{ id: string; artLabel: string; titel: string; createdAt: string; erledigtAm: string | null }>;
}

/** One authority on the board: figures per office, the backlog chart, its catalogue and log. */
export function BehoerdePage({ ags }: { ags: string }) {
  const [board, setBoard] = useState<AuthorityBoard | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<AuthorityBoard>(`/api/krisenstab/lage/${encodeURIComponent(ags)}?tage=14`)
      .then(setBoard)
      .catch((e) => setError(messageOf(e)));
  }, [ags]);
  if (error)
    return (
      <>
        <PageTitle>Lagebild</PageTitle>
        <ErrorAlert message={error} />
      </>
    );
  if (!board) return <Loading what="Lagebild" />;
  return (
    <>
      <PageTitle>{`Lagebild: ${board.authority.name}`}</PageTitle>
      <p>
        Stand {formatDateTime(board.stand)}. <a href="/krisenstab">Zurück zum Lagebild der Region</a>
      </p>
      <KeyFigures f={board.summe} label={`Kennzahlen ${board.authority.name}`} />
      <h2>Ämter</h2>
      <div className="table-wrap">
        <table className="lage-aemter">
          <caption className="visually-hidden">Kennzahlen je Amt</caption>
          <thead>
            <tr>
              <th scope="col">Amt</th>
              <th scope="col">Offen</th>
              <th scope="col">Überfällig</th>
              <th scope="col">Heute angelegt</th>
              <th scope="col">Heute erledigt</th>
              <th scope="col">Übergeben</th>
              <th scope="col">In Übergabe</th>
              <th scope="col">Nicht übergeben</th>
            </tr>
          </thead>
          <tbody>
            {board.aemter.map((a) => (
              <tr key={a.officeType}>
                <th scope="row">{a.officeLabel}</th>
                <td>{n(a.offen)}</td>
                <td>{n(a.ueberfaellig)}</td>
                <td>{n(a.angelegtHeute)}</td>
                <td>{n(a.erledigtHeute)}</td>
                <td>{n(a.uebergeben)}</td>
                <td>{n(a.inUebergabe)}</td>
                <td>{n(a.nichtUebergeben)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <BacklogChart
        query={`authorityAgs=${board.authority.ags}&tage=14`}
        points={board.verlauf}
        title={`Rückstand ${board.authority.name}, letzte 14 Tage`}
      />
      <CatalogueEditor ags={board.authority.ags} />
      <section aria-labelledby="log-titel">
        <h2 id="log-titel">Lagelog dieser Behörde</h2>
        {board.log.length === 0 ? (
          <p>Keine Einträge.</p>
        ) : (
          <ul className="log-list">
            {board.log.map((l) => (
              <li key={l.id}>
                {formatDateTime(l.createdAt)} – {l.artLabel}: {l.titel}
                {l.erledigtAm ? ` (erledigt ${formatDateTime(l.erledigtAm)})` : ''}
              </li>
            ))}
          </ul>
        )}
        <p>
          <a href="/krisenstab/log">Zum Lagelog</a>
        </p>
      </section>
    </>
  );
}
