/**
 * Where water from a reservoir or plant goes through a tunnel network (tunnels, legacy
 * junctions and junction gates), for energy conversion factors and water values: the first
 * plant or other reservoir reached downstream, in the order the connections list them.
 * Tarn: a reservoir that feeds a plant only through tunnels converts energy through that
 * plant; one whose tunnels lead to another reservoir has that reservoir downstream (no plant
 * of its own, so its water is worth the downstream reservoir's).
 */

/** cascade.ts's ShopModelLike and ConnectionLike, structurally (no import: cascade.ts imports this file). */
type ShopModelLike = Record<string, Record<string, unknown> | undefined>;
interface ConnectionLike {
  from: string;
  to: string;
  from_type?: string;
  to_type?: string;
  relation_type?: string;
  connection_type?: string;
}

const PASSAGE = new Set(['tunnel', 'junction', 'junction_gate']);

function typeOf(model: ShopModelLike, name: string, given: string | undefined): string | undefined {
  return given ?? ['reservoir', 'plant', ...PASSAGE].find((type) => model[type]?.[name] !== undefined);
}

/** The first plant or reservoir below `start` through network objects; undefined when it has none. */
export function networkOutlet(
  model: ShopModelLike,
  connections: readonly ConnectionLike[],
  start: string,
  startType: 'reservoir' | 'plant',
): { plant?: string; reservoir?: string } | undefined {
  const seen = new Set<string>([`${startType}:${start}`]);
  const queue: Array<[string, string]> = [[startType, start]];
  while (queue.length) {
    const [type, name] = queue.shift()!;
    for (const c of connections) {
      if (c.from !== name || typeOf(model, c.from, c.from_type) !== type) continue;
      const relation = c.relation_type ?? c.connection_type ?? 'default';
      if (relation !== 'default' && relation !== 'standard' && relation !== 'connection_standard') continue;
      const toType = typeOf(model, c.to, c.to_type);
      if (toType === undefined || seen.has(`${toType}:${c.to}`)) continue;
      seen.add(`${toType}:${c.to}`);
      if (type === startType && !PASSAGE.has(toType)) continue; // direct neighbours are cascade.ts's
      if (toType === 'plant' && startType === 'reservoir') return { plant: c.to };
      if (toType === 'reservoir') return { reservoir: c.to };
      if (PASSAGE.has(toType)) queue.push([toType, c.to]);
    }
  }
  return undefined;
}
