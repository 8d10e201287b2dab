import { KolButton, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import type { BatchView as Batch } from '../../../core/handover/service.js';
import { ApiError, api, loadProcedure, messageOf, type ProcedureSummary } from '../../api.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { officeLabel } from '../../labels.js';
import { navigate } from '../../router.js';
import { selected, useOfficeAuthorities } from '../../scope.js';
import { useSession } from '../../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../write.js';

/**
 * Handover (Übergabe) to the specialist software, for every procedure that declares handover
 * formats: export a batch, see its files and manifest, download them, read in the acknowledgement
 * (file or pasted text), see which cases are handed over. docs/HANDOVER.md describes the rules.
 */

/** A batch in the list (GET /api/handover/batches). */
type BatchSummary = Pick<
  Batch,
  | 'id'
  | 'procedureId'
  | 'status'
  | 'statusLabel'
  | 'caseCount'
  | 'createdAt'
  | 'completedAt'
  | 'acknowledgedAt'
>;

interface HandoverProcedure {
  id: string;
  title: string;
  office: string;
}

/** Procedures with handover formats in the clerk's offices. */
function useHandoverProcedures(): { items: HandoverProcedure[] | null; error: string | null } {
  const { session } = useSession();
  const [items, setItems] = useState<HandoverProcedure[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const offices = new Set(session.user.grants.map((g) => g.officeType));
    (async () => {
      const all = await api.get<{ items: ProcedureSummary[] }>('/api/procedures');
      const mine = all.items.filter((p) => offices.has(p.office));
      const details = await Promise.all(mine.map((p) => loadProcedure(p.id)));
      setItems(
        details
          .filter((d) => ((d as { handover?: unknown[] }).handover ?? []).length > 0)
          .map((d) => ({ id: d.id, title: d.title, office: d.office })),
      );
    })().catch((e: unknown) => setError(messageOf(e)));
  }, [session.user.grants]);
  return { items, error };
}

const sel = (
  id: string,
  label: string,
  options: Array<{ value: string; label: string }>,
  value: string,
  set: (v: string) => void,
) => (
  <KolSelect
    id={id}
    _label={label}
    _options={options}
    _value={value}
    _on={{ onInput: (_e, v) => set(selected(v)) }}
  />
);

