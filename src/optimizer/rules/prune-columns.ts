/**
 * Drops scan columns nothing reads, so file readers decode only the columns a query uses.
 *
 *   Projection: a                      Projection: a
 *     Scan: t columns=[a, b, c]  =>      Scan: t columns=[a]
 *
 * A column is kept when any expression anywhere in the plan (or the plan's output) refers to it.
 */
import { columnIds, type Expr } from '../../logical/expr.js'
import { planChildren, planExprs, transformUp, type LogicalPlan } from '../../logical/plan.js'
import type { OptimizerRule } from '../rule.js'

function usedIds(plan: LogicalPlan): Set<number> {
  const used = new Set<number>(plan.fields.map((f) => f.id))
  const visitPlan = (p: LogicalPlan): void => {
    for (const e of planExprs(p)) addExpr(e)
    // set operations and recursive CTEs read their inputs' columns positionally
    if (p.kind === 'SetOp' || p.kind === 'RecursiveCte' || p.kind === 'Distinct' || p.kind === 'CteRef') {
      for (const c of planChildren(p)) for (const f of c.fields) used.add(f.id)
      if (p.kind === 'CteRef' && p.plan) for (const f of p.plan.fields) used.add(f.id)
    }
    if (p.kind === 'CteRef' && p.plan) visitPlan(p.plan)
    for (const c of planChildren(p)) visitPlan(c)
  }
  const addExpr = (e: Expr): void => {
    columnIds(e, used)
    const walk = (x: Expr): void => {
      if (x.kind === 'Subquery') {
        for (const f of x.plan.fields) used.add(f.id)
        visitPlan(x.plan)
      }
      if (x.kind === 'OuterRef') used.add(x.id)
    }
    const stack: Expr[] = [e]
    while (stack.length) {
      const x = stack.pop()!
      walk(x)
      for (const v of Object.values(x)) {
        if (v && typeof v === 'object' && 'kind' in v && typeof (v as { kind: unknown }).kind === 'string' && (v as Expr).type !== undefined) stack.push(v as Expr)
        else if (Array.isArray(v)) for (const it of v) if (it && typeof it === 'object' && 'kind' in it) stack.push(it as Expr)
        else if (it && typeof it === 'object' && 'when' in it) stack.push((it as { when: Expr }).when, (it as { then: Expr }).then)
      }
    }
  }
  visitPlan(plan)
  return used
}

/** The prune_columns rule. */
export const pruneColumns: OptimizerRule = {
  name: 'prune_columns',
  rewrite: (plan) => {
    const used = usedIds(plan)
    const prune = (p: LogicalPlan): LogicalPlan => {
      if (p.kind !== 'Scan' || p.source.kind === 'system') return p
      const keep = p.fields.map((_, i) => i).filter((i) => used.has(p.fields[i]!.id))
      if (keep.length === p.fields.length) return p
      return { ...p, fields: keep.map((i) => p.fields[i]!), columns: keep.map((i) => p.columns[i]!) }
    }
    const pruneDeep = (p: LogicalPlan): LogicalPlan =>
      transformUp(p, (n) => refreshFields(n.kind === 'CteRef' && n.plan ? { ...n, plan: pruneDeep(n.plan) } : prune(n)))
    return pruneDeep(plan)
  },
}

/** Recomputes the fields of nodes that pass their inputs' columns through. */
function refreshFields(p: LogicalPlan): LogicalPlan {
  switch (p.kind) {
    case 'Filter':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
      return p.fields === p.input.fields ? p : { ...p, fields: p.input.fields }
    case 'Join': {
      const fields = p.joinType === 'semi' || p.joinType === 'anti' ? p.left.fields : [...p.left.fields, ...p.right.fields]
      const markField = p.joinType === 'mark' ? p.fields.slice(-1) : []
      return { ...p, fields: [...fields, ...markField] }
    }
    case 'Window':
      return { ...p, fields: [...p.input.fields, ...p.fields.slice(p.fields.length - p.calls.length)] }
    default:
      return p
  }
}
