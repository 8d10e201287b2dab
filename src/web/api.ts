/**
 * The API client. Every write carries the session's CSRF token and an Idempotency-Key made here
 * (a UUID), so that a retried write (after a timeout or from the offline outbox) is applied once.
 * Errors arrive as problem+json; field errors are mapped to form paths. A 401 means the session
 * ended: listeners (the app shell) send the clerk to the login and back afterwards.
 */

export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  code?: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `Fehler ${status}`);
    this.name = 'ApiError';
  }

  /** Field errors keyed by form path (`person.familienname`), without the `data/` prefix. */
  fieldErrors(prefix = 'data'): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const parts = e.path.split('/').filter(Boolean);
      if (parts[0] === prefix) parts.shift();
      const key = parts.join('.');
      if (!(key in out)) out[key] = e.message;
    }
    return out;
  }
}

/** The server could not be reached (offline, server down, gateway error). */
export class NetworkError extends Error {
  constructor() {
    super('Der Server ist nicht erreichbar.');
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;
const expiredListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

export interface RequestOptions {
  body?: unknown;
  idempotencyKey?: string;
  /** Login calls: a 401 there is a wrong password, not an ended session. */
  authCall?: boolean;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  } catch {
    throw new NetworkError();
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) throw new NetworkError();
  const type = res.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await res.json().catch(() => ({})) : undefined;
  if (!res.ok) {
    if (res.status === 401 && !opts.authCall) for (const l of expiredListeners) l();
    throw new ApiError(res.status, (payload ?? {}) as Problem);
  }
  return payload as T;
}

export const api = {
  get: <T>(path: string, opts: Omit<RequestOptions, 'body'> = {}) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
};

/** A user-facing German message for any error. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) {
    const p = error.problem;
    return [p.title, p.detail].filter(Boolean).join(': ') || `Fehler ${error.status}`;
  }
  if (error instanceof NetworkError) return error.message;
  return 'Unerwarteter Fehler. Bitte die Seite neu laden.';
}

// ---- Shapes of the API (subset the app uses) ----

export interface Grant {
  authorityAgs: string;
  officeType: string;
  role: string;
}

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  isAdmin: boolean;
  isCrisisTeam?: boolean;
  grants: Grant[];
}

export type Stage = 'pending_second_factor' | 'pending_password_change' | 'pending_enrolment' | 'active';

export interface SessionInfo {
  user: SessionUser;
  stage: Stage;
  csrfToken: string;
}

export interface Deadline {
  date: string;
  label: string;
  state: 'overdue' | 'due_today' | 'due_soon' | 'on_time' | 'none';
  stateLabel: string;
}

export interface CaseListItem {
  id: string;
  aktenzeichen: string;
  procedureId: string;
  procedureTitle: string;
  authorityAgs: string;
  authorityName: string;
  officeType: string;
  status: string;
  statusLabel: string;
  version: number;
  summary: string;
  deadline: Deadline | null;
  createdAt: string;
  updatedAt: string;
}

export interface CaseView extends CaseListItem {
  procedureVersion: number;
  data: unknown;
  actions: Array<{
    seq: number;
    action: string;
    label: string;
    statusAfter: string;
    statusAfterLabel: string;
    actor: string;
    actorName: string;
    at: string;
    payload: unknown;
  }>;
  allowedActions: Array<{ id: string; label: string; description?: string; hasPayload: boolean }>;
  documents: Array<{ id: string; title: string; href: string }>;
}

export interface ProcedureSummary {
  id: string;
  version: number;
  office: string;
  officeLabel: string;
  title: string;
  description: string;
  aktenzeichenCode: string;
}

export interface ProcedureDetail extends ProcedureSummary {
  form: { sections: Array<{ id: string; title: string; description?: string }>; jsonSchema: unknown };
  states: Record<string, { label: string; final?: boolean }>;
  create: { id: string; label: string; to: string; roles: string[] };
  actions: Array<{
    id: string;
    label: string;
    description?: string;
    from: string[];
    to: string;
    roles: string[];
    payloadJsonSchema?: unknown;
    producesDocument?: string;
  }>;
  deadline: { label: string; openIn: string[] } | null;
  documents: Array<{ id: string; title: string; availableIn: string[] }>;
}

export interface Authority {
  ags: string;
  name: string;
  kind: string;
  kreisAgs: string;
  plateCodes: string[];
}

const procedureCache = new Map<string, Promise<ProcedureDetail>>();

export function loadProcedure(id: string): Promise<ProcedureDetail> {
  let p = procedureCache.get(id);
  if (!p) {
    p = api.get<ProcedureDetail>(`/api/procedures/${encodeURIComponent(id)}`);
    p.catch(() => procedureCache.delete(id));
    procedureCache.set(id, p);
  }
  return p;
}

let authoritiesCache: Promise<Authority[]> | null = null;

export function loadAuthorities(): Promise<Authority[]> {
  if (!authoritiesCache) {
    authoritiesCache = api.get<{ items: Authority[] }>('/api/authorities').then((r) => r.items);
    authoritiesCache.catch(() => {
      authoritiesCache = null;
    });
  }
  return authoritiesCache;
}
