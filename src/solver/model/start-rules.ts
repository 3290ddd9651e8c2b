/**
 * How Tarn reads two artefacts of SHOP's YAML dumps before optimizing (modelling-2.md §2.1,
 * tunnel_model.yaml):
 * - `start_vol: 0` next to a `start_head` whose level is not that of an empty reservoir: SHOP
 *   writes start_vol 0 into dumps of models started from start_head, so Tarn drops it and
 *   starts at start_head. A start_vol other than 0, or one that agrees with start_head, wins
 *   as before (SHOP's prefer_start_vol).
 * - `endpoint_desc_nok_mwh` with one point (or one value): a constant energy value, read as
 *   `energy_value_input` when that is not set. More values (a table) are not modelled.
 */
import type { ShopModelJson, Xy } from '../../shop/shop-json.js';
import { levelFromVolume } from '../physics/reservoir.js';
import type { Log } from './optimizer.types.js';

export function withStartRules(model: ShopModelJson, log: Log): ShopModelJson {
  const reservoirs = model.model.reservoir as Record<string, Record<string, unknown>> | undefined;
  if (!reservoirs) return model;
  let changed = false;
  const next: Record<string, Record<string, unknown>> = {};
  for (const [name, attributes] of Object.entries(reservoirs)) {
    const a = { ...attributes };
    const head = a.start_head as number | undefined;
    const volHead = a.vol_head as Xy | undefined;
    if (a.start_vol === 0 && head !== undefined && volHead && Math.abs(levelFromVolume(volHead, 0) - head) > 1e-6) {
      delete a.start_vol;
      changed = true;
      log(
        'INFO',
        `reservoir ${name}: start_vol 0 next to start_head ${head} read as a dump artefact; starting at start_head`,
      );
    }
    const endpoint = a.endpoint_desc_nok_mwh as Xy | undefined;
    if (endpoint && a.energy_value_input === undefined) {
      if (endpoint.y.length && endpoint.y.every((y) => y === endpoint.y[0])) {
        a.energy_value_input = endpoint.y[0];
        changed = true;
      } else {
        log('WARNING', `reservoir ${name}: endpoint_desc_nok_mwh with several values is not modelled; no end value`);
      }
    }
    next[name] = a;
  }
  return changed ? { ...model, model: { ...model.model, reservoir: next } } : model;
}
