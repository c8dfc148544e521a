/**
 * Hash aggregation over batches: group keys hashed per row, one accumulator per aggregate call and
 * group. Modes: 'single' (input rows → results), 'partial' (input rows → per-group states) and
 * 'final' (states → results), so aggregation runs partly in each partition and finishes after the
 * gather. Grouping sets run the grouping once per set and add the set's id column.
 */
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import { addDecimal, decimalToNumber, divDecimal, divScale, formatDecimal, mulDecimal, parseDecimal, pow10n, rescale, sqrtDecimal, subDecimal, type Decimal } from '../common/decimal.js'
import { numericValueAt, type NumericValue } from '../kernels/numeric.js'
import { T, type SqlType } from '../common/types.js'
import { int8BigAt, int8Value, wideValues } from '../common/int8.js'
import { jsonKey, valueAt, vectorFromValues, type Value } from '../common/value.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import { compareAt } from '../kernels/arith.js'
import { intervalDiv, intervalMul } from '../kernels/datetime.js'
import { concatBatches, evaluate, take, type EvalEnv } from '../kernels/eval.js'
import type { Expr } from '../logical/expr.js'
import type { AggregateCall } from '../logical/plan.js'
import type { HashAggregateExec } from '../physical/plan.js'
import { rowKeys } from './keys.js'
import { compareByKeys } from './order.js'

/** Runs a HashAggregateExec over its whole input. */
export function hashAggregate(node: HashAggregateExec, input: readonly Batch[], env: EvalEnv): Batch[] {
  const inTypes = inputTypes(node, input)
  const all = concatBatches(inTypes, input)
  // each expression is evaluated once over the input, however many grouping sets reuse it (nextval() runs once per row)
  const evaluated = new Map<Expr, Vector>()
  const evalOnce = (e: Expr): Vector => {
    let v = evaluated.get(e)
    if (!v) evaluated.set(e, (v = evaluate(e, all, env)))
    return v
  }
  if (node.groupingSets) {
    const out: Batch[] = []
    node.groupingSets.forEach((set) => {
      const mask = node.groupExprs.reduce((m, _, i) => (set.includes(i) ? m : m | (1 << i)), 0)
      out.push(aggregateOnce(node, all, evalOnce, set, mask))
    })
    return out
  }
  return [aggregateOnce(node, all, evalOnce, null, 0)]
}

function inputTypes(node: HashAggregateExec, input: readonly Batch[]): SqlType[] {
  if (input[0]) return input[0].columns.map((c) => c.type)
  const src = node.input.fields
  return src.map((f) => f.type)
}

/** The state columns a partial aggregate emits for a call. */
export function stateTypes(call: AggregateCall): SqlType[] {
  switch (call.fn) {
    case 'count':
      return [T.int8]
    case 'avg':
      return [sumType(call), T.int8]
    case 'sum':
      return [sumType(call)]
    default:
      return [call.type]
  }
}

const sumType = (call: AggregateCall): SqlType => {
  const a = call.args[0]!.type
  if (a.id === 'numeric') return a.scale === null ? T.numeric : { id: 'numeric', precision: null, scale: a.scale }
  if (a.id === 'int8' || a.id === 'int4' || a.id === 'int2') return T.int8
  return a.id === 'interval' ? T.interval : T.float8
}

