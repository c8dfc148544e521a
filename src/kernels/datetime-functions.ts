/**
 * The SQL-callable date/time functions (date_trunc, date_part, extract, age, make_*, to_char,
 * to_date, to_timestamp, now and friends, justify_*, isfinite, date_bin, timezone). Importing this
 * module registers them in the function registry.
 */
import { execError, SqlState } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import { allValid, clearBit, stringVector, toStrings, type Vector } from '../common/vector.js'
import { canCast } from './cast.js'
import {
  age,
  DATE_END_DAYS,
  DATE_MIN_DAYS,
  daysFromCivil,
  daysInMonth,
  extractDate,
  extractInterval,
  extractTime,
  extractTimestamp,
  isInfiniteDate,
  justifyDays,
  justifyHours,
  justifyInterval,
  localToUtc,
  splitTimestamp,
  truncTimestamp,
  truncTimestamptz,
  TS_END_MICROS,
  TS_MIN_MICROS,
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  utcToLocal,
  zoneOffset,
} from './datetime.js'
import { parseWithTemplate, toCharInterval, toCharNumber, toCharTimestamp } from './datetime-format.js'
import { parseNumericValue } from './numeric.js'
import { registerFunctions, type EvalContext, type ScalarFunction } from './registry.js'
import { formatValue } from './format.js'

type Kernel = (args: readonly Vector[], n: number, ret: SqlType, ctx: EvalContext) => Vector

interface Overload {
  readonly params: readonly SqlType[]
  readonly ret: SqlType
  readonly kernel: Kernel
}

/** Picks the overload needing the fewest implicit casts (untyped literals match anything). */
function define(name: string, overloads: readonly Overload[], volatility: ScalarFunction['volatility'] = 'immutable'): ScalarFunction {
  return {
    name,
    volatility,
    resolve(argTypes) {
      let best: Overload | undefined
      let bestCost = Infinity
      for (const o of overloads) {
        if (o.params.length !== argTypes.length) continue
        let cost = 0
        let ok = true
        for (let k = 0; k < argTypes.length; k++) {
          const a = argTypes[k]!
          const p = o.params[k]!
          if (a === null || a.id === p.id) continue
          if (!canCast(a, p, 'implicit')) {
            ok = false
            break
          }
          cost++
        }
        if (ok && cost < bestCost) {
          best = o
          bestCost = cost
        }
      }
      return best === undefined ? undefined : { args: best.params, ret: best.ret }
    },
    evaluate(args, n, ret, ctx) {
      const types = args.map((a) => a.type.id)
      const o = overloads.find((x) => x.params.length === args.length && x.params.every((p, k) => p.id === types[k])) ?? overloads.find((x) => x.params.length === args.length)!
      return o.kernel(args, n, ret, ctx)
    },
  }
}

const isValid = (bm: Uint8Array | null, i: number): boolean => bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** Combined validity of all arguments. */
function argsValidity(args: readonly Vector[], n: number): Uint8Array | null {
  let out: Uint8Array | null = null
  for (const a of args) {
    if (a.validity === null) continue
    out ??= allValid(n)
    for (let i = 0; i < n; i++) if (!isValid(a.validity, i)) clearBit(out, i)
  }
  return out
}

/** Row reader for any argument: strings decoded once, numbers read raw. */
function reader(v: Vector): (i: number) => string | number {
  if (v.offsets !== undefined && v.type.id !== 'array') {
    const s = toStrings(v)
    return (i) => s[i] ?? ''
  }
  return (i) => v.values[i]!
}

/**
 * Applies fn row by row into a fixed-width result; fn returns null for a NULL result.
 */
function mapRows(args: readonly Vector[], n: number, ret: SqlType, fn: (i: number) => number | null): Vector {
  let validity = argsValidity(args, n)
  const out = ret.id === 'date' ? new Int32Array(n) : ret.id === 'bool' ? new Uint8Array(n) : new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue
    const r = fn(i)
    if (r === null) {
      validity ??= allValid(n)
      clearBit(validity, i)
    } else out[i] = r
  }
  return { type: ret, length: n, values: out, validity }
}

function mapIntervals(args: readonly Vector[], n: number, fn: (i: number) => readonly [number, number, number]): Vector {
  const validity = argsValidity(args, n)
  const out = new Float64Array(3 * n)
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) continue
    const [m, d, us] = fn(i)
    out[3 * i] = m
    out[3 * i + 1] = d
    out[3 * i + 2] = us
  }
  return { type: T.interval, length: n, values: out, validity }
}

