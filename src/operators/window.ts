/**
 * Window functions: rows are sorted by (partition keys, order keys); each call is computed per
 * partition with PostgreSQL's frame semantics (ROWS / RANGE / GROUPS, offsets, EXCLUDE) and peer
 * groups for ranking. Output = input columns + one column per call, in the input's row order.
 */
import { decimalToNumber, formatDecimal, type Decimal } from '../common/decimal.js'
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import { requireNarrowInt8 } from '../common/int8.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import { compareAt } from '../kernels/arith.js'
import { intervalKey, timestampPlusInterval, timestamptzPlusInterval, USECS_PER_DAY } from '../kernels/datetime.js'
import { concatBatches, evaluate, takeBatch, type EvalEnv } from '../kernels/eval.js'
import type { AggregateCall, WindowCall } from '../logical/plan.js'
import type { WindowExec } from '../physical/plan.js'
import { aggregateRows, divideDecimal, RunningAggregate } from './aggregate.js'
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
  const offsets = frameOffsets(call, b, env)
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
    for (const r of rows) sortedOrder.push(r)
    // peer group boundaries
    const peerStart = new Int32Array(rows.length)
    const peerEnd = new Int32Array(rows.length)
    for (let k = 0; k < rows.length; k++) peerStart[k] = k > 0 && cmp(rows[k - 1]!, rows[k]!) === 0 ? peerStart[k - 1]! : k
    for (let k = rows.length - 1; k >= 0; k--) peerEnd[k] = k < rows.length - 1 && cmp(rows[k]!, rows[k + 1]!) === 0 ? peerEnd[k + 1]! : k
    const m = rows.length
    // aggregates over frames that start at the partition's first row grow row by row
    const running = !isNavigation(call.fn) && call.frame.start.kind === 'unbounded_preceding' && call.frame.exclude === 'no_others'
    let agg: RunningAggregate | null = null
    let added = -1
    let aggValue: Value = null
    let denseRank = 0
    const moving = !running && MovingAggregate.supports(call) ? new MovingAggregate(call, args[0], filter) : null
    let lo = 0
    let hi = -1
    for (let k = 0; k < m; k++) {
      const row = rows[k]!
      switch (call.fn) {
        case 'row_number':
          out[row] = k + 1
          continue
        case 'rank':
          out[row] = peerStart[k]! + 1
          continue
        case 'dense_rank':
          if (peerStart[k] === k) denseRank++
          out[row] = denseRank
          continue
        case 'percent_rank':
          out[row] = m > 1 ? peerStart[k]! / (m - 1) : 0
          continue
        case 'cume_dist':
          out[row] = (peerEnd[k]! + 1) / m
          continue
        case 'ntile': {
          // the bucket count is read at the partition's first row, as PostgreSQL does
          if (isNull(args[0]!, rows[0]!)) {
            out[row] = null
            continue
          }
          const buckets = args[0]!.values[rows[0]!]!
          if (!(buckets > 0)) throw execError(SqlState.invalidArgumentForNtile, 'argument of ntile must be greater than zero')
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
      const [s, e] = frameBounds(call, offsets, k, m, rows, peerStart, peerEnd, orders)
      if (moving) {
        // both frame ends only move forward: add the rows entering at the end, remove those leaving at the start
        for (; hi < e; hi++) moving.add(rows[hi + 1]!)
        for (; lo < s; lo++) if (lo <= hi) moving.remove(rows[lo]!)
        hi = Math.max(hi, lo - 1)
        out[row] = moving.value()
        continue
      }
      if (running) {
        // frame ends never move back; add the rows that entered the frame since the last row
        agg ??= new RunningAggregate(aggregateCallOf(call), args, n)
        if (e > added || k === 0) {
          const entering: number[] = []
          for (let q = added + 1; q <= e; q++) if (passesFilter(filter, rows[q]!)) entering.push(rows[q]!)
          agg.add(Int32Array.from(entering))
          added = e
          aggValue = agg.value()
        }
        out[row] = aggValue
        continue
      }
      if (call.frame.exclude === 'no_others' && isNavigation(call.fn)) {
        out[row] = navigationValue(call, row, s, e, rows, args)
        continue
      }
      const frame: number[] = []
      for (let q = s; q <= e; q++) {
        if (excluded(call, q, k, peerStart, peerEnd)) continue
        frame.push(rows[q]!)
      }
      out[row] = frameValue(call, row, frame, args, filter)
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

/** A RANGE order key moved by a frame offset in direction `dir` (+1 or -1). */
type Shift = (key: number, dir: number) => number

/** A frame's offsets: counts for ROWS and GROUPS, key shifts for RANGE (null where a bound has none). */
interface FrameOffsets {
  readonly start: number | null
  readonly end: number | null
  readonly shiftStart: Shift | null
  readonly shiftEnd: Shift | null
}

/**
 * Evaluates the frame offsets once per call (they cannot reference columns) and checks them as
 * PostgreSQL does when a partition begins: never NULL, never negative. RANGE offsets shift the
 * ORDER BY key: numerically, or by an interval for date and timestamp keys (as microseconds).
 */
function frameOffsets(call: WindowCall, b: Batch, env: EvalEnv): FrameOffsets {
  const one: Batch = { numRows: 1, columns: b.columns }
  const negative = (which: string): never => {
    // RANGE offsets are checked by the in_range comparison, which runs only when there are rows
    if (call.frame.mode !== 'range') throw execError(SqlState.invalidPrecedingOrFollowingSize, `frame ${which} offset must not be negative`)
    throw execError(SqlState.invalidPrecedingOrFollowingSize, 'invalid preceding or following size in window function')
  }
  const offsetOf = (bound: WindowCall['frame']['start'], which: string): { count: number; shift: Shift } | null => {
    if (!bound.offset) return null
    const v = evaluate(bound.offset, one, env)
    if (isNull(v, 0)) throw execError(SqlState.nullValueNotAllowed, `frame ${which} offset must not be null`)
    const checkSign = call.frame.mode !== 'range' || b.numRows > 0
    if (v.type.id === 'interval') {
      const [months, days, micros] = [v.values[0]!, v.values[1]!, v.values[2]!]
      if (checkSign && intervalKey(months, days, micros) < 0) negative(which)
      const tz = call.orderBy[0]?.expr.type.id === 'timestamptz' ? env.timezone : null
      const shift: Shift = (t, dir) =>
        tz !== null ? timestamptzPlusInterval(t, dir * months, dir * days, dir * micros, tz) : timestampPlusInterval(t, dir * months, dir * days, dir * micros)
      return { count: 0, shift }
    }
    const n = Number(valueAt(v, 0))
    if (checkSign && n < 0) negative(which)
    return { count: n, shift: (key, dir) => key + dir * n }
  }
  const start = offsetOf(call.frame.start, 'starting')
  const end = offsetOf(call.frame.end, 'ending')
  return { start: start?.count ?? null, end: end?.count ?? null, shiftStart: start?.shift ?? null, shiftEnd: end?.shift ?? null }
}

/** A RANGE order key as a number: dates and timestamps in microseconds, numbers as themselves. */
function rangeKey(ord: Vector, row: number): number {
  switch (ord.type.id) {
    case 'date':
      return ord.values[row]! * USECS_PER_DAY
    case 'timestamp':
    case 'timestamptz':
      return ord.values[row]!
    default:
      return Number(valueAt(ord, row))
  }
}

function frameBounds(
  call: WindowCall,
  offsets: FrameOffsets,
  k: number,
  m: number,
  rows: number[],
  ps: Int32Array,
  pe: Int32Array,
  orders: Vector[],
): [number, number] {
  const f = call.frame
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
        const off = (isStart ? offsets.start : offsets.end)!
        const shift = (isStart ? offsets.shiftStart : offsets.shiftEnd)!
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
        const key = (q: number): number => (isNull(ord, rows[q]!) ? nullPos : desc * rangeKey(ord, rows[q]!))
        // PRECEDING moves against the sort direction, FOLLOWING with it
        const limit = desc * shift(rangeKey(ord, rows[k]!), sign * desc)
        // keys ascend along the partition: binary search for the first key ≥ limit (start) or > limit (end)
        let lo = 0
        let hi = m
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if (isStart ? key(mid) < limit : key(mid) <= limit) lo = mid + 1
          else hi = mid
        }
        return isStart ? lo : lo - 1
      }
    }
  }
  return [Math.max(0, bound(f.start, true)), Math.min(m - 1, bound(f.end, false))]
}

