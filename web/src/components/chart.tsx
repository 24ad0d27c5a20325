import { BarChart, HeatmapChart, LineChart, PieChart, SankeyChart, ScatterChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useLayoutEffect, useRef } from 'react';

echarts.use([
  BarChart,
  PieChart,
  HeatmapChart,
  ScatterChart,
  LineChart,
  SankeyChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  TitleComponent,
  MarkLineComponent,
  DatasetComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;
export type ChartClick = {
  name?: string;
  seriesName?: string;
  data?: unknown;
  dataIndex?: number;
  value?: unknown;
};

/** Users who ask their system for less motion get charts without animation. */
function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;
}

/**
 * One ECharts chart (tree-shaken through echarts/core), resized with its container.
 * `data-chart` names it for tests, which read whether it drew via `data-drawn`.
 */
export function Chart({
  option,
  height = 320,
  name,
  onClick,
}: {
  option: ChartOption;
  height?: number;
  name: string;
  onClick?: (params: ChartClick) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    chart.on('click', (params) => clickRef.current?.(params as ChartClick));
    chart.on('finished', () => el.setAttribute('data-drawn', 'true'));
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  // A layout effect: the chart takes its new option in the same commit as the rest of the page,
  // so `data-drawn` never describes an earlier option next to new surroundings.
  useLayoutEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    ref.current?.removeAttribute('data-drawn');
    chart.setOption(reducedMotion() ? { ...option, animation: false } : option, { notMerge: true });
  }, [option]);

  return <div ref={ref} data-chart={name} style={{ width: '100%', height }} />;
}