function mapStrings(args: readonly Vector[], n: number, ret: SqlType, fn: (i: number) => string | null): Vector {
  const validity = argsValidity(args, n)
  const out = new Array<string | null>(n)
  for (let i = 0; i < n; i++) out[i] = isValid(validity, i) ? fn(i) : null
  return stringVector(ret, out)
}

const iv = (v: Vector, i: number): [number, number, number] => [v.values[3 * i]!, v.values[3 * i + 1]!, v.values[3 * i + 2]!]

// ---------------------------------------------------------------------------------------------

const dateTrunc = define('date_trunc', [
  {
    params: [T.text, T.timestamp],
    ret: T.timestamp,
    kernel: (a, n, ret) => {
      const unit = reader(a[0]!)
      return mapRows(a, n, ret, (i) => truncTimestamp(String(unit(i)), a[1]!.values[i]!))
    },
  },
  {
    params: [T.text, T.timestamptz],
    ret: T.timestamptz,
    kernel: (a, n, ret, ctx) => {
      const unit = reader(a[0]!)
      return mapRows(a, n, ret, (i) => truncTimestamptz(String(unit(i)), a[1]!.values[i]!, ctx.timezone))
    },
  },
  {
    params: [T.text, T.timestamptz, T.text],
    ret: T.timestamptz,
    kernel: (a, n, ret) => {
      const unit = reader(a[0]!)
      const zone = reader(a[2]!)
      return mapRows(a, n, ret, (i) => truncTimestamptz(String(unit(i)), a[1]!.values[i]!, String(zone(i))))
    },
  },
])

/** Extract kernels: `numeric` for extract(), float8 for date_part(). */
function extractOverloads(asNumeric: boolean): Overload[] {
  const ret = asNumeric ? T.numeric : T.float8
  const build = (a: readonly Vector[], n: number, fn: (unit: string, i: number) => string | null): Vector => {
    const unit = reader(a[0]!)
    if (asNumeric) return mapStrings(a, n, T.numeric, (i) => fn(String(unit(i)), i))
    return mapRows(a, n, T.float8, (i) => {
      const s = fn(String(unit(i)), i)
      return s === null ? null : Number(s)
    })
  }
  const overloads: Overload[] = [
    { params: [T.text, T.timestamp], ret, kernel: (a, n) => build(a, n, (u, i) => extractTimestamp(u, a[1]!.values[i]!, null, 'timestamp without time zone')) },
    {
      params: [T.text, T.timestamptz],
      ret,
      kernel: (a, n, _r, ctx) =>
        build(a, n, (u, i) => {
          const x = a[1]!.values[i]!
          return extractTimestamp(u, x, Number.isFinite(x) ? zoneOffset(ctx.timezone, x) : 0, 'timestamp with time zone')
        }),
    },
    { params: [T.text, T.interval], ret, kernel: (a, n) => build(a, n, (u, i) => extractInterval(u, ...iv(a[1]!, i))) },
    { params: [T.text, T.time], ret, kernel: (a, n) => build(a, n, (u, i) => extractTime(u, a[1]!.values[i]!)) },
  ]
  if (asNumeric) overloads.push({ params: [T.text, T.date], ret, kernel: (a, n) => build(a, n, (u, i) => extractDate(u, a[1]!.values[i]!)) })
  else
    overloads.push({
      params: [T.text, T.date],
      ret,
      kernel: (a, n) =>
        build(a, n, (u, i) => {
          const d = a[1]!.values[i]!
          return extractTimestamp(u, isInfiniteDate(d) ? (d > 0 ? Infinity : -Infinity) : d * USECS_PER_DAY, null, 'timestamp without time zone')
        }),
    })
  return overloads
}

const ageFn = define(
  'age',
  [
    { params: [T.timestamp, T.timestamp], ret: T.interval, kernel: (a, n) => mapIntervals(a, n, (i) => age(a[0]!.values[i]!, a[1]!.values[i]!)) },
    {
      params: [T.timestamptz, T.timestamptz],
      ret: T.interval,
      kernel: (a, n, _r, ctx) => mapIntervals(a, n, (i) => age(utcToLocal(a[0]!.values[i]!, ctx.timezone), utcToLocal(a[1]!.values[i]!, ctx.timezone))),
    },
    {
      params: [T.timestamp],
      ret: T.interval,
      kernel: (a, n, _r, ctx) => {
        const today = splitTimestamp(utcToLocal(ctx.now, ctx.timezone)).days * USECS_PER_DAY
        return mapIntervals(a, n, (i) => age(today, a[0]!.values[i]!))
      },
    },
    {
      params: [T.timestamptz],
      ret: T.interval,
      kernel: (a, n, _r, ctx) => {
        const today = splitTimestamp(utcToLocal(ctx.now, ctx.timezone)).days * USECS_PER_DAY
        return mapIntervals(a, n, (i) => age(today, utcToLocal(a[0]!.values[i]!, ctx.timezone)))
      },
    },
  ],
  'stable',
)

