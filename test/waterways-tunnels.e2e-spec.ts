import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';
import { atSteps, fixture as yaml, uploadYaml } from './support/shop-models.js';

/**
 * Pressurised waterways (modelling-2.md §2), checked from what GET /model returns after
 * uploading the reference models with the runs SHOP published them with: every tunnel's
 * reported flow satisfies its head-loss relation with the reported end-of-step heads, the
 * balances close exactly with the LP's flows (`sim_flow`) and within the linearisation
 * error with the reported ones, plants fed by tunnels discharge what reaches them, and the
 * legacy junction and creek intake keep their own relations.
 */
const withoutCommands = (text: string) => text.replace(/^commands:[\s\S]*$/m, '');
const HOUR = 3_600_000;
/** tunnel_model.yaml has no run commands: the run SHOP published it with (§2.1). */
const PUBLISHED_RUN = '\ncommands:\n  - start sim 3\n  - set code /incremental\n  - start sim 3\n';

interface Solved {
  model: Json;
  connections: Json[];
  starts: number[];
  hours: number[];
  iterations: number;
  log: Json[];
}

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  token = await t.token();
});
afterAll(() => t.close());

/** A new session with the given YAML documents uploaded in turn; the model as GET /model answers it. */
async function solve(...documents: string[]): Promise<Solved> {
  const { body, log } = await uploadYaml(t, token, documents);
  const first = Date.parse(body.time.start_time);
  const steps = (Date.parse(body.time.end_time) - first) / HOUR;
  return {
    model: body.model,
    connections: body.connections,
    starts: Array.from({ length: steps }, (_, i) => first + i * HOUR),
    hours: Array.from({ length: steps }, () => 1),
    iterations: log.filter((m) => /^Iteration \d+ /.test(m.message)).length,
    log,
  };
}

/** The tunnel network's nodes as the connections define them: reservoirs, and free nodes where tunnels meet. */
function networkNodes(s: Solved) {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    if (!parent.has(id)) parent.set(id, id);
    const p = parent.get(id)!;
    if (p === id) return id;
    const root = find(p);
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string) => parent.set(find(b), find(a));
  const tunnels = Object.keys(s.model.tunnel ?? {});
  for (const name of tunnels) [`s:${name}`, `e:${name}`].forEach(find);
  for (const c of s.connections) {
    if (c.from_type === 'reservoir' && c.to_type === 'tunnel') union(`r:${c.from}`, `s:${c.to}`);
    if (c.from_type === 'tunnel' && c.to_type === 'reservoir') union(`r:${c.to}`, `e:${c.from}`);
    if (c.from_type === 'tunnel' && c.to_type === 'tunnel') union(`e:${c.from}`, `s:${c.to}`);
  }
  return { find, tunnels };
}

/** m3/s over a tunnel's entrance weir at upstream level `level`: 1.705·w·h^1.5 (the broad-crested weir Tarn takes). */
const weirCap = (tunnel: Json, level: number) =>
  (2 / 3) ** 1.5 * Math.sqrt(9.81) * tunnel.weir_width * Math.max(level - tunnel.start_height, 0) ** 1.5;

interface Misses {
  /** m: the largest |H_a − H_b − (k/y)·flow·|flow|| with the reported flows and heads. */
  headLoss: number;
  /**
   * m3/s: the largest balance residual with the LP's flows (sim_flow); a reservoir that
   * overflows without a spill gate loses that water unreported, so there only water created counts.
   */
  lpBalance: number;
  /** m3/s: the largest change of a balance residual from the LP's flows to the reported flows. */
  reportedBalance: number;
}

