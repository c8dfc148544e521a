/**
 * Uncorrelated subqueries run once before their query; their results replace them as constants
 * (a value, a boolean, or an IN list). Used by the scheduler and by workers running whole plans.
 */
import { execError, SqlState } from '../common/errors.js'
import { T } from '../common/types.js'
import { valueAt, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import { lit, mapChildren, type Expr } from '../logical/expr.js'
import { physicalChildren, type PhysicalPlan } from '../physical/plan.js'

/** Replaces uncorrelated subqueries in every expression of the plan by their (constant) results. */
export async function resolveSubqueries(plan: PhysicalPlan, run: (p: PhysicalPlan) => Promise<Batch[]>): Promise<PhysicalPlan> {
  const pending: Promise<void>[] = []
  const results = new Map<Expr, Expr>()
  const visitExpr = (e: Expr): void => {
    if (e.kind === 'Subquery') {
      // correlated ones run per outer row, inside the operator that evaluates them
      if (e.outerRefs.length > 0) return
      pending.push(
        // its own uncorrelated subqueries first
        resolveSubqueries(e.plan as unknown as PhysicalPlan, run).then(run).then((batches) => {
          results.set(e, subqueryResult(e, batches))
        }),
      )
      if (e.testExpr) visitExpr(e.testExpr)
      return
    }
    mapChildren(e, (c) => {
      visitExpr(c)
      return c
    })
  }
  walkPlanExprs(plan, visitExpr)
  if (pending.length === 0) return plan
  await Promise.all(pending)
  const replace = (e: Expr): Expr => results.get(e) ?? mapChildren(e, replace)
  return mapPhysicalExprs(plan, replace)
}

/** The constant an uncorrelated subquery stands for, given its rows. */
function subqueryResult(e: Extract<Expr, { kind: 'Subquery' }>, batches: Batch[]): Expr {
  const rows: Value[] = []
  for (const b of batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.length ? valueAt(b.columns[0]!, i) : true)
  switch (e.subKind) {
    case 'scalar':
      if (rows.length > 1) throw execError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression')
      return lit(rows.length ? rows[0]! : null, e.type)
    case 'exists':
      return lit(rows.length > 0, T.bool)
    case 'array':
      return lit(rows, e.type)
    case 'any':
    case 'all': {
      const t = e.testExpr!
      if (t.kind === 'Call' && t.fn === '__row') return rowComparison(e, t.args, batches)
      const elementType = (e.plan as unknown as PhysicalPlan).fields[0]!.type
      if (rows.length === 0) return lit(e.subKind === 'all', T.bool)
      if (e.subKind === 'any' && e.op === '=') return { kind: 'InList', arg: t, list: rows.map((v) => lit(v, elementType)), negated: false, type: T.bool }
      const parts: Expr[] = rows.map((v) => ({ kind: 'Binary', op: e.op!, left: t, right: lit(v, elementType), type: T.bool }))
      return { kind: e.subKind === 'any' ? 'Or' : 'And', args: parts, type: T.bool }
    }
  }
}

/**
 * row(a, b) = ANY (rows) as (a = x1 AND b = y1) OR …, and row(a, b) <> ALL (rows) as its
 * negation: three-valued logic gives PostgreSQL's answers with NULLs on either side.
 */
function rowComparison(e: Extract<Expr, { kind: 'Subquery' }>, elems: readonly Expr[], batches: Batch[]): Expr {
  const types = (e.plan as unknown as PhysicalPlan).fields.map((f) => f.type)
  const rows: Expr[] = []
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) {
      const eqs: Expr[] = elems.map((x, k) => ({ kind: 'Binary', op: '=', left: x, right: lit(valueAt(b.columns[k]!, i), types[k]!), type: T.bool }))
      rows.push(eqs.length === 1 ? eqs[0]! : { kind: 'And', args: eqs, type: T.bool })
    }
  }
  const anyEqual: Expr = rows.length === 0 ? lit(false, T.bool) : rows.length === 1 ? rows[0]! : { kind: 'Or', args: rows, type: T.bool }
  // = ANY is "some row equal"; <> ALL is "no row equal"
  return e.subKind === 'all' ? { kind: 'Not', arg: anyEqual, type: T.bool } : anyEqual
}

/** True when a plan contains an exchange (it needs the scheduler on the main thread). */
export function hasExchange(p: PhysicalPlan): boolean {
  let found = false
  const visit = (x: PhysicalPlan): void => {
    if (x.kind === 'ExchangeExec') found = true
    for (const c of physicalChildren(x)) visit(c)
  }
  visit(p)
  walkPlanExprs(p, (e) => {
    if (e.kind === 'Subquery' && hasExchange(e.plan as unknown as PhysicalPlan)) found = true
  })
  return found
}

/** Calls f on every expression held by a physical plan (not descending into subquery plans). */
export function walkPlanExprs(p: PhysicalPlan, f: (e: Expr) => void): void {
  mapPhysicalExprs(p, (e) => {
    const visit = (x: Expr): Expr => {
      f(x)
      if (x.kind !== 'Subquery') mapChildren(x, visit)
      else if (x.testExpr) visit(x.testExpr)
      return x
    }
    visit(e)
    return e
  })
}

/** Rebuilds a physical plan with f applied to each of its top-level expressions. */
export function mapPhysicalExprs(p: PhysicalPlan, f: (e: Expr) => Expr): PhysicalPlan {
  const k = (c: PhysicalPlan): PhysicalPlan => mapPhysicalExprs(c, f)
  switch (p.kind) {
    case 'ScanExec':
      return { ...p, filters: p.filters.map(f) }
    case 'ValuesExec':
      return { ...p, rows: p.rows.map((r) => r.map(f)) }
    case 'EmptyExec':
    case 'WorkTableExec':
      return p
    case 'FilterExec':
      return { ...p, input: k(p.input), predicate: f(p.predicate) }
    case 'ProjectExec':
      return { ...p, input: k(p.input), exprs: p.exprs.map(f) }
    case 'HashAggregateExec':
      return {
        ...p,
        input: k(p.input),
        groupExprs: p.groupExprs.map(f),
        aggregates: p.aggregates.map((a) => ({ ...a, args: a.args.map(f), filter: a.filter ? f(a.filter) : null })),
      }
    case 'HashJoinExec':
      return { ...p, left: k(p.left), right: k(p.right), leftKeys: p.leftKeys.map(f), rightKeys: p.rightKeys.map(f), residual: p.residual ? f(p.residual) : null }
    case 'NestedLoopJoinExec':
    case 'LateralJoinExec':
      return { ...p, left: k(p.left), right: k(p.right), on: p.on ? f(p.on) : null }
    case 'FunctionScanExec':
      return { ...p, args: p.args.map(f) }
    case 'SortExec':
      return { ...p, input: k(p.input), keys: p.keys.map((x) => ({ ...x, expr: f(x.expr) })) }
    case 'LimitExec':
    case 'ExchangeExec':
      return { ...p, input: k(p.input) }
    case 'DistinctExec':
      return { ...p, input: k(p.input), on: p.on ? p.on.map(f) : null }
    case 'SetOpExec':
      return { ...p, left: k(p.left), right: k(p.right) }
    case 'WindowExec':
      return { ...p, input: k(p.input), calls: p.calls.map((c) => ({ ...c, args: c.args.map(f), partitionBy: c.partitionBy.map(f), orderBy: c.orderBy.map((x) => ({ ...x, expr: f(x.expr) })) })) }
    case 'RecursiveCteExec':
      return { ...p, anchor: k(p.anchor), step: k(p.step) }
  }
}
