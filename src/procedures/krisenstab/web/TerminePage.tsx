import { KolButton, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, messageOf, newIdempotencyKey } from '../../../web/api.js';
import { formatDate, formatDateTime, parseGermanDate } from '../../../web/format.js';
import { selected, useAuthorityNames } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';
import { TERMIN_STATUS_LABELS } from '../katalog.js';
import { berlinToday, berlinToIso, isoToBerlin, TIME } from './time.js';

interface Appointment {
  id: string;
  startsAt: string;
  endsAt: string;
  roomName: string;
  status: string;
  name: string | null;
  email: string | null;
  telefon: string | null;
}
interface Room {
  id: string;
  name: string;
  oeffentlich: boolean;
  freieTermine: number;
  gebuchteTermine: number;
}

const OFFICE_NAMES: Record<string, string> = {
  standesamt: 'Standesamt',
  meldebehoerde: 'Meldebehörde / Bürgerbüro',
  zulassungsstelle: 'Zulassungsstelle',
  fahrerlaubnisbehoerde: 'Fahrerlaubnisbehörde',
  sozialamt: 'Sozialamt',
  auslaenderbehoerde: 'Ausländerbehörde',
  kaemmerei: 'Kämmerei',
};
const text = (v: unknown) => (typeof v === 'string' ? v : '');
const time = (iso: string) => isoToBerlin(iso).time;

/** Slots from `from` to `to` (HH:MM) every `minutes` minutes on a day, as the rooms API takes them. */
export function slotSeries(day: string, from: string, to: string, minutes: number) {
  const toMin = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  const fmt = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const out: Array<{ startsAt: string; endsAt: string }> = [];
  for (let m = toMin(from); m + minutes <= toMin(to); m += minutes) {
    out.push({ startsAt: berlinToIso(day, fmt(m)), endsAt: berlinToIso(day, fmt(m + minutes)) });
  }
  return out;
}

