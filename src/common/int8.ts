/**
 * The two layouts of an int8 vector (see types.ts): its `values` is a Float64Array while every
 * value is within ±2^53 (the fast path every kernel handles), or a BigInt64Array ("wide") when
 * some value is beyond. The static `Values` type does not name BigInt64Array, so a wide vector is
 * made only by `wideInt8Vector` and recognised only by `isWideInt8`; kernels that read int8 values
 * either handle both layouts or narrow with `requireNarrowInt8`, which raises 0A000 for a wide one.
 */
import { execError, NotImplementedError, SqlState } from './errors.js'
import type { SqlType } from './types.js'
import type { Values, Vector } from './vector.js'

/** Smallest and largest int8. */
export const INT8_MIN = -9223372036854775808n
export const INT8_MAX = 9223372036854775807n
const SAFE = 9007199254740992n

/** An int8 as the row-at-a-time code holds it: a number when |x| ≤ 2^53, else a bigint. */
export type Int8Value = number | bigint

/** Whether a values array is the wide (BigInt64Array) int8 layout. */
export const isWideValues = (values: Values | BigInt64Array): values is BigInt64Array => values instanceof BigInt64Array

/** The BigInt64Array of a wide int8 vector, or null when the vector uses the Float64Array layout. */
export const wideValues = (v: Vector): BigInt64Array | null => (v.values instanceof BigInt64Array ? (v.values as unknown as BigInt64Array) : null)

/** Whether a vector holds int8 values in the wide layout. */
export const isWideInt8 = (v: Vector): boolean => v.values instanceof BigInt64Array

/** A vector of the wide layout over exact 64-bit values. */
export const wideInt8Vector = (type: SqlType, values: BigInt64Array, validity: Uint8Array | null, length = values.length): Vector => ({
  type,
  length,
  values: values as unknown as Values,
  validity,
})

/** Whether a bigint is within ±2^53, the range the Float64Array layout holds exactly. */
export const fitsDouble = (x: bigint): boolean => x >= -SAFE && x <= SAFE

/** The canonical row value of an exact int8: a number when it fits a double exactly, else the bigint. */
export const int8Value = (x: bigint): Int8Value => (fitsDouble(x) ? Number(x) : x)

/** Raises 22003 'bigint out of range' unless x is a valid int8. */
export function checkInt8(x: bigint): bigint {
  if (x < INT8_MIN || x > INT8_MAX) throw execError(SqlState.numericValueOutOfRange, 'bigint out of range')
  return x
}

/** Row i of an int8-layout vector as an exact bigint (either layout). */
export function int8BigAt(v: Vector, i: number): bigint {
  const x = v.values[i]! as number | bigint
  return typeof x === 'bigint' ? x : BigInt(x)
}

/** The values of an int8 vector as exact 64-bit integers (a copy for the Float64Array layout). */
export function widenValues(v: Vector): BigInt64Array {
  const w = wideValues(v)
  if (w !== null) return w
  const a = v.values
  const out = new BigInt64Array(v.length)
  const bm = v.validity
  for (let i = 0; i < v.length; i++) if (bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1) out[i] = BigInt(a[i]!)
  return out
}

/** A wide int8 vector in the Float64Array layout when every valid value fits, else itself. */
export function narrowInt8(v: Vector): Vector {
  const w = wideValues(v)
  if (w === null) return v
  const bm = v.validity
  const out = new Float64Array(v.length)
  for (let i = 0; i < v.length; i++) {
    if (bm !== null && ((bm[i >> 3]! >> (i & 7)) & 1) === 0) continue
    const x = w[i]!
    if (!fitsDouble(x)) return v
    out[i] = Number(x)
  }
  return { type: v.type, length: v.length, values: out, validity: bm }
}

/** A vector that is not wide: narrows a wide one, raising 0A000 (naming `what`) when a value does not fit. */
export function requireNarrowInt8(v: Vector, what: string): Vector {
  if (!isWideInt8(v)) return v
  const n = narrowInt8(v)
  if (isWideInt8(n)) throw new NotImplementedError(`${what} does not support bigint values beyond ±2^53`)
  return n
}

/** An int8 vector from exact values: the Float64Array layout when all fit, else the wide one. */
export function int8VectorFromBig(type: SqlType, values: BigInt64Array, validity: Uint8Array | null): Vector {
  return narrowInt8(wideInt8Vector(type, values, validity))
}
