/**
 * Casts between SQL types over whole vectors, with PostgreSQL's rules: rounding (float → int half
 * to even, numeric → int half away from zero), range errors, numeric(p,s) precision checks,
 * varchar(n)/char(n) length rules, time zone conversions, and text in/out for everything else.
 * `canCast` answers which casts pg_cast allows in each context.
 */
import { checkPrecision, formatDecimal, formatScaled, MAX_SAFE, parseDecimal, pow10, rescale, trimScale, type Decimal } from '../common/decimal.js'
import { execError, SqlState } from '../common/errors.js'
import { int8Value, wideInt8Vector, wideValues, type Int8Value } from '../common/int8.js'
import { numericType, typeEquals, type SqlType, type TypeId } from '../common/types.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import { allocValues, allValid, clearBit, decodeUtf8, nullVector, retype, stringVector, type Vector } from '../common/vector.js'
import { DATE_NEG_INF, DATE_POS_INF, localToUtc, USECS_PER_DAY, utcToLocal } from './datetime.js'
import { formatScaledNumeric, formatValue } from './format.js'
import { checkCharLength, infiniteNumericError, numericSpecial, parseValue, truncateChars } from './parse-text.js'

/** Settings a cast may need. */
export interface CastContext {
  /** Session TimeZone for casts involving timestamptz (default 'UTC'). */
  readonly timezone?: string
  /** Statement time (microseconds since the epoch) for 'now'/'today' in text → date/time casts. */
  readonly now?: number
  /**
   * How the cast was asked for: 'explicit' (CAST, ::; the default) truncates varchar(n)/char(n)
   * values, 'assignment'/'implicit' (INSERT, UPDATE) reject over-long values with 22001.
   */
  readonly mode?: 'explicit' | 'assignment' | 'implicit'
}

/** pg_cast contexts: i = implicit, a = assignment, e = explicit only. */
type CastCode = 'i' | 'a' | 'e'

const castTable = new Map<string, CastCode>()
;(
  'bool>bpchar:a bool>int4:e bool>text:a bool>varchar:a bpchar>char:a bpchar>name:i bpchar>text:i bpchar>varchar:i ' +
  'char>bpchar:a char>int4:e char>text:i char>varchar:a date>timestamp:i date>timestamptz:i float4>float8:i float4>int2:a ' +
  'float4>int4:a float4>int8:a float4>numeric:a float8>float4:a float8>int2:a float8>int4:a float8>int8:a float8>numeric:a ' +
  'int2>float4:i int2>float8:i int2>int4:i int2>int8:i int2>numeric:i int2>oid:i int2>regclass:i int2>regproc:i int2>regtype:i ' +
  'int4>bool:e int4>char:e int4>float4:i int4>float8:i int4>int2:a int4>int8:i int4>numeric:i int4>oid:i int4>regclass:i ' +
  'int4>regproc:i int4>regtype:i int8>float4:i int8>float8:i int8>int2:a int8>int4:a int8>numeric:i int8>oid:i int8>regclass:i ' +
  'int8>regproc:i int8>regtype:i interval>time:a name>bpchar:a name>text:i name>varchar:a numeric>float4:i numeric>float8:i ' +
  'numeric>int2:a numeric>int4:a numeric>int8:a oid>int4:a oid>int8:a oid>regclass:i oid>regproc:i oid>regtype:i ' +
  'regclass>int4:a regclass>int8:a regclass>oid:i regproc>int4:a regproc>int8:a regproc>oid:i regtype>int4:a regtype>int8:a ' +
  'regtype>oid:i text>bpchar:i text>char:a text>name:i text>regclass:i text>varchar:i time>interval:i timestamp>date:a ' +
  'timestamp>time:a timestamp>timestamptz:i timestamptz>date:a timestamptz>time:a timestamptz>timestamp:a varchar>bpchar:i ' +
  'varchar>char:a varchar>name:i varchar>regclass:i varchar>text:i json>text:a'
)
  .split(' ')
  .forEach((entry) => {
    const [pair, code] = entry.split(':')
    castTable.set(pair!, code as CastCode)
  })

const stringIds: ReadonlySet<TypeId> = new Set<TypeId>(['text', 'varchar', 'bpchar', 'name', 'char'])
/** PostgreSQL's string-category types, which convert to and from every type through text ("char" is not one). */
const ioConversionIds: ReadonlySet<TypeId> = new Set<TypeId>(['text', 'varchar', 'bpchar', 'name'])

