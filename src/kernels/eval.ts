/**
 * Vectorised expression evaluation: an expression over a batch → one vector. In physical
 * expressions a Column's `id` is the input column's position. Boolean logic is PostgreSQL's
 * three-valued logic over (value, validity) pairs.
 */
import { execError, InternalError, NotImplementedError, SqlState } from '../common/errors.js'
import { requireNarrowInt8 } from '../common/int8.js'
import { layoutOf, T, type SqlType } from '../common/types.js'
import { constVector, valueAt, vectorFromValues, type Value } from '../common/value.js'
import { allValid, andValidity, bitmapBytes, clearBit, concatVectors, isNull, toStrings as toStringsOf, type Batch, type Vector } from '../common/vector.js'
import type { Expr } from '../logical/expr.js'
import { arithmetic, compare, compareAt, compareScalar, type CompareOp } from './arith.js'
import { castVector } from './cast.js'
import { lookupFunctions, type EvalContext } from './registry.js'
import { builtinFunction } from './builtins.js'

/** What evaluation needs beyond the batch. */
export interface EvalEnv extends EvalContext {
  /** Values of $1…$n. */
  readonly params: readonly Value[]
  /** Runs a subquery expression for the rows of a batch (provided by the executor). */
  readonly subquery?: (e: Extract<Expr, { kind: 'Subquery' }>, batch: Batch, env: EvalEnv) => Vector
  /** Values of outer references while evaluating a correlated subquery, by outer column id. */
  readonly outer?: ReadonlyMap<number, { value: Value; type: SqlType }>
  /** Per-row values of correlated subqueries, computed for the batch being evaluated. */
  readonly precomputed?: ReadonlyMap<Expr, Vector>
}

/** Evaluates an expression over every row of a batch. */
export function evaluate(e: Expr, batch: Batch, env: EvalEnv): Vector {
  const n = batch.numRows
  switch (e.kind) {
    case 'Column': {
      const v = batch.columns[e.id]
      if (!v) throw new InternalError(`column position ${e.id} out of range`)
      return v
    }
    case 'Literal':
      // an untyped literal is text until a cast gives it a type
      return constVector(e.type.id === 'unknown' || e.type.id === 'null' ? T.text : e.type, e.value, n)
    case 'Param':
      return constVector(e.type.id === 'unknown' ? T.text : e.type, env.params[e.index - 1] ?? null, n)
    case 'OuterRef': {
      const o = env.outer?.get(e.id)
      if (!o) throw new InternalError(`outer reference ${e.name} has no value`)
      return constVector(e.type, o.value, n)
    }
    case 'Binary': {
      const cmp = e.op === '=' || e.op === '<>' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>='
      if (cmp && e.right.kind === 'Literal' && e.right.value !== null && typeof e.right.value !== 'object' && e.right.type.id === e.left.type.id) {
        const fast = compareScalar(e.op as CompareOp, evaluate(e.left, batch, env), e.right.value, n)
        if (fast) return fast
      }
      const l = evaluate(e.left, batch, env)
      const r = evaluate(e.right, batch, env)
      switch (e.op) {
        case '+':
        case '-':
        case '*':
        case '/':
        case '%':
          return arithmetic(e.op, l, r, n, e.type)
        case 'is distinct from':
        case 'is not distinct from':
          return distinctFrom(l, r, n, e.op === 'is distinct from')
        default:
          return compare(e.op as CompareOp, l, r, n)
      }
    }
    case 'And':
    case 'Or': {
      let acc = evaluate(e.args[0]!, batch, env)
      for (let k = 1; k < e.args.length; k++) acc = logic(e.kind, acc, evaluate(e.args[k]!, batch, env), n)
      return acc
    }
    case 'Not': {
      const a = evaluate(e.arg, batch, env)
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = a.values[i] ? 0 : 1
      return { type: T.bool, length: n, values: out, validity: a.validity }
    }
    case 'IsNull': {
      const a = evaluate(e.arg, batch, env)
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) out[i] = isNull(a, i) !== e.negated ? 1 : 0
      return { type: T.bool, length: n, values: out, validity: null }
    }
    case 'IsBool': {
      const a = evaluate(e.arg, batch, env)
      const out = new Uint8Array(n)
      for (let i = 0; i < n; i++) {
        const nul = isNull(a, i)
        const r = e.test === 'unknown' ? nul : !nul && (a.values[i] !== 0) === (e.test === 'true')
        out[i] = r !== e.negated ? 1 : 0
      }
      return { type: T.bool, length: n, values: out, validity: null }
    }
    case 'Cast': {
      let v = evaluate(e.arg, batch, env)
      // untyped values (string literals, VALUES of literals) are text until cast
      if (v.type.id === 'unknown' || v.type.id === 'null') v = { ...v, type: v.offsets ? T.text : v.type }
      if (v.type.id === 'null') return vectorFromValues(e.type, new Array<Value>(v.length).fill(null))
      return castVector(v, e.type, { timezone: env.timezone })
    }
    case 'Case':
      return evalCase(e, batch, env)
    case 'Call':
      return evalCall(e, batch, env)
    case 'InList':
      return evalInList(e, batch, env)
    case 'Array': {
      const els = e.elements.map((x) => evaluate(x, batch, env))
      const rows: Value[] = []
      for (let i = 0; i < n; i++) rows.push(els.map((v) => valueAt(v, i)))
      return vectorFromValues(e.type, rows)
    }
    case 'Subquery': {
      const pre = env.precomputed?.get(e)
      if (pre) return pre
      if (!env.subquery) throw new NotImplementedError('subqueries are not supported in this context')
      return env.subquery(e, batch, env)
    }
  }
}

