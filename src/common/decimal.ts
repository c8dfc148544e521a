/**
 * Exact decimal values for `numeric`: an unscaled BigInt and a scale (value = unscaled × 10^-scale).
 * The hot path keeps static-scale numerics as scaled integers in doubles; this module is the exact
 * slow path (parsing, printing, rescaling, and values beyond 2^53).
 */
import { execError, SqlState } from './errors.js'

/** An exact decimal number. */
export interface Decimal {
  readonly unscaled: bigint
  readonly scale: number
}

/** Largest integer a double holds exactly. */
export const MAX_SAFE = Number.MAX_SAFE_INTEGER

const pow10Big: bigint[] = [1n]
/** 10^n as a BigInt. */
export function pow10n(n: number): bigint {
  if (n > MAX_DIGITS) throw execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')
  if (n >= 1024) return 10n ** BigInt(n)
  while (pow10Big.length <= n) pow10Big.push(pow10Big[pow10Big.length - 1]! * 10n)
  return pow10Big[n]!
}

/** The most decimal digits a numeric may have (PostgreSQL: 131072 before the point + 16383 after). */
export const MAX_DIGITS = 147455
/** 10^n as a double (exact for n ≤ 22). */
export const pow10 = (n: number): number => 10 ** n

const decimalRe = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/

/** Parses numeric text ('1.50', '-3', '1e3', ' .5 '); throws 22P02 on bad input. */
export function parseDecimal(text: string): Decimal {
  const m = decimalRe.exec(text)
  if (m === null || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw execError(SqlState.invalidTextRepresentation, `invalid input syntax for type numeric: "${text}"`)
  }
  const sign = m[1] === '-' ? -1n : 1n
  const intPart = m[2]!
  const frac = m[3] ?? ''
  const exp = m[4] !== undefined ? Number(m[4]) : 0
  let unscaled = BigInt((intPart + frac) || '0')
  let scale = frac.length - exp
  if (scale < 0) {
    unscaled *= pow10n(-scale)
    scale = 0
  }
  return { unscaled: sign * unscaled, scale }
}

/** Prints a decimal with exactly its scale's digits after the point ('1.50', '-0.05', '3'). */
export function formatDecimal(d: Decimal): string {
  const neg = d.unscaled < 0n
  let digits = (neg ? -d.unscaled : d.unscaled).toString()
  if (d.scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(Math.max(0, -d.scale))
  if (digits.length <= d.scale) digits = '0'.repeat(d.scale - digits.length + 1) + digits
  const cut = digits.length - d.scale
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut)
}

/** Rounds half away from zero (PostgreSQL's numeric rounding) to a new scale. */
export function rescale(d: Decimal, scale: number): Decimal {
  if (scale === d.scale) return d
  if (scale > d.scale) return { unscaled: d.unscaled * pow10n(scale - d.scale), scale }
  const div = pow10n(d.scale - scale)
  let q = d.unscaled / div
  const r = d.unscaled % div
  const twice = (r < 0n ? -r : r) * 2n
  if (twice >= div) q += d.unscaled < 0n ? -1n : 1n
  return { unscaled: q, scale }
}

/** Formats an unscaled integer held in a double at a static scale (the fast path's printer). */
export function formatScaled(unscaled: number, scale: number): string {
  if (scale === 0) return Object.is(unscaled, -0) ? '0' : unscaled.toFixed(0)
  const neg = unscaled < 0
  let digits = Math.abs(unscaled).toFixed(0)
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits
  const cut = digits.length - scale
  return (neg ? '-' : '') + digits.slice(0, cut) + '.' + digits.slice(cut)
}

/** Converts a decimal to the scaled-double form at `scale`; throws 22003 if it does not fit exactly. */
export function toScaled(d: Decimal, scale: number): number {
  const r = rescale(d, scale)
  const n = Number(r.unscaled)
  if (!Number.isSafeInteger(n)) throw execError(SqlState.numericValueOutOfRange, 'numeric value out of range for Flint\'s fast decimal path')
  return n
}

/** Checks that a value fits numeric(precision, scale); throws 22003 as PostgreSQL does. */
export function checkPrecision(d: Decimal, precision: number, scale: number): void {
  const limit = pow10n(precision)
  const abs = d.unscaled < 0n ? -d.unscaled : d.unscaled
  if (abs >= limit) {
    throw execError(
      SqlState.numericValueOutOfRange,
      'numeric field overflow',
      `A field with precision ${precision}, scale ${scale} must round to an absolute value less than ${precision === scale ? '1' : `10^${precision - scale}`}.`,
    )
  }
}