export function HandoverPage() {
  const { items: procedures, error: procError } = useHandoverProcedures();
  const [procedureId, setProcedureId] = useState('');
  const [ags, setAgs] = useState('');
  const [batches, setBatches] = useState<BatchSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const proc = procedures?.find((p) => p.id === procedureId);
  useEffect(() => {
    if (!procedureId && procedures?.[0]) setProcedureId(procedures[0].id);
  }, [procedures, procedureId]);

  // Both roles (Sachbearbeitung, Leitung) at the procedure's office may hand over.
  const authorityOptions = useOfficeAuthorities(proc?.office ?? '');
  useEffect(() => {
    if (authorityOptions.length && !authorityOptions.some((o) => o.value === ags))
      setAgs(authorityOptions[0]?.value ?? '');
  }, [authorityOptions, ags]);

  const load = useCallback(async () => {
    if (!ags || !procedureId) return;
    try {
      const r = await api.get<{ items: BatchSummary[] }>(
        `/api/handover/batches?authorityAgs=${encodeURIComponent(ags)}&procedureId=${encodeURIComponent(procedureId)}`,
      );
      setBatches(r.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags, procedureId]);
  useEffect(() => {
    setBatches(null);
    void load();
  }, [load]);

  const create = async () => {
    if (busy || !ags || !procedureId) return;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<Batch>(
        '/api/handover/batches',
        { procedureId, authorityAgs: ags },
        `Übergabe erstellen: ${proc?.title ?? procedureId}`,
      );
      if (r.queued) setInfo(QUEUED_MESSAGE);
      else navigate(`/uebergabe/${r.result.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setInfo(messageOf(e));
      else setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>Übergabe an die Fachverfahren</PageTitle>
      <p className="lead">
        Abgeschlossene Vorgänge werden als Datenpaket (XÖV-Nachrichten und CSV mit Manifest) an das wieder
        laufende Fachverfahren übergeben. Ein Vorgang wird nie doppelt übergeben; die Quittung des
        Fachverfahrens markiert die Vorgänge als übergeben.
      </p>
      <ErrorAlert message={error ?? procError} />
      <InfoAlert message={info} />
      {!procedures && !procError ? <Loading what="Verfahren" /> : null}
      {procedures && procedures.length === 0 ? (
        <p>Für Ihre Ämter gibt es keine Verfahren mit Übergabe.</p>
      ) : null}
      {procedures && procedures.length > 0 ? (
        <form
          className="filters"
          onSubmit={(e) => {
            e.preventDefault();
            void create();
          }}
        >
          {sel(
            'feld-verfahren',
            'Verfahren',
            procedures.map((p) => ({ value: p.id, label: `${p.title} (${officeLabel(p.office)})` })),
            procedureId,
            setProcedureId,
          )}
          {sel('feld-behoerde', 'Behörde', authorityOptions, ags, setAgs)}
          <KolButton
            _label={busy ? 'Übergabe wird erstellt …' : 'Übergabe erstellen (Export)'}
            _type="submit"
            _variant="primary"
            _disabled={busy}
          />
        </form>
      ) : null}
      <h2>Bisherige Übergaben</h2>
      {batches === null ? (
        procedures?.length ? (
          <Loading what="Übergaben" />
        ) : null
      ) : batches.length === 0 ? (
        <p>Noch keine Übergaben für dieses Verfahren.</p>
      ) : (
        <div className="table-wrap">
          <table className="batches">
            <caption className="visually-hidden">Übergaben</caption>
            <thead>
              <tr>
                <th scope="col">Erstellt</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Vorgänge
                </th>
                <th scope="col">Quittiert</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <td>
                    <a href={`/uebergabe/${b.id}`}>Übergabe vom {formatDateTime(b.createdAt)}</a>
                  </td>
                  <td>{b.statusLabel}</td>
                  <td className="num">{formatNumber(b.caseCount)}</td>
                  <td>{b.acknowledgedAt ? formatDateTime(b.acknowledgedAt) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function bytes(n: number): string {
  return n < 1024 ? `${formatNumber(n)} Byte` : `${formatNumber(Math.round(n / 102.4) / 10)} KB`;
}

export function HandoverBatchPage({ batchId }: { batchId: string }) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [content, setContent] = useState('');
  const [grund, setGrund] = useState('');
  const [busy, setBusy] = useState(false);
  const [title, setTitle] = useState('');

  const load = useCallback(async () => {
    try {
      const b = await api.get<Batch>(`/api/handover/batches/${encodeURIComponent(batchId)}`);
      setBatch(b);
      setTitle((await loadProcedure(b.procedureId).catch(() => null))?.title ?? b.procedureId);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [batchId]);
  useEffect(() => {
    void load();
  }, [load]);

  const acknowledge = async (body: unknown, label: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<{ accepted: number; rejected: number; batch: Batch }>(
        `/api/handover/batches/${encodeURIComponent(batchId)}/acknowledgement`,
        body,
        label,
      );
      if (r.queued) setInfo(QUEUED_MESSAGE);
      else {
        setBatch(r.result.batch);
        setContent('');
        setInfo(`Quittung eingelesen: ${r.result.accepted} übernommen, ${r.result.rejected} abgelehnt.`);
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const reject = async () => {
    if (busy) return;
    if (!grund.trim()) {
      setError('Grund: Bitte angeben.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await postOrQueue<Batch>(
        `/api/handover/batches/${encodeURIComponent(batchId)}/rejection`,
        { grund: grund.trim() },
        'Übergabe ablehnen',
      );
      if (r.queued) setInfo(QUEUED_MESSAGE);
      else {
        setBatch(r.result);
        setInfo(
          'Die Übergabe ist abgelehnt; ihre Vorgänge werden mit der nächsten Übergabe erneut exportiert.',
        );
      }
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  if (!batch) return error ? <ErrorAlert message={error} /> : <Loading what="Übergabe" />;
  const open = batch.cases.filter((c) => c.status === 'exportiert');
  const canAck = open.length > 0 && batch.status !== 'abgelehnt';
  return (
    <>
      <PageTitle title="Übergabe">{`Übergabe: ${title}`}</PageTitle>
      <ErrorAlert message={error} />
      <InfoAlert message={info} type="success" />
      <dl className="case-head">
        <div>
          <dt>Status</dt>
          <dd>
            <strong className="batch-status">{batch.statusLabel}</strong>
          </dd>
        </div>
        <div>
          <dt>Vorgänge</dt>
          <dd>{formatNumber(batch.caseCount)}</dd>
        </div>
        <div>
          <dt>Erstellt</dt>
          <dd>{formatDateTime(batch.createdAt)}</dd>
        </div>
        <div>
          <dt>Quittiert</dt>
          <dd>{batch.acknowledgedAt ? formatDateTime(batch.acknowledgedAt) : '–'}</dd>
        </div>
      </dl>

      <section aria-labelledby="dateien-titel">
        <h2 id="dateien-titel">Dateien</h2>
        <ul className="files">
          <li>
            <a href={`/api/handover/batches/${encodeURIComponent(batch.id)}/files/manifest.json`} download>
              manifest.json herunterladen
            </a>{' '}
            (Anzahl und SHA-256 je Datei)
          </li>
          {batch.files.map((f) => (
            <li key={f.name}>
              <a href={f.href} download>
                {f.name} herunterladen
              </a>{' '}
              ({bytes(f.bytes)}, SHA-256 <code className="hash">{f.sha256.slice(0, 16)}…</code>)
            </li>
          ))}
        </ul>
        <details>
          <summary>Manifest anzeigen</summary>
          <pre className="manifest">{JSON.stringify(batch.manifest, null, 2)}</pre>
        </details>
      </section>

      <section aria-labelledby="vorgaenge-titel">
        <h2 id="vorgaenge-titel">Vorgänge</h2>
        <div className="table-wrap">
          <table className="handover-cases">
            <caption className="visually-hidden">Vorgänge der Übergabe</caption>
            <thead>
              <tr>
                <th scope="col">Aktenzeichen</th>
                <th scope="col">Stand</th>
                <th scope="col">Bemerkung</th>
              </tr>
            </thead>
            <tbody>
              {batch.cases.map((c) => (
                <tr key={c.caseId} className={`handover-${c.status}`}>
                  <td>
                    <a href={`/vorgaenge/${c.caseId}`}>{c.aktenzeichen}</a>
                  </td>
                  <td>{c.statusLabel}</td>
                  <td>{c.note ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {canAck ? (
        <section aria-labelledby="quittung-titel">
          <h2 id="quittung-titel">Quittung einlesen</h2>
          <p>
            Die Quittung des Fachverfahrens (JSON oder CSV „aktenzeichen;status;grund“) als Datei wählen oder
            ihren Inhalt einfügen. Passt ein Eintrag nicht zu dieser Übergabe, wird nichts geändert.
          </p>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (!content.trim()) setError('Bitte eine Quittungsdatei wählen oder ihren Inhalt einfügen.');
              else void acknowledge({ content }, 'Quittung einlesen');
            }}
          >
            <div className="file-field">
              <label htmlFor="quittung-datei">Quittungsdatei wählen</label>
              <input
                id="quittung-datei"
                type="file"
                accept=".json,.csv,.txt,application/json,text/csv,text/plain"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) void file.text().then(setContent);
                }}
              />
            </div>
            <KolTextarea
              id="feld-quittung"
              _label="Inhalt der Quittung"
              _rows={6}
              _value={content}
              _on={{ onInput: (_e, v) => setContent(typeof v === 'string' ? v : '') }}
            />
            <div className="buttons">
              <KolButton _label="Quittung einlesen" _type="submit" _variant="primary" _disabled={busy} />
              <KolButton
                _label={`Alle ${open.length} offenen Vorgänge als übernommen quittieren`}
                _variant="secondary"
                _disabled={busy}
                _on={{
                  onClick: () =>
                    void acknowledge(
                      { entries: open.map((c) => ({ aktenzeichen: c.aktenzeichen, status: 'uebernommen' })) },
                      'Übergabe quittieren',
                    ),
                }}
              />
            </div>
          </form>
          <h3>Übergabe als Ganzes ablehnen</h3>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void reject();
            }}
          >
            <KolInputText
              id="feld-ablehnung-grund"
              _label="Grund der Ablehnung"
              _value={grund}
              _maxLength={500}
              _on={{ onInput: (_e, v) => setGrund(typeof v === 'string' ? v : '') }}
            />
            <KolButton _label="Übergabe ablehnen" _type="submit" _variant="danger" _disabled={busy} />
          </form>
        </section>
      ) : null}
      <p>
        <a href="/uebergabe">Zurück zu den Übergaben</a>
      </p>
    </>
  );
}
