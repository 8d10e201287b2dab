import { KolButton, KolInputPassword, KolInputText } from '@public-ui/react-v19';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, api, messageOf, type Stage, setCsrfToken } from '../api.js';
import { ErrorAlert, InfoAlert, PageTitle } from '../ui.js';

/**
 * Login in stages, as the server leads: password, then the second factor (TOTP or a recovery
 * code); at the first login the enrolment of the authenticator app (QR code, recovery codes shown
 * once) and, if the password is initial or reset, a new password.
 */

interface StageResponse {
  stage: Stage;
  csrfToken: string;
}

interface Enrolment {
  otpauthUrl: string;
  qrCodeDataUrl: string;
  secret: string;
}

function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = e.problem.errors?.map((x) => x.message).filter(Boolean) ?? [];
    return fields.length ? fields.join(' ') : (e.problem.detail ?? e.problem.title ?? messageOf(e));
  }
  return messageOf(e);
}

function Form({ onSubmit, children }: { onSubmit: () => Promise<void>; children: React.ReactNode }) {
  const [busy, setBusy] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    setBusy(true);
    try {
      await onSubmit();
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
      {children}
    </form>
  );
}

function PasswordStep({ onStage }: { onStage: (s: StageResponse) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Form
      onSubmit={async () => {
        setError(null);
        if (!username.trim() || !password) {
          setError('Bitte Benutzername und Passwort angeben.');
          return;
        }
        try {
          onStage(
            await api.post<StageResponse>(
              '/api/auth/login',
              { username: username.trim(), password },
              { authCall: true },
            ),
          );
        } catch (e) {
          setError(errorText(e));
        }
      }}
    >
      <ErrorAlert message={error} />
      <div className="field">
        <KolInputText
          id="login-benutzername"
          _label="Benutzername"
          _name="username"
          _autoComplete="username"
          _required
          _value={username}
          _on={{ onInput: (_e, v) => setUsername(String(v ?? '')) }}
        />
      </div>
      <div className="field">
        <KolInputPassword
          id="login-passwort"
          _label="Passwort"
          _name="password"
          _autoComplete="current-password"
          _required
          _value={password}
          _on={{ onInput: (_e, v) => setPassword(String(v ?? '')) }}
        />
      </div>
      <KolButton _label="Anmelden" _type="submit" _variant="primary" />
    </Form>
  );
}

function CodeStep({ onStage }: { onStage: (s: StageResponse) => void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Form
      onSubmit={async () => {
        setError(null);
        try {
          onStage(
            await api.post<StageResponse>(
              '/api/auth/second-factor',
              { code: code.replace(/\s+/g, '') },
              { authCall: true },
            ),
          );
        } catch (e) {
          setError(errorText(e));
        }
      }}
    >
      <p>
        Geben Sie den sechsstelligen Code aus Ihrer Authenticator-App ein. Ohne Gerät: einen Ihrer
        Wiederherstellungscodes.
      </p>
      <ErrorAlert message={error} />
      <div className="field">
        <KolInputText
          id="login-code"
          _label="Sicherheitscode"
          _name="code"
          _autoComplete="one-time-code"
          _required
          _value={code}
          _on={{ onInput: (_e, v) => setCode(String(v ?? '')) }}
        />
      </div>
      <KolButton _label="Bestätigen" _type="submit" _variant="primary" />
    </Form>
  );
}

function PasswordChangeStep({ onStage }: { onStage: (s: StageResponse) => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <Form
      onSubmit={async () => {
        setError(null);
        if (next !== repeat) {
          setError('Die beiden neuen Passwörter stimmen nicht überein.');
          return;
        }
        try {
          onStage(
            await api.post<StageResponse>(
              '/api/auth/password',
              { currentPassword: current, newPassword: next },
              { authCall: true },
            ),
          );
        } catch (e) {
          setError(errorText(e));
        }
      }}
    >
      <p>Bitte vergeben Sie ein neues Passwort (mindestens 12 Zeichen, nicht leicht zu erraten).</p>
      <ErrorAlert message={error} />
      <PasswordFields
        current={current}
        next={next}
        repeat={repeat}
        set={{ setCurrent, setNext, setRepeat }}
      />
      <KolButton _label="Passwort ändern" _type="submit" _variant="primary" />
    </Form>
  );
}

export function PasswordFields({
  current,
  next,
  repeat,
  set,
}: {
  current: string;
  next: string;
  repeat: string;
  set: { setCurrent: (v: string) => void; setNext: (v: string) => void; setRepeat: (v: string) => void };
}) {
  return (
    <>
      <div className="field">
        <KolInputPassword
          id="passwort-aktuell"
          _label="Bisheriges Passwort"
          _autoComplete="current-password"
          _required
          _value={current}
          _on={{ onInput: (_e, v) => set.setCurrent(String(v ?? '')) }}
        />
      </div>
      <div className="field">
        <KolInputPassword
          id="passwort-neu"
          _label="Neues Passwort"
          _autoComplete="new-password"
          _required
          _value={next}
          _on={{ onInput: (_e, v) => set.setNext(String(v ?? '')) }}
        />
      </div>
      <div className="field">
        <KolInputPassword
          id="passwort-wiederholung"
          _label="Neues Passwort wiederholen"
          _autoComplete="new-password"
          _required
          _value={repeat}
          _on={{ onInput: (_e, v) => set.setRepeat(String(v ?? '')) }}
        />
      </div>
    </>
  );
}