function aggregateOnce(node: HashAggregateExec, batch: Batch, evalOnce: (e: Expr) => Vector, set: readonly number[] | null, gid: number): Batch {
  const n = batch.numRows
  const final = node.mode === 'final'
  const nGroup = node.groupExprs.length
  // in final mode the input is: group keys, then each call's state columns
  const keyCols: Vector[] = final ? batch.columns.slice(0, nGroup) : node.groupExprs.map((e) => evalOnce(e))
  const activeKeys = set === null ? keyCols : keyCols.filter((_, i) => set.includes(i))
  const { keys } = rowKeys(activeKeys, n)
  const groupOf = new Int32Array(n)
  const firstRow: number[] = []
  const map = new Map<number | string, number>()
  for (let i = 0; i < n; i++) {
    const k = keys[i]!
    let g = map.get(k)
    if (g === undefined) {
      g = firstRow.length
      map.set(k, g)
      firstRow.push(i)
    }
    groupOf[i] = g
  }
  // an aggregate without GROUP BY yields one row even over no input
  const scalar = nGroup === 0 || (set !== null && set.length === 0)
  if (scalar && firstRow.length === 0) firstRow.push(-1)
  const groups = firstRow.length
  const columns: Vector[] = []
  keyCols.forEach((kc, i) => {
    if (set !== null && !set.includes(i)) columns.push(vectorFromValues(kc.type, new Array(groups).fill(null)))
    else if (firstRow[0] === -1) columns.push(vectorFromValues(kc.type, []))
    else columns.push(take(kc, firstRow))
  })
  let stateCol = nGroup
  for (const call of node.aggregates) {
    const acc = makeAccumulator(call, node.mode, groups)
    if (final) {
      const states = stateTypes(call).map(() => batch.columns[stateCol++]!)
      acc.merge(states, groupOf, n)
    } else {
      const args = call.args.map((e) => evalOnce(e))
      let rows: Int32Array | null = null
      if (call.filter) {
        const m = evalOnce(call.filter)
        const sel: number[] = []
        for (let i = 0; i < n; i++) if (m.values[i] && !isNull(m, i)) sel.push(i)
        rows = Int32Array.from(sel)
      }
      if (acc instanceof CollectingAcc) acc.orderKeys = call.orderBy.map((k) => evalOnce(k.expr))
      acc.add(args, groupOf, n, rows)
    }
    columns.push(...(node.mode === 'partial' ? acc.states() : [acc.result()]))
  }
  if (set !== null) columns.push({ type: T.int4, length: groups, values: new Int32Array(groups).fill(gid), validity: null })
  return { numRows: groups, columns }
}

/** Accumulates one aggregate call for every group. */
interface Accumulator {
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void
  merge(states: readonly Vector[], groupOf: Int32Array, n: number): void
  states(): Vector[]
  result(): Vector
}

function makeAccumulator(call: AggregateCall, mode: HashAggregateExec['mode'], groups: number): Accumulator {
  if (call.distinct) return new CollectingAcc(call, groups)
  switch (call.fn) {
    case 'count':
      return new CountAcc(call, groups)
    case 'sum':
    case 'avg':
      return new SumAcc(call, groups)
    case 'min':
    case 'max':
    case 'any_value':
      return new MinMaxAcc(call, groups)
    case 'bool_and':
    case 'bool_or':
    case 'bit_and':
    case 'bit_or':
    case 'bit_xor':
      return new BoolAcc(call, groups)
    default:
      if (mode !== 'single') throw new NotImplementedError(`${call.fn} cannot run in two phases`)
      return new CollectingAcc(call, groups)
  }
}

const each = (n: number, rows: Int32Array | null, f: (i: number) => void): void => {
  if (rows) for (let k = 0; k < rows.length; k++) f(rows[k]!)
  else for (let i = 0; i < n; i++) f(i)
}

class CountAcc implements Accumulator {
  readonly counts: Float64Array
  constructor(
    readonly call: AggregateCall,
    groups: number,
  ) {
    this.counts = new Float64Array(groups)
  }
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    const c = this.counts
    const a = args[0]
    if (!a || a.validity === null) {
      if (rows) for (let k = 0; k < rows.length; k++) c[groupOf[rows[k]!]!]!++
      else for (let i = 0; i < n; i++) c[groupOf[i]!]!++
      return
    }
    each(n, rows, (i) => {
      if (!isNull(a, i)) c[groupOf[i]!]!++
    })
  }
  merge(states: readonly Vector[], groupOf: Int32Array, n: number): void {
    const s = states[0]!.values
    for (let i = 0; i < n; i++) this.counts[groupOf[i]!]! += s[i]!
  }
  states(): Vector[] {
    return [this.result()]
  }
  result(): Vector {
    return { type: T.int8, length: this.counts.length, values: this.counts, validity: null }
  }
}

