import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useEffect, useState } from 'react';
import { api, type CaseView, messageOf } from '../../../web/api.js';
import { allowed, Panel, type PanelDone, useAction } from '../../../web/case-panels.js';
import { formatDate, formatDateTime } from '../../../web/format.js';
import { ErrorAlert } from '../../../web/ui.js';

/**
 * The Standesamt's panels on the case page (WebFamily.CasePanels): required documents with a
 * received/missing state, the duplicate warning, the register entry, the ceremony slot picker.
 * Each panel shows only when the case's data carries its part.
 */

/** The Standesamt's procedures: other families' data may carry parts of the same name. */
const STANDESAMT_PROCEDURES = new Set(['geburt', 'sterbefall', 'eheschliessung']);

interface Unterlage {
  id: string;
  label: string;
  eingegangen: boolean;
  am?: string;
}
interface Duplikat {
  status: 'keine' | 'offen' | 'kein_duplikat' | 'verknuepft';
  kandidaten?: Array<{ id: string; aktenzeichen: string; summary: string }>;
  begruendung?: string;
  verknuepftMit?: { id: string; aktenzeichen: string };
}
interface Termin {
  slotId: string;
  raum: string;
  beginn: string;
  ende: string;
}
export interface StandesamtData {
  unterlagen?: Unterlage[];
  duplikat?: Duplikat;
  registereintrag?: { nummer: string; eingetragenAm?: string };
  termin?: Termin;
}