const allowedIn = (code: CastCode, context: 'implicit' | 'assignment' | 'explicit'): boolean =>
  code === 'i' || (code === 'a' && context !== 'implicit') || context === 'explicit'

/** Whether PostgreSQL allows a cast from one type to another in a context (pg_cast plus I/O conversion casts). */
export function canCast(from: SqlType, to: SqlType, context: 'implicit' | 'assignment' | 'explicit'): boolean {
  if (from.id === 'null') return true
  if (from.id === to.id) {
    if (from.id === 'array' && to.id === 'array') return canCast(from.element, to.element, context)
    return true
  }
  if (from.id === 'array' && to.id === 'array') return canCast(from.element, to.element, context)
  const code = castTable.get(`${from.id}>${to.id}`)
  if (code !== undefined) return allowedIn(code, context)
  // automatic I/O conversion: to a string type is an assignment cast, from one is explicit
  if (ioConversionIds.has(to.id)) return context !== 'implicit'
  if (ioConversionIds.has(from.id)) return context === 'explicit'
  return false
}

// ---------------------------------------------------------------------------------------------

const intInfo = {
  int2: { min: -32768, max: 32767, outOfRange: 'smallint out of range', name: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, outOfRange: 'integer out of range', name: 'integer' },
  int8: { min: -9223372036854775808, max: 9223372036854775807, outOfRange: 'bigint out of range', name: 'bigint' },
} as const

const isValid = (bm: Uint8Array | null, i: number): boolean => bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** Rounds half to even (C rint). */
function rint(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

function checkInt(v: number, id: 'int2' | 'int4'): number {
  const info = intInfo[id]
  if (!(v >= info.min && v <= info.max)) throw execError(SqlState.numericValueOutOfRange, info.outOfRange)
  return v + 0
}

/** An integral double as an int8 (exact: a bigint past ±2^53), raising 22003 outside int8's range. */
function doubleToInt8(v: number): Int8Value {
  // 9223372036854775807 as a double is 2^63, one past the largest int8
  if (!(v >= -9223372036854775808 && v < 9223372036854775807)) throw execError(SqlState.numericValueOutOfRange, intInfo.int8.outOfRange)
  return Math.abs(v) > 2 ** 53 ? BigInt(v) : v + 0
}

/** Range check of an integer conversion (int8 results past ±2^53 are bigints). */
function checkIntOf(v: number, id: 'int2' | 'int4' | 'int8'): Int8Value {
  return id === 'int8' ? doubleToInt8(v) : checkInt(v, id)
}

/** An int8 vector from per-row values: the Float64Array layout, switching to the wide one at the first bigint. */
function buildInt8(v: Vector, to: SqlType, get: (i: number) => Int8Value): Vector {
  const n = v.length
  const bm = v.validity
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (!isValid(bm, i)) continue
    const x = get(i)
    if (typeof x === 'bigint') {
      const wide = new BigInt64Array(n)
      for (let k = 0; k < i; k++) wide[k] = BigInt(out[k]!)
      wide[i] = x
      for (let k = i + 1; k < n; k++) if (isValid(bm, k)) wide[k] = BigInt(get(k))
      return wideInt8Vector(to, wide, bm)
    }
    out[i] = x
  }
  return { type: to, length: n, values: out, validity: bm }
}

/** Casts from an int8 vector in the wide layout (values past ±2^53). */
function castWideInt8(v: Vector, a: BigInt64Array, to: SqlType): Vector | null {
  const n = v.length
  const bm = v.validity
  switch (to.id) {
    case 'int2':
    case 'int4': {
      const id = to.id
      return mapIndexed(v, to, (i) => {
        const x = a[i]!
        if (x < BigInt(intInfo[id].min) || x > BigInt(intInfo[id].max)) throw execError(SqlState.numericValueOutOfRange, intInfo[id].outOfRange)
        return Number(x)
      })
    }
    case 'float4':
      return mapIndexed(v, to, (i) => Math.fround(Number(a[i]!)))
    case 'float8':
      return mapIndexed(v, to, (i) => Number(a[i]!))
    case 'numeric':
      return buildNumeric(to, n, bm, (i) => ({ unscaled: a[i]!, scale: 0 }))
    case 'bool':
      return mapIndexed(v, to, (i) => (a[i]! !== 0n ? 1 : 0))
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      return mapIndexed(v, to, (i) => {
        const x = a[i]!
        if (x < -2147483648n || x > 4294967295n) throw execError(SqlState.numericValueOutOfRange, 'OID out of range')
        return Number(x < 0n ? x + 4294967296n : x)
      })
    default:
      return null
  }
}

