/**
 * Uncorrelated subqueries run once before their query; their results replace them as constants
 * (a value, a boolean, or an IN list). Used by the scheduler and by workers running whole plans.
 */
import { execError, SqlState } from '../common/errors.js'
import { T } from '../common/types.js'
import { valueAt, type Value } from '../common/value.js'
import type { Batch } from '../common/vector.js'
import { lit, mapChildren, type BinaryOp, type Expr, type SubqueryExpr } from '../logical/expr.js'
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
function subqueryResult(e: SubqueryExpr, batches: Batch[]): Expr {
  const t = e.testExpr
  if (t?.kind === 'Call' && t.fn === '__row') return rowComparison(e, t.args, batches)
  const rows: Value[] = []
  for (const b of batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.length ? valueAt(b.columns[0]!, i) : true)
  switch (e.subKind) {
    case 'scalar':
      if (rows.length > 1) throw tooManyRows()
      return lit(rows.length ? rows[0]! : null, e.type)
    case 'exists':
      return lit(rows.length > 0, T.bool)
    case 'array':
      return lit(rows, e.type)
    case 'any':
    case 'all':
    case 'row': {
      const elementType = (e.plan as unknown as PhysicalPlan).fields[0]!.type
      if (rows.length === 0) return lit(e.subKind === 'all', T.bool)
      if (e.subKind === 'any' && e.op === '=') return { kind: 'InList', arg: t!, list: rows.map((v) => lit(v, elementType)), negated: false, type: T.bool }
      const parts: Expr[] = rows.map((v) => ({ kind: 'Binary', op: e.op!, left: t!, right: lit(v, elementType), type: T.bool }))
      return { kind: e.subKind === 'any' ? 'Or' : 'And', args: parts, type: T.bool }
    }
  }
}

const tooManyRows = (): Error => execError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression')

/**
 * row(a, b) op ANY / ALL (rows), or op the one row of a row comparison, as a boolean expression
 * over the elements and the rows' values: three-valued logic then gives PostgreSQL's answers
 * with NULLs on either side. ANY of no rows is false, ALL true, a row comparison NULL.
 */
export function rowComparison(e: SubqueryExpr, elems: readonly Expr[], batches: readonly Batch[]): Expr {
  const types = (e.plan as unknown as PhysicalPlan).fields.map((f) => f.type)
  const rows: Expr[] = []
  for (const b of batches) {
    for (let i = 0; i < b.numRows; i++) rows.push(compareRows(e.op!, elems, elems.map((_, k) => lit(valueAt(b.columns[k]!, i), types[k]!))))
  }
  if (e.subKind === 'row') {
    if (rows.length > 1) throw tooManyRows()
    return rows[0] ?? lit(null, T.bool)
  }
  if (rows.length === 0) return lit(e.subKind === 'all', T.bool)
  return rows.length === 1 ? rows[0]! : { kind: e.subKind === 'any' ? 'Or' : 'And', args: rows, type: T.bool }
}

/**
 * PostgreSQL's row comparison: = and <> element-wise (AND / OR); the orderings compare the
 * elements left to right, the first pair that is not equal deciding (NULL if it has a NULL).
 */
function compareRows(op: BinaryOp, a: readonly Expr[], b: readonly Expr[]): Expr {
  const cmp = (o: BinaryOp, k: number): Expr => ({ kind: 'Binary', op: o, left: a[k]!, right: b[k]!, type: T.bool })
  const n = a.length
  if (op === '=' || op === '<>') return n === 1 ? cmp(op, 0) : { kind: op === '=' ? 'And' : 'Or', args: a.map((_, k) => cmp(op, k)), type: T.bool }
  const strict: BinaryOp = op === '<' || op === '<=' ? '<' : '>'
  let r = cmp(op, n - 1)
  for (let k = n - 2; k >= 0; k--) r = { kind: 'Or', args: [cmp(strict, k), { kind: 'And', args: [cmp('=', k), r], type: T.bool }], type: T.bool }
  return r
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

/** True when a physical plan, or a subquery inside it, calls a volatile function (nextval(), random()). */
export function callsVolatile(p: PhysicalPlan): boolean {
  let found = false
  walkPlanExprs(p, (e) => {
    if ((e.kind === 'Call' && e.volatility === 'volatile') || (e.kind === 'Subquery' && callsVolatile(e.plan as unknown as PhysicalPlan))) found = true
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
      return { ...p, left: k(p.left), right: k(p.right), leftKeys: p.leftKeys.map(f), rightKeys: p.rightKeys.map(f), residual: p.residual ? f(p.residual) : null, markTest: p.markTest ? f(p.markTest) : null }
    case 'NestedLoopJoinExec':
      return { ...p, left: k(p.left), right: k(p.right), on: p.on ? f(p.on) : null, markTest: p.markTest ? f(p.markTest) : null }
    case 'LateralJoinExec':
      return { ...p, left: k(p.left), right: k(p.right), on: p.on ? f(p.on) : null }
    case 'FunctionScanExec':
      return { ...p, calls: p.calls.map((c) => ({ ...c, args: c.args.map(f) })) }
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