function checkedDate(y: number, m: number, d: number, label: string): number {
  if (y === 0 || !Number.isInteger(y)) throw execError(SqlState.datetimeFieldOverflow, `date field value out of range: ${label}`)
  const astro = y < 0 ? y + 1 : y
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(astro, m)) throw execError(SqlState.datetimeFieldOverflow, `date field value out of range: ${label}`)
  const days = daysFromCivil(astro, m, d)
  if (days < DATE_MIN_DAYS || days >= DATE_END_DAYS) throw execError(SqlState.datetimeFieldOverflow, `date out of range: ${label}`)
  return days
}

/** Microseconds since midnight of hour:minute:second, with PostgreSQL's range check (24:00:00 allowed). */
function checkedTime(h: number, mi: number, sec: number): number {
  if (h < 0 || h > 24 || mi < 0 || mi > 59 || !(sec >= 0 && sec <= 60) || (h === 24 && (mi > 0 || sec > 0))) {
    throw execError(SqlState.datetimeFieldOverflow, `time field value out of range: ${h}:${String(mi).padStart(2, '0')}:${String(sec).padStart(2, '0')}`)
  }
  return h * USECS_PER_HOUR + mi * USECS_PER_MINUTE + Math.round(sec * USECS_PER_SEC)
}

function makeTimestamp(a: readonly Vector[], i: number): number {
  const [y, mo, d, h, mi] = [0, 1, 2, 3, 4].map((k) => a[k]!.values[i]!) as [number, number, number, number, number]
  const days = checkedDate(y, mo, d, `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
  const t = days * USECS_PER_DAY + checkedTime(h, mi, a[5]!.values[i]!)
  if (t < TS_MIN_MICROS || t >= TS_END_MICROS) throw execError(SqlState.datetimeFieldOverflow, 'timestamp out of range')
  return t
}

const makeDate = define('make_date', [
  {
    params: [T.int4, T.int4, T.int4],
    ret: T.date,
    kernel: (a, n, ret) =>
      mapRows(a, n, ret, (i) => {
        const y = a[0]!.values[i]!
        const m = a[1]!.values[i]!
        const d = a[2]!.values[i]!
        return checkedDate(y, m, d, `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
      }),
  },
])

const makeTimeFn = define('make_time', [
  { params: [T.int4, T.int4, T.float8], ret: T.time, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => checkedTime(a[0]!.values[i]!, a[1]!.values[i]!, a[2]!.values[i]!)) },
])

const ts6 = [T.int4, T.int4, T.int4, T.int4, T.int4, T.float8]
const makeTimestampFn = define('make_timestamp', [{ params: ts6, ret: T.timestamp, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => makeTimestamp(a, i)) }])
const makeTimestamptzFn = define(
  'make_timestamptz',
  [
    { params: ts6, ret: T.timestamptz, kernel: (a, n, ret, ctx) => mapRows(a, n, ret, (i) => localToUtc(makeTimestamp(a, i), ctx.timezone)) },
    {
      params: [...ts6, T.text],
      ret: T.timestamptz,
      kernel: (a, n, ret) => {
        const zone = reader(a[6]!)
        return mapRows(a, n, ret, (i) => localToUtc(makeTimestamp(a, i), String(zone(i))))
      },
    },
  ],
  'stable',
)

const intervalParams = [T.int4, T.int4, T.int4, T.int4, T.int4, T.int4, T.float8]
const makeInterval = define(
  'make_interval',
  intervalParams.map((_, k) => ({
    params: intervalParams.slice(0, k + 1),
    ret: T.interval,
    kernel: ((a, n) =>
      mapIntervals(a, n, (i) => {
        const v = (j: number): number => (j < a.length ? a[j]!.values[i]! : 0)
        const secs = v(6)
        if (!Number.isFinite(secs)) throw execError(SqlState.datetimeFieldOverflow, 'interval out of range')
        return [v(0) * 12 + v(1), v(2) * 7 + v(3), v(4) * USECS_PER_HOUR + v(5) * USECS_PER_MINUTE + Math.round(secs * USECS_PER_SEC)]
      })) as Kernel,
  })).concat([{ params: [], ret: T.interval, kernel: (_a, n) => mapIntervals([], n, () => [0, 0, 0]) }]),
)

