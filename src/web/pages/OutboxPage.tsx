import { KolButton } from '@public-ui/react-v19';
import { formatDateTime } from '../format.js';
import { acknowledgeSent, discard, flush, useOutbox } from '../outbox.js';
import { PageTitle } from '../ui.js';

/** Writes kept while the server was unreachable: pending, sent, or refused by the server. */
export function OutboxPage() {
  const { entries, sent } = useOutbox();
  const pending = entries.filter((e) => e.state !== 'failed');
  const failed = entries.filter((e) => e.state === 'failed');
  return (
    <>
      <PageTitle>Ausgang</PageTitle>
      <p className="lead">
        Eingaben, die gespeichert wurden, während der Server nicht erreichbar war. Sie werden automatisch
        gesendet, sobald der Server wieder erreichbar ist – jede genau einmal.
      </p>
      <section aria-labelledby="ausstehend">
        <h2 id="ausstehend">Ausstehend ({pending.length})</h2>
        {pending.length === 0 ? (
          <p>Nichts ausstehend.</p>
        ) : (
          <>
            <ul className="outbox" aria-live="polite">
              {pending.map((e) => (
                <li key={e.key}>
                  <strong>{e.label}</strong> – gespeichert {formatDateTime(e.createdAt)},{' '}
                  <span className="pending-tag">wartet auf den Server</span>
                </li>
              ))}
            </ul>
            <KolButton _label="Jetzt senden" _variant="secondary" _on={{ onClick: () => void flush() }} />
          </>
        )}
      </section>
      {failed.length ? (
        <section aria-labelledby="abgelehnt">
          <h2 id="abgelehnt">Vom Server abgelehnt ({failed.length})</h2>
          <ul className="outbox">
            {failed.map((e) => (
              <li key={e.key}>
                <strong>{e.label}</strong> – {e.error}{' '}
                <KolButton
                  _label={`„${e.label}“ verwerfen`}
                  _variant="secondary"
                  _on={{ onClick: () => void discard(e.key) }}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {sent.length ? (
        <section aria-labelledby="gesendet">
          <h2 id="gesendet">Gesendet</h2>
          <ul className="outbox">
            {sent.map((s) => {
              const r = s.result as { id?: string; aktenzeichen?: string } | undefined;
              return (
                <li key={s.key}>
                  {s.label}: gesendet.{' '}
                  {r?.id ? <a href={`/vorgaenge/${r.id}`}>Vorgang {r.aktenzeichen ?? ''} öffnen</a> : null}{' '}
                  <KolButton
                    _label="Ausblenden"
                    _variant="ghost"
                    _on={{ onClick: () => acknowledgeSent(s.key) }}
                  />
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </>
  );
}