/** sum and avg: exact for integers and numerics (doubles while safe, BigInt beyond), IEEE for floats. */
class SumAcc implements Accumulator {
  readonly sums: Float64Array
  readonly counts: Float64Array
  big: (bigint | undefined)[] | null = null
  /** For the text-layout (varying scale) numeric input: exact decimals per group. */
  dec: (Decimal | undefined)[] | null = null
  readonly inType: SqlType
  readonly exact: boolean
  /** sum(real): partial sums are rounded to single precision after each addition. */
  readonly single: boolean
  readonly scale: number
  iv: Float64Array | null = null
  constructor(
    readonly call: AggregateCall,
    groups: number,
  ) {
    this.sums = new Float64Array(groups)
    this.counts = new Float64Array(groups)
    this.inType = sumType(call)
    this.exact = this.inType.id === 'int8' || this.inType.id === 'numeric'
    this.single = call.fn === 'sum' && call.args[0]!.type.id === 'float4'
    this.scale = this.inType.id === 'numeric' ? (this.inType.scale ?? -1) : 0
    if (this.inType.id === 'numeric' && this.inType.scale === null) this.dec = new Array(groups)
    if (this.inType.id === 'interval') this.iv = new Float64Array(groups * 3)
  }
  private addValue(g: number, x: number): void {
    const s = this.sums[g]! + x
    if (this.exact && !Number.isSafeInteger(s)) {
      this.big ??= new Array(this.sums.length)
      this.big[g] = (this.big[g] ?? 0n) + BigInt(this.sums[g]!) + BigInt(x)
      this.sums[g] = 0
    } else this.sums[g] = s
  }
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    const a = args[0]!
    if (this.dec) {
      each(n, rows, (i) => {
        if (isNull(a, i)) return
        const g = groupOf[i]!
        const d = parseDecimal(valueAt(a, i) as string)
        this.dec![g] = addDec(this.dec![g], d)
        this.counts[g]!++
      })
      return
    }
    if (this.iv) {
      each(n, rows, (i) => {
        if (isNull(a, i)) return
        const g = groupOf[i]!
        for (let k = 0; k < 3; k++) this.iv![3 * g + k]! += a.values[3 * i + k]!
        this.counts[g]!++
      })
      return
    }
    const wide = wideValues(a)
    if (wide !== null) {
      // int8 values past ±2^53: exact bigint partial sums
      const big = (this.big ??= new Array(this.sums.length))
      each(n, rows, (i) => {
        if (isNull(a, i)) return
        const g = groupOf[i]!
        big[g] = (big[g] ?? 0n) + wide[i]!
        this.counts[g]!++
      })
      return
    }
    const v = a.values
    const c = this.counts
    if (this.single) {
      // sum(real) adds in single precision, as PostgreSQL's float4pl
      each(n, rows, (i) => {
        if (isNull(a, i)) return
        const g = groupOf[i]!
        this.sums[g] = Math.fround(this.sums[g]! + v[i]!)
        c[g]!++
      })
      return
    }
    if (a.validity === null && rows === null && !this.exact) {
      for (let i = 0; i < n; i++) {
        const g = groupOf[i]!
        this.sums[g]! += v[i]!
        c[g]!++
      }
      return
    }
    const bm = a.validity
    const sums = this.sums
    const exact = this.exact
    const count = rows ? rows.length : n
    for (let k = 0; k < count; k++) {
      const i = rows ? rows[k]! : k
      if (bm !== null && ((bm[i >> 3]! >> (i & 7)) & 1) === 0) continue
      const g = groupOf[i]!
      const s = sums[g]! + v[i]!
      // exact types leave the double path only when a partial sum passes 2^53
      if (exact && (s > 9007199254740991 || s < -9007199254740991)) this.addValue(g, v[i]!)
      else sums[g] = s
      c[g]!++
    }
  }
  merge(states: readonly Vector[], groupOf: Int32Array, n: number): void {
    const s = states[0]!
    const cnt = this.call.fn === 'avg' ? states[1]! : null
    for (let i = 0; i < n; i++) {
      const g = groupOf[i]!
      if (isNull(s, i)) continue
      if (this.dec) this.dec[g] = addDec(this.dec[g], parseDecimal(valueAt(s, i) as string))
      else if (this.iv) for (let k = 0; k < 3; k++) this.iv[3 * g + k]! += s.values[3 * i + k]!
      else if (s.offsets !== undefined) {
        // a partial sum that overflowed to decimal text
        const d = rescale(parseDecimal(valueAt(s, i) as string), this.scale)
        this.big ??= new Array(this.sums.length)
        this.big[g] = (this.big[g] ?? 0n) + d.unscaled
      } else if (this.single) this.sums[g] = Math.fround(this.sums[g]! + s.values[i]!)
      else this.addValue(g, s.values[i]!)
      this.counts[g]! += cnt ? cnt.values[i]! : 1
    }
  }
  /** The exact sum of group g as a decimal (scale = the input's). */
  private exactSum(g: number): Decimal {
    if (this.dec) return this.dec[g] ?? { unscaled: 0n, scale: 0 }
    const big = this.big?.[g]
    const unscaled = big !== undefined ? big + BigInt(this.sums[g]!) : BigInt(this.sums[g]!)
    return { unscaled, scale: Math.max(0, this.scale) }
  }
  private sumVector(): Vector {
    const groups = this.sums.length
    const t = this.inType
    if (this.iv) {
      const validity = nullWhereZero(this.counts)
      return { type: T.interval, length: groups, values: this.iv, validity }
    }
    if (!this.exact) return { type: t, length: groups, values: this.sums, validity: nullWhereZero(this.counts) }
    const needText = this.dec !== null || (this.big !== null && this.big.some((b) => b !== undefined))
    if (!needText) return { type: t, length: groups, values: this.sums, validity: nullWhereZero(this.counts) }
    const vals: Value[] = []
    for (let g = 0; g < groups; g++) vals.push(this.counts[g] === 0 ? null : formatDecimal(this.exactSum(g)))
    return vectorFromValues(T.numeric, vals)
  }
  states(): Vector[] {
    const s = this.sumVector()
    return this.call.fn === 'avg' ? [s, { type: T.int8, length: this.counts.length, values: this.counts, validity: null }] : [s]
  }
  result(): Vector {
    if (this.call.fn === 'sum') {
      const s = this.sumVector()
      if (this.call.type.id === 'numeric' && this.call.type.scale === null && s.type.id !== 'numeric') {
        // sum(bigint) is numeric
        const vals: Value[] = []
        for (let g = 0; g < this.sums.length; g++) vals.push(this.counts[g] === 0 ? null : formatDecimal(this.exactSum(g)))
        return vectorFromValues(T.numeric, vals)
      }
      if (s.type.id === 'numeric' && s.offsets !== undefined && this.call.type.id === 'numeric' && this.call.type.scale !== null) {
        return { ...s, type: T.numeric }
      }
      return { ...s, type: s.offsets !== undefined ? T.numeric : this.call.type }
    }
    // avg
    const groups = this.sums.length
    if (this.iv) {
      const out = new Float64Array(groups * 3)
      for (let g = 0; g < groups; g++) {
        if (!this.counts[g]) continue
        // interval / count cascades fractional months into days and days into time, as PostgreSQL's interval_div
        const [m, d, us] = intervalDiv(this.iv[3 * g]!, this.iv[3 * g + 1]!, this.iv[3 * g + 2]!, this.counts[g]!)
        out[3 * g] = m
        out[3 * g + 1] = d
        out[3 * g + 2] = us
      }
      return { type: T.interval, length: groups, values: out, validity: nullWhereZero(this.counts) }
    }
    if (!this.exact) {
      const out = new Float64Array(groups)
      for (let g = 0; g < groups; g++) out[g] = this.sums[g]! / this.counts[g]!
      return { type: T.float8, length: groups, values: out, validity: nullWhereZero(this.counts) }
    }
    const vals: Value[] = []
    for (let g = 0; g < groups; g++) {
      if (this.counts[g] === 0) vals.push(null)
      else vals.push(formatDecimal(divideDecimal(this.exactSum(g), { unscaled: BigInt(this.counts[g]!), scale: 0 })))
    }
    return vectorFromValues(T.numeric, vals)
  }
}