/** The head-loss relation and the node balances of every tunnel network, recomputed. */
function tunnelMisses(s: Solved): Misses {
  const { model, connections, starts, hours } = s;
  const { find, tunnels } = networkNodes(s);
  const series = (values: Json) => values.values[0] as number[];
  const misses: Misses = { headLoss: 0, lpBalance: 0, reportedBalance: 0 };
  const reservoirOf = (id: string) => Object.keys(model.reservoir).find((r) => find(`r:${r}`) === find(id));
  // A node's head at the end of step i: a reservoir's level, else the end pressure of a tunnel ending there.
  const headAt = (id: string, i: number, height: number | undefined) => {
    const reservoir = reservoirOf(id);
    if (reservoir !== undefined) {
      const level = series(model.reservoir[reservoir].head)[i + 1];
      return height === undefined ? level : Math.max(level, height);
    }
    const into = tunnels.find((u) => find(`e:${u}`) === find(id));
    return series(model.tunnel[into!].end_pressure)[i];
  };
  for (const name of tunnels) {
    const tunnel = model.tunnel[name];
    const flow = series(tunnel.flow);
    const opening = tunnel.gate_opening ? series(tunnel.gate_opening) : flow.map(() => 1);
    flow.forEach((q, i) => {
      expect(opening[i]).toBeGreaterThanOrEqual(0);
      expect(opening[i]).toBeLessThanOrEqual(1);
      const dH = headAt(`s:${name}`, i, tunnel.start_height) - headAt(`e:${name}`, i, tunnel.end_height);
      const loss = opening[i] > 0 ? (tunnel.loss_factor / opening[i]) * q * Math.abs(q) : 0;
      // Where an entrance weir holds the flow, the water falls over it: the tunnel need only carry it.
      const overWeir =
        tunnel.weir_width !== undefined && q >= weirCap(tunnel, headAt(`s:${name}`, i, undefined)) - 0.01;
      const miss = overWeir ? Math.max(0, loss - dH) : opening[i] > 0 ? Math.abs(dH - loss) : Math.abs(q);
      misses.headLoss = Math.max(misses.headLoss, miss);
    });
  }
  // Balances: per reservoir (storage change) and per free node, with both flow sets.
  const plantFlow = (plant: string) => {
    const q = atSteps(model.plant[plant].discharge, starts);
    const up = model.plant[plant].upflow ? atSteps(model.plant[plant].upflow, starts) : q.map(() => 0);
    return q.map((value, i) => value - up[i]);
  };
  const classes = new Set([
    ...Object.keys(model.reservoir).map((r) => find(`r:${r}`)),
    ...tunnels.flatMap((n) => [find(`s:${n}`), find(`e:${n}`)]),
  ]);
  for (const node of classes) {
    const residuals: Record<string, number[]> = {};
    for (const attribute of ['sim_flow', 'flow'] as const) {
      const net = starts.map(() => 0);
      for (const name of tunnels) {
        const q = series(model.tunnel[name][attribute]);
        if (find(`e:${name}`) === node) q.forEach((v, i) => (net[i] += v));
        if (find(`s:${name}`) === node) q.forEach((v, i) => (net[i] -= v));
        for (const c of connections) {
          if (c.from_type === 'tunnel' && c.from === name && c.to_type === 'plant' && find(`e:${name}`) === node) {
            plantFlow(c.to).forEach((v, i) => (net[i] -= v));
          }
        }
      }
      const reservoir = Object.keys(model.reservoir).find((r) => find(`r:${r}`) === node);
      if (reservoir !== undefined) {
        const r = model.reservoir[reservoir];
        atSteps(r.inflow, starts).forEach((v, i) => (net[i] += v));
        for (const c of connections) {
          if (c.from_type === 'reservoir' && c.from === reservoir && ['plant', 'gate'].includes(c.to_type)) {
            const q = c.to_type === 'plant' ? plantFlow(c.to) : atSteps(model.gate[c.to].discharge, starts);
            q.forEach((v, i) => (net[i] -= v));
          }
          if (c.to_type === 'reservoir' && c.to === reservoir && c.from_type === 'plant') {
            plantFlow(c.from).forEach((v, i) => (net[i] += v));
          }
        }
        const storage = series(r.storage);
        net.forEach((v, i) => (net[i] = (storage[i + 1] - storage[i]) / (0.0036 * hours[i]) - v));
      }
      residuals[attribute] = net;
    }
    const reservoir = Object.keys(model.reservoir).find((r) => find(`r:${r}`) === node);
    const spillGate = connections.some(
      (c) => c.from_type === 'reservoir' && c.from === reservoir && c.to_type === 'gate' && c.relation_type === 'spill',
    );
    const overflowsUnreported = reservoir !== undefined && model.reservoir[reservoir].flow_descr && !spillGate;
    const lp = residuals.sim_flow.map((v) => (overflowsUnreported ? Math.max(v, 0) : Math.abs(v)));
    misses.lpBalance = Math.max(misses.lpBalance, ...lp);
    const change = residuals.flow.map((v, i) => Math.abs(v - residuals.sim_flow[i]));
    misses.reportedBalance = Math.max(misses.reportedBalance, ...change);
  }
  return misses;
}

