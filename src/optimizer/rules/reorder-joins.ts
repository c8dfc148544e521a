/**
 * Orders the relations of a tree of inner joins so that each join has an equality condition with
 * the relations joined before it, instead of forming cross products in FROM-list order:
 *
 *   Join: on ps.partkey = p.partkey AND ps.suppkey = s.suppkey        Join: on ps.suppkey = s.suppkey
 *     Join: cross                                              =>      Join: on ps.partkey = p.partkey
 *       Scan: part                                                        Scan: part
 *       Scan: supplier                                                    Scan: partsupp
 *     Scan: partsupp                                                    Scan: supplier
 *
 * Greedy and left-deep: start from the first relation, then repeatedly take the first relation (in
 * FROM order) connected to the ones already joined; every condition is placed at the lowest join
 * where all its columns are available. Runs after push_down_filter, which moves WHERE conditions
 * into the joins.
 */
import { and, columnIds, conjuncts, type Expr } from '../../logical/expr.js'
import type { LogicalPlan } from '../../logical/plan.js'
import { planChildren, withChildren } from '../../logical/plan.js'
import type { OptimizerRule } from '../rule.js'

/** Inner joins whose inputs may be reordered (a lateral join's right side needs its left). */
const isInner = (p: LogicalPlan): p is Extract<LogicalPlan, { kind: 'Join' }> => p.kind === 'Join' && (p.joinType === 'inner' || p.joinType === 'cross') && !p.lateral

function flatten(p: LogicalPlan, rels: LogicalPlan[], conds: Expr[]): void {
  if (isInner(p)) {
    flatten(p.left, rels, conds)
    flatten(p.right, rels, conds)
    if (p.on) conds.push(...conjuncts(p.on))
  } else rels.push(reorder(p))
}

function reorder(p: LogicalPlan): LogicalPlan {
  if (!isInner(p)) {
    const kids = planChildren(p)
    const next = kids.map(reorder)
    return next.some((k, i) => k !== kids[i]) ? withChildren(p, next) : p
  }
  const rels: LogicalPlan[] = []
  const conds: Expr[] = []
  flatten(p, rels, conds)
  if (rels.length < 3) return rebuild(rels, conds)
  const idsOf = rels.map((r) => new Set(r.fields.map((f) => f.id)))
  const condIds = conds.map((c) => columnIds(c))
  const remaining = rels.map((_, i) => i)
  const order = [remaining.shift()!]
  const joined = new Set(idsOf[order[0]!])
  const connects = (r: number): boolean =>
    condIds.some((ids) => {
      let inR = false
      let inJoined = false
      for (const id of ids) {
        if (idsOf[r]!.has(id)) inR = true
        else if (joined.has(id)) inJoined = true
        else return false
      }
      return inR && inJoined
    })
  while (remaining.length) {
    const k = remaining.findIndex(connects)
    const r = remaining.splice(k >= 0 ? k : 0, 1)[0]!
    order.push(r)
    for (const id of idsOf[r]!) joined.add(id)
  }
  return rebuild(order.map((i) => rels[i]!), conds)
}

/** A left-deep join of the relations in order, each condition at the lowest join that can evaluate it. */
function rebuild(rels: LogicalPlan[], conds: Expr[]): LogicalPlan {
  let plan = rels[0]!
  const pending = [...conds]
  const available = new Set(plan.fields.map((f) => f.id))
  for (const r of rels.slice(1)) {
    for (const f of r.fields) available.add(f.id)
    const here: Expr[] = []
    for (let i = pending.length - 1; i >= 0; i--) {
      const ids = columnIds(pending[i]!)
      if ([...ids].every((id) => available.has(id))) here.unshift(...pending.splice(i, 1))
    }
    plan = { kind: 'Join', joinType: here.length ? 'inner' : 'cross', left: plan, right: r, on: here.length ? and(here) : null, fields: [...plan.fields, ...r.fields] }
  }
  // conditions on outer references or on a single relation that could not move: keep them on top
  if (pending.length) plan = { kind: 'Filter', input: plan, predicate: and(pending), fields: plan.fields }
  return plan
}

/** The reorder_joins rule. */
export const reorderJoins: OptimizerRule = {
  name: 'reorder_joins',
  rewrite: (plan) => reorder(plan),
}
