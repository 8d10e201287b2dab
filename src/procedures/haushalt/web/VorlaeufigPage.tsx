import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDate } from '../../../web/format.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';
import { formatBetrag, formatEuro } from '../geld.js';
import type { VorlaeufigReport } from '../server/report.js';
import { ALL_ROLES, ScrollRegion } from './format.js';

/**
 * The vorläufige Haushaltsführung (§ 82 GO NRW) of a year: the commitments per Produktbereich
 * against last year's budget, by legal ground; new commitments are recorded as cases (generic
 * form of the procedure „Verpflichtung in der vorläufigen Haushaltsführung“).
 */
const pct = (v: number | null) =>
  v === null ? '–' : `${(v * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} %`;

export function VorlaeufigPage() {
  const options = useOfficeAuthorities('kaemmerei', ALL_ROLES);
  const [ags, setAgs] = useState('');
  const [jahrInput, setJahrInput] = useState(String(new Date().getFullYear()));
  const [jahr, setJahr] = useState(new Date().getFullYear());
  const [report, setReport] = useState<VorlaeufigReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    if (!ags) return;
    setReport(null);
    try {
      setReport(await api.get<VorlaeufigReport>(`/api/haushalt/authorities/${ags}/vorlaeufig/${jahr}`));
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags, jahr]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <PageTitle>Vorläufige Haushaltsführung</PageTitle>
      <p className="lead">
        Solange die Haushaltssatzung nicht bekannt gemacht ist, dürfen nur rechtlich geschuldete oder
        unaufschiebbare Ausgaben entstehen und Investitionen aus dem Vorjahreshaushalt fortgesetzt werden (§
        82 GO NRW). Jede Verpflichtung wird mit ihrem Rechtsgrund erfasst.{' '}
        <a href="/vorgaenge/neu/vorlaeufige_ausgabe">Neue Verpflichtung erfassen</a>
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const y = Number(jahrInput.trim());
          if (!/^\d{4}$/.test(jahrInput.trim())) setError('Haushaltsjahr: Bitte vierstellig angeben.');
          else setJahr(y);
        }}
      >
        <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Kämmerei" />
        <KolInputText
          id="feld-jahr"
          _label="Haushaltsjahr"
          _value={jahrInput}
          _on={{ onInput: (_e, v) => setJahrInput(typeof v === 'string' ? v : '') }}
        />
        <KolButton _label="Anzeigen" _type="submit" />
      </form>
      {options.length === 0 ? <p>Sie sind keiner Kämmerei zugeordnet.</p> : null}
      <ErrorAlert message={error} />
      {!report && ags && !error ? <Loading what="Bericht" /> : null}
      {report ? (
        <>
          <p role="status" className="report-state">
            {report.inKraftSeit
              ? `Die Haushaltssatzung ${report.haushaltsjahr} ist seit dem ${formatDate(report.inKraftSeit)} in Kraft; die vorläufige Haushaltsführung ist beendet.`
              : `Die Haushaltssatzung ${report.haushaltsjahr} ist nicht bekannt gemacht: vorläufige Haushaltsführung.`}{' '}
            {report.vergleich
              ? `Vergleich: ${report.vergleich.label}.`
              : 'Kein Haushaltsplan zum Vergleich eingelesen.'}
          </p>
          <p>
            <a
              href={`/api/haushalt/authorities/${report.authorityAgs}/vorlaeufig/${report.haushaltsjahr}/export/pdf`}
            >
              Bericht als PDF
            </a>
          </p>
          <ScrollRegion label="Verpflichtungen je Produktbereich">
            <table className="vorlaeufig">
              <caption>Verpflichtungen je Produktbereich gegen den Vorjahreshaushalt (Euro)</caption>
              <thead>
                <tr>
                  <th scope="col">Produktbereich</th>
                  <th scope="col" className="num">
                    Ansatz Vorjahr Aufwand
                  </th>
                  <th scope="col" className="num">
                    Verpflichtet Aufwand
                  </th>
                  <th scope="col" className="num">
                    Anteil
                  </th>
                  <th scope="col" className="num">
                    Ansatz Vorjahr Investitionen
                  </th>
                  <th scope="col" className="num">
                    Verpflichtet Investitionen
                  </th>
                  <th scope="col" className="num">
                    Anteil
                  </th>
                  <th scope="col" className="num">
                    Anzahl
                  </th>
                </tr>
              </thead>
              <tbody>
                {[
                  ...report.bereiche.map((b) => ({ label: `${b.produktbereich} ${b.name}`, b, sum: false })),
                  { label: 'Summe', b: report.summe, sum: true },
                ].map(({ label, b, sum }) => (
                  <tr key={label} className={sum ? 'summe' : undefined}>
                    {sum ? <th scope="row">{label}</th> : <td>{label}</td>}
                    <td className="num">{formatBetrag(b.vorjahrAufwandCents)}</td>
                    <td className="num">{formatBetrag(b.verpflichtetAufwandCents)}</td>
                    <td className="num">{pct(b.anteilAufwand)}</td>
                    <td className="num">{formatBetrag(b.vorjahrInvestitionCents)}</td>
                    <td className="num">{formatBetrag(b.verpflichtetInvestitionCents)}</td>
                    <td className="num">{pct(b.anteilInvestition)}</td>
                    <td className="num">{b.anzahl}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <h2>Nach Rechtsgrund</h2>
          <ul>
            {report.nachRechtsgrund.map((g) => (
              <li key={g.rechtsgrund}>
                {g.label}: {g.anzahl} Verpflichtung{g.anzahl === 1 ? '' : 'en'}, {formatEuro(g.betragCents)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
