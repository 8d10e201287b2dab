import { KolButton, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, loadAuthorities, messageOf } from '../../../web/api.js';
import { formatDate, formatDateTime, parseGermanDate } from '../../../web/format.js';
import { selected } from '../../../web/scope.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';
import { LOG_ART_LABELS, LOG_ARTEN } from '../katalog.js';
import type { LogView } from '../server/log.js';

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The crisis team's log: reports, decisions and tasks (owner, due date, done). */
export function LogPage() {
  const [items, setItems] = useState<LogView[] | null>(null);
  const [authorities, setAuthorities] = useState<Array<{ value: string; label: string }>>([]);
  const [onlyOpen, setOnlyOpen] = useState('alle');
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [art, setArt] = useState('meldung');
  const [ags, setAgs] = useState('');
  const [titel, setTitel] = useState('');
  const [body, setBody] = useState('');
  const [zustaendig, setZustaendig] = useState('');
  const [faellig, setFaellig] = useState('');

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ items: LogView[] }>(
        `/api/krisenstab/log${onlyOpen === 'offen' ? '?offen=true' : ''}`,
      );
      setItems(r.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [onlyOpen]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    loadAuthorities()
      .then((list) => setAuthorities(list.map((a) => ({ value: a.ags, label: a.name }))))
      .catch(() => {});
  }, []);

  const add = async () => {
    setError(null);
    const isTask = art === 'aufgabe';
    const due = faellig.trim() ? parseGermanDate(faellig) : null;
    if (due && !/^\d{4}-\d{2}-\d{2}$/.test(due))
      return setError('Fällig am: Bitte im Format TT.MM.JJJJ angeben.');
    try {
      const r = await postOrQueue(
        '/api/krisenstab/log',
        {
          art,
          authorityAgs: ags || null,
          titel: titel.trim(),
          text: body.trim() || null,
          ...(isTask ? { zustaendig: zustaendig.trim() || null, faelligAm: due } : {}),
        },
        `Lagelog: ${titel.trim()}`,
      );
      setInfo(
        r.queued ? QUEUED_MESSAGE : `${LOG_ART_LABELS[art as keyof typeof LOG_ART_LABELS]} eingetragen.`,
      );
      setTitel('');
      setBody('');
      setZustaendig('');
      setFaellig('');
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const done = async (id: string, t: string) => {
    try {
      const r = await postOrQueue(`/api/krisenstab/log/${id}/erledigt`, {}, `Erledigt: ${t}`);
      setInfo(r.queued ? QUEUED_MESSAGE : `„${t}“ erledigt.`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <>
      <PageTitle>Lagelog</PageTitle>
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      <section aria-labelledby="neu-titel">
        <h2 id="neu-titel">Neuer Eintrag</h2>
        <p className="hint">
          Bitte keine Namen von Bürgerinnen und Bürgern eintragen: das Lagelog ist für Lage, Entscheidungen
          und Aufgaben.
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void add();
          }}
        >
          <div className="dienst-form">
            <KolSelect
              id="feld-art"
              _label="Art"
              _options={LOG_ARTEN.map((a) => ({ value: a, label: LOG_ART_LABELS[a] }))}
              _value={art}
              _on={{ onInput: (_e, v) => setArt(selected(v) || 'meldung') }}
            />
            <KolSelect
              id="feld-log-behoerde"
              _label="Behörde"
              _options={[{ value: '', label: 'ganze Region' }, ...authorities]}
              _value={ags}
              _on={{ onInput: (_e, v) => setAgs(selected(v)) }}
            />
            <KolInputText
              id="feld-log-titel"
              _label="Titel"
              _required
              _value={titel}
              _on={{ onInput: (_e, v) => setTitel(text(v)) }}
            />
            <KolTextarea
              id="feld-log-text"
              _label="Text"
              _rows={3}
              _value={body}
              _on={{ onInput: (_e, v) => setBody(text(v)) }}
            />
            {art === 'aufgabe' ? (
              <>
                <KolInputText
                  id="feld-zustaendig"
                  _label="Zuständig"
                  _value={zustaendig}
                  _on={{ onInput: (_e, v) => setZustaendig(text(v)) }}
                />
                <KolInputText
                  id="feld-faellig"
                  _label="Fällig am"
                  _placeholder="TT.MM.JJJJ"
                  _value={faellig}
                  _on={{ onInput: (_e, v) => setFaellig(text(v)) }}
                />
              </>
            ) : null}
          </div>
          <KolButton _label="Eintragen" _type="submit" />
        </form>
      </section>
      <section aria-labelledby="eintraege-titel">
        <h2 id="eintraege-titel">Einträge</h2>
        <KolSelect
          id="feld-log-filter"
          _label="Anzeigen"
          _options={[
            { value: 'alle', label: 'alle Einträge' },
            { value: 'offen', label: 'nur offene Aufgaben' },
          ]}
          _value={onlyOpen}
          _on={{ onInput: (_e, v) => setOnlyOpen(selected(v) || 'alle') }}
        />
        {!items ? <Loading what="Einträge" /> : null}
        {items?.length === 0 ? <p>Keine Einträge.</p> : null}
        <ul className="log-list">
          {items?.map((i) => (
            <li key={i.id}>
              <strong>
                {i.artLabel}: {i.titel}
              </strong>{' '}
              ({i.authorityName ?? 'Region'}, {formatDateTime(i.createdAt)}, {i.createdByName})
              {i.text ? <p>{i.text}</p> : null}
              {i.art === 'aufgabe' ? (
                <p>
                  Zuständig: {i.zustaendig ?? '—'}
                  {i.faelligAm ? `, fällig am ${formatDate(i.faelligAm)}` : ''}.{' '}
                  {i.erledigtAm ? (
                    `Erledigt am ${formatDateTime(i.erledigtAm)} (${i.erledigtVon ?? ''}).`
                  ) : (
                    <KolButton
                      _label={`„${i.titel}“ erledigt`}
                      _variant="secondary"
                      _on={{ onClick: () => void done(i.id, i.titel) }}
                    />
                  )}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
