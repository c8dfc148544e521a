/**
 * Exact numeric kernels: + - * / % and comparison over numeric vectors in either layout
 * (static-scale scaled integers in doubles, or decimal text), with PostgreSQL's result scales,
 * NaN/Infinity rules and errors. Per-value helpers serve the numeric SQL functions.
 */
import {
  absDecimal,
  addDecimal,
  ceilDecimal,
  compareDecimal,
  divDecimal,
  divTruncDecimal,
  expDecimal,
  floorDecimal,
  formatDecimal,
  lnDecimal,
  logDecimal,
  MAX_SAFE,
  modDecimal,
  mulDecimal,
  parseDecimal,
  pow10,
  powerDecimal,
  roundDecimal,
  signDecimal,
  sqrtDecimal,
  subDecimal,
  truncDecimal,
  type Decimal,
} from '../common/decimal.js'
import { execError, SqlState } from '../common/errors.js'
import { numericType, type SqlType } from '../common/types.js'
import { andValidity, decodeUtf8, stringVector, type Vector } from '../common/vector.js'

/** A numeric value: an exact decimal or one of PostgreSQL's special values. */
export type NumericValue = Decimal | 'NaN' | 'Infinity' | '-Infinity'

/** Arithmetic operators on numeric. */
export type NumericOp = '+' | '-' | '*' | '/' | '%'

const isValid = (bm: Uint8Array | null, i: number): boolean => bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** Reads numeric text (special values included). */
export function parseNumericValue(text: string): NumericValue {
  const s = text.trim().toLowerCase()
  if (s === 'nan') return 'NaN'
  if (s === 'infinity' || s === '+infinity' || s === 'inf' || s === '+inf') return 'Infinity'
  if (s === '-infinity' || s === '-inf') return '-Infinity'
  return parseDecimal(text)
}

/** Prints a numeric value as PostgreSQL does. */
export const formatNumericValue = (v: NumericValue): string => (typeof v === 'string' ? v : formatDecimal(v))

/** Row i of a numeric vector (either layout) as a NumericValue. */
export function numericValueAt(v: Vector, i: number): NumericValue {
  const t = v.type as { scale: number | null }
  if (t.scale === null) return parseNumericValue(decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!))
  const x = v.values[i]!
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  return { unscaled: BigInt(x), scale: t.scale }
}

const signOf = (v: NumericValue): number =>
  typeof v === 'string' ? (v === 'Infinity' ? 1 : v === '-Infinity' ? -1 : 0) : v.unscaled > 0n ? 1 : v.unscaled < 0n ? -1 : 0
const inf = (sign: number): NumericValue => (sign > 0 ? 'Infinity' : '-Infinity')
const ZERO: Decimal = { unscaled: 0n, scale: 0 }
const divisionByZero = (): Error => execError(SqlState.divisionByZero, 'division by zero')

/** a op b on single numeric values with PostgreSQL 15's NaN/Infinity rules. */
export function numericOp(op: NumericOp, a: NumericValue, b: NumericValue): NumericValue {
  if (typeof a !== 'string' && typeof b !== 'string') {
    switch (op) {
      case '+':
        return addDecimal(a, b)
      case '-':
        return subDecimal(a, b)
      case '*':
        return mulDecimal(a, b)
      case '/':
        return divDecimal(a, b)
      case '%':
        return modDecimal(a, b)
    }
  }
  if (a === 'NaN' || b === 'NaN') return 'NaN'
  const sa = signOf(a)
  const sb = signOf(b)
  const aInf = typeof a === 'string'
  const bInf = typeof b === 'string'
  switch (op) {
    case '+':
      if (aInf && bInf) return sa === sb ? a : 'NaN'
      return aInf ? a : b
    case '-':
      if (aInf && bInf) return sa !== sb ? a : 'NaN'
      return aInf ? a : inf(-sb)
    case '*':
      if (sa === 0 || sb === 0) return 'NaN'
      return inf(sa * sb)
    case '/':
      if (!bInf && sb === 0) throw divisionByZero()
      if (aInf && bInf) return 'NaN'
      if (aInf) return inf(sa * sb)
      return ZERO
    case '%':
      if (!bInf && sb === 0) throw divisionByZero()
      if (aInf) return 'NaN'
      return a
  }
}

