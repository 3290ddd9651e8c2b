import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from './support/test-app.js';
import type { Json } from './support/json.js';

/**
 * The reference models, uploaded as SHOP YAML with their own commands, checked from what
 * GET /model returns: the water balance recomputed from the returned attributes and the
 * connections, every bound, and production against solver_production.
 */
const yaml = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const HOUR = 3_600_000;

/** A series' value at each step start (the last point at or before it; SHOP's step semantics). */
function atSteps(series: Json | undefined, starts: number[], fallback = 0): number[] {
  if (!series) return starts.map(() => fallback);
  const times = (series.timestamps as string[]).map(Date.parse);
  return starts.map((t) => {
    let i = -1;
    while (i + 1 < times.length && times[i + 1] <= t) i++;
    return i < 0 ? fallback : series.values[0][i];
  });
}

describe.each([
  ['basic_model.yaml', 8],
  ['basic_pump.yaml', 6],
])('%s with its commands, checked from GET /model', (fixture, iterations) => {
  let t: TestApp;
  let token: string;
  let session: number;
  let model: Json;
  let connections: Json[];
  let starts: number[];

  beforeAll(async () => {
    t = await startTestApp();
    token = await t.token();
    session = (await t.http().post('/api/v1/session').set('Authorization', token).send({})).body.session_id;
    const put = await t
      .http()
      .put('/api/v1/model')
      .set('Authorization', token)
      .set('session_id', String(session))
      .set('Content-Type', 'application/yaml')
      .send(yaml(fixture));
    expect(put.status).toBe(200);
    const body = (await t.http().get('/api/v1/model').set('Authorization', token).set('session_id', String(session)))
      .body;
    model = body.model;
    connections = body.connections;
    const first = Date.parse(body.time.start_time);
    const steps = (Date.parse(body.time.end_time) - first) / HOUR;
    starts = Array.from({ length: steps }, (_, i) => first + i * HOUR);
  });
  afterAll(() => t.close());

  const from = (type: string, name: string, toType: string) =>
    connections.filter((c) => c.from_type === type && c.from === name && c.to_type === toType).map((c) => c.to);
  const into = (type: string, name: string, fromType: string) =>
    connections.filter((c) => c.to_type === type && c.to === name && c.from_type === fromType).map((c) => c.from);

  it(`solved ${iterations} iterations and returns the objective breakdown`, async () => {
    const objective = model.objective.average_objective;
    expect(objective.solver_status).toBe('optimal');
    for (const key of ['grand_total', 'total', 'market_sale_buy', 'startup_costs', 'rsv_end_value']) {
      expect(typeof objective[key]).toBe('number');
    }
    expect(objective.grand_total).toBeCloseTo(objective.total + objective.rsv_end_value, 6);
    const log = (
      await t.http().get('/api/v1/session/log').set('Authorization', token).set('session_id', String(session))
    ).body as Json[];
    expect(log.filter((m) => /^Iteration \d+ /.test(m.message))).toHaveLength(iterations);
  });

  it('keeps every reservoir’s water balance to 1e-6 Mm3, recomputed from the returned attributes', () => {
    for (const [name, reservoir] of Object.entries(model.reservoir as Json)) {
      const storage: number[] = reservoir.storage.values[0];
      expect(storage).toHaveLength(starts.length + 1);
      const net = atSteps(reservoir.inflow, starts);
      const flow = (type: string, object: string) => atSteps(model[type][object].discharge, starts);
      const delay = (type: string, object: string) => (model[type][object].time_delay as number | undefined) ?? 0;
      for (const plant of from('reservoir', name, 'plant')) flow('plant', plant).forEach((q, i) => (net[i] -= q));
      for (const gate of from('reservoir', name, 'gate')) flow('gate', gate).forEach((q, i) => (net[i] -= q));
      for (const type of ['plant', 'gate']) {
        for (const object of into('reservoir', name, type)) {
          const q = flow(type, object);
          q.forEach((_, i) => (net[i] += i >= delay(type, object) ? q[i - delay(type, object)] : 0));
        }
      }
      net.forEach((inflow, i) => expect(storage[i + 1] - storage[i] - 0.0036 * inflow).toBeCloseTo(0, 6));
    }
  });

  it('holds every bound: storage 0..max_vol, discharge and production non-negative, sale and buy within limits', () => {
    for (const reservoir of Object.values(model.reservoir as Json)) {
      for (const v of reservoir.storage.values[0]) {
        expect(v).toBeGreaterThanOrEqual(-1e-9);
        expect(v).toBeLessThanOrEqual(reservoir.max_vol + 1e-9);
      }
    }
    for (const generator of Object.values(model.generator as Json)) {
      for (const p of generator.solver_production.values[0]) expect(p).toBeLessThanOrEqual(generator.p_max + 1e-6);
      for (const q of generator.discharge.values[0]) expect(q).toBeGreaterThanOrEqual(0);
    }
    for (const market of Object.values(model.market as Json)) {
      const maxSale = atSteps(market.max_sale, starts);
      const maxBuy = atSteps(market.max_buy, starts);
      market.sale.values[0].forEach((s: number, i: number) => expect(s).toBeLessThanOrEqual(maxSale[i] + 1e-6));
      market.buy.values[0].forEach((b: number, i: number) => expect(b).toBeLessThanOrEqual(maxBuy[i] + 1e-6));
    }
  });

  it('reports production within 1 % of p_max of solver_production, per generator and step', () => {
    for (const [name, generator] of Object.entries(model.generator as Json)) {
      const production: number[] = generator.production.values[0];
      const solver: number[] = generator.solver_production.values[0];
      const worst = Math.max(...production.map((p, i) => Math.abs(p - solver[i])));
      expect({ name, within: worst <= 0.01 * generator.p_max }).toEqual({ name, within: true });
    }
  });

  it('reports end_value cost-signed as SHOP does, and change_in_end_value, adding up to the objective', () => {
    const objective = model.objective.average_objective;
    let endValue = 0;
    let change = 0;
    for (const reservoir of Object.values(model.reservoir as Json)) {
      const storage: number[] = reservoir.storage.values[0];
      const value: number = reservoir.calc_global_water_value;
      const series: number[] = reservoir.end_value.values[0];
      const changes: number[] = reservoir.change_in_end_value.values[0];
      storage.forEach((v, i) => {
        expect(series[i]).toBeCloseTo(-value * v, 6);
        expect(changes[i]).toBeCloseTo(value * (storage[0] - v), 6);
      });
      endValue += series[series.length - 1];
      change += changes[changes.length - 1];
    }
    expect(endValue).toBeLessThan(0);
    expect(objective.rsv_end_value).toBeCloseTo(endValue, 4);
    expect(objective.rsv_end_value_relative).toBeCloseTo(change, 4);
  });
});
