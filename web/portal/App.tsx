import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useAuthWatch, useLocaleFromAccount, useMe } from '../shared/session';
import { errorMessage } from '../shared/errors';
import { Login } from './Login';
import { Home } from './Home';
import { LanguageToggle } from './LanguageToggle';

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

export function App() {
  const qc = useQueryClient();
  const { t } = useTranslation();
  useAuthWatch(qc);
  const me = useMe();
  useLocaleFromAccount(me.data);

  if (location.pathname !== '/' && location.pathname !== '/index.html') return <NotFound />;

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
  if (!me.data || me.data.mfaPending) return <Login me={me.data} />;
  return <Home me={me.data} />;
}