/** Three-way comparison of numeric values (NaN sorts above everything and equals itself, as in PostgreSQL). */
export function compareNumericValues(a: NumericValue, b: NumericValue): number {
  if (typeof a === 'string' || typeof b === 'string') {
    const rank = (v: NumericValue): number => (v === 'NaN' ? 2 : v === 'Infinity' ? 1 : v === '-Infinity' ? -1 : 0)
    const ra = rank(a)
    const rb = rank(b)
    if (ra !== rb || ra !== 0) return ra < rb ? -1 : ra > rb ? 1 : 0
  }
  return compareDecimal(a as Decimal, b as Decimal)
}

/** Three-way comparison of row i of l with row j of r (numeric vectors in any layout; both rows non-NULL). */
export function numericCompare(l: Vector, i: number, r: Vector, j: number): number {
  const ls = (l.type as { scale: number | null }).scale
  const rs = (r.type as { scale: number | null }).scale
  if (ls !== null && rs !== null && ls >= 0 && rs >= 0) {
    const x = l.values[i]!
    const y = r.values[j]!
    if (Number.isFinite(x) && Number.isFinite(y)) {
      const s = Math.max(ls, rs)
      const xs = x * pow10(s - ls)
      const ys = y * pow10(s - rs)
      if (Math.abs(xs) <= MAX_SAFE && Math.abs(ys) <= MAX_SAFE) return xs < ys ? -1 : xs > ys ? 1 : 0
    }
  }
  return compareNumericValues(numericValueAt(l, i), numericValueAt(r, j))
}

function staticScale(v: Vector): number | null {
  const s = (v.type as { scale: number | null }).scale
  return s !== null && s >= 0 ? s : null
}

/** Static-scale fast path for + - * %; null when a value would not stay exact. */
function staticBinary(op: NumericOp, a: Vector, b: Vector, n: number, sa: number, sb: number, validity: Uint8Array | null): Vector | null {
  // a local copy: an imported binding read in the loop can cost a property access per row
  const MAX = MAX_SAFE
  const x = a.values
  const y = b.values
  const out = new Float64Array(n)
  if (op === '*') {
    for (let i = 0; i < n; i++) {
      const r = x[i]! * y[i]!
      if (Math.abs(r) > MAX && Number.isFinite(r) && isValid(validity, i)) return null
      out[i] = r
    }
    return { type: numericType(null, sa + sb), length: n, values: out, validity }
  }
  const s = Math.max(sa, sb)
  const fa = pow10(s - sa)
  const fb = pow10(s - sb)
  for (let i = 0; i < n; i++) {
    const p = x[i]! * fa
    const q = y[i]! * fb
    let r: number
    if (op === '+') r = p + q
    else if (op === '-') r = p - q
    else {
      if (!isValid(validity, i)) continue
      if (q === 0) {
        if (Number.isNaN(p)) r = NaN
        else throw divisionByZero()
      } else if (!Number.isFinite(p) || Number.isNaN(q)) r = NaN
      else if (!Number.isFinite(q)) r = p
      else r = p % q
    }
    if ((Math.abs(p) > MAX && Number.isFinite(p)) || (Math.abs(q) > MAX && Number.isFinite(q)) || (Math.abs(r) > MAX && Number.isFinite(r))) {
      if (isValid(validity, i)) return null
    }
    out[i] = r + 0
  }
  return { type: numericType(null, s), length: n, values: out, validity }
}

/**
 * a op b over n rows of numeric vectors (either layout). Both static-scale and op + - * %: a
 * static-scale result (scale max(s1,s2), or s1+s2 for *); otherwise, or when a result would exceed
 * 2^53, decimal text with PostgreSQL's per-value scales. `_type` is the caller's result type hint.
 */
