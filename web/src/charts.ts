import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ModelObjects } from './topology.js';

/** Every chart drawn and not yet disposed follows the window's size (one listener for all). */
window.addEventListener('resize', () => {
  for (const container of document.querySelectorAll<HTMLElement>('[_echarts_instance_]')) {
    echarts.getInstanceByDom(container)?.resize();
  }
});

echarts.use([
  LineChart,
  BarChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  DataZoomComponent,
  VisualMapComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

interface Txy {
  timestamps: string[];
  values: number[][];
}
type Point = [number, number];
/** A series as handed to ECharts: its name and points, and whatever else its type takes. */
type ChartSeries = { name: string; data: unknown[] } & Record<string, unknown>;

const isTxy = (value: unknown): value is Txy =>
  typeof value === 'object' && value !== null && Array.isArray((value as Txy).timestamps);

/** A time series' points (its first scenario), or none when the attribute is not a series. */
export function points(value: unknown): Point[] {
  if (!isTxy(value)) return [];
  const scenario = value.values[0] ?? [];
  return value.timestamps.map((time, i) => [Date.parse(time), scenario[i]] as Point);
}

/** A step input (a price given at a few times) drawn to the end of the horizon. */
function untilEnd(series: Point[], end: number | undefined): Point[] {
  const last = series.at(-1);
  return last && end !== undefined && last[0] < end ? [...series, [end, last[1]]] : series;
}

const BASE = {
  animation: false,
  tooltip: {
    trigger: 'axis' as const,
    valueFormatter: (v: unknown) => (typeof v === 'number' ? v.toFixed(2) : String(v)),
  },
  legend: { type: 'scroll' as const, top: 0 },
  grid: { left: 56, right: 56, top: 40, bottom: 64 },
  xAxis: { type: 'time' as const },
  dataZoom: [{ type: 'inside' as const }, { type: 'slider' as const, height: 18, bottom: 8 }],
};

/** The charts of a session's results; each container gets `data-series`: every series' points and their sum. */
export function drawCharts(inputs: ModelObjects, outputs: ModelObjects, end: number | undefined): echarts.ECharts[] {
  const charts: echarts.ECharts[] = [];
  const reservoirs = Object.keys(outputs.reservoir ?? {});
  const show = (id: string, option: echarts.EChartsCoreOption & { series: ChartSeries[] }) => {
    const container = document.getElementById(id)!;
    // What each series holds, for tests and the curious: its points and the sum of its values.
    const summary = (data: unknown[]) => ({
      points: data.length,
      sum: data.reduce<number>((total, datum) => total + Number((datum as number[]).at(-1)), 0),
    });
    container.dataset.series = JSON.stringify(Object.fromEntries(option.series.map((s) => [s.name, summary(s.data)])));
    const chart = echarts.init(container);
    chart.setOption({ ...BASE, ...option });
    charts.push(chart);
  };
  const limit = (name: string, value: unknown) =>
    typeof value === 'number'
      ? [{ name, yAxis: value, label: { formatter: `${name} ${value}`, position: 'insideEndTop' } }]
      : [];

  show('chart-storage', {
    yAxis: { type: 'value', name: 'Mm³' },
    series: reservoirs.map((name) => ({
      name,
      type: 'line',
      showSymbol: false,
      data: points(outputs.reservoir[name].storage),
      markLine: {
        symbol: 'none',
        lineStyle: { type: 'dashed' },
        data: limit(`${name} max_vol`, inputs.reservoir?.[name]?.max_vol),
      },
    })),
  });
  show('chart-level', {
    yAxis: { type: 'value', name: 'masl', scale: true },
    series: reservoirs.map((name) => ({
      name,
      type: 'line',
      showSymbol: false,
      data: points(outputs.reservoir[name].head),
      markLine: {
        symbol: 'none',
        lineStyle: { type: 'dashed' },
        data: [
          ...limit(`${name} lrl`, inputs.reservoir?.[name]?.lrl),
          ...limit(`${name} hrl`, inputs.reservoir?.[name]?.hrl),
        ],
      },
    })),
  });
  const markets = Object.keys(inputs.market ?? {});
  show('chart-production', {
    yAxis: [
      { type: 'value', name: 'MW' },
      { type: 'value', name: 'price', position: 'right', scale: true },
    ],
    series: [
      ...Object.keys(outputs.plant ?? {}).map((name) => ({
        name,
        type: 'line',
        stack: 'production',
        areaStyle: {},
        step: 'start',
        showSymbol: false,
        data: points(outputs.plant[name].production),
      })),
      ...markets.map((name) => ({
        name: `${name} sale_price`,
        type: 'line',
        step: 'start',
        yAxisIndex: 1,
        showSymbol: false,
        lineStyle: { type: 'dashed' },
        data: untilEnd(points(inputs.market[name].sale_price), end),
      })),
    ],
  });
  show('chart-market', {
    yAxis: { type: 'value', name: 'MW' },
    series: Object.keys(outputs.market ?? {}).flatMap((name) => [
      { name: `${name} sale`, type: 'bar', data: points(outputs.market[name].sale) },
      {
        name: `${name} buy`,
        type: 'bar',
        data: points(outputs.market[name].buy).map(([t, v]) => [t, -v]),
      },
    ]),
  });
  // Commitment as a grid, generators by time steps (a heatmap needs category axes).
  const generators = Object.keys(outputs.generator ?? {});
  const steps = points(outputs.generator?.[generators[0]]?.committed_out).map(([t]) => t);
  const cells = generators.flatMap((name, row) =>
    points(outputs.generator[name].committed_out).map(([, v], column) => [column, row, v]),
  );
  show('chart-commitment', {
    tooltip: {
      position: 'top',
      formatter: (p: { value: number[] }) =>
        `${generators[p.value[1]]}, ${new Date(steps[p.value[0]]).toLocaleString()}: ${p.value[2] ? 'on' : 'off'}`,
    },
    grid: { ...BASE.grid, left: 140 },
    xAxis: {
      type: 'category',
      data: steps.map((t) => new Date(t).toLocaleString([], { month: 'numeric', day: 'numeric', hour: '2-digit' })),
    },
    yAxis: { type: 'category', data: generators },
    visualMap: { min: 0, max: 1, show: false, inRange: { color: ['#e8eef2', '#c0631f'] } },
    series: [{ name: 'committed', type: 'heatmap', data: cells }],
  });
  return charts;
}
