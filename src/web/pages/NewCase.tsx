import { KolButton, KolSelect } from '@public-ui/react-v19';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type Role, roleSatisfies } from '../../core/access.js';
import {
  ApiError,
  type Authority,
  api,
  type CaseView,
  loadAuthorities,
  loadProcedure,
  messageOf,
  NetworkError,
  newIdempotencyKey,
  type ProcedureDetail,
  type ProcedureSummary,
} from '../api.js';
import { clearDraft, loadDraft, saveDraft } from '../drafts.js';
import { ErrorSummary, FormRenderer, fieldId } from '../form/FormRenderer.js';
import {
  collectNodes,
  type FormNode,
  type FormState,
  initialState,
  type JsonSchema,
  toData,
} from '../form/schema.js';
import { validateForm } from '../form/validate.js';
import { officeLabel } from '../labels.js';
import { enqueue } from '../outbox.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../ui.js';

export const FLASH_KEY = 'nb:meldung';

export function ChooseProcedure() {
  const { session } = useSession();
  const [items, setItems] = useState<ProcedureSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ items: ProcedureSummary[] }>('/api/procedures')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  const myOffices = new Set(session.user.grants.map((g) => g.officeType));
  const sorted = items
    ? [...items].sort((a, b) => Number(myOffices.has(b.office)) - Number(myOffices.has(a.office)))
    : [];
  return (
    <>
      <PageTitle>Neuer Vorgang</PageTitle>
      <ErrorAlert message={error} />
      {!items && !error ? <Loading what="Verfahren" /> : null}
      <ul className="procedure-list">
        {sorted.map((p) => (
          <li key={p.id}>
            <a href={`/vorgaenge/neu/${p.id}`}>{p.title}</a>
            <span className="office">{p.officeLabel}</span>
            {!myOffices.has(p.office) ? (
              <span className="hint"> (Ihnen ist dieses Amt nicht zugeordnet)</span>
            ) : null}
            <p>{p.description}</p>
          </li>
        ))}
      </ul>
    </>
  );
}

interface Draft {
  state: FormState;
  authorityAgs: string;
  /** Idempotency-Key of the submission in flight; kept until the server answered. */
  key?: string;
}

function labelsOf(nodes: FormNode[], base = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of nodes) {
    const p = base ? `${base}.${n.path}` : n.path;
    out[p] = n.label;
  }
  return out;
}