export function numericBinary(op: NumericOp, a: Vector, b: Vector, n: number, _type?: SqlType): Vector {
  const validity = andValidity(a.validity, b.validity, n)
  const sa = staticScale(a)
  const sb = staticScale(b)
  if (sa !== null && sb !== null && op !== '/') {
    const fast = staticBinary(op, a, b, n, sa, sb, validity)
    if (fast !== null) return fast
  }
  const out = new Array<string | null>(n)
  for (let i = 0; i < n; i++) {
    if (!isValid(validity, i)) {
      out[i] = null
      continue
    }
    out[i] = formatNumericValue(numericOp(op, numericValueAt(a, i), numericValueAt(b, i)))
  }
  return stringVector(numericType(null, null), out)
}

/** Unary numeric functions PostgreSQL defines on numeric. */
export type NumericFunction = 'abs' | 'sign' | 'ceil' | 'floor' | 'sqrt' | 'exp' | 'ln' | 'log10' | 'negate'

/** f(x) on one numeric value with PostgreSQL's scales and special-value rules. */
export function numericFunction(f: NumericFunction, x: NumericValue): NumericValue {
  if (x === 'NaN') return 'NaN'
  if (typeof x === 'string') {
    const s = signOf(x)
    switch (f) {
      case 'abs':
        return 'Infinity'
      case 'sign':
        return { unscaled: BigInt(s), scale: 0 }
      case 'negate':
        return inf(-s)
      case 'ceil':
      case 'floor':
        return x
      case 'sqrt':
        if (s < 0) throw execError(SqlState.invalidArgumentForPower, 'cannot take square root of a negative number')
        return x
      case 'exp':
        return s > 0 ? x : ZERO
      case 'ln':
      case 'log10':
        if (s < 0) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
        return x
    }
  }
  switch (f) {
    case 'abs':
      return absDecimal(x)
    case 'sign':
      return signDecimal(x)
    case 'negate':
      return { unscaled: -x.unscaled, scale: x.scale }
    case 'ceil':
      return ceilDecimal(x)
    case 'floor':
      return floorDecimal(x)
    case 'sqrt':
      return sqrtDecimal(x)
    case 'exp':
      return expDecimal(x)
    case 'ln':
      return lnDecimal(x)
    case 'log10':
      return logDecimal({ unscaled: 10n, scale: 0 }, x)
  }
}

/** round(x, n) / trunc(x, n) on one numeric value. */
export function numericRound(x: NumericValue, n: number, mode: 'round' | 'trunc'): NumericValue {
  if (typeof x === 'string') return x
  return mode === 'round' ? roundDecimal(x, n) : truncDecimal(x, n)
}

/** power(a, b), log(b, x) and div(a, b) on numeric values. */
export function numericBinaryFunction(f: 'power' | 'log' | 'div', a: NumericValue, b: NumericValue): NumericValue {
  if (typeof a !== 'string' && typeof b !== 'string') {
    if (f === 'power') return powerDecimal(a, b)
    if (f === 'log') return logDecimal(a, b)
    return divTruncDecimal(a, b)
  }
  if (a === 'NaN' || b === 'NaN') {
    if (f === 'power' && ((a !== 'NaN' && typeof a !== 'string' && a.unscaled === BigInt(10) ** BigInt(a.scale)) || (typeof b !== 'string' && b.unscaled === 0n))) {
      return { unscaled: 1n, scale: 0 }
    }
    return 'NaN'
  }
  if (f === 'div') {
    const r = numericOp('/', a, b)
    return typeof r === 'string' ? r : divTruncDecimal(r, { unscaled: 1n, scale: 0 })
  }
  if (f === 'log') return 'NaN'
  // power with an infinite operand (PostgreSQL 15 rules, common cases)
  const sb = signOf(b)
  if (typeof b === 'string') {
    const absA = typeof a === 'string' ? Infinity : Math.abs(Number(formatDecimal(a)))
    if (absA === 1) return { unscaled: 1n, scale: 0 }
    if (sb > 0) return absA > 1 ? 'Infinity' : ZERO
    return absA > 1 ? ZERO : 'Infinity'
  }
  // a is ±Infinity, b finite
  if (sb === 0) return { unscaled: 1n, scale: 0 }
  if (sb < 0) return ZERO
  const odd = b.scale === 0 && b.unscaled % 2n !== 0n
  return a === '-Infinity' && odd ? '-Infinity' : 'Infinity'
}
