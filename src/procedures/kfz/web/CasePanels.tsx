import { KolButton, KolInputRadio, KolInputText, KolSelect } from '@public-ui/react-v19';
import { useEffect, useState } from 'react';
import { api, type CaseView } from '../../../web/api.js';
import { allowed, FeeTable, Panel, type PanelDone, useAction } from '../../../web/case-panels.js';
import { formatDate } from '../../../web/format.js';
import { selected } from '../../../web/scope.js';
import { ErrorAlert } from '../../../web/ui.js';
import { KFZ_PROCEDURE_IDS } from '../ids.js';

/**
 * The Zulassungsstelle's panels on the case page: the plate (allocate the next free one of the
 * series, a Wunschkennzeichen or a reserved one; the allocated plate), the fee with its GebOSt
 * positions and the cash payment, and what the completion did to the old plate.
 */

interface KfzData {
  kosten?: {
    stichtag: string;
    positionen: Array<{ code: string; label: string; amountCents: number; basis: string }>;
    summeCents: number;
  };
  zuteilung?: {
    kennzeichen: string;
    text: string;
    art: string;
    wahl: string;
    zugeteiltAm: string;
    gueltigBis?: string;
  };
  zahlung?: { kassenbuchungId: string; belegNr: number; betragCents: number; tag: string };
  abschluss?: { am: string; sperreBis?: string; reserviertBis?: string };
  kennzeichen?: { zusatz?: string; unterscheidungszeichen?: string; aktuell?: string };
  umschreibung?: { kennzeichen: 'behalten' | 'neu'; bisherigesKennzeichen: string };
}

interface Reservation {
  id: string;
  text: string;
  name: string;
  reserviertBis: string;
  status: string;
}

const isKfz = (view: CaseView) => (KFZ_PROCEDURE_IDS as readonly string[]).includes(view.procedureId);