/** Decimal from a JS number (integers exactly; floats via their shortest round-trip text). */
export function decimalFromNumber(n: number): Decimal {
  if (Number.isInteger(n) && Math.abs(n) <= MAX_SAFE) return { unscaled: BigInt(n), scale: 0 }
  if (!Number.isFinite(n)) throw execError(SqlState.invalidTextRepresentation, `cannot convert ${n} to numeric`)
  return parseDecimal(String(n))
}

/** The decimal's value as a double (nearest). */
export const decimalToNumber = (d: Decimal): number => Number(formatDecimal(d))

/** Compares two decimals: -1, 0 or 1. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const s = Math.max(a.scale, b.scale)
  const x = a.unscaled * pow10n(s - a.scale)
  const y = b.unscaled * pow10n(s - b.scale)
  return x < y ? -1 : x > y ? 1 : 0
}

/** Drops trailing fractional zeros (used where PostgreSQL strips them, e.g. numeric from float). */
export function trimScale(d: Decimal): Decimal {
  let { unscaled, scale } = d
  while (scale > 0 && unscaled % 10n === 0n) {
    unscaled /= 10n
    scale--
  }
  return { unscaled, scale }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic with PostgreSQL's result scales (numeric.c)

/** NUMERIC_MIN_SIG_DIGITS: the least significant digits division and transcendental results get. */
const MIN_SIG_DIGITS = 16
/** NUMERIC_MAX_DISPLAY_SCALE. */
const MAX_DISPLAY_SCALE = 1000

const abs = (x: bigint): bigint => (x < 0n ? -x : x)
const clampScale = (s: number): number => Math.min(Math.max(s, 0), MAX_DISPLAY_SCALE)

/** A decimal with a non-negative scale (negative scales expanded into the integer). */
function normalized(d: Decimal): Decimal {
  return d.scale >= 0 ? d : { unscaled: d.unscaled * pow10n(-d.scale), scale: 0 }
}

/**
 * Weight and first digit of a decimal in PostgreSQL's base-10000 form: value ≈ first × 10000^weight.
 * Zero has weight 0 and first digit 0.
 */
export function nbaseWeight(d: Decimal): { weight: number; first: number } {
  const n = normalized(d)
  if (n.unscaled === 0n) return { weight: 0, first: 0 }
  const s4 = Math.ceil(n.scale / 4) * 4
  const digits = (abs(n.unscaled) * pow10n(s4 - n.scale)).toString()
  const groups = Math.ceil(digits.length / 4)
  const lead = digits.length - 4 * (groups - 1)
  return { weight: groups - 1 - s4 / 4, first: Number(digits.slice(0, lead)) }
}

/** Integer division rounding half away from zero. */
function divRound(num: bigint, den: bigint): bigint {
  let q = num / den
  const r = num % den
  if (2n * abs(r) >= abs(den)) q += (num < 0n) !== (den < 0n) ? -1n : 1n
  return q
}

/** a + b at scale max(sa, sb). */
export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const x = normalized(a)
  const y = normalized(b)
  const s = Math.max(x.scale, y.scale)
  return { unscaled: x.unscaled * pow10n(s - x.scale) + y.unscaled * pow10n(s - y.scale), scale: s }
}

/** a - b at scale max(sa, sb). */
export const subDecimal = (a: Decimal, b: Decimal): Decimal => addDecimal(a, { unscaled: -b.unscaled, scale: b.scale })

/** a × b at scale sa + sb. */
export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  const x = normalized(a)
  const y = normalized(b)
  return { unscaled: x.unscaled * y.unscaled, scale: x.scale + y.scale }
}

const divisionByZero = (): Error => execError(SqlState.divisionByZero, 'division by zero')

/** The result scale PostgreSQL's select_div_scale picks for a / b. */
export function divScale(a: Decimal, b: Decimal): number {
  const x = normalized(a)
  const y = normalized(b)
  const w1 = nbaseWeight(x)
  const w2 = nbaseWeight(y)
  let qweight = w1.weight - w2.weight
  if (w1.first <= w2.first) qweight--
  return clampScale(Math.max(MIN_SIG_DIGITS - qweight * 4, x.scale, y.scale))
}

