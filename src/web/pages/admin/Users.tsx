import { KolButton, KolInputRadio, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useEffect, useRef, useState } from 'react';
import type { AccountView as Account } from '../../../core/auth/accounts.js';
import {
  ApiError,
  type Authority,
  api,
  type Grant,
  loadAuthorities,
  messageOf,
  newIdempotencyKey,
} from '../../api.js';
import { formatDateTime } from '../../format.js';
import { OFFICE_LABELS, officeLabel, ROLE_LABELS, roleLabel } from '../../labels.js';
import { selected, useAuthorityNames } from '../../scope.js';
import { useSession } from '../../session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../ui.js';

/** Account administration: list, create (one-time password), lock, reset second factor, grants. */

function grantText(g: Grant, names: Map<string, string>): string {
  return `${names.get(g.authorityAgs) ?? g.authorityAgs}: ${officeLabel(g.officeType)} (${roleLabel(g.role)})`;
}

export function AdminUsers() {
  const [items, setItems] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const names = useAuthorityNames();
  useEffect(() => {
    api
      .get<{ items: Account[] }>('/api/admin/users')
      .then((r) => setItems(r.items))
      .catch((e: unknown) => setError(messageOf(e)));
  }, []);
  return (
    <>
      <PageTitle>Benutzerkonten</PageTitle>
      <p>
        <a href="/verwaltung/benutzer/neu">Neues Konto anlegen</a>
      </p>
      <ErrorAlert message={error} />
      {!items && !error ? <Loading what="Konten" /> : null}
      {items ? (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Benutzerkonten</caption>
            <thead>
              <tr>
                <th scope="col">Benutzername</th>
                <th scope="col">Name</th>
                <th scope="col">Berechtigungen</th>
                <th scope="col">Zweiter Faktor</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id}>
                  <td>
                    <a href={`/verwaltung/benutzer/${u.id}`}>{u.username}</a>
                  </td>
                  <td>
                    {u.displayName}
                    {u.isAdmin ? ' (Administration)' : ''}
                    {u.isCrisisTeam ? ' (Krisenstab)' : ''}
                  </td>
                  <td>
                    {u.grants.length === 0 ? '–' : null}
                    {u.grants.map((g) => (
                      <div key={`${g.authorityAgs}-${g.officeType}-${g.role}`}>{grantText(g, names)}</div>
                    ))}
                  </td>
                  <td>{u.secondFactorEnrolled ? 'Eingerichtet' : 'Noch nicht eingerichtet'}</td>
                  <td>{u.disabled ? 'Gesperrt' : 'Aktiv'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));
const OFFICE_OPTIONS = Object.entries(OFFICE_LABELS).map(([value, label]) => ({ value, label }));

function GrantsEditor({
  grants,
  onChange,
  errors,
}: {
  grants: Grant[];
  onChange: (g: Grant[]) => void;
  errors: Record<string, string>;
}) {
  const [authorities, setAuthorities] = useState<Authority[]>([]);
  useEffect(() => {
    loadAuthorities()
      .then(setAuthorities)
      .catch(() => {});
  }, []);
  const authorityOptions = [
    { value: '', label: 'Bitte wählen' },
    ...authorities.map((a) => ({ value: a.ags, label: `${a.name} (${a.ags})` })),
  ];
  const set = (i: number, k: keyof Grant) => (_e: unknown, v: unknown) =>
    onChange(grants.map((g, j) => (j === i ? { ...g, [k]: selected(v) } : g)));
  const msg = (i: number, k: string) => errorProps(errors[`grants.${i}.${k}`] ?? errors[`grants.${i}`]);
  return (
    <fieldset className="section">
      <legend>Berechtigungen (Rolle je Amt und Behörde)</legend>
      {grants.length === 0 ? <p>Keine Berechtigungen: das Konto sieht keine Vorgänge.</p> : null}
      {grants.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional in the editor
        <fieldset className="group-item" key={i}>
          <legend>Berechtigung {i + 1}</legend>
          <div className="filter-grid">
            <KolSelect
              _label="Behörde"
              _options={authorityOptions}
              _value={g.authorityAgs}
              _on={{ onInput: set(i, 'authorityAgs') }}
              {...msg(i, 'authorityAgs')}
            />
            <KolSelect
              _label="Amt"
              _options={OFFICE_OPTIONS}
              _value={g.officeType}
              _on={{ onInput: set(i, 'officeType') }}
              {...msg(i, 'officeType')}
            />
            <KolSelect
              _label="Rolle"
              _options={ROLE_OPTIONS}
              _value={g.role}
              _on={{ onInput: set(i, 'role') }}
              {...msg(i, 'role')}
            />
          </div>
          <KolButton
            _label={`Berechtigung ${i + 1} entfernen`}
            _variant="secondary"
            _on={{ onClick: () => onChange(grants.filter((_, j) => j !== i)) }}
          />
        </fieldset>
      ))}
      <KolButton
        _label="Berechtigung hinzufügen"
        _variant="secondary"
        _on={{
          onClick: () =>
            onChange([...grants, { authorityAgs: '', officeType: 'meldebehoerde', role: 'sachbearbeitung' }]),
        }}
      />
    </fieldset>
  );
}

