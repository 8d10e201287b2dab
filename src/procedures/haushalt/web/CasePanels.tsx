import type { CaseView } from '../../../web/api.js';
import { Panel, type PanelDone } from '../../../web/case-panels.js';
import type { HaushaltsplanDaten } from '../haushaltsplan.js';

/**
 * On the case page of a budget plan: the way to its versions and totals, and the version the
 * approval steps pinned. The steps themselves are the case's actions (generic buttons and forms).
 */
export function HaushaltPanels({ view }: { view: CaseView; onDone: PanelDone }) {
  if (view.procedureId !== 'haushaltsplan') return null;
  const d = view.data as HaushaltsplanDaten;
  return (
    <Panel id="haushaltsplan" title={`Haushaltsplan ${d.haushaltsjahr}`}>
      <p>
        <a href={`/haushalt/plaene/${view.id}`}>Teilpläne, Fassungen und Gesamtplan öffnen</a>
      </p>
      {d.fassung ? (
        <p className="panel-state">
          Freigegeben wird Fassung {d.fassung.nummer} ({d.fassung.zeilen} Zeilen, Prüfsumme{' '}
          <code>{d.fassung.sha256.slice(0, 12)}</code>).
        </p>
      ) : (
        <p className="panel-state">Entwurf: Fassungen können noch eingelesen und geändert werden.</p>
      )}
    </Panel>
  );
}
