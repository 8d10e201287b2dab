import { KolButton } from '@public-ui/react-v19';
import { useState } from 'react';
import { ApiError, api, messageOf, setCsrfToken } from '../api.js';
import { ErrorAlert, InfoAlert, PageTitle } from '../ui.js';
import { PasswordFields } from './Login.js';

export function PasswordPage() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    setDone(null);
    if (next !== repeat) {
      setError('Die beiden neuen Passwörter stimmen nicht überein.');
      return;
    }
    try {
      const r = await api.post<{ csrfToken?: string }>('/api/auth/password', {
        currentPassword: current,
        newPassword: next,
      });
      if (r?.csrfToken) setCsrfToken(r.csrfToken);
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone('Ihr Passwort wurde geändert.');
    } catch (e) {
      if (e instanceof ApiError && e.problem.errors?.length)
        setError(e.problem.errors.map((x) => x.message).join(' '));
      else setError(messageOf(e));
    }
  };
  return (
    <>
      <PageTitle>Passwort ändern</PageTitle>
      <InfoAlert type="success" message={done} />
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <PasswordFields
          current={current}
          next={next}
          repeat={repeat}
          set={{ setCurrent, setNext, setRepeat }}
        />
        <KolButton _label="Passwort ändern" _type="submit" _variant="primary" />
      </form>
    </>
  );
}
