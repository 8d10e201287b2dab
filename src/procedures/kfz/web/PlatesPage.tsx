import { KolButton, KolInputText, KolSelect, KolTextarea } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, messageOf, newIdempotencyKey } from '../../../web/api.js';
import { formatDate, formatDateTime } from '../../../web/format.js';
import { AuthoritySelect, selected, useOfficeAuthorities } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';

/**
 * The plate pool of a Zulassungsstelle: the next free plate of each series, the stock by state,
 * the Wunschkennzeichen reservations (reserve, cancel), the recent allocations and blockings, and
 * the series of emergency operation (edited by the head of office; the server checks the role).
 */

interface Series {
  unterscheidungszeichen: string;
  buchstaben: string[];
  von: number;
  bis: number;
}
interface KurzzeitSeries {
  unterscheidungszeichen: string;
  praefix: '03' | '04';
  von: number;
  bis: number;
}
interface Config {
  serien: Series[];
  kurzzeit: KurzzeitSeries[];
  sperrfristTage: number;
  reservierungTage: number;
  wunschkennzeichen: 'aus' | 'nur_serien' | 'alle';
  zusaetzlichGesperrt: string[];
}
interface Settings {
  config: Config;
  version: number;
  updatedAt: string | null;
  unterscheidungszeichen: string[];
}
interface Pool {
  naechste: Array<{ unterscheidungszeichen: string; art: string; naechstes: string | null }>;
  bestand: Array<{ unterscheidungszeichen: string; art: string; status: string; anzahl: number }>;
}
interface Reservation {
  id: string;
  text: string;
  name: string;
  reserviertBis: string;
  status: string;
  statusLabel: string;
  caseId: string | null;
  aktenzeichen: string | null;
}
interface Allocation {
  kennzeichen: string;
  ereignisLabel: string;
  zusatz: string | null;
  caseId: string | null;
  aktenzeichen: string | null;
  verfuegbarAb: string | null;
  at: string;
}

const ART = { standard: 'Kennzeichen', kurzzeit: 'Kurzzeitkennzeichen' } as Record<string, string>;
const STATUS = {
  zugeteilt: 'zugeteilt',
  reserviert: 'reserviert',
  gesperrt: 'gesperrt',
  frei: 'zurückgegeben',
} as Record<string, string>;
const WUNSCH = {
  aus: 'keine Wunschkennzeichen',
  nur_serien: 'nur aus den Notbetriebsserien',
  alle: 'alle zulässigen Kennzeichen des Kreises',
};

/** Series as the clerk edits them: all fields text. */
interface SeriesRow {
  code: string;
  letters: string;
  von: string;
  bis: string;
}

function toRows(c: Config): { rows: SeriesRow[]; kurz: SeriesRow[] } {
  return {
    rows: c.serien.map((s) => ({
      code: s.unterscheidungszeichen,
      letters: s.buchstaben.join(' '),
      von: String(s.von),
      bis: String(s.bis),
    })),
    kurz: c.kurzzeit.map((s) => ({
      code: s.unterscheidungszeichen,
      letters: s.praefix,
      von: String(s.von),
      bis: String(s.bis),
    })),
  };
}

