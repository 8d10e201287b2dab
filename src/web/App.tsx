import { Component, lazy, type ReactNode, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, onSessionExpired, type SessionInfo, setCsrfToken } from './api.js';
import { clearAllDrafts } from './drafts.js';
import { WEB_FAMILIES } from './families.js';
import { clearOutbox, outboxSnapshot, setOutboxUser, useOutbox } from './outbox.js';
import { Login } from './pages/Login.js';
import { Worklist } from './pages/Worklist.js';
import { match, navigate, usePath } from './router.js';
import { SessionContext, type SessionContextValue } from './session.js';
import { Loading } from './ui.js';

// Pages other than the worklist load on demand (size budget of the first page), and are fetched
// in the background once logged in, so that they open even while the server is unreachable.
const pages = {
  casePage: () => import('./pages/CasePage.js'),
  newCase: () => import('./pages/NewCase.js'),
  outbox: () => import('./pages/OutboxPage.js'),
  password: () => import('./pages/PasswordPage.js'),
  users: () => import('./pages/admin/Users.js'),
  authorities: () => import('./pages/admin/Authorities.js'),
  handover: () => import('./pages/handover/HandoverPage.js'),
  kasse: () => import('./pages/kasse/KassePage.js'),
  zahlungen: () => import('./pages/zahlungen/pages.js'),
};

function prefetchPages(): void {
  const loaders = [...Object.values(pages), ...WEB_FAMILIES.flatMap((f) => f.prefetch ?? [])];
  for (const load of loaders) void load().catch(() => {});
}

const HANDOVER_OFFICES = new Set<string>(WEB_FAMILIES.flatMap((f) => f.handoverOffices ?? []));
const PAYMENT_OFFICES = new Set<string>(WEB_FAMILIES.flatMap((f) => f.paymentOffices ?? []));

const CasePage = lazy(() => pages.casePage().then((m) => ({ default: m.CasePage })));
const NewCase = lazy(() => pages.newCase().then((m) => ({ default: m.NewCase })));
const ChooseProcedure = lazy(() => pages.newCase().then((m) => ({ default: m.ChooseProcedure })));
const OutboxPage = lazy(() => pages.outbox().then((m) => ({ default: m.OutboxPage })));
const PasswordPage = lazy(() => pages.password().then((m) => ({ default: m.PasswordPage })));
const AdminUsers = lazy(() => pages.users().then((m) => ({ default: m.AdminUsers })));
const AdminUser = lazy(() => pages.users().then((m) => ({ default: m.AdminUser })));
const AdminNewUser = lazy(() => pages.users().then((m) => ({ default: m.AdminNewUser })));
const AdminAuthorities = lazy(() => pages.authorities().then((m) => ({ default: m.AdminAuthorities })));
const AdminAuthority = lazy(() => pages.authorities().then((m) => ({ default: m.AdminAuthority })));
const HandoverPage = lazy(() => pages.handover().then((m) => ({ default: m.HandoverPage })));
const HandoverBatchPage = lazy(() => pages.handover().then((m) => ({ default: m.HandoverBatchPage })));
const KassePage = lazy(() => pages.kasse().then((m) => ({ default: m.KassePage })));
const ZahlungslaeufePage = lazy(() => pages.zahlungen().then((m) => ({ default: m.ZahlungslaeufePage })));
const ZahlungslaufPage = lazy(() => pages.zahlungen().then((m) => ({ default: m.ZahlungslaufPage })));

/** A page that cannot be loaded (server away before it was fetched) says so instead of going blank. */
class PageErrorBoundary extends Component<{ children: ReactNode; path: string }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidUpdate(prev: { path: string }) {
    if (prev.path !== this.props.path && this.state.failed) this.setState({ failed: false });
  }
  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert">
        <h1>Seite konnte nicht geladen werden</h1>
        <p>Der Server ist vermutlich nicht erreichbar. Bitte später erneut versuchen.</p>
      </div>
    );
  }
}

