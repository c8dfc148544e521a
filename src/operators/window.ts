/**
 * Window functions: rows are sorted by (partition keys, order keys); each call is computed per
 * partition with PostgreSQL's frame semantics (ROWS / RANGE / GROUPS, offsets, EXCLUDE) and peer
 * groups for ranking. Output = input columns + one column per call, in the input's row order.
 */
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import { parseDecimal, formatDecimal, rescale, type Decimal } from '../common/decimal.js'
import { int8Value, requireNarrowInt8 } from '../common/int8.js'
import { jsonKey, valueAt, vectorFromValues, type Value } from '../common/value.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import { compareAt } from '../kernels/arith.js'
import { concatBatches, evaluate, takeBatch, type EvalEnv } from '../kernels/eval.js'
import type { WindowCall } from '../logical/plan.js'
import type { WindowExec } from '../physical/plan.js'
import { divideDecimal } from './aggregate.js'
import { rowKeys } from './keys.js'
import { compareByKeys } from './order.js'

/** Runs a WindowExec over its whole input. */
export function windowExec(p: WindowExec, input: Batch[], env: EvalEnv): Batch[] {
  const inFields = p.fields.slice(0, p.fields.length - p.calls.length)
  const all = concatBatches(inFields.map((f) => f.type), input)
  let order: number[] = []
  const extra = p.calls.map((c) => {
    const r = computeCall(c, all, env)
    order = r.order
    return r.values
  })
  // rows come out in the (last) window's sort order, as PostgreSQL's window sort leaves them
  const batch: Batch = { numRows: all.numRows, columns: [...all.columns, ...extra] }
  return [order.length === all.numRows ? takeBatch(batch, order) : batch]
}

function computeCall(call: WindowCall, b: Batch, env: EvalEnv): { values: Vector; order: number[] } {
  const n = b.numRows
  const parts = call.partitionBy.map((e) => evaluate(e, b, env))
  const orders = call.orderBy.map((k) => evaluate(k.expr, b, env))
  const args = call.args.map((e) => evaluate(e, b, env))
  const filter = call.filter ? evaluate(call.filter, b, env) : null
  const { keys } = rowKeys(parts, n)
  // group rows by partition, then sort each partition by the order keys (stable)
  const groups = new Map<number | string, number[]>()
  for (let i = 0; i < n; i++) {
    const k = keys[i]!
    const g = groups.get(k)
    if (g) g.push(i)
    else groups.set(k, [i])
  }
  const cmp = (x: number, y: number): number => compareByKeys(orders, call.orderBy, x, y)
  const out: Value[] = new Array(n).fill(null)
  // partitions in the order of their keys (ascending, NULLs last), as a sort by PARTITION BY gives
  const partCmp = (x: number, y: number): number => {
    for (const c of parts) {
      const xn = isNull(c, x)
      const yn = isNull(c, y)
      if (xn || yn) {
        if (xn && yn) continue
        return xn ? 1 : -1
      }
      const r = compareAt(c, x, c, y)
      if (r !== 0) return r
    }
    return 0
  }
  const groupList = [...groups.values()].sort((g, h) => partCmp(g[0]!, h[0]!))
  const sortedOrder: number[] = []
  for (const rows of groupList) {
    rows.sort((x, y) => cmp(x, y) || x - y)
    sortedOrder.push(...rows)
    // peer group boundaries
    const peerStart = new Int32Array(rows.length)
    const peerEnd = new Int32Array(rows.length)
    for (let k = 0; k < rows.length; k++) peerStart[k] = k > 0 && cmp(rows[k - 1]!, rows[k]!) === 0 ? peerStart[k - 1]! : k
    for (let k = rows.length - 1; k >= 0; k--) peerEnd[k] = k < rows.length - 1 && cmp(rows[k]!, rows[k + 1]!) === 0 ? peerEnd[k + 1]! : k
    const m = rows.length
    for (let k = 0; k < m; k++) {
      const row = rows[k]!
      switch (call.fn) {
        case 'row_number':
          out[row] = k + 1
          continue
        case 'rank':
          out[row] = peerStart[k]! + 1
          continue
        case 'dense_rank': {
          let d = 1
          for (let q = 1; q <= k; q++) if (peerStart[q] === q) d++
          out[row] = d
          continue
        }
        case 'percent_rank':
          out[row] = m > 1 ? peerStart[k]! / (m - 1) : 0
          continue
        case 'cume_dist':
          out[row] = (peerEnd[k]! + 1) / m
          continue
        case 'ntile': {
          const buckets = args[0]!.values[row]!
          if (!(buckets > 0)) throw execError(SqlState.invalidParameterValue, 'argument of ntile must be greater than zero')
          const per = Math.floor(m / buckets)
          const rem = m % buckets
          const big = rem * (per + 1)
          out[row] = k < big ? Math.floor(k / (per + 1)) + 1 : rem + Math.floor((k - big) / per) + 1
          continue
        }
        case 'lag':
        case 'lead': {
          const off = args[1] ? (isNull(args[1], row) ? null : args[1].values[row]!) : 1
          if (off === null) {
            out[row] = null
            continue
          }
          const t = call.fn === 'lag' ? k - off : k + off
          out[row] = t >= 0 && t < m ? valueAt(args[0]!, rows[t]!) : args[2] ? valueAt(args[2], row) : null
          continue
        }
      }
      const [s, e] = frameBounds(call, k, m, rows, peerStart, peerEnd, orders, b, env)
      const frame: number[] = []
      for (let q = s; q <= e; q++) {
        if (excluded(call, q, k, peerStart, peerEnd)) continue
        frame.push(rows[q]!)
      }
      out[row] = frameValue(call, frame, args, filter)
    }
  }
  return { values: vectorFromValues(call.type, out), order: sortedOrder }
}

