/**
 * Turns [NOT] EXISTS and [NOT] IN subqueries in WHERE into semi and anti joins, pulling the
 * subquery's correlated conditions up into the join condition.
 *
 *   Filter: EXISTS(Filter: o.k = outer.c_k (Scan o))      Join: semi on o.k = c_k
 *     Scan: c                                       =>      Scan: c
 *                                                           Scan: o
 *
 * NOT IN becomes a NULL-aware anti join (a NULL on either side makes the row not qualify).
 * Subqueries whose outer references sit anywhere but in a top-level WHERE chain are left alone.
 */
import { and, columnIds, conjuncts, hasSubquery, mapExpr, visitExpr, type Expr, type SubqueryExpr } from '../../logical/expr.js'
import { planChildren, transformUp, type Field, type LogicalPlan } from '../../logical/plan.js'
import { collectOuterRefs } from '../../logical/tree.js'
import type { OptimizerContext, OptimizerRule } from '../rule.js'

/** Ids of the columns produced anywhere inside a plan. */
function producedIds(plan: LogicalPlan, into = new Set<number>()): Set<number> {
  for (const f of plan.fields) into.add(f.id)
  for (const c of planChildren(plan)) producedIds(c, into)
  return into
}

/** True when e references the enclosing query: directly, or through a nested subquery's outer references. */
const refersOutside = (e: Expr, inner: ReadonlySet<number>): boolean => {
  let found = false
  visitExpr(e, (x) => {
    if (x.kind === 'OuterRef' && !inner.has(x.id)) found = true
    if (x.kind === 'Subquery' && x.outerRefs.some((id) => !inner.has(id))) found = true
  })
  return found
}

/** Pulls correlated conjuncts out of a Projection/Filter chain; undefined if others remain. */
function pull(plan: LogicalPlan, pulled: Expr[], inner: ReadonlySet<number>): LogicalPlan | undefined {
  const hasOuterRef = (e: Expr): boolean => refersOutside(e, inner)
  switch (plan.kind) {
    case 'Filter': {
      const rest: Expr[] = []
      for (const c of conjuncts(plan.predicate)) {
        if (!hasOuterRef(c)) rest.push(c)
        else if (hasSubquery(c)) return undefined
        else pulled.push(c)
      }
      const input = pull(plan.input, pulled, inner)
      if (!input) return undefined
      return rest.length ? { ...plan, input, predicate: and(rest), fields: input.fields } : input
    }
    case 'Projection': {
      if (plan.exprs.some(hasOuterRef)) return undefined
      const input = pull(plan.input, pulled, inner)
      if (!input) return undefined
      // keep the inner columns the pulled conditions need
      const needed = new Set<number>()
      for (const c of pulled) columnIds(c, needed)
      const have = new Set(plan.fields.map((f) => f.id))
      const extra: Field[] = input.fields.filter((f) => needed.has(f.id) && !have.has(f.id))
      return { ...plan, input, exprs: [...plan.exprs, ...extra.map((f) => ({ kind: 'Column', id: f.id, name: f.name, type: f.type }) as Expr)], fields: [...plan.fields, ...extra] }
    }
    default:
      return collectOuterRefs(plan).size > 0 ? undefined : plan
  }
}

const unOuter = (e: Expr): Expr => mapExpr(e, (x) => (x.kind === 'OuterRef' ? { kind: 'Column', id: x.id, name: x.name, type: x.type } : x))

function toJoin(input: LogicalPlan, sub: SubqueryExpr, negated: boolean, ctx: OptimizerContext): LogicalPlan | undefined {
  if (sub.subKind !== 'exists' && !(sub.subKind === 'any' && sub.op === '=')) return undefined
  const pulled: Expr[] = []
  const right = pull(sub.plan, pulled, producedIds(sub.plan))
  if (!right) return undefined
  const on: Expr[] = pulled.map(unOuter)
  if (sub.subKind === 'any') {
    const f = sub.plan.fields[0]!
    on.push({ kind: 'Binary', op: '=', left: sub.testExpr!, right: { kind: 'Column', id: f.id, name: f.name, type: f.type }, type: { id: 'bool' } })
  }
  void ctx
  return {
    kind: 'Join',
    joinType: negated ? 'anti' : 'semi',
    left: input,
    right,
    on: on.length ? and(on) : null,
    nullAware: negated && sub.subKind === 'any',
    fields: input.fields,
  }
}

/** The decorrelate_subqueries rule. */
export const decorrelateSubqueries: OptimizerRule = {
  name: 'decorrelate_subqueries',
  rewrite: (plan, ctx) =>
    transformUp(plan, (p) => {
      if (p.kind !== 'Filter') return p
      let input = p.input
      const rest: Expr[] = []
      for (const c of conjuncts(p.predicate)) {
        const negated = c.kind === 'Not' && c.arg.kind === 'Subquery'
        const sub = c.kind === 'Subquery' ? c : negated ? (c as { arg: SubqueryExpr }).arg : null
        const joined = sub ? toJoin(input, sub, negated, ctx) : undefined
        if (joined) input = joined
        else rest.push(c)
      }
      if (input === p.input) return p
      return rest.length ? { kind: 'Filter', input, predicate: and(rest), fields: input.fields } : input
    }),
}
