import { KolButton, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { AuthoritySelect, selected, useOfficeAuthorities } from '../../../web/scope.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';

/**
 * The register book of a Standesamt: the entries of the Geburten-, Sterbe- or Eheregister of one
 * year in the order of their numbers (gapless per office, register and year), each linked to its
 * case.
 */
interface RegisterBook {
  register: string;
  registerLabel: string;
  year: number;
  items: Array<{ seq: number; number: string; caseId: string; aktenzeichen: string; createdAt: string }>;
}

export function RegisterBookPage() {
  const options = useOfficeAuthorities('standesamt');
  const [ags, setAgs] = useState('');
  const [register, setRegister] = useState('S');
  const [yearInput, setYearInput] = useState(String(new Date().getFullYear()));
  const [year, setYear] = useState(new Date().getFullYear());
  const [book, setBook] = useState<RegisterBook | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!ags) return;
    setBook(null);
    try {
      setBook(
        await api.get<RegisterBook>(
          `/api/registry/entries?authorityAgs=${encodeURIComponent(ags)}&register=${register}&year=${year}`,
        ),
      );
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags, register, year]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageTitle>Registerbuch</PageTitle>
      <form
        className="filters inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const y = Number(yearInput.trim());
          if (!Number.isInteger(y) || y < 1900 || y > 2200) setError('Jahr: Bitte vierstellig angeben.');
          else setYear(y);
        }}
      >
        <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Standesamt" />
        <KolSelect
          id="feld-register"
          _label="Register"
          _options={[
            { value: 'G', label: 'Geburtenregister (G)' },
            { value: 'S', label: 'Sterberegister (S)' },
            { value: 'E', label: 'Eheregister (E)' },
          ]}
          _value={register}
          _on={{ onInput: (_e, v) => setRegister(selected(v) || 'S') }}
        />
        <KolInputText
          id="feld-jahr"
          _label="Jahr"
          _value={yearInput}
          _maxLength={4}
          _on={{ onInput: (_e, v) => setYearInput(typeof v === 'string' ? v : '') }}
        />
        <KolButton _label="Anzeigen" _type="submit" _variant="secondary" />
      </form>
      <ErrorAlert message={error} />
      {!book && ags && !error ? <Loading what="Registereinträge" /> : null}
      {book ? (
        <section aria-labelledby="registerbuch-titel">
          <h2 id="registerbuch-titel">
            {book.registerLabel} {book.year}
          </h2>
          {book.items.length === 0 ? (
            <p>Noch keine Einträge.</p>
          ) : (
            <div className="table-wrap">
              <table className="register-book">
                <caption className="visually-hidden">
                  Einträge im {book.registerLabel} {book.year}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Registernummer</th>
                    <th scope="col">Vorgang</th>
                    <th scope="col">Eingetragen</th>
                  </tr>
                </thead>
                <tbody>
                  {book.items.map((i) => (
                    <tr key={i.seq}>
                      <td>{i.number}</td>
                      <td>
                        <a href={`/vorgaenge/${i.caseId}`}>{i.aktenzeichen}</a>
                      </td>
                      <td>{formatDateTime(i.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </>
  );
}