function excluded(call: WindowCall, q: number, k: number, ps: Int32Array, pe: Int32Array): boolean {
  switch (call.frame.exclude) {
    case 'no_others':
      return false
    case 'current_row':
      return q === k
    case 'group':
      return q >= ps[k]! && q <= pe[k]!
    case 'ties':
      return q !== k && q >= ps[k]! && q <= pe[k]!
  }
}

function frameBounds(
  call: WindowCall,
  k: number,
  m: number,
  rows: number[],
  ps: Int32Array,
  pe: Int32Array,
  orders: Vector[],
  b: Batch,
  env: EvalEnv,
): [number, number] {
  const f = call.frame
  const offsetOf = (bound: WindowCall['frame']['start']): number => {
    const v = evaluate(bound.offset!, { numRows: 1, columns: b.columns.map((c) => c) }, env)
    const x = valueAt(v, 0)
    if (x === null) throw execError(SqlState.invalidParameterValue, 'frame starting offset must not be null')
    const n = typeof x === 'object' ? 0 : Number(x)
    if (n < 0) throw execError(SqlState.invalidParameterValue, 'frame starting offset must not be negative')
    return n
  }
  const bound = (bd: WindowCall['frame']['start'], isStart: boolean): number => {
    switch (bd.kind) {
      case 'unbounded_preceding':
        return 0
      case 'unbounded_following':
        return m - 1
      case 'current_row':
        if (f.mode === 'rows') return k
        return isStart ? ps[k]! : pe[k]!
      case 'preceding':
      case 'following': {
        const off = offsetOf(bd)
        const sign = bd.kind === 'preceding' ? -1 : 1
        if (f.mode === 'rows') return k + sign * off
        if (f.mode === 'groups') {
          // count peer groups
          let g = k
          let steps = off
          if (sign < 0) {
            g = ps[k]!
            while (steps > 0 && g > 0) {
              g = ps[g - 1]!
              steps--
            }
            return steps > 0 ? (isStart ? 0 : -1) : isStart ? g : pe[g]!
          }
          g = pe[k]!
          while (steps > 0 && g < m - 1) {
            g = pe[g + 1]!
            steps--
          }
          return steps > 0 ? (isStart ? m : m - 1) : isStart ? ps[g]! : g
        }
        // RANGE with offset: compare the single order key numerically
        if (!orders[0] || orders.length !== 1) throw new NotImplementedError('RANGE with offset needs exactly one ORDER BY column')
        const ord = requireNarrowInt8(orders[0], 'RANGE with offset')
        const desc = call.orderBy[0]!.desc ? -1 : 1
        // a NULL order key's frame is its peer group; NULL rows sit at the end (or start) of the order
        if (isNull(ord, rows[k]!)) return isStart ? ps[k]! : pe[k]!
        const nullPos = call.orderBy[0]!.nullsFirst ? -Infinity : Infinity
        const key = (q: number): number => (isNull(ord, rows[q]!) ? nullPos : desc * Number(valueAt(ord, rows[q]!)))
        const limit = desc * Number(valueAt(ord, rows[k]!)) + sign * off
        if (isStart) {
          let q = 0
          while (q < m && key(q) < limit) q++
          return q
        }
        let q = m - 1
        while (q >= 0 && key(q) > limit) q--
        return q
      }
    }
  }
  return [Math.max(0, bound(f.start, true)), Math.min(m - 1, bound(f.end, false))]
}