function RoomRow({
  room,
  isLeitung,
  onChanged,
}: {
  room: Room;
  isLeitung: boolean;
  onChanged: (m: string) => void;
}) {
  const [day, setDay] = useState('');
  const [from, setFrom] = useState('08:00');
  const [to, setTo] = useState('12:00');
  const [minutes, setMinutes] = useState('15');
  const [error, setError] = useState<string | null>(null);
  const toggle = async () => {
    try {
      await api.put(
        `/api/termine/raeume/${room.id}/freigabe`,
        { oeffentlich: !room.oeffentlich },
        { idempotencyKey: newIdempotencyKey() },
      );
      onChanged(
        room.oeffentlich
          ? `${room.name}: Online-Buchung gesperrt.`
          : `${room.name}: für die Online-Buchung freigegeben.`,
      );
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const create = async () => {
    const iso = parseGermanDate(day);
    const m = Number(minutes);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return setError('Datum: Bitte im Format TT.MM.JJJJ angeben.');
    if (!TIME.test(from) || !TIME.test(to) || to <= from)
      return setError('Zeiten: Von und Bis als HH:MM, Bis nach Von.');
    if (!Number.isInteger(m) || m < 5 || m > 240) return setError('Dauer: 5 bis 240 Minuten.');
    const slots = slotSeries(iso, from, to, m);
    if (!slots.length) return setError('In diesem Zeitraum passt kein Termin dieser Dauer.');
    try {
      const r = await postOrQueue<{ created: number }>(
        `/api/rooms/${room.id}/slots`,
        { slots },
        `Termine anlegen: ${room.name}`,
      );
      setError(null);
      onChanged(r.queued ? QUEUED_MESSAGE : `${r.result.created} Termine in ${room.name} angelegt.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section className="room" aria-labelledby={`raum-${room.id}`}>
      <h3 id={`raum-${room.id}`}>{room.name}</h3>
      <p>
        {room.oeffentlich ? 'Online buchbar' : 'Nicht online buchbar'}; kommende Termine: {room.freieTermine}{' '}
        frei, {room.gebuchteTermine} gebucht.
      </p>
      <ErrorAlert message={error} />
      {isLeitung ? (
        <>
          <KolButton
            _label={
              room.oeffentlich
                ? `${room.name}: Online-Buchung sperren`
                : `${room.name}: für die Online-Buchung freigeben`
            }
            _variant="secondary"
            _on={{ onClick: () => void toggle() }}
          />
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <KolInputText
              id={`feld-tag-${room.id}`}
              _label="Datum"
              _placeholder="TT.MM.JJJJ"
              _value={day}
              _on={{ onInput: (_e, v) => setDay(text(v)) }}
            />
            <KolInputText
              id={`feld-von-${room.id}`}
              _label="Von (HH:MM)"
              _value={from}
              _on={{ onInput: (_e, v) => setFrom(text(v)) }}
            />
            <KolInputText
              id={`feld-bis-${room.id}`}
              _label="Bis (HH:MM)"
              _value={to}
              _on={{ onInput: (_e, v) => setTo(text(v)) }}
            />
            <KolInputText
              id={`feld-dauer-${room.id}`}
              _label="Dauer je Termin (Minuten)"
              _value={minutes}
              _on={{ onInput: (_e, v) => setMinutes(text(v)) }}
            />
            <KolButton _label={`Termine in ${room.name} anlegen`} _type="submit" />
          </form>
        </>
      ) : null}
    </section>
  );
}

/**
 * Appointments of an office: the day's list with the citizens' names and contacts (the office
 * only), cancelling by the office; for the Amtsleitung the rooms, their release for online
 * booking and series of slots.
 */
export function TerminePage() {
  const { session } = useSession();
  const names = useAuthorityNames();
  const scopes = useMemo(() => {
    const seen = new Map<string, { ags: string; office: string }>();
    for (const g of session.user.grants)
      seen.set(`${g.authorityAgs}/${g.officeType}`, { ags: g.authorityAgs, office: g.officeType });
    return [...seen.entries()];
  }, [session.user.grants]);
  const [scope, setScope] = useState(scopes[0]?.[0] ?? '');
  const current = scopes.find(([k]) => k === scope)?.[1];
  const [dayInput, setDayInput] = useState(formatDate(berlinToday()));
  const [day, setDay] = useState(berlinToday());
  const [items, setItems] = useState<Appointment[] | null>(null);
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [roomName, setRoomName] = useState('');
  const isLeitung = session.user.grants.some(
    (g) =>
      current && g.authorityAgs === current.ags && g.officeType === current.office && g.role === 'leitung',
  );

  const load = useCallback(async () => {
    if (!current) return;
    const q = `authorityAgs=${current.ags}&officeType=${current.office}`;
    try {
      const [list, r] = await Promise.all([
        api.get<{ items: Appointment[] }>(`/api/termine?${q}&tag=${day}`),
        api.get<{ items: Room[] }>(`/api/termine/raeume?${q}`),
      ]);
      setItems(list.items);
      setRooms(r.items);
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [current, day]);
  useEffect(() => {
    void load();
  }, [load]);

  const changed = (m: string) => {
    setInfo(m);
    void load();
  };
  const cancel = async (a: Appointment) => {
    if (!window.confirm(`Termin um ${time(a.startsAt)} Uhr absagen? Bitte informieren Sie die Person.`))
      return;
    try {
      const r = await postOrQueue(
        `/api/termine/${a.id}/absage`,
        {},
        `Termin absagen: ${time(a.startsAt)} Uhr`,
      );
      changed(r.queued ? QUEUED_MESSAGE : `Termin um ${time(a.startsAt)} Uhr abgesagt.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const createRoom = async () => {
    if (!current || !roomName.trim()) return setError('Name des Raums: Bitte angeben.');
    try {
      const r = await postOrQueue(
        '/api/rooms',
        { authorityAgs: current.ags, officeType: current.office, name: roomName.trim() },
        `Raum anlegen: ${roomName.trim()}`,
      );
      setRoomName('');
      changed(r.queued ? QUEUED_MESSAGE : `Raum „${roomName.trim()}“ angelegt.`);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  if (!scopes.length)
    return (
      <>
        <PageTitle>Termine</PageTitle>
        <p>Termine sehen nur die Ämter, bei denen sie gebucht sind.</p>
      </>
    );
  return (
    <>
      <PageTitle>Termine</PageTitle>
      {scopes.length > 1 ? (
        <KolSelect
          id="feld-amt"
          _label="Amt"
          _options={scopes.map(([k, s]) => ({
            value: k,
            label: `${names.get(s.ags) ?? s.ags}: ${OFFICE_NAMES[s.office] ?? s.office}`,
          }))}
          _value={scope}
          _on={{ onInput: (_e, v) => setScope(selected(v)) }}
        />
      ) : null}
      <form
        className="filters inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const iso = parseGermanDate(dayInput);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) setError('Tag: Bitte im Format TT.MM.JJJJ angeben.');
          else if (iso === day) void load();
          else setDay(iso);
        }}
      >
        <KolInputText
          id="feld-termin-tag"
          _label="Tag"
          _placeholder="TT.MM.JJJJ"
          _value={dayInput}
          _on={{ onInput: (_e, v) => setDayInput(text(v)) }}
        />
        <KolButton _label="Anzeigen" _type="submit" _variant="secondary" />
      </form>
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      <section aria-labelledby="tagesliste-titel">
        <h2 id="tagesliste-titel">Termine am {formatDate(day)}</h2>
        {!items ? <Loading what="Termine" /> : null}
        {items?.length === 0 ? <p>Keine Termine an diesem Tag.</p> : null}
        {items?.length ? (
          <div className="table-wrap">
            <table className="termine">
              <caption className="visually-hidden">Termine am {formatDate(day)}</caption>
              <thead>
                <tr>
                  <th scope="col">Zeit</th>
                  <th scope="col">Raum</th>
                  <th scope="col">Name</th>
                  <th scope="col">Kontakt</th>
                  <th scope="col">Status</th>
                  <th scope="col">Aktion</th>
                </tr>
              </thead>
              <tbody>
                {items.map((a) => (
                  <tr key={a.id} className={a.status === 'gebucht' ? undefined : 'termin-abgesagt'}>
                    <th scope="row">
                      {time(a.startsAt)}–{time(a.endsAt)}
                    </th>
                    <td>{a.roomName}</td>
                    <td>{a.name ?? '—'}</td>
                    <td>{[a.email, a.telefon].filter(Boolean).join(', ') || '—'}</td>
                    <td>{TERMIN_STATUS_LABELS[a.status] ?? a.status}</td>
                    <td>
                      {a.status === 'gebucht' ? (
                        <KolButton
                          _label={`Termin ${time(a.startsAt)} Uhr absagen`}
                          _variant="secondary"
                          _on={{ onClick: () => void cancel(a) }}
                        />
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <p className="hint">
          Gebuchte Termine werden nach Ablauf der Löschfrist automatisch gelöscht. Stand:{' '}
          {formatDateTime(new Date().toISOString())}
        </p>
      </section>
      <section aria-labelledby="raeume-titel">
        <h2 id="raeume-titel">Räume und Online-Buchung</h2>
        {current ? (
          <p>
            <a href={`/oeffentlich/${current.ags}/termine`} target="_blank" rel="noopener">
              Öffentliche Terminbuchung ansehen (öffnet in neuem Fenster)
            </a>
          </p>
        ) : null}
        {rooms?.length === 0 ? <p>Noch keine Räume angelegt.</p> : null}
        {rooms?.map((r) => (
          <RoomRow key={r.id} room={r} isLeitung={isLeitung} onChanged={changed} />
        ))}
        {isLeitung ? (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void createRoom();
            }}
          >
            <KolInputText
              id="feld-neuer-raum"
              _label="Name des Raums oder Schalters"
              _value={roomName}
              _on={{ onInput: (_e, v) => setRoomName(text(v)) }}
            />
            <KolButton _label="Raum anlegen" _type="submit" />
          </form>
        ) : (
          <p className="hint">Räume und Termine legt die Amtsleitung an.</p>
        )}
      </section>
    </>
  );
}