/** a / b rounded half away from zero to `scale` (default: PostgreSQL's select_div_scale); 22012 on zero. */
export function divDecimal(a: Decimal, b: Decimal, scale?: number): Decimal {
  const x = normalized(a)
  const y = normalized(b)
  if (y.unscaled === 0n) throw divisionByZero()
  const rscale = scale ?? divScale(x, y)
  // q = x.u × 10^(y.s + rscale - x.s) / y.u
  const e = y.scale + rscale - x.scale
  const num = e >= 0 ? x.unscaled * pow10n(e) : x.unscaled
  const den = e >= 0 ? y.unscaled : y.unscaled * pow10n(-e)
  return { unscaled: divRound(num, den), scale: rscale }
}

/** trunc(a / b) as an integer (PostgreSQL's div()); 22012 on zero. */
export function divTruncDecimal(a: Decimal, b: Decimal): Decimal {
  const x = normalized(a)
  const y = normalized(b)
  if (y.unscaled === 0n) throw divisionByZero()
  const s = Math.max(x.scale, y.scale)
  return { unscaled: (x.unscaled * pow10n(s - x.scale)) / (y.unscaled * pow10n(s - y.scale)), scale: 0 }
}

/** a mod b (sign of a) at scale max(sa, sb); 22012 on zero. */
export function modDecimal(a: Decimal, b: Decimal): Decimal {
  const x = normalized(a)
  const y = normalized(b)
  if (y.unscaled === 0n) throw divisionByZero()
  const s = Math.max(x.scale, y.scale)
  return { unscaled: (x.unscaled * pow10n(s - x.scale)) % (y.unscaled * pow10n(s - y.scale)), scale: s }
}

/** round(x, n): half away from zero to n places (n may be negative); result scale max(n, 0). */
export function roundDecimal(d: Decimal, n: number): Decimal {
  const x = normalized(d)
  n = clampRoundScale(x, n)
  if (n >= x.scale) return { unscaled: x.unscaled * pow10n(n - x.scale), scale: n }
  const r = rescale(x, n)
  return n >= 0 ? r : { unscaled: r.unscaled * pow10n(-n), scale: 0 }
}

/** trunc(x, n): toward zero to n places (n may be negative); result scale max(n, 0). */
export function truncDecimal(d: Decimal, n: number): Decimal {
  const x = normalized(d)
  n = clampRoundScale(x, n)
  if (n >= x.scale) return { unscaled: x.unscaled * pow10n(n - x.scale), scale: n }
  const q = x.unscaled / pow10n(x.scale - n)
  return n >= 0 ? { unscaled: q, scale: n } : { unscaled: q * pow10n(-n), scale: 0 }
}

/** Smallest integer ≥ x (scale 0). */
export function ceilDecimal(d: Decimal): Decimal {
  const x = normalized(d)
  const p = pow10n(x.scale)
  let q = x.unscaled / p
  if (x.unscaled % p !== 0n && x.unscaled > 0n) q++
  return { unscaled: q, scale: 0 }
}

/** Largest integer ≤ x (scale 0). */
export function floorDecimal(d: Decimal): Decimal {
  const x = normalized(d)
  const p = pow10n(x.scale)
  let q = x.unscaled / p
  if (x.unscaled % p !== 0n && x.unscaled < 0n) q--
  return { unscaled: q, scale: 0 }
}

/** |x| at x's scale. */
export const absDecimal = (d: Decimal): Decimal => (d.unscaled < 0n ? { unscaled: -d.unscaled, scale: d.scale } : d)

/** -1, 0 or 1 (scale 0), as numeric sign(). */
export const signDecimal = (d: Decimal): Decimal => ({ unscaled: d.unscaled < 0n ? -1n : d.unscaled > 0n ? 1n : 0n, scale: 0 })

/** -x. */
export const negateDecimal = (d: Decimal): Decimal => ({ unscaled: -d.unscaled, scale: d.scale })

/** Integer square root (floor) of a non-negative BigInt. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n
  // Newton's iteration from a power of two above the root decreases monotonically to floor(sqrt(n))
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2))
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

/** sqrt(x) rounded to `scale` (default: PostgreSQL's result scale for sqrt()); 2201F for negative input. */
export function sqrtDecimal(d: Decimal, scale?: number): Decimal {
  const x = normalized(d)
  if (x.unscaled < 0n) throw execError(SqlState.invalidArgumentForPower, 'cannot take square root of a negative number')
  const { weight } = nbaseWeight(x)
  const sweight = Math.trunc(((weight + 1) * 4) / 2) - 1
  const rscale = scale ?? clampScale(Math.max(MIN_SIG_DIGITS - sweight, x.scale))
  const n = x.unscaled * pow10n(2 * rscale - x.scale)
  let q = isqrt(n)
  if (n - q * q > q) q++
  return { unscaled: q, scale: rscale }
}

