/**
 * Correlated subqueries that the optimizer could not turn into joins run per distinct combination
 * of the outer values they reference: the outer references become constants, the subquery runs,
 * and its result becomes one value per outer row (scalar value, EXISTS, or ANY/ALL comparison).
 */
import { execError, SqlState } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import { jsonKey, valueAt, vectorFromValues, type Value } from '../common/value.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import { compareAt, test, type CompareOp } from '../kernels/arith.js'
import { evaluate, type EvalEnv } from '../kernels/eval.js'
import { lit, mapChildren, type Expr, type SubqueryExpr } from '../logical/expr.js'
import type { PhysicalPlan } from '../physical/plan.js'
import { mapPhysicalExprs, resolveSubqueries } from '../exec/subqueries.js'

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
  const test0 = s.testExpr ? evaluate(s.testExpr, batch, env) : null
  const cache = new Map<string, Vector>()
  const out: Value[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const values = new Map<number, { value: Value; type: SqlType }>()
    s.outerRefs.forEach((id, k) => {
      const c = outerCols[k]
      if (c) values.set(id, { value: valueAt(c, i), type: c.type })
    })
    const key = jsonKey([...values.values()].map((v) => v.value))
    let rows = cache.get(key)
    if (!rows) {
      const plan = substituteOuter(s.plan as unknown as PhysicalPlan, values)
      const batches = await run(await resolveSubqueries(plan, run))
      rows = firstColumn(batches, (s.plan as unknown as PhysicalPlan).fields[0]?.type ?? T.bool)
      cache.set(key, rows)
    }
    out[i] = resultFor(s, rows, test0, i)
  }
  return vectorFromValues(s.type, out)
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
    case 'all': {
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