function addDec(a: Decimal | undefined, b: Decimal): Decimal {
  if (!a) return b
  const s = Math.max(a.scale, b.scale)
  return { unscaled: rescale(a, s).unscaled + rescale(b, s).unscaled, scale: s }
}

function nullWhereZero(counts: Float64Array): Uint8Array | null {
  let any = false
  for (let g = 0; g < counts.length; g++) if (counts[g] === 0) any = true
  if (!any) return null
  const bm = new Uint8Array((counts.length + 7) >> 3)
  for (let g = 0; g < counts.length; g++) if (counts[g] !== 0) bm[g >> 3]! |= 1 << (g & 7)
  return bm
}

/** a / b with PostgreSQL's result scale for numeric division (select_div_scale), rounded half away from zero. */
export function divideDecimal(a: Decimal, b: Decimal): Decimal {
  if (b.unscaled === 0n) throw execError(SqlState.divisionByZero, 'division by zero')
  const [w1, f1] = weightAndFirst(a)
  const [w2, f2] = weightAndFirst(b)
  let qweight = w1 - w2
  if (f1 <= f2) qweight--
  let rscale = 16 - qweight * 4
  rscale = Math.max(rscale, a.scale, b.scale, 0)
  rscale = Math.min(rscale, 1000)
  // a/b at rscale + 1 digits, then round
  const num = a.unscaled * pow10n(rscale + 1 + b.scale)
  const den = b.unscaled * pow10n(a.scale)
  let q = num / den
  const neg = q < 0n
  if (neg) q = -q
  q = (q + 5n) / 10n
  return { unscaled: neg ? -q : q, scale: rscale }
}