// Fixed-point helpers: a BigInt v stands for v / 10^p.

function fpExp(x: bigint, p: number): bigint {
  // divide by 2^k so |y| < 10^-sqrt(p), sum the Taylor series, square k times; squaring doubles
  // the relative error, so the work carries k·log10(2) extra digits
  const target = Math.max(2, Math.ceil(Math.sqrt(p)))
  const mag = Math.max(0, abs(x).toString().length - p)
  const k = Math.ceil((target + mag + 1) * 3.3219280948873623)
  const p2 = p + Math.ceil(k * 0.30103) + 8
  const one = pow10n(p2)
  const y = (x * pow10n(p2 - p)) >> BigInt(k)
  let sum = one
  let term = one
  for (let i = 1n; term !== 0n; i++) {
    term = (term * y) / (one * i)
    sum += term
  }
  for (let i = 0; i < k; i++) sum = (sum * sum) / one
  return sum / pow10n(p2 - p)
}

function fpLn(x: bigint, p: number): bigint {
  // x > 0 in fixed point at p digits: take square roots until x is near 1, then 2·atanh((x-1)/(x+1))
  const one = pow10n(p)
  const lo = (one * 9n) / 10n
  const hi = (one * 11n) / 10n
  let y = x
  let k = 0
  while (y < lo || y > hi) {
    y = isqrt(y * one)
    k++
  }
  const z = ((y - one) * one) / (y + one)
  const z2 = (z * z) / one
  let sum = 0n
  let power = z
  for (let i = 1n; power !== 0n; i += 2n) {
    sum += power / i
    power = (power * z2) / one
  }
  return 2n * sum * (1n << BigInt(k))
}

/** The decimal as a fixed-point BigInt with p fraction digits (truncated). */
function toFixedPoint(d: Decimal, p: number): bigint {
  const x = normalized(d)
  return p >= x.scale ? x.unscaled * pow10n(p - x.scale) : x.unscaled / pow10n(x.scale - p)
}

const GUARD = 24

/** PostgreSQL's estimate_ln_dweight: the decimal weight of ln(x). */
function estimateLnDweight(d: Decimal): number {
  const x = normalized(d)
  if (x.unscaled <= 0n) return 0
  const c = compareDecimal(x, { unscaled: 9n, scale: 1 }) >= 0 && compareDecimal(x, { unscaled: 11n, scale: 1 }) <= 0
  if (c) {
    const diff = subDecimal(x, { unscaled: 1n, scale: 0 })
    if (diff.unscaled === 0n) return 0
    // weight of the most significant decimal digit of x - 1
    const digits = abs(diff.unscaled).toString().length
    return digits - 1 - diff.scale
  }
  const digits = abs(x.unscaled).toString()
  // ln(x) ≈ ln(leading digits) + exponent × ln(10)
  const lead = digits.slice(0, 8)
  const exp10 = digits.length - lead.length - x.scale
  const lnVar = Math.log(Number(lead)) + exp10 * 2.302585092994046
  return Math.trunc(Math.log10(Math.abs(lnVar)))
}

/** ln(x) to `rscale` places. */
function lnAt(d: Decimal, rscale: number): Decimal {
  const p = rscale + GUARD + Math.max(0, -estimateLnDweight(d))
  return rescale({ unscaled: fpLn(toFixedPoint(d, p), p), scale: p }, rscale)
}

/** ln(x) with PostgreSQL's result scale; 2201E for x ≤ 0. */
export function lnDecimal(d: Decimal): Decimal {
  const x = normalized(d)
  if (x.unscaled === 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of zero')
  if (x.unscaled < 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - estimateLnDweight(x), x.scale))
  return lnAt(x, rscale)
}

