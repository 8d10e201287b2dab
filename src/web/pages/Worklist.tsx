import { KolButton, KolInputText, KolSelect } from '@public-ui/react-v19';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import {
  type Authority,
  api,
  type CaseListItem,
  loadAuthorities,
  loadProcedure,
  messageOf,
  type ProcedureSummary,
} from '../api.js';
import { formatDate, formatDateTime } from '../format.js';
import { DEADLINE_LABELS, officeLabel } from '../labels.js';
import { useSession } from '../session.js';
import { ErrorAlert, Loading, PageTitle } from '../ui.js';

/**
 * The clerk's worklist: cases of their offices with the deadline state marked (overdue, due
 * today, due soon), filters, search and pagination. Search terms go in the POST body, never in
 * the URL (they are often names).
 *
 * Pages are keyset pages (the API's nextCursor): "Nächste Seite" asks for the page after the
 * last row shown, "Vorherige Seite" goes back along the cursors already used. The count stops at
 * 10 000 ("mehr als 10.000 Vorgänge"); then the number of pages is not shown.
 */

interface ListResult {
  items: CaseListItem[];
  total: number;
  totalCapped: boolean;
  nextCursor: string | null;
}

interface Filters {
  q: string;
  procedureId: string;
  status: string;
  deadlineState: string;
  authorityAgs: string;
  /** 'open' (default: the work still to do), 'closed', or '' for all. */
  phase: string;
  sort: 'deadline' | 'created_at' | 'updated_at' | 'aktenzeichen';
}

const PAGE_SIZE = 20;
const EMPTY: Filters = {
  q: '',
  procedureId: '',
  status: '',
  deadlineState: '',
  authorityAgs: '',
  phase: 'open',
  sort: 'deadline',
};
const FILTER_KEY = 'nb:arbeitsliste';

function loadFilters(): Filters {
  try {
    return { ...EMPTY, ...(JSON.parse(sessionStorage.getItem(FILTER_KEY) ?? '{}') as Partial<Filters>) };
  } catch {
    return EMPTY;
  }
}

export function DeadlineBadge({ deadline }: { deadline: CaseListItem['deadline'] }) {
  if (!deadline || deadline.state === 'none') return <span className="deadline none">–</span>;
  return (
    <span className={`deadline ${deadline.state}`}>
      <span className="deadline-state">{deadline.stateLabel || DEADLINE_LABELS[deadline.state]}</span>{' '}
      <span className="deadline-date">{formatDate(deadline.date)}</span>
    </span>
  );
}