describe('tunnel_model.yaml (start sim 3, incremental 3), then with tunnel_gate.yaml', () => {
  let plain: Solved;
  let gated: Solved;

  beforeAll(async () => {
    plain = await solve(yaml('tunnel_model.yaml') + PUBLISHED_RUN);
    gated = await solve(yaml('tunnel_model.yaml'), yaml('tunnel_gate.yaml') + PUBLISHED_RUN);
  });

  it('starts at start_head (start_vol 0 beside it is a dump artefact) and values water at 31.7 NOK/MWh', () => {
    for (const [name, head] of [
      ['Reservoir1', 93],
      ['Reservoir2', 93],
      ['Reservoir3', 97],
    ] as const) {
      expect(plain.model.reservoir[name].head.values[0][0]).toBeCloseTo(head, 9);
      expect(plain.model.reservoir[name].calc_global_water_value).toBeGreaterThan(0);
    }
    expect(plain.model.reservoir.Reservoir3.calc_global_water_value).toBeCloseTo(
      31.7 * plain.model.reservoir.Reservoir3.energy_conversion_factor,
      6,
    );
    expect(plain.iterations).toBe(6);
    expect(gated.iterations).toBe(6);
  });

  it.each([
    ['without gate', () => plain],
    ['with the continuous gate', () => gated],
  ])('%s: head losses within 0.01 m, balances exact with the LP’s flows, close with the reported', (_, get) => {
    const misses = tunnelMisses(get());
    console.log(`tunnel_model ${_}: ${JSON.stringify(misses)}`);
    expect(misses.headLoss).toBeLessThanOrEqual(0.01);
    expect(misses.lpBalance).toBeLessThanOrEqual(1e-4);
    expect(misses.reportedBalance).toBeLessThanOrEqual(10);
  });

  it('Plant1, fed by Tunnel3, discharges Tunnel3’s flow', () => {
    for (const s of [plain, gated]) {
      const q = s.model.plant.Plant1.discharge.values[0] as number[];
      const flow = s.model.tunnel.Tunnel3.flow.values[0] as number[];
      q.forEach((v, i) => expect(v).toBeCloseTo(flow[i], 6));
      expect(Math.max(...q)).toBeGreaterThan(0);
    }
  });

  it('reports every tunnel in network 1 and the gate’s opening; the gate does not worsen the objective', () => {
    for (const name of ['Tunnel1', 'Tunnel2', 'Tunnel3']) {
      expect(plain.model.tunnel[name].network_no).toBe(1);
      expect(plain.model.tunnel[name].physical_flow.values[0]).toEqual(plain.model.tunnel[name].flow.values[0]);
      expect(plain.model.tunnel[name].end_pressure.values[0]).toHaveLength(plain.starts.length);
    }
    for (const name of ['Reservoir1', 'Reservoir2', 'Reservoir3']) {
      expect(plain.model.reservoir[name].added_to_network).toBe(1);
    }
    expect(plain.model.tunnel.Tunnel2.gate_opening).toBeUndefined();
    expect(gated.model.tunnel.Tunnel2.gate_opening.values[0]).toHaveLength(plain.starts.length);
    const without = plain.model.objective.average_objective.grand_total;
    const withGate = gated.model.objective.average_objective.grand_total;
    console.log(`tunnel_model grand_total without gate ${without}, with gate ${withGate}`);
    expect(withGate).toBeLessThanOrEqual(without + 1e-6);
  });
});