function PlatePanel({ view, d, onDone }: { view: CaseView; d: KfzData; onDone: PanelDone }) {
  const kurzzeit = view.procedureId === 'kurzzeitkennzeichen';
  const canAllocate = allowed(view, 'kennzeichen_zuteilen');
  const [wahl, setWahl] = useState<'naechstes' | 'wunsch' | 'reservierung'>('naechstes');
  const [wunsch, setWunsch] = useState('');
  const [codes, setCodes] = useState<string[]>([]);
  const [code, setCode] = useState(d.kennzeichen?.unterscheidungszeichen ?? '');
  const [reservations, setReservations] = useState<Reservation[] | null>(null);
  const [reservierungId, setReservierungId] = useState('');
  const { busy, error, run } = useAction(view, onDone);

  useEffect(() => {
    if (!canAllocate || kurzzeit) return;
    api
      .get<{ config: { serien: Array<{ unterscheidungszeichen: string }> } }>(
        `/api/kfz/kennzeichen/einstellungen?authorityAgs=${encodeURIComponent(view.authorityAgs)}`,
      )
      .then((r) => setCodes([...new Set(r.config.serien.map((s) => s.unterscheidungszeichen))]))
      .catch(() => setCodes([]));
  }, [canAllocate, kurzzeit, view.authorityAgs]);

  useEffect(() => {
    if (wahl !== 'reservierung' || reservations) return;
    api
      .get<{ items: Reservation[] }>(
        `/api/kfz/kennzeichen/reservierungen?authorityAgs=${encodeURIComponent(view.authorityAgs)}`,
      )
      .then((r) => setReservations(r.items.filter((i) => i.status === 'aktiv')))
      .catch(() => setReservations([]));
  }, [wahl, reservations, view.authorityAgs]);

  if (!d.zuteilung && !canAllocate) {
    if (d.umschreibung?.kennzeichen === 'behalten') {
      return (
        <Panel id="kennzeichen" title="Kennzeichen">
          <p>
            Das bisherige Kennzeichen{' '}
            <strong className="plate">{d.umschreibung.bisherigesKennzeichen}</strong> bleibt.
          </p>
        </Panel>
      );
    }
    return null;
  }
  return (
    <Panel id="kennzeichen" title="Kennzeichen">
      {d.zuteilung ? (
        <p className="panel-state">
          Zugeteilt am {formatDate(d.zuteilung.zugeteiltAm)}:{' '}
          <strong className="plate">{d.zuteilung.text}</strong>
          {d.zuteilung.wahl === 'wunsch'
            ? ' (Wunschkennzeichen)'
            : d.zuteilung.wahl === 'reservierung'
              ? ' (reserviert)'
              : ''}
          {d.zuteilung.gueltigBis ? `, gültig bis ${formatDate(d.zuteilung.gueltigBis)}` : ''}. Den
          Prägeschein finden Sie unter „Dokumente“.
        </p>
      ) : null}
      <ErrorAlert message={error} />
      {canAllocate ? (
        <form
          className="plate-form"
          onSubmit={(e) => {
            e.preventDefault();
            const payload =
              wahl === 'wunsch'
                ? { wahl, kennzeichen: wunsch.trim() }
                : wahl === 'reservierung'
                  ? { wahl, reservierungId }
                  : { wahl, ...(code ? { unterscheidungszeichen: code } : {}) };
            void run('kennzeichen_zuteilen', 'Kennzeichen zuteilen', payload, 'Kennzeichen zugeteilt.');
          }}
        >
          {kurzzeit ? (
            <p>Das nächste freie Kurzzeitkennzeichen der Serie wird zugeteilt.</p>
          ) : (
            <KolInputRadio
              id="feld-kennzeichen-wahl"
              _label="Art der Zuteilung"
              _options={[
                { label: 'Nächstes freies Kennzeichen der Notbetriebsserie', value: 'naechstes' },
                { label: 'Wunschkennzeichen', value: 'wunsch' },
                { label: 'Reserviertes Wunschkennzeichen', value: 'reservierung' },
              ]}
              _value={wahl}
              _on={{ onInput: (_e, v) => setWahl(selected(v) as typeof wahl) }}
            />
          )}
          {!kurzzeit && wahl === 'naechstes' && codes.length > 1 ? (
            <KolSelect
              id="feld-kennzeichen-code"
              _label="Unterscheidungszeichen"
              _options={codes.map((c) => ({ label: c, value: c }))}
              _value={code || codes[0]}
              _on={{ onInput: (_e, v) => setCode(selected(v)) }}
            />
          ) : null}
          {wahl === 'wunsch' ? (
            <KolInputText
              id="feld-kennzeichen-wunsch"
              _label="Wunschkennzeichen"
              _hint="z. B. SI-XB 123; ein E oder H kommt aus dem Antrag"
              _value={wunsch}
              _on={{ onInput: (_e, v) => setWunsch(typeof v === 'string' ? v : '') }}
            />
          ) : null}
          {wahl === 'reservierung' ? (
            reservations && reservations.length > 0 ? (
              <KolSelect
                id="feld-kennzeichen-reservierung"
                _label="Reservierung"
                _options={[
                  { label: 'Bitte wählen', value: '' },
                  ...reservations.map((r) => ({
                    label: `${r.text} – ${r.name}, bis ${formatDate(r.reserviertBis)}`,
                    value: r.id,
                  })),
                ]}
                _value={reservierungId}
                _on={{ onInput: (_e, v) => setReservierungId(selected(v)) }}
              />
            ) : (
              <p>{reservations ? 'Keine aktiven Reservierungen.' : 'Reservierungen werden geladen …'}</p>
            )
          ) : null}
          <KolButton
            _label={busy ? 'Wird zugeteilt …' : 'Kennzeichen zuteilen'}
            _type="submit"
            _disabled={busy}
          />
        </form>
      ) : null}
    </Panel>
  );
}

function FeePanel({ d }: { d: KfzData }) {
  if (!d.kosten) return null;
  return (
    <Panel id="kfz-gebuehr" title="Gebühr">
      <FeeTable
        fees={d.kosten}
        payment={d.zahlung}
        caption={`Gebühr nach der Gebührenordnung (GebOSt), Stand ${formatDate(d.kosten.stichtag)}`}
      />
      {d.abschluss?.sperreBis ? (
        <p>Das bisherige Kennzeichen ist bis {formatDate(d.abschluss.sperreBis)} gesperrt.</p>
      ) : null}
      {d.abschluss?.reserviertBis ? (
        <p>
          Das Kennzeichen ist für die Halterin / den Halter bis {formatDate(d.abschluss.reserviertBis)}{' '}
          reserviert.
        </p>
      ) : null}
    </Panel>
  );
}

export function KfzPanels({ view, onDone }: { view: CaseView; onDone: PanelDone }) {
  if (!isKfz(view)) return null;
  const d = (view.data ?? {}) as KfzData;
  return (
    <>
      <PlatePanel view={view} d={d} onDone={onDone} />
      <FeePanel d={d} />
    </>
  );
}

/** The plate form replaces the generic button of the allocation. */
export function kfzPanelActions(view: CaseView): ReadonlySet<string> {
  return new Set(isKfz(view) ? ['kennzeichen_zuteilen'] : []);
}
