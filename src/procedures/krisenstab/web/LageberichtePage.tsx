import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDate, formatDateTime } from '../../../web/format.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';

interface Snapshot {
  tag: string;
  erstelltAm: string;
  stunde: number;
}

/** The daily Lageberichte (from the snapshot the server takes at a fixed hour), as PDF and CSV. */
export function LageberichtePage() {
  const [items, setItems] = useState<Snapshot[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ items: Snapshot[] }>('/api/krisenstab/lageberichte')
      .then((r) => setItems(r.items))
      .catch((e) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <PageTitle>Lageberichte</PageTitle>
      <p>
        Der Server hält die Lage jeden Tag zu einer festen Uhrzeit fest. Der Lagebericht eines Tages zeigt
        diesen Stand, auch wenn er später heruntergeladen wird.
      </p>
      <ErrorAlert message={error} />
      {!items && !error ? <Loading what="Lageberichte" /> : null}
      {items?.length === 0 ? <p>Noch kein Lagebericht. Der erste entsteht zur nächsten Stichzeit.</p> : null}
      {items?.length ? (
        <ul className="lageberichte">
          {items.map((s) => (
            <li key={s.tag}>
              Lagebericht vom {formatDate(s.tag)} (Stand {formatDateTime(s.erstelltAm)}):{' '}
              <a href={`/api/krisenstab/lageberichte/${s.tag}/lagebericht.pdf`}>
                Lagebericht {formatDate(s.tag)} als PDF
              </a>
              {' · '}
              <a href={`/api/krisenstab/lageberichte/${s.tag}/lagebericht.csv`}>als CSV</a>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
