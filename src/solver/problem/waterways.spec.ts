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