function NotFound() {
  return (
    <>
      <h1>Seite nicht gefunden</h1>
      <p>
        Diese Seite gibt es nicht. <a href="/vorgaenge">Zur Arbeitsliste</a>
      </p>
    </>
  );
}

type RouteDef = [pattern: string, render: (p: Record<string, string>) => React.ReactNode, admin?: boolean];

const ROUTES: RouteDef[] = [
  ['/', () => <Worklist />],
  ['/vorgaenge', () => <Worklist />],
  ['/vorgaenge/neu', () => <ChooseProcedure />],
  ['/vorgaenge/neu/:procedureId', (p) => <NewCase procedureId={p.procedureId ?? ''} />],
  ['/vorgaenge/:id', (p) => <CasePage key={p.id} caseId={p.id ?? ''} />],
  ['/ausgang', () => <OutboxPage />],
  ['/konto/passwort', () => <PasswordPage />],
  ['/verwaltung', () => <AdminUsers />, true],
  ['/verwaltung/benutzer', () => <AdminUsers />, true],
  ['/verwaltung/benutzer/neu', () => <AdminNewUser />, true],
  ['/verwaltung/benutzer/:id', (p) => <AdminUser key={p.id} userId={p.id ?? ''} />, true],
  ['/verwaltung/behoerden', () => <AdminAuthorities />, true],
  ['/verwaltung/behoerden/:ags', (p) => <AdminAuthority key={p.ags} ags={p.ags ?? ''} />, true],
  ['/uebergabe', () => <HandoverPage />],
  ['/uebergabe/:id', (p) => <HandoverBatchPage key={p.id} batchId={p.id ?? ''} />],
  ['/kasse', () => <KassePage />],
  ['/zahlungen', () => <ZahlungslaeufePage />],
  ['/zahlungen/:id', (p) => <ZahlungslaufPage key={p.id} runId={p.id ?? ''} />],
  ...WEB_FAMILIES.flatMap((f) => f.routes ?? []),
];

/** Navigation of the families and the shared pages (handover, cash journal) for the user's offices. */
function fachNav(user: SessionInfo['user']): Array<[href: string, label: string]> {
  const offices = new Set(user.grants.map((g) => g.officeType));
  const navUser = {
    isCrisisTeam: user.isCrisisTeam === true,
    roles: new Set(user.grants.map((g) => g.role)),
  };
  const items = WEB_FAMILIES.flatMap((f) => f.nav?.(offices, navUser) ?? []);
  if ([...offices].some((o) => HANDOVER_OFFICES.has(o))) items.push(['/uebergabe', 'Übergabe']);
  if ([...offices].some((o) => PAYMENT_OFFICES.has(o))) items.push(['/zahlungen', 'Zahlungsläufe']);
  if (user.grants.length > 0) items.push(['/kasse', 'Kassenbuch']);
  return items;
}

/** The first page of a user whose offices' family names one (WebFamily.startPage); else the worklist. */
function startPageOf(user: SessionInfo['user']): string | undefined {
  const offices = new Set(user.grants.map((g) => g.officeType));
  for (const f of WEB_FAMILIES) {
    const start = f.startPage?.(offices);
    if (start) return start;
  }
  return undefined;
}

