import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { formatNumber, formatTime, formatDate } from '../shared/format';
import { useLocale } from '../shared/i18n';
import { useLogout } from '../shared/session';
import type { Locale, Me, StatsOverview } from '../shared/types';
import { auditChart, districtsChart, jobsChart, usersChart } from './charts';
import { EChart } from '../shared/EChart';
import { LangSwitch } from './LangSwitch';
import { STAGE_H, STAGE_W, useStageScale } from './useStageScale';

const REFRESH_MS = 15_000;

function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), 1000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

function weekday(now: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', weekday: 'long' }).format(now);
}

function Clock({ locale }: { locale: Locale }) {
  const now = useNow();
  return (
    <div className="clock" data-testid="clock">
      <span className="clock-time">{formatTime(now, locale)}</span>
      <span className="clock-date">
        {formatDate(now, locale)} {weekday(now, locale)}
        <small> · UTC+8</small>
      </span>
    </div>
  );
}

interface TileDef {
  key: string;
  value: number;
  accent?: 'warn' | 'ok';
  sub?: string;
}

function Tile({ def, locale, label }: { def: TileDef; locale: Locale; label: string }) {
  return (
    <div className={`tile${def.accent ? ` tile-${def.accent}` : ''}`} data-testid={`tile-${def.key}`}>
      <span className="tile-label">{label}</span>
      <span className="tile-value" data-value={def.value}>
        {formatNumber(def.value, locale)}
      </span>
      {def.sub && <span className="tile-sub">{def.sub}</span>}
    </div>
  );
}

function Panel({ title, children, className }: { title: string; children: ReactNode; className?: string }) {
  return (
    <section className={`panel${className ? ` ${className}` : ''}`}>
      <header className="panel-head">
        <span className="panel-mark" aria-hidden />
        <h2>{title}</h2>
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Dashboard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const scale = useStageScale();
  const pixelRatio = Math.max(1, (window.devicePixelRatio || 1) * Math.max(scale, 1));
  const logout = useLogout();

  const stats = useQuery({
    queryKey: ['stats', 'overview'],
    queryFn: () => api.get<StatsOverview>('/api/stats/overview'),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
  });
  const s = stats.data;

  const tiles: TileDef[] = s
    ? [
        { key: 'districts', value: s.orgs.district },
        { key: 'departments', value: s.orgs.department },
        { key: 'enterprises', value: s.orgs.enterprise },
        { key: 'citizens', value: s.users.citizen },
        { key: 'staff', value: s.users.staff },
        { key: 'sessions', value: s.sessionsActive, accent: 'ok' },
        { key: 'apiKeys', value: s.apiKeysActive },
        { key: 'jobsQueued', value: s.jobs.queued },
        { key: 'jobsDead', value: s.jobs.dead, accent: s.jobs.dead > 0 ? 'warn' : undefined },
        { key: 'audit', value: s.audit.total, sub: t('screen.last24h', { count: s.audit.last24h }) },
      ]
    : [];

  const usersOption = useMemo(() => (s ? usersChart(s, t) : null), [s, t]);
  const auditOption = useMemo(() => (s ? auditChart(s, t, locale) : null), [s, t, locale]);
  const jobsOption = useMemo(() => (s ? jobsChart(s, t) : null), [s, t]);
  const districtOption = useMemo(() => (s ? districtsChart(s, t, locale) : null), [s, t, locale]);

  const offsetX = Math.max(0, (window.innerWidth - STAGE_W * scale) / 2);
  const offsetY = Math.max(0, (window.innerHeight - STAGE_H * scale) / 2);

  return (
    <div className="viewport">
      <div
        className="stage"
        style={{ width: STAGE_W, height: STAGE_H, transform: `translate(${offsetX}px, ${offsetY}px) scale(${scale})` }}
        data-testid="stage"
      >
        <header className="stage-head">
          <div className="head-left">
            <Clock locale={locale} />
          </div>
          <div className="head-title">
            <h1>{t('screen.title')}</h1>
            <p>{t('screen.subtitle')}</p>
          </div>
          <div className="head-right">
            <div className="status-line">
              {stats.isError ? (
                <span className="badge-warn" role="status">
                  {t('screen.stale')}
                </span>
              ) : (
                <span className="live-dot" aria-hidden />
              )}
              <span data-testid="updated-at">{s ? t('screen.updatedAt', { time: formatTime(s.generatedAt, locale) }) : t('loading')}</span>
              <span className="dim"> · {t('screen.refreshEvery')}</span>
            </div>
            <div className="user-line">
              <span>{me.user.displayName}</span>
              <LangSwitch />
              <button type="button" className="ghost-btn" onClick={() => void logout()}>
                {t('action.logout')}
              </button>
            </div>
          </div>
        </header>

        <div className="stage-body">
          <div className="col col-side">
            <Panel title={t('screen.charts.usersByKind')}>
              {usersOption && <EChart className="chart" option={usersOption} pixelRatio={pixelRatio} label={t('screen.charts.usersByKind')} />}
            </Panel>
            <Panel title={t('screen.charts.jobsByStatus')}>
              {jobsOption && <EChart className="chart" option={jobsOption} pixelRatio={pixelRatio} label={t('screen.charts.jobsByStatus')} />}
            </Panel>
          </div>
          <div className="col col-center">
            <div className="tiles">
              {s
                ? tiles.map((d) => <Tile key={d.key} def={d} locale={locale} label={t(`screen.tiles.${d.key}`)} />)
                : Array.from({ length: 10 }, (_, i) => <div key={i} className="tile tile-loading" />)}
            </div>
            <Panel title={t('screen.charts.auditByHour')} className="panel-grow">
              {auditOption && <EChart className="chart" option={auditOption} pixelRatio={pixelRatio} label={t('screen.charts.auditByHour')} />}
            </Panel>
          </div>
          <div className="col col-side">
            <Panel title={t('screen.charts.orgsByDistrict')} className="panel-grow">
              {districtOption && <EChart className="chart" option={districtOption} pixelRatio={pixelRatio} label={t('screen.charts.orgsByDistrict')} />}
            </Panel>
          </div>
        </div>
      </div>
    </div>
  );
}
