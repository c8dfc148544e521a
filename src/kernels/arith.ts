/**
 * Arithmetic and comparison kernels over whole vectors, with PostgreSQL's semantics: integer
 * overflow (22003) and division by zero (22012) errors, integer division truncating toward zero,
 * exact static-scale numerics as scaled integers in doubles, NULL in → NULL out.
 */
import { execError, SqlState } from '../common/errors.js'
import { checkInt8, int8VectorFromBig, isWideInt8, widenValues } from '../common/int8.js'
import { type SqlType } from '../common/types.js'
import { andValidity, allocValues, toStrings, type Values, type Vector } from '../common/vector.js'
import { numericBinary, numericCompare } from './numeric.js'

const INT_RANGE: Partial<Record<SqlType['id'], [number, number, string]>> = {
  int2: [-32768, 32767, 'smallint out of range'],
  int4: [-2147483648, 2147483647, 'integer out of range'],
  // past ±2^53 int8 arithmetic leaves the double loops for exact bigints (wideArithmetic)
  int8: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'bigint out of range'],
}

/** Signals that an int8 result left the range doubles hold exactly. */
const BEYOND_DOUBLE = Symbol('beyond double')

/** True when row i is valid (not NULL) in an optional bitmap. */
const valid = (bm: Uint8Array | null, i: number): boolean => bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** l op r for + - * / % over numeric-category vectors of the same type (the binder unifies types). */
export function arithmetic(op: '+' | '-' | '*' | '/' | '%', l: Vector, r: Vector, n: number, type: SqlType): Vector {
  if (type.id === 'numeric') return numericBinary(op, l, r, n, type)
  if (type.id === 'int8') {
    if (isWideInt8(l) || isWideInt8(r)) return wideArithmetic(op, l, r, n, type)
    try {
      return fixedArithmetic(op, l, r, n, type)
    } catch (e) {
      if (e === BEYOND_DOUBLE) return wideArithmetic(op, l, r, n, type)
      throw e
    }
  }
  return fixedArithmetic(op, l, r, n, type)
}

/** int8 l op r over exact bigints: 22003 only outside int8's range, the Float64Array layout when every result fits. */
function wideArithmetic(op: '+' | '-' | '*' | '/' | '%', l: Vector, r: Vector, n: number, type: SqlType): Vector {
  const validity = andValidity(l.validity, r.validity, n)
  const a = widenValues(l)
  const b = widenValues(r)
  const out = new BigInt64Array(n)
  for (let i = 0; i < n; i++) {
    if (!valid(validity, i)) continue
    const x = a[i]!
    const y = b[i]!
    if ((op === '/' || op === '%') && y === 0n) throw execError(SqlState.divisionByZero, 'division by zero')
    out[i] = checkInt8(op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : op === '/' ? x / y : x % y)
  }
  return int8VectorFromBig(type, out, validity)
}

/** l op r over the typed arrays of a fixed-width type (int8 throws BEYOND_DOUBLE past ±2^53). */
function fixedArithmetic(op: '+' | '-' | '*' | '/' | '%', l: Vector, r: Vector, n: number, type: SqlType): Vector {
  const validity = andValidity(l.validity, r.validity, n)
  const a = l.values
  const b = r.values
  const out = allocValues(type, n)
  const range = INT_RANGE[type.id]
  if (range === undefined) {
    // floating point: IEEE, but PostgreSQL raises on division by zero and on overflow to infinity
    for (let i = 0; i < n; i++) {
      const x = a[i]!
      const y = b[i]!
      let v: number
      switch (op) {
        case '+':
          v = x + y
          break
        case '-':
          v = x - y
          break
        case '*':
          v = x * y
          break
        case '/':
          if (y === 0 && valid(validity, i)) throw execError(SqlState.divisionByZero, 'division by zero')
          v = x / y
          break
        case '%':
          if (y === 0 && valid(validity, i)) throw execError(SqlState.divisionByZero, 'division by zero')
          v = x % y
          break
      }
      if (!Number.isFinite(v) && Number.isFinite(x) && Number.isFinite(y) && valid(validity, i)) {
        throw execError(SqlState.numericValueOutOfRange, 'value out of range: overflow')
      }
      out[i] = v
    }
    return { type, length: n, values: out, validity }
  }
  const [lo, hi, msg] = range
  const int8 = type.id === 'int8'
  const check = (v: number, i: number): number => {
    if ((v < lo || v > hi) && valid(validity, i)) {
      if (int8) throw BEYOND_DOUBLE
      throw execError(SqlState.numericValueOutOfRange, msg)
    }
    return v
  }
  switch (op) {
    case '+':
      for (let i = 0; i < n; i++) out[i] = check(a[i]! + b[i]!, i)
      break
    case '-':
      for (let i = 0; i < n; i++) out[i] = check(a[i]! - b[i]!, i)
      break
    case '*':
      for (let i = 0; i < n; i++) {
        const v = a[i]! * b[i]!
        if (int8 && !Number.isSafeInteger(v) && valid(validity, i)) throw BEYOND_DOUBLE
        out[i] = check(v, i)
      }
      break
    case '/':
      for (let i = 0; i < n; i++) {
        const y = b[i]!
        if (y === 0) {
          if (valid(validity, i)) throw execError(SqlState.divisionByZero, 'division by zero')
          continue
        }
        out[i] = check(Math.trunc(a[i]! / y), i)
      }
      break
    case '%':
      for (let i = 0; i < n; i++) {
        const y = b[i]!
        if (y === 0) {
          if (valid(validity, i)) throw execError(SqlState.divisionByZero, 'division by zero')
          continue
        }
        const v = a[i]! % y
        out[i] = v === 0 ? 0 : v
      }
      break
  }
  return { type, length: n, values: out, validity }
}