/**
 * count, and sum/avg of integers, over frames whose ends both move forward: rows enter at the end
 * and leave at the start, as PostgreSQL's inverse transition functions do (exact, so the result
 * equals aggregating the frame afresh).
 */
class MovingAggregate {
  private count = 0
  private sum = 0n
  /** Whether a call's frames can be aggregated this way (every row counted, exact arithmetic). */
  static supports(call: WindowCall): boolean {
    if (call.frame.exclude !== 'no_others') return false
    const arg = call.args[0]?.type.id
    return call.fn === 'count' || ((call.fn === 'sum' || call.fn === 'avg') && (arg === 'int2' || arg === 'int4' || arg === 'int8'))
  }
  constructor(
    private readonly call: WindowCall,
    private readonly arg: Vector | undefined,
    private readonly filter: Vector | null,
  ) {}
  private step(row: number, sign: 1 | -1): void {
    if (!passesFilter(this.filter, row)) return
    if (this.arg && isNull(this.arg, row)) return
    this.count += sign
    if (this.call.fn !== 'count') this.sum += BigInt(valueAt(this.arg!, row) as number) * BigInt(sign)
  }
  add(row: number): void {
    this.step(row, 1)
  }
  remove(row: number): void {
    this.step(row, -1)
  }
  value(): Value {
    if (this.call.fn === 'count') return this.count
    if (this.count === 0) return null
    const total: Decimal = { unscaled: this.sum, scale: 0 }
    if (this.call.fn === 'avg') return formatDecimal(divideDecimal(total, { unscaled: BigInt(this.count), scale: 0 }))
    return this.call.type.id === 'numeric' ? formatDecimal(total) : decimalToNumber(total)
  }
}

