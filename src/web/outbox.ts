import { useSyncExternalStore } from 'react';
import { ApiError, NetworkError, request } from './api.js';

/**
 * Offline outbox. A write that cannot reach the server is stored in IndexedDB together with its
 * Idempotency-Key and sent again when the server is back. Because the server stores the response
 * under that key, a write that did arrive before the connection broke is not applied twice:
 * exactly once, however often it is retried. Entries hold personal data only until they are sent;
 * they are deleted on success and on logout.
 */

export interface OutboxEntry {
  /** The Idempotency-Key of the write. */
  key: string;
  /** Who made the write: it is only ever sent in that person's session. */
  userId: string;
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
  /** German description for the list, e.g. "Neuer Vorgang: Verlustanzeige". */
  label: string;
  createdAt: string;
  state: 'pending' | 'sending' | 'failed';
  error?: string;
  attempts: number;
}

export interface SentEntry {
  key: string;
  label: string;
  result: unknown;
}

const DB_NAME = 'notbetrieb';
const STORE = 'outbox';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(STORE))
        req.result.createObjectStore(STORE, { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const r = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(r.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  } finally {
    db.close();
  }
}

// ---- observable state for React ----
let entries: OutboxEntry[] = [];
let sent: SentEntry[] = [];
const listeners = new Set<() => void>();
let snapshot = { entries, sent };

function publish(): void {
  snapshot = { entries, sent };
  for (const l of listeners) l();
}

async function reload(): Promise<void> {
  const all = await tx<OutboxEntry[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxEntry[]>);
  entries = all
    .filter((e) => e.userId === currentUser)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  publish();
}

export function outboxSnapshot(): { entries: OutboxEntry[]; sent: SentEntry[] } {
  return snapshot;
}

export function useOutbox(): { entries: OutboxEntry[]; sent: SentEntry[] } {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => snapshot,
  );
}

export async function enqueue(
  entry: Omit<OutboxEntry, 'createdAt' | 'state' | 'attempts' | 'userId'>,
): Promise<void> {
  if (!currentUser) throw new Error('Ausgang ohne Anmeldung');
  const full: OutboxEntry = {
    ...entry,
    userId: currentUser,
    createdAt: new Date().toISOString(),
    state: 'pending',
    attempts: 0,
  };
  await tx('readwrite', (s) => s.put(full));
  await reload();
  scheduleFlush();
}

export async function discard(key: string): Promise<void> {
  await tx('readwrite', (s) => s.delete(key));
  await reload();
}

/** Removes the current person's entries (logout): no personal data stays in the browser. */
export async function clearOutbox(): Promise<void> {
  for (const e of entries) await tx('readwrite', (s) => s.delete(e.key));
  sent = [];
  await reload();
}

export function acknowledgeSent(key: string): void {
  sent = sent.filter((s) => s.key !== key);
  publish();
}

let flushing = false;
let timer: ReturnType<typeof setTimeout> | undefined;
let allowed = false;
let currentUser: string | null = null;

/**
 * Sending needs a session; the app enables it with the logged-in person's id. Entries of another
 * person (a shared office PC) are neither shown nor sent until that person logs in again.
 */
export function setOutboxUser(userId: string | null): void {
  allowed = userId !== null;
  if (userId !== currentUser) sent = [];
  currentUser = userId;
  void reload().then(() => {
    if (allowed) scheduleFlush(0);
  });
}

function scheduleFlush(delay = 0): void {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void flush(), delay);
}

/**
 * Sends pending entries one by one, oldest first. Stops at the first network error (the server
 * is still away) and retries later; a refusal by the server (validation, conflict) marks the entry
 * as failed so the clerk can look at it. Runs in one tab at a time (Web Locks where available).
 */
export async function flush(): Promise<void> {
  if (!allowed || flushing) return;
  const run = async () => {
    flushing = true;
    let retryLater = false;
    try {
      await reload();
      for (const e of entries.filter((x) => x.state !== 'failed')) {
        try {
          const result = await request<unknown>(e.method, e.path, { body: e.body, idempotencyKey: e.key });
          await tx('readwrite', (s) => s.delete(e.key));
          sent = [...sent, { key: e.key, label: e.label, result }];
        } catch (err) {
          if (err instanceof NetworkError) {
            retryLater = true;
            break;
          }
          if (err instanceof ApiError && err.status === 401) break; // login first; kept for later
          const msg =
            err instanceof ApiError ? (err.problem.detail ?? err.problem.title ?? err.message) : String(err);
          await tx('readwrite', (s) =>
            s.put({ ...e, state: 'failed', error: msg, attempts: e.attempts + 1 } satisfies OutboxEntry),
          );
        }
      }
    } finally {
      flushing = false;
      await reload();
    }
    if (retryLater) scheduleFlush(3000);
  };
  if (navigator.locks) await navigator.locks.request('notbetrieb-outbox', run);
  else await run();
}

window.addEventListener('online', () => scheduleFlush(0));
