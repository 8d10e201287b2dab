import { KolButton } from '@public-ui/react-v19';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  ApiError,
  api,
  type CaseView,
  loadProcedure,
  messageOf,
  NetworkError,
  newIdempotencyKey,
  type ProcedureDetail,
} from '../api.js';
import { HandoverState, PaymentsState } from '../case-panels.js';
import { clearDraft, loadDraft, saveDraft } from '../drafts.js';
import { WEB_FAMILIES } from '../families.js';
import { ErrorSummary, FormRenderer } from '../form/FormRenderer.js';
import {
  bySection,
  collectNodes,
  type FormNode,
  type FormState,
  fromData,
  initialState,
  type JsonSchema,
  type LeafField,
  toData,
} from '../form/schema.js';
import { validateActionPayload } from '../form/validate.js';
import {
  formatDate,
  formatDateTime,
  formatEuro,
  formatEuroCents,
  formatIban,
  formatNumber,
} from '../format.js';
import { officeLabel } from '../labels.js';
import { enqueue } from '../outbox.js';
import { useSession } from '../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../ui.js';
import { FLASH_KEY } from './NewCase.js';
import { DeadlineBadge } from './Worklist.js';

/** The case page: data, action history, the actions allowed now, documents. */

function getIn(data: unknown, path: string): unknown {
  let cur = data;
  for (const k of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function display(field: LeafField, value: unknown): string {
  if (value === undefined || value === null || value === '') return '–';
  switch (field.widget) {
    case 'yesno':
      return value === true ? 'Ja' : value === false ? 'Nein' : String(value);
    case 'date':
      return formatDate(String(value));
    case 'money':
      return typeof value === 'number'
        ? field.integer
          ? formatEuroCents(value)
          : formatEuro(value)
        : String(value);
    case 'number':
      return typeof value === 'number' ? formatNumber(value) : String(value);
    case 'iban':
      return formatIban(String(value));
    case 'select':
      return field.options.find((o) => o.value === String(value))?.label ?? String(value);
    default:
      return String(value);
  }
}

function DataList({ nodes, data }: { nodes: FormNode[]; data: unknown }) {
  return (
    <dl className="data">
      {nodes.map((n) => {
        const v = getIn(data, n.path);
        if (n.kind === 'field')
          return (
            <div key={n.path} className="data-row">
              <dt>{n.label}</dt>
              <dd>{display(n, v)}</dd>
            </div>
          );
        const items = Array.isArray(v) ? v : [];
        return (
          <div key={n.path} className="data-row">
            <dt>{n.label}</dt>
            <dd>
              {items.length === 0 ? '–' : null}
              {items.map((item, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional items of a stored record
                <div key={i} className="data-item">
                  <p className="data-item-title">
                    {n.itemLabel} {i + 1}
                  </p>
                  <DataList
                    nodes={n.item}
                    data={n.item.length === 1 && n.item[0]?.path === 'wert' ? { wert: item } : item}
                  />
                </div>
              ))}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

function payloadText(payload: unknown): string {
  if (!payload || typeof payload !== 'object') return '';
  const entries = Object.entries(payload as Record<string, unknown>).filter(
    ([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
  return entries.map(([, v]) => String(v)).join('; ');
}

type ActionDef = ProcedureDetail['actions'][number];

function ActionForm({
  caseView,
  proc,
  action,
  onDone,
  onCancel,
  draftKey,
}: {
  caseView: CaseView;
  proc: ProcedureDetail;
  action: ActionDef;
  onDone: (view: CaseView | null, message: string) => void;
  onCancel: () => void;
  /** What was typed survives an ended session (sessionStorage, this person only). */
  draftKey: string;
}) {
  const nodes = useMemo(
    () => (action.payloadJsonSchema ? collectNodes(action.payloadJsonSchema as JsonSchema) : []),
    [action],
  );
  const [state, setStateRaw] = useState<FormState>(
    () =>
      loadDraft<FormState>(draftKey) ??
      (action.id === 'berichtigen' || nodes.length > 4
        ? fromData(nodes, caseView.data)
        : initialState(nodes)),
  );
  const setState = useCallback(
    (next: FormState) => {
      setStateRaw(next);
      saveDraft(draftKey, next);
    },
    [draftKey],
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const keyRef = useRef<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const labels = useMemo(() => Object.fromEntries(nodes.map((n) => [n.path, n.label])), [nodes]);

  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>('h2')?.focus();
  }, []);

  const submit = async () => {
    if (busy) return;
    setError(null);
    const payload = nodes.length ? toData(nodes, state) : {};
    const errs = nodes.length ? validateActionPayload(proc.id, action.id, payload) : null;
    if (errs) {
      setErrors(errs);
      setTimeout(() => formRef.current?.querySelector<HTMLElement>('#fehlerliste')?.focus(), 0);
      return;
    }
    setErrors({});
    keyRef.current ??= newIdempotencyKey();
    const key = keyRef.current;
    const path = `/api/cases/${caseView.id}/actions/${action.id}`;
    const body = { expectedVersion: caseView.version, payload };
    setBusy(true);
    try {
      const view = await api.post<CaseView>(path, body, { idempotencyKey: key });
      onDone(view, `${action.label}: erledigt.`);
    } catch (e) {
      if (e instanceof NetworkError) {
        await enqueue({
          key,
          method: 'POST',
          path,
          body,
          label: `${action.label}: ${caseView.aktenzeichen}`,
        });
        onDone(
          null,
          `Der Server ist nicht erreichbar. „${action.label}“ ist im Ausgang gespeichert und wird gesendet, sobald der Server wieder erreichbar ist.`,
        );
      } else if (e instanceof ApiError) {
        keyRef.current = null;
        const fe = e.fieldErrors('payload');
        if (Object.keys(fe).length) setErrors(fe);
        else if (e.status === 409) setError(`${messageOf(e)} Bitte laden Sie den Vorgang neu.`);
        else if (e.status !== 401) setError(messageOf(e));
      } else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="action-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 tabIndex={-1}>{action.label}</h2>
      {action.description ? <p>{action.description}</p> : null}
      <ErrorAlert message={error} />
      <ErrorSummary errors={errors} labels={labels} />
      <FormRenderer
        nodes={nodes}
        sections={nodes.length > 4 ? proc.form.sections : []}
        state={state}
        errors={errors}
        onChange={setState}
      />
      <div className="buttons">
        <KolButton
          _label={busy ? 'Wird gesendet …' : `${action.label} ausführen`}
          _type="submit"
          _variant="primary"
          _disabled={busy}
        />
        <KolButton _label="Abbrechen" _variant="secondary" _on={{ onClick: onCancel }} />
      </div>
    </form>
  );
}

export function CasePage({ caseId }: { caseId: string }) {
  const { session } = useSession();
  const openKey = `${session.user.id}:aktion:${caseId}`;
  const [view, setView] = useState<CaseView | null>(null);
  const [proc, setProc] = useState<ProcedureDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(() => {
    const m = sessionStorage.getItem(FLASH_KEY);
    sessionStorage.removeItem(FLASH_KEY);
    return m;
  });
  // The open action form is remembered, so that after a new login the clerk is back in it.
  const [active, setActiveRaw] = useState<string | null>(() => loadDraft<string>(openKey));
  const setActive = (id: string | null) => {
    if (active && active !== id) clearDraft(`${openKey}:${active}`);
    setActiveRaw(id);
    if (id) saveDraft(openKey, id);
    else clearDraft(openKey);
  };

  const load = useCallback(async () => {
    try {
      const v = await api.get<CaseView>(`/api/cases/${encodeURIComponent(caseId)}`);
      setView(v);
      setProc(await loadProcedure(v.procedureId));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [caseId]);

  useEffect(() => {
    void load();
  }, [load]);

  const nodes = useMemo(() => (proc ? collectNodes(proc.form.jsonSchema as JsonSchema) : []), [proc]);

  if (error && !view) return <ErrorAlert message={error} />;
  if (!view || !proc) return <Loading what="Vorgang" />;

  const activeAction = active ? proc.actions.find((a) => a.id === active) : undefined;

  const runAction = (id: string) => {
    setMessage(null);
    setActive(id);
  };

  return (
    <>
      <PageTitle title={`Vorgang ${view.aktenzeichen}`}>{`Vorgang ${view.aktenzeichen}`}</PageTitle>
      <InfoAlert message={message} type={message?.startsWith('Der Server') ? 'warning' : 'success'} />
      <ErrorAlert message={error} />
      <dl className="case-head">
        <div>
          <dt>Verfahren</dt>
          <dd>{view.procedureTitle}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <strong>{view.statusLabel}</strong>
          </dd>
        </div>
        <div>
          <dt>Frist</dt>
          <dd>
            <DeadlineBadge deadline={view.deadline} />
            {view.deadline ? <span className="deadline-label"> {view.deadline.label}</span> : null}
          </dd>
        </div>
        <div>
          <dt>Behörde</dt>
          <dd>
            {view.authorityName}, {officeLabel(view.officeType)}
          </dd>
        </div>
        <div>
          <dt>Erfasst</dt>
          <dd>{formatDateTime(view.createdAt)}</dd>
        </div>
        <div>
          <dt>Zuletzt geändert</dt>
          <dd>{formatDateTime(view.updatedAt)}</dd>
        </div>
      </dl>

      {WEB_FAMILIES.map(({ id, CasePanels }) =>
        CasePanels ? (
          <CasePanels
            key={id}
            view={view}
            onDone={(v, msg) => {
              setMessage(msg);
              if (v) setView(v);
            }}
          />
        ) : null,
      )}
      <HandoverState key={`uebergabe:${view.id}:${view.version}`} caseId={view.id} />
      {WEB_FAMILIES.some((f) =>
        (f.paymentOffices as readonly string[] | undefined)?.includes(view.officeType),
      ) ? (
        <PaymentsState key={`zahlungen:${view.id}:${view.version}`} caseId={view.id} />
      ) : null}
      <section aria-labelledby="aktionen-titel" className="case-actions">
        <h2 id="aktionen-titel">Aktionen</h2>
        {view.allowedActions.length === 0 ? <p>In diesem Status sind keine Aktionen möglich.</p> : null}
        <div className="buttons">
          {view.allowedActions
            .filter((a) => !WEB_FAMILIES.some((f) => f.panelActions?.(view).has(a.id)))
            .map((a) => (
              <KolButton
                key={a.id}
                _label={a.label}
                _variant={a.id === 'stornieren' ? 'danger' : 'primary'}
                _on={{ onClick: () => runAction(a.id) }}
                {...(a.description ? { _ariaDescription: a.description } : {})}
              />
            ))}
        </div>
        {activeAction ? (
          <ActionForm
            key={activeAction.id}
            caseView={view}
            proc={proc}
            action={activeAction}
            draftKey={`${openKey}:${activeAction.id}`}
            onCancel={() => setActive(null)}
            onDone={(v, msg) => {
              setActive(null);
              setMessage(msg);
              if (v) setView(v);
            }}
          />
        ) : null}
      </section>

      <section aria-labelledby="dokumente-titel">
        <h2 id="dokumente-titel">Dokumente</h2>
        {view.documents.length === 0 ? (
          <p>
            Noch keine Dokumente.{' '}
            {proc.documents.length
              ? `(${proc.documents.map((d) => d.title).join(', ')} nach der Bestätigung.)`
              : ''}
          </p>
        ) : (
          <ul className="documents">
            {view.documents.map((d) => (
              <li key={d.id}>
                <a href={d.href} target="_blank" rel="noopener">
                  {d.title} öffnen und drucken (PDF, neues Fenster)
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="angaben-titel">
        <h2 id="angaben-titel">Angaben</h2>
        {bySection(nodes, proc.form.sections).map((s) => (
          <section key={s.id} aria-labelledby={`abschnitt-${s.id}`}>
            <h3 id={`abschnitt-${s.id}`}>{s.title}</h3>
            <DataList nodes={s.nodes} data={view.data} />
          </section>
        ))}
      </section>

      <section aria-labelledby="verlauf-titel">
        <h2 id="verlauf-titel">Verlauf</h2>
        <div className="table-wrap">
          <table className="history">
            <caption className="visually-hidden">Verlauf des Vorgangs</caption>
            <thead>
              <tr>
                <th scope="col">Wann</th>
                <th scope="col">Wer</th>
                <th scope="col">Was</th>
                <th scope="col">Status danach</th>
              </tr>
            </thead>
            <tbody>
              {view.actions.map((a) => (
                <tr key={a.seq}>
                  <td>{formatDateTime(a.at)}</td>
                  <td>{a.actorName}</td>
                  <td>
                    {a.label}
                    {payloadText(a.payload) && a.action !== 'erfassen' && a.action !== 'berichtigen' ? (
                      <span className="payload"> – {payloadText(a.payload)}</span>
                    ) : null}
                  </td>
                  <td>{a.statusAfterLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <p>
        <a href="/vorgaenge">Zurück zur Arbeitsliste</a>
      </p>
    </>
  );
}
