/**
 * Turns [NOT] EXISTS and [NOT] IN subqueries in WHERE into semi and anti joins, pulling the
 * subquery's correlated conditions up into the join condition.
 *
 *   Filter: EXISTS(Filter: o.k = outer.c_k (Scan o))      Join: semi on o.k = c_k
 *     Scan: c                                       =>      Scan: c
 *                                                           Scan: o
 *
 * NOT IN becomes a NULL-aware anti join (a NULL on either side makes the row not qualify); a
 * correlated NOT IN, an anti join on the correlation and `test IS NOT FALSE`.
 * Subqueries whose outer references sit anywhere but in a top-level WHERE chain are left alone.
 * LATERAL joins correlated only in their right side's WHERE become plain joins the same way.
 * Correlated subqueries that call volatile functions stay as they are: PostgreSQL runs them once
 * per outer row, and so does the correlated operator.
 */
import { and, columnIds, conjuncts, hasSubquery, mapExpr, visitExpr, type Expr, type SubqueryExpr } from '../../logical/expr.js'
import { planChildren, planExprs, transformUp, type Field, type LogicalPlan } from '../../logical/plan.js'
import { collectOuterRefs, isLateral } from '../../logical/tree.js'
import type { OptimizerContext, OptimizerRule } from '../rule.js'

/** Ids of the columns produced anywhere inside a plan. */
function producedIds(plan: LogicalPlan, into = new Set<number>()): Set<number> {
  for (const f of plan.fields) into.add(f.id)
  for (const c of planChildren(plan)) producedIds(c, into)
  return into
}

/** True when e reads outer columns, all of them among `ids`, and no inner column or subquery. */
function onlyOuter(e: Expr, ids: ReadonlySet<number>): boolean {
  let outer = false
  let other = false
  visitExpr(e, (x) => {
    if (x.kind === 'OuterRef') {
      if (ids.has(x.id)) outer = true
      else other = true
    } else if (x.kind === 'Column' || x.kind === 'Subquery' || (x.kind === 'Call' && x.volatility === 'volatile')) other = true
  })
  return outer && !other
}

/** Ids of a plan's output columns. */
const fieldIds = (plan: LogicalPlan): Set<number> => new Set(plan.fields.map((f) => f.id))

