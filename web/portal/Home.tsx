import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { actionLabel } from '../shared/actions';
import { errorMessage } from '../shared/errors';
import { formatDateTime, formatLongDate, formatRelative } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useLogout } from '../shared/session';
import type { ResponseOf } from '../shared/api-types';
import type { CityInfo, Me } from '../shared/types';
import { Link } from 'react-router';
import { LanguageSegmented } from './LanguageToggle';
import { ElderSwitch, Shell } from './shell';
import { Section } from './ui';

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

function AccountRow({ label, value, mono, testId }: { label: string; value: string; mono?: boolean; testId?: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={mono ? 'mono' : undefined} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

export function Home({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const logout = useLogout();
  const [toast, setToast] = useState<'portal.languageSaved' | 'errors.generic' | ''>('');

  const city = useQuery({ queryKey: ['public', 'city'], queryFn: () => api.get<CityInfo>('/api/public/city'), staleTime: 10 * 60_000 });
  const activity = useQuery({
    queryKey: ['me', 'activity'],
    queryFn: () => api.get<ResponseOf<'/api/auth/me/activity'>>('/api/auth/me/activity', { limit: 10 }),
  });

  const u = me.user;
  const now = new Date();
  const onSaved = (ok: boolean) => {
    setToast(ok ? 'portal.languageSaved' : 'errors.generic');
    window.setTimeout(() => setToast(''), 2000);
  };
  const orgName = me.org ? (locale === 'en' && me.org.nameEn ? me.org.nameEn : me.org.name) : null;

  return (
    <Shell title={t('portal.account')}>
      <div className="home">
        <div className="greeting">
          <p className="greeting-line">
            {t(`portal.greeting.${greetingKey(now)}`)}
            {t('portal.comma')}
            <span data-testid="display-name">{u.displayName}</span>
          </p>
          <p className="muted small">{formatLongDate(now, locale)}</p>
        </div>
        <ul className="entry-grid">
          <li>
            <Link to="/applications" className="entry">
              <strong>{t('hall.app.mine')}</strong>
            </Link>
          </li>
          <li>
            <Link to="/notifications" className="entry">
              <strong>{t('hall.nav.notifications')}</strong>
            </Link>
          </li>
          <li>
            <Link to="/proxy" className="entry">
              <strong>{t('hall.proxy.title')}</strong>
            </Link>
          </li>
          <li>
            <Link to="/zones/elders" className="entry">
              <strong>{t('hall.nav.elders')}</strong>
            </Link>
          </li>
        </ul>
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
            <AccountRow label={t('portal.idNumber')} value={u.idNumberMasked ?? t('portal.notProvided')} mono testId="id-number" />
            <AccountRow label={t('portal.phone')} value={u.phoneMasked ?? t('portal.notProvided')} mono testId="phone" />
            {orgName && <AccountRow label={t('portal.org')} value={orgName} />}
            <AccountRow label={t('portal.mfa')} value={u.totpEnabled ? t('portal.mfaOn') : t('portal.mfaOff')} />
          </dl>
        </section>

        <Section title={t('portal.city')} extra={city.data && <span className="muted small">{t('portal.districtsCount', { count: city.data.districts.length })}</span>}>
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
                {locale === 'en' ? city.data.city?.nameEn : city.data.city?.name} · {city.data.city?.divisionCode} ·{' '}
                {t('portal.departments', { count: city.data.departmentsCount })}
              </p>
            </>
          )}
        </Section>

        <Section title={t('portal.activity')}>
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
        </Section>

        <Section title={t('portal.settings')}>
          <div className="setting-row">
            <span>{t('portal.language')}</span>
            <LanguageSegmented onSaved={onSaved} />
          </div>
        </Section>

        <Section title={t('hall.elder.setting')}>
          <div className="setting-row">
            <span>{t('hall.elder.switch')}</span>
            <ElderSwitch />
          </div>
        </Section>
        <button type="button" className="btn btn-outline-danger btn-block" onClick={() => void logout()}>
          {t('action.logout')}
        </button>
      {toast && (
        <div className="toast" role="status">
          {t(toast)}
        </div>
      )}
      </div>
    </Shell>
  );
}