describe('tunnel_model.yaml with entrance weirs (weir_width) and a tunnel time_delay', () => {
  /** Tunnel3 (Reservoir3 → Plant1) 2 m wide, Tunnel1 (Reservoir1 → Reservoir2) 1 m wide, Reservoir1 raised to 99 m. */
  const WEIRS = [
    'model:',
    '  reservoir:',
    '    Reservoir1:',
    '      start_head: 99',
    '  tunnel:',
    '    Tunnel1:',
    '      weir_width: 1',
    '    Tunnel3:',
    '      weir_width: 2',
    '',
  ].join('\n');
  let plain: Solved;
  let weirs: Solved;
  let log: Json[];

  beforeAll(async () => {
    const raised = 'model:\n  reservoir:\n    Reservoir1:\n      start_head: 99\n';
    plain = await solve(yaml('tunnel_model.yaml'), raised + PUBLISHED_RUN);
    weirs = await solve(yaml('tunnel_model.yaml'), WEIRS + PUBLISHED_RUN);
    log = weirs.log;
  });

  it('no tunnel carries more than its weir lets through at the reported end-of-step level (1.705·w·h^1.5)', () => {
    let binding = 0;
    for (const [name, reservoir] of [
      ['Tunnel1', 'Reservoir1'],
      ['Tunnel3', 'Reservoir3'],
    ] as const) {
      const tunnel = weirs.model.tunnel[name];
      const head = weirs.model.reservoir[reservoir].head.values[0] as number[];
      (tunnel.flow.values[0] as number[]).forEach((q, i) => {
        const cap = weirCap(tunnel, head[i + 1]);
        expect(q).toBeLessThanOrEqual(cap + 0.01);
        if (q >= cap - 0.01) binding++;
      });
    }
    // Without weirs, the same model runs Plant1 harder than Tunnel3's weir allows.
    const free = plain.model.tunnel.Tunnel3.flow.values[0] as number[];
    const head3 = plain.model.reservoir.Reservoir3.head.values[0] as number[];
    expect(free.some((q, i) => q > weirCap(weirs.model.tunnel.Tunnel3, head3[i + 1]) + 1)).toBe(true);
    expect(binding).toBeGreaterThan(0);
  });

  it('head losses hold where the weir does not bind, balances exact with the LP’s flows', () => {
    const misses = tunnelMisses(weirs);
    console.log(`tunnel_model with weirs: ${JSON.stringify(misses)}`);
    expect(misses.headLoss).toBeLessThanOrEqual(0.01);
    expect(misses.lpBalance).toBeLessThanOrEqual(1e-4);
    const q = weirs.model.plant.Plant1.discharge.values[0] as number[];
    const flow = weirs.model.tunnel.Tunnel3.flow.values[0] as number[];
    q.forEach((v, i) => expect(v).toBeCloseTo(flow[i], 6));
    expect(weirs.model.objective.average_objective.grand_total).toBeGreaterThanOrEqual(
      plain.model.objective.average_objective.grand_total - 1e-6,
    );
  });

  it('names weir_width no longer in the WARNING', () => {
    expect(log.some((m) => /^Iteration 6 /.test(m.message))).toBe(true);
    const warnings = log.filter((m) => m.level === 'WARNING').map((m) => m.message as string);
    expect(warnings.some((m) => m.includes('weir_width'))).toBe(false);
  });

  it('refuses a tunnel time_delay other than 0 (422), naming the attribute and pointing to a river', async () => {
    const { session } = await uploadYaml(t, token, [yaml('tunnel_model.yaml')], { keep: true });
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .set('Content-Type', 'application/yaml')
      .send('model:\n  tunnel:\n    Tunnel2:\n      time_delay: 2\n' + PUBLISHED_RUN);
    expect(put.status).toBe(422);
    expect(put.body.details[0].path).toBe('model.tunnel.Tunnel2.time_delay');
    expect(put.body.details[0].message).toMatch(/river/);
    await t.http().delete('/api/v1/session').set('Authorization', token).set('session_id', String(session));
  });
});

