import type { ConstraintFamily, ProblemContext } from './constraint-family.js';

/**
 * The flow balance of every modelled water object without storage (rivers, tunnel nodes, ...)
 * at every step, from the terms its own family and the objects around it added: `Σ flows in −
 * Σ flows out = rhs` (m3/s). Flows into an object no family models leave the system (the
 * optimization's WARNING names such objects).
 */
export const nodeBalance: ConstraintFamily = {
  name: 'node flow balance',
  add(ctx: ProblemContext) {
    const written = new Set<object>();
    for (const [key, node] of ctx.nodes) {
      // A node reached under several refs (a tunnel network's aliases) is one balance.
      if (!node.modelled || written.has(node)) continue;
      written.add(node);
      ctx.steps.forEach((t) => {
        if (!node.terms[t].length) return;
        ctx.lp.addRow(`${key}.balance[${t}]`, node.rhs[t], node.rhs[t], node.terms[t]);
      });
    }
  },
};