/** Weight (in base-10000 digits) and first base-10000 digit of a decimal, as PostgreSQL's NumericVar. */
function weightAndFirst(d: Decimal): [number, number] {
  let u = d.unscaled < 0n ? -d.unscaled : d.unscaled
  if (u === 0n) return [0, 0]
  const digits = u.toString().length
  const e10 = digits - d.scale - 1 // value in [10^e10, 10^(e10+1))
  const weight = Math.floor(e10 / 4)
  const shift = d.scale + 4 * weight
  u = shift >= 0 ? u / pow10n(shift) : u * pow10n(-shift)
  return [weight, Number(u % 10000n)]
}

class MinMaxAcc implements Accumulator {
  readonly best: Int32Array
  src: Vector | null = null
  constructor(
    readonly call: AggregateCall,
    groups: number,
  ) {
    this.best = new Int32Array(groups).fill(-1)
  }
  private consider(v: Vector, groupOf: Int32Array, n: number, rows: Int32Array | null, offset: number): void {
    const sign = this.call.fn === 'max' ? 1 : -1
    const fixed = v.offsets === undefined && v.type.id !== 'interval' && v.type.id !== 'float4' && v.type.id !== 'float8'
    const src = this.src!
    each(n, rows, (i) => {
      if (isNull(v, i)) return
      const g = groupOf[i]!
      const b = this.best[g]!
      if (b < 0) this.best[g] = offset + i
      else if (this.call.fn !== 'any_value') {
        const c = fixed ? (v.values[i]! > src.values[b]! ? 1 : v.values[i]! < src.values[b]! ? -1 : 0) : compareAt(src, offset + i, src, b)
        if (sign * c > 0) this.best[g] = offset + i
      }
    })
  }
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    this.src = args[0]!
    this.consider(args[0]!, groupOf, n, rows, 0)
  }
  merge(states: readonly Vector[], groupOf: Int32Array, n: number): void {
    this.src = states[0]!
    this.consider(states[0]!, groupOf, n, null, 0)
  }
  states(): Vector[] {
    return [this.result()]
  }
  result(): Vector {
    const groups = this.best.length
    if (!this.src) return vectorFromValues(this.call.type, new Array(groups).fill(null))
    const idx = Array.from(this.best, (b) => (b < 0 ? 0 : b))
    const v = this.src.length === 0 ? vectorFromValues(this.call.type, new Array(groups).fill(null)) : take(this.src, idx)
    const validity = new Uint8Array((groups + 7) >> 3)
    for (let g = 0; g < groups; g++) if (this.best[g]! >= 0 && !isNull(v, g)) validity[g >> 3]! |= 1 << (g & 7)
    return { ...v, type: this.call.type, validity }
  }
}

/** bool_and/bool_or, and bit_and/bit_or/bit_xor exactly over 64-bit integers (either int8 layout). */
class BoolAcc implements Accumulator {
  readonly vals: Float64Array
  readonly bits: bigint[]
  readonly seen: Uint8Array
  constructor(
    readonly call: AggregateCall,
    groups: number,
  ) {
    this.vals = new Float64Array(groups)
    this.bits = new Array<bigint>(groups)
    this.seen = new Uint8Array(groups)
  }
  private fold(v: Vector, groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    const fn = this.call.fn
    each(n, rows, (i) => {
      if (isNull(v, i)) return
      const g = groupOf[i]!
      if (fn === 'bool_and' || fn === 'bool_or') {
        const x = v.values[i]!
        this.vals[g] = !this.seen[g] ? x : fn === 'bool_and' ? (this.vals[g]! && x ? 1 : 0) : this.vals[g]! || x ? 1 : 0
      } else {
        const x = int8BigAt(v, i)
        this.bits[g] = !this.seen[g] ? x : bitFold(fn, this.bits[g]!, x)
      }
      this.seen[g] = 1
    })
  }
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    this.fold(args[0]!, groupOf, n, rows)
  }
  merge(states: readonly Vector[], groupOf: Int32Array, n: number): void {
    this.fold(states[0]!, groupOf, n, null)
  }
  states(): Vector[] {
    return [this.result()]
  }
  result(): Vector {
    const bool = this.call.type.id === 'bool'
    const vals: Value[] = []
    for (let g = 0; g < this.vals.length; g++) vals.push(!this.seen[g] ? null : bool ? this.vals[g] !== 0 : int8Value(this.bits[g]!))
    return vectorFromValues(this.call.type, vals)
  }
}

