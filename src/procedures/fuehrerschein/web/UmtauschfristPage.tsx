import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useState } from 'react';
import { todayInGermany } from '../../../core/dates.js';
import { formatDate, parseGermanDate } from '../../../web/format.js';
import { PageTitle } from '../../../web/ui.js';
import { normalisiereFuehrerscheinnummer, pruefeFuehrerscheinnummer } from '../nummer.js';
import { umtauschfrist } from '../umtauschfrist.js';

/**
 * Counter tools of the Fahrerlaubnisbehörde that need no case: the exchange deadline of an old
 * licence (FeV Anlage 8e) from birth date and day of issue, overdue or not today, and the check
 * digit of a Führerscheinnummer. Everything runs in the browser; nothing is sent or stored.
 */

const ISO = /^\d{4}-\d{2}-\d{2}$/;

type Ergebnis = { ok: boolean; text: string } | null;

function fristErgebnis(geburt: string, ausgestellt: string): Ergebnis {
  const g = parseGermanDate(geburt);
  const a = parseGermanDate(ausgestellt);
  if (!ISO.test(g)) return { ok: false, text: 'Geburtsdatum: Bitte im Format TT.MM.JJJJ angeben.' };
  if (!ISO.test(a)) return { ok: false, text: 'Ausgestellt am: Bitte im Format TT.MM.JJJJ angeben.' };
  if (a <= g) return { ok: false, text: 'Ausgestellt am: liegt vor der Geburt.' };
  const f = umtauschfrist(g, a);
  if (!f.pflicht) return { ok: true, text: f.grund };
  const heute = todayInGermany();
  return heute > f.frist
    ? { ok: false, text: `Umtausch bis ${formatDate(f.frist)} – überfällig. ${f.grundlage}.` }
    : { ok: true, text: `Umtausch bis ${formatDate(f.frist)} – noch nicht überfällig. ${f.grundlage}.` };
}

export function UmtauschfristPage() {
  const [geburt, setGeburt] = useState('');
  const [ausgestellt, setAusgestellt] = useState('');
  const [frist, setFrist] = useState<Ergebnis>(null);
  const [nummer, setNummer] = useState('');
  const [nummerErgebnis, setNummerErgebnis] = useState<Ergebnis>(null);
  const text = (set: (v: string) => void) => ({
    onInput: (_e: unknown, v: unknown) => set(typeof v === 'string' ? v : ''),
  });

  return (
    <>
      <PageTitle>Umtauschfristen und Führerscheinnummern</PageTitle>
      <p className="lead">
        Hilfen für den Schalter: die Umtauschfrist eines vor dem 19.01.2013 ausgestellten Führerscheins
        (Anlage 8e FeV) und die Prüfziffer einer Führerscheinnummer. Es wird nichts gespeichert oder gesendet.
      </p>
      <section aria-labelledby="frist-titel">
        <h2 id="frist-titel">Umtauschfrist berechnen</h2>
        <form
          className="inline-form fe-frist"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setFrist(fristErgebnis(geburt, ausgestellt));
          }}
        >
          <KolInputText
            id="feld-geburtsdatum"
            _label="Geburtsdatum der Inhaberin / des Inhabers"
            _hint="Format: TT.MM.JJJJ"
            _value={geburt}
            _on={text(setGeburt)}
          />
          <KolInputText
            id="feld-ausgestellt"
            _label="Führerschein ausgestellt am"
            _hint="Karte: Feld 4a; Papierführerschein: Innenseite – Format: TT.MM.JJJJ"
            _value={ausgestellt}
            _on={text(setAusgestellt)}
          />
          <KolButton _label="Frist berechnen" _type="submit" _variant="primary" />
        </form>
        <output className="fe-frist-ergebnis" aria-live="polite">
          {frist ? (
            <p className={`deadline ${frist.ok ? 'on_time' : 'overdue'}`}>
              <span className="deadline-state">{frist.ok ? 'In Ordnung' : 'Achtung'}</span> {frist.text}
            </p>
          ) : null}
        </output>
      </section>
      <section aria-labelledby="nummer-titel">
        <h2 id="nummer-titel">Führerscheinnummer prüfen</h2>
        <form
          className="inline-form fe-nummer"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const r = pruefeFuehrerscheinnummer(nummer);
            setNummerErgebnis(
              r.ok
                ? { ok: true, text: `${normalisiereFuehrerscheinnummer(nummer)}: Prüfziffer stimmt.` }
                : { ok: false, text: r.message ?? 'Ungültig.' },
            );
          }}
        >
          <KolInputText
            id="feld-nummer"
            _label="Führerscheinnummer"
            _hint="11 Zeichen, Feld 5 der Karte, z. B. B072RRE2I55"
            _value={nummer}
            _on={text(setNummer)}
          />
          <KolButton _label="Nummer prüfen" _type="submit" _variant="primary" />
        </form>
        <output className="fe-nummer-ergebnis" aria-live="polite">
          {nummerErgebnis ? (
            <p className={`deadline ${nummerErgebnis.ok ? 'on_time' : 'overdue'}`}>
              <span className="deadline-state">{nummerErgebnis.ok ? 'In Ordnung' : 'Fehler'}</span>{' '}
              {nummerErgebnis.text}
            </p>
          ) : null}
        </output>
      </section>
    </>
  );
}