function UnterlagenPanel({ view, list, onDone }: { view: CaseView; list: Unterlage[]; onDone: PanelDone }) {
  const editable = allowed(view, 'unterlagen_erfassen');
  const [checked, setChecked] = useState<Set<string>>(
    () => new Set(list.filter((u) => u.eingegangen).map((u) => u.id)),
  );
  const { busy, error, run } = useAction(view, onDone);
  const missing = list.filter((u) => !u.eingegangen).length;
  return (
    <Panel id="unterlagen" title="Erforderliche Unterlagen">
      <p className="panel-state">
        {missing === 0 ? 'Alle Unterlagen liegen vor.' : `Es fehlen noch ${missing} von ${list.length}.`}
      </p>
      <ErrorAlert message={error} />
      {editable ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              'unterlagen_erfassen',
              'Unterlagen erfassen',
              {
                eingegangen: list.filter((u) => checked.has(u.id)).map((u) => u.id),
                fehlend: list.filter((u) => !checked.has(u.id)).map((u) => u.id),
              },
              'Unterlagen gespeichert.',
            );
          }}
        >
          <fieldset className="checklist">
            <legend>Eingegangen (angekreuzt) oder fehlend</legend>
            {list.map((u) => (
              <div key={u.id} className="check-row">
                <input
                  type="checkbox"
                  id={`unterlage-${u.id}`}
                  checked={checked.has(u.id)}
                  onChange={(e) => {
                    const next = new Set(checked);
                    if (e.target.checked) next.add(u.id);
                    else next.delete(u.id);
                    setChecked(next);
                  }}
                />
                <label htmlFor={`unterlage-${u.id}`}>
                  {u.label}
                  {u.eingegangen && u.am ? ` (eingegangen am ${formatDate(u.am)})` : ''}
                </label>
              </div>
            ))}
          </fieldset>
          <KolButton
            _label={busy ? 'Wird gespeichert …' : 'Unterlagen speichern'}
            _type="submit"
            _disabled={busy}
          />
        </form>
      ) : (
        <ul className="unterlagen">
          {list.map((u) => (
            <li key={u.id}>
              {u.label}: {u.eingegangen ? `eingegangen${u.am ? ` am ${formatDate(u.am)}` : ''}` : 'fehlt'}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function DuplikatPanel({ view, d, onDone }: { view: CaseView; d: Duplikat; onDone: PanelDone }) {
  const [begruendung, setBegruendung] = useState('');
  const { busy, error, run } = useAction(view, onDone);
  if (d.status === 'keine') return null;
  if (d.status === 'kein_duplikat')
    return (
      <Panel id="duplikat" title="Duplikatprüfung">
        <p>Bestätigt: kein Duplikat{d.begruendung ? ` – ${d.begruendung}` : ''}.</p>
      </Panel>
    );
  if (d.status === 'verknuepft')
    return (
      <Panel id="duplikat" title="Duplikatprüfung">
        <p>
          Verknüpft mit{' '}
          {d.verknuepftMit ? (
            <a href={`/vorgaenge/${d.verknuepftMit.id}`}>Vorgang {d.verknuepftMit.aktenzeichen}</a>
          ) : (
            'einem bestehenden Vorgang'
          )}
          .
        </p>
      </Panel>
    );
  const canResolve = allowed(view, 'kein_duplikat');
  return (
    <Panel id="duplikat" title="Warnung: mögliches Duplikat">
      <div className="duplicate-warning" role="status">
        <p>
          <strong>Dieser Vorgang ähnelt einem bestehenden Vorgang</strong> (ähnlich klingende Namen, Datum ±2
          Tage, gleicher Ort). Vor der Beurkundung bitte prüfen: bestätigen, dass es kein Duplikat ist, oder
          mit dem bestehenden Vorgang verknüpfen.
        </p>
      </div>
      <ErrorAlert message={error} />
      <ul className="candidates">
        {(d.kandidaten ?? []).map((k) => (
          <li key={k.id}>
            <a href={`/vorgaenge/${k.id}`}>Vorgang {k.aktenzeichen}</a>: {k.summary}
            {allowed(view, 'als_duplikat_verknuepfen') ? (
              <KolButton
                _label={`Mit ${k.aktenzeichen} verknüpfen`}
                _variant="secondary"
                _disabled={busy}
                _on={{
                  onClick: () =>
                    void run(
                      'als_duplikat_verknuepfen',
                      'Mit bestehendem Vorgang verknüpfen',
                      { vorgangId: k.id },
                      `Mit Vorgang ${k.aktenzeichen} verknüpft.`,
                    ),
                }}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {canResolve ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(
              'kein_duplikat',
              'Kein Duplikat',
              begruendung.trim() ? { begruendung: begruendung.trim() } : {},
              'Bestätigt: kein Duplikat.',
            );
          }}
        >
          <KolInputText
            id="feld-duplikat-begruendung"
            _label="Begründung (optional)"
            _value={begruendung}
            _maxLength={500}
            _on={{ onInput: (_e, v) => setBegruendung(typeof v === 'string' ? v : '') }}
          />
          <KolButton _label="Kein Duplikat bestätigen" _type="submit" _disabled={busy} />
        </form>
      ) : null}
    </Panel>
  );
}

interface Slot {
  id: string;
  roomName: string;
  startsAt: string;
  endsAt: string;
}

function TerminPanel({ view, termin, onDone }: { view: CaseView; termin?: Termin; onDone: PanelDone }) {
  const canBook = !termin && allowed(view, 'termin_buchen');
  const [slots, setSlots] = useState<Slot[] | null>(null);
  const [choice, setChoice] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const { busy, error, run } = useAction(view, onDone);

  useEffect(() => {
    if (!canBook) return;
    let stop = false;
    (async () => {
      const rooms = await api.get<{ items: Array<{ id: string; active: boolean }> }>(
        `/api/rooms?authorityAgs=${encodeURIComponent(view.authorityAgs)}`,
      );
      const from = encodeURIComponent(new Date().toISOString());
      const lists = await Promise.all(
        rooms.items
          .filter((r) => r.active)
          .map((r) =>
            api.get<{ items: Slot[] }>(`/api/rooms/${encodeURIComponent(r.id)}/slots?from=${from}&free=true`),
          ),
      );
      if (!stop) setSlots(lists.flatMap((l) => l.items).sort((a, b) => a.startsAt.localeCompare(b.startsAt)));
    })().catch((e: unknown) => !stop && setLoadError(messageOf(e)));
    return () => {
      stop = true;
    };
  }, [canBook, view.authorityAgs]);

  if (termin)
    return (
      <Panel id="termin" title="Termin der Eheschließung">
        <p>
          {formatDateTime(termin.beginn)} bis {formatDateTime(termin.ende).slice(-5)} Uhr, {termin.raum}
        </p>
      </Panel>
    );
  if (!canBook) return null;
  return (
    <Panel id="termin" title="Termin buchen">
      <ErrorAlert message={loadError ?? error} />
      {slots === null && !loadError ? <p role="status">Freie Termine werden geladen …</p> : null}
      {slots && slots.length === 0 ? (
        <p>Keine freien Termine. Die Amtsleitung legt Termine unter „Trauräume“ an.</p>
      ) : null}
      {slots && slots.length > 0 ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (choice) void run('termin_buchen', 'Termin buchen', { slotId: choice }, 'Termin gebucht.');
          }}
        >
          <fieldset className="slots">
            <legend>Freie Termine</legend>
            {slots.slice(0, 30).map((s) => (
              <div key={s.id} className="check-row">
                <input
                  type="radio"
                  name="slot"
                  id={`slot-${s.id}`}
                  value={s.id}
                  checked={choice === s.id}
                  onChange={() => setChoice(s.id)}
                />
                <label htmlFor={`slot-${s.id}`}>
                  {formatDateTime(s.startsAt)} bis {formatDateTime(s.endsAt).slice(-5)} Uhr, {s.roomName}
                </label>
              </div>
            ))}
          </fieldset>
          <KolButton _label="Termin buchen" _type="submit" _disabled={busy || !choice} />
        </form>
      ) : null}
    </Panel>
  );
}

/**
 * Actions that a panel offers in a better form (checkboxes, candidates, slot picker): the case
 * page leaves them out of its generic action buttons.
 */
export function standesamtPanelActions(view: CaseView): Set<string> {
  const d = (view.data ?? {}) as StandesamtData;
  const out = new Set<string>();
  if (!STANDESAMT_PROCEDURES.has(view.procedureId)) return out;
  if (d.unterlagen && d.unterlagen.length > 0) out.add('unterlagen_erfassen');
  if (d.duplikat) {
    out.add('kein_duplikat');
    out.add('als_duplikat_verknuepfen');
  }
  if (view.procedureId === 'eheschliessung' && !d.termin) out.add('termin_buchen');
  return out;
}

/** All panels for a case; renders nothing for procedures without these parts. */
export function StandesamtPanels({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  if (!STANDESAMT_PROCEDURES.has(view.procedureId)) return null;
  const d = (view.data ?? {}) as StandesamtData;
  const isEhe = view.procedureId === 'eheschliessung';
  const key = `${view.id}:${view.version}`;
  return (
    <>
      {d.registereintrag ? (
        <Panel id="registereintrag" title="Registereintrag">
          <p className="register-number">
            Registernummer <strong>{d.registereintrag.nummer}</strong>
            {d.registereintrag.eingetragenAm
              ? `, eingetragen am ${formatDate(d.registereintrag.eingetragenAm)}`
              : ''}
          </p>
        </Panel>
      ) : null}
      {d.duplikat ? (
        <DuplikatPanel key={`duplikat:${key}`} view={view} d={d.duplikat} onDone={onDone} />
      ) : null}
      {d.unterlagen && d.unterlagen.length > 0 ? (
        <UnterlagenPanel key={`unterlagen:${key}`} view={view} list={d.unterlagen} onDone={onDone} />
      ) : null}
      {isEhe ? <TerminPanel key={`termin:${key}`} view={view} termin={d.termin} onDone={onDone} /> : null}
    </>
  );
}