/** Comparison operators. */
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>='

/** Three-way comparison of row i of l with row j of r (both valid, same type). */
export function compareAt(l: Vector, i: number, r: Vector, j: number): number {
  const t = l.type
  if (l.offsets !== undefined && t.id !== 'numeric') return compareBytes(l, i, r, j)
  if (t.id === 'numeric' && (l.offsets !== undefined || r.offsets !== undefined)) return numericCompare(l, i, r, j)
  if (t.id === 'interval') {
    const x = intervalKey(l.values, i)
    const y = intervalKey(r.values, j)
    return x < y ? -1 : x > y ? 1 : 0
  }
  if (t.id === 'array') return compareArrays(l, i, r, j)
  const x = l.values[i]!
  const y = r.values[j]!
  if (x < y) return -1
  if (x > y) return 1
  if (x === y) return 0
  // wide int8 values are bigints, which compare exactly with numbers but are never === to one
  if (typeof x === 'bigint' || typeof y === 'bigint') return 0
  // NaN sorts above every other value and equals itself, as in PostgreSQL
  const xn = Number.isNaN(x)
  const yn = Number.isNaN(y)
  return xn && yn ? 0 : xn ? 1 : -1
}

function compareArrays(l: Vector, i: number, r: Vector, j: number): number {
  const a0 = l.offsets![i]!
  const a1 = l.offsets![i + 1]!
  const b0 = r.offsets![j]!
  const b1 = r.offsets![j + 1]!
  const lc = l.child!
  const rc = r.child!
  for (let k = 0; k < Math.min(a1 - a0, b1 - b0); k++) {
    const ln = !valid(lc.validity, a0 + k)
    const rn = !valid(rc.validity, b0 + k)
    if (ln || rn) {
      if (ln && rn) continue
      return ln ? 1 : -1
    }
    const c = compareAt(lc, a0 + k, rc, b0 + k)
    if (c !== 0) return c
  }
  return a1 - a0 - (b1 - b0) < 0 ? -1 : a1 - a0 === b1 - b0 ? 0 : 1
}

/** An interval's comparable magnitude (PostgreSQL: 30-day months, 24-hour days). */
export const intervalKey = (v: Values, i: number): number => (v[3 * i]! * 30 + v[3 * i + 1]!) * 86400e6 + v[3 * i + 2]!

/** Byte-wise (code point order) comparison of two UTF-8 values. */
function compareBytes(l: Vector, i: number, r: Vector, j: number): number {
  const a = l.values as Uint8Array
  const b = r.values as Uint8Array
  const p = l.offsets![i]!
  let pe = l.offsets![i + 1]!
  const q = r.offsets![j]!
  let qe = r.offsets![j + 1]!
  if (l.type.id === 'bpchar') {
    // character(n) ignores trailing spaces in comparisons
    while (pe > p && a[pe - 1] === 32) pe--
    while (qe > q && b[qe - 1] === 32) qe--
  }
  return compareRange(a, p, pe, b, q, qe)
}

function compareRange(a: Uint8Array, p: number, pe: number, b: Uint8Array, q: number, qe: number): number {
  while (p < pe && q < qe) {
    const x = a[p]!
    const y = b[q]!
    if (x !== y) return x < y ? -1 : 1
    p++
    q++
  }
  return pe - p === qe - q ? 0 : pe - p < qe - q ? -1 : 1
}

