import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, newIdempotencyKey } from '../../../web/api.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { ErrorAlert, PageTitle } from '../../../web/ui.js';

/**
 * Accommodation places of a Sozialamt: every Unterkunft with places, occupied and free places, and
 * the occupancy of one Unterkunft (names with Aktenzeichen). The head of office adds an Unterkunft
 * and changes its number of places; the server refuses fewer places than are occupied.
 */

interface Unterkunft {
  id: string;
  name: string;
  anschrift: string;
  plaetze: number;
  belegt: number;
  frei: number;
}

interface Platz {
  platzNr: number;
  caseId: string | null;
  aktenzeichen: string | null;
  person: string | null;
  seit: string | null;
}

export function UnterkunftPage() {
  const options = useOfficeAuthorities('sozialamt');
  const leitung = useOfficeAuthorities('sozialamt', ['leitung']);
  const [ags, setAgs] = useState('');
  const [items, setItems] = useState<Unterkunft[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [offen, setOffen] = useState<{ id: string; plaetze: Platz[] } | null>(null);
  const [name, setName] = useState('');
  const [anschrift, setAnschrift] = useState('');
  const [plaetze, setPlaetze] = useState('10');
  const [aendernId, setAendernId] = useState('');
  const [neuePlaetze, setNeuePlaetze] = useState('');
  const istLeitung = leitung.some((o) => o.value === ags);

  const load = useCallback(() => {
    if (!ags) return;
    api
      .get<{ items: Unterkunft[] }>(`/api/asyl/unterkuenfte?authorityAgs=${ags}`)
      .then((r) => setItems(r.items))
      .catch((e) => setError(messageOf(e)));
  }, [ags]);
  useEffect(load, [load]);

  const zeigen = (id: string) =>
    api
      .get<{ plaetze: Platz[] }>(`/api/asyl/unterkuenfte/${encodeURIComponent(id)}/belegung`)
      .then((r) => setOffen({ id, plaetze: r.plaetze }))
      .catch((e) => setError(messageOf(e)));

  return (
    <>
      <PageTitle>Unterkünfte und Plätze</PageTitle>
      <p className="lead">
        Plätze für zugewiesene Personen (AsylbLG): Belegung je Unterkunft. Zuweisen und Auszug im Vorgang.
      </p>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Sozialamt" />
      <ErrorAlert message={error} />
      <div className="table-wrap">
        <table className="asyl-unterkuenfte">
          <caption>Unterkünfte</caption>
          <thead>
            <tr>
              <th scope="col">Unterkunft</th>
              <th scope="col">Anschrift</th>
              <th scope="col">Plätze</th>
              <th scope="col">belegt</th>
              <th scope="col">frei</th>
              <th scope="col">Belegung</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.name}</th>
                <td>{u.anschrift}</td>
                <td>{u.plaetze}</td>
                <td>{u.belegt}</td>
                <td>{u.frei}</td>
                <td>
                  <button type="button" onClick={() => void zeigen(u.id)}>
                    Belegung von {u.name} anzeigen
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {offen ? (
        <section aria-labelledby="belegung-titel">
          <h2 id="belegung-titel">Belegung: {items.find((i) => i.id === offen.id)?.name}</h2>
          <ul className="asyl-plaetze">
            {offen.plaetze.map((p) => (
              <li key={p.platzNr}>
                Platz {p.platzNr}:{' '}
                {p.caseId ? (
                  <a href={`/vorgaenge/${p.caseId}`}>
                    {p.person} ({p.aktenzeichen})
                  </a>
                ) : (
                  'frei'
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {istLeitung && items.length ? (
        <section aria-labelledby="plaetze-titel">
          <h2 id="plaetze-titel">Plätze ändern</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              const id = aendernId || items[0]?.id || '';
              api
                .put(
                  `/api/asyl/unterkuenfte/${encodeURIComponent(id)}/plaetze`,
                  { plaetze: Number(neuePlaetze) },
                  { idempotencyKey: newIdempotencyKey() },
                )
                .then(() => {
                  setNeuePlaetze('');
                  load();
                })
                .catch((x) => setError(messageOf(x)));
            }}
          >
            <label htmlFor="uk-aendern">Unterkunft</label>
            <select id="uk-aendern" value={aendernId} onChange={(e) => setAendernId(e.target.value)}>
              {items.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
            <label htmlFor="uk-neue-plaetze">Neue Anzahl der Plätze</label>
            <input
              id="uk-neue-plaetze"
              type="number"
              min={0}
              value={neuePlaetze}
              onChange={(e) => setNeuePlaetze(e.target.value)}
              required
            />
            <button type="submit">Plätze ändern</button>
          </form>
        </section>
      ) : null}
      {istLeitung ? (
        <section aria-labelledby="neu-titel">
          <h2 id="neu-titel">Unterkunft anlegen</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              api
                .post(
                  '/api/asyl/unterkuenfte',
                  { authorityAgs: ags, name, anschrift, plaetze: Number(plaetze) },
                  { idempotencyKey: newIdempotencyKey() },
                )
                .then(() => {
                  setName('');
                  setAnschrift('');
                  load();
                })
                .catch((x) => setError(messageOf(x)));
            }}
          >
            <label htmlFor="uk-name">Name</label>
            <input id="uk-name" value={name} onChange={(e) => setName(e.target.value)} required />
            <label htmlFor="uk-anschrift">Anschrift</label>
            <input
              id="uk-anschrift"
              value={anschrift}
              onChange={(e) => setAnschrift(e.target.value)}
              required
            />
            <label htmlFor="uk-plaetze">Plätze</label>
            <input
              id="uk-plaetze"
              type="number"
              min={0}
              value={plaetze}
              onChange={(e) => setPlaetze(e.target.value)}
            />
            <button type="submit" className="button-primary">
              Anlegen
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}
