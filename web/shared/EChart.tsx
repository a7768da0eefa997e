// A thin React wrapper around a tree-shaken ECharts instance, shared by the big screen and the console.
import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

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

export function EChart({ option, label, pixelRatio, replace = false, className, style }: EChartProps) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current, undefined, { renderer: 'canvas', ...(pixelRatio ? { devicePixelRatio: pixelRatio } : {}) });
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [pixelRatio]);

  useEffect(() => {
    chart.current?.setOption(option, replace ? { notMerge: true } : { notMerge: false, lazyUpdate: true });
  }, [option, pixelRatio, replace]);

  return <div className={className} style={style} ref={el} role="img" aria-label={label} />;
}
