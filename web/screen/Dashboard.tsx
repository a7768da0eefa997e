import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../shared/api';
import { formatHour, formatNumber, formatTime, formatDate } from '../shared/format';
import { useLogout } from '../shared/session';
import type { CityInfo, Locale, Me, StatsOverview } from '../shared/types';
import { EChart, type ChartOption } from './EChart';
import { LangSwitch } from './LangSwitch';
import { STAGE_H, STAGE_W, useStageScale } from './useStageScale';

const REFRESH_MS = 15_000;
const AXIS = { color: '#7f9cc7', line: 'rgba(127, 156, 199, 0.25)' };
const TOOLTIP = {
  backgroundColor: 'rgba(6, 22, 52, 0.92)',
  borderColor: 'rgba(64, 158, 255, 0.6)',
  textStyle: { color: '#e6f0ff', fontSize: 16 },
};

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
  const { t, i18n } = useTranslation();
  const locale = (i18n.language === 'en' ? 'en' : 'zh-CN') as Locale;
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
  // The stats name districts in Chinese; the public city list has their English names.
  const city = useQuery({ queryKey: ['public', 'city'], queryFn: () => api.get<CityInfo>('/api/public/city'), staleTime: Infinity });
  const districtEn = useMemo(() => new Map((city.data?.districts ?? []).map((d) => [d.code, d.nameEn])), [city.data]);

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

  const usersOption = useMemo<ChartOption | null>(() => {
    if (!s) return null;
    const kinds = ['citizen', 'enterprise', 'staff'] as const;
    return {
      tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 20, right: 24, top: 30, bottom: 10, containLabel: true },
      xAxis: {
        type: 'category',
        data: kinds.map((k) => t(`kind.${k}`)),
        axisLabel: { color: AXIS.color, fontSize: 16 },
        axisLine: { lineStyle: { color: AXIS.line } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: AXIS.color, fontSize: 14 },
        splitLine: { lineStyle: { color: AXIS.line, type: 'dashed' } },
      },
      series: [
        {
          type: 'bar',
          name: t('screen.series.users'),
          barWidth: '38%',
          data: kinds.map((k) => s.users[k]),
          label: { show: true, position: 'top', color: '#e6f0ff', fontSize: 16 },
          itemStyle: {
            borderRadius: [6, 6, 0, 0],
            color: {
              type: 'linear',
              x: 0,
              y: 0,
              x2: 0,
              y2: 1,
              colorStops: [
                { offset: 0, color: '#37e2ff' },
                { offset: 1, color: 'rgba(22, 119, 255, 0.35)' },
              ],
            },
          },
        },
      ],
    };
  }, [s, t]);

  const auditOption = useMemo<ChartOption | null>(() => {
    if (!s) return null;
    return {
      tooltip: { ...TOOLTIP, trigger: 'axis' },
      grid: { left: 16, right: 28, top: 30, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: s.auditByHour.map((h) => formatHour(h.hour, locale)),
        axisLabel: { color: AXIS.color, fontSize: 14, interval: 2 },
        axisLine: { lineStyle: { color: AXIS.line } },
        axisTick: { show: false },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: AXIS.color, fontSize: 14 },
        splitLine: { lineStyle: { color: AXIS.line, type: 'dashed' } },
      },
      series: [
        {
          type: 'line',
          name: t('screen.series.events'),
          smooth: 0.3,
          smoothMonotone: 'x',
          symbol: 'circle',
          symbolSize: 7,
          data: s.auditByHour.map((h) => h.count),
          lineStyle: { width: 3, color: '#37e2ff' },
          itemStyle: { color: '#37e2ff', borderColor: '#031027', borderWidth: 2 },
          areaStyle: {
            color: {
              type: 'linear',
              x: 0,
              y: 0,
              x2: 0,
              y2: 1,
              colorStops: [
                { offset: 0, color: 'rgba(55, 226, 255, 0.45)' },
                { offset: 1, color: 'rgba(55, 226, 255, 0.02)' },
              ],
            },
          },
        },
      ],
    };
  }, [s, t, locale]);

  const jobsOption = useMemo<ChartOption | null>(() => {
    if (!s) return null;
    const colours: Record<string, string> = { queued: '#409eff', running: '#37e2ff', done: '#36d399', dead: '#ff6b6b' };
    const statuses = ['queued', 'running', 'done', 'dead'] as const;
    return {
      tooltip: { ...TOOLTIP, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
      legend: {
        orient: 'vertical',
        right: 10,
        top: 'middle',
        textStyle: { color: '#c8d8f0', fontSize: 16 },
        itemWidth: 14,
        itemHeight: 14,
        itemGap: 18,
      },
      series: [
        {
          type: 'pie',
          name: t('screen.series.jobs'),
          radius: ['45%', '72%'],
          center: ['38%', '52%'],
          avoidLabelOverlap: true,
          itemStyle: { borderColor: '#061634', borderWidth: 3 },
          label: { show: true, color: '#e6f0ff', fontSize: 15, formatter: '{c}' },
          labelLine: { lineStyle: { color: AXIS.line } },
          data: statuses.map((k) => ({
            name: t(`screen.jobStatus.${k}`),
            value: s.jobs[k],
            itemStyle: { color: colours[k] },
            // Zero slices keep their legend entry but get no dangling label.
            ...(s.jobs[k] === 0 ? { label: { show: false }, labelLine: { show: false } } : {}),
          })),
        },
      ],
    };
  }, [s, t]);

  const districtOption = useMemo<ChartOption | null>(() => {
    if (!s) return null;
    const rows = [...s.orgsByDistrict].sort((a, b) => a.count - b.count);
    const name = (r: (typeof rows)[number]) => (locale === 'en' ? (r.nameEn ?? districtEn.get(r.code) ?? r.name) : r.name);
    return {
      tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 10, right: 50, top: 10, bottom: 10, containLabel: true },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: AXIS.color, fontSize: 14 },
        splitLine: { lineStyle: { color: AXIS.line, type: 'dashed' } },
      },
      yAxis: {
        type: 'category',
        data: rows.map(name),
        axisLabel: { color: '#c8d8f0', fontSize: 16, width: 170, overflow: 'truncate' },
        axisLine: { lineStyle: { color: AXIS.line } },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          name: t('screen.series.orgs'),
          barWidth: 16,
          data: rows.map((r) => r.count),
          label: { show: true, position: 'right', color: '#e6f0ff', fontSize: 15 },
          itemStyle: {
            borderRadius: [0, 8, 8, 0],
            color: {
              type: 'linear',
              x: 0,
              y: 0,
              x2: 1,
              y2: 0,
              colorStops: [
                { offset: 0, color: 'rgba(22, 119, 255, 0.35)' },
                { offset: 1, color: '#37e2ff' },
              ],
            },
          },
        },
      ],
    };
  }, [s, t, locale, districtEn]);

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
              {usersOption && <EChart option={usersOption} pixelRatio={pixelRatio} label={t('screen.charts.usersByKind')} />}
            </Panel>
            <Panel title={t('screen.charts.jobsByStatus')}>
              {jobsOption && <EChart option={jobsOption} pixelRatio={pixelRatio} label={t('screen.charts.jobsByStatus')} />}
            </Panel>
          </div>
          <div className="col col-center">
            <div className="tiles">
              {s
                ? tiles.map((d) => <Tile key={d.key} def={d} locale={locale} label={t(`screen.tiles.${d.key}`)} />)
                : Array.from({ length: 10 }, (_, i) => <div key={i} className="tile tile-loading" />)}
            </div>
            <Panel title={t('screen.charts.auditByHour')} className="panel-grow">
              {auditOption && <EChart option={auditOption} pixelRatio={pixelRatio} label={t('screen.charts.auditByHour')} />}
            </Panel>
          </div>
          <div className="col col-side">
            <Panel title={t('screen.charts.orgsByDistrict')} className="panel-grow">
              {districtOption && <EChart option={districtOption} pixelRatio={pixelRatio} label={t('screen.charts.orgsByDistrict')} />}
            </Panel>
          </div>
        </div>
      </div>
    </div>
  );
}
