// A thin React wrapper around a tree-shaken ECharts instance, shared by the big screen and the console.
// ECharts itself (./echarts) is fetched when the first chart mounts, not with the app's first load.
import { useEffect, useRef } from 'react';
import type { ComposeOption, ECharts } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

interface EChartProps {
  option: ChartOption;
  /** What the chart shows, for screen readers (the canvas itself says nothing). */
  label: string;
  /** The big screen renders at its stage scale; elsewhere the device's own ratio. */
  pixelRatio?: number;
  /** Replace the whole option on change (tables of changing series) instead of merging (live updates). */
  replace?: boolean;
  className?: string;
  style?: React.CSSProperties;
}

let echartsModule: Promise<typeof import('./echarts')> | undefined;
/** One fetch of ECharts for every chart on the page. */
const loadECharts = () => (echartsModule ??= import('./echarts'));

export function EChart({ option, label, pixelRatio, replace = false, className, style }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  // The newest option, for a chart that finishes loading after it changed.
  const latest = useRef({ option, replace });
  latest.current = { option, replace };

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    let gone = false;
    let ro: ResizeObserver | undefined;
    void loadECharts().then(({ init }) => {
      if (gone) return;
      const c = init(node, undefined, { renderer: 'canvas', ...(pixelRatio ? { devicePixelRatio: pixelRatio } : {}) });
      chart.current = c;
      c.setOption(latest.current.option, { notMerge: true });
      ro = new ResizeObserver(() => c.resize());
      ro.observe(node);
    });
    return () => {
      gone = true;
      ro?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [pixelRatio]);

  useEffect(() => {
    chart.current?.setOption(option, replace ? { notMerge: true } : { notMerge: false, lazyUpdate: true });
  }, [option, pixelRatio, replace]);

  return <div className={className} style={style} ref={el} role="img" aria-label={label} />;
}
