import { useTranslation } from 'react-i18next';
import { errorMessage } from '../shared/errors';
import { hasPermission, useLogout, useSession } from '../shared/session';
import { ScreenLogin } from './ScreenLogin';
import { Dashboard } from './Dashboard';
import { LangSwitch } from './LangSwitch';

export function ScreenApp() {
  const { t } = useTranslation();
  const me = useSession();
  const logout = useLogout();

  if (me.isPending) {
    return (
      <div className="screen-center">
        <div className="pulse-ring" aria-busy="true" />
      </div>
    );
  }
  if (me.isError) {
    return (
      <div className="screen-center">
        <div className="glass-card">
          <p>{errorMessage(me.error, t)}</p>
          <button className="neon-btn" onClick={() => void me.refetch()}>
            {t('action.retry')}
          </button>
        </div>
      </div>
    );
  }
  if (!me.data || me.data.mfaPending) return <ScreenLogin me={me.data} />;
  if (!hasPermission(me.data, 'stats.read')) {
    return (
      <div className="screen-center">
        <div className="glass-card" role="alert">
          <h2>{t('screen.title')}</h2>
          <p className="warn-text">{t('screen.noPermission')}</p>
          <p className="dim">
            {me.data.user.displayName} (@{me.data.user.username})
          </p>
          <div className="row-gap">
            <button className="neon-btn" onClick={() => void logout()}>
              {t('action.logout')}
            </button>
            <LangSwitch />
          </div>
        </div>
      </div>
    );
  }
  return <Dashboard me={me.data} />;
}
