/**
 * Drops columns nothing above needs, down to the scans, so file readers decode only the columns a
 * query uses and joins carry only what later operators read.
 *
 *   Projection: a                      Projection: a
 *     Filter: b > 1                      Filter: b > 1
 *       Scan: t columns=[a, b, c]  =>      Scan: t columns=[a, b]
 *
 * Requirements flow top-down: a node keeps the columns its parent needs plus those its own
 * expressions read. The plan's own output is always kept. Aggregates, DISTINCT and set operations
 * need all their input columns (they change meaning otherwise).
 */
import { columnIds, type Expr } from '../../logical/expr.js'
import { planExprs, type LogicalPlan } from '../../logical/plan.js'
import { collectOuterRefs } from '../../logical/tree.js'
import type { OptimizerRule } from '../rule.js'

function idsOf(exprs: readonly Expr[], into = new Set<number>()): Set<number> {
  for (const e of exprs) columnIds(e, into)
  return into
}

function prune(p: LogicalPlan, required: ReadonlySet<number>): LogicalPlan {
  switch (p.kind) {
    case 'Scan': {
      const need = idsOf(p.filters, new Set(required))
      const keep = p.fields.map((_, i) => i).filter((i) => need.has(p.fields[i]!.id))
      if (keep.length === p.fields.length) return p
      return { ...p, fields: keep.map((i) => p.fields[i]!), columns: keep.map((i) => p.columns[i]!) }
    }
    case 'Projection': {
      const keep = p.fields.map((_, i) => i).filter((i) => required.has(p.fields[i]!.id))
      const exprs = keep.map((i) => p.exprs[i]!)
      const input = prune(p.input, idsOf(exprs))
      return { ...p, input, exprs, fields: keep.map((i) => p.fields[i]!) }
    }
    case 'Filter': {
      const input = prune(p.input, idsOf([p.predicate], new Set(required)))
      return { ...p, input, fields: input.fields }
    }
    case 'Sort': {
      const input = prune(p.input, idsOf(p.keys.map((k) => k.expr), new Set(required)))
      return { ...p, input, fields: input.fields }
    }
    case 'Limit': {
      const input = prune(p.input, required)
      return { ...p, input, fields: input.fields }
    }
    case 'Join': {
      const need = idsOf(planExprs(p), new Set(required))
      // a lateral right side reads left columns through its outer references
      if (p.lateral) for (const id of collectOuterRefs(p.right)) need.add(id)
      const left = prune(p.left, need)
      const right = prune(p.right, need)
      const fields = p.joinType === 'semi' || p.joinType === 'anti' ? left.fields : p.joinType === 'mark' ? [...left.fields, p.fields[p.fields.length - 1]!] : [...left.fields, ...right.fields]
      return { ...p, left, right, fields }
    }
    case 'Window': {
      const need = idsOf(planExprs(p), new Set(required))
      const input = prune(p.input, need)
      return { ...p, input, fields: [...input.fields, ...p.fields.slice(p.fields.length - p.calls.length)] }
    }
    case 'Aggregate':
      return { ...p, input: prune(p.input, idsOf(planExprs(p))) }
    case 'Distinct':
      return { ...p, input: prune(p.input, new Set(p.input.fields.map((f) => f.id))) }
    case 'SetOp':
      return { ...p, left: pruneAll(p.left), right: pruneAll(p.right) }
    case 'RecursiveCte':
      return { ...p, anchor: pruneAll(p.anchor), step: pruneAll(p.step) }
    case 'CteRef':
      return p.plan ? { ...p, plan: pruneAll(p.plan) } : p
    case 'Values':
    case 'Empty':
    case 'FunctionScan':
      return p
  }
}

/** Prunes below a node whose every output column is needed. */
const pruneAll = (p: LogicalPlan): LogicalPlan => prune(p, new Set(p.fields.map((f) => f.id)))

/** The prune_columns rule. */
export const pruneColumns: OptimizerRule = {
  name: 'prune_columns',
  rewrite: (plan) => pruneAll(plan),
}