/** KoliBri's props showing a field's error message (none without a message). */
function errorProps(message: string | undefined) {
  return message ? { _msg: { _type: 'error' as const, _description: message }, _touched: true } : {};
}

function errorsOf(e: ApiError): Record<string, string> {
  return e.fieldErrors('body');
}

function OneTimePassword({ value, username }: { value: string; username: string }) {
  return (
    <div className="one-time-password" role="status">
      <h2>Einmalpasswort für {username}</h2>
      <p>
        Bitte geben Sie dieses Passwort der Person persönlich oder auf sicherem Weg. Es wird{' '}
        <strong>nur jetzt</strong> angezeigt und muss bei der ersten Anmeldung geändert werden; danach richtet
        die Person den zweiten Faktor ein.
      </p>
      <p>
        <code className="secret">{value}</code>
      </p>
    </div>
  );
}

export function AdminNewUser() {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [isCrisisTeam, setIsCrisisTeam] = useState(false);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ user: Account; oneTimePassword: string | null } | null>(null);
  const key = useRef<string | null>(null);

  const submit = async () => {
    setError(null);
    setErrors({});
    key.current ??= newIdempotencyKey();
    try {
      const r = await api.post<{ user: Account; oneTimePassword: string | null }>(
        '/api/admin/users',
        { username, displayName, isAdmin, isCrisisTeam, grants },
        { idempotencyKey: key.current },
      );
      setCreated(r);
    } catch (e) {
      if (e instanceof ApiError) {
        key.current = null;
        const fe = errorsOf(e);
        setErrors(fe);
        setError(
          Object.keys(fe).length ? `${messageOf(e)} Bitte die markierten Angaben prüfen.` : messageOf(e),
        );
      } else setError(messageOf(e));
    }
  };

  if (created) {
    return (
      <>
        <PageTitle>Konto angelegt</PageTitle>
        {created.oneTimePassword ? (
          <OneTimePassword value={created.oneTimePassword} username={created.user.username} />
        ) : (
          <InfoAlert message="Das Konto wurde bereits angelegt; das Einmalpasswort wird nicht erneut angezeigt. Bitte bei Bedarf das Passwort zurücksetzen." />
        )}
        <p>
          <a href={`/verwaltung/benutzer/${created.user.id}`}>Zum Konto {created.user.username}</a> ·{' '}
          <a href="/verwaltung/benutzer">Zur Kontenliste</a>
        </p>
      </>
    );
  }

  const fieldMsg = (k: string) => errorProps(errors[k]);
  return (
    <>
      <PageTitle>Neues Konto</PageTitle>
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="field">
          <KolInputText
            _label="Benutzername *"
            _hint="3 bis 64 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Bindestrich, Unterstrich"
            _required
            _value={username}
            _on={{ onInput: (_e, v) => setUsername(String(v ?? '')) }}
            {...fieldMsg('username')}
          />
        </div>
        <div className="field">
          <KolInputText
            _label="Anzeigename *"
            _required
            _value={displayName}
            _on={{ onInput: (_e, v) => setDisplayName(String(v ?? '')) }}
            {...fieldMsg('displayName')}
          />
        </div>
        <div className="field">
          <KolInputRadio
            _label="Administration (verwaltet Konten)"
            _orientation="horizontal"
            _options={[
              { label: 'Ja', value: 'ja' },
              { label: 'Nein', value: 'nein' },
            ]}
            _value={isAdmin ? 'ja' : 'nein'}
            _on={{ onInput: (_e, v) => setIsAdmin(v === 'ja') }}
          />
        </div>
        <div className="field">
          <KolInputRadio
            _label="Krisenstab (liest Lageberichte)"
            _orientation="horizontal"
            _options={[
              { label: 'Ja', value: 'ja' },
              { label: 'Nein', value: 'nein' },
            ]}
            _value={isCrisisTeam ? 'ja' : 'nein'}
            _on={{ onInput: (_e, v) => setIsCrisisTeam(v === 'ja') }}
          />
        </div>
        <GrantsEditor grants={grants} onChange={setGrants} errors={errors} />
        <div className="buttons">
          <KolButton _label="Konto anlegen" _type="submit" _variant="primary" />
        </div>
      </form>
    </>
  );
}

