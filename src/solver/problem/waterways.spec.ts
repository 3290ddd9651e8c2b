import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { interpretCommands } from '../../shop/command-interpreter.js';
import { parseCommand } from '../../shop/shop-document.js';
import type { ShopModelJson } from '../../shop/shop-json.js';
import { Problems } from '../../shop/shop-values.js';
import { yamlToShopJson } from '../../shop/shop-yaml.js';
import { optimize } from '../model/hydro-optimizer.js';
import { HighsProvider } from '../providers/highs.provider.js';
import { hydroSystem } from './hydro-system.js';

const fixture = (name: string) =>
  yamlToShopJson(readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url), 'utf8')) as ShopModelJson;

describe('readWaterways (through hydroSystem)', () => {
  it('tunnel_model: three reservoirs and Plant1’s intake, one network; Plant1 draws from Tunnel3’s end', () => {
    const w = hydroSystem(fixture('tunnel_model.yaml')).waterways!;
    expect(w.nodes.map((n) => `${n.kind}:${n.ref.type}.${n.ref.name}`).sort()).toEqual([
      'free:tunnel.Tunnel3',
      'reservoir:reservoir.Reservoir1',
      'reservoir:reservoir.Reservoir2',
      'reservoir:reservoir.Reservoir3',
    ]);
    const node = (name: string) => w.nodes[w.nodeOfKey.get(name)!];
    const tunnel = (name: string) => w.tunnels.find((t) => t.name === name)!;
    expect(node('reservoir.Reservoir2')).toBe(w.nodes[tunnel('Tunnel1').to]);
    expect(node('reservoir.Reservoir2')).toBe(w.nodes[tunnel('Tunnel2').from]);
    expect(w.plantNodes.get('Plant1')).toEqual({ intake: w.nodeOfKey.get('tunnel.Tunnel3') });
    expect(w.networks).toBe(1);
    expect(w.tunnels.every((t) => t.network === 1 && t.gate === undefined)).toBe(true);
  });

  it('junction_from_pyshop: each junction is a node with two branch tunnels in `order`; Creek1 a creek node', () => {
    const w = hydroSystem(fixture('junction_from_pyshop.yaml')).waterways!;
    const j2 = w.junctions.find((j) => j.name === 'Junction2')!;
    const [b1, b2] = j2.tunnels.map((t) => w.tunnels[t]);
    expect(w.nodes[b1.from].reservoir).toBe('Reservoir3');
    expect(b1.lossFactor).toBe(0.0002);
    expect(w.nodes[b2.from].creek).toMatchObject({ name: 'Creek1', netHead: 55 });
    expect(w.nodes[b2.from].creek!.available.slice(0, 7)).toEqual([20, 20, 20, 20, 20, 20, 10]);
    expect(b2.lossFactor).toBe(0.0005);
    expect(w.plantNodes.get('Plant2')).toEqual({ intake: j2.node });
    // Junction1's network and Junction2's are joined by Plant1 only, not by a tunnel: two networks.
    expect(w.networks).toBe(2);
  });

  it('rejects a junction fed by a gate, naming it', () => {
    const model = fixture('junction_from_pyshop.yaml');
    model.model.gate = { G: {} };
    model.connections = model.connections!.map((c) =>
      c.from === 'Reservoir2' && c.to === 'Junction1' ? { ...c, from: 'G', from_type: 'gate' } : c,
    );
    expect(() => hydroSystem(model)).toThrow(/junction\.Junction1.*gate G/);
  });
});

