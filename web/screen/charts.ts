// The big screen's chart options: one dark theme, built from a few pieces so every chart matches.
import type { TFunction } from 'i18next';
import { formatHour } from '../shared/format';
import type { Locale, StatsOverview } from '../shared/types';
import type { ChartOption } from '../shared/EChart';

const AXIS = { color: '#7f9cc7', line: 'rgba(127, 156, 199, 0.25)' };
const INK = '#e6f0ff';
const LEGEND_INK = '#c8d8f0';
const CYAN = '#37e2ff';
const BLUE_FADED = 'rgba(22, 119, 255, 0.35)';
const TOOLTIP = {
  backgroundColor: 'rgba(6, 22, 52, 0.92)',
  borderColor: 'rgba(64, 158, 255, 0.6)',
  textStyle: { color: INK, fontSize: 16 },
};
const JOB_COLOURS = { queued: '#409eff', running: CYAN, done: '#36d399', dead: '#ff6b6b' } as const;

type Grid = { left: number; right: number; top: number; bottom: number };
type AxisLabel = { color?: string; fontSize?: number; interval?: number; width?: number; overflow?: 'truncate' };

/** A two-stop gradient running down (vertical) or to the right (horizontal). */
function gradient(direction: 'down' | 'right', from: string, to: string) {
  return {
    type: 'linear' as const,
    x: 0,
    y: 0,
    x2: direction === 'right' ? 1 : 0,
    y2: direction === 'down' ? 1 : 0,
    colorStops: [
      { offset: 0, color: from },
      { offset: 1, color: to },
    ],
  };
}

function valueAxis() {
  return { type: 'value' as const, minInterval: 1, axisLabel: { color: AXIS.color, fontSize: 14 }, splitLine: { lineStyle: { color: AXIS.line, type: 'dashed' as const } } };
}

function categoryAxis(data: string[], label: AxisLabel = {}, boundaryGap = true) {
  return {
    type: 'category' as const,
    boundaryGap,
    data,
    axisLabel: { color: AXIS.color, fontSize: 14, ...label },
    axisLine: { lineStyle: { color: AXIS.line } },
    axisTick: { show: false },
  };
}

/** Bars with their value printed at the end: upright, or lying down with the names on the left. */
function barChart(o: { horizontal: boolean; categories: string[]; values: number[]; name: string; grid: Grid; barWidth: number | string; valueSize: number; categoryLabel: AxisLabel }): ChartOption {
  const categories = categoryAxis(o.categories, o.categoryLabel);
  return {
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { ...o.grid, containLabel: true },
    xAxis: o.horizontal ? valueAxis() : categories,
    yAxis: o.horizontal ? categories : valueAxis(),
    series: [
      {
        type: 'bar',
        name: o.name,
        barWidth: o.barWidth,
        data: o.values,
        label: { show: true, position: o.horizontal ? 'right' : 'top', color: INK, fontSize: o.valueSize },
        itemStyle: o.horizontal
          ? { borderRadius: [0, 8, 8, 0], color: gradient('right', BLUE_FADED, CYAN) }
          : { borderRadius: [6, 6, 0, 0], color: gradient('down', CYAN, BLUE_FADED) },
      },
    ],
  };
}

export function usersChart(s: StatsOverview, t: TFunction): ChartOption {
  const kinds = ['citizen', 'enterprise', 'staff'] as const;
  return barChart({
    horizontal: false,
    categories: kinds.map((k) => t(`kind.${k}`)),
    values: kinds.map((k) => s.users[k]),
    name: t('screen.series.users'),
    grid: { left: 20, right: 24, top: 30, bottom: 10 },
    barWidth: '38%',
    valueSize: 16,
    categoryLabel: { fontSize: 16 },
  });
}

/** Organisations per district, fewest at the bottom; district names in the UI language. */
export function districtsChart(s: StatsOverview, t: TFunction, locale: Locale): ChartOption {
  const rows = [...s.orgsByDistrict].sort((a, b) => a.count - b.count);
  return barChart({
    horizontal: true,
    categories: rows.map((r) => (locale === 'en' && r.nameEn ? r.nameEn : r.name)),
    values: rows.map((r) => r.count),
    name: t('screen.series.orgs'),
    grid: { left: 10, right: 50, top: 10, bottom: 10 },
    barWidth: 16,
    valueSize: 15,
    categoryLabel: { color: LEGEND_INK, fontSize: 16, width: 170, overflow: 'truncate' },
  });
}

export function auditChart(s: StatsOverview, t: TFunction, locale: Locale): ChartOption {
  return {
    tooltip: { ...TOOLTIP, trigger: 'axis' },
    grid: { left: 16, right: 28, top: 30, bottom: 8, containLabel: true },
    xAxis: categoryAxis(
      s.auditByHour.map((h) => formatHour(h.hour, locale)),
      { interval: 2 },
      false,
    ),
    yAxis: valueAxis(),
    series: [
      {
        type: 'line',
        name: t('screen.series.events'),
        smooth: 0.3,
        smoothMonotone: 'x',
        symbol: 'circle',
        symbolSize: 7,
        data: s.auditByHour.map((h) => h.count),
        lineStyle: { width: 3, color: CYAN },
        itemStyle: { color: CYAN, borderColor: '#031027', borderWidth: 2 },
        areaStyle: { color: gradient('down', 'rgba(55, 226, 255, 0.45)', 'rgba(55, 226, 255, 0.02)') },
      },
    ],
  };
}

export function jobsChart(s: StatsOverview, t: TFunction): ChartOption {
  const statuses = ['queued', 'running', 'done', 'dead'] as const;
  return {
    tooltip: { ...TOOLTIP, trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { orient: 'vertical', right: 10, top: 'middle', textStyle: { color: LEGEND_INK, fontSize: 16 }, itemWidth: 14, itemHeight: 14, itemGap: 18 },
    series: [
      {
        type: 'pie',
        name: t('screen.series.jobs'),
        radius: ['45%', '72%'],
        center: ['38%', '52%'],
        avoidLabelOverlap: true,
        itemStyle: { borderColor: '#061634', borderWidth: 3 },
        label: { show: true, color: INK, fontSize: 15, formatter: '{c}' },
        labelLine: { lineStyle: { color: AXIS.line } },
        data: statuses.map((k) => ({
          name: t(`screen.jobStatus.${k}`),
          value: s.jobs[k],
          itemStyle: { color: JOB_COLOURS[k] },
          // Zero slices keep their legend entry but get no dangling label.
          ...(s.jobs[k] === 0 ? { label: { show: false }, labelLine: { show: false } } : {}),
        })),
      },
    ],
  };
}