function GoTo({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Routes({ session }: { session: SessionInfo }) {
  const path = usePath();
  const start = path === '/' ? startPageOf(session.user) : undefined;
  if (start) return <GoTo to={start} />;
  for (const [pattern, render, admin] of ROUTES) {
    if (admin && !session.user.isAdmin) continue;
    const m = match(pattern, path);
    if (m) return <>{render(m)}</>;
  }
  return <NotFound />;
}

function OutboxIndicator() {
  const { entries, sent } = useOutbox();
  const pending = entries.filter((e) => e.state !== 'failed').length;
  const failed = entries.length - pending;
  if (!entries.length && !sent.length) return null;
  const parts: string[] = [];
  if (pending) parts.push(`${pending} ausstehend`);
  if (failed) parts.push(`${failed} abgelehnt`);
  if (!parts.length) parts.push(`${sent.length} gesendet`);
  return (
    <a href="/ausgang" className={`outbox-indicator${pending ? ' pending' : ''}${failed ? ' failed' : ''}`}>
      Ausgang: {parts.join(', ')}
    </a>
  );
}

function Shell({ value }: { value: SessionContextValue }) {
  const path = usePath();
  const { user } = value.session;
  const navItems: Array<[string, string]> = [
    ['/vorgaenge', 'Arbeitsliste'],
    ['/vorgaenge/neu', 'Neuer Vorgang'],
    ['/ausgang', 'Ausgang'],
  ];
  if (user.isAdmin)
    navItems.push(['/verwaltung/benutzer', 'Benutzer'], ['/verwaltung/behoerden', 'Behörden']);
  navItems.splice(2, 0, ...fachNav(user));
  navItems.push(['/konto/passwort', 'Passwort ändern']);
  const current = (href: string) =>
    href === '/vorgaenge'
      ? path === '/' || path === '/vorgaenge'
      : path === href || path.startsWith(`${href}/`);
  return (
    <SessionContext.Provider value={value}>
      <a className="skip-link" href="#inhalt">
        Zum Inhalt springen
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">Notbetrieb</span>
          <span className="brand-sub">Fachverfahren im Notbetrieb</span>
        </div>
        <div className="user">
          <span>
            Angemeldet: <strong>{user.displayName}</strong>
          </span>
          <OutboxIndicator />
          <button type="button" className="link-button" onClick={() => void value.logout()}>
            Abmelden
          </button>
        </div>
        <nav aria-label="Hauptnavigation">
          <ul>
            {navItems.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={current(href) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="inhalt" tabIndex={-1}>
        <PageErrorBoundary path={path}>
          <Suspense fallback={<Loading what="Seite" />}>
            <Routes session={value.session} />
          </Suspense>
        </PageErrorBoundary>
      </main>
    </SessionContext.Provider>
  );
}

export function App() {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const s = await api.get<SessionInfo>('/api/session', { authCall: true }).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      });
      setCsrfToken(s?.csrfToken ?? null);
      setSession(s && s.stage === 'active' ? s : null);
    } catch {
      setSession(null);
      setNotice('Der Server ist nicht erreichbar. Bitte später erneut versuchen.');
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onSessionExpired(() => {
        setOutboxUser(null);
        setSession((prev) => {
          if (prev)
            setNotice(
              'Ihre Sitzung ist abgelaufen. Ihre Eingaben sind gespeichert – bitte melden Sie sich erneut an.',
            );
          return null;
        });
      }),
    [],
  );

  useEffect(() => {
    setOutboxUser(session?.user.id ?? null);
    if (session) {
      const t = setTimeout(prefetchPages, 1000);
      return () => clearTimeout(t);
    }
  }, [session]);

  const logout = useCallback(async () => {
    const waiting = outboxSnapshot().entries.filter((e) => e.state !== 'failed').length;
    if (
      waiting > 0 &&
      !window.confirm(
        `Im Ausgang ${waiting === 1 ? 'wartet noch eine Eingabe' : `warten noch ${waiting} Eingaben`} auf den Server. Beim Abmelden ${waiting === 1 ? 'geht sie' : 'gehen sie'} verloren. Trotzdem abmelden?`,
      )
    ) {
      return;
    }
    try {
      await api.post('/api/auth/logout', {}, { authCall: true });
    } catch {
      // Logged out locally in any case.
    }
    clearAllDrafts();
    await clearOutbox().catch(() => {});
    setCsrfToken(null);
    setSession(null);
    setNotice('Sie sind abgemeldet.');
    navigate('/', { replace: true });
  }, []);

  const value = useMemo<SessionContextValue | null>(
    () => (session ? { session, logout, refresh } : null),
    [session, logout, refresh],
  );

  if (session === undefined) return <Loading what="Anmeldung" />;
  if (!value)
    return (
      <Login
        notice={notice}
        onDone={async () => {
          setNotice(null);
          await refresh();
        }}
      />
    );
  return <Shell value={value} />;
}