/** Rounds a scaled integer to fewer decimal places, half away from zero, exactly. */
function downscale(x: number, digits: number): number {
  const p = pow10(digits)
  const a = Math.abs(x)
  const r = a % p
  let q = (a - r) / p
  if (2 * r >= p) q++
  return x < 0 ? -q : q
}

/** Decimal of a numeric vector's row (static-scale or text layout); null for NaN/±Infinity, reported via `special`. */
function numericAt(v: Vector, i: number): Decimal | 'NaN' | 'Infinity' | '-Infinity' {
  const t = v.type as { scale: number | null }
  if (t.scale === null) {
    const text = decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
    return numericSpecial(text) ?? parseDecimal(text)
  }
  const x = v.values[i]!
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  return { unscaled: BigInt(x), scale: t.scale }
}

/** Builds a numeric vector of type `to` from per-row decimals (or specials), falling back to text layout past 2^53. */
function buildNumeric(to: SqlType & { id: 'numeric' }, n: number, validity: Uint8Array | null, get: (i: number) => Decimal | 'NaN' | 'Infinity' | '-Infinity'): Vector {
  const { precision, scale } = to
  const texts: (string | null)[] | null = scale === null ? new Array<string | null>(n) : null
  const out = scale === null ? null : new Float64Array(n)
  let fallback = false
  const decimals: (Decimal | string | null)[] = []
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) {
      if (texts) texts[i] = null
      decimals.push(null)
      continue
    }
    const d = get(i)
    if (typeof d === 'string') {
      if (d !== 'NaN' && precision !== null && scale !== null) throw infiniteNumericError(precision, scale)
      if (texts) texts[i] = d
      else out![i] = d === 'NaN' ? NaN : d === 'Infinity' ? Infinity : -Infinity
      decimals.push(d)
      continue
    }
    if (scale === null) {
      texts![i] = formatDecimal(d)
      continue
    }
    const r = rescale(d, scale)
    if (precision !== null) checkPrecision(r, precision, scale)
    decimals.push(r)
    const x = Number(r.unscaled)
    if (!Number.isSafeInteger(x)) fallback = true
    out![i] = x
  }
  if (texts) return stringVector(to, texts)
  if (!fallback) return { type: to, length: n, values: out!, validity }
  // some value does not fit a double exactly: keep the whole vector as decimal text
  return stringVector(
    numericType(precision, null),
    decimals.map((d) => (d === null ? null : typeof d === 'string' ? d : formatDecimal(d))),
  )
}

/** A float's numeric value as PostgreSQL converts it: its text with 15 (float4: 6) significant digits. */
function floatToDecimal(x: number, float4: boolean): Decimal | 'NaN' | 'Infinity' | '-Infinity' {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (x === 0) return { unscaled: 0n, scale: 0 }
  return trimScale(parseDecimal(x.toPrecision(float4 ? 6 : 15)))
}

/**
 * A finite numeric value converted to float4/float8: 22003 when it overflows to infinity or a
 * nonzero value underflows to zero (PostgreSQL converts through float4in/float8in).
 */
function floatInRange(y: number, source: number, text: () => string, float4: boolean): number {
  if ((!Number.isFinite(y) && Number.isFinite(source)) || (y === 0 && source !== 0)) {
    throw execError(SqlState.numericValueOutOfRange, `"${text()}" is out of range for type ${float4 ? 'real' : 'double precision'}`)
  }
  return y
}

function numericToNumber(d: Decimal | string): number {
  if (typeof d === 'string') return d === 'NaN' ? NaN : d === 'Infinity' ? Infinity : -Infinity
  return Number(formatDecimal(d))
}

function numericToInt(d: Decimal | string, id: 'int2' | 'int4' | 'int8'): Int8Value {
  if (typeof d === 'string') {
    throw execError(SqlState.featureNotSupported, `cannot convert ${d === 'NaN' ? 'NaN' : 'infinity'} to ${intInfo[id].name}`)
  }
  const r = rescale(d, 0)
  const info = intInfo[id]
  if (r.unscaled < BigInt(info.min) || r.unscaled > BigInt(id === 'int8' ? '9223372036854775807' : info.max)) {
    throw execError(SqlState.numericValueOutOfRange, info.outOfRange)
  }
  return id === 'int8' ? int8Value(r.unscaled) : checkInt(Number(r.unscaled), id)
}