describe('junction_from_pyshop.yaml (legacy junctions and a creek intake)', () => {
  let s: Solved;
  beforeAll(async () => {
    s = await solve(yaml('junction_from_pyshop.yaml'));
  });

  /** The junction's inputs in branch order (`order`, else list order). */
  const inputs = (junction: string) =>
    s.connections
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.to_type === 'junction' && c.to === junction)
      .sort((a, b) => (a.c.order ?? a.i) - (b.c.order ?? b.i))
      .map(({ c }) => c);

  it('pressure_height = H_i − lf_i·flow_i·|flow_i| for reservoir branches, ≤ 55 − lf·flow² for the creek', () => {
    let worst = 0;
    for (const [name, junction] of Object.entries(s.model.junction as Json)) {
      const pressure = junction.pressure_height.values[0] as number[];
      inputs(name).forEach((input, b) => {
        const lf = junction[`loss_factor_${b + 1}`];
        const flow = junction[`tunnel_flow_${b + 1}`].values[0] as number[];
        flow.forEach((q, i) => {
          if (input.from_type === 'reservoir') {
            const level = s.model.reservoir[input.from].head.values[0][i + 1];
            worst = Math.max(worst, Math.abs(level - lf * q * Math.abs(q) - pressure[i]));
          } else {
            const netHead = s.model.creek_intake[input.from].net_head;
            expect(pressure[i]).toBeLessThanOrEqual(netHead - lf * q * q + 0.01);
          }
        });
      });
    }
    console.log(`junction_from_pyshop: largest pressure_height miss ${worst} m`);
    expect(worst).toBeLessThanOrEqual(0.01);
  });

  it('each plant discharges tunnel_flow_1 + tunnel_flow_2 of the junction feeding it', () => {
    for (const [name, junction] of Object.entries(s.model.junction as Json)) {
      const plant = s.connections.find(
        (c) => c.from_type === 'junction' && c.from === name && c.to_type === 'plant',
      )!.to;
      const q = atSteps(s.model.plant[plant].discharge, s.starts);
      const f1 = junction.tunnel_flow_1.values[0] as number[];
      const f2 = junction.tunnel_flow_2.values[0] as number[];
      q.forEach((v, i) => expect(v).toBeCloseTo(f1[i] + f2[i], 6));
    }
  });

  it('reservoir balances include the signed branch flows: exact with the LP’s, close with the reported', () => {
    let lp = 0;
    let reported = 0;
    for (const [name, reservoir] of Object.entries(s.model.reservoir as Json)) {
      const storage = reservoir.storage.values[0] as number[];
      for (const prefix of ['sim_', ''] as const) {
        const net = atSteps(reservoir.inflow, s.starts);
        for (const c of s.connections) {
          if (c.from_type === 'reservoir' && c.from === name && c.to_type === 'junction') {
            const b = inputs(c.to).findIndex((input) => input.from === name) + 1;
            (s.model.junction[c.to][`${prefix}tunnel_flow_${b}`].values[0] as number[]).forEach(
              (q, i) => (net[i] -= q),
            );
          }
          if (c.to_type === 'reservoir' && c.to === name && c.from_type === 'plant') {
            atSteps(s.model.plant[c.from].discharge, s.starts).forEach((q, i) => (net[i] += q));
          }
        }
        const worst = Math.max(...net.map((q, i) => Math.abs((storage[i + 1] - storage[i]) / 0.0036 - q)));
        if (prefix === 'sim_') lp = Math.max(lp, worst);
        else reported = Math.max(reported, worst);
      }
    }
    console.log(`junction_from_pyshop: balance miss LP ${lp} m3/s, reported ${reported} m3/s`);
    expect(lp).toBeLessThanOrEqual(1e-4);
    expect(reported).toBeLessThanOrEqual(10);
  });

  it('Creek1 delivers 0 ≤ tunnel_flow_2 ≤ min(inflow, max_inflow), Junction2 at most 55 − 0.0005·flow²', () => {
    const creek = s.model.creek_intake.Creek1;
    const inflow = atSteps(creek.inflow, s.starts);
    const flow = s.model.junction.Junction2.tunnel_flow_2.values[0] as number[];
    const pressure = s.model.junction.Junction2.pressure_height.values[0] as number[];
    flow.forEach((q, i) => {
      expect(q).toBeGreaterThanOrEqual(-1e-6);
      expect(q).toBeLessThanOrEqual(Math.min(inflow[i], creek.max_inflow) + 1e-6);
      expect(pressure[i]).toBeLessThanOrEqual(55 - 0.0005 * q * q + 0.01);
    });
    expect(creek.sim_inflow.values[0]).toHaveLength(s.starts.length);
    const objective = s.model.objective.average_objective;
    expect(objective.creek_spill_cost).toBeGreaterThanOrEqual(0);
    expect(objective.creek_physical_spill_cost + objective.creek_nonphysical_spill_cost).toBeCloseTo(
      objective.creek_spill_cost,
      6,
    );
  });
});

