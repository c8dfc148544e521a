/**
 * Functions the binder calls directly rather than through the registry: conditional expressions
 * (coalesce, nullif, greatest, least), GROUPING(), `op ANY/ALL (array)`, and the date/time operators
 * (date ± integer, date − date, timestamp ± interval, interval arithmetic).
 */
import { T, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type IntervalValue, type Value } from '../common/value.js'
import { allValid, andValidity, clearBit, isNull, type Batch, type Vector } from '../common/vector.js'
import type { CallExpr, Expr } from '../logical/expr.js'
import { compare, compareAt, test, type CompareOp } from './arith.js'
import { intervalDiv, intervalMul, timestampDiff, timestampPlusInterval, timestamptzPlusInterval, USECS_PER_DAY } from './datetime.js'
import type { EvalEnv } from './eval.js'

type Builtin = (e: CallExpr, batch: Batch, env: EvalEnv, ev: (x: Expr, b: Batch) => Vector) => Vector

const pick = (e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, choose: (vals: Vector[], i: number) => number): Vector => {
  const n = batch.numRows
  const args = e.args.map((a) => ev(a, batch))
  const values: Value[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const k = choose(args, i)
    values[i] = k < 0 ? null : valueAt(args[k]!, i)
  }
  return vectorFromValues(e.type, values)
}

const builtins: Record<string, Builtin> = {
  coalesce: (e, batch, _env, ev) => {
    // evaluate lazily: later arguments only for rows still NULL (errors there must not fire otherwise)
    const first = ev(e.args[0]!, batch)
    if (first.validity === null || e.args.length === 1) return first
    return pick(e, batch, ev, (vals, i) => vals.findIndex((v) => !isNull(v, i)))
  },
  nullif: (e, batch, _env, ev) => {
    // args: the value, then the two operands of the comparison in their common type
    const n = batch.numRows
    const a = ev(e.args[0]!, batch)
    const eq = compare('=', ev(e.args[1]!, batch), ev(e.args[2]!, batch), n)
    let validity: Uint8Array | null = a.validity ? new Uint8Array(a.validity) : null
    for (let i = 0; i < n; i++) {
      if (!isNull(eq, i) && eq.values[i]) {
        validity ??= allValid(n)
        clearBit(validity, i)
      }
    }
    return { ...a, validity }
  },
  greatest: (e, batch, _env, ev) => pick(e, batch, ev, (vals, i) => extreme(vals, i, 1)),
  least: (e, batch, _env, ev) => pick(e, batch, ev, (vals, i) => extreme(vals, i, -1)),
  __grouping: (e, batch, _env, ev) => {
    // args: grouping-set id column, then the indices of the referenced group keys
    const n = batch.numRows
    const gid = ev(e.args[0]!, batch)
    const idxs = e.args.slice(1).map((a) => (a as { value: number }).value)
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) {
      const mask = gid.values[i]!
      let r = 0
      for (const k of idxs) r = (r << 1) | ((mask >> k) & 1)
      out[i] = r
    }
    return { type: T.int4, length: n, values: out, validity: null }
  },
  __any: (e, batch, _env, ev) => quantified(e, batch, ev, 'any'),
  __all: (e, batch, _env, ev) => quantified(e, batch, ev, 'all'),
  date_pli: (e, batch, _env, ev) => dateInt(e, batch, ev, 1),
  date_mii: (e, batch, _env, ev) => dateInt(e, batch, ev, -1),
  date_mi: (e, batch, _env, ev) => {
    const n = batch.numRows
    const a = ev(e.args[0]!, batch)
    const b = ev(e.args[1]!, batch)
    const out = new Int32Array(n)
    for (let i = 0; i < n; i++) out[i] = a.values[i]! - b.values[i]!
    return { type: T.int4, length: n, values: out, validity: andValidity(a.validity, b.validity, n) }
  },
  timestamp_pl_interval: (e, batch, env, ev) => tsInterval(e, batch, env, ev, 1),
  timestamp_mi_interval: (e, batch, env, ev) => tsInterval(e, batch, env, ev, -1),
  timestamp_mi: (e, batch, _env, ev) => {
    const n = batch.numRows
    const a = ev(e.args[0]!, batch)
    const b = ev(e.args[1]!, batch)
    const validity = andValidity(a.validity, b.validity, n)
    const out = new Float64Array(3 * n)
    for (let i = 0; i < n; i++) {
      if (validity && !((validity[i >> 3]! >> (i & 7)) & 1)) continue
      const [m, d, us] = timestampDiff(a.values[i]!, b.values[i]!)
      out[3 * i] = m
      out[3 * i + 1] = d
      out[3 * i + 2] = us
    }
    return { type: T.interval, length: n, values: out, validity }
  },
  interval_pl: (e, batch, _env, ev) => intervalOp(e, batch, ev, (x, y) => ({ months: x.months + y.months, days: x.days + y.days, micros: x.micros + y.micros })),
  interval_mi: (e, batch, _env, ev) => intervalOp(e, batch, ev, (x, y) => ({ months: x.months - y.months, days: x.days - y.days, micros: x.micros - y.micros })),
  interval_um: (e, batch, _env, ev) => {
    const a = ev(e.args[0]!, batch)
    const out = new Float64Array(a.values.length)
    for (let i = 0; i < out.length; i++) out[i] = -a.values[i]! || 0
    return { ...a, values: out }
  },
  interval_mul: (e, batch, _env, ev) => intervalScale(e, batch, ev, false),
  interval_div: (e, batch, _env, ev) => intervalScale(e, batch, ev, true),
  time_pl_interval: (e, batch, _env, ev) => timeInterval(e, batch, ev, 1),
  time_mi_interval: (e, batch, _env, ev) => timeInterval(e, batch, ev, -1),
  time_mi_time: (e, batch, _env, ev) => {
    const n = batch.numRows
    const a = ev(e.args[0]!, batch)
    const b = ev(e.args[1]!, batch)
    const out = new Float64Array(3 * n)
    for (let i = 0; i < n; i++) out[3 * i + 2] = a.values[i]! - b.values[i]!
    return { type: T.interval, length: n, values: out, validity: andValidity(a.validity, b.validity, n) }
  },
  date_pl_time: (e, batch, _env, ev) => {
    const n = batch.numRows
    const a = ev(e.args[0]!, batch)
    const b = ev(e.args[1]!, batch)
    const out = new Float64Array(n)
    for (let i = 0; i < n; i++) out[i] = a.values[i]! * USECS_PER_DAY + b.values[i]!
    return { type: T.timestamp, length: n, values: out, validity: andValidity(a.validity, b.validity, n) }
  },
}