function mapFixed(v: Vector, to: SqlType, fn: (x: number) => number): Vector {
  const n = v.length
  const out = allocValues(to, n)
  const a = v.values
  const bm = v.validity
  if (bm === null) for (let i = 0; i < n; i++) out[i] = fn(a[i]!)
  else for (let i = 0; i < n; i++) if (isValid(bm, i)) out[i] = fn(a[i]!)
  return { type: to, length: n, values: out, validity: bm }
}

function mapToStrings(v: Vector, to: SqlType, fn: (i: number) => string): Vector {
  const n = v.length
  const out = new Array<string | null>(n)
  for (let i = 0; i < n; i++) out[i] = isValid(v.validity, i) ? fn(i) : null
  return stringVector(to, out)
}

function stringAt(v: Vector, i: number): string {
  return decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
}

/** Applies a string type's length rule to a value already converted to text. */
function fitString(s: string, to: SqlType, explicit: boolean): string {
  if (to.id === 'varchar' || to.id === 'bpchar') {
    if (to.length === null) return s
    if (explicit) {
      const cut = truncateChars(s, to.length)
      return to.id === 'bpchar' ? checkCharLength(cut, 'bpchar', to.length) : cut
    }
    return checkCharLength(s, to.id, to.length)
  }
  if (to.id === 'name' || to.id === 'char') return parseValue(to, s) as string
  return s
}

/** Text of row i as a cast to a string type produces it (bool gives 'true'/'false'; char(n) loses its padding). */
function castText(v: Vector, i: number, ctx: CastContext | undefined): string {
  const t = v.type
  if (t.id === 'bool') return v.values[i] !== 0 ? 'true' : 'false'
  if (t.id === 'bpchar') return stringAt(v, i).replace(/ +$/, '')
  return formatValue(v, i, ctx) ?? ''
}

/** Builds a vector of `to` from JS values parsed per row. */
function fromParsed(v: Vector, to: SqlType, parse: (i: number) => Value): Vector {
  const n = v.length
  if (to.id === 'numeric') {
    const texts = new Array<string | null>(n)
    for (let i = 0; i < n; i++) texts[i] = isValid(v.validity, i) ? (parse(i) as string) : null
    const tv = stringVector(numericType(null, null), texts)
    return to.scale === null ? retype(tv, to) : buildNumeric(to, n, tv.validity, (i) => numericAt(tv, i))
  }
  const values = new Array<Value>(n)
  for (let i = 0; i < n; i++) values[i] = isValid(v.validity, i) ? parse(i) : null
  return vectorFromValues(to, values)
}

function castArray(v: Vector, to: SqlType & { id: 'array' }, ctx: CastContext | undefined): Vector {
  return { type: to, length: v.length, values: v.values, validity: v.validity, offsets: v.offsets!, child: castVector(v.child!, to.element, ctx) }
}

