import { KolSelect } from '@public-ui/react-v19';
import { useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDateTime } from '../../../web/format.js';
import { selected } from '../../../web/scope.js';
import { ErrorAlert, Loading, PageTitle } from '../../../web/ui.js';
import { BacklogChart, type DayPoint, type Figures, KeyFigures, n } from './common.js';

interface ServiceSummary {
  gesamt: number;
  normal: number;
  notbetrieb: number;
  nachbarbehoerde: number;
  ausgesetzt: number;
  nichtErfasst: number;
  wazUeberschritten: number;
  mtaUeberschritten: number;
}
interface Region {
  stand: string;
  summe: Figures;
  verlauf: DayPoint[];
  dienste: ServiceSummary;
  offeneAufgaben: number;
  behoerden: Array<Figures & { ags: string; name: string; kind: string; dienste: ServiceSummary }>;
}

/** The crisis team's situation board of the region: figures only, no personal data. */
export function LagePage() {
  const [region, setRegion] = useState<Region | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('aktiv');
  useEffect(() => {
    api
      .get<Region>('/api/krisenstab/lage?tage=14')
      .then(setRegion)
      .catch((e) => setError(messageOf(e)));
  }, []);
  const rows =
    region?.behoerden.filter(
      (b) =>
        filter === 'alle' ||
        b.gesamt > 0 ||
        b.dienste.notbetrieb + b.dienste.nachbarbehoerde + b.dienste.ausgesetzt > 0,
    ) ?? [];
  return (
    <>
      <PageTitle>Lagebild</PageTitle>
      <ErrorAlert message={error} />
      {!region && !error ? <Loading what="Lagebild" /> : null}
      {region ? (
        <>
          <p>
            Stand {formatDateTime(region.stand)}. Summen über alle Behörden; das Lagebild enthält keine
            personenbezogenen Daten. <a href="/krisenstab/log">Offene Aufgaben: {n(region.offeneAufgaben)}</a>
          </p>
          <h2>Region</h2>
          <KeyFigures f={region.summe} label="Kennzahlen der Region" />
          <p>
            Dienste: {n(region.dienste.notbetrieb)} im Notbetrieb, {n(region.dienste.nachbarbehoerde)} bei
            Nachbarbehörden, {n(region.dienste.ausgesetzt)} ausgesetzt, {n(region.dienste.nichtErfasst)} nicht
            erfasst; WAZ überschritten: {n(region.dienste.wazUeberschritten)}.
          </p>
          <BacklogChart
            query="tage=14"
            points={region.verlauf}
            title="Rückstand der Region, letzte 14 Tage"
          />
          <h2 id="behoerden-titel">Behörden</h2>
          <KolSelect
            id="feld-filter"
            _label="Anzeigen"
            _options={[
              { value: 'aktiv', label: 'Behörden mit Vorgängen oder gestörten Diensten' },
              { value: 'alle', label: 'alle Behörden' },
            ]}
            _value={filter}
            _on={{ onInput: (_e, v) => setFilter(selected(v) || 'aktiv') }}
          />
          {rows.length === 0 ? (
            <p>Noch keine Vorgänge und keine gestörten Dienste.</p>
          ) : (
            <div className="table-wrap">
              <table className="lage-behoerden">
                <caption className="visually-hidden">Kennzahlen je Behörde</caption>
                <thead>
                  <tr>
                    <th scope="col">Behörde</th>
                    <th scope="col">Offen</th>
                    <th scope="col">Überfällig</th>
                    <th scope="col">Heute angelegt</th>
                    <th scope="col">Heute erledigt</th>
                    <th scope="col">Übergeben</th>
                    <th scope="col">Nicht übergeben</th>
                    <th scope="col">Dienste gestört</th>
                    <th scope="col">WAZ überschritten</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((b) => (
                    <tr key={b.ags}>
                      <th scope="row">
                        <a href={`/krisenstab/behoerden/${b.ags}`}>{b.name}</a>
                      </th>
                      <td>{n(b.offen)}</td>
                      <td>{n(b.ueberfaellig)}</td>
                      <td>{n(b.angelegtHeute)}</td>
                      <td>{n(b.erledigtHeute)}</td>
                      <td>{n(b.uebergeben)}</td>
                      <td>{n(b.nichtUebergeben)}</td>
                      <td>{n(b.dienste.notbetrieb + b.dienste.nachbarbehoerde + b.dienste.ausgesetzt)}</td>
                      <td>{n(b.dienste.wazUeberschritten)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </>
  );
}