describe('advanced_tunnel_from_pyshop.yaml and its gate add-ons (the pump left out of the checks)', () => {
  const base = yaml('advanced_tunnel_from_pyshop.yaml');

  it.each([
    ['the base model', [base]],
    ['with the continuous gate', [withoutCommands(base), yaml('advanced_tunnel_continuous_gate_from_pyshop.yaml')]],
  ])('%s: head losses within 0.01 m, balances exact with the LP’s flows', async (label, documents) => {
    const s = await solve(...documents);
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
    const misses = tunnelMisses(s);
    console.log(`advanced_tunnel ${label}: ${JSON.stringify(misses)}`);
    expect(misses.headLoss).toBeLessThanOrEqual(0.01);
    expect(misses.lpBalance).toBeLessThanOrEqual(1e-4);
    for (const tunnel of Object.values(s.model.tunnel as Json)) expect(tunnel.network_no).toBe(1);
  });

  it('with the discrete gates: the same checks, and the interlock keeps exactly two of its three tunnels open', async () => {
    const s = await solve(withoutCommands(base), yaml('advanced_tunnel_discrete_gates_from_pyshop.yaml'));
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
    const misses = tunnelMisses(s);
    console.log(`advanced_tunnel with discrete gates: ${JSON.stringify(misses)}`);
    expect(misses.headLoss).toBeLessThanOrEqual(0.01);
    expect(misses.lpBalance).toBeLessThanOrEqual(1e-4);
    s.starts.forEach((_, i) => {
      const openings = ['t_r1_n1', 't_r2_n3', 't_n3_n2'].map((name) => s.model.tunnel[name].gate_opening.values[0][i]);
      openings.forEach((y) => expect([0, 1]).toContain(y));
      expect(openings.filter((y) => y === 1)).toHaveLength(2);
    });
  }, 300_000); // three MILP iterations of a few seconds each (binaries per gate position and step)
});

/** A fixture's run commands (the `commands:` section to the end). */
const commandsOf = (text: string) => /^commands:[\s\S]*$/m.exec(text)![0];
const series = (values: Json) => values.values[0] as number[];