function toCharKernel(kind: 'timestamp' | 'timestamptz' | 'date' | 'interval' | 'number'): Kernel {
  return (a, n, _ret, ctx) => {
    const fmt = reader(a[1]!)
    const v = a[0]!
    return mapStrings(a, n, T.text, (i) => {
      const f = String(fmt(i))
      switch (kind) {
        case 'timestamp':
          if (!Number.isFinite(v.values[i]!)) return null
          return toCharTimestamp({ local: v.values[i]!, offset: null, zone: null }, f)
        case 'date':
          if (isInfiniteDate(v.values[i]!)) return null
          return toCharTimestamp({ local: v.values[i]! * USECS_PER_DAY, offset: null, zone: null }, f)
        case 'timestamptz': {
          const x = v.values[i]!
          if (!Number.isFinite(x)) return null
          const off = zoneOffset(ctx.timezone, x)
          return toCharTimestamp({ local: x + off * USECS_PER_SEC, offset: off, zone: zoneAbbrev(ctx.timezone, off, x) }, f)
        }
        case 'interval':
          return toCharInterval(...iv(v, i), f)
        case 'number':
          return toCharNumber(parseNumericValue(formatValue(v, i) ?? '0'), f)
      }
    })
  }
}

/** The abbreviation TZ prints: the zone's own name for UTC/GMT, else the numeric offset (as PostgreSQL does for zones without an abbreviation). */
function zoneAbbrev(tz: string, offset: number, at: number): string {
  const up = tz.toUpperCase()
  if (up === 'UTC' || up === 'GMT' || up === 'ETC/UTC') return 'UTC'
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(Math.floor(at / 1000)).find((p) => p.type === 'timeZoneName')?.value
    if (name !== undefined && /^[A-Z]{3,5}$/.test(name)) return name
  } catch {
    // fall through to the offset
  }
  const sign = offset < 0 ? '-' : '+'
  const a = Math.abs(offset)
  return sign + String(Math.floor(a / 3600)).padStart(2, '0') + (a % 3600 !== 0 ? String(Math.floor((a % 3600) / 60)).padStart(2, '0') : '')
}

const toChar = define(
  'to_char',
  [
    { params: [T.timestamp, T.text], ret: T.text, kernel: toCharKernel('timestamp') },
    { params: [T.timestamptz, T.text], ret: T.text, kernel: toCharKernel('timestamptz') },
    { params: [T.interval, T.text], ret: T.text, kernel: toCharKernel('interval') },
    { params: [T.numeric, T.text], ret: T.text, kernel: toCharKernel('number') },
    { params: [T.int4, T.text], ret: T.text, kernel: toCharKernel('number') },
    { params: [T.int8, T.text], ret: T.text, kernel: toCharKernel('number') },
    { params: [T.float8, T.text], ret: T.text, kernel: toCharKernel('number') },
    { params: [T.float4, T.text], ret: T.text, kernel: toCharKernel('number') },
  ],
  'stable',
)

const toDate = define(
  'to_date',
  [
    {
      params: [T.text, T.text],
      ret: T.date,
      kernel: (a, n, ret) => {
        const s = reader(a[0]!)
        const f = reader(a[1]!)
        return mapRows(a, n, ret, (i) => Math.floor(parseWithTemplate(String(s(i)), String(f(i))).local / USECS_PER_DAY))
      },
    },
  ],
  'stable',
)

const toTimestamp = define(
  'to_timestamp',
  [
    {
      params: [T.text, T.text],
      ret: T.timestamptz,
      kernel: (a, n, ret, ctx) => {
        const s = reader(a[0]!)
        const f = reader(a[1]!)
        return mapRows(a, n, ret, (i) => {
          const r = parseWithTemplate(String(s(i)), String(f(i)))
          return r.offset !== null ? r.local - r.offset * USECS_PER_SEC : localToUtc(r.local, ctx.timezone)
        })
      },
    },
    {
      params: [T.float8],
      ret: T.timestamptz,
      kernel: (a, n, ret) =>
        mapRows(a, n, ret, (i) => {
          const x = a[0]!.values[i]!
          if (Number.isNaN(x)) throw execError(SqlState.datetimeFieldOverflow, 'timestamp cannot be NaN')
          if (!Number.isFinite(x)) return x
          const t = Math.round(x * USECS_PER_SEC)
          if (t < TS_MIN_MICROS || t >= TS_END_MICROS) throw execError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${x}"`)
          return t
        }),
    },
  ],
  'stable',
)

