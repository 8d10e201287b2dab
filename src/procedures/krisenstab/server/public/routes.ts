import { createHash, randomUUID } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { addDays, type IsoDate, isValidIsoDate, todayInGermany } from '../../../../core/dates.js';
import { AppError } from '../../../../core/errors.js';
import { isUuid } from '../../../../core/ids.js';
import { isOfficeType } from '../../../../core/offices.js';
import type { Database } from '../../../../db/types.js';
import { hasControlCharacter, PHONE } from '../../katalog.js';
import type { AppointmentService, BookingInput } from '../appointments.js';
import type { CatalogueService } from '../catalogue.js';
import type { KrisenstabConfig } from '../config.js';
import { type FeedbackService, validateFeedback } from '../feedback.js';
import type { PageCache } from '../page-cache.js';
import { berlinMidnightUtc } from '../time.js';
import {
  type AuthorityInfo,
  barrierefreiheitPage,
  bookedPage,
  bookingFormPage,
  cancelFormPage,
  cancelledPage,
  type FormState,
  feedbackFormPage,
  indexPage,
  leichteSprachePage,
  messagePage,
  PREFIX,
  slotsPage,
  statusPage,
} from './pages.js';
import { posterPdf } from './poster.js';
import { PUBLIC_CSS } from './style.js';

/**
 * The citizens' pages under /oeffentlich: no login, German, server-rendered HTML that works
 * without JavaScript under the app's strict CSP (one stylesheet from the same origin). What they
 * read is the public part of the catalogue and the free slots; they write bookings and
 * cancellations, but never show anything a citizen entered (not even back to the same browser).
 * Read pages are cacheable (Cache-Control public, ETag); the booking and cancel forms and their
 * answers are not (no-store). Forms are plain POSTs (application/x-www-form-urlencoded) and are
 * refused from another origin. The platform marks every route public (auth: 'public').
 */
export interface PublicDeps {
  db: Kysely<Database>;
  catalogue: CatalogueService;
  appointments: AppointmentService;
  config: KrisenstabConfig;
  now: () => Date;
  pages: PageCache;
  feedback: FeedbackService;
}

const STATUS_MAX_AGE = 60;
const CSS_PAGE = {
  body: PUBLIC_CSS,
  etag: `"${createHash('sha256').update(PUBLIC_CSS).digest('base64url').slice(0, 27)}"`,
  type: 'text/css; charset=utf-8',
};
const SLOTS_MAX_AGE = 10;

function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** A cacheable answer: public for maxAge seconds, with an ETag (If-None-Match → 304). */
function sendCacheable(
  request: FastifyRequest,
  reply: FastifyReply,
  page: { body: string | Buffer; etag: string; type: string },
  maxAge: number,
) {
  reply
    .header('cache-control', `public, max-age=${maxAge}`)
    .header('etag', page.etag)
    .header('content-type', page.type);
  if (request.headers['if-none-match'] === page.etag) return reply.code(304).send();
  return reply.send(page.body);
}