describe('tunnel_interlock.yaml: switch times of an interlock_constraint (Tunnel1 closed by its gate schedule)', () => {
  const base = yaml('tunnel_interlock.yaml');
  /** Steps (hours from 00:00) in which gate_opening_schedule holds Tunnel1 closed; it closes at 2 and at 9. */
  const CLOSED = [2, 3, 4, 5, 9, 10, 11];
  let forward: Solved;
  let backward: Solved;
  let free: Solved;

  beforeAll(async () => {
    forward = await solve(base);
    // Connected from Interlock1 instead: backward_switch_time (1 h) applies.
    const reversed = base.replace('  - from: Tunnel1\n    to: Interlock1\n', '  - from: Interlock1\n    to: Tunnel1\n');
    expect(reversed).not.toBe(base);
    backward = await solve(reversed);
    const noSwitchTime = 'model:\n  interlock_constraint:\n    Interlock1:\n      forward_switch_time: 0\n';
    free = await solve(withoutCommands(base), noSwitchTime + commandsOf(base));
  });

  /** Steps in which Plant1 stands still (discharge ≤ 1e-6 m3/s). */
  const still = (s: Solved) =>
    (s.model.plant.Plant1.discharge.values[0] as number[]).flatMap((q, i) => (q <= 1e-6 ? [i] : []));

  it('the schedule closes Tunnel1: no flow and opening 0 in its closed steps, open otherwise', () => {
    for (const s of [forward, backward, free]) {
      expect(s.model.objective.average_objective.solver_status).toBe('optimal');
      const tunnel = s.model.tunnel.Tunnel1;
      series(tunnel.gate_opening).forEach((y, i) => expect(y).toBe(CLOSED.includes(i) ? 0 : 1));
      CLOSED.forEach((i) => expect(Math.abs(series(tunnel.flow)[i])).toBeLessThanOrEqual(1e-9));
      expect(Math.max(...series(tunnel.flow).map(Math.abs))).toBeGreaterThan(1);
    }
  });

  it('without a switch time Plant1 runs in every step (the price is above the water value)', () => {
    const q = series(free.model.plant.Plant1.discharge);
    console.log(`tunnel_interlock without switch time: Plant1 discharge ${q.map((v) => v.toFixed(1)).join(' ')}`);
    expect(still(free)).toEqual([]);
    expect(Math.min(...q)).toBeGreaterThan(1);
  });

  it('forward_switch_time 2 (Tunnel1 → Interlock1): Plant1 stands still 2 h after each closing, 2–4 and 9–11', () => {
    const q = series(forward.model.plant.Plant1.discharge);
    console.log(`tunnel_interlock forward 2 h: Plant1 discharge ${q.map((v) => v.toFixed(1)).join(' ')}`);
    expect(still(forward)).toEqual([2, 3, 9, 10]);
    q.forEach((v, i) => {
      if (![2, 3, 9, 10].includes(i)) expect(v).toBeGreaterThan(1);
    });
  });

  it('backward_switch_time 1 (Interlock1 → Tunnel1): Plant1 stands still 1 h after each closing, 2–3 and 9–10', () => {
    const q = series(backward.model.plant.Plant1.discharge);
    console.log(`tunnel_interlock backward 1 h: Plant1 discharge ${q.map((v) => v.toFixed(1)).join(' ')}`);
    expect(still(backward)).toEqual([2, 9]);
    q.forEach((v, i) => {
      if (![2, 9].includes(i)) expect(v).toBeGreaterThan(1);
    });
  });

  it('head losses within 0.01 m, balances exact with the LP’s flows, Plant1 discharges Tunnel3’s flow', () => {
    for (const [label, s] of [
      ['forward', forward],
      ['backward', backward],
    ] as const) {
      const misses = tunnelMisses(s);
      console.log(`tunnel_interlock ${label}: ${JSON.stringify(misses)}`);
      expect(misses.headLoss).toBeLessThanOrEqual(0.01);
      expect(misses.lpBalance).toBeLessThanOrEqual(1e-4);
      const flow = series(s.model.tunnel.Tunnel3.flow);
      series(s.model.plant.Plant1.discharge).forEach((v, i) => expect(v).toBeCloseTo(flow[i], 6));
    }
  });
});

