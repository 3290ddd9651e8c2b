// The ECharts series of one model series, a multi-scenario one as a band with its mean or as a
// line per scenario. Pure (no DOM, no ECharts), for the unit tests.
import { isTxy, type Point, scenarioBand, scenarioNames, scenarioPoints, scenarioWeights } from './scenarios.js';

/** A series as handed to ECharts: its name and points, and whatever else its type takes. */
export type ChartSeries = { name: string; id?: string; data: unknown[] } & Record<string, unknown>;

/** How a chart shows a series of several scenarios: a min–max band with the mean, or a line per scenario. */
export type ScenarioDisplay = 'band' | 'lines';

/** A time series' points (its first scenario), or none when the attribute is not a series. */
export function points(value: unknown): Point[] {
  return isTxy(value) ? (scenarioPoints(value)[0] ?? []) : [];
}

/** One model series to plot: its name, its txy, how ECharts draws it, and a change of its points. */
export interface Plotted {
  name: string;
  value: unknown;
  style: Record<string, unknown>;
  adjust?: (points: Point[]) => Point[];
}

/** A stacked or filled style drawn plain: scenarios of one series are compared, not added up. */
function unstacked({
  stack: _stack,
  areaStyle: _areaStyle,
  ...style
}: Record<string, unknown>): Record<string, unknown> {
  return style;
}

/** A style in one colour, for a series whose band has to match it. */
function coloured(style: Record<string, unknown>, color: string): Record<string, unknown> {
  return { ...style, color, lineStyle: { ...(style.lineStyle as object | undefined), color } };
}

/**
 * The ECharts series of one model series. One scenario: the series as it is. Several, as a band:
 * `<name> mean` and `<name> min–max` (two stacked lines, the lower one invisible, the upper one
 * filled down to it: ids `<name> min` and `<name> max`); as lines: `<name> <scenario>` each.
 */
export function scenarioSeries(
  { name, value, style, adjust = (p) => p }: Plotted,
  display: ScenarioDisplay,
  scenarios: Record<string, Record<string, unknown>> | undefined,
  color: string,
): ChartSeries[] {
  if (!isTxy(value) || value.values.length <= 1) return [{ name, ...style, data: adjust(points(value)) }];
  const count = value.values.length;
  const perScenario = scenarioPoints(value).map(adjust);
  if (display === 'lines') {
    const names = scenarioNames(scenarios, count);
    // Limits (markLine) once, on the first scenario's line.
    return perScenario.map((data, s) => ({
      name: `${name} ${names[s]}`,
      ...unstacked(s === 0 ? style : { ...style, markLine: undefined }),
      data,
    }));
  }
  const times = perScenario[0].map(([time]) => time);
  const band = scenarioBand(
    perScenario.map((data) => data.map(([, v]) => v)),
    scenarioWeights(scenarios, count),
  );
  const edge = {
    name: `${name} min–max`,
    type: 'line',
    showSymbol: false,
    step: style.step,
    yAxisIndex: style.yAxisIndex,
    stack: `${name} band`,
    stackStrategy: 'all',
    color,
    lineStyle: { opacity: 0 },
    symbol: 'roundRect',
  };
  return [
    { name: `${name} mean`, ...coloured(unstacked(style), color), data: times.map((t, i) => [t, band.mean[i]]) },
    { ...edge, id: `${name} min`, data: times.map((t, i) => [t, band.min[i]]) },
    {
      ...edge,
      id: `${name} max`,
      areaStyle: { color, opacity: 0.25 },
      // Stacked on the minimum by its width; the tooltip shows the maximum itself.
      data: times.map((t, i) => [t, band.max[i] - band.min[i], band.max[i]]),
      encode: { x: 0, y: 1, tooltip: 2 },
    },
  ];
}

/** A series' mean over its scenarios (probability-weighted when the scenarios have probabilities). */
export function meanPoints(value: unknown, scenarios: Record<string, Record<string, unknown>> | undefined): Point[] {
  if (!isTxy(value) || value.values.length <= 1) return points(value);
  const { mean } = scenarioBand(value.values, scenarioWeights(scenarios, value.values.length));
  return points(value).map(([t], i) => [t, mean[i]]);
}