/** Converts a whole vector to another type with PostgreSQL's cast semantics. */
export function castVector(v: Vector, to: SqlType, ctx?: CastContext): Vector {
  const from = v.type
  if (typeEquals(from, to)) return v
  const n = v.length
  if (from.id === 'null') return nullVector(to, n)
  const tz = ctx?.timezone ?? 'UTC'
  const explicit = (ctx?.mode ?? 'explicit') === 'explicit'
  const bm = v.validity

  // --- to string types: output function (with the target's length rule)
  if (stringIds.has(to.id) || to.id === 'json') {
    if (stringIds.has(from.id) || from.id === 'json') {
      if (from.id !== 'bpchar' && (to.id === 'text' || (to.id === 'varchar' && to.length === null) || to.id === 'json')) {
        return retype(v, to)
      }
    }
    if (to.id === 'json' && !stringIds.has(from.id)) throw execError(SqlState.datatypeMismatch, `cannot cast type ${from.id} to json`)
    return mapToStrings(v, to, (i) => fitString(castText(v, i, ctx), to, explicit))
  }
  // --- from string types: input function
  if (stringIds.has(from.id) || from.id === 'json') {
    const pctx = { timezone: tz, ...(ctx?.now !== undefined ? { now: ctx.now } : {}) }
    return fromParsed(v, to, (i) => parseValue(to, stringAt(v, i), pctx))
  }

  const wide = wideValues(v)
  if (wide !== null) {
    const out = castWideInt8(v, wide, to)
    if (out !== null) return out
  }
  switch (to.id) {
    case 'int2':
    case 'int4':
    case 'int8': {
      const id = to.id
      switch (from.id) {
        case 'int2':
        case 'int4':
        case 'int8':
          return mapFixed(v, to, (x) => (id === 'int8' ? x + 0 : checkInt(x, id)))
        case 'float4':
        case 'float8': {
          const a = v.values
          const toInt = (x: number): Int8Value => {
            if (Number.isNaN(x)) throw execError(SqlState.numericValueOutOfRange, intInfo[id].outOfRange)
            return checkIntOf(rint(x), id)
          }
          return id === 'int8' ? buildInt8(v, to, (i) => toInt(a[i]!)) : mapFixed(v, to, (x) => toInt(x) as number)
        }
        case 'numeric':
          if (from.scale !== null && from.scale >= 0) {
            const s = from.scale
            return mapFixed(v, to, (x) => {
              if (!Number.isFinite(x)) throw execError(SqlState.featureNotSupported, `cannot convert ${Number.isNaN(x) ? 'NaN' : 'infinity'} to ${intInfo[id].name}`)
              return checkIntOf(s === 0 ? x : downscale(x, s), id) as number
            })
          }
          if (id === 'int8') return buildInt8(v, to, (i) => numericToInt(numericAt(v, i), id))
          return mapIndexed(v, to, (i) => numericToInt(numericAt(v, i), id) as number)
        case 'bool':
          return mapFixed(v, to, (x) => (x !== 0 ? 1 : 0))
        case 'oid':
        case 'regclass':
        case 'regtype':
        case 'regproc':
          return mapFixed(v, to, (x) => (id === 'int4' && x > 2147483647 ? x - 4294967296 : (checkIntOf(x, id) as number)))
        default:
          break
      }
      break
    }
    case 'float4':
    case 'float8': {
      const f4 = to.id === 'float4'
      switch (from.id) {
        case 'int2':
        case 'int4':
        case 'int8':
          return mapFixed(v, to, (x) => x)
        case 'float4':
          return mapFixed(v, to, (x) => x)
        case 'float8':
          return mapFixed(v, to, (x) => {
            const y = Math.fround(x)
            if (!Number.isFinite(y) && Number.isFinite(x)) throw execError(SqlState.numericValueOutOfRange, 'value out of range: overflow')
            if (y === 0 && x !== 0) throw execError(SqlState.numericValueOutOfRange, 'value out of range: underflow')
            return y
          })
        case 'numeric':
          if (from.scale !== null && from.scale >= 0 && from.scale <= 22) {
            const p = pow10(from.scale)
            const scale = from.scale
            return mapFixed(v, to, (x) => floatInRange(f4 ? Math.fround(x / p) : x / p, x, () => formatScaled(x, scale), f4))
          }
          return mapIndexed(v, to, (i) => {
            const d = numericAt(v, i)
            const x = numericToNumber(d)
            return typeof d === 'string' ? x : floatInRange(f4 ? Math.fround(x) : x, d.unscaled === 0n ? 0 : 1, () => formatDecimal(d), f4)
          })
        default:
          break
      }
      break
    }
    case 'numeric': {
      switch (from.id) {
        case 'int2':
        case 'int4':
        case 'int8': {
          if (to.scale !== null && to.precision === null && to.scale >= 0) {
            const fast = upscaleFast(v, to, to.scale)
            if (fast !== null) return fast
          }
          const a = v.values
          return buildNumeric(to, n, bm, (i) => ({ unscaled: BigInt(a[i]!), scale: 0 }))
        }
        case 'float4':
        case 'float8': {
          const a = v.values
          const f4 = from.id === 'float4'
          return buildNumeric(to, n, bm, (i) => floatToDecimal(a[i]!, f4))
        }
        case 'numeric':
          if (from.scale !== null && to.scale !== null && to.precision === null && from.scale >= 0 && to.scale >= 0) {
            const d = to.scale - from.scale
            if (d >= 0) {
              const fast = upscaleFast(v, to, d)
              if (fast !== null) return fast
              return buildNumeric(to, n, bm, (i) => numericAt(v, i))
            }
            return mapFixed(v, to, (x) => (Number.isFinite(x) ? downscale(x, -d) : x))
          }
          return buildNumeric(to, n, bm, (i) => numericAt(v, i))
        default:
          break
      }
      break
    }
    case 'bool':
      if (from.id === 'int2' || from.id === 'int4' || from.id === 'int8') return mapFixed(v, to, (x) => (x !== 0 ? 1 : 0))
      break
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      switch (from.id) {
        case 'int2':
        case 'int4':
          return mapFixed(v, to, (x) => (x < 0 ? x + 4294967296 : x))
        case 'int8':
          return mapFixed(v, to, (x) => {
            if (x < -2147483648 || x > 4294967295) throw execError(SqlState.numericValueOutOfRange, 'OID out of range')
            return x < 0 ? x + 4294967296 : x
          })
        case 'oid':
        case 'regclass':
        case 'regtype':
        case 'regproc':
          return retype(v, to)
        default:
          break
      }
      break
    case 'date':
      if (from.id === 'timestamp') return mapFixed(v, to, (t) => timestampToDate(t))
      if (from.id === 'timestamptz') return mapFixed(v, to, (t) => timestampToDate(utcToLocal(t, tz)))
      break
    case 'timestamp':
      if (from.id === 'date') return mapFixed(v, to, dateToTimestamp)
      if (from.id === 'timestamptz') return mapFixed(v, to, (t) => utcToLocal(t, tz))
      break
    case 'timestamptz':
      if (from.id === 'date') return mapFixed(v, to, (d) => localToUtc(dateToTimestamp(d), tz))
      if (from.id === 'timestamp') return mapFixed(v, to, (t) => localToUtc(t, tz))
      break
    case 'time':
      if (from.id === 'timestamp' || from.id === 'timestamptz') {
        // infinite timestamps have no time of day: NULL, as PostgreSQL returns
        const r = mapFixed(v, to, (t) => (Number.isFinite(t) ? timeOfDay(from.id === 'timestamp' ? t : utcToLocal(t, tz)) : 0))
        let validity = bm
        for (let i = 0; i < n; i++) {
          if (!Number.isFinite(v.values[i]!) && isValid(bm, i)) {
            validity ??= allValid(n)
            if (validity === bm) validity = bm.slice()
            clearBit(validity, i)
          }
        }
        return validity === bm ? r : { ...r, validity }
      }
      if (from.id === 'interval') {
        const out = new Float64Array(n)
        for (let i = 0; i < n; i++) {
          const us = v.values[3 * i + 2]! % USECS_PER_DAY
          out[i] = us < 0 ? us + USECS_PER_DAY : us + 0
        }
        return { type: to, length: n, values: out, validity: bm }
      }
      break
    case 'interval':
      if (from.id === 'time') {
        const out = new Float64Array(3 * n)
        for (let i = 0; i < n; i++) out[3 * i + 2] = v.values[i]!
        return { type: to, length: n, values: out, validity: bm }
      }
      break
    case 'array':
      if (from.id === 'array') return castArray(v, to, ctx)
      break
    default:
      break
  }
  throw execError(SqlState.datatypeMismatch, `cannot cast type ${from.id} to ${to.id}`)
}

