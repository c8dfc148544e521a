/**
 * Runs a physical plan fragment for one partition and returns its output batches. This is the one
 * place that maps a physical node to its operator; exchanges are delegated to the caller (the
 * executor on the main thread, which runs their inputs as tasks on the worker pool).
 */
import { execError, InternalError, QueryCanceledError, SqlState } from '../common/errors.js'
import { constVector, valueAt, vectorFromValues, type Value } from '../common/value.js'
import type { Batch, Vector } from '../common/vector.js'
import { isWideInt8 } from '../common/int8.js'
import { concatBatches, evaluate, takeBatch, trueIndices, type EvalEnv } from '../kernels/eval.js'
import type { PhysicalPlan } from '../physical/plan.js'
import type { Expr } from '../logical/expr.js'
import { hashAggregate } from './aggregate.js'
import { lateralJoin, withCorrelated } from './correlated.js'
import { compareByKeys } from './order.js'
import { hashJoin, nestedLoopJoin, type ConditionEnv } from './join.js'
import { rowKeys } from './keys.js'
import { functionScan, scan } from './scan.js'
import { windowExec } from './window.js'

/** Per-task execution state. */
export interface TaskContext {
  readonly env: EvalEnv
  /** This task's partition (for partitioned scans) and the partition count. */
  readonly partition: number
  /** Runs an exchange's input on the pool and returns the gathered batches (main thread only). */
  readonly exchange?: (node: Extract<PhysicalPlan, { kind: 'ExchangeExec' }>) => Promise<Batch[]>
  /** Working tables of recursive CTEs. */
  readonly workTables: Map<number, Batch[]>
  /** True once the statement was cancelled. */
  readonly cancelled: () => boolean
}

