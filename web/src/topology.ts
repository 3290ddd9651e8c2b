import cytoscape from 'cytoscape';

export interface Connection {
  from: string;
  from_type: string;
  to: string;
  to_type: string;
  relation_type?: string;
}
export type ModelObjects = Record<string, Record<string, Record<string, unknown>>>;

/** Object types drawn, with their shape and colour (water blue, power orange, market green). */
const STYLE: Record<string, { shape: cytoscape.Css.NodeShape; color: string }> = {
  reservoir: { shape: 'round-triangle', color: '#1f6f9f' },
  plant: { shape: 'round-rectangle', color: '#c0631f' },
  generator: { shape: 'ellipse', color: '#e0913f' },
  pump: { shape: 'ellipse', color: '#8a5fb0' },
  gate: { shape: 'diamond', color: '#4f8fb5' },
  junction: { shape: 'hexagon', color: '#6a8f9f' },
  tunnel: { shape: 'barrel', color: '#6a7f8f' },
  market: { shape: 'star', color: '#2f8f4f' },
};

/** The nodes and edges of a model's topology: every object of a drawn type, every connection between them. */
export function topologyElements(model: ModelObjects, connections: Connection[]): cytoscape.ElementDefinition[] {
  const nodes: cytoscape.ElementDefinition[] = [];
  for (const [type, objects] of Object.entries(model)) {
    if (!STYLE[type]) continue;
    for (const name of Object.keys(objects)) {
      nodes.push({ data: { id: `${type}/${name}`, label: name, type }, classes: type });
    }
  }
  const ids = new Set(nodes.map((n) => n.data.id));
  const edges = connections
    .filter((c) => ids.has(`${c.from_type}/${c.from}`) && ids.has(`${c.to_type}/${c.to}`))
    .map((c, i) => ({
      data: {
        id: `connection-${i}`,
        source: `${c.from_type}/${c.from}`,
        target: `${c.to_type}/${c.to}`,
        relation: c.relation_type ?? 'default',
      },
      classes: c.relation_type ?? 'default',
    }));
  return [...nodes, ...edges];
}

/** Draws the topology top-down (water flows downwards), as pyshop's topology plots do. */
export function drawTopology(container: HTMLElement, elements: cytoscape.ElementDefinition[]): cytoscape.Core {
  return cytoscape({
    container,
    elements,
    layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.1, padding: 16 },
    userZoomingEnabled: true,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: 'node',
        style: {
          label: 'data(label)',
          'font-size': 11,
          'text-valign': 'bottom',
          'text-margin-y': 4,
          width: 26,
          height: 26,
          color: '#1d2a33',
        },
      },
      ...Object.entries(STYLE).map(([type, { shape, color }]) => ({
        selector: `node.${type}`,
        style: { shape, 'background-color': color },
      })),
      {
        selector: 'edge',
        style: {
          width: 2,
          'line-color': '#8fa4b0',
          'target-arrow-color': '#8fa4b0',
          'target-arrow-shape': 'triangle',
          'curve-style': 'bezier',
        },
      },
      {
        selector: 'edge.spill',
        style: { 'line-style': 'dashed', 'line-color': '#c0392b', 'target-arrow-color': '#c0392b' },
      },
      {
        selector: 'edge.bypass',
        style: { 'line-style': 'dotted', 'line-color': '#8e44ad', 'target-arrow-color': '#8e44ad' },
      },
    ],
  });
}
