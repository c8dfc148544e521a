/**
 * Correlated subqueries that the optimizer could not turn into joins run per distinct combination
 * of the outer values they reference (per row when they call a volatile function, as PostgreSQL):
 * the outer references become constants, the subquery runs, and its result becomes one value per
 * outer row (scalar value, EXISTS, or ANY/ALL comparison). LATERAL joins run their right side the
 * same way.
 */
import { execError, SqlState } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import { jsonKey, valueAt, vectorFromValues, type Value } from '../common/value.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import { compareAt, test, type CompareOp } from '../kernels/arith.js'
import { concatBatches, evaluate, type EvalEnv } from '../kernels/eval.js'
import { lit, mapChildren, type Expr, type SubqueryExpr } from '../logical/expr.js'
import type { LateralJoinExec, PhysicalPlan } from '../physical/plan.js'
import { callsVolatile, mapPhysicalExprs, resolveSubqueries, rowComparison } from '../exec/subqueries.js'
import { finishJoin, type ConditionEnv } from './join.js'

type Runner = (p: PhysicalPlan) => Promise<Batch[]>

/** The correlated subqueries in some expressions (not descending into subquery plans). */
function correlatedIn(exprs: readonly Expr[]): SubqueryExpr[] {
  const out: SubqueryExpr[] = []
  const visit = (e: Expr): Expr => {
    if (e.kind === 'Subquery') {
      if (e.outerRefs.length > 0) out.push(e)
      if (e.testExpr) visit(e.testExpr)
      return e
    }
    return mapChildren(e, visit)
  }
  exprs.forEach(visit)
  return out
}

/** An EvalEnv in which the correlated subqueries of `exprs` have their per-row values for `batch`. */
export async function withCorrelated(exprs: readonly Expr[], batch: Batch, env: EvalEnv, run: Runner): Promise<EvalEnv> {
  const subs = correlatedIn(exprs)
  if (subs.length === 0) return env
  const pre = new Map<Expr, Vector>(env.precomputed ?? [])
  for (const s of subs) pre.set(s, await evaluateCorrelated(s, batch, { ...env, precomputed: pre }, run))
  return { ...env, precomputed: pre }
}

async function evaluateCorrelated(s: SubqueryExpr, batch: Batch, env: EvalEnv, run: Runner): Promise<Vector> {
  const n = batch.numRows
  const positions = (s as SubqueryExpr & { outerIndex?: number[] }).outerIndex ?? []
  const outerCols = positions.map((p) => (p >= 0 ? batch.columns[p]! : null))
  // a row comparison's test is a __row call of its elements
  const rowElems = s.testExpr?.kind === 'Call' && s.testExpr.fn === '__row' ? s.testExpr.args.map((a) => evaluate(a, batch, env)) : null
  const test0 = s.testExpr && !rowElems ? evaluate(s.testExpr, batch, env) : null
  const cache = new Map<string, { batches: Batch[]; first: Vector }>()
  const perRow = callsVolatile(s.plan as unknown as PhysicalPlan)
  const out: Value[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const { values, key } = outerValues(s.outerRefs, outerCols, i)
    let rows = perRow ? undefined : cache.get(key)
    if (!rows) {
      const batches = await runWithOuter(s.plan as unknown as PhysicalPlan, values, run)
      rows = { batches, first: firstColumn(batches, (s.plan as unknown as PhysicalPlan).fields[0]?.type ?? T.bool) }
      cache.set(key, rows)
    }
    if (rowElems) {
      const cmp = rowComparison(s, rowElems.map((v) => lit(valueAt(v, i), v.type)), rows.batches)
      out[i] = valueAt(evaluate(cmp, ONE_ROW, env), 0)
    } else out[i] = resultFor(s, rows.first, test0, i)
  }
  return vectorFromValues(s.type, out)
}

const ONE_ROW: Batch = { numRows: 1, columns: [] }

type OuterValues = Map<number, { value: Value; type: SqlType }>

/** The values of outer references `ids` at row i of their columns (null = not available here), and a key for them. */
function outerValues(ids: readonly number[], cols: readonly (Vector | null)[], i: number): { values: OuterValues; key: string } {
  const values: OuterValues = new Map()
  ids.forEach((id, k) => {
    const c = cols[k]
    if (c) values.set(id, { value: valueAt(c, i), type: c.type })
  })
  return { values, key: jsonKey([...values.values()].map((v) => v.value)) }
}

