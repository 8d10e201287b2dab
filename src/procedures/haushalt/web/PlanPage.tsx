import { KolButton, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, type FieldError, messageOf } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { selected } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';
import { formatBetrag } from '../geld.js';
import { BETRAG_SPALTEN, PLAN_LABELS } from '../katalog.js';
import type { DiffView, PlanView } from '../server/service.js';
import type { PlanRow } from '../totals.js';
import { deadlineText, ScrollRegion } from './format.js';

/**
 * One budget plan: its versions (each import or edit is one, frozen), the Gesamtergebnis- and
 * Gesamtfinanzplan of the version shown, the Teilpläne with their lines, the import of a new
 * version from XLSX or CSV (row errors listed, nothing half-imported), exports and the difference
 * between two versions. Approval steps happen on the case (link).
 */

type Spalten = PlanView['spalten'];

function AmountCells({ row }: { row: Record<(typeof BETRAG_SPALTEN)[number], number> }) {
  return (
    <>
      {BETRAG_SPALTEN.map((c) => (
        <td key={c} className="num">
          {formatBetrag(row[c])}
        </td>
      ))}
    </>
  );
}

function PlanTable({
  id,
  title,
  rows,
  spalten,
}: {
  id: string;
  title: string;
  rows: PlanRow[];
  spalten: Spalten;
}) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ScrollRegion label={`${title} (Tabelle)`}>
        <table className={`gesamtplan ${id}`}>
          <caption className="visually-hidden">{title}, Beträge in Euro</caption>
          <thead>
            <tr>
              <th scope="col">Nr.</th>
              <th scope="col">Position</th>
              {BETRAG_SPALTEN.map((c) => (
                <th key={c} scope="col" className="num">
                  {spalten[c]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) =>
              r.kind === 'position' ? (
                <tr key={r.id}>
                  <td>{r.nr}</td>
                  <td>{r.label}</td>
                  <AmountCells row={r} />
                </tr>
              ) : (
                <tr key={r.id} className={`summe ${r.id}`}>
                  <td />
                  <th scope="row">= {r.label}</th>
                  {BETRAG_SPALTEN.map((c) => (
                    <td key={c} className="num">
                      <strong>{formatBetrag(r[c])}</strong>
                    </td>
                  ))}
                </tr>
              ),
            )}
          </tbody>
        </table>
      </ScrollRegion>
    </section>
  );
}

interface LinesView {
  produktbereich: string;
  name: string;
  items: Array<
    {
      produkt: string;
      produktName: string;
      plan: 'E' | 'F';
      position: number;
      positionLabel: string;
      erlaeuterung: string | null;
    } & Record<(typeof BETRAG_SPALTEN)[number], number>
  >;
}

