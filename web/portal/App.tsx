import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { useSession } from '../shared/session';
import { errorMessage } from '../shared/errors';
import { Login } from './Login';
import { Home } from './Home';
import { Register } from './Register';
import { LanguageToggle } from './LanguageToggle';
import { CreditApp } from './credit/CreditApp';

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page page-center">
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
    </div>
  );
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
  const signedIn = !!me.data && !me.data.mfaPending;
  const home = <SessionGate me={me}>{signedIn ? <Home me={me.data!} /> : <Login me={me.data} />}</SessionGate>;
  return (
    <Routes>
      <Route path="/" element={home} />
      <Route path="/index.html" element={home} />
      {/* Someone already signed in has an account: registering again makes no sense. */}
      <Route path="/register" element={<SessionGate me={me}>{signedIn ? <Navigate to="/" replace /> : <Register />}</SessionGate>} />
      {/* Credit: the lookup is public; repair and profile ask for a sign-in in place. */}
      <Route path="/credit/*" element={<CreditApp me={me} signIn={<SessionGate me={me}><Login me={me.data} /></SessionGate>} />} />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}