/** Executes a plan fragment and returns all its output batches. */
export async function runPlan(p: PhysicalPlan, ctx: TaskContext): Promise<Batch[]> {
  if (ctx.cancelled()) throw new QueryCanceledError()
  const env = ctx.env
  switch (p.kind) {
    case 'ScanExec':
      return scan(p, ctx.partition, env)
    case 'ValuesExec': {
      const one: Batch = { numRows: 1, columns: [] }
      const cols: Value[][] = p.fields.map(() => [])
      for (const row of p.rows) row.forEach((e, c) => cols[c]!.push(valueAt(evaluate(e, one, env), 0)))
      return [{ numRows: p.rows.length, columns: p.fields.map((f, c) => vectorFromValues(f.type, cols[c]!)) }]
    }
    case 'EmptyExec':
      return p.oneRow ? [{ numRows: 1, columns: [] }] : []
    case 'FilterExec': {
      const input = await runPlan(p.input, ctx)
      const out: Batch[] = []
      for (const b of input) {
        const benv = await withCorrelated([p.predicate], b, env, (x) => runPlan(x, ctx))
        const sel = trueIndices(evaluate(p.predicate, b, benv), b.numRows)
        if (sel.length > 0) out.push(takeBatch(b, sel))
      }
      return out
    }
    case 'ProjectExec': {
      const input = await runPlan(p.input, ctx)
      const out: Batch[] = []
      for (const b of input) {
        const benv = await withCorrelated(p.exprs, b, env, (x) => runPlan(x, ctx))
        out.push({ numRows: b.numRows, columns: p.exprs.map((e) => fit(evaluate(e, b, benv), b.numRows)) })
      }
      return out
    }
    case 'HashAggregateExec':
      return hashAggregate(p, await runPlan(p.input, ctx), env)
    case 'HashJoinExec': {
      const [l, r] = await Promise.all([runPlan(p.left, ctx), runPlan(p.right, ctx)])
      return hashJoin(p, l, r, env, p.residual ? conditionEnv(p.residual, env, ctx) : undefined)
    }
    case 'NestedLoopJoinExec': {
      const [l, r] = await Promise.all([runPlan(p.left, ctx), runPlan(p.right, ctx)])
      return nestedLoopJoin(p, l, r, env, p.on ? conditionEnv(p.on, env, ctx) : undefined)
    }
    case 'LateralJoinExec':
      return lateralJoin(p, await runPlan(p.left, ctx), (x) => runPlan(x, ctx), p.on ? conditionEnv(p.on, env, ctx) : async () => env)
    case 'FunctionScanExec':
      return functionScan(p, env)
    case 'SortExec': {
      const all = concatBatches(p.fields.map((f) => f.type), await runPlan(p.input, ctx))
      const idx = sortIndices(all, p.keys, env)
      const keep = p.fetch !== null && p.fetch < idx.length ? idx.subarray(0, p.fetch) : idx
      return [takeBatch(all, keep)]
    }
    case 'LimitExec': {
      const input = await runPlan(p.input, ctx)
      const out: Batch[] = []
      let skip = p.runtime?.offset ? (runtimeCount(p.runtime.offset, 'OFFSET', env) ?? 0) : p.offset
      let left = (p.runtime?.limit ? runtimeCount(p.runtime.limit, 'LIMIT', env) : p.limit) ?? Infinity
      for (const b of input) {
        if (left <= 0) break
        const start = Math.min(skip, b.numRows)
        skip -= start
        const end = Math.min(b.numRows, start + left)
        if (end > start) {
          out.push(takeBatch(b, Int32Array.from({ length: end - start }, (_, k) => start + k)))
          left -= end - start
        }
      }
      return out
    }
    case 'DistinctExec': {
      const all = concatBatches(p.fields.map((f) => f.type), await runPlan(p.input, ctx))
      const cols = p.on ? p.on.map((e) => evaluate(e, all, env)) : all.columns
      const { keys } = rowKeys(cols, all.numRows)
      const seen = new Set<number | string>()
      const keep: number[] = []
      for (let i = 0; i < all.numRows; i++) {
        const k = keys[i]!
        if (!seen.has(k)) {
          seen.add(k)
          keep.push(i)
        }
      }
      return [takeBatch(all, keep)]
    }
    case 'SetOpExec':
      return setOp(p, await runPlan(p.left, ctx), await runPlan(p.right, ctx))
    case 'WindowExec':
      return windowExec(p, await runPlan(p.input, ctx), env)
    case 'ExchangeExec':
      if (!ctx.exchange) throw new InternalError('exchange inside a worker task')
      return ctx.exchange(p)
    case 'WorkTableExec':
      return ctx.workTables.get(p.cteId) ?? []
    case 'RecursiveCteExec':
      return recursiveCte(p, ctx)
  }
}

/** A LIMIT/OFFSET count given by parameters: null when NULL, an error when negative (as PostgreSQL). */
function runtimeCount(e: Expr, what: 'LIMIT' | 'OFFSET', env: EvalEnv): number | null {
  const v = valueAt(evaluate(e, { numRows: 1, columns: [] }, env), 0)
  if (v === null) return null
  const n = Number(v)
  if (n < 0) throw execError(what === 'LIMIT' ? SqlState.invalidRowCountInLimit : SqlState.invalidRowCountInResultOffset, `${what} must not be negative`)
  return n
}

/** A join condition's environment over candidate pairs, with its correlated subqueries evaluated for them. */
const conditionEnv = (cond: Expr, env: EvalEnv, ctx: TaskContext): ConditionEnv => (pairs) => withCorrelated([cond], pairs, env, (x) => runPlan(x, ctx))

/** Makes a projected vector as long as its batch (constants evaluate to length-n vectors already). */
function fit(v: Vector, n: number): Vector {
  if (v.length === n) return v
  if (v.length === 1) return constVector(v.type, valueAt(v, 0), n)
  throw new InternalError(`vector length ${v.length} does not match batch length ${n}`)
}

