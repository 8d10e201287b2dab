import { KolButton, KolInputText } from '@public-ui/react-v19';
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf } from '../../../web/api.js';
import { formatDateTime, parseGermanDate } from '../../../web/format.js';
import { AuthoritySelect, useOfficeAuthorities } from '../../../web/scope.js';
import { useSession } from '../../../web/session.js';
import { ErrorAlert, InfoAlert, Loading, PageTitle } from '../../../web/ui.js';
import { postOrQueue, QUEUED_MESSAGE } from '../../../web/write.js';
import { berlinToIso } from './time.js';

/**
 * Ceremony rooms of the Standesamt and their bookable slots. Everyone in the office sees them;
 * the Amtsleitung creates rooms and slots (the server checks the role). Booking happens on the
 * marriage case (action „Termin buchen“).
 */

interface Room {
  id: string;
  name: string;
  description: string | null;
  capacity: number | null;
  active: boolean;
}
interface Slot {
  id: string;
  startsAt: string;
  endsAt: string;
  booked: boolean;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function SlotForm({ room, onCreated }: { room: Room; onCreated: (msg: string) => void }) {
  const [date, setDate] = useState('');
  const [start, setStart] = useState('10:00');
  const [end, setEnd] = useState('10:30');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const iso = parseGermanDate(date);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return setError('Datum: Bitte im Format TT.MM.JJJJ angeben.');
    if (!TIME.test(start) || !TIME.test(end)) return setError('Uhrzeit: Bitte im Format HH:MM angeben.');
    if (end <= start) return setError('Ende: muss nach dem Beginn liegen.');
    setBusy(true);
    setError(null);
    try {
      const r = await postOrQueue<{ created: number; unchanged: number }>(
        `/api/rooms/${encodeURIComponent(room.id)}/slots`,
        { slots: [{ startsAt: berlinToIso(iso, start), endsAt: berlinToIso(iso, end) }] },
        `Termin anlegen: ${room.name}`,
      );
      onCreated(
        r.queued ? QUEUED_MESSAGE : r.result.created ? 'Termin angelegt.' : 'Diesen Termin gibt es schon.',
      );
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <ErrorAlert message={error} />
      <KolInputText
        id={`feld-datum-${room.id}`}
        _label="Datum"
        _placeholder="TT.MM.JJJJ"
        _value={date}
        _on={{ onInput: (_e, v) => setDate(typeof v === 'string' ? v : '') }}
      />
      <KolInputText
        id={`feld-beginn-${room.id}`}
        _label="Beginn (HH:MM)"
        _value={start}
        _on={{ onInput: (_e, v) => setStart(typeof v === 'string' ? v : '') }}
      />
      <KolInputText
        id={`feld-ende-${room.id}`}
        _label="Ende (HH:MM)"
        _value={end}
        _on={{ onInput: (_e, v) => setEnd(typeof v === 'string' ? v : '') }}
      />
      <KolButton _label={`Termin in ${room.name} anlegen`} _type="submit" _disabled={busy} />
    </form>
  );
}

function RoomSlots({ room }: { room: Room }) {
  const [slots, setSlots] = useState<Slot[] | null>(null);
  useEffect(() => {
    const from = encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString());
    api
      .get<{ items: Slot[] }>(`/api/rooms/${encodeURIComponent(room.id)}/slots?from=${from}`)
      .then((r) => setSlots(r.items))
      .catch(() => setSlots([]));
  }, [room.id]);
  if (!slots) return <Loading what="Termine" />;
  if (slots.length === 0) return <p>Keine kommenden Termine.</p>;
  return (
    <ul className="slot-list">
      {slots.slice(0, 50).map((s) => (
        <li key={s.id}>
          {formatDateTime(s.startsAt)} bis {formatDateTime(s.endsAt).slice(-5)} Uhr:{' '}
          <strong>{s.booked ? 'gebucht' : 'frei'}</strong>
        </li>
      ))}
    </ul>
  );
}

export function RoomsPage() {
  const { session } = useSession();
  const options = useOfficeAuthorities('standesamt');
  const [ags, setAgs] = useState('');
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [capacity, setCapacity] = useState('');
  const [version, setVersion] = useState(0);
  const isLeitung = session.user.grants.some(
    (g) => g.authorityAgs === ags && g.officeType === 'standesamt' && g.role === 'leitung',
  );

  const load = useCallback(async () => {
    if (!ags) return;
    try {
      const r = await api.get<{ items: Room[] }>(`/api/rooms?authorityAgs=${encodeURIComponent(ags)}`);
      setRooms(r.items);
    } catch (e) {
      setError(messageOf(e));
    }
  }, [ags]);
  useEffect(() => {
    void load();
  }, [load]);

  const createRoom = async () => {
    setError(null);
    if (!name.trim()) return setError('Name: Bitte angeben.');
    const cap = capacity.trim() ? Number(capacity.trim()) : undefined;
    if (cap !== undefined && (!Number.isInteger(cap) || cap < 1))
      return setError('Plätze: Bitte eine ganze Zahl größer als 0 angeben.');
    try {
      const r = await postOrQueue<Room>(
        '/api/rooms',
        { authorityAgs: ags, name: name.trim(), ...(cap ? { capacity: cap } : {}) },
        `Raum anlegen: ${name.trim()}`,
      );
      setInfo(r.queued ? QUEUED_MESSAGE : `Raum „${r.result.name}“ angelegt.`);
      setName('');
      setCapacity('');
      setVersion((v) => v + 1);
      await load();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  return (
    <>
      <PageTitle>Trauräume und Termine</PageTitle>
      <AuthoritySelect options={options} value={ags} onChange={setAgs} label="Standesamt" />
      {options.length === 0 ? <p>Sie sind keinem Standesamt zugeordnet.</p> : null}
      <ErrorAlert message={error} />
      <InfoAlert message={info} type={info === QUEUED_MESSAGE ? 'warning' : 'success'} />
      {!rooms && ags ? <Loading what="Räume" /> : null}
      {rooms?.length === 0 ? <p>Noch keine Trauräume angelegt.</p> : null}
      {rooms?.map((room) => (
        <section key={room.id} aria-labelledby={`raum-${room.id}`} className="room">
          <h2 id={`raum-${room.id}`}>
            {room.name}
            {room.capacity ? ` (${room.capacity} Plätze)` : ''}
          </h2>
          <RoomSlots key={`${room.id}:${version}`} room={room} />
          {isLeitung ? (
            <SlotForm
              room={room}
              onCreated={(msg) => {
                setInfo(msg);
                setVersion((v) => v + 1);
              }}
            />
          ) : null}
        </section>
      ))}
      {isLeitung ? (
        <section aria-labelledby="neuer-raum" className="room">
          <h2 id="neuer-raum">Neuen Raum anlegen</h2>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              void createRoom();
            }}
          >
            <KolInputText
              id="feld-raum-name"
              _label="Name des Raums"
              _required
              _value={name}
              _on={{ onInput: (_e, v) => setName(typeof v === 'string' ? v : '') }}
            />
            <KolInputText
              id="feld-raum-plaetze"
              _label="Plätze (optional)"
              _value={capacity}
              _on={{ onInput: (_e, v) => setCapacity(typeof v === 'string' ? v : '') }}
            />
            <KolButton _label="Raum anlegen" _type="submit" />
          </form>
        </section>
      ) : (
        <p className="hint">Räume und Termine legt die Amtsleitung an.</p>
      )}
    </>
  );
}