/** Evaluates a boolean predicate and returns the indices of rows where it is true. */
export function selectTrue(pred: Expr, batch: Batch, env: EvalEnv): Int32Array {
  const m = evaluate(pred, batch, env)
  return trueIndices(m, batch.numRows)
}

/** Indices where a boolean vector is true (not NULL). */
export function trueIndices(m: Vector, n: number): Int32Array {
  const sel = new Int32Array(n)
  let k = 0
  const v = m.values
  const bm = m.validity
  if (bm === null) {
    for (let i = 0; i < n; i++) if (v[i]) sel[k++] = i
  } else {
    for (let i = 0; i < n; i++) if (v[i] && (bm[i >> 3]! >> (i & 7)) & 1) sel[k++] = i
  }
  return sel.subarray(0, k)
}

function logic(kind: 'And' | 'Or', a: Vector, b: Vector, n: number): Vector {
  const out = new Uint8Array(n)
  const av = a.values
  const bv = b.values
  if (a.validity === null && b.validity === null) {
    if (kind === 'And') for (let i = 0; i < n; i++) out[i] = av[i]! & bv[i]!
    else for (let i = 0; i < n; i++) out[i] = av[i]! | bv[i]!
    return { type: T.bool, length: n, values: out, validity: null }
  }
  let validity: Uint8Array | null = null
  for (let i = 0; i < n; i++) {
    const an = isNull(a, i)
    const bn = isNull(b, i)
    const x = av[i] !== 0
    const y = bv[i] !== 0
    let r: boolean | null
    if (kind === 'And') r = (!an && !x) || (!bn && !y) ? false : an || bn ? null : true
    else r = (!an && x) || (!bn && y) ? true : an || bn ? null : false
    if (r === null) {
      validity ??= allValid(n)
      clearBit(validity, i)
    } else out[i] = r ? 1 : 0
  }
  return { type: T.bool, length: n, values: out, validity }
}

function distinctFrom(l: Vector, r: Vector, n: number, distinct: boolean): Vector {
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const ln = isNull(l, i)
    const rn = isNull(r, i)
    const same = ln || rn ? ln && rn : compareAt(l, i, r, i) === 0
    out[i] = same !== distinct ? 1 : 0
  }
  return { type: T.bool, length: n, values: out, validity: null }
}