function sendPage(reply: FastifyReply, status: number, body: string) {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(body);
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export function validateBooking(body: unknown): {
  input: BookingInput | null;
  state: FormState;
  formId: string;
} {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const state: FormState = {
    name: str(b.name).slice(0, 300),
    email: str(b.email).slice(0, 300),
    telefon: str(b.telefon).slice(0, 300),
    errors: {},
  };
  const name = state.name.trim().replace(/\s+/g, ' ');
  const email = state.email.trim();
  const telefon = state.telefon.trim();
  if (!name) state.errors.name = 'Name: Bitte geben Sie Ihren Namen an.';
  else if (name.length < 2 || name.length > 100) state.errors.name = 'Name: Bitte 2 bis 100 Zeichen.';
  else if (hasControlCharacter(name) || !/\p{L}/u.test(name) || /[<>{}[\]\\|@#$%^*=_~`";]/.test(name))
    state.errors.name = 'Name: Bitte nur Buchstaben, Leerzeichen, Bindestrich, Punkt oder Apostroph.';
  if (
    email &&
    (email.length > 200 || !/^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[A-Za-z]{2,}$/.test(email))
  )
    state.errors.email = 'E-Mail-Adresse: Bitte eine gültige Adresse angeben, z. B. name@example.de.';
  if (telefon && !PHONE.test(telefon))
    state.errors.telefon = 'Telefonnummer: Bitte nur Ziffern, Leerzeichen, +, / oder -, z. B. 0271 12345.';
  if (!email && !telefon && !state.errors.email && !state.errors.telefon)
    state.errors.kontakt = 'Erreichbarkeit: Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer an.';
  const formId = str(b.formular);
  if (!isUuid(formId))
    state.errors.formular = 'Das Formular ist unvollständig. Bitte laden Sie die Seite neu.';
  const ok = Object.keys(state.errors).length === 0;
  return {
    input: ok ? { name, email: email || null, telefon: telefon || null } : null,
    state,
    formId,
  };
}

export const publicPages: FastifyPluginAsync<PublicDeps> = async (app, deps) => {
  const { catalogue, appointments, config } = deps;
  /** A page from the process's micro cache (rendered at most once per TTL and URL). */
  const cached = (key: string, type: string, render: () => Promise<string | Buffer> | string) =>
    deps.pages.get(key, deps.now().getTime(), async () => {
      const body = await render();
      return { body, etag: etagOf(body), type };
    });

  // Plain HTML forms post urlencoded bodies; parsed here only (the API stays JSON-only).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  // Errors of these pages are pages too (German, no internals).
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const status = err instanceof AppError ? err.status : (err.statusCode ?? 500);
    if (status >= 500) request.log.error({ err }, 'Fehler auf einer öffentlichen Seite');
    if (err instanceof AppError && err.code === 'RATE_LIMITED') {
      const wait = (err as AppError & { retryAfterS?: number }).retryAfterS;
      if (wait) reply.header('retry-after', String(wait));
    }
    const text =
      err instanceof AppError
        ? err.detail
        : status >= 500
          ? 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später noch einmal.'
          : status === 413
            ? 'Die Anfrage ist zu groß.'
            : status === 415
              ? 'Bitte senden Sie das Formular über die Seite ab.'
              : 'Die Anfrage ist ungültig. Bitte laden Sie die Seite neu.';
    const title = err instanceof AppError ? err.title : status >= 500 ? 'Fehler' : 'Ungültige Anfrage';
    return sendPage(
      reply,
      status,
      messagePage({ title, text, back: { href: PREFIX, label: 'Zur Startseite' } }),
    );
  });

  /**
   * Refuses a form posted from another site. Browsers say where a request comes from in
   * Sec-Fetch-Site (same-origin, or none when typed); without it (older browsers) the Origin
   * header, when it names a site, must be this host. (With the app's Referrer-Policy no-referrer a
   * browser sends `Origin: null` on form posts, so Origin alone cannot tell.)
   */
  const sameOrigin = (request: FastifyRequest) => {
    const refuse = () =>
      new AppError(
        'FORBIDDEN',
        'Anfrage abgelehnt',
        'Das Formular wurde von einer anderen Internetseite abgeschickt. Bitte buchen Sie direkt auf dieser Seite.',
      );
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string') {
      if (site !== 'same-origin' && site !== 'none') throw refuse();
      return;
    }
    const origin = request.headers.origin;
    if (origin === undefined || origin === 'null') return;
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      host = null;
    }
    if (host !== request.headers.host) throw refuse();
  };

  const authorityOf = async (ags: string): Promise<AuthorityInfo> => {
    const notFound = new AppError('NOT_FOUND', 'Nicht gefunden', 'Diese Kommune ist hier nicht verzeichnet.');
    if (!/^\d{8}$/.test(ags)) throw notFound;
    const a = await deps.db
      .selectFrom('authority as a')
      .leftJoin('authority as k', 'k.ags', 'a.kreis_ags')
      .select(['a.ags', 'a.name', 'a.kind', 'a.kreis_ags', 'k.name as kreis_name'])
      .where('a.ags', '=', ags)
      .executeTakeFirst();
    if (!a) throw notFound;
    return { ags: a.ags, name: a.name, kind: a.kind, kreisAgs: a.kreis_ags, kreisName: a.kreis_name ?? null };
  };

  const html = 'text/html; charset=utf-8';
  type AgsParams = { Params: { ags: string } };

  app.get(`${PREFIX}/style.css`, { schema: { hide: true } }, async (request, reply) =>
    sendCacheable(request, reply, CSS_PAGE, 3600),
  );

  const index = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = await cached(PREFIX, html, async () => {
      const rows = await deps.db
        .selectFrom('authority as a')
        .leftJoin('authority as k', 'k.ags', 'a.kreis_ags')
        .select(['a.ags', 'a.name', 'a.kind', 'a.kreis_ags', 'k.name as kreis_name'])
        .orderBy('a.kreis_ags')
        .orderBy('a.name')
        .execute();
      const list = rows.map((a) => ({
        ags: a.ags,
        name: a.name,
        kind: a.kind,
        kreisAgs: a.kreis_ags,
        kreisName: a.kreis_name ?? null,
      }));
      return indexPage(list);
    });
    return sendCacheable(request, reply, page, STATUS_MAX_AGE);
  };
  app.get(PREFIX, { schema: { hide: true } }, index);

  app.get<AgsParams>(`${PREFIX}/:ags`, { schema: { hide: true } }, async (request, reply) => {
    const page = await cached(request.url, html, async () => {
      const authority = await authorityOf(request.params.ags);
      const [lage, dienste, offices] = await Promise.all([
        catalogue.lage(authority.ags),
        catalogue.entries(authority.ags, null),
        appointments.publicOffices(authority.ags),
      ]);
      return statusPage({ authority, lage, dienste, offices });
    });
    return sendCacheable(request, reply, page, STATUS_MAX_AGE);
  });

  app.get<AgsParams>(`${PREFIX}/:ags/leichte-sprache`, { schema: { hide: true } }, async (request, reply) => {
    const page = await cached(request.url, html, async () => {
      const authority = await authorityOf(request.params.ags);
      const [lage, dienste] = await Promise.all([
        catalogue.lage(authority.ags),
        catalogue.entries(authority.ags, null),
      ]);
      return leichteSprachePage({ authority, lage, dienste });
    });
    return sendCacheable(request, reply, page, STATUS_MAX_AGE);
  });

  app.get<AgsParams>(
    `${PREFIX}/:ags/barrierefreiheit`,
    { schema: { hide: true } },
    async (request, reply) => {
      const page = await cached(request.url, html, async () => {
        const authority = await authorityOf(request.params.ags);
        const lage = await catalogue.lage(authority.ags);
        return barrierefreiheitPage({ authority, lage, ombudsstelle: config.ombudsstelle });
      });
      return sendCacheable(request, reply, page, STATUS_MAX_AGE);
    },
  );

  app.get<AgsParams>(`${PREFIX}/:ags/aushang.pdf`, { schema: { hide: true } }, async (request, reply) => {
    const authority = await authorityOf(request.params.ags);
    const [lage, dienste, offices] = await Promise.all([
      catalogue.lage(authority.ags),
      catalogue.entries(authority.ags, null),
      appointments.publicOffices(authority.ags),
    ]);
    // The configured public address; else the one asked under (then not cacheable: a forged Host
    // header must not end up in a shared cache).
    const host = request.headers.host ?? '';
    const base =
      config.publicUrl ??
      (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) ? `${request.protocol}://${host}` : 'http://localhost');
    const statusUrl = `${base}${PREFIX}/${authority.ags}`;
    const pdf = await posterPdf({
      authority,
      lage,
      dienste,
      statusUrl,
      bookingUrl: offices.length ? `${statusUrl}/termine` : null,
      printedAt: deps.now(),
    });
    reply.header('content-disposition', `inline; filename="aushang-${authority.ags}.pdf"`);
    if (!config.publicUrl) {
      return reply.header('content-type', 'application/pdf').header('cache-control', 'no-store').send(pdf);
    }
    return sendCacheable(request, reply, { body: pdf, etag: etagOf(pdf), type: 'application/pdf' }, 300);
  });

  // ---- appointments ----

  app.get<AgsParams & { Querystring: { amt?: string; ab?: string } }>(
    `${PREFIX}/:ags/termine`,
    { schema: { hide: true } },
    async (request, reply) => {
      const page = await cached(request.url, html, async () => {
        const authority = await authorityOf(request.params.ags);
        const today = todayInGermany(deps.now());
        const amt = typeof request.query.amt === 'string' ? request.query.amt : '';
        const ab = typeof request.query.ab === 'string' ? request.query.ab : '';
        if (amt && !isOfficeType(amt)) {
          throw new AppError('VALIDATION_FAILED', 'Unbekanntes Amt', 'Dieses Amt gibt es nicht.');
        }
        if (ab && (!/^\d{4}-\d{2}-\d{2}$/.test(ab) || !isValidIsoDate(ab))) {
          throw new AppError(
            'VALIDATION_FAILED',
            'Ungültiges Datum',
            'Bitte ein Datum im Format JJJJ-MM-TT angeben.',
          );
        }
        const from: IsoDate = ab && ab > today ? ab : today;
        if (from > addDays(today, 366)) {
          throw new AppError(
            'VALIDATION_FAILED',
            'Zu weit in der Zukunft',
            'Termine gibt es höchstens ein Jahr im Voraus.',
          );
        }
        const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
        const offices = await appointments.publicOffices(authority.ags);
        const slots = offices.length
          ? await appointments.freeSlots(authority.ags, {
              ...(amt ? { officeType: amt } : {}),
              from: berlinMidnightUtc(from),
              to: berlinMidnightUtc(addDays(from, 7)),
            })
          : [];
        const weekBefore = addDays(from, -7);
        const prev = from > today ? ([weekBefore, today].sort()[1] as IsoDate) : null;
        return slotsPage({
          authority,
          offices,
          officeType: amt || null,
          from,
          days,
          slots,
          dayOf: (iso) => todayInGermany(new Date(iso)),
          prev,
          next: addDays(from, 7),
        });
      });
      return sendCacheable(request, reply, page, SLOTS_MAX_AGE);
    },
  );

  type SlotParams = { Params: { ags: string; slotId: string } };
  const slotOrPage = async (
    request: FastifyRequest<SlotParams>,
    reply: FastifyReply,
    authority: AuthorityInfo,
  ) => {
    const back = { href: `${PREFIX}/${authority.ags}/termine`, label: 'Zu den freien Terminen' };
    const slot = isUuid(request.params.slotId)
      ? await appointments.publicSlot(authority.ags, request.params.slotId)
      : undefined;
    if (!slot) {
      sendPage(
        reply,
        404,
        messagePage({
          authority,
          title: 'Termin nicht gefunden',
          text: 'Diesen Termin gibt es nicht (mehr).',
          back,
        }),
      );
      return null;
    }
    if (!slot.free) {
      sendPage(
        reply,
        409,
        messagePage({
          authority,
          title: 'Termin bereits vergeben',
          text: 'Dieser Termin ist leider schon vergeben. Bitte wählen Sie einen anderen freien Termin.',
          back,
        }),
      );
      return null;
    }
    return slot;
  };

  app.get<SlotParams>(
    `${PREFIX}/:ags/termine/:slotId`,
    { schema: { hide: true } },
    async (request, reply) => {
      const authority = await authorityOf(request.params.ags);
      const slot = await slotOrPage(request, reply, authority);
      if (!slot) return reply;
      return sendPage(
        reply,
        200,
        bookingFormPage({
          authority,
          slot,
          formId: randomUUID(),
          state: { name: '', email: '', telefon: '', errors: {} },
          loeschfristTage: config.loeschfristTage,
        }),
      );
    },
  );

  app.post<SlotParams>(
    `${PREFIX}/:ags/termine/:slotId`,
    { schema: { hide: true } },
    async (request, reply) => {
      sameOrigin(request);
      const authority = await authorityOf(request.params.ags);
      const back = { href: `${PREFIX}/${authority.ags}/termine`, label: 'Zu den freien Terminen' };
      const checked = validateBooking(request.body);
      if (!checked.input) {
        const slot = await slotOrPage(request, reply, authority);
        if (!slot) return reply;
        return sendPage(
          reply,
          400,
          bookingFormPage({
            authority,
            slot,
            formId: isUuid(checked.formId) ? checked.formId : randomUUID(),
            state: checked.state,
            loeschfristTage: config.loeschfristTage,
          }),
        );
      }
      if (!isUuid(request.params.slotId)) {
        return sendPage(
          reply,
          404,
          messagePage({
            authority,
            title: 'Termin nicht gefunden',
            text: 'Diesen Termin gibt es nicht.',
            back,
          }),
        );
      }
      try {
        const { result, code } = await appointments.book({
          ags: authority.ags,
          slotId: request.params.slotId,
          formId: checked.formId,
          booking: checked.input,
          clientAddress: request.ip,
        });
        deps.pages.clear();
        const b = result.body as { startsAt: string; endsAt: string; roomName: string; officeLabel: string };
        return sendPage(reply, result.replayed ? 200 : 201, bookedPage({ authority, booking: b, code }));
      } catch (err) {
        if (err instanceof AppError && err.code === 'ACTION_NOT_ALLOWED') {
          return sendPage(reply, 409, messagePage({ authority, title: err.title, text: err.detail, back }));
        }
        if (err instanceof AppError && err.code === 'NOT_FOUND') {
          return sendPage(
            reply,
            404,
            messagePage({ authority, title: 'Termin nicht gefunden', text: err.detail, back }),
          );
        }
        throw err;
      }
    },
  );

  app.get<AgsParams>(`${PREFIX}/:ags/absagen`, { schema: { hide: true } }, async (request, reply) => {
    const authority = await authorityOf(request.params.ags);
    return sendPage(reply, 200, cancelFormPage({ authority, code: '', error: null }));
  });

  app.post<AgsParams>(`${PREFIX}/:ags/absagen`, { schema: { hide: true } }, async (request, reply) => {
    sameOrigin(request);
    const authority = await authorityOf(request.params.ags);
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<
      string,
      unknown
    >;
    const code = str(body.code).slice(0, 40);
    if (!code.trim()) {
      return sendPage(
        reply,
        400,
        cancelFormPage({ authority, code: '', error: 'Buchungscode: Bitte geben Sie den Code ein.' }),
      );
    }
    try {
      const booking = await appointments.cancelByCode({
        ags: authority.ags,
        code,
        clientAddress: request.ip,
      });
      deps.pages.clear();
      return sendPage(reply, 200, cancelledPage({ authority, booking }));
    } catch (err) {
      if (err instanceof AppError && (err.code === 'NOT_FOUND' || err.code === 'ACTION_NOT_ALLOWED')) {
        return sendPage(
          reply,
          err.status,
          cancelFormPage({ authority, code: hasControlCharacter(code) ? '' : code, error: err.detail }),
        );
      }
      throw err;
    }
  });

  // ---- feedback on accessibility (the statement's contact form) ----

  const emptyFeedback = { seite: '', nachricht: '', kontakt: '', errors: {} };
  app.get<AgsParams>(`${PREFIX}/:ags/barriere-melden`, { schema: { hide: true } }, async (request, reply) => {
    const authority = await authorityOf(request.params.ags);
    return sendPage(
      reply,
      200,
      feedbackFormPage({
        authority,
        state: emptyFeedback,
        loeschfristTage: config.rueckmeldungLoeschfristTage,
      }),
    );
  });

  app.post<AgsParams>(
    `${PREFIX}/:ags/barriere-melden`,
    { schema: { hide: true } },
    async (request, reply) => {
      sameOrigin(request);
      const authority = await authorityOf(request.params.ags);
      const checked = validateFeedback(request.body);
      if (!checked.input) {
        return sendPage(
          reply,
          400,
          feedbackFormPage({
            authority,
            state: checked.state,
            loeschfristTage: config.rueckmeldungLoeschfristTage,
          }),
        );
      }
      await deps.feedback.submit(authority.ags, checked.input, request.ip);
      return sendPage(
        reply,
        201,
        messagePage({
          authority,
          title: 'Vielen Dank für Ihre Nachricht',
          text: 'Ihre Nachricht ist bei der Verwaltung angekommen. Wenn Sie einen Kontakt angegeben haben, antworten wir Ihnen.',
          back: { href: `${PREFIX}/${authority.ags}`, label: 'Zur Übersicht der Dienste' },
        }),
      );
    },
  );

  // Anything else under the prefix: a German 404 page (not the clerks' app).
  app.get<{ Params: { '*': string } }>(`${PREFIX}/*`, { schema: { hide: true } }, async (request, reply) => {
    if (request.params['*'] === '') return index(request, reply);
    return sendPage(
      reply,
      404,
      messagePage({
        title: 'Seite nicht gefunden',
        text: 'Diese Seite gibt es nicht.',
        back: { href: PREFIX, label: 'Zur Startseite' },
      }),
    );
  });
};
