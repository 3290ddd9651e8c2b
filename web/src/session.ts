import { drawCharts } from './charts.js';
import type { ScenarioDisplay } from './scenario-series.js';
import { $, element, formatTime, showError, signedIn } from './page.js';
import { type Connection, type ModelObjects, drawTopology, topologyElements } from './topology.js';
import { api } from './token.js';

interface ShopModel {
  time?: { start_time: string; end_time: string };
  model: ModelObjects;
  connections?: Connection[];
}
interface LogMessage {
  id: number;
  level: string;
  message: string;
  time: string;
}
interface Run {
  run_id: number;
  status: string;
  started: string | null;
  finished: string | null;
  objective: number | null;
}

const id = Number(/^\/ui\/sessions\/(\d+)$/.exec(location.pathname)?.[1]);
const selected = (path: string) => `${path}${path.includes('?') ? '&' : '?'}session_id=${id}`;
const LOG_POLL_MS = 2000;

function objectiveTable(model: ModelObjects): void {
  const objective = model.objective?.average_objective ?? {};
  const rows = Object.entries(objective).filter(([, value]) => typeof value === 'number' || typeof value === 'string');
  $('#objective-empty').hidden = rows.length > 0;
  $<HTMLTableSectionElement>('#objective tbody').replaceChildren(
    ...rows.map(([name, value]) => {
      const row = element('tr');
      const shown = typeof value === 'number' ? value.toLocaleString(undefined, { maximumFractionDigits: 2 }) : value;
      const cell = element('td', shown as string, typeof value === 'number' ? 'number' : '');
      cell.dataset.value = String(value);
      row.dataset.name = name;
      row.append(element('th', name), cell);
      return row;
    }),
  );
}

let lastLogId = 0;
async function pollLog(): Promise<void> {
  const messages = await api<LogMessage[]>('GET', selected(`/api/v1/session/log?since=${lastLogId}`));
  const list = $('#log');
  for (const message of messages) {
    const item = element('li', undefined, `level-${message.level.toLowerCase()}`);
    item.append(
      element('time', formatTime(message.time)),
      element('span', message.level, 'level'),
      element('span', message.message),
    );
    list.append(item);
    lastLogId = Math.max(lastLogId, message.id);
  }
  if (messages.length) list.scrollTop = list.scrollHeight;
}

/** The last run's state; answers it as `id:status`, to notice when a run ends. */
async function showRun(): Promise<string> {
  const run = (await api<Run[]>('GET', selected('/api/v1/session/runs'))).at(-1);
  $('#run').textContent = run
    ? `Run ${run.run_id}: ${run.status}` + (run.finished ? `, finished ${formatTime(run.finished)}` : '')
    : 'No run yet';
  return run ? `${run.run_id}:${run.status}` : '';
}

let charts: ReturnType<typeof drawCharts>['charts'] = [];
let results: ShopModel | undefined;

const scenarioDisplay = (): ScenarioDisplay => ($<HTMLInputElement>('#scenario-lines').checked ? 'lines' : 'band');

/** The plots of the stored results, multi-scenario series as the checkbox says. */
function plot(inputs: ShopModel): void {
  charts.forEach((chart) => chart.dispose());
  charts = [];
  const hasResults = Object.keys(results?.model.reservoir ?? {}).length > 0;
  $('#charts').hidden = !hasResults;
  if (!results || !hasResults) return;
  const end = inputs.time ? Date.parse(inputs.time.end_time) : undefined;
  const drawn = drawCharts(inputs.model, results.model, end, scenarioDisplay());
  charts = drawn.charts;
  $('#scenario-display').hidden = drawn.scenarios < 2;
}

/** The objective table and the plots, from the stored results. */
async function showResults(inputs: ShopModel): Promise<void> {
  results = await api<ShopModel>('GET', selected('/api/v1/model?isInput=false'));
  objectiveTable(results.model);
  plot(inputs);
}

async function main(): Promise<void> {
  if (!signedIn()) return;
  if (!Number.isInteger(id)) throw new Error('No such session page');
  const session = await api<{ session_name: string }>('GET', selected('/api/v1/session'));
  $('#title').textContent = `Session ${id}: ${session.session_name}`;
  document.title = `${session.session_name} · Tarn`;
  const inputs = await api<ShopModel>('GET', selected('/api/v1/model?isOutput=false'));
  const elements = topologyElements(inputs.model, inputs.connections ?? []);
  $('#topology-empty').hidden = elements.length > 0;
  const graph = drawTopology($('#topology'), elements);
  // For tests and curious users: what the graph holds.
  const types: Record<string, number> = {};
  graph.nodes().forEach((node) => {
    types[node.data('type')] = (types[node.data('type')] ?? 0) + 1;
  });
  $('#topology').dataset.types = JSON.stringify(types);
  $('#topology').dataset.edges = String(graph.edges().length);
  $('#scenario-lines').addEventListener('change', () => plot(inputs));
  await showResults(inputs);
  let [run] = await Promise.all([showRun(), pollLog()]);
  // The log and the run's state follow a run in progress; a run that ends brings its results.
  setInterval(() => {
    Promise.all([showRun(), pollLog()])
      .then(async ([now]) => {
        const ended = now !== run && /:(done|failed|cancelled)$/.test(now);
        run = now;
        if (ended) await showResults(inputs);
      })
      .catch(showError);
  }, LOG_POLL_MS);
}

main().catch(showError);
