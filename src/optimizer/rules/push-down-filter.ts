/**
 * Moves filters toward the scans.
 *
 *   Filter: a > 10 AND b = c          Join: inner on b = c
 *     Join: cross              =>       Scan: t1 filters=[a > 10]
 *       Scan: t1                        Scan: t2
 *       Scan: t2
 *
 * Splits AND; each conjunct goes as deep as its columns allow: into scans, below projections
 * (rewritten through their expressions), into one side of a join (never into the NULL-supplying
 * side of an outer join), and merges with join conditions. Never below a Limit, Window, Distinct
 * or Aggregate (changes results), and never with subqueries or volatile calls.
 */
import { and, columnIds, conjuncts, hasSubquery, isVolatile, mapExpr, visitExpr, type Expr } from '../../logical/expr.js'
import type { LogicalPlan } from '../../logical/plan.js'
import type { OptimizerRule } from '../rule.js'

/** Conditions that may move: no subqueries, volatile calls or outer references (decorrelation looks for those where they are). */
const movable = (e: Expr): boolean => {
  if (hasSubquery(e) || isVolatile(e)) return false
  let outer = false
  visitExpr(e, (x) => {
    if (x.kind === 'OuterRef') outer = true
  })
  return !outer
}

const within = (e: Expr, fields: readonly { id: number }[]): boolean => {
  const ids = new Set(fields.map((f) => f.id))
  for (const id of columnIds(e)) if (!ids.has(id)) return false
  return true
}

function push(plan: LogicalPlan, preds: Expr[]): LogicalPlan {
  const keep: Expr[] = []
  const wrap = (p: LogicalPlan): LogicalPlan => (keep.length ? { kind: 'Filter', input: p, predicate: and(keep), fields: p.fields } : p)
  switch (plan.kind) {
    case 'Scan': {
      const into = preds.filter(movable)
      keep.push(...preds.filter((p) => !movable(p)))
      return wrap(into.length ? { ...plan, filters: [...plan.filters, ...into] } : plan)
    }
    case 'Filter':
      return push(plan.input, [...preds, ...conjuncts(plan.predicate)])
    case 'Projection': {
      const byId = new Map(plan.fields.map((f, i) => [f.id, plan.exprs[i]!]))
      const down: Expr[] = []
      for (const p of preds) {
        const exprs = [...columnIds(p)].map((id) => byId.get(id))
        if (movable(p) && exprs.every((e) => e !== undefined && movable(e))) {
          down.push(mapExpr(p, (e) => (e.kind === 'Column' && byId.has(e.id) ? byId.get(e.id)! : e)))
        } else keep.push(p)
      }
      return wrap({ ...plan, input: push(plan.input, down) })
    }
    case 'Join': {
      const t = plan.joinType
      const left: Expr[] = []
      const right: Expr[] = []
      const on: Expr[] = []
      const inner = t === 'inner' || t === 'cross'
      for (const p of preds) {
        if (!movable(p)) keep.push(p)
        else if (within(p, plan.left.fields) && (inner || t === 'left' || t === 'semi' || t === 'anti' || t === 'single')) left.push(p)
        else if (within(p, plan.right.fields) && (inner || t === 'right')) right.push(p)
        else if (inner) on.push(p)
        else keep.push(p)
      }
      // the join's own conditions: an inner join's move like WHERE conjuncts; an outer join's may
      // move into its NULL-supplying side only
      for (const c of plan.on ? conjuncts(plan.on) : []) {
        if (!movable(c)) on.push(c)
        else if (inner && within(c, plan.left.fields)) left.push(c)
        // (not a NULL-aware anti join's: NOT IN needs the right rows whose test is NULL)
        else if ((inner || t === 'left' || t === 'semi' || (t === 'anti' && !plan.nullAware) || t === 'single') && within(c, plan.right.fields)) right.push(c)
        else if (t === 'right' && within(c, plan.left.fields)) left.push(c)
        else on.push(c)
      }
      const joinType = t === 'cross' && on.length > 0 ? 'inner' : t
      return wrap({ ...plan, joinType, left: push(plan.left, left), right: push(plan.right, right), on: on.length ? and(on) : null })
    }
    case 'Sort': {
      keep.push(...preds.filter((p) => !movable(p)))
      return wrap({ ...plan, input: push(plan.input, preds.filter(movable)) })
    }
    default: {
      keep.push(...preds)
      return wrap(recurse(plan))
    }
  }
}

function recurse(plan: LogicalPlan): LogicalPlan {
  switch (plan.kind) {
    case 'Scan':
    case 'Values':
    case 'Empty':
    case 'CteRef':
    case 'FunctionScan':
      return plan
    case 'Join':
    case 'SetOp':
      return { ...plan, left: push(plan.left, []), right: push(plan.right, []) }
    case 'RecursiveCte':
      return { ...plan, anchor: push(plan.anchor, []), step: push(plan.step, []) }
    default:
      return { ...plan, input: push(plan.input, []) } as LogicalPlan
  }
}

/** The push_down_filter rule. */
export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  rewrite: (plan) => push(plan, []),
}