function EnrolmentStep({ onStage }: { onStage: (s: StageResponse) => void }) {
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [recovery, setRecovery] = useState<{ codes: string[]; result: StageResponse } | null>(null);

  useEffect(() => {
    api
      .post<Enrolment>('/api/auth/enrolment/start', {}, { authCall: true })
      .then(setEnrolment)
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  if (recovery) {
    return (
      <section aria-labelledby="wiederherstellung">
        <h2 id="wiederherstellung">Ihre Wiederherstellungscodes</h2>
        <p>
          Mit diesen Codes melden Sie sich an, wenn Ihr Gerät mit der Authenticator-App nicht verfügbar ist.
          Jeder Code gilt einmal. <strong>Die Codes werden nur jetzt angezeigt.</strong> Bitte notieren oder
          drucken Sie sie und bewahren Sie sie sicher auf.
        </p>
        <ul className="recovery-codes">
          {recovery.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <KolButton _label="Drucken" _variant="secondary" _on={{ onClick: () => window.print() }} />{' '}
        <KolButton
          _label="Ich habe die Codes notiert – weiter"
          _variant="primary"
          _on={{ onClick: () => onStage(recovery.result) }}
        />
      </section>
    );
  }

  return (
    <Form
      onSubmit={async () => {
        setError(null);
        try {
          const r = await api.post<StageResponse & { recoveryCodes: string[] }>(
            '/api/auth/enrolment/confirm',
            { code: code.replace(/\s+/g, '') },
            { authCall: true },
          );
          setCsrfToken(r.csrfToken);
          setRecovery({ codes: r.recoveryCodes, result: { stage: r.stage, csrfToken: r.csrfToken } });
        } catch (e) {
          setError(errorText(e));
        }
      }}
    >
      <h2>Zweiten Faktor einrichten</h2>
      <ol>
        <li>Öffnen Sie eine Authenticator-App (z. B. auf dem Diensthandy).</li>
        <li>Scannen Sie den QR-Code oder geben Sie den Schlüssel von Hand ein.</li>
        <li>Geben Sie den sechsstelligen Code ein, den die App anzeigt.</li>
      </ol>
      <ErrorAlert message={error} />
      {enrolment ? (
        <div className="enrolment">
          <img
            src={enrolment.qrCodeDataUrl}
            alt="QR-Code zum Einrichten der Authenticator-App"
            width={200}
            height={200}
          />
          <p>
            Schlüssel zur Eingabe von Hand:{' '}
            <code className="secret">{enrolment.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
          </p>
        </div>
      ) : null}
      <div className="field">
        <KolInputText
          id="einrichtung-code"
          _label="Code aus der App"
          _name="code"
          _autoComplete="one-time-code"
          _required
          _value={code}
          _on={{ onInput: (_e, v) => setCode(String(v ?? '')) }}
        />
      </div>
      <KolButton _label="Einrichtung abschließen" _type="submit" _variant="primary" />
    </Form>
  );
}

const TITLES: Record<Stage | 'password', string> = {
  password: 'Anmeldung',
  pending_second_factor: 'Anmeldung: zweiter Faktor',
  pending_password_change: 'Neues Passwort vergeben',
  pending_enrolment: 'Anmeldung: zweiten Faktor einrichten',
  active: 'Anmeldung',
};

export function Login({ notice, onDone }: { notice: string | null; onDone: () => Promise<void> }) {
  const [stage, setStage] = useState<Stage | 'password'>('password');
  // A session half-way through the login (e.g. after a reload) continues where it stopped.
  useEffect(() => {
    api
      .get<{ stage: Stage; csrfToken: string }>('/api/session', { authCall: true })
      .then((s) => {
        setCsrfToken(s.csrfToken);
        if (s.stage !== 'active') setStage(s.stage);
      })
      .catch(() => {});
  }, []);

  const onStage = (s: StageResponse) => {
    setCsrfToken(s.csrfToken);
    if (s.stage === 'active') void onDone();
    else setStage(s.stage);
  };

  return (
    <>
      <a className="skip-link" href="#inhalt">
        Zum Inhalt springen
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Notbetrieb</span>
          <span className="brand-sub">Fachverfahren im Notbetrieb</span>
        </div>
      </header>
      <main id="inhalt" tabIndex={-1} className="login">
        <PageTitle>{TITLES[stage]}</PageTitle>
        <InfoAlert message={notice} />
        {stage === 'password' ? <PasswordStep onStage={onStage} /> : null}
        {stage === 'pending_second_factor' ? <CodeStep onStage={onStage} /> : null}
        {stage === 'pending_password_change' ? <PasswordChangeStep onStage={onStage} /> : null}
        {stage === 'pending_enrolment' ? <EnrolmentStep onStage={onStage} /> : null}
      </main>
    </>
  );
}