/** True when a plan, or a subquery inside it, calls a volatile function (nextval(), random()). */
function callsVolatile(plan: LogicalPlan): boolean {
  let found = false
  for (const e of planExprs(plan)) {
    visitExpr(e, (x) => {
      if ((x.kind === 'Call' && x.volatility === 'volatile') || (x.kind === 'Subquery' && callsVolatile(x.plan))) found = true
    })
  }
  return found || planChildren(plan).some(callsVolatile)
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

/** e with its references to the columns `ids` (of the plan it moves onto) as plain columns; other outer references stay. */
const unOuter = (e: Expr, ids: ReadonlySet<number>): Expr =>
  mapExpr(e, (x) => (x.kind === 'OuterRef' && ids.has(x.id) ? { kind: 'Column', id: x.id, name: x.name, type: x.type } : x))

function toJoin(input: LogicalPlan, sub: SubqueryExpr, negated: boolean, ctx: OptimizerContext): LogicalPlan | undefined {
  if (sub.subKind !== 'exists' && !(sub.subKind === 'any' && sub.op === '=')) return undefined
  // row(a, b) IN (…) is answered from the subquery's rows (exec/subqueries.ts)
  if (sub.testExpr?.kind === 'Call' && sub.testExpr.fn === '__row') return undefined
  const pulled: Expr[] = []
  const right = pull(sub.plan, pulled, producedIds(sub.plan))
  if (!right) return undefined
  const on: Expr[] = pulled.map((c) => unOuter(c, fieldIds(input)))
  const correlated = pulled.length > 0
  if (correlated && callsVolatile(sub.plan)) return undefined
  if (sub.subKind === 'any') {
    const f = sub.plan.fields[0]!
    const test: Expr = { kind: 'Binary', op: '=', left: sub.testExpr!, right: { kind: 'Column', id: f.id, name: f.name, type: f.type }, type: { id: 'bool' } }
    // correlated NOT IN: a row is out when a correlated inner row makes the test TRUE or NULL
    on.push(negated && correlated ? { kind: 'IsBool', arg: test, test: 'false', negated: true, type: { id: 'bool' } } : test)
  }
  void ctx
  return {
    kind: 'Join',
    joinType: negated ? 'anti' : 'semi',
    left: input,
    right,
    on: on.length ? and(on) : null,
    nullAware: negated && sub.subKind === 'any' && !correlated,
    fields: input.fields,
  }
}

/**
 * A correlated scalar subquery over an ungrouped aggregate, correlated by equalities, becomes a left
 * join with the aggregate grouped by the correlation keys; its value is computed above the join:
 *
 *   Filter: x < (Projection: 0.2 * avg(q) (Aggregate (Filter: k = outer.c …)))
 *   =>  Filter: x < 0.2 * avg (Join: left on c = k (input, Aggregate by k …))
 *
 * An outer row without a matching group gets NULL aggregates from the join, which is what they
 * are over no rows, except counts: those become coalesce(count, 0).
 */
function scalarToJoin(input: LogicalPlan, sub: SubqueryExpr, ctx: OptimizerContext): { plan: LogicalPlan; value: Expr } | undefined {
  if (sub.subKind !== 'scalar') return undefined
  const r = aggregateToJoin(input, sub.plan, ctx)
  const value = r?.values[0]
  return r && value && value.type.id === sub.type.id ? { plan: r.plan, value } : undefined
}

/**
 * An ungrouped aggregate (under an optional Projection) correlated by equalities with the columns
 * of `input`, as a left join of `input` with the aggregate grouped by the correlation keys, and
 * the aggregate's output values over that join (counts coalesced to 0 where no group matched).
 */
function aggregateToJoin(input: LogicalPlan, sub: LogicalPlan, ctx: OptimizerContext): { plan: LogicalPlan; values: Expr[] } | undefined {
  const proj = sub.kind === 'Projection' ? sub : null
  const agg = proj ? proj.input : sub
  if (agg.kind !== 'Aggregate' || agg.groupExprs.length > 0 || agg.groupingSets) return undefined
  const aggIds = new Set(agg.fields.map((f) => f.id))
  const tops: Expr[] = proj ? [...proj.exprs] : agg.fields.map(columnOf)
  if (tops.some((t) => hasSubquery(t) || refersOutside(t, aggIds))) return undefined
  const pulled: Expr[] = []
  const inner = pull(agg.input, pulled, producedIds(agg.input))
  if (!inner || pulled.length === 0 || callsVolatile(sub)) return undefined
  const innerIds = producedIds(agg.input)
  // aggregate arguments over outer columns must see one outer row at a time
  if (planExprs(agg).some((e) => refersOutside(e, innerIds))) return undefined
  const inputIds = fieldIds(input)
  const innerKeys: Expr[] = []
  const outerKeys: Expr[] = []
  for (const c of pulled) {
    if (c.kind !== 'Binary' || c.op !== '=') return undefined
    const [o, i] = onlyOuter(c.right, inputIds) ? [c.right, c.left] : [c.left, c.right]
    if (!onlyOuter(o, inputIds) || refersOutside(i, innerIds)) return undefined
    innerKeys.push(i)
    outerKeys.push(unOuter(o, inputIds))
  }
  const groupFields: Field[] = innerKeys.map((k, i) => ({ id: ctx.newId(), name: `__key${i}`, type: k.type }))
  const right: LogicalPlan = { ...agg, input: inner, groupExprs: innerKeys, fields: [...groupFields, ...agg.fields] }
  const on = and(outerKeys.map((o, i) => ({ kind: 'Binary', op: '=', left: o, right: columnOf(groupFields[i]!), type: BOOL }) as Expr))
  const counts = new Set(agg.aggregates.flatMap((a, i) => (a.fn === 'count' || a.fn === 'regr_count' ? [agg.fields[i]!.id] : [])))
  const values = tops.map((t) =>
    mapExpr(t, (x) =>
      x.kind === 'Column' && counts.has(x.id) ? { kind: 'Call', fn: 'coalesce', args: [x, { kind: 'Literal', value: 0, type: x.type }], type: x.type, volatility: 'immutable' } : x,
    ),
  )
  return { plan: { kind: 'Join', joinType: 'left', left: input, right, on, fields: [...input.fields, ...right.fields] }, values }
}

/**
 * Any other correlated scalar subquery correlated only in its WHERE becomes a 'single' join: a
 * left join on the correlation that raises 21000 when an outer row matches more than one row.
 *
 *   Projection: (Projection: name (Filter: t.id = outer.o.id (Scan t)))
 *   =>  Projection: name (Join: single on o.id = t.id (input, Projection: name, id (Scan t)))
 */
function lookupToJoin(input: LogicalPlan, sub: SubqueryExpr): { plan: LogicalPlan; value: Expr } | undefined {
  const r = correlatedJoin(input, sub)
  const f = r?.right.fields[0]
  if (!r || !f || f.type.id !== sub.type.id) return undefined
  return { plan: { kind: 'Join', joinType: 'single', left: input, right: r.right, on: and(r.on), fields: [...input.fields, ...r.right.fields] }, value: columnOf(f) }
}

/**
 * A correlated EXISTS or `x op ANY / ALL (…)` used as a value (in the select list, under OR …)
 * becomes a mark join: each input row gets a boolean column, true when some correlated row
 * passes the test, NULL when none does but some test is NULL, else false. ALL is NOT ANY of the
 * negated test.
 *
 *   Projection: EXISTS(Filter: o.k = outer.c (Scan o))  =>  Projection: __mark (Join: mark on c = k (input, Scan o))
 */
function markToJoin(input: LogicalPlan, sub: SubqueryExpr, ctx: OptimizerContext): { plan: LogicalPlan; value: Expr } | undefined {
  if (sub.subKind !== 'exists' && sub.subKind !== 'any' && sub.subKind !== 'all') return undefined
  const t = sub.testExpr
  if (t && (hasSubquery(t) || (t.kind === 'Call' && t.fn === '__row'))) return undefined
  const r = correlatedJoin(input, sub)
  if (!r) return undefined
  let markTest: Expr | undefined
  if (sub.subKind !== 'exists') {
    const test: Expr = { kind: 'Binary', op: sub.op!, left: t!, right: columnOf(r.right.fields[0]!), type: BOOL }
    markTest = sub.subKind === 'all' ? { kind: 'Not', arg: test, type: BOOL } : test
  }
  const mark: Field = { id: ctx.newId(), name: '__mark', type: BOOL }
  const plan: LogicalPlan = { kind: 'Join', joinType: 'mark', left: input, right: r.right, on: and(r.on), markId: mark.id, ...(markTest ? { markTest } : {}), fields: [...input.fields, mark] }
  return { plan, value: sub.subKind === 'all' ? { kind: 'Not', arg: columnOf(mark), type: BOOL } : columnOf(mark) }
}

/**
 * A subquery correlated only in its WHERE chain, as its uncorrelated rest and the join conditions
 * onto `input` (undefined when it is correlated elsewhere or with an enclosing query).
 */
function correlatedJoin(input: LogicalPlan, sub: SubqueryExpr): { right: LogicalPlan; on: Expr[] } | undefined {
  // volatile calls run once per outer row, as PostgreSQL runs them, so such a subquery stays per row
  if (callsVolatile(sub.plan)) return undefined
  const pulled: Expr[] = []
  const right = pull(sub.plan, pulled, producedIds(sub.plan))
  if (!right || right.fields.length === 0 || pulled.length === 0) return undefined
  const inputIds = fieldIds(input)
  const on = pulled.map((c) => unOuter(c, inputIds))
  if (on.some((c) => refersOutside(c, new Set([...inputIds, ...producedIds(right)])))) return undefined
  return { right, on }
}

const BOOL = { id: 'bool' } as const

const columnOf = (f: Field): Expr => ({ kind: 'Column', id: f.id, name: f.name, type: f.type })

/** Replaces the correlated subqueries of e that become joins onto `input` (scalar, EXISTS, ANY/ALL). */
function subqueriesToJoins(e: Expr, input: { plan: LogicalPlan }, ctx: OptimizerContext): Expr {
  return mapExpr(e, (x) => {
    if (x.kind !== 'Subquery' || x.outerRefs.length === 0) return x
    const r = x.subKind === 'scalar' ? (scalarToJoin(input.plan, x, ctx) ?? lookupToJoin(input.plan, x)) : markToJoin(input.plan, x, ctx)
    if (!r) return x
    input.plan = r.plan
    return r.value
  })
}

/**
 * A LATERAL join whose right side is correlated only through WHERE conditions becomes a plain
 * join on those conditions (run once, not per left row):
 *
 *   Join: left lateral on c                 Join: left on b.k = a.k AND c
 *     Scan: a                         =>      Scan: a
 *     Filter: b.k = outer.a.k (Scan b)        Scan: b
 */
function unnestLateral(join: Extract<LogicalPlan, { kind: 'Join' }>, ctx: OptimizerContext): LogicalPlan {
  const pulled: Expr[] = []
  const right = pull(join.right, pulled, producedIds(join.right))
  if (callsVolatile(join.right)) return join
  if (!right || pulled.length === 0) return lateralAggregateToJoin(join, ctx) ?? join
  const leftIds = fieldIds(join.left)
  const on = [...pulled.map((c) => unOuter(c, leftIds)), ...(join.on ? conjuncts(join.on) : [])]
  const joined: LogicalPlan = {
    kind: 'Join',
    joinType: join.joinType === 'cross' ? 'inner' : join.joinType,
    left: join.left,
    right,
    on: and(on),
    ...(isLateral(join.left, right) ? { lateral: true } : {}),
    fields: [...join.left.fields, ...right.fields],
  }
  if (right.fields.length === join.right.fields.length) return joined
  // the columns the pulled conditions needed stay below
  return { kind: 'Projection', input: joined, exprs: join.fields.map((f) => ({ kind: 'Column', id: f.id, name: f.name, type: f.type }) as Expr), fields: join.fields }
}

/**
 * An inner LATERAL join with an ungrouped aggregate correlated by equalities (one row per left
 * row) becomes a left join with the aggregate grouped by the correlation keys, its values
 * computed above under the lateral side's column ids:
 *
 *   Join: cross lateral (a, Aggregate: sum(x) (Filter: b.k = outer.a.k …))
 *   =>  Projection: a.*, sum AS s (Join: left on a.k = __key0 (a, Aggregate by b.k …))
 */
function lateralAggregateToJoin(join: Extract<LogicalPlan, { kind: 'Join' }>, ctx: OptimizerContext): LogicalPlan | undefined {
  if (join.joinType !== 'cross' && join.joinType !== 'inner') return undefined
  const r = aggregateToJoin(join.left, join.right, ctx)
  if (!r || r.values.length !== join.right.fields.length) return undefined
  const out: LogicalPlan = { kind: 'Projection', input: r.plan, exprs: [...join.left.fields.map(columnOf), ...r.values], fields: join.fields }
  return join.on ? { kind: 'Filter', input: out, predicate: join.on, fields: out.fields } : out
}

/** The decorrelate_subqueries rule. */
export const decorrelateSubqueries: OptimizerRule = {
  name: 'decorrelate_subqueries',
  rewrite: (plan, ctx) =>
    transformUp(plan, (p) => {
      if (p.kind === 'Join' && p.lateral) return unnestLateral(p, ctx)
      if (p.kind === 'Projection') {
        const joined = { plan: p.input }
        const exprs = p.exprs.map((e) => subqueriesToJoins(e, joined, ctx))
        return joined.plan === p.input ? p : { ...p, input: joined.plan, exprs }
      }
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
      // correlated subqueries inside the remaining conditions become left, single or mark joins
      const joined = { plan: input }
      const replaced = rest.map((c) => subqueriesToJoins(c, joined, ctx))
      if (joined.plan === p.input) return p
      const filtered: LogicalPlan = replaced.length ? { kind: 'Filter', input: joined.plan, predicate: and(replaced), fields: joined.plan.fields } : joined.plan
      if (filtered.fields.length === p.fields.length) return filtered
      // keep the node's original output columns
      return { kind: 'Projection', input: filtered, exprs: p.fields.map(columnOf), fields: p.fields }
    }),
}