export function AdminUser({ userId }: { userId: string }) {
  const { session, refresh } = useSession();
  const [user, setUser] = useState<Account | null>(null);
  const [grants, setGrants] = useState<Grant[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [otp, setOtp] = useState<string | null>(null);
  const names = useAuthorityNames();

  useEffect(() => {
    api
      .get<Account>(`/api/admin/users/${encodeURIComponent(userId)}`)
      .then((u) => {
        setUser(u);
        setGrants(u.grants);
      })
      .catch((e: unknown) => setError(messageOf(e)));
  }, [userId]);

  const act = async (path: string, label: string, body: unknown = {}, method: 'POST' | 'PUT' = 'POST') => {
    setError(null);
    setDone(null);
    setErrors({});
    setOtp(null);
    try {
      const url = `/api/admin/users/${encodeURIComponent(userId)}/${path}`;
      const opts = { idempotencyKey: newIdempotencyKey() };
      const r =
        method === 'PUT' ? await api.put<unknown>(url, body, opts) : await api.post<unknown>(url, body, opts);
      const result = r as Account | { user: Account; oneTimePassword: string | null };
      const next = 'user' in result ? result.user : result;
      if ('oneTimePassword' in result && result.oneTimePassword) setOtp(result.oneTimePassword);
      setUser(next);
      setGrants(next.grants);
      setDone(`${label}: erledigt.`);
      // Own grants changed: the worklist and forms use the session's grants.
      if (next.id === session.user.id) await refresh();
    } catch (e) {
      if (e instanceof ApiError) setErrors(errorsOf(e));
      setError(messageOf(e));
    }
  };

  if (error && !user) return <ErrorAlert message={error} />;
  if (!user) return <Loading what="Konto" />;
  const self = user.id === session.user.id;

  return (
    <>
      <PageTitle title={`Konto ${user.username}`}>{`Konto ${user.username}`}</PageTitle>
      <InfoAlert type="success" message={done} />
      <ErrorAlert message={error} />
      {otp ? <OneTimePassword value={otp} username={user.username} /> : null}
      <dl className="case-head">
        <div>
          <dt>Name</dt>
          <dd>{user.displayName}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{user.disabled ? 'Gesperrt' : 'Aktiv'}</dd>
        </div>
        <div>
          <dt>Zweiter Faktor</dt>
          <dd>{user.secondFactorEnrolled ? 'Eingerichtet' : 'Noch nicht eingerichtet'}</dd>
        </div>
        <div>
          <dt>Passwort</dt>
          <dd>{user.mustChangePassword ? 'Einmalpasswort (muss geändert werden)' : 'Selbst gewählt'}</dd>
        </div>
        <div>
          <dt>Rollen</dt>
          <dd>
            {[user.isAdmin ? 'Administration' : null, user.isCrisisTeam ? 'Krisenstab' : null]
              .filter(Boolean)
              .join(', ') || '–'}
          </dd>
        </div>
        <div>
          <dt>Angelegt</dt>
          <dd>{formatDateTime(user.createdAt)}</dd>
        </div>
      </dl>
      <section aria-labelledby="konto-aktionen">
        <h2 id="konto-aktionen">Aktionen</h2>
        <div className="buttons">
          {user.disabled ? (
            <KolButton
              _label="Entsperren"
              _variant="primary"
              _on={{ onClick: () => void act('enable', 'Entsperren') }}
            />
          ) : (
            <KolButton
              _label="Sperren"
              _variant="danger"
              _disabled={self}
              _on={{ onClick: () => void act('disable', 'Sperren') }}
            />
          )}
          <KolButton
            _label="Zweiten Faktor zurücksetzen"
            _variant="secondary"
            _on={{ onClick: () => void act('reset-second-factor', 'Zweiten Faktor zurücksetzen') }}
          />
          <KolButton
            _label="Passwort zurücksetzen"
            _variant="secondary"
            _on={{ onClick: () => void act('reset-password', 'Passwort zurücksetzen') }}
          />
          <KolButton
            _label="Alle Sitzungen beenden"
            _variant="secondary"
            _on={{ onClick: () => void act('end-sessions', 'Alle Sitzungen beenden') }}
          />
        </div>
        {self ? <p className="help">Das eigene Konto kann nicht gesperrt werden.</p> : null}
      </section>
      <section aria-labelledby="konto-berechtigungen">
        <h2 id="konto-berechtigungen">Berechtigungen</h2>
        <p>
          Derzeit: {user.grants.length ? user.grants.map((g) => grantText(g, names)).join('; ') : 'keine'}.
        </p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void act('grants', 'Berechtigungen speichern', { grants }, 'PUT');
          }}
        >
          <GrantsEditor grants={grants} onChange={setGrants} errors={errors} />
          <div className="buttons">
            <KolButton _label="Berechtigungen speichern" _type="submit" _variant="primary" />
          </div>
        </form>
      </section>
      <p>
        <a href="/verwaltung/benutzer">Zurück zur Kontenliste</a>
      </p>
    </>
  );
}
