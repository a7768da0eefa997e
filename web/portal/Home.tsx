import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { actionLabel } from '../shared/actions';
import { errorMessage } from '../shared/errors';
import { formatDateTime, formatLongDate, formatRelative } from '../shared/format';
import { useLogout } from '../shared/session';
import type { AuditEntry, CityInfo, Locale, Me } from '../shared/types';
import { LanguageSegmented, LanguageToggle } from './LanguageToggle';
import logoUrl from '../shared/favicon.svg';

function greetingKey(now: Date): string {
  const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(now));
  if (hour < 5) return 'night';
  if (hour < 11) return 'morning';
  if (hour < 13) return 'noon';
  if (hour < 18) return 'afternoon';
  return 'evening';
}

function ActivityIcon({ action }: { action: string }) {
  const cls = action.includes('fail') || action.includes('lockout') ? 'dot dot-warn' : action.startsWith('auth.') ? 'dot dot-blue' : 'dot dot-green';
  return <span className={cls} aria-hidden />;
}

export function Home({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const locale = (i18n.language === 'en' ? 'en' : 'zh-CN') as Locale;
  const logout = useLogout();
  const [toast, setToast] = useState<'portal.languageSaved' | 'errors.generic' | ''>('');

  const city = useQuery({ queryKey: ['public', 'city'], queryFn: () => api.get<CityInfo>('/api/public/city'), staleTime: 10 * 60_000 });
  const activity = useQuery({
    queryKey: ['me', 'activity'],
    queryFn: () => api.get<{ items: AuditEntry[] }>('/api/auth/me/activity', { limit: 10 }),
  });

  const u = me.user;
  const now = new Date();
  const onSaved = (ok: boolean) => {
    setToast(ok ? 'portal.languageSaved' : 'errors.generic');
    window.setTimeout(() => setToast(''), 2000);
  };
  const orgName = me.org ? (locale === 'en' && me.org.nameEn ? me.org.nameEn : me.org.name) : null;

  return (
    <div className="home">
      <header className="home-header">
        <div className="home-bar">
          <div className="brand">
            <img src={logoUrl} alt="" className="brand-logo" width={26} height={26} />
            <span>{t('portal.title')}</span>
          </div>
          <LanguageToggle light onSaved={onSaved} />
        </div>
        <div className="greeting">
          <h1>
            {t(`portal.greeting.${greetingKey(now)}`)}
            {t('portal.comma')}
            <span data-testid="display-name">{u.displayName}</span>
          </h1>
          <p>{formatLongDate(now, locale)}</p>
        </div>
      </header>

      <main className="home-main">
        <section className="account-card" aria-label={t('portal.account')}>
          <div className="account-top">
            <div className="avatar" aria-hidden>
              {u.displayName.slice(0, 1)}
            </div>
            <div className="account-name">
              <strong>{u.displayName}</strong>
              <span className="muted-light">@{u.username}</span>
            </div>
            <span className="kind-badge" data-testid="account-kind">
              {t(`kind.${u.kind}`)}
            </span>
          </div>
          <dl className="account-rows">
            <div>
              <dt>{t('portal.idNumber')}</dt>
              <dd className="mono" data-testid="id-number">
                {u.idNumberMasked ?? t('portal.notProvided')}
              </dd>
            </div>
            <div>
              <dt>{t('portal.phone')}</dt>
              <dd className="mono" data-testid="phone">
                {u.phoneMasked ?? t('portal.notProvided')}
              </dd>
            </div>
            {orgName && (
              <div>
                <dt>{t('portal.org')}</dt>
                <dd>{orgName}</dd>
              </div>
            )}
            <div>
              <dt>{t('portal.mfa')}</dt>
              <dd>{u.totpEnabled ? t('portal.mfaOn') : t('portal.mfaOff')}</dd>
            </div>
          </dl>
        </section>

        <section className="card section">
          <div className="section-head">
            <h2>{t('portal.city')}</h2>
            {city.data && <span className="muted small">{t('portal.districtsCount', { count: city.data.districts.length })}</span>}
          </div>
          {city.isPending && <div className="skeleton-grid" aria-busy="true" />}
          {city.isError && <p className="alert">{errorMessage(city.error, t)}</p>}
          {city.data && (
            <>
              <ul className="district-grid" data-testid="districts">
                {city.data.districts.map((d) => (
                  <li key={d.code}>
                    <span className="district-name">{locale === 'en' ? d.nameEn : d.name}</span>
                    <span className="district-code">{d.code}</span>
                  </li>
                ))}
              </ul>
              <p className="muted small city-foot">
                {locale === 'en' ? city.data.city.nameEn : city.data.city.name} · {city.data.city.divisionCode} ·{' '}
                {t('portal.departments', { count: city.data.departmentsCount })}
              </p>
            </>
          )}
        </section>

        <section className="card section">
          <div className="section-head">
            <h2>{t('portal.activity')}</h2>
          </div>
          {activity.isPending && <div className="skeleton-list" aria-busy="true" />}
          {activity.isError && <p className="muted">{t('portal.activityError')}</p>}
          {activity.data && activity.data.items.length === 0 && <p className="muted">{t('portal.activityEmpty')}</p>}
          {activity.data && activity.data.items.length > 0 && (
            <ul className="activity" data-testid="activity">
              {activity.data.items.map((a) => (
                <li key={a.seq}>
                  <ActivityIcon action={a.action} />
                  <div className="activity-body">
                    <span className="activity-title">{actionLabel(a.action, locale)}</span>
                    <span className="muted small">
                      {formatDateTime(a.at, locale, false)}
                      {a.ip ? ` · ${t('portal.fromIp', { ip: a.ip })}` : ''}
                    </span>
                  </div>
                  <span className="muted small activity-rel">{formatRelative(a.at, locale)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="card section">
          <div className="section-head">
            <h2>{t('portal.settings')}</h2>
          </div>
          <div className="setting-row">
            <span>{t('portal.language')}</span>
            <LanguageSegmented onSaved={onSaved} />
          </div>
        </section>

        <button type="button" className="btn btn-outline-danger btn-block" onClick={() => void logout()}>
          {t('action.logout')}
        </button>
        <footer className="footer muted small">{t('portal.footer')}</footer>
      </main>
      {toast && (
        <div className="toast" role="status">
          {t(toast)}
        </div>
      )}
    </div>
  );
}
