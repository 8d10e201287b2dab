import { useEffect, useMemo, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { AuthoritySelect, useAuthorityNames } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, PageTitle } from '../../../web/ui.js';
import { CatalogueEditor } from './common.js';

/**
 * The service catalogue for the Amtsleitung: status, place, times and BSI targets of its own
 * office's services at its authority (what the public status page shows).
 */
export function DienstePage() {
  const { session } = useSession();
  const names = useAuthorityNames();
  const leitung = session.user.grants.filter((g) => g.role === 'leitung');
  const options = useMemo(
    () =>
      [...new Set(leitung.map((g) => g.authorityAgs))].map((a) => ({ value: a, label: names.get(a) ?? a })),
    [leitung, names],
  );
  const [ags, setAgs] = useState('');
  const office = leitung.find((g) => g.authorityAgs === ags)?.officeType ?? null;
  return (
    <>
      <PageTitle>Dienste und Erreichbarkeit</PageTitle>
      <p>
        Hier pflegen Sie, ob und wo die Dienste Ihres Amtes angeboten werden. Die Angaben erscheinen auf der
        öffentlichen Seite und im Lagebild des Krisenstabs.
      </p>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} />
      {options.length === 0 ? <p>Diese Seite ist für die Amtsleitung.</p> : null}
      {ags ? <CatalogueEditor key={ags} ags={ags} newOfficeType={office} /> : null}
      {ags ? <Feedback key={`rm-${ags}`} ags={ags} /> : null}
    </>
  );
}

interface FeedbackItem {
  id: string;
  seite: string | null;
  nachricht: string;
  kontakt: string | null;
  createdAt: string;
}

/** What citizens reported through "Barriere melden" (the accessibility statement's form). */
function Feedback({ ags }: { ags: string }) {
  const [items, setItems] = useState<FeedbackItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ items: FeedbackItem[] }>(
        `/api/barrierefreiheit/rueckmeldungen?authorityAgs=${encodeURIComponent(ags)}`,
      )
      .then((r) => setItems(r.items))
      .catch((e) => setError(messageOf(e)));
  }, [ags]);
  return (
    <section aria-labelledby="rueckmeldungen-titel">
      <h2 id="rueckmeldungen-titel">Rückmeldungen zur Barrierefreiheit</h2>
      <ErrorAlert message={error} />
      {items?.length === 0 ? <p>Keine Rückmeldungen.</p> : null}
      <ul className="log-list">
        {items?.map((i) => (
          <li key={i.id}>
            {formatDateTime(i.createdAt)}
            {i.seite ? ` (Seite: ${i.seite})` : ''}: {i.nachricht}
            {i.kontakt ? ` – Kontakt: ${i.kontakt}` : ' – ohne Kontaktangabe'}
          </li>
        ))}
      </ul>
    </section>
  );
}
