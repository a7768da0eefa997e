import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useSearchParams } from 'react-router';
import { useSession } from '../shared/session';
import { errorMessage } from '../shared/errors';
import { Login } from './Login';
import { LanguageToggle } from './LanguageToggle';
import { HallHome } from './HallHome';
import { PageLoading, Shell, useElderClass } from './shell';

// The service hall and the sign-in form come with the first load; every other page is its own
// chunk, fetched when its route is first visited (docs/ARCHITECTURE.md, "Web apps").
const Home = lazy(() => import('./Home').then((m) => ({ default: m.Home })));
const Register = lazy(() => import('./Register').then((m) => ({ default: m.Register })));
const Search = lazy(() => import('./Search').then((m) => ({ default: m.Search })));
const browse = () => import('./Browse');
const BrowseIndex = lazy(() => browse().then((m) => ({ default: m.BrowseIndex })));
const Departments = lazy(() => browse().then((m) => ({ default: m.Departments })));
const HallPage = lazy(() => browse().then((m) => ({ default: m.HallPage })));
const Halls = lazy(() => browse().then((m) => ({ default: m.Halls })));
const LifeEvents = lazy(() => browse().then((m) => ({ default: m.LifeEvents })));
const ZonePage = lazy(() => browse().then((m) => ({ default: m.ZonePage })));
const Zones = lazy(() => browse().then((m) => ({ default: m.Zones })));
const ItemPage = lazy(() => import('./ItemPage').then((m) => ({ default: m.ItemPage })));
const applications = () => import('./Applications');
const ApplicationPage = lazy(() => applications().then((m) => ({ default: m.ApplicationPage })));
const ApplicationsList = lazy(() => applications().then((m) => ({ default: m.ApplicationsList })));
const Notifications = lazy(() => import('./Notifications').then((m) => ({ default: m.Notifications })));
const Proxy = lazy(() => import('./Proxy').then((m) => ({ default: m.Proxy })));
const bundles = () => import('./Bundles');
const BundleApplicationPage = lazy(() => bundles().then((m) => ({ default: m.BundleApplicationPage })));
const BundlePage = lazy(() => bundles().then((m) => ({ default: m.BundlePage })));
const CreditApp = lazy(() => import('./credit/CreditApp').then((m) => ({ default: m.CreditApp })));
const CodeApp = lazy(() => import('./code/CodeApp').then((m) => ({ default: m.CodeApp })));
const wallet = () => import('./wallet/WalletApp');
const VerifierApp = lazy(() => wallet().then((m) => ({ default: m.VerifierApp })));
const WalletApp = lazy(() => wallet().then((m) => ({ default: m.WalletApp })));
const SealApp = lazy(() => import('./seal/SealApp').then((m) => ({ default: m.SealApp })));

function NotFound() {
  const { t } = useTranslation();
  return (
    <Shell>
      <div className="card empty-card">
        <div className="big-icon" aria-hidden>
          404
        </div>
        <h1>{t('portal.notFound')}</h1>
        <p className="muted">{t('portal.notFoundHint')}</p>
        <a className="btn btn-primary" href="/">
          {t('portal.goHome')}
        </a>
      </div>
    </Shell>
  );
}

/** Only a local path may follow a sign-in, never another site. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function LoginRoute({ me, signedIn }: { me: ReturnType<typeof useSession>; signedIn: boolean }) {
  const [params] = useSearchParams();
  return <SessionGate me={me}>{signedIn ? <Navigate to={safeNext(params.get('next'))} replace /> : <Login me={me.data} />}</SessionGate>;
}

/** Waits for the session before showing a page, and offers a retry when it could not be loaded. */
function SessionGate({ me, children }: { me: ReturnType<typeof useSession>; children: ReactNode }) {
  const { t } = useTranslation();
  if (me.isPending) {
    return (
      <div className="page page-center" aria-busy="true">
        <div className="spinner" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="page page-center">
        <div className="card empty-card">
          <h1>{t('portal.loadFailed')}</h1>
          <p className="muted">{errorMessage(me.error, t)}</p>
          <button className="btn btn-primary" onClick={() => void me.refetch()}>
            {t('action.retry')}
          </button>
          <div className="top-right">
            <LanguageToggle />
          </div>
        </div>
      </div>
    );
  }
  return children;
}

export function App() {
  const me = useSession();
  useElderClass();
  const signedIn = !!me.data && !me.data.mfaPending;
  const home = <SessionGate me={me}>{me.data?.mfaPending ? <Login me={me.data} /> : <HallHome me={signedIn ? me.data! : null} />}</SessionGate>;
  /** Pages for a signed-in person: the login form first, then back here. */
  const mine = (page: ReactNode) => <SessionGate me={me}>{signedIn ? page : <Login me={me.data} />}</SessionGate>;
  return (
    <Suspense fallback={<PageLoading />}>
      <Routes>
        <Route path="/" element={home} />
        <Route path="/index.html" element={home} />
        <Route path="/login" element={<LoginRoute me={me} signedIn={signedIn} />} />
        <Route path="/account" element={mine(<Home me={me.data!} />)} />
        <Route path="/search" element={<Search />} />
        <Route path="/browse" element={<BrowseIndex />} />
        <Route path="/departments" element={<Departments />} />
        <Route path="/halls" element={<Halls />} />
        <Route path="/halls/:code" element={<HallPage />} />
        <Route path="/zones" element={<Zones />} />
        <Route path="/zones/:code" element={<ZonePage />} />
        <Route path="/life-events" element={<LifeEvents />} />
        <Route path="/items/:code" element={<SessionGate me={me}><ItemPage /></SessionGate>} />
        <Route path="/bundles/:code" element={<SessionGate me={me}><BundlePage /></SessionGate>} />
        <Route path="/applications" element={mine(<ApplicationsList />)} />
        <Route path="/applications/:id" element={mine(<ApplicationPage />)} />
        <Route path="/bundle-applications/:id" element={mine(<BundleApplicationPage />)} />
        <Route path="/notifications" element={mine(<Notifications />)} />
        <Route path="/proxy" element={mine(<Proxy />)} />
        {/* Someone already signed in has an account: registering again makes no sense. */}
        <Route path="/register" element={<SessionGate me={me}>{signedIn ? <Navigate to="/" replace /> : <Register />}</SessionGate>} />
        {/* Credit: the lookup is public; repair and profile ask for a sign-in in place. */}
        <Route path="/credit/*" element={<CreditApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
        <Route path="/code/*" element={<CodeApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
        <Route path="/wallet/*" element={<WalletApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
        <Route path="/verifier/*" element={<VerifierApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
        <Route path="/seal/*" element={<SealApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}