/** Aggregates that need every value of a group: DISTINCT aggregates, ordered ones, statistics. */
class CollectingAcc implements Accumulator {
  readonly rows: number[][]
  args: Vector[] = []
  orderKeys: Vector[] = []
  constructor(
    readonly call: AggregateCall,
    groups: number,
  ) {
    this.rows = Array.from({ length: groups }, () => [])
  }
  add(args: readonly Vector[], groupOf: Int32Array, n: number, rows: Int32Array | null): void {
    this.args = [...args]
    each(n, rows, (i) => this.rows[groupOf[i]!]!.push(i))
  }
  merge(): void {
    throw new NotImplementedError(`${this.call.fn} cannot be merged`)
  }
  states(): Vector[] {
    throw new NotImplementedError(`${this.call.fn} cannot run in two phases`)
  }
  result(): Vector {
    const out: Value[] = []
    for (const rows of this.rows) out.push(this.compute(rows))
    return vectorFromValues(this.call.type, out)
  }
  compute(rows: number[]): Value {
    const c = this.call
    const a = this.args[c.fn === 'percentile_cont' || c.fn === 'percentile_disc' ? c.args.length - 1 : 0]
    // strict aggregates skip NULL inputs (string_agg skips NULL values; array_agg keeps them)
    let live = c.fn === 'array_agg' ? rows : rows.filter((i) => a !== undefined && !isNull(a, i))
    if (c.fn === 'count' && c.args.length === 0) live = rows
    if (c.fn === 'string_agg') live = rows.filter((i) => !isNull(this.args[0]!, i))
    if (c.orderBy.length > 0 && (c.fn === 'string_agg' || c.fn === 'array_agg')) live = this.sortRows(live)
    if (c.distinct) {
      const seen = new Set<string>()
      const kept: number[] = []
      for (const i of live) {
        const k = jsonKey(this.args.map((v) => valueAt(v, i)))
        if (!seen.has(k)) {
          seen.add(k)
          kept.push(i)
        }
      }
      live = kept
    }
    const nums = (): number[] => live.map((i) => toNumber(valueAt(a!, i)))
    switch (c.fn) {
      case 'count':
        return live.length
      case 'sum':
      case 'avg': {
        if (live.length === 0) return null
        if (a!.type.id === 'numeric' || a!.type.id === 'int8' || a!.type.id === 'int4' || a!.type.id === 'int2') {
          let s: Decimal = { unscaled: 0n, scale: 0 }
          for (const i of live) s = addDec(s, parseDecimal(String(valueAt(a!, i))))
          if (c.fn === 'avg') return formatDecimal(divideDecimal(s, { unscaled: BigInt(live.length), scale: 0 }))
          return c.type.id === 'numeric' ? formatDecimal(c.type.scale !== null ? rescale(s, c.type.scale) : s) : decimalToNumber(s)
        }
        if (a!.type.id === 'interval') {
          const total: [number, number, number] = [0, 0, 0]
          for (const i of live) for (let k = 0; k < 3; k++) total[k]! += a!.values[3 * i + k]!
          const [m, d, us] = c.fn === 'avg' ? intervalDiv(total[0], total[1], total[2], live.length) : total
          return { months: m, days: d, micros: us }
        }
        if (c.type.id === 'float4') return nums().reduce((x, y) => Math.fround(x + y), 0)
        const t = nums().reduce((x, y) => x + y, 0)
        return c.fn === 'avg' ? t / live.length : t
      }
      case 'min':
      case 'max': {
        if (live.length === 0) return null
        let b = live[0]!
        for (const i of live) if ((c.fn === 'max' ? 1 : -1) * compareAt(a!, i, a!, b) > 0) b = i
        return valueAt(a!, b)
      }
      case 'string_agg': {
        if (live.length === 0) return null
        const sep = this.args[1]!
        let s = ''
        live.forEach((i, k) => {
          if (k > 0) s += isNull(sep, i) ? '' : (valueAt(sep, i) as string)
          s += valueAt(this.args[0]!, i) as string
        })
        return s
      }
      case 'array_agg':
        return live.length === 0 ? null : live.map((i) => valueAt(a!, i))
      case 'bool_and':
        return live.length === 0 ? null : live.every((i) => valueAt(a!, i) === true)
      case 'bool_or':
        return live.length === 0 ? null : live.some((i) => valueAt(a!, i) === true)
      case 'bit_and':
      case 'bit_or':
      case 'bit_xor':
        return live.length === 0 ? null : int8Value(live.map((i) => int8BigAt(a!, i)).reduce((x, y) => bitFold(c.fn, x, y)))
      case 'stddev_samp':
      case 'stddev_pop':
      case 'var_samp':
      case 'var_pop':
        return c.type.id === 'numeric' ? numericVariance(c, live.map((i) => numericInputAt(a!, i))) : variance(c, nums())
      case 'covar_pop':
      case 'covar_samp':
      case 'corr':
      case 'regr_slope':
      case 'regr_intercept':
      case 'regr_count':
      case 'regr_r2':
      case 'regr_avgx':
      case 'regr_avgy':
      case 'regr_sxx':
      case 'regr_syy':
      case 'regr_sxy':
        return twoVar(c.fn, live.filter((i) => !isNull(this.args[1]!, i)).map((i) => [toNumber(valueAt(this.args[0]!, i)), toNumber(valueAt(this.args[1]!, i))]))
      case 'percentile_cont':
      case 'percentile_disc':
      case 'mode':
        return this.ordered(live)
      default:
        throw new NotImplementedError(`aggregate ${c.fn} is not supported`)
    }
  }
  private sortRows(rows: number[]): number[] {
    const keys = this.call.orderBy
    if (this.orderKeys.length !== keys.length) return rows
    // a stable sort: rows equal on every key keep their input order
    return [...rows].sort((x, y) => compareByKeys(this.orderKeys, keys, x, y))
  }
  private ordered(live: number[]): Value {
    const c = this.call
    const key = this.args[this.args.length - 1]!
    const sorted = [...live].sort((x, y) => compareAt(key, x, key, y))
    if (c.orderBy[0]?.desc) sorted.reverse()
    if (sorted.length === 0) return null
    if (c.fn === 'mode') {
      let best = sorted[0]!
      let bestCount = 0
      let run = 0
      for (let k = 0; k < sorted.length; k++) {
        run = k > 0 && compareAt(key, sorted[k]!, key, sorted[k - 1]!) === 0 ? run + 1 : 1
        if (run > bestCount) {
          bestCount = run
          best = sorted[k]!
        }
      }
      return valueAt(key, best)
    }
    const fraction = valueAt(this.args[0]!, live[0]!)
    if (fraction === null) return null
    const frac = toNumber(fraction)
    if (!(frac >= 0 && frac <= 1)) throw execError(SqlState.numericValueOutOfRange, `percentile value ${frac} is not between 0 and 1`)
    if (c.fn === 'percentile_disc') {
      const idx = Math.max(0, Math.ceil(frac * sorted.length) - 1)
      return valueAt(key, sorted[idx]!)
    }
    const pos = frac * (sorted.length - 1)
    const lo = Math.floor(pos)
    const hi = Math.ceil(pos)
    if (key.type.id === 'interval') {
      // a + (b - a) * fraction in interval arithmetic, as PostgreSQL's interval_lerp
      const at = (i: number): [number, number, number] => [key.values[3 * i]!, key.values[3 * i + 1]!, key.values[3 * i + 2]!]
      const a = at(sorted[lo]!)
      const b = at(sorted[hi]!)
      if (lo === hi) return { months: a[0], days: a[1], micros: a[2] }
      const [m, d, us] = intervalMul(b[0] - a[0], b[1] - a[1], b[2] - a[2], pos - lo)
      return { months: a[0] + m, days: a[1] + d, micros: a[2] + us }
    }
    const a = toNumber(valueAt(key, sorted[lo]!))
    const b = toNumber(valueAt(key, sorted[hi]!))
    return a + (b - a) * (pos - lo)
  }
}