/** Runs a correlated plan with its outer references replaced by the given values. */
async function runWithOuter(plan: PhysicalPlan, values: OuterValues, run: Runner): Promise<Batch[]> {
  return run(await resolveSubqueries(substituteOuter(plan, values), run))
}

/**
 * A LATERAL join: the right plan runs once per distinct combination of the left values it
 * references; each left row is paired with the rows of its combination, then the join condition
 * and join type apply as in any join.
 */
export async function lateralJoin(p: LateralJoinExec, leftIn: readonly Batch[], run: Runner, condEnv: ConditionEnv): Promise<Batch[]> {
  const left = concatBatches(p.left.fields.map((f) => f.type), leftIn)
  const cols = p.outerIndex.map((i) => left.columns[i]!)
  const results: Batch[] = []
  const ranges = new Map<string, { start: number; count: number }>()
  let total = 0
  const li: number[] = []
  const ri: number[] = []
  const perRow = callsVolatile(p.right)
  for (let i = 0; i < left.numRows; i++) {
    const { values, key } = outerValues(p.outerRefs, cols, i)
    let r = perRow ? undefined : ranges.get(key)
    if (!r) {
      const batches = await runWithOuter(p.right, values, run)
      r = { start: total, count: batches.reduce((n, b) => n + b.numRows, 0) }
      results.push(...batches)
      total += r.count
      ranges.set(key, r)
    }
    for (let j = 0; j < r.count; j++) {
      li.push(i)
      ri.push(r.start + j)
    }
  }
  const right = concatBatches(p.right.fields.map((f) => f.type), results)
  return finishJoin(p.joinType, p.on, left, right, li, ri, condEnv, p, { nullAware: false, rightHasNullKey: false, leftNullKey: null })
}

function firstColumn(batches: Batch[], type: SqlType): Vector {
  const vals: Value[] = []
  for (const b of batches) for (let i = 0; i < b.numRows; i++) vals.push(b.columns.length ? valueAt(b.columns[0]!, i) : true)
  return vectorFromValues(type, vals)
}

function resultFor(s: SubqueryExpr, rows: Vector, testVec: Vector | null, i: number): Value {
  switch (s.subKind) {
    case 'exists':
      return rows.length > 0
    case 'array': {
      const vals: Value[] = []
      for (let k = 0; k < rows.length; k++) vals.push(valueAt(rows, k))
      return vals
    }
    case 'scalar':
      if (rows.length > 1) throw execError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression')
      return rows.length === 0 ? null : valueAt(rows, 0)
    case 'any':
    case 'all':
    case 'row': {
      if (rows.length === 0) return s.subKind === 'all'
      if (isNull(testVec!, i)) return null
      let sawNull = false
      for (let k = 0; k < rows.length; k++) {
        if (isNull(rows, k)) {
          sawNull = true
          continue
        }
        const ok = test(s.op as CompareOp, compareAt(testVec!, i, rows, k))
        if (s.subKind === 'any' && ok) return true
        if (s.subKind === 'all' && !ok) return false
      }
      return sawNull ? null : s.subKind === 'all'
    }
  }
}

/** Replaces outer references by constants throughout a plan, nested subqueries included. */
export function substituteOuter(plan: PhysicalPlan, values: ReadonlyMap<number, { value: Value; type: SqlType }>): PhysicalPlan {
  const fix = (e: Expr): Expr => {
    if (e.kind === 'OuterRef') {
      const v = values.get(e.id)
      return v ? lit(v.value, e.type) : e
    }
    if (e.kind === 'Subquery') {
      const keep = e.outerRefs.map((id, k) => [id, k] as const).filter(([id]) => !values.has(id))
      const idx = (e as SubqueryExpr & { outerIndex?: number[] }).outerIndex ?? []
      return {
        ...e,
        ...(e.testExpr ? { testExpr: fix(e.testExpr) } : {}),
        plan: substituteOuter(e.plan as unknown as PhysicalPlan, values) as unknown as SubqueryExpr['plan'],
        outerRefs: keep.map(([id]) => id),
        outerIndex: keep.map(([, k]) => idx[k] ?? -1),
      } as Expr
    }
    return mapChildren(e, fix)
  }
  return mapPhysicalExprs(plan, fix)
}