function evalCase(e: Extract<Expr, { kind: 'Case' }>, batch: Batch, env: EvalEnv): Vector {
  const n = batch.numRows
  // rows not yet decided; evaluate each branch only over the whole batch (simple and correct),
  // then pick per row. Errors in untaken branches must not fire, so branches run on the subset.
  const chosen = new Int32Array(n).fill(-1)
  let remaining: number[] = Array.from({ length: n }, (_, i) => i)
  // precomputed per-row subquery values follow the rows a branch runs on
  const envFor = (rows: number[]): EvalEnv =>
    env.precomputed && rows.length !== n ? { ...env, precomputed: new Map([...env.precomputed].map(([k, v]) => [k, take(v, rows)])) } : env
  for (let w = 0; w < e.whens.length && remaining.length > 0; w++) {
    const sub = takeBatch(batch, remaining)
    const cond = evaluate(e.whens[w]!.when, sub, envFor(remaining))
    const next: number[] = []
    for (let k = 0; k < remaining.length; k++) {
      if (cond.values[k] && !isNull(cond, k)) chosen[remaining[k]!] = w
      else next.push(remaining[k]!)
    }
    remaining = next
  }
  const results: { rows: number[]; vec: Vector }[] = []
  for (let w = 0; w <= e.whens.length; w++) {
    const rows: number[] = []
    for (let i = 0; i < n; i++) if ((chosen[i] === -1 ? e.whens.length : chosen[i]) === w) rows.push(i)
    if (rows.length === 0) continue
    const expr = w === e.whens.length ? e.otherwise : e.whens[w]!.then
    results.push({ rows, vec: evaluate(expr, takeBatch(batch, rows), envFor(rows)) })
  }
  const values: Value[] = new Array(n).fill(null)
  if (results.length === 1 && results[0]!.rows.length === n) return results[0]!.vec
  for (const r of results) for (let k = 0; k < r.rows.length; k++) values[r.rows[k]!] = valueAt(r.vec, k)
  return vectorFromValues(e.type, values)
}

function evalInList(e: Extract<Expr, { kind: 'InList' }>, batch: Batch, env: EvalEnv): Vector {
  const n = batch.numRows
  const a = evaluate(e.arg, batch, env)
  const fast = inListOfConstants(e, a, n)
  if (fast) return fast
  const found = new Uint8Array(n)
  const sawNull = new Uint8Array(n)
  for (const item of e.list) {
    const v = evaluate(item, batch, env)
    const eq = compare('=', a, v, n)
    for (let i = 0; i < n; i++) {
      if (isNull(eq, i)) sawNull[i] = 1
      else if (eq.values[i]) found[i] = 1
    }
  }
  const out = new Uint8Array(n)
  let validity: Uint8Array | null = null
  for (let i = 0; i < n; i++) {
    if (found[i]) out[i] = e.negated ? 0 : 1
    else if (sawNull[i] || isNull(a, i)) {
      validity ??= allValid(n)
      clearBit(validity, i)
    } else out[i] = e.negated ? 1 : 0
  }
  return { type: T.bool, length: n, values: out, validity }
}

/** x IN (constants…) with a hash set of the constants, when the types allow it. */
function inListOfConstants(e: Extract<Expr, { kind: 'InList' }>, a: Vector, n: number): Vector | undefined {
  if (!e.list.every((x) => x.kind === 'Literal' && x.type.id === e.arg.type.id)) return undefined
  const t = a.type.id
  const strings = a.offsets !== undefined
  if (t === 'numeric' || t === 'interval' || t === 'array' || t === 'bpchar' || t === 'float4' || t === 'float8') return undefined
  const set = new Set<string | number>()
  let hasNull = false
  for (const x of e.list) {
    const v = (x as { value: Value }).value
    if (v === null) hasNull = true
    else if (strings ? typeof v === 'string' : typeof v === 'number' || typeof v === 'boolean') set.add(typeof v === "boolean" ? (v ? 1 : 0) : (v as string | number))
    else return undefined
  }
  const out = new Uint8Array(n)
  let validity: Uint8Array | null = a.validity ? new Uint8Array(a.validity) : null
  const vals = strings ? toStringsOf(a) : a.values
  for (let i = 0; i < n; i++) {
    const found = set.has(vals[i] as string | number)
    if (found) out[i] = e.negated ? 0 : 1
    else if (hasNull) {
      validity ??= allValid(n)
      clearBit(validity, i)
    } else out[i] = e.negated ? 1 : 0
  }
  return { type: T.bool, length: n, values: out, validity }
}