/**
 * One aggregate's value over the given rows of its argument vectors, for aggregates used as
 * window functions (each frame is aggregated on its own).
 */
export function aggregateRows(call: AggregateCall, args: readonly Vector[], rows: number[]): Value {
  const acc = new CollectingAcc(call, 0)
  acc.args = [...args]
  return acc.compute(rows)
}

/** An aggregate over rows added in steps, readable after each step (window frames that only grow). */
export class RunningAggregate {
  private readonly acc: Accumulator
  private readonly groupOf: Int32Array
  constructor(
    call: AggregateCall,
    private readonly args: readonly Vector[],
    numRows: number,
  ) {
    this.acc = makeAccumulator(call, 'single', 1)
    this.groupOf = new Int32Array(numRows)
  }
  /** Adds the given rows of the argument vectors. */
  add(rows: Int32Array): void {
    if (rows.length > 0) this.acc.add(this.args, this.groupOf, this.groupOf.length, rows)
  }
  /** The aggregate of the rows added so far. */
  value(): Value {
    return valueAt(this.acc.result(), 0)
  }
}

/** bit_and / bit_or / bit_xor of two integers (two's complement, as PostgreSQL's int8 ops). */
function bitFold(fn: string, a: bigint, b: bigint): bigint {
  return fn === 'bit_and' ? a & b : fn === 'bit_or' ? a | b : a ^ b
}