/** Whether a row takes part in an aggregate with this FILTER (none, or one that is true there). */
const passesFilter = (filter: Vector | null, row: number): boolean => filter === null || (filter.values[row] !== 0 && !isNull(filter, row))

/** Window functions that pick a row of the frame (the others over frames are aggregates). */
const isNavigation = (fn: string): boolean => fn === 'first_value' || fn === 'last_value' || fn === 'nth_value'

/** first_value / last_value / nth_value over the frame rows[s..e] (no exclusion). */
function navigationValue(call: WindowCall, row: number, s: number, e: number, rows: readonly number[], args: Vector[]): Value {
  const size = Math.max(0, e - s + 1)
  switch (call.fn) {
    case 'first_value':
      return size ? valueAt(args[0]!, rows[s]!) : null
    case 'last_value':
      return size ? valueAt(args[0]!, rows[e]!) : null
    default: {
      if (isNull(args[1]!, row)) return null
      const nth = args[1]!.values[row]!
      if (nth <= 0) throw execError(SqlState.invalidArgumentForNthValue, 'argument of nth_value must be greater than zero')
      return size >= nth ? valueAt(args[0]!, rows[s + nth - 1]!) : null
    }
  }
}

/** The aggregate a window call computes over each frame. */
const aggregateCallOf = (call: WindowCall): AggregateCall => ({ fn: call.fn, args: call.args, distinct: false, filter: null, orderBy: [], type: call.type })

function frameValue(call: WindowCall, row: number, frame: number[], args: Vector[], filter: Vector | null): Value {
  if (isNavigation(call.fn)) return navigationValue(call, row, 0, frame.length - 1, frame, args)
  const rows = filter ? frame.filter((r) => passesFilter(filter, r)) : frame
  return aggregateRows(aggregateCallOf(call), args, rows)
}