/** Row order for ORDER BY keys with PostgreSQL's NULL placement. Stable. */
export function sortIndices(b: Batch, keys: Extract<PhysicalPlan, { kind: 'SortExec' }>['keys'], env: EvalEnv): Int32Array {
  const n = b.numRows
  const cols = keys.map((k) => evaluate(k.expr, b, env))
  const idx = new Int32Array(n)
  for (let i = 0; i < n; i++) idx[i] = i
  // single numeric key without NULLs: sort typed keys directly
  const c0 = cols[0]
  if (cols.length === 1 && c0!.validity === null && c0!.offsets === undefined && c0!.type.id !== 'interval' && c0!.type.id !== 'float8' && c0!.type.id !== 'float4' && !isWideInt8(c0!)) {
    const v = c0!.values
    const desc = keys[0]!.desc
    const arr = Array.from(idx)
    arr.sort((x, y) => (desc ? v[y]! - v[x]! : v[x]! - v[y]!) || x - y)
    return Int32Array.from(arr)
  }
  const arr = Array.from(idx)
  arr.sort((x, y) => compareByKeys(cols, keys, x, y) || x - y)
  return Int32Array.from(arr)
}

function setOp(p: Extract<PhysicalPlan, { kind: 'SetOpExec' }>, leftIn: Batch[], rightIn: Batch[]): Batch[] {
  const types = p.fields.map((f) => f.type)
  const left = concatBatches(types, leftIn)
  const right = concatBatches(types, rightIn)
  if (p.op === 'union' && p.all) return [left, right].filter((b) => b.numRows > 0)
  const lk = rowKeys(left.columns, left.numRows).keys
  const rk = rowKeys(right.columns, right.numRows).keys
  if (p.op === 'union') {
    const both = concatBatches(types, [left, right])
    const keys = [...lk, ...rk]
    const seen = new Set<number | string>()
    const keep: number[] = []
    keys.forEach((k, i) => {
      if (!seen.has(k)) {
        seen.add(k)
        keep.push(i)
      }
    })
    return [takeBatch(both, keep)]
  }
  const counts = new Map<number | string, number>()
  for (const k of rk) counts.set(k, (counts.get(k) ?? 0) + 1)
  const keep: number[] = []
  const emitted = new Map<number | string, number>()
  lk.forEach((k, i) => {
    const inRight = counts.get(k) ?? 0
    const already = emitted.get(k) ?? 0
    if (p.op === 'intersect') {
      if (p.all ? already < inRight : already === 0 && inRight > 0) keep.push(i)
    } else {
      // EXCEPT ALL keeps (left count − right count) copies; EXCEPT keeps one when absent on the right
      if (p.all) {
        const seenSoFar = already
        if (seenSoFar >= inRight) keep.push(i)
      } else if (inRight === 0 && already === 0) keep.push(i)
    }
    emitted.set(k, already + 1)
  })
  return [takeBatch(left, keep)]
}

async function recursiveCte(p: Extract<PhysicalPlan, { kind: 'RecursiveCteExec' }>, ctx: TaskContext): Promise<Batch[]> {
  const types = p.fields.map((f) => f.type)
  const result: Batch[] = []
  const seen = new Set<number | string>()
  const dedupe = (b: Batch): Batch => {
    if (p.all) return b
    const { keys } = rowKeys(b.columns, b.numRows)
    const keep: number[] = []
    keys.forEach((k, i) => {
      if (!seen.has(k)) {
        seen.add(k)
        keep.push(i)
      }
    })
    return takeBatch(b, keep)
  }
  let work = dedupe(concatBatches(types, await runPlan(p.anchor, ctx)))
  let total = 0
  for (let iter = 0; work.numRows > 0; iter++) {
    result.push(work)
    total += work.numRows
    if (total > 10_000_000) throw execError('54000', 'recursive query produced more than 10 million rows')
    ctx.workTables.set(p.cteId, [work])
    work = dedupe(concatBatches(types, await runPlan(p.step, ctx)))
    if (ctx.cancelled()) throw new QueryCanceledError()
  }
  ctx.workTables.delete(p.cteId)
  return result
}