function evalCall(e: Extract<Expr, { kind: 'Call' }>, batch: Batch, env: EvalEnv): Vector {
  const n = batch.numRows
  const builtin = builtinFunction(e.fn)
  if (builtin) return builtin(e, batch, env, (x, b) => evaluate(x, b, env))
  const args = e.args.map((a) => evaluate(a, batch, env))
  const fns = lookupFunctions(e.fn)
  const argTypes = e.args.map((a) => a.type)
  for (const f of fns) {
    const r = f.resolve(argTypes)
    if (r) return f.evaluate(f.wideInt8 ? args : args.map((a) => requireNarrowInt8(a, `function ${e.fn}`)), n, e.type, env)
  }
  throw new InternalError(`function ${e.fn} has no implementation for its argument types`)
}

/** The rows at `indices` of a batch (a gather; used by CASE and operators). */
export function takeBatch(batch: Batch, indices: ArrayLike<number>): Batch {
  if (indices.length === batch.numRows) {
    let identity = true
    for (let k = 0; k < indices.length; k++) if (indices[k] !== k) {
      identity = false
      break
    }
    if (identity) return batch
  }
  return { numRows: indices.length, columns: batch.columns.map((c) => take(c, indices)) }
}

/** Gathers rows of a vector by index. */
export function take(v: Vector, idx: ArrayLike<number>): Vector {
  const n = idx.length
  let validity: Uint8Array | null = null
  if (v.validity !== null) {
    validity = new Uint8Array(bitmapBytes(n))
    const src = v.validity
    for (let k = 0; k < n; k++) {
      const i = idx[k]!
      if ((src[i >> 3]! >> (i & 7)) & 1) validity[k >> 3]! |= 1 << (k & 7)
    }
  }
  const layout = layoutOf(v.type)
  if (layout === 'utf8') {
    const off = v.offsets!
    const bytes = v.values as Uint8Array
    const offsets = new Int32Array(n + 1)
    let total = 0
    for (let k = 0; k < n; k++) {
      const i = idx[k]!
      total += off[i + 1]! - off[i]!
      offsets[k + 1] = total
    }
    const out = new Uint8Array(total)
    for (let k = 0; k < n; k++) {
      const i = idx[k]!
      const a = off[i]!
      const len = off[i + 1]! - a
      if (len === 1) out[offsets[k]!] = bytes[a]!
      else if (len > 0) out.set(bytes.subarray(a, a + len), offsets[k]!)
    }
    return { type: v.type, length: n, values: out, validity, offsets }
  }
  if (layout === 'list') {
    const vals: Value[] = []
    for (let k = 0; k < n; k++) vals.push(valueAt(v, idx[k]!))
    return vectorFromValues(v.type, vals)
  }
  if (layout === 'interval') {
    const src = v.values
    const out = new Float64Array(3 * n)
    for (let k = 0; k < n; k++) {
      const i = idx[k]!
      out[3 * k] = src[3 * i]!
      out[3 * k + 1] = src[3 * i + 1]!
      out[3 * k + 2] = src[3 * i + 2]!
    }
    return { type: v.type, length: n, values: out, validity }
  }
  const src = v.values
  const out = new (src.constructor as new (n: number) => typeof src)(n)
  for (let k = 0; k < n; k++) out[k] = src[idx[k]!]!
  return { type: v.type, length: n, values: out, validity }
}

/** Concatenates batches with the same column types. */
export function concatBatches(types: readonly SqlType[], batches: readonly Batch[]): Batch {
  const nonEmpty = batches.filter((b) => b.numRows > 0)
  if (nonEmpty.length === 1) return nonEmpty[0]!
  if (nonEmpty.length === 0) return { numRows: 0, columns: types.map((t) => vectorFromValues(t, [])) }
  return {
    numRows: nonEmpty.reduce((s, b) => s + b.numRows, 0),
    columns: types.map((_, c) => concatVectors(nonEmpty.map((b) => b.columns[c]!))),
  }
}

/** Validity AND (re-export for operators). */
export { andValidity }

/** Throws 22012 (used by builtins). */
export const divisionByZero = (): never => {
  throw execError(SqlState.divisionByZero, 'division by zero')
}