/** time ± interval: only the interval's time part counts, and the result wraps around midnight (PostgreSQL's time_pl_interval). */
function timeInterval(e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, sign: 1 | -1): Vector {
  const n = batch.numRows
  const a = ev(e.args[0]!, batch)
  const span = ev(e.args[1]!, batch)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = (a.values[i]! + sign * span.values[3 * i + 2]!) % USECS_PER_DAY
    out[i] = t < 0 ? t + USECS_PER_DAY : t
  }
  return { type: T.time, length: n, values: out, validity: andValidity(a.validity, span.validity, n) }
}

/** The built-in implementation of a function name, if it is one. */
export const builtinFunction = (name: string): Builtin | undefined => (Object.hasOwn(builtins, name) ? builtins[name] : undefined)

function extreme(vals: Vector[], i: number, sign: number): number {
  let best = -1
  for (let k = 0; k < vals.length; k++) {
    if (isNull(vals[k]!, i)) continue
    if (best < 0 || sign * compareAt(vals[k]!, i, vals[best]!, i) > 0) best = k
  }
  return best
}

function quantified(e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, kind: 'any' | 'all'): Vector {
  const n = batch.numRows
  const op = (e.args[0] as { value: string }).value as CompareOp
  const l = ev(e.args[1]!, batch)
  const arr = ev(e.args[2]!, batch)
  const values: Value[] = new Array(n)
  for (let i = 0; i < n; i++) {
    if (isNull(arr, i)) {
      values[i] = null
      continue
    }
    const a = arr.offsets![i]!
    const b = arr.offsets![i + 1]!
    let sawNull = isNull(l, i) && b > a
    let result = kind === 'all'
    for (let k = a; k < b && !isNull(l, i); k++) {
      if (isNull(arr.child!, k)) {
        sawNull = true
        continue
      }
      const ok = test(op, compareAt(l, i, arr.child!, k))
      if (kind === 'any' && ok) {
        result = true
        break
      }
      if (kind === 'all' && !ok) {
        result = false
        break
      }
    }
    values[i] = (kind === 'any' && !result) || (kind === 'all' && result) ? (sawNull ? null : result) : result
  }
  return vectorFromValues(T.bool, values)
}

