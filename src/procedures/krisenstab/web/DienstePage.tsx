import { useMemo, useState } from 'react';
import { AuthoritySelect, useAuthorityNames } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { PageTitle } from '../../../web/ui.js';
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
    </>
  );
}
