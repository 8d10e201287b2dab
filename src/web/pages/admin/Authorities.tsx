import { useEffect, useMemo, useState } from 'react';
import { type Authority, api, loadAuthorities, messageOf } from '../../api.js';
import { ErrorAlert, Loading, PageTitle } from '../../ui.js';

/** Authorities (Kreise, Gemeinden) and their offices; changed by import (`notbetrieb authorities import`). */

const KIND_LABELS: Record<string, string> = {
  kreis: 'Kreis',
  kreisfreie_stadt: 'Kreisfreie Stadt',
  gemeinde: 'Gemeinde',
  stadt: 'Stadt',
};

function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

export function AdminAuthorities() {
  const [items, setItems] = useState<Authority[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    loadAuthorities()
      .then(setItems)
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  const kreisName = useMemo(() => new Map((items ?? []).map((a) => [a.ags, a.name])), [items]);
  return (
    <>
      <PageTitle>Behörden und Ämter</PageTitle>
      <p className="lead">
        Kreise und Gemeinden mit ihren Ämtern. Änderungen kommen über den Import (Kommando{' '}
        <code>notbetrieb authorities import</code>); Berechtigungen vergeben Sie bei den{' '}
        <a href="/verwaltung/benutzer">Benutzerkonten</a>.
      </p>
      <ErrorAlert message={error} />
      {!items && !error ? <Loading what="Behörden" /> : null}
      {items ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Behörden</caption>
            <thead>
              <tr>
                <th scope="col">Behörde</th>
                <th scope="col">Gemeindeschlüssel (AGS)</th>
                <th scope="col">Art</th>
                <th scope="col">Kreis</th>
                <th scope="col">Kennzeichen</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.ags}>
                  <td>
                    <a href={`/verwaltung/behoerden/${a.ags}`}>{a.name}</a>
                  </td>
                  <td>{a.ags}</td>
                  <td>{kindLabel(a.kind)}</td>
                  <td>{a.kreisAgs === a.ags ? '–' : (kreisName.get(a.kreisAgs) ?? a.kreisAgs)}</td>
                  <td>{a.plateCodes.join(', ') || '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

interface AuthorityDetail extends Authority {
  offices: Array<{ id: string; officeType: string; label: string; name: string }>;
}

export function AdminAuthority({ ags }: { ags: string }) {
  const [a, setA] = useState<AuthorityDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<AuthorityDetail>(`/api/authorities/${encodeURIComponent(ags)}`)
      .then(setA)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [ags]);
  if (error) return <ErrorAlert message={error} />;
  if (!a) return <Loading what="Behörde" />;
  return (
    <>
      <PageTitle>{a.name}</PageTitle>
      <dl className="case-head">
        <div>
          <dt>Gemeindeschlüssel (AGS)</dt>
          <dd>{a.ags}</dd>
        </div>
        <div>
          <dt>Art</dt>
          <dd>{kindLabel(a.kind)}</dd>
        </div>
        <div>
          <dt>Kennzeichen</dt>
          <dd>{a.plateCodes.join(', ') || '–'}</dd>
        </div>
      </dl>
      <h2>Ämter</h2>
      {a.offices.length === 0 ? (
        <p>Keine Ämter.</p>
      ) : (
        <ul>
          {a.offices.map((o) => (
            <li key={o.id}>
              <strong>{o.label}</strong>
              {o.name && o.name !== o.label ? ` – ${o.name}` : ''}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/verwaltung/behoerden">Zurück zur Behördenliste</a>
      </p>
    </>
  );
}
