/**
 * Single SQL values as JS data, for constants, parameters and the row-at-a-time slow paths
 * (VALUES, INSERT, catalog tables). Hot paths work on vectors instead.
 *
 * Representation by type: bool → boolean; integer, float, oid types → number (an int8 beyond ±2^53
 * → bigint, see int8.ts); numeric → its
 * decimal text at its scale ('1.50'); string types → string; date → days since 1970-01-01;
 * timestamp/timestamptz/time → microseconds; interval → IntervalValue; array → Value[].
 */
import { formatDecimal, formatScaled, parseDecimal, pow10, rescale, toScaled } from './decimal.js'
import { int8Value, wideInt8Vector } from './int8.js'
import { layoutOf, type SqlType } from './types.js'
import { allocValues, allValid, clearBit, decodeUtf8, isNull, stringVector, type Batch, type Vector } from './vector.js'

/** An interval as PostgreSQL keeps it: months, days and microseconds, each signed. */
export interface IntervalValue {
  readonly months: number
  readonly days: number
  readonly micros: number
}

/** One SQL value (see the module comment for the representation of each type). */
export type Value = null | boolean | number | bigint | string | IntervalValue | readonly Value[]

/** Builds a vector of the given type from JS values. */
export function vectorFromValues(type: SqlType, values: readonly Value[]): Vector {
  const n = values.length
  const layout = layoutOf(type)
  if (layout === 'utf8') {
    if (type.id === 'numeric') return stringVector(type, values.map((v) => (v === null ? null : String(v))))
    return stringVector(type, values as (string | null)[])
  }
  if (layout === 'list') {
    const element = (type as { element: SqlType }).element
    const offsets = new Int32Array(n + 1)
    const flat: Value[] = []
    let validity: Uint8Array | null = null
    for (let i = 0; i < n; i++) {
      const v = values[i]
      if (v === null || v === undefined) {
        validity ??= allValid(n)
        clearBit(validity, i)
      } else for (const e of v as readonly Value[]) flat.push(e)
      offsets[i + 1] = flat.length
    }
    return { type, length: n, values: new Uint8Array(0), validity, offsets, child: vectorFromValues(element, flat) }
  }
  if (type.id === 'numeric' && !fitsScaled(values, type.scale!)) {
    // values beyond 2^53 at this scale: exact decimal text instead (the varying-scale layout)
    const t: SqlType = { id: 'numeric', precision: type.precision, scale: null }
    return stringVector(t, values.map((v) => (v === null ? null : formatDecimal(rescale(parseDecimal(String(v)), type.scale!)))))
  }
  if (type.id === 'int8' && values.some((v) => typeof v === 'bigint')) return wideVectorFromValues(type, values)
  const out = allocValues(type, n)
  let validity: Uint8Array | null = null
  const scale = type.id === 'numeric' ? type.scale! : 0
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (v === null || v === undefined) {
      validity ??= allValid(n)
      clearBit(validity, i)
      continue
    }
    if (layout === 'interval') {
      const iv = v as IntervalValue
      out[3 * i] = iv.months
      out[3 * i + 1] = iv.days
      out[3 * i + 2] = iv.micros
    } else if (type.id === 'numeric') {
      out[i] = typeof v === 'number' ? Math.round(v * pow10(scale)) : toScaled(parseDecimal(String(v)), scale)
    } else if (typeof v === 'boolean') out[i] = v ? 1 : 0
    else out[i] = v as number
  }
  return { type, length: n, values: out, validity }
}

/** An int8-layout vector holding some value beyond ±2^53: the wide layout. */
function wideVectorFromValues(type: SqlType, values: readonly Value[]): Vector {
  const out = new BigInt64Array(values.length)
  let validity: Uint8Array | null = null
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined) {
      validity ??= allValid(values.length)
      clearBit(validity, i)
    } else out[i] = BigInt(v as number | bigint)
  }
  return wideInt8Vector(type, out, validity)
}

/** Reads row i of a vector as a JS value. */
export function valueAt(v: Vector, i: number): Value {
  if (isNull(v, i)) return null
  const t = v.type
  switch (layoutOf(t)) {
    case 'utf8':
      return decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
    case 'list': {
      const a = v.offsets![i]!
      const b = v.offsets![i + 1]!
      const out: Value[] = []
      for (let k = a; k < b; k++) out.push(valueAt(v.child!, k))
      return out
    }
    case 'interval':
      return { months: v.values[3 * i]!, days: v.values[3 * i + 1]!, micros: v.values[3 * i + 2]! }
    default: {
      const x = v.values[i]! as number | bigint
      if (typeof x === 'bigint') return int8Value(x)
      if (t.id === 'bool') return x !== 0
      if (t.id === 'numeric') return formatScaled(x, t.scale!)
      return x
    }
  }
}

/** A string key of JS data (values, expressions) that equal data share: JSON, with bigints as their digits + 'n'. */
export const jsonKey = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))

/** Reads a whole batch as rows of JS values (for tests and small results). */
export function batchRows(b: Batch): Value[][] {
  const rows: Value[][] = []
  for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => valueAt(c, i)))
  return rows
}

/** A vector of n copies of one value. */
export function constVector(type: SqlType, value: Value, n: number): Vector {
  if (value === null) {
    const v = vectorFromValues(type, [null])
    if (n === 1) return v
    return vectorFromValues(type, new Array<Value>(n).fill(null))
  }
  const layout = layoutOf(type)
  if (layout === 'utf8' || layout === 'list' || layout === 'interval' || typeof value === 'bigint' || (type.id === 'numeric' && !fitsScaled([value], type.scale!))) {
    return vectorFromValues(type, new Array<Value>(n).fill(value))
  }
  const out = allocValues(type, n)
  const x =
    type.id === 'numeric' ? toScaled(parseDecimal(String(value)), type.scale!) : typeof value === 'boolean' ? (value ? 1 : 0) : (value as number)
  out.fill(x)
  return { type, length: n, values: out, validity: null }
}

/** Whether every numeric value fits the scaled-double layout at `scale` (|unscaled| ≤ 2^53). */
function fitsScaled(values: readonly Value[], scale: number): boolean {
  for (const v of values) {
    if (v === null || typeof v === 'number') continue
    const d = rescale(parseDecimal(String(v)), scale)
    if (d.unscaled > 9007199254740991n || d.unscaled < -9007199254740991n) return false
  }
  return true
}