function dateInt(e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, sign: number): Vector {
  const n = batch.numRows
  const a = ev(e.args[0]!, batch)
  const b = ev(e.args[1]!, batch)
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) out[i] = a.values[i]! + sign * b.values[i]!
  return { type: T.date, length: n, values: out, validity: andValidity(a.validity, b.validity, n) }
}

function tsInterval(e: CallExpr, batch: Batch, env: EvalEnv, ev: (x: Expr, b: Batch) => Vector, sign: number): Vector {
  const n = batch.numRows
  const a = ev(e.args[0]!, batch)
  const b = ev(e.args[1]!, batch)
  const validity = andValidity(a.validity, b.validity, n)
  const out = new Float64Array(n)
  const iv = b.values
  const fromDate = a.type.id === 'date'
  const tz = e.type.id === 'timestamptz' ? env.timezone : null
  for (let i = 0; i < n; i++) {
    if (validity && !((validity[i >> 3]! >> (i & 7)) & 1)) continue
    const t = fromDate ? a.values[i]! * USECS_PER_DAY : a.values[i]!
    const [m, d, us] = [sign * iv[3 * i]!, sign * iv[3 * i + 1]!, sign * iv[3 * i + 2]!]
    out[i] = tz !== null ? timestamptzPlusInterval(t, m, d, us, tz) : timestampPlusInterval(t, m, d, us)
  }
  return { type: e.type, length: n, values: out, validity }
}

function intervalOp(e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, f: (x: IntervalValue, y: IntervalValue) => IntervalValue): Vector {
  const n = batch.numRows
  const a = ev(e.args[0]!, batch)
  const b = ev(e.args[1]!, batch)
  const out = new Float64Array(3 * n)
  for (let i = 0; i < n; i++) {
    const r = f(
      { months: a.values[3 * i]!, days: a.values[3 * i + 1]!, micros: a.values[3 * i + 2]! },
      { months: b.values[3 * i]!, days: b.values[3 * i + 1]!, micros: b.values[3 * i + 2]! },
    )
    out[3 * i] = r.months
    out[3 * i + 1] = r.days
    out[3 * i + 2] = r.micros
  }
  return { type: T.interval, length: n, values: out, validity: andValidity(a.validity, b.validity, n) }
}

function intervalScale(e: CallExpr, batch: Batch, ev: (x: Expr, b: Batch) => Vector, divide: boolean): Vector {
  const n = batch.numRows
  const a = ev(e.args[0]!, batch)
  const b = ev(e.args[1]!, batch)
  const validity = andValidity(a.validity, b.validity, n)
  const out = new Float64Array(3 * n)
  for (let i = 0; i < n; i++) {
    if (validity && !((validity[i >> 3]! >> (i & 7)) & 1)) continue
    const f = divide ? intervalDiv : intervalMul
    const [m, d, us] = f(a.values[3 * i]!, a.values[3 * i + 1]!, a.values[3 * i + 2]!, b.values[i]!)
    out[3 * i] = m
    out[3 * i + 1] = d
    out[3 * i + 2] = us
  }
  return { type: T.interval, length: n, values: out, validity }
}

/** The SQL type of a builtin's result is decided by the binder; this keeps the import used. */
export type { SqlType }
