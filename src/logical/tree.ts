/** Whole-plan rewrites shared by the binder and the optimizer. */
import { mapChildren, type Expr } from './expr.js'
import { planChildren, planExprs, type LogicalPlan } from './plan.js'

/** Applies f to every expression of every node of a plan. */
export function mapPlanExprs(plan: LogicalPlan, f: (e: Expr) => Expr): LogicalPlan {
  const kids = planChildren(plan).map((c) => mapPlanExprs(c, f))
  const p = kids.length ? ({ ...plan, ...childProps(plan, kids) } as LogicalPlan) : plan
  return mapNodeExprs(p, f)
}

/** Applies f to the expressions of one node (not of its inputs). */
export function mapNodeExprs(p: LogicalPlan, f: (e: Expr) => Expr): LogicalPlan {
  switch (p.kind) {
    case 'Scan':
      return { ...p, filters: p.filters.map(f) }
    case 'Values':
      return { ...p, rows: p.rows.map((r) => r.map(f)) }
    case 'FunctionScan':
      return { ...p, calls: p.calls.map((c) => ({ ...c, args: c.args.map(f) })) }
    case 'Filter':
      return { ...p, predicate: f(p.predicate) }
    case 'Projection':
      return { ...p, exprs: p.exprs.map(f) }
    case 'Aggregate':
      return {
        ...p,
        groupExprs: p.groupExprs.map(f),
        aggregates: p.aggregates.map((a) => ({ ...a, args: a.args.map(f), filter: a.filter ? f(a.filter) : null, orderBy: a.orderBy.map((k) => ({ ...k, expr: f(k.expr) })) })),
      }
    case 'Join':
      return { ...p, on: p.on ? f(p.on) : null, ...(p.markTest ? { markTest: f(p.markTest) } : {}) }
    case 'Sort':
      return { ...p, keys: p.keys.map((k) => ({ ...k, expr: f(k.expr) })) }
    case 'Distinct':
      return { ...p, on: p.on ? p.on.map(f) : null }
    case 'Window':
      return {
        ...p,
        calls: p.calls.map((c) => ({
          ...c,
          args: c.args.map(f),
          partitionBy: c.partitionBy.map(f),
          orderBy: c.orderBy.map((k) => ({ ...k, expr: f(k.expr) })),
          filter: c.filter ? f(c.filter) : null,
        })),
      }
    default:
      return p
  }
}

function childProps(p: LogicalPlan, kids: LogicalPlan[]): Partial<Record<string, LogicalPlan>> {
  switch (p.kind) {
    case 'Join':
    case 'SetOp':
      return { left: kids[0]!, right: kids[1]! }
    case 'RecursiveCte':
      return { anchor: kids[0]!, step: kids[1]! }
    default:
      return { input: kids[0]! }
  }
}


/** Outer-reference ids used anywhere inside a plan that the plan does not itself produce. */
export function collectOuterRefs(plan: LogicalPlan): Set<number> {
  const refs = new Set<number>()
  const produced = new Set<number>()
  const walkExpr = (e: Expr): void => {
    if (e.kind === 'OuterRef') refs.add(e.id)
    if (e.kind === 'Subquery') {
      for (const id of e.outerRefs) refs.add(id)
      if (e.testExpr) walkExpr(e.testExpr)
      return
    }
    if (e.kind === 'Column') return
    mapChildren(e, (c) => {
      walkExpr(c)
      return c
    })
  }
  const walk = (p: LogicalPlan): void => {
    for (const f of p.fields) produced.add(f.id)
    if (p.kind === 'Aggregate') for (const f of p.fields) produced.add(f.id)
    for (const e of planExprs(p)) walkExpr(e)
    for (const c of planChildren(p)) walk(c)
    // an inlined CTE's plan may be correlated too
    if (p.kind === 'CteRef' && p.plan) walk(p.plan)
  }
  walk(plan)
  for (const id of produced) refs.delete(id)
  return refs
}

/** True when the right input of a join references columns of the left one (a LATERAL join). */
export function isLateral(left: LogicalPlan, right: LogicalPlan): boolean {
  const refs = collectOuterRefs(right)
  return refs.size > 0 && left.fields.some((f) => refs.has(f.id))
}
