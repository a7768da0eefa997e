// The console's statistics charts: the shared ECharts wrapper at a fixed height, replacing the option on change.
import { EChart, type ChartOption } from '../../shared/EChart';

export type ConsoleChartOption = ChartOption;

export function Chart({ option, label, height = 300 }: { option: ConsoleChartOption; label: string; height?: number }) {
  return <EChart option={option} label={label} replace style={{ height, width: '100%' }} />;
}