function frameValue(call: WindowCall, frame: number[], args: Vector[], filter: Vector | null): Value {
  const a = args[0]
  const rows = filter ? frame.filter((r) => filter.values[r] && !isNull(filter, r)) : frame
  switch (call.fn) {
    case 'first_value':
      return rows.length ? valueAt(a!, rows[0]!) : null
    case 'last_value':
      return rows.length ? valueAt(a!, rows[rows.length - 1]!) : null
    case 'nth_value': {
      const nth = args[1]!.values[0]!
      if (nth <= 0) throw execError(SqlState.invalidParameterValue, 'argument of nth_value must be greater than zero')
      return rows.length >= nth ? valueAt(a!, rows[nth - 1]!) : null
    }
    case 'count':
      return a ? rows.filter((r) => !isNull(a, r)).length : rows.length
  }
  let live = rows.filter((r) => a !== undefined && !isNull(a, r))
  if (call.distinct) {
    const seen = new Set<string>()
    live = live.filter((r) => {
      const k = jsonKey(valueAt(a!, r))
      if (seen.has(k)) return false
      seen.add(k)
      return true
    })
  }
  if (live.length === 0) return call.fn === 'array_agg' && rows.length ? rows.map((r) => valueAt(a!, r)) : null
  switch (call.fn) {
    case 'sum':
    case 'avg': {
      if (a!.type.id === 'float8' || a!.type.id === 'float4') {
        const s = live.reduce((t, r) => t + a!.values[r]!, 0)
        return call.fn === 'avg' ? s / live.length : s
      }
      let s: Decimal = { unscaled: 0n, scale: 0 }
      for (const r of live) {
        const d = parseDecimal(String(valueAt(a!, r)))
        const sc = Math.max(s.scale, d.scale)
        s = { unscaled: rescale(s, sc).unscaled + rescale(d, sc).unscaled, scale: sc }
      }
      if (call.fn === 'avg') return formatDecimal(divideDecimal(s, { unscaled: BigInt(live.length), scale: 0 }))
      if (call.type.id === 'int8') return int8Value(s.unscaled)
      return formatDecimal(call.type.id === 'numeric' && call.type.scale !== null ? rescale(s, call.type.scale) : s)
    }
    case 'min':
    case 'max': {
      let best = live[0]!
      for (const r of live) if ((call.fn === 'max' ? 1 : -1) * compareAt(a!, r, a!, best) > 0) best = r
      return valueAt(a!, best)
    }
    case 'bool_and':
      return live.every((r) => a!.values[r] !== 0)
    case 'bool_or':
      return live.some((r) => a!.values[r] !== 0)
    case 'string_agg':
      return live.map((r) => valueAt(a!, r) as string).join(isNull(args[1]!, live[0]!) ? '' : (valueAt(args[1]!, live[0]!) as string))
    case 'array_agg':
      return rows.map((r) => valueAt(a!, r))
    case 'stddev_samp':
    case 'stddev_pop':
    case 'var_samp':
    case 'var_pop': {
      const xs = live.map((r) => Number(valueAt(a!, r)))
      const samp = call.fn.endsWith('samp')
      if (samp && xs.length < 2) return null
      const mean = xs.reduce((s, x) => s + x, 0) / xs.length
      const v = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (samp ? xs.length - 1 : xs.length)
      const r = call.fn.startsWith('stddev') ? Math.sqrt(v) : v
      return call.type.id === 'numeric' ? String(r) : r
    }
    default:
      throw new NotImplementedError(`window aggregate ${call.fn} is not supported`)
  }
}
