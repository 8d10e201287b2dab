import { KolAlert, KolInputText } from '@public-ui/react-v19';
import { useEffect, useRef } from 'react';

/** Page heading that takes the focus after navigation, so screen readers announce the new page. */
export function PageTitle({ children, title }: { children: string; title?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title ?? children} – Notbetrieb`;
    ref.current?.focus();
  }, [children, title]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

export function ErrorAlert({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <div role="alert" className="alert">
      <KolAlert _type="error" _variant="card" _label="Fehler">
        {message}
      </KolAlert>
    </div>
  );
}

export function InfoAlert({
  message,
  type = 'info',
  label,
}: {
  message: string | null | undefined;
  type?: 'info' | 'success' | 'warning';
  label?: string;
}) {
  if (!message) return null;
  return (
    <div role="status" className="alert">
      <KolAlert _type={type} _variant="card" _label={label ?? (type === 'success' ? 'Erledigt' : 'Hinweis')}>
        {message}
      </KolAlert>
    </div>
  );
}

export function Loading({ what = 'Daten' }: { what?: string }) {
  return (
    <p role="status" aria-live="polite">
      {what} werden geladen …
    </p>
  );
}

/** A KoliBri text field bound to a string state (id, label, value, setter, further KoliBri props). */
export function textInput(
  id: string,
  label: string,
  value: string,
  set: (v: string) => void,
  extra: object = {},
) {
  return (
    <KolInputText
      id={id}
      _label={label}
      _value={value}
      {...extra}
      _on={{ onInput: (_e, v) => set(typeof v === 'string' ? v : '') }}
    />
  );
}
