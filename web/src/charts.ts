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
import {
  type ChartSeries,
  type Plotted,
  type ScenarioDisplay,
  meanPoints,
  points,
  scenarioSeries,
} from './scenario-series.js';
import { type Point, scenarioCount } from './scenarios.js';
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

/** ECharts' default palette: a multi-scenario series' band takes the colour of its mean line. */
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];

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

/** What `drawCharts` drew: the charts, and the most scenarios one of their series holds. */
export interface DrawnCharts {
  charts: echarts.ECharts[];
  scenarios: number;
}

/**
 * The charts of a session's results; each container gets `data-series`: every series' points and
 * the sum of its values (keyed by id when it has one). A series of several scenarios is drawn as
 * `display` says; the commitment grid shows the share of scenarios in which a unit is on.
 */
export function drawCharts(
  inputs: ModelObjects,
  outputs: ModelObjects,
  end: number | undefined,
  display: ScenarioDisplay = 'band',
): DrawnCharts {
  const charts: echarts.ECharts[] = [];
  let mostScenarios = 0;
  const reservoirs = Object.keys(outputs.reservoir ?? {});
  const scenarioObjects = inputs.scenario;
  const plot = (plotted: Plotted[]) =>
    plotted.flatMap((one, i) => {
      mostScenarios = Math.max(mostScenarios, scenarioCount(one.value));
      return scenarioSeries(one, display, scenarioObjects, PALETTE[i % PALETTE.length]);
    });
  const show = (id: string, option: echarts.EChartsCoreOption & { series: ChartSeries[] }) => {
    const container = document.getElementById(id)!;
    // What each series holds, for tests and the curious: its points and the sum of its values.
    const summary = (data: unknown[]) => ({
      points: data.length,
      sum: data.reduce<number>((total, datum) => total + Number((datum as number[]).at(-1)), 0),
    });
    container.dataset.series = JSON.stringify(
      Object.fromEntries(option.series.map((s) => [s.id ?? s.name, summary(s.data)])),
    );
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
    series: plot(
      reservoirs.map((name) => ({
        name,
        value: outputs.reservoir[name].storage,
        style: {
          type: 'line',
          showSymbol: false,
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed' },
            data: limit(`${name} max_vol`, inputs.reservoir?.[name]?.max_vol),
          },
        },
      })),
    ),
  });
  show('chart-level', {
    yAxis: { type: 'value', name: 'masl', scale: true },
    series: plot(
      reservoirs.map((name) => ({
        name,
        value: outputs.reservoir[name].head,
        style: {
          type: 'line',
          showSymbol: false,
          markLine: {
            symbol: 'none',
            lineStyle: { type: 'dashed' },
            data: [
              ...limit(`${name} lrl`, inputs.reservoir?.[name]?.lrl),
              ...limit(`${name} hrl`, inputs.reservoir?.[name]?.hrl),
            ],
          },
        },
      })),
    ),
  });
  const markets = Object.keys(inputs.market ?? {});
  show('chart-production', {
    yAxis: [
      { type: 'value', name: 'MW' },
      { type: 'value', name: 'price', position: 'right', scale: true },
    ],
    series: plot([
      ...Object.keys(outputs.plant ?? {}).map((name) => ({
        name,
        value: outputs.plant[name].production,
        style: { type: 'line', stack: 'production', areaStyle: {}, step: 'start', showSymbol: false },
      })),
      ...markets.map((name) => ({
        name: `${name} sale_price`,
        value: inputs.market[name].sale_price,
        style: { type: 'line', step: 'start', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dashed' } },
        adjust: (series: Point[]) => untilEnd(series, end),
      })),
    ]),
  });
  show('chart-market', {
    yAxis: { type: 'value', name: 'MW' },
    series: plot(
      Object.keys(outputs.market ?? {}).flatMap((name) => [
        { name: `${name} sale`, value: outputs.market[name].sale, style: { type: 'bar' } },
        {
          name: `${name} buy`,
          value: outputs.market[name].buy,
          style: { type: 'bar' },
          adjust: (series: Point[]) => series.map(([t, v]): Point => [t, -v]),
        },
      ]),
    ),
  });
  // Commitment as a grid, generators by time steps (a heatmap needs category axes).
  const generators = Object.keys(outputs.generator ?? {});
  const steps = points(outputs.generator?.[generators[0]]?.committed_out).map(([t]) => t);
  const cells = generators.flatMap((name, row) => {
    mostScenarios = Math.max(mostScenarios, scenarioCount(outputs.generator[name].committed_out));
    return meanPoints(outputs.generator[name].committed_out, scenarioObjects).map(([, v], column) => [column, row, v]);
  });
  const onOff = (share: number) =>
    share === 0 || share === 1 ? (share ? 'on' : 'off') : `on in ${Math.round(share * 100)}% of scenarios`;
  show('chart-commitment', {
    tooltip: {
      position: 'top',
      formatter: (p: { value: number[] }) =>
        `${generators[p.value[1]]}, ${new Date(steps[p.value[0]]).toLocaleString()}: ${onOff(p.value[2])}`,
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
  return { charts, scenarios: mostScenarios };
}