function SeriesEditor({
  ags,
  settings,
  onSaved,
}: {
  ags: string;
  settings: Settings;
  onSaved: (msg: string) => void;
}) {
  const initial = toRows(settings.config);
  const [rows, setRows] = useState<SeriesRow[]>(initial.rows);
  const [kurz, setKurz] = useState<SeriesRow[]>(initial.kurz);
  const [sperrfrist, setSperrfrist] = useState(String(settings.config.sperrfristTage));
  const [reservierung, setReservierung] = useState(String(settings.config.reservierungTage));
  const [wunsch, setWunsch] = useState<Config['wunschkennzeichen']>(settings.config.wunschkennzeichen);
  const [gesperrt, setGesperrt] = useState(settings.config.zusaetzlichGesperrt.join(', '));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const codes = settings.unterscheidungszeichen;
  const codeOptions = codes.map((c) => ({ label: c, value: c }));
  const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);

  const save = async () => {
    setError(null);
    const config = {
      serien: rows.map((r) => ({
        unterscheidungszeichen: r.code,
        buchstaben: r.letters
          .toUpperCase()
          .split(/[\s,;]+/)
          .filter(Boolean),
        von: num(r.von),
        bis: num(r.bis),
      })),
      kurzzeit: kurz.map((r) => ({
        unterscheidungszeichen: r.code,
        praefix: r.letters,
        von: num(r.von),
        bis: num(r.bis),
      })),
      sperrfristTage: num(sperrfrist),
      reservierungTage: num(reservierung),
      wunschkennzeichen: wunsch,
      zusaetzlichGesperrt: gesperrt
        .split(/[,;\n]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    };
    const bad = [...config.serien, ...config.kurzzeit].some(
      (s) => Number.isNaN(s.von) || Number.isNaN(s.bis),
    );
    if (bad || Number.isNaN(config.sperrfristTage) || Number.isNaN(config.reservierungTage)) {
      setError('Von, bis und die Tage bitte als ganze Zahlen angeben.');
      return;
    }
    setBusy(true);
    try {
      await api.put<{ version: number }>(
        '/api/kfz/kennzeichen/einstellungen',
        { authorityAgs: ags, expectedVersion: settings.version, config },
        { idempotencyKey: newIdempotencyKey() },
      );
      onSaved('Serien gespeichert.');
    } catch (e) {
      const detail = e instanceof ApiError ? (e.problem.errors?.map((x) => x.message).join(' ') ?? '') : '';
      setError(`${messageOf(e)}${detail ? ` ${detail}` : ''}`);
    } finally {
      setBusy(false);
    }
  };

  const rowEditor = (list: SeriesRow[], set: (l: SeriesRow[]) => void, kind: 'serie' | 'kurz') =>
    list.map((r, i) => {
      const update = (patch: Partial<SeriesRow>) =>
        set(list.map((x, j) => (j === i ? { ...x, ...patch } : x)));
      const n = `${kind}-${i}`;
      return (
        <fieldset key={n} className="series-row">
          <legend>
            {kind === 'serie' ? 'Serie' : 'Kurzzeitserie'} {i + 1}
          </legend>
          <KolSelect
            id={`feld-${n}-code`}
            _label="Unterscheidungszeichen"
            _options={codeOptions}
            _value={r.code}
            _on={{ onInput: (_e, v) => update({ code: selected(v) }) }}
          />
          {kind === 'serie' ? (
            <KolInputText
              id={`feld-${n}-buchstaben`}
              _label="Buchstaben"
              _hint="Eine oder zwei Buchstaben je Folge, durch Leerzeichen getrennt, z. B. XA XB"
              _value={r.letters}
              _on={{ onInput: (_e, v) => update({ letters: typeof v === 'string' ? v : '' }) }}
            />
          ) : (
            <KolSelect
              id={`feld-${n}-praefix`}
              _label="Präfix"
              _options={[
                { label: '03', value: '03' },
                { label: '04', value: '04' },
              ]}
              _value={r.letters}
              _on={{ onInput: (_e, v) => update({ letters: selected(v) }) }}
            />
          )}
          <KolInputText
            id={`feld-${n}-von`}
            _label="Von Nummer"
            _value={r.von}
            _on={{ onInput: (_e, v) => update({ von: typeof v === 'string' ? v : '' }) }}
          />
          <KolInputText
            id={`feld-${n}-bis`}
            _label="Bis Nummer"
            _value={r.bis}
            _on={{ onInput: (_e, v) => update({ bis: typeof v === 'string' ? v : '' }) }}
          />
          <KolButton
            _label={`${kind === 'serie' ? 'Serie' : 'Kurzzeitserie'} ${i + 1} entfernen`}
            _variant="secondary"
            _on={{ onClick: () => set(list.filter((_, j) => j !== i)) }}
          />
        </fieldset>
      );
    });

  return (
    <form
      className="series-editor"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <ErrorAlert message={error} />
      {rowEditor(rows, setRows, 'serie')}
      <KolButton
        _label="Serie hinzufügen"
        _variant="secondary"
        _on={{
          onClick: () => setRows([...rows, { code: codes[0] ?? '', letters: '', von: '1', bis: '999' }]),
        }}
      />
      {rowEditor(kurz, setKurz, 'kurz')}
      <KolButton
        _label="Kurzzeitserie hinzufügen"
        _variant="secondary"
        _on={{
          onClick: () => setKurz([...kurz, { code: codes[0] ?? '', letters: '04', von: '1', bis: '999' }]),
        }}
      />
      <KolInputText
        id="feld-sperrfrist"
        _label="Sperrfrist nach Außerbetriebsetzung (Tage)"
        _value={sperrfrist}
        _on={{ onInput: (_e, v) => setSperrfrist(typeof v === 'string' ? v : '') }}
      />
      <KolInputText
        id="feld-reservierungsdauer"
        _label="Reservierungsdauer (Tage)"
        _value={reservierung}
        _on={{ onInput: (_e, v) => setReservierung(typeof v === 'string' ? v : '') }}
      />
      <KolSelect
        id="feld-wunschkennzeichen"
        _label="Wunschkennzeichen"
        _options={Object.entries(WUNSCH).map(([value, label]) => ({ value, label }))}
        _value={wunsch}
        _on={{ onInput: (_e, v) => setWunsch(selected(v) as Config['wunschkennzeichen']) }}
      />
      <KolTextarea
        id="feld-gesperrt"
        _label="Zusätzlich gesperrte Kombinationen des Landes"
        _hint="Durch Komma getrennt, z. B. SD, AH 18, HH 88 (KZ, HJ, NS, SA, SS sind immer gesperrt)"
        _rows={2}
        _value={gesperrt}
        _on={{ onInput: (_e, v) => setGesperrt(typeof v === 'string' ? v : '') }}
      />
      <KolButton _label={busy ? 'Wird gespeichert …' : 'Serien speichern'} _type="submit" _disabled={busy} />
    </form>
  );
}