describe('junction_gate_schedule.yaml: a junction_gate whose schedule takes −2, 1, 2, 0', () => {
  const base = yaml('junction_gate_schedule.yaml');
  /** The schedule per step, and which branches it leaves open. */
  const SCHEDULE = [-2, -2, 1, 1, 2, 2, 0, 0];
  const isOpen = (branch: 1 | 2, i: number) => SCHEDULE[i] === -2 || SCHEDULE[i] === branch;
  let s: Solved;
  let allOpen: Solved;

  beforeAll(async () => {
    s = await solve(base);
    const open = 'model:\n  junction_gate:\n    JunctionGate1:\n      schedule:\n        2018-02-27 00:00:00: -2\n';
    allOpen = await solve(withoutCommands(base), open + commandsOf(base));
  });

  const flows = (r: Solved) =>
    [1, 2].map((b) => series(r.model.junction_gate.JunctionGate1[`tunnel_flow_${b}`])) as [number[], number[]];

  it('a closed branch carries no flow; with schedule 0 nothing flows and Plant1 stands still', () => {
    const [f1, f2] = flows(s);
    const q = atSteps(s.model.plant.Plant1.discharge, s.starts);
    console.log(
      `junction_gate schedule: flow_1 ${f1.map((v) => v.toFixed(1)).join(' ')}; ` +
        `flow_2 ${f2.map((v) => v.toFixed(1)).join(' ')}; Plant1 ${q.map((v) => v.toFixed(1)).join(' ')}`,
    );
    expect(s.model.objective.average_objective.solver_status).toBe('optimal');
    SCHEDULE.forEach((schedule, i) => {
      if (!isOpen(1, i)) expect(Math.abs(f1[i])).toBeLessThanOrEqual(1e-9);
      if (!isOpen(2, i)) expect(Math.abs(f2[i])).toBeLessThanOrEqual(1e-9);
      if (schedule === 0) expect(q[i]).toBeLessThanOrEqual(1e-6);
      // Plant1 runs on whatever an open branch brings.
      else expect(q[i]).toBeGreaterThan(1);
    });
  });

  it('Plant1 discharges tunnel_flow_1 + tunnel_flow_2 in every step', () => {
    const [f1, f2] = flows(s);
    atSteps(s.model.plant.Plant1.discharge, s.starts).forEach((q, i) => expect(q).toBeCloseTo(f1[i] + f2[i], 6));
  });

  it('an open branch: pressure_height = H_i − lf_i·flow_i·|flow_i| within 0.01 m (end-of-step levels); tunnel_loss_i = lf_i·flow_i·|flow_i|', () => {
    const gate = s.model.junction_gate.JunctionGate1;
    const pressure = series(gate.pressure_height);
    let worst = 0;
    let checked = 0;
    (['Reservoir1', 'Reservoir2'] as const).forEach((reservoir, b) => {
      const branch = (b + 1) as 1 | 2;
      const lf = gate[`loss_factor_${branch}`];
      const level = series(s.model.reservoir[reservoir].head);
      const loss = series(gate[`tunnel_loss_${branch}`]);
      series(gate[`tunnel_flow_${branch}`]).forEach((q, i) => {
        expect(loss[i]).toBeCloseTo(lf * q * Math.abs(q), 9);
        if (!isOpen(branch, i) || SCHEDULE[i] === 0) return;
        worst = Math.max(worst, Math.abs(level[i + 1] - lf * q * Math.abs(q) - pressure[i]));
        checked++;
      });
    });
    console.log(`junction_gate schedule: largest pressure_height miss ${worst} m over ${checked} open branch-steps`);
    expect(checked).toBe(8);
    expect(worst).toBeLessThanOrEqual(0.01);
  });

  it('a closed branch moves no water: the reservoir behind it changes by its inflow alone', () => {
    let worst = 0;
    (['Reservoir1', 'Reservoir2'] as const).forEach((name, b) => {
      const reservoir = s.model.reservoir[name];
      const storage = series(reservoir.storage);
      const inflow = atSteps(reservoir.inflow, s.starts);
      SCHEDULE.forEach((_, i) => {
        if (isOpen((b + 1) as 1 | 2, i)) return;
        worst = Math.max(worst, Math.abs((storage[i + 1] - storage[i]) / 0.0036 - inflow[i]));
      });
    });
    console.log(`junction_gate schedule: closed-branch reservoir balance miss ${worst} m3/s`);
    expect(worst).toBeLessThanOrEqual(1e-6);
  });

  it('the schedule matters: with both branches open throughout, the closed branches carry flow and Plant1 runs under schedule 0', () => {
    const [f1, f2] = flows(allOpen);
    const q = atSteps(allOpen.model.plant.Plant1.discharge, allOpen.starts);
    console.log(
      `junction_gate all open: flow_1 ${f1.map((v) => v.toFixed(1)).join(' ')}; ` +
        `flow_2 ${f2.map((v) => v.toFixed(1)).join(' ')}; Plant1 ${q.map((v) => v.toFixed(1)).join(' ')}`,
    );
    SCHEDULE.forEach((schedule, i) => {
      if (!isOpen(1, i)) expect(Math.abs(f1[i])).toBeGreaterThan(1);
      if (!isOpen(2, i)) expect(Math.abs(f2[i])).toBeGreaterThan(1);
      expect(q[i]).toBeGreaterThan(1);
      expect(q[i]).toBeCloseTo(f1[i] + f2[i], 6);
    });
  });
});