describe('a gate held by gate_opening_schedule', () => {
  it('keeps its opening and the flow follows (k/y)·Q|Q| = ΔH at the end-of-step levels', async () => {
    const model = fixture('tunnel_model.yaml');
    const tunnel = (model.model.tunnel as Record<string, Record<string, unknown>>).Tunnel2;
    tunnel.gate_opening_curve = { ref: 0, x: [0, 1], y: [0, 1] };
    tunnel.gate_opening_schedule = { timestamps: ['2018-02-27T00:00:00Z'], values: [[0.5]] };
    const problems = new Problems();
    const { runs } = interpretCommands(
      ['start sim 3', 'set code /incremental', 'start sim 3'].map((line, i) => parseCommand(line, `c${i}`, problems)!),
    );
    const provider = new HighsProvider();
    const outcome = await optimize(
      model,
      runs,
      (lp, options) => provider.solve(lp, options),
      () => undefined,
    );
    const value = (type: string, name: string, attribute: string) =>
      (
        outcome.outputs.find((o) => o.objectType === type && o.objectName === name && o.attribute === attribute)!
          .value as { values: number[][] }
      ).values[0];
    const opening = value('tunnel', 'Tunnel2', 'gate_opening');
    const flow = value('tunnel', 'Tunnel2', 'flow');
    const up = value('reservoir', 'Reservoir2', 'head');
    const down = value('reservoir', 'Reservoir3', 'head');
    opening.forEach((y) => expect(y).toBe(0.5));
    flow.forEach((q, t) => expect(up[t + 1] - down[t + 1]).toBeCloseTo((0.00015 / 0.5) * q * Math.abs(q), 6));
  });
});

describe('a junction_gate (legacy)', () => {
  it('closes the branches its schedule closes and reports tunnel_loss = lf·flow·|flow|', async () => {
    const model = fixture('junction_from_pyshop.yaml');
    const junctions = model.model.junction as Record<string, Record<string, unknown>>;
    // Junction1 as a junction gate: only tunnel 1 open for six hours, then both.
    model.model.junction_gate = {
      Junction1: {
        ...junctions.Junction1,
        schedule: { timestamps: ['2018-02-27T00:00:00Z', '2018-02-27T06:00:00Z'], values: [[1, -2]] },
      },
    };
    delete junctions.Junction1;
    model.connections = model.connections!.map((c) => ({
      ...c,
      ...(c.to === 'Junction1' ? { to_type: 'junction_gate' } : {}),
      ...(c.from === 'Junction1' ? { from_type: 'junction_gate' } : {}),
    }));
    const problems = new Problems();
    const { runs } = interpretCommands([parseCommand('start sim 3', 'c0', problems)!]);
    const provider = new HighsProvider();
    const outcome = await optimize(
      model,
      runs,
      (lp, options) => provider.solve(lp, options),
      () => undefined,
    );
    expect(outcome.status).toBe('optimal');
    const value = (attribute: string) =>
      (
        outcome.outputs.find((o) => o.objectType === 'junction_gate' && o.attribute === attribute)!.value as {
          values: number[][];
        }
      ).values[0];
    const [flow1, flow2, loss1] = [value('tunnel_flow_1'), value('tunnel_flow_2'), value('tunnel_loss_1')];
    flow2.slice(0, 6).forEach((q) => expect(q).toBe(0));
    flow1.forEach((q, t) => expect(loss1[t]).toBeCloseTo(0.00015 * q * Math.abs(q), 9));
  });
});

describe('the tunnels family in an infeasible model', () => {
  it('names the conflicting tunnel rows in object, attribute and time terms', async () => {
    const model = fixture('tunnel_model.yaml');
    (model.model.tunnel as Record<string, Record<string, unknown>>).Tunnel1.min_start_pressure = {
      timestamps: ['2018-02-27T00:00:00Z'],
      values: [[150]],
    };
    const problems = new Problems();
    const { runs } = interpretCommands([parseCommand('start sim 1', 'commands[0]', problems)!]);
    const provider = new HighsProvider();
    const outcome = await optimize(
      model,
      runs,
      (lp, options) => provider.solve(lp, options),
      () => undefined,
    );
    expect(outcome.status).toBe('infeasible');
    const texts = outcome.conflict!.items.map((item) => item.text);
    expect(
      texts.some((text) => /^tunnel Tunnel1: minimum start pressure \(min_start_pressure\) at 2018-02-27/.test(text)),
    ).toBe(true);
  });
});
