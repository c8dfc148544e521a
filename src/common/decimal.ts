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
  while (pow10Big.length <= n) pow10Big.push(pow10Big[pow10Big.length - 1]! * 10n)
  return pow10Big[n]!
}
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