function TeilplanLines({
  planId,
  versionNo,
  pb,
  spalten,
}: {
  planId: string;
  versionNo: number;
  pb: string;
  spalten: Spalten;
}) {
  const [lines, setLines] = useState<LinesView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<LinesView>(`/api/haushalt/plans/${planId}/versions/${versionNo}/lines?produktbereich=${pb}`)
      .then(setLines)
      .catch((e: unknown) => setError(messageOf(e)));
  }, [planId, versionNo, pb]);
  if (error) return <ErrorAlert message={error} />;
  if (!lines) return <Loading what="Zeilen" />;
  return (
    <ScrollRegion label={`Zeilen des Teilplans ${pb}`}>
      <table className="teilplan-zeilen">
        <caption>
          Teilplan {lines.produktbereich} {lines.name}, Fassung {versionNo} (Beträge in Euro)
        </caption>
        <thead>
          <tr>
            <th scope="col">Produkt</th>
            <th scope="col">Plan, Zeile</th>
            {BETRAG_SPALTEN.map((c) => (
              <th key={c} scope="col" className="num">
                {spalten[c]}
              </th>
            ))}
            <th scope="col">Erläuterung</th>
          </tr>
        </thead>
        <tbody>
          {lines.items.map((z) => (
            <tr key={`${z.produkt}|${z.plan}|${z.position}`}>
              <td>
                {z.produkt} {z.produktName}
              </td>
              <td>
                {PLAN_LABELS[z.plan]} {z.position}: {z.positionLabel}
              </td>
              <AmountCells row={z} />
              <td>{z.erlaeuterung ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** Base64 of a file's bytes, in chunks (a large workbook would overflow a single apply). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function ImportForm({ plan, onDone }: { plan: PlanView; onDone: (message: string) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<FieldError[]>([]);
  const submit = async () => {
    setError(null);
    setRowErrors([]);
    if (!file) return setError('Bitte eine XLSX- oder CSV-Datei wählen.');
    const format = /\.csv$/i.test(file.name) ? 'csv' : 'xlsx';
    setBusy(true);
    try {
      const content = format === 'csv' ? await file.text() : await base64Of(file);
      const r = await postOrQueue<{
        version: { versionNo: number; lineCount: number };
        ignoredSheets?: string[];
      }>(
        `/api/haushalt/plans/${plan.caseId}/import`,
        {
          format,
          fileName: file.name,
          content,
          basedOnVersion: plan.latestVersion,
          ...(note.trim() ? { note: note.trim() } : {}),
        },
        `Haushaltsplan ${plan.haushaltsjahr}: ${file.name} einlesen`,
      );
      if (r.queued) return onDone(QUEUED_MESSAGE);
      const ignored = r.result.ignoredSheets?.length
        ? ` Nicht gelesen (keine Teilpläne): ${r.result.ignoredSheets.join(', ')}.`
        : '';
      onDone(
        `Fassung ${r.result.version.versionNo} eingelesen (${r.result.version.lineCount} Zeilen).${ignored}`,
      );
    } catch (e) {
      setError(messageOf(e));
      if (e instanceof ApiError) setRowErrors(e.problem.errors ?? []);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="einlesen">
      <h2 id="einlesen">Neue Fassung einlesen</h2>
      <p className="hint">
        Ein Tabellenblatt je Teilplan („TP 01 Innere Verwaltung“ …) mit den Spalten wie in der Ausgabe; oder
        eine CSV-Datei mit denselben Spalten. Die Datei wird ganz oder gar nicht übernommen.
      </p>
      <ErrorAlert message={error} />
      {rowErrors.length ? (
        <section className="error-summary" aria-labelledby="zeilenfehler">
          <h3 id="zeilenfehler">Fehler in der Datei</h3>
          <ul className="import-errors">
            {rowErrors.map((e) => (
              <li key={`${e.path}|${e.message}`}>{e.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="file-field">
          <label htmlFor="haushalt-datei">Datei (XLSX oder CSV)</label>
          <input
            id="haushalt-datei"
            type="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <KolInputText
          id="feld-fassung-bemerkung"
          _label="Bemerkung zur Fassung (optional)"
          _value={note}
          _on={{ onInput: (_e, v) => setNote(typeof v === 'string' ? v : '') }}
        />
        <div className="buttons">
          <KolButton _label="Datei einlesen" _type="submit" _variant="primary" _disabled={busy} />
        </div>
      </form>
    </section>
  );
}

function DiffSection({ plan }: { plan: PlanView }) {
  const numbers = plan.versions.map((v) => String(v.versionNo));
  const [from, setFrom] = useState(numbers[1] ?? numbers[0] ?? '');
  const [to, setTo] = useState(numbers[0] ?? '');
  const [diff, setDiff] = useState<DiffView | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (plan.versions.length < 2) return null;
  const options = plan.versions.map((v) => ({ value: String(v.versionNo), label: `Fassung ${v.versionNo}` }));
  return (
    <section aria-labelledby="vergleich">
      <h2 id="vergleich">Fassungen vergleichen</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api
            .get<DiffView>(`/api/haushalt/plans/${plan.caseId}/diff?from=${from}&to=${to}`)
            .then(setDiff)
            .catch((err: unknown) => setError(messageOf(err)));
        }}
      >
        <KolSelect
          id="feld-von"
          _label="Von Fassung"
          _options={options}
          _value={from}
          _on={{ onInput: (_e, v) => setFrom(selected(v)) }}
        />
        <KolSelect
          id="feld-bis"
          _label="Bis Fassung"
          _options={options}
          _value={to}
          _on={{ onInput: (_e, v) => setTo(selected(v)) }}
        />
        <KolButton _label="Vergleichen" _type="submit" />
      </form>
      <ErrorAlert message={error} />
      {diff ? (
        <>
          <p role="status" className="diff-counts">
            Fassung {diff.from} → {diff.to}: {diff.counts.geaendert} geändert, {diff.counts.neu} neu,{' '}
            {diff.counts.entfernt} entfernt.
          </p>
          <ul>
            {diff.ergebnisse.map((e) => (
              <li key={e.id}>
                {e.label} ({plan.spalten.ansatz}): {formatBetrag(e.vorher.ansatz)} →{' '}
                {formatBetrag(e.nachher.ansatz)} EUR
              </li>
            ))}
          </ul>
          {diff.lines.length ? (
            <ScrollRegion label="Geänderte Zeilen">
              <table className="diff">
                <caption className="visually-hidden">Geänderte Zeilen</caption>
                <thead>
                  <tr>
                    <th scope="col">Änderung</th>
                    <th scope="col">Produkt, Zeile</th>
                    <th scope="col" className="num">
                      {plan.spalten.ansatz} vorher
                    </th>
                    <th scope="col" className="num">
                      {plan.spalten.ansatz} nachher
                    </th>
                    <th scope="col">Geänderte Felder</th>
                  </tr>
                </thead>
                <tbody>
                  {diff.lines.map((l) => (
                    <tr key={`${l.art}|${l.schluessel}`}>
                      <td>{{ neu: 'neu', entfernt: 'entfernt', geaendert: 'geändert' }[l.art]}</td>
                      <td>
                        {l.produkt} {l.produktName}, {PLAN_LABELS[l.plan]} {l.position} {l.positionLabel}
                      </td>
                      <td className="num">{l.vorher ? formatBetrag(l.vorher.ansatz) : '–'}</td>
                      <td className="num">{l.nachher ? formatBetrag(l.nachher.ansatz) : '–'}</td>
                      <td>{l.felder.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
          ) : null}
        </>
      ) : null}
    </section>
  );
}

export function PlanPage({ planId }: { planId: string }) {
  const { session } = useSession();
  const [plan, setPlan] = useState<PlanView | null>(null);
  const [version, setVersion] = useState<number | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [teilplan, setTeilplan] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const q = version ? `?version=${version}` : '';
      setPlan(await api.get<PlanView>(`/api/haushalt/plans/${planId}${q}`));
    } catch (e) {
      setError(messageOf(e));
    }
  }, [planId, version]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error && !plan) return <ErrorAlert message={error} />;
  if (!plan) return <Loading what="Haushaltsplan" />;
  const canWrite = session.user.grants.some(
    (g) =>
      g.authorityAgs === plan.authorityAgs &&
      g.officeType === 'kaemmerei' &&
      (g.role === 'sachbearbeitung' || g.role === 'leitung'),
  );
  const shown = plan.shown;
  const exportHref = (format: string, no: number) =>
    `/api/haushalt/plans/${plan.caseId}/versions/${no}/export/${format}`;
  return (
    <>
      <PageTitle>{`Haushaltsplan ${plan.haushaltsjahr} – ${plan.authorityName}`}</PageTitle>
      <p className="lead plan-state">
        Stand: <strong>{plan.statusLabel}</strong> · Anzeige an die Aufsicht: {deadlineText(plan.deadline)} ·{' '}
        <a href={`/vorgaenge/${plan.caseId}`}>
          Vorgang {plan.aktenzeichen} (Aufstellung, Bestätigung, Beschluss, Anzeige)
        </a>
      </p>
      {plan.fassung ? (
        <p>
          Im Verfahren nach § 80 GO NRW ist Fassung {plan.fassung.nummer} festgelegt; neue Fassungen erst nach
          Rückgabe in den Entwurf.
        </p>
      ) : null}
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      {plan.editable && canWrite ? (
        <ImportForm
          plan={plan}
          onDone={(m) => {
            setInfo(m);
            setVersion(undefined);
            void load();
          }}
        />
      ) : null}

      <section aria-labelledby="fassungen">
        <h2 id="fassungen">Fassungen</h2>
        {plan.versions.length === 0 ? <p>Noch keine Fassung eingelesen.</p> : null}
        {plan.versions.length ? (
          <ScrollRegion label="Fassungen des Haushaltsplans">
            <table className="versions">
              <caption className="visually-hidden">Fassungen des Haushaltsplans</caption>
              <thead>
                <tr>
                  <th scope="col">Fassung</th>
                  <th scope="col">Erstellt</th>
                  <th scope="col">Quelle</th>
                  <th scope="col" className="num">
                    Zeilen
                  </th>
                  <th scope="col">Ausgabe</th>
                </tr>
              </thead>
              <tbody>
                {plan.versions.map((v) => (
                  <tr key={v.id} aria-current={shown?.versionNo === v.versionNo ? 'true' : undefined}>
                    <td>
                      {shown?.versionNo === v.versionNo ? (
                        <strong>Fassung {v.versionNo} (angezeigt)</strong>
                      ) : (
                        <button type="button" className="link-button" onClick={() => setVersion(v.versionNo)}>
                          Fassung {v.versionNo} anzeigen
                        </button>
                      )}
                    </td>
                    <td>
                      {formatDateTime(v.createdAt)}, {v.createdByName}
                    </td>
                    <td>
                      {v.source === 'bearbeitung' ? 'Bearbeitung' : v.sourceName}
                      {v.note ? ` – ${v.note}` : ''}
                    </td>
                    <td className="num">{v.lineCount}</td>
                    <td>
                      <a href={exportHref('xlsx', v.versionNo)}>XLSX</a> ·{' '}
                      <a href={exportHref('csv', v.versionNo)}>CSV</a> ·{' '}
                      <a href={exportHref('pdf', v.versionNo)}>Gesamtplan als PDF (Fassung {v.versionNo})</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : null}
      </section>

      {shown && plan.gesamtplan ? (
        <>
          <PlanTable
            id="gesamtergebnisplan"
            title={`Gesamtergebnisplan (Fassung ${shown.versionNo})`}
            rows={plan.gesamtplan.ergebnisplan}
            spalten={plan.spalten}
          />
          <PlanTable
            id="gesamtfinanzplan"
            title={`Gesamtfinanzplan (Fassung ${shown.versionNo})`}
            rows={plan.gesamtplan.finanzplan}
            spalten={plan.spalten}
          />
          <section aria-labelledby="teilplaene">
            <h2 id="teilplaene">Teilpläne</h2>
            <ScrollRegion label="Teilpläne">
              <table className="teilplaene">
                <caption className="visually-hidden">Teilpläne mit Jahresergebnis</caption>
                <thead>
                  <tr>
                    <th scope="col">Produktbereich</th>
                    <th scope="col" className="num">
                      Zeilen
                    </th>
                    <th scope="col" className="num">
                      Jahresergebnis {plan.spalten.ansatz}
                    </th>
                    <th scope="col">Zeilen anzeigen</th>
                  </tr>
                </thead>
                <tbody>
                  {plan.teilplaene.map((t) => (
                    <tr key={t.produktbereich}>
                      <td>
                        {t.produktbereich} {t.name}
                      </td>
                      <td className="num">{t.zeilen}</td>
                      <td className="num">{formatBetrag(t.jahresergebnis.ansatz)}</td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setTeilplan(t.produktbereich)}
                        >
                          Teilplan {t.produktbereich} anzeigen
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollRegion>
            {teilplan ? (
              <TeilplanLines
                key={`${shown.versionNo}|${teilplan}`}
                planId={plan.caseId}
                versionNo={shown.versionNo}
                pb={teilplan}
                spalten={plan.spalten}
              />
            ) : null}
          </section>
          <DiffSection plan={plan} />
        </>
      ) : null}
    </>
  );
}