export function PlatesPage() {
  const { session } = useSession();
  const options = useOfficeAuthorities('zulassungsstelle');
  const [ags, setAgs] = useState('');
  const [settings, setSettings] = useState<Settings | null>(null);
  const [pool, setPool] = useState<Pool | null>(null);
  const [reservations, setReservations] = useState<Reservation[] | null>(null);
  const [allocations, setAllocations] = useState<Allocation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [plate, setPlate] = useState('');
  const [name, setName] = useState('');
  const [version, setVersion] = useState(0);
  const isLeitung = session.user.grants.some(
    (g) => g.authorityAgs === ags && g.officeType === 'zulassungsstelle' && g.role === 'leitung',
  );

  const load = useCallback(async () => {
    if (!ags) return;
    const q = `authorityAgs=${encodeURIComponent(ags)}`;
    try {
      const [s, p, r, z] = await Promise.all([
        api.get<Settings>(`/api/kfz/kennzeichen/einstellungen?${q}`),
        api.get<Pool>(`/api/kfz/kennzeichen/vorrat?${q}`),
        api.get<{ items: Reservation[] }>(`/api/kfz/kennzeichen/reservierungen?${q}&alle=true`),
        api.get<{ items: Allocation[] }>(`/api/kfz/kennzeichen/zuteilungen?${q}&limit=100`),
      ]);
      setSettings(s);
      setPool(p);
      setReservations(r.items.filter((i) => i.status === 'aktiv' || i.status === 'abgelaufen'));
      setAllocations(z.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags]);
  useEffect(() => {
    void load();
  }, [load]);

  const reserve = async () => {
    setError(null);
    setInfo(null);
    try {
      const r = await postOrQueue<{ text: string; reserviertBis: string }>(
        '/api/kfz/kennzeichen/reservierungen',
        { authorityAgs: ags, kennzeichen: plate.trim(), name: name.trim() },
        `Kennzeichen reservieren: ${plate.trim()}`,
      );
      setInfo(
        r.queued ? QUEUED_MESSAGE : `${r.result.text} reserviert bis ${formatDate(r.result.reserviertBis)}.`,
      );
      setPlate('');
      setName('');
      await load();
    } catch (e) {
      const detail = e instanceof ApiError ? (e.problem.errors?.[0]?.message ?? '') : '';
      setError(detail || messageOf(e));
    }
  };

  const cancel = async (r: Reservation) => {
    setError(null);
    try {
      const res = await postOrQueue(
        `/api/kfz/kennzeichen/reservierungen/${encodeURIComponent(r.id)}/stornierung`,
        {},
        `Reservierung stornieren: ${r.text}`,
      );
      setInfo(res.queued ? QUEUED_MESSAGE : `Reservierung für ${r.text} storniert.`);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <>
      <PageTitle>Kennzeichen</PageTitle>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Zulassungsstelle" />
      {options.length === 0 ? <p>Sie sind keiner Zulassungsstelle zugeordnet.</p> : null}
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      {!settings && ags ? <Loading what="Kennzeichen" /> : null}

      {pool ? (
        <section aria-labelledby="vorrat" className="plates-section">
          <h2 id="vorrat">Vorrat</h2>
          {pool.naechste.length === 0 ? (
            <p>Noch keine Kennzeichenserie für den Notbetrieb eingerichtet.</p>
          ) : (
            <div className="table-wrap">
              <table className="plate-next">
                <caption>Nächstes freies Kennzeichen je Serie (gesetzliche Reihenfolge)</caption>
                <thead>
                  <tr>
                    <th scope="col">Unterscheidungszeichen</th>
                    <th scope="col">Art</th>
                    <th scope="col">Nächstes freies</th>
                  </tr>
                </thead>
                <tbody>
                  {pool.naechste.map((n) => (
                    <tr key={`${n.unterscheidungszeichen}-${n.art}`}>
                      <td>{n.unterscheidungszeichen}</td>
                      <td>{ART[n.art] ?? n.art}</td>
                      <td>
                        {n.naechstes ? <strong className="plate">{n.naechstes}</strong> : 'Serie erschöpft'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {pool.bestand.length > 0 ? (
            <div className="table-wrap">
              <table className="plate-stock">
                <caption>Bestand im Notbetrieb</caption>
                <thead>
                  <tr>
                    <th scope="col">Unterscheidungszeichen</th>
                    <th scope="col">Art</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="num">
                      Anzahl
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {pool.bestand.map((b) => (
                    <tr key={`${b.unterscheidungszeichen}-${b.art}-${b.status}`}>
                      <td>{b.unterscheidungszeichen}</td>
                      <td>{ART[b.art] ?? b.art}</td>
                      <td>{STATUS[b.status] ?? b.status}</td>
                      <td className="num">{b.anzahl}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      {reservations ? (
        <section aria-labelledby="reservierungen" className="plates-section">
          <h2 id="reservierungen">Reservierungen</h2>
          {reservations.length === 0 ? (
            <p>Keine Reservierungen.</p>
          ) : (
            <div className="table-wrap">
              <table className="reservations">
                <caption className="visually-hidden">Reservierte Wunschkennzeichen</caption>
                <thead>
                  <tr>
                    <th scope="col">Kennzeichen</th>
                    <th scope="col">Reserviert für</th>
                    <th scope="col">Bis</th>
                    <th scope="col">Status</th>
                    <th scope="col">Aktion</th>
                  </tr>
                </thead>
                <tbody>
                  {reservations.map((r) => (
                    <tr key={r.id}>
                      <td>
                        <strong className="plate">{r.text}</strong>
                      </td>
                      <td>{r.name}</td>
                      <td>{formatDate(r.reserviertBis)}</td>
                      <td>{r.statusLabel}</td>
                      <td>
                        {r.status === 'aktiv' ? (
                          <KolButton
                            _label={`Reservierung ${r.text} stornieren`}
                            _variant="secondary"
                            _on={{ onClick: () => void cancel(r) }}
                          />
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void reserve();
            }}
          >
            <KolInputText
              id="feld-reservierung-kennzeichen"
              _label="Wunschkennzeichen"
              _hint="z. B. SI-XB 123"
              _required
              _value={plate}
              _on={{ onInput: (_e, v) => setPlate(typeof v === 'string' ? v : '') }}
            />
            <KolInputText
              id="feld-reservierung-name"
              _label="Reserviert für (Name)"
              _required
              _value={name}
              _on={{ onInput: (_e, v) => setName(typeof v === 'string' ? v : '') }}
            />
            <KolButton _label="Kennzeichen reservieren" _type="submit" />
          </form>
        </section>
      ) : null}

      {allocations ? (
        <section aria-labelledby="zuteilungen" className="plates-section">
          <h2 id="zuteilungen">Zuteilungen, Sperren und Rückgaben</h2>
          {allocations.length === 0 ? (
            <p>Noch keine Zuteilungen.</p>
          ) : (
            <div className="table-wrap">
              <table className="allocations">
                <caption className="visually-hidden">
                  Die letzten Ereignisse des Kennzeichenvorrats, neueste zuerst
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Zeitpunkt</th>
                    <th scope="col">Kennzeichen</th>
                    <th scope="col">Ereignis</th>
                    <th scope="col">Vorgang</th>
                    <th scope="col">Wieder frei ab</th>
                  </tr>
                </thead>
                <tbody>
                  {allocations.map((z, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: events have no own id in this view; the list is replaced as a whole
                    <tr key={`${z.at}-${z.kennzeichen}-${i}`}>
                      <td>{formatDateTime(z.at)}</td>
                      <td>
                        {z.kennzeichen}
                        {z.zusatz ?? ''}
                      </td>
                      <td>{z.ereignisLabel}</td>
                      <td>
                        {z.caseId && z.aktenzeichen ? (
                          <a href={`/vorgaenge/${z.caseId}`}>{z.aktenzeichen}</a>
                        ) : (
                          '–'
                        )}
                      </td>
                      <td>{z.verfuegbarAb ? formatDate(z.verfuegbarAb) : '–'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}

      {settings ? (
        <section aria-labelledby="serien" className="plates-section">
          <h2 id="serien">Serien des Notbetriebs</h2>
          <p>
            Der Bestand vor dem Ausfall ist nicht abrufbar; vergeben werden nur Kennzeichen aus diesen Serien,
            in der gesetzlichen Reihenfolge (A 1–999, AA 1–99, AA 100–999, A 1000–9999, AA 1000–9999).
            Sperrfrist nach Außerbetriebsetzung: {settings.config.sperrfristTage} Tage; Reservierungen gelten{' '}
            {settings.config.reservierungTage} Tage; Wunschkennzeichen:{' '}
            {WUNSCH[settings.config.wunschkennzeichen]}.
          </p>
          {settings.config.serien.length > 0 ? (
            <ul className="series-list">
              {settings.config.serien.map((s) => (
                <li key={`${s.unterscheidungszeichen}-${s.buchstaben.join('')}-${s.von}`}>
                  {s.unterscheidungszeichen}-{s.buchstaben.join(', ')} {s.von}–{s.bis}
                </li>
              ))}
              {settings.config.kurzzeit.map((s) => (
                <li key={`k-${s.unterscheidungszeichen}-${s.praefix}-${s.von}`}>
                  Kurzzeit {s.unterscheidungszeichen}-{s.praefix}
                  {String(s.von).padStart(3, '0')} bis {s.unterscheidungszeichen}-{s.praefix}
                  {String(s.bis).padStart(3, '0')}
                </li>
              ))}
            </ul>
          ) : null}
          {isLeitung ? (
            <SeriesEditor
              key={`${ags}:${settings.version}:${version}`}
              ags={ags}
              settings={settings}
              onSaved={(msg) => {
                setInfo(msg);
                setVersion((v) => v + 1);
                void load();
              }}
            />
          ) : (
            <p className="hint">Serien richtet die Amtsleitung ein.</p>
          )}
        </section>
      ) : null}
    </>
  );
}