const nowLike = (name: string, volatility: ScalarFunction['volatility'], clock: boolean): ScalarFunction =>
  define(name, [{ params: [], ret: T.timestamptz, kernel: (_a, n, ret, ctx) => mapRows([], n, ret, () => (clock ? Date.now() * 1000 : ctx.now)) }], volatility)

const currentDate = define(
  'current_date',
  [{ params: [], ret: T.date, kernel: (_a, n, ret, ctx) => mapRows([], n, ret, () => splitTimestamp(utcToLocal(ctx.now, ctx.timezone)).days) }],
  'stable',
)
const localTimestamp = define(
  'localtimestamp',
  [{ params: [], ret: T.timestamp, kernel: (_a, n, ret, ctx) => mapRows([], n, ret, () => utcToLocal(ctx.now, ctx.timezone)) }],
  'stable',
)
const localTime = define(
  'localtime',
  [{ params: [], ret: T.time, kernel: (_a, n, ret, ctx) => mapRows([], n, ret, () => splitTimestamp(utcToLocal(ctx.now, ctx.timezone)).time) }],
  'stable',
)

const justify = (name: string, fn: (m: number, d: number, us: number) => [number, number, number]): ScalarFunction =>
  define(name, [{ params: [T.interval], ret: T.interval, kernel: (a, n) => mapIntervals(a, n, (i) => fn(...iv(a[0]!, i))) }])

const isfinite = define('isfinite', [
  { params: [T.date], ret: T.bool, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => (isInfiniteDate(a[0]!.values[i]!) ? 0 : 1)) },
  { params: [T.timestamp], ret: T.bool, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => (Number.isFinite(a[0]!.values[i]!) ? 1 : 0)) },
  { params: [T.timestamptz], ret: T.bool, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => (Number.isFinite(a[0]!.values[i]!) ? 1 : 0)) },
  { params: [T.interval], ret: T.bool, kernel: (a, n, ret) => mapRows(a, n, ret, () => 1) },
])

function dateBin(stride: readonly [number, number, number], ts: number, origin: number): number {
  if (stride[0] !== 0) throw execError(SqlState.featureNotSupported, 'timestamps cannot be binned into intervals containing months or years')
  const s = stride[1] * USECS_PER_DAY + stride[2]
  if (s <= 0) throw execError(SqlState.datetimeFieldOverflow, 'stride must be greater than zero')
  if (!Number.isFinite(ts)) return ts
  const tmDelta = ts - origin
  let delta = tmDelta - (tmDelta % s)
  if (tmDelta < 0 && tmDelta % s !== 0) delta -= s
  return origin + delta
}

const dateBinFn = define('date_bin', [
  { params: [T.interval, T.timestamp, T.timestamp], ret: T.timestamp, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => dateBin(iv(a[0]!, i), a[1]!.values[i]!, a[2]!.values[i]!)) },
  { params: [T.interval, T.timestamptz, T.timestamptz], ret: T.timestamptz, kernel: (a, n, ret) => mapRows(a, n, ret, (i) => dateBin(iv(a[0]!, i), a[1]!.values[i]!, a[2]!.values[i]!)) },
])

const timezoneFn = define('timezone', [
  {
    params: [T.text, T.timestamptz],
    ret: T.timestamp,
    kernel: (a, n, ret) => {
      const zone = reader(a[0]!)
      return mapRows(a, n, ret, (i) => utcToLocal(a[1]!.values[i]!, String(zone(i))))
    },
  },
  {
    params: [T.text, T.timestamp],
    ret: T.timestamptz,
    kernel: (a, n, ret) => {
      const zone = reader(a[0]!)
      return mapRows(a, n, ret, (i) => localToUtc(a[1]!.values[i]!, String(zone(i))))
    },
  },
])

/** Every date/time function this module registers. */
export const datetimeFunctions: ScalarFunction[] = [
  dateTrunc,
  define('date_part', extractOverloads(false)),
  define('extract', extractOverloads(true)),
  ageFn,
  makeDate,
  makeTimeFn,
  makeTimestampFn,
  makeTimestamptzFn,
  makeInterval,
  toChar,
  toDate,
  toTimestamp,
  nowLike('now', 'stable', false),
  nowLike('statement_timestamp', 'stable', false),
  nowLike('transaction_timestamp', 'stable', false),
  nowLike('current_timestamp', 'stable', false),
  nowLike('clock_timestamp', 'volatile', true),
  currentDate,
  localTimestamp,
  localTime,
  justify('justify_days', justifyDays),
  justify('justify_hours', justifyHours),
  justify('justify_interval', justifyInterval),
  isfinite,
  dateBinFn,
  timezoneFn,
]

registerFunctions(datetimeFunctions)