export function NewCase({ procedureId }: { procedureId: string }) {
  const { session } = useSession();
  const [proc, setProc] = useState<ProcedureDetail | null>(null);
  const [authorities, setAuthorities] = useState<Authority[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // Drafts belong to the person: another login in this tab does not see them.
  const draftKey = `${session.user.id}:neu:${procedureId}`;

  useEffect(() => {
    loadProcedure(procedureId)
      .then(setProc)
      .catch((e: unknown) => setLoadError(messageOf(e)));
    loadAuthorities()
      .then(setAuthorities)
      .catch(() => {});
  }, [procedureId]);

  const nodes = useMemo(() => (proc ? collectNodes(proc.form.jsonSchema as JsonSchema) : []), [proc]);
  const labels = useMemo(() => ({ ...labelsOf(nodes), authorityAgs: 'Behörde' }), [nodes]);

  const authorityOptions = useMemo(() => {
    if (!proc) return [];
    const names = new Map(authorities.map((a) => [a.ags, a.name]));
    const ags = [
      ...new Set(
        session.user.grants
          .filter(
            (g) =>
              g.officeType === proc.office &&
              proc.create.roles.some((r) => roleSatisfies(g.role as Role, r as Role)),
          )
          .map((g) => g.authorityAgs),
      ),
    ];
    return ags.map((a) => ({ value: a, label: names.get(a) ?? a }));
  }, [proc, authorities, session.user.grants]);

  useEffect(() => {
    if (!proc || draft) return;
    // A prefilled form handed over by another page of this tab (`neu:<procedure>`, e.g. from the
    // register) becomes this person's draft.
    const handedOver = loadDraft<Draft>(`neu:${procedureId}`);
    if (handedOver) {
      clearDraft(`neu:${procedureId}`);
      saveDraft(draftKey, handedOver);
    }
    const saved = loadDraft<Draft>(draftKey);
    setDraft(saved ?? { state: initialState(nodes), authorityAgs: '' });
  }, [proc, nodes, draft, draftKey, procedureId]);

  useEffect(() => {
    if (draft && !draft.authorityAgs && authorityOptions.length === 1 && authorityOptions[0]) {
      setDraft({ ...draft, authorityAgs: authorityOptions[0].value });
    }
  }, [draft, authorityOptions]);

  const update = (next: Draft) => {
    setDraft(next);
    saveDraft(draftKey, next);
  };

  const showErrors = (errs: Record<string, string>) => {
    setErrors(errs);
    setTimeout(() => summaryRef.current?.querySelector<HTMLElement>('#fehlerliste')?.focus(), 0);
  };

  const submit = async () => {
    if (!proc || !draft || busy) return;
    setSubmitError(null);
    setQueued(null);
    const data = toData(nodes, draft.state);
    const errs: Record<string, string> = { ...(validateForm(proc.id, data) ?? {}) };
    if (!draft.authorityAgs) errs.authorityAgs = 'Behörde: Bitte auswählen.';
    if (Object.keys(errs).length) {
      showErrors(errs);
      return;
    }
    setErrors({});
    const key = draft.key ?? newIdempotencyKey();
    const withKey = { ...draft, key };
    update(withKey);
    const body = { procedureId: proc.id, authorityAgs: draft.authorityAgs, data };
    setBusy(true);
    try {
      const created = await api.post<CaseView>('/api/cases', body, { idempotencyKey: key });
      clearDraft(draftKey);
      sessionStorage.setItem(FLASH_KEY, `Vorgang ${created.aktenzeichen} wurde angelegt.`);
      navigate(`/vorgaenge/${created.id}`);
    } catch (e) {
      if (e instanceof NetworkError) {
        await enqueue({
          key,
          method: 'POST',
          path: '/api/cases',
          body,
          label: `Neuer Vorgang: ${proc.title}`,
        });
        clearDraft(draftKey);
        setDraft({ state: initialState(nodes), authorityAgs: draft.authorityAgs });
        setQueued(
          'Der Server ist nicht erreichbar. Der Vorgang ist im Ausgang gespeichert und wird automatisch gesendet, sobald der Server wieder erreichbar ist.',
        );
      } else if (e instanceof ApiError) {
        // The server answered: a new attempt needs a new key.
        update({ ...withKey, key: undefined } as Draft);
        const fieldErrs = e.fieldErrors('data');
        if (Object.keys(fieldErrs).length && e.status !== 401) showErrors(fieldErrs);
        else if (e.status !== 401) setSubmitError(messageOf(e));
      } else {
        setSubmitError(messageOf(e));
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <ErrorAlert message={loadError} />;
  if (!proc || !draft) return <Loading what="Formular" />;

  return (
    <>
      <PageTitle title={`Neuer Vorgang: ${proc.title}`}>{`Neuer Vorgang: ${proc.title}`}</PageTitle>
      <p className="lead">{proc.description}</p>
      <p className="help">Mit * gekennzeichnete Felder sind Pflichtangaben.</p>
      {queued ? (
        <div className="queued">
          <InfoAlert type="warning" label="Im Ausgang gespeichert" message={queued} />
          <p>
            <a href="/ausgang">Zum Ausgang</a>
          </p>
        </div>
      ) : null}
      <ErrorAlert message={submitError} />
      <div ref={summaryRef}>
        <ErrorSummary errors={errors} labels={labels} />
      </div>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
        aria-busy={busy}
      >
        <fieldset className="section">
          <legend>Zuständigkeit</legend>
          {authorityOptions.length === 0 ? (
            <p className="field-error">
              Sie haben keine Berechtigung, Vorgänge dieses Verfahrens anzulegen ({officeLabel(proc.office)}).
            </p>
          ) : (
            <KolSelect
              id={fieldId('authorityAgs')}
              _label="Behörde *"
              _required
              _options={[{ label: 'Bitte wählen', value: '' }, ...authorityOptions]}
              _value={draft.authorityAgs}
              _touched={Boolean(errors.authorityAgs)}
              {...(errors.authorityAgs
                ? { _msg: { _type: 'error' as const, _description: errors.authorityAgs } }
                : {})}
              _on={{
                onInput: (_e, v) =>
                  update({ ...draft, authorityAgs: String(Array.isArray(v) ? (v[0] ?? '') : (v ?? '')) }),
              }}
            />
          )}
        </fieldset>
        <FormRenderer
          nodes={nodes}
          sections={proc.form.sections}
          state={draft.state}
          errors={errors}
          onChange={(state) =>
            setDraft((d) => {
              const next = { ...(d ?? draft), state };
              saveDraft(draftKey, next);
              return next;
            })
          }
        />
        <div className="buttons">
          <KolButton
            _label={busy ? 'Wird gesendet …' : `${proc.create.label} und speichern`}
            _type="submit"
            _variant="primary"
            _disabled={busy}
          />
          <KolButton
            _label="Eingaben verwerfen"
            _variant="secondary"
            _on={{
              onClick: () => {
                clearDraft(draftKey);
                setErrors({});
                setDraft({ state: initialState(nodes), authorityAgs: draft.authorityAgs });
              },
            }}
          />
        </div>
      </form>
    </>
  );
}