/** log(base, x) with PostgreSQL's result scale (log(x) is log(10, x)). */
export function logDecimal(base: Decimal, d: Decimal): Decimal {
  const b = normalized(base)
  const x = normalized(d)
  for (const v of [b, x]) {
    if (v.unscaled === 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of zero')
    if (v.unscaled < 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  }
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - (estimateLnDweight(x) - estimateLnDweight(b)), b.scale, x.scale))
  const p = rscale + GUARD + Math.max(0, -estimateLnDweight(b)) + Math.max(0, -estimateLnDweight(x))
  const lb = fpLn(toFixedPoint(b, p), p)
  if (lb === 0n) throw divisionByZero()
  const lx = fpLn(toFixedPoint(x, p), p)
  return divDecimal({ unscaled: lx, scale: p }, { unscaled: lb, scale: p }, rscale)
}

const overflow = (): Error => execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')

/** exp(x) with PostgreSQL's result scale. */
export function expDecimal(d: Decimal): Decimal {
  const x = normalized(d)
  let val = decimalToNumber(x) * 0.434294481903252
  if (val > 131072) throw overflow()
  val = Math.max(Math.min(val, 2000), -2000)
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - Math.trunc(val), x.scale))
  if (val < -rscale - 1) return { unscaled: 0n, scale: rscale }
  return expAt(x, rscale)
}

/** exp(x) to `rscale` places. */
function expAt(x: Decimal, rscale: number): Decimal {
  const mag = Math.max(0, Math.ceil(decimalToNumber(x) * 0.434294481903252))
  const p = rscale + GUARD + mag
  return rescale({ unscaled: fpExp(toFixedPoint(x, p), p), scale: p }, rscale)
}

/** base ^ exp with PostgreSQL 15's result scales and errors. */
export function powerDecimal(base: Decimal, exponent: Decimal): Decimal {
  const b = normalized(base)
  const e = normalized(exponent)
  const eIsInt = e.unscaled % pow10n(e.scale) === 0n
  if (b.unscaled === 0n && e.unscaled < 0n) throw execError(SqlState.invalidArgumentForPower, 'zero raised to a negative power is undefined')
  if (b.unscaled < 0n && !eIsInt) throw execError(SqlState.invalidArgumentForPower, 'a negative number raised to a non-integer power yields a complex result')
  if (eIsInt) {
    const n = e.unscaled / pow10n(e.scale)
    if (n >= -2147483648n && n <= 2147483647n) {
      const rscale = clampScale(Math.max(MIN_SIG_DIGITS, b.scale))
      const k = Number(n)
      if (k === 0) return { unscaled: pow10n(rscale), scale: rscale }
      const approx = Math.abs(k) * Math.log10(Math.abs(decimalToNumber(b)) || 1)
      if (k > 0 && approx > 131072) throw overflow()
      if (k > 0) return rescale({ unscaled: b.unscaled ** BigInt(k), scale: b.scale * k }, rscale)
      if (approx > rscale + 2) return { unscaled: 0n, scale: rscale }
      const den = { unscaled: b.unscaled ** BigInt(-k), scale: b.scale * -k }
      return divDecimal({ unscaled: 1n, scale: 0 }, den, rscale)
    }
  }
  if (b.unscaled === 0n) return { unscaled: 0n, scale: MIN_SIG_DIGITS }
  // base^exp = exp(exp × ln(base))
  const lnApprox = Math.log(decimalToNumber(b)) * decimalToNumber(e)
  if (Math.abs(lnApprox) > 3 * 131072 * 1.01) {
    if (lnApprox > 0) throw overflow()
    return { unscaled: 0n, scale: MAX_DISPLAY_SCALE }
  }
  const val = lnApprox * 0.434294481903252
  const rscale = clampScale(Math.max(MIN_SIG_DIGITS - Math.trunc(val), b.scale, e.scale))
  const extra = Math.max(0, Math.ceil(Math.abs(val))) + 8
  const lnb = lnAt(b, rscale + extra + GUARD)
  const prod = mulDecimal(lnb, e)
  return expAt(rescale(prod, rscale + extra + GUARD), rscale)
}

/**
 * Limits round/trunc's digit argument as PostgreSQL does: past NUMERIC_MAX_RESULT_SCALE (2000) it
 * is clamped, and a negative one beyond the value's integer digits gives 0 either way.
 */
function clampRoundScale(x: Decimal, n: number): number {
  if (n > 2000) return 2000
  const intDigits = Math.max(1, (x.unscaled < 0n ? -x.unscaled : x.unscaled).toString().length - x.scale)
  return n < -intDigits - 1 ? -intDigits - 1 : n
}