function toNumber(v: Value): number {
  return typeof v === 'number' ? v : Number(v)
}

/** The variance family over double precision values, accumulated as PostgreSQL's float8_accum (Youngs–Cramer). */
function variance(c: AggregateCall, xs: number[]): Value {
  const n = xs.length
  const samp = c.fn === 'stddev_samp' || c.fn === 'var_samp'
  if (n === 0 || (samp && n === 1)) return null
  let sx = 0
  let sxx = 0
  for (let k = 0; k < n; k++) {
    const x = xs[k]!
    const count = k + 1
    sx += x
    if (count > 1) {
      const t = x * count - sx
      sxx += (t * t) / (count * (count - 1))
    } else if (!Number.isFinite(x)) sxx = NaN
  }
  const v = sxx / (samp ? n - 1 : n)
  return c.fn.startsWith('stddev') ? Math.sqrt(v) : v
}

/** Row i of an integer or numeric vector as an exact numeric value. */
function numericInputAt(v: Vector, i: number): NumericValue {
  if (v.type.id === 'numeric') return numericValueAt(v, i)
  if (v.type.id === 'int8') return { unscaled: int8BigAt(v, i), scale: 0 }
  return { unscaled: BigInt(v.values[i]!), scale: 0 }
}

/**
 * var_pop/var_samp/stddev_pop/stddev_samp over integer or numeric input, exactly as PostgreSQL's
 * numeric_stddev_internal: (N·Σx² − (Σx)²) / (N·N or N·(N−1)) at select_div_scale's scale.
 */
function numericVariance(c: AggregateCall, xs: NumericValue[]): Value {
  const n = xs.length
  const samp = c.fn === 'stddev_samp' || c.fn === 'var_samp'
  if (n === 0 || (samp && n === 1)) return null
  let sum: Decimal = { unscaled: 0n, scale: 0 }
  let sumSquares: Decimal = { unscaled: 0n, scale: 0 }
  for (const x of xs) {
    if (typeof x === 'string') return 'NaN'
    sum = addDecimal(sum, x)
    sumSquares = addDecimal(sumSquares, mulDecimal(x, x))
  }
  const count: Decimal = { unscaled: BigInt(n), scale: 0 }
  const numerator = subDecimal(mulDecimal(count, sumSquares), mulDecimal(sum, sum))
  if (numerator.unscaled <= 0n) return '0'
  const denominator: Decimal = { unscaled: BigInt(n) * BigInt(samp ? n - 1 : n), scale: 0 }
  const scale = divScale(numerator, denominator)
  const v = divDecimal(numerator, denominator, scale)
  return formatDecimal(c.fn.startsWith('stddev') ? sqrtDecimal(v, scale) : v)
}

/**
 * The two-variable statistics over (y, x) pairs, accumulated as PostgreSQL's float8_regr_accum
 * does (Youngs–Cramer: N, Sx, Sy and the centred Sxx, Syy, Sxy updated per pair), so results
 * match PostgreSQL's to the last bit.
 */
function twoVar(fn: string, pairs: [number, number][]): Value {
  let n = 0
  let sx = 0
  let sy = 0
  let sxx = 0
  let syy = 0
  let sxy = 0
  for (const [y, x] of pairs) {
    const prev = n
    n += 1
    sx += x
    sy += y
    if (prev > 0) {
      const tx = x * n - sx
      const ty = y * n - sy
      const scale = 1 / (n * prev)
      sxx += tx * tx * scale
      syy += ty * ty * scale
      sxy += tx * ty * scale
    } else {
      if (!Number.isFinite(x)) sxx = sxy = NaN
      if (!Number.isFinite(y)) syy = sxy = NaN
    }
  }
  if (fn === 'regr_count') return n
  if (n === 0) return null
  switch (fn) {
    case 'covar_pop':
      return sxy / n
    case 'covar_samp':
      return n < 2 ? null : sxy / (n - 1)
    case 'corr':
      return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy)
    case 'regr_slope':
      return sxx === 0 ? null : sxy / sxx
    case 'regr_intercept':
      return sxx === 0 ? null : (sy - (sx * sxy) / sxx) / n
    case 'regr_r2':
      return sxx === 0 ? null : syy === 0 ? 1 : (sxy * sxy) / (sxx * syy)
    case 'regr_avgx':
      return sx / n
    case 'regr_avgy':
      return sy / n
    case 'regr_sxx':
      return sxx
    case 'regr_syy':
      return syy
    case 'regr_sxy':
      return sxy
    default:
      return null
  }
}
