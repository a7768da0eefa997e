// The chart wrapper: ECharts arrives by dynamic import and draws the option it is given.
// jsdom has no canvas (HTMLCanvasElement.getContext is not implemented), so ECharts' canvas
// renderer cannot run here: only the tree-shaken ECharts module (./echarts) is replaced, by a
// recorder of what the wrapper asks of it.
import { describe, expect, it, vi, beforeEach } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { EChart, type ChartOption } from './EChart';

const { chart, init } = vi.hoisted(() => {
  const chart = { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
  return { chart, init: vi.fn((..._args: unknown[]) => chart) };
});
vi.mock('./echarts', () => ({ init }));

const bars: ChartOption = { xAxis: { type: 'category', data: ['市南区', '市北区'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [3, 4] }] };

describe('EChart', () => {
  beforeEach(() => {
    init.mockClear();
    chart.setOption.mockClear();
    chart.dispose.mockClear();
  });

  it('is an image with its label for screen readers, and draws the option once ECharts has loaded', async () => {
    render(<EChart option={bars} label="各区机构数" pixelRatio={2} className="chart" />);
    const img = screen.getByRole('img', { name: '各区机构数' });
    expect(img.className).toBe('chart');
    await waitFor(() => expect(init).toHaveBeenCalledTimes(1));
    expect(init.mock.calls[0][0]).toBe(img);
    expect(init.mock.calls[0][2]).toEqual({ renderer: 'canvas', devicePixelRatio: 2 });
    expect(chart.setOption).toHaveBeenCalledWith(bars, { notMerge: true });
  });

  it('merges a new option for live updates, or replaces it when asked', async () => {
    const { rerender } = render(<EChart option={bars} label="图" />);
    await waitFor(() => expect(init).toHaveBeenCalled());
    const next: ChartOption = { ...bars, series: [{ type: 'bar', data: [5, 6] }] };
    rerender(<EChart option={next} label="图" />);
    expect(chart.setOption).toHaveBeenLastCalledWith(next, { notMerge: false, lazyUpdate: true });
    const again: ChartOption = { ...bars, series: [{ type: 'line', data: [1, 2] }] };
    rerender(<EChart option={again} label="图" replace />);
    expect(chart.setOption).toHaveBeenLastCalledWith(again, { notMerge: true });
  });

  it('disposes of its chart when it goes, and never draws when it went before ECharts arrived', async () => {
    const first = render(<EChart option={bars} label="图" />);
    await waitFor(() => expect(init).toHaveBeenCalledTimes(1));
    first.unmount();
    expect(chart.dispose).toHaveBeenCalledTimes(1);

    init.mockClear();
    const second = render(<EChart option={bars} label="图" />);
    second.unmount();
    await new Promise((r) => setTimeout(r, 20));
    expect(init).not.toHaveBeenCalled();
  });
});
