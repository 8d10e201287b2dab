import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDate, formatDateTime, formatNumber, parseGermanDate } from '../../../web/format.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, PageTitle } from '../../../web/ui.js';
import type { PersonHit, SearchResult } from '../server/register/search.js';

/**
 * Search in the last loaded register snapshot and in the Meldevorgänge recorded in emergency
 * operation: name (exact, prefix, sounds alike by Kölner Phonetik), birth date, address; ranked by
 * the server. Search terms are sent by POST and kept in memory only (never in the URL or in
 * storage), so that going back from a person shows the same results.
 */

interface Form {
  familienname: string;
  vornamen: string;
  geburtsdatum: string;
  strasse: string;
  hausnummer: string;
}

const MATCH_LABELS: Record<PersonHit['match'], string> = {
  exakt: 'Name genau',
  praefix: 'Namensanfang',
  phonetisch: 'ähnlich klingend',
  geburtsdatum: 'Geburtsdatum',
  anschrift: 'Anschrift',
};

const EMPTY: Form = { familienname: '', vornamen: '', geburtsdatum: '', strasse: '', hausnummer: '' };
// Kept in memory for the back navigation from a person; gone on reload, and bound to the session
// (csrfToken), so that the next person to log in on this tab never sees these results.
let last: { session: string; form: Form; ags: string; result: SearchResult | null } = {
  session: '',
  form: EMPTY,
  ags: '',
  result: null,
};

export function fullName(h: Pick<PersonHit, 'familienname' | 'namensbestandteil' | 'vornamen'>): string {
  return `${[h.namensbestandteil, h.familienname].filter(Boolean).join(' ')}, ${h.vornamen}`;
}

export function addressText(a: PersonHit['anschrift'] | null): string {
  if (!a) return '–';
  return [[a.strasse, a.hausnummer].filter(Boolean).join(' '), [a.plz, a.ort].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
}

export function RegisterSearchPage() {
  const { session } = useSession();
  if (last.session !== session.csrfToken)
    last = { session: session.csrfToken, form: EMPTY, ags: '', result: null };
  const options = useOfficeAuthorities('meldebehoerde');
  const [form, setForm] = useState<Form>(last.form);
  const [ags, setAgs] = useState(last.ags);
  const [result, setResult] = useState<SearchResult | null>(last.result);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const field = (key: keyof Form, label: string, extra: Record<string, unknown> = {}) => (
    <KolInputText
      id={`feld-${key}`}
      _label={label}
      _value={form[key]}
      {...extra}
      _on={{ onInput: (_e, v) => setForm((f) => ({ ...f, [key]: typeof v === 'string' ? v : '' })) }}
    />
  );

  const search = async () => {
    if (busy) return;
    setError(null);
    const body: Record<string, unknown> = {};
    for (const k of ['familienname', 'vornamen', 'strasse', 'hausnummer'] as const)
      if (form[k].trim()) body[k] = form[k].trim();
    if (form.geburtsdatum.trim()) {
      const iso = parseGermanDate(form.geburtsdatum);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
        setError('Geburtsdatum: Bitte im Format TT.MM.JJJJ angeben.');
        return;
      }
      body.geburtsdatum = iso;
    }
    if (Object.keys(body).length === 0) {
      setError('Bitte mindestens einen Suchbegriff angeben (Name, Geburtsdatum oder Anschrift).');
      return;
    }
    if (ags) body.authorityAgs = ags;
    setBusy(true);
    try {
      const r = await api.post<SearchResult>('/api/register/search', { ...body, limit: 50 });
      setResult(r);
      last = { session: session.csrfToken, form, ags, result: r };
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle>Melderegister durchsuchen</PageTitle>
      <p className="lead">
        Suche im zuletzt geladenen Registerstand und in den im Notbetrieb erfassten Meldevorgängen. Ähnlich
        klingende Namen (Meier/Mayer, Schmitt/Schmidt) werden gefunden. Jede Suche wird protokolliert.
      </p>
      <form
        className="register-search"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Gemeinde" />
        <div className="grid">
          {field('familienname', 'Familienname')}
          {field('vornamen', 'Vornamen')}
          {field('geburtsdatum', 'Geburtsdatum', { _placeholder: 'TT.MM.JJJJ', _hint: 'Format: TT.MM.JJJJ' })}
          {field('strasse', 'Straße')}
          {field('hausnummer', 'Hausnummer')}
        </div>
        <div className="buttons">
          <KolButton
            _label={busy ? 'Sucht …' : 'Suchen'}
            _type="submit"
            _variant="primary"
            _disabled={busy}
          />
          <KolButton
            _label="Zurücksetzen"
            _variant="secondary"
            _on={{
              onClick: () => {
                setForm(EMPTY);
                setResult(null);
                last = { session: session.csrfToken, form: EMPTY, ags, result: null };
              },
            }}
          />
        </div>
      </form>
      <ErrorAlert message={error} />
      {result ? (
        <section aria-labelledby="treffer-titel">
          <h2 id="treffer-titel">Treffer</h2>
          <p className="result-count" role="status">
            {result.items.length === 0
              ? 'Keine Person gefunden.'
              : `${formatNumber(result.items.length)} ${result.items.length === 1 ? 'Person' : 'Personen'} gefunden${result.truncated ? ' (weitere Treffer: bitte Suche eingrenzen)' : ''}.`}
            {result.snapshot
              ? ` Registerstand: ${result.snapshot.sourceName}${result.snapshot.activatedAt ? ` vom ${formatDateTime(result.snapshot.activatedAt)}` : ''}.`
              : ' Es ist kein Registerstand geladen.'}
          </p>
          {result.items.length > 0 ? (
            <div className="table-wrap">
              <table className="register-hits">
                <caption className="visually-hidden">Treffer, nach Übereinstimmung sortiert</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Geburtsdatum</th>
                    <th scope="col">Anschrift</th>
                    <th scope="col">Übereinstimmung</th>
                  </tr>
                </thead>
                <tbody>
                  {result.items.map((h) => (
                    <tr key={`${h.source}:${h.id}`}>
                      <td>
                        <a href={`/melderegister/personen/${encodeURIComponent(h.id)}`}>{fullName(h)}</a>
                        {h.geburtsname ? <span className="hint"> geb. {h.geburtsname}</span> : null}
                      </td>
                      <td>{formatDate(h.geburtsdatum)}</td>
                      <td>
                        {addressText(h.anschrift)}
                        {h.imNotbetriebErfasst ? (
                          <span className="badge notbetrieb"> {h.imNotbetriebErfasst.label}</span>
                        ) : null}
                      </td>
                      <td>{MATCH_LABELS[h.match]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <InfoAlert message="Tipp: nur den Anfang des Namens oder nur das Geburtsdatum eingeben." />
          )}
        </section>
      ) : null}
    </>
  );
}
