import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDate } from '../../../web/format.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { ErrorAlert, PageTitle } from '../../../web/ui.js';
import { ABLAUF_ART_LABELS, type AblaufEintrag, type AblaufSortierung } from '../ablaufliste.js';
import { OFFICE } from '../ids.js';

/**
 * The expiry watch-list of an Ausländerbehörde, the page a clerk opens first: every title,
 * Fiktionsbescheinigung and Beschäftigungserlaubnis that expires within the chosen weeks (and what
 * lapsed in the last four weeks), sortable, printable as PDF from the server.
 */

const SORT: Array<[AblaufSortierung, string]> = [
  ['gueltigBis', 'Ablaufdatum'],
  ['name', 'Name'],
  ['aktenzeichen', 'Aktenzeichen'],
  ['art', 'Art'],
];

export function AblauflistePage() {
  const options = useOfficeAuthorities(OFFICE);
  const [ags, setAgs] = useState('');
  const [wochen, setWochen] = useState('4');
  const [sortierung, setSortierung] = useState<AblaufSortierung>('gueltigBis');
  const [absteigend, setAbsteigend] = useState(false);
  const [items, setItems] = useState<AblaufEintrag[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = `wochen=${encodeURIComponent(wochen)}&sortierung=${sortierung}&absteigend=${absteigend ? 'ja' : 'nein'}`;

  useEffect(() => {
    if (!ags) return;
    setError(null);
    api
      .get<{ items: AblaufEintrag[] }>(`/api/auslaender/${ags}/ablaufliste?${query}`)
      .then((r) => setItems(r.items))
      .catch((e) => {
        setItems(null);
        setError(messageOf(e));
      });
  }, [ags, query]);

  return (
    <>
      <PageTitle>Ablaufliste</PageTitle>
      <p className="lead">
        Aufenthaltstitel, Fiktionsbescheinigungen und Beschäftigungserlaubnisse, die in den nächsten Wochen
        ablaufen – und was in den letzten vier Wochen abgelaufen ist.
      </p>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Ausländerbehörde" />
      <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="abh-wochen">Zeitraum in Wochen</label>
        <input
          id="abh-wochen"
          type="number"
          min={1}
          max={52}
          value={wochen}
          onChange={(e) => setWochen(e.target.value)}
        />
        <label htmlFor="abh-sortierung">Sortieren nach</label>
        <select
          id="abh-sortierung"
          value={sortierung}
          onChange={(e) => setSortierung(e.target.value as AblaufSortierung)}
        >
          {SORT.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
        <label htmlFor="abh-absteigend">
          <input
            id="abh-absteigend"
            type="checkbox"
            checked={absteigend}
            onChange={(e) => setAbsteigend(e.target.checked)}
          />{' '}
          absteigend
        </label>
        {ags ? (
          <a
            className="button"
            href={`/api/auslaender/${ags}/ablaufliste.pdf?${query}`}
            target="_blank"
            rel="noreferrer"
          >
            Drucken (PDF)
          </a>
        ) : null}
      </form>
      <ErrorAlert message={error} />
      {items ? (
        <div className="table-wrap">
          <table className="abh-ablaufliste">
            <caption>{items.length} Einträge</caption>
            <thead>
              <tr>
                <th scope="col">Gültig bis</th>
                <th scope="col">Rest</th>
                <th scope="col">Art</th>
                <th scope="col">Name</th>
                <th scope="col">Geboren</th>
                <th scope="col">Aktenzeichen</th>
                <th scope="col">Nummer / Hinweis</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={`${e.caseId}-${e.art}`} className={e.restTage < 0 ? 'abgelaufen' : undefined}>
                  <td>{formatDate(e.gueltigBis)}</td>
                  <td>{e.restTage < 0 ? `abgelaufen seit ${-e.restTage} Tagen` : `${e.restTage} Tage`}</td>
                  <td>{ABLAUF_ART_LABELS[e.art]}</td>
                  <td>{e.person}</td>
                  <td>{formatDate(e.geburtsdatum)}</td>
                  <td>
                    <a href={`/vorgaenge/${e.caseId}`}>{e.aktenzeichen}</a>
                  </td>
                  <td>{[e.nummer, e.hinweis].filter(Boolean).join(' – ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