/** l op r as a boolean vector (NULL when either side is NULL). */
export function compare(op: CompareOp, l: Vector, r: Vector, n: number): Vector {
  const validity = andValidity(l.validity, r.validity, n)
  const out = new Uint8Array(n)
  // int8 with a wide side: both sides as exact bigints (the loops below work on either)
  const wide = isWideInt8(l) || isWideInt8(r)
  const a = wide ? (widenValues(l) as unknown as Values) : l.values
  const b = wide ? (widenValues(r) as unknown as Values) : r.values
  const fast = l.offsets === undefined && r.offsets === undefined && l.type.id !== 'interval' && l.type.id !== 'array' && !(l.type.id === 'float4' || l.type.id === 'float8')
  if (fast) {
    switch (op) {
      case '=':
        for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0
        break
      case '<>':
        for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0
        break
      case '<':
        for (let i = 0; i < n; i++) out[i] = a[i]! < b[i]! ? 1 : 0
        break
      case '<=':
        for (let i = 0; i < n; i++) out[i] = a[i]! <= b[i]! ? 1 : 0
        break
      case '>':
        for (let i = 0; i < n; i++) out[i] = a[i]! > b[i]! ? 1 : 0
        break
      case '>=':
        for (let i = 0; i < n; i++) out[i] = a[i]! >= b[i]! ? 1 : 0
        break
    }
    return { type: { id: 'bool' }, length: n, values: out, validity }
  }
  if (l.offsets !== undefined && r.offsets !== undefined && l.type.id !== 'numeric' && (op === '=' || op === '<>') && l.type.id !== 'bpchar') {
    const ls = toStrings(l)
    const rs = toStrings(r)
    for (let i = 0; i < n; i++) out[i] = (ls[i] === rs[i]) === (op === '=') ? 1 : 0
    return { type: { id: 'bool' }, length: n, values: out, validity }
  }
  for (let i = 0; i < n; i++) {
    if (!valid(validity, i)) continue
    const c = compareAt(l, i, r, i)
    out[i] = test(op, c) ? 1 : 0
  }
  return { type: { id: 'bool' }, length: n, values: out, validity }
}

/** Whether a three-way comparison result satisfies the operator. */
export function test(op: CompareOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0
    case '<>':
      return c !== 0
    case '<':
      return c < 0
    case '<=':
      return c <= 0
    case '>':
      return c > 0
    case '>=':
      return c >= 0
  }
}

const scalarEncoder = new TextEncoder()

/**
 * l op constant, without materialising the constant as a vector: strings compare as UTF-8 bytes
 * against the constant's bytes once encoded; fixed-width values against one number. Returns
 * undefined when no fast path applies (the caller then uses `compare`).
 */
export function compareScalar(op: CompareOp, l: Vector, value: number | bigint | string | boolean, n: number): Vector | undefined {
  const out = new Uint8Array(n)
  const t = l.type
  if (typeof value === 'bigint' || isWideInt8(l)) {
    if (typeof value !== 'bigint' && typeof value !== 'number') return undefined
    const a = widenValues(l)
    const k = BigInt(value)
    for (let i = 0; i < n; i++) {
      const x = a[i]!
      out[i] = test(op, x < k ? -1 : x > k ? 1 : 0) ? 1 : 0
    }
    return { type: { id: 'bool' }, length: n, values: out, validity: l.validity }
  }
  if (l.offsets !== undefined) {
    if (typeof value !== 'string' || t.id === 'numeric' || t.id === 'array') return undefined
    const bytes = l.values as Uint8Array
    const off = l.offsets
    let k = scalarEncoder.encode(value)
    const bp = t.id === 'bpchar'
    if (bp) {
      let e = k.length
      while (e > 0 && k[e - 1] === 32) e--
      k = k.subarray(0, e)
    }
    const kl = k.length
    for (let i = 0; i < n; i++) {
      let p = off[i]!
      let pe = off[i + 1]!
      if (bp) while (pe > p && bytes[pe - 1] === 32) pe--
      let c = 0
      const len = pe - p
      if ((op === '=' || op === '<>') && len !== kl) c = 1
      else {
        let q = 0
        while (p < pe && q < kl) {
          const x = bytes[p]!
          const y = k[q]!
          if (x !== y) {
            c = x < y ? -1 : 1
            break
          }
          p++
          q++
        }
        if (c === 0 && len !== kl) c = len < kl ? -1 : 1
      }
      out[i] = test(op, c) ? 1 : 0
    }
    return { type: { id: 'bool' }, length: n, values: out, validity: l.validity }
  }
  if (t.id === 'interval' || t.id === 'array' || t.id === 'numeric') return undefined
  const x = typeof value === 'boolean' ? (value ? 1 : 0) : typeof value === 'number' ? value : Number.NaN
  if (Number.isNaN(x)) return undefined
  const a = l.values
  const float = t.id === 'float4' || t.id === 'float8'
  switch (op) {
    case '=':
      for (let i = 0; i < n; i++) out[i] = a[i] === x ? 1 : 0
      break
    case '<>':
      for (let i = 0; i < n; i++) out[i] = a[i] !== x ? 1 : 0
      break
    case '<':
      for (let i = 0; i < n; i++) out[i] = a[i]! < x ? 1 : 0
      break
    case '<=':
      for (let i = 0; i < n; i++) out[i] = a[i]! <= x ? 1 : 0
      break
    case '>':
      // NaN is greater than every number in PostgreSQL
      for (let i = 0; i < n; i++) out[i] = a[i]! > x || (float && Number.isNaN(a[i]!)) ? 1 : 0
      break
    case '>=':
      for (let i = 0; i < n; i++) out[i] = a[i]! >= x || (float && Number.isNaN(a[i]!)) ? 1 : 0
      break
  }
  if (float && (op === '<>' )) for (let i = 0; i < n; i++) if (Number.isNaN(a[i]!)) out[i] = 1
  return { type: { id: 'bool' }, length: n, values: out, validity: l.validity }
}