export function Worklist() {
  const { session } = useSession();
  const [draft, setDraft] = useState<Filters>(loadFilters);
  const [filters, setFilters] = useState<Filters>(draft);
  // cursors[i] asks for page i + 1 (page 1: none).
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const page = cursors.length;
  const cursor = cursors[cursors.length - 1];
  const [result, setResult] = useState<ListResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [procedures, setProcedures] = useState<ProcedureSummary[]>([]);
  const [authorities, setAuthorities] = useState<Authority[]>([]);
  const [statuses, setStatuses] = useState<Array<{ value: string; label: string }>>([]);

  useEffect(() => {
    api
      .get<{ items: ProcedureSummary[] }>('/api/procedures')
      .then((r) => setProcedures(r.items))
      .catch(() => {});
    loadAuthorities()
      .then(setAuthorities)
      .catch(() => {});
  }, []);

  useEffect(() => {
    if (!draft.procedureId) {
      setStatuses([]);
      return;
    }
    loadProcedure(draft.procedureId)
      .then((p) => setStatuses(Object.entries(p.states).map(([value, s]) => ({ value, label: s.label }))))
      .catch(() => setStatuses([]));
  }, [draft.procedureId]);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    const body: Record<string, unknown> = {
      pageSize: PAGE_SIZE,
      sort: filters.sort,
      order: filters.sort === 'deadline' || filters.sort === 'aktenzeichen' ? 'asc' : 'desc',
    };
    if (filters.q.trim()) body.q = filters.q.trim();
    for (const k of ['procedureId', 'status', 'deadlineState', 'authorityAgs'] as const)
      if (filters[k]) body[k] = filters[k];
    if (filters.phase) body.open = filters.phase === 'open';
    // Later pages are not counted again: the count of the first page stays.
    if (cursor) Object.assign(body, { cursor, count: false });
    api
      .post<Omit<ListResult, 'total'> & { total: number | null }>('/api/cases/search', body)
      .then((r) => {
        if (cancelled) return;
        setResult((prev) =>
          r.total === null
            ? { ...r, total: prev?.total ?? 0, totalCapped: prev?.totalCapped ?? false }
            : { ...r, total: r.total },
        );
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(messageOf(e));
      });
    return () => {
      cancelled = true;
    };
  }, [filters, cursor]);

  const myAuthorities = useMemo(() => {
    const ags = [...new Set(session.user.grants.map((g) => g.authorityAgs))];
    const names = new Map(authorities.map((a) => [a.ags, a.name]));
    return ags.map((a) => ({ value: a, label: names.get(a) ?? a }));
  }, [session.user.grants, authorities]);

  const apply = (e?: FormEvent) => {
    e?.preventDefault();
    sessionStorage.setItem(FILTER_KEY, JSON.stringify(draft));
    setCursors([undefined]);
    setFilters({ ...draft });
  };
  const reset = () => {
    sessionStorage.removeItem(FILTER_KEY);
    setDraft(EMPTY);
    setCursors([undefined]);
    setFilters(EMPTY);
  };
  const set = (k: keyof Filters) => (_e: unknown, v: unknown) =>
    setDraft((d) => ({
      ...d,
      [k]: String(Array.isArray(v) ? (v[0] ?? '') : (v ?? '')),
      ...(k === 'procedureId' ? { status: '' } : {}),
    }));

  const offices = [...new Set(session.user.grants.map((g) => officeLabel(g.officeType)))];
  const pages = result && !result.totalCapped ? Math.max(1, Math.ceil(result.total / PAGE_SIZE)) : null;
  const hasNext = Boolean(result?.nextCursor);

  return (
    <>
      <PageTitle>Arbeitsliste</PageTitle>
      <p className="lead">
        {offices.length
          ? `Vorgänge Ihrer Ämter: ${offices.join(', ')}.`
          : 'Ihnen ist noch kein Amt zugeordnet.'}{' '}
        <a href="/vorgaenge/neu">Neuen Vorgang erfassen</a>
      </p>
      <search>
        <form className="filters" onSubmit={apply} aria-label="Vorgänge filtern">
          <div className="filter-grid">
            <KolInputText
              _label="Suche (Name, Aktenzeichen, Nummer)"
              _value={draft.q}
              _on={{ onInput: set('q') }}
            />
            <KolSelect
              _label="Verfahren"
              _options={[
                { label: 'Alle Verfahren', value: '' },
                ...procedures.map((p) => ({ label: p.title, value: p.id })),
              ]}
              _value={draft.procedureId}
              _on={{ onInput: set('procedureId') }}
            />
            {statuses.length ? (
              <KolSelect
                _label="Status"
                _options={[{ label: 'Alle Status', value: '' }, ...statuses]}
                _value={draft.status}
                _on={{ onInput: set('status') }}
              />
            ) : null}
            <KolSelect
              _label="Bearbeitungsstand"
              _options={[
                { label: 'Offene Vorgänge', value: 'open' },
                { label: 'Abgeschlossene Vorgänge', value: 'closed' },
                { label: 'Alle Vorgänge', value: '' },
              ]}
              _value={draft.phase}
              _on={{ onInput: set('phase') }}
            />
            <KolSelect
              _label="Frist"
              _options={[
                { label: 'Alle', value: '' },
                ...['overdue', 'due_today', 'due_soon', 'on_time', 'none'].map((v) => ({
                  label: DEADLINE_LABELS[v] ?? v,
                  value: v,
                })),
              ]}
              _value={draft.deadlineState}
              _on={{ onInput: set('deadlineState') }}
            />
            {myAuthorities.length > 1 ? (
              <KolSelect
                _label="Behörde"
                _options={[{ label: 'Alle Behörden', value: '' }, ...myAuthorities]}
                _value={draft.authorityAgs}
                _on={{ onInput: set('authorityAgs') }}
              />
            ) : null}
            <KolSelect
              _label="Sortierung"
              _options={[
                { label: 'Nach Frist (dringende zuerst)', value: 'deadline' },
                { label: 'Neueste zuerst', value: 'created_at' },
                { label: 'Zuletzt geändert', value: 'updated_at' },
                { label: 'Nach Aktenzeichen', value: 'aktenzeichen' },
              ]}
              _value={draft.sort}
              _on={{ onInput: set('sort') }}
            />
          </div>
          <div className="buttons">
            <KolButton _label="Filtern" _type="submit" _variant="primary" />
            <KolButton _label="Zurücksetzen" _variant="secondary" _on={{ onClick: reset }} />
          </div>
        </form>
      </search>
      <ErrorAlert message={error} />
      {!result && !error ? <Loading what="Vorgänge" /> : null}
      {result ? (
        <>
          <p role="status" aria-live="polite" className="result-count">
            {resultCount(result, page, pages)}
          </p>
          {result.items.length ? (
            <div className="table-wrap">
              <table className="cases">
                <caption className="visually-hidden">Vorgänge</caption>
                <thead>
                  <tr>
                    <th scope="col">Aktenzeichen</th>
                    <th scope="col">Vorgang</th>
                    <th scope="col">Verfahren</th>
                    <th scope="col">Status</th>
                    <th scope="col">Frist</th>
                    <th scope="col">Behörde</th>
                    <th scope="col">Erfasst</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((c) => (
                    <tr key={c.id} className={c.deadline ? `row-${c.deadline.state}` : undefined}>
                      <td>
                        <a href={`/vorgaenge/${c.id}`}>{c.aktenzeichen}</a>
                      </td>
                      <td>{c.summary}</td>
                      <td>{c.procedureTitle}</td>
                      <td>{c.statusLabel}</td>
                      <td>
                        <DeadlineBadge deadline={c.deadline} />
                      </td>
                      <td>{c.authorityName}</td>
                      <td>{formatDateTime(c.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {page > 1 || hasNext ? (
            <nav className="pagination" aria-label="Seiten der Arbeitsliste">
              <KolButton
                _label="Vorherige Seite"
                _variant="secondary"
                _disabled={page <= 1}
                _on={{ onClick: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)) }}
              />
              <span>{pages ? `Seite ${page} von ${pages}` : `Seite ${page}`}</span>
              <KolButton
                _label="Nächste Seite"
                _variant="secondary"
                _disabled={!hasNext}
                _on={{
                  onClick: () => {
                    const next = result?.nextCursor;
                    if (next) setCursors((c) => [...c, next]);
                  },
                }}
              />
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** "3 Vorgänge, Seite 1 von 1." or, when the count stopped, "Mehr als 10.000 Vorgänge, Seite 2." */
function resultCount(result: ListResult, page: number, pages: number | null): string {
  if (result.total === 0) return 'Keine Vorgänge gefunden.';
  if (result.totalCapped) return `Mehr als ${result.total.toLocaleString('de-DE')} Vorgänge, Seite ${page}.`;
  const n = result.total.toLocaleString('de-DE');
  return `${n} Vorgang${result.total === 1 ? '' : 'e'}, Seite ${page} von ${pages ?? 1}.`;
}