/** x × 10^digits for every row, or null when some product is not exactly representable. */
function upscaleFast(v: Vector, to: SqlType, digits: number): Vector | null {
  const n = v.length
  const p = pow10(digits)
  const out = new Float64Array(n)
  const a = v.values
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = Number.isFinite(x) ? x * p : x
    if (Number.isFinite(y) && Math.abs(y) > MAX_SAFE && isValid(v.validity, i)) return null
    out[i] = y
  }
  return { type: to, length: n, values: out, validity: v.validity }
}

function mapIndexed(v: Vector, to: SqlType, fn: (i: number) => number): Vector {
  const n = v.length
  const out = allocValues(to, n)
  for (let i = 0; i < n; i++) if (isValid(v.validity, i)) out[i] = fn(i)
  return { type: to, length: n, values: out, validity: v.validity }
}

function timestampToDate(t: number): number {
  if (t === -Infinity) return DATE_NEG_INF
  if (t === Infinity) return DATE_POS_INF
  return Math.floor(t / USECS_PER_DAY)
}

function dateToTimestamp(d: number): number {
  if (d === DATE_NEG_INF) return -Infinity
  if (d === DATE_POS_INF) return Infinity
  return d * USECS_PER_DAY
}

function timeOfDay(t: number): number {
  const r = t % USECS_PER_DAY
  return r < 0 ? r + USECS_PER_DAY : r + 0
}

/** Casts one JS value between types (for constants): a one-row castVector. */
export function castValue(value: Value, from: SqlType, to: SqlType, ctx?: CastContext): Value {
  const v = castVector(vectorFromValues(from, [value]), to, ctx)
  if (v.validity !== null && (v.validity[0]! & 1) === 0) return null
  if (v.type.id === 'numeric' && v.type.scale !== null) return formatScaledNumeric(v.values[0]!, v.type.scale)
  return valueAt(v, 0)
}
