/**
 * Exact decimal helpers for the numeric math functions: reading numeric vectors in either layout,
 * building results, integer-style operations, and square root, ln, exp and power computed in
 * BigInt fixed point to the result scales PostgreSQL chooses (numeric.c's rscale rules).
 */
import { formatDecimal, parseDecimal, pow10n, rescale, type Decimal } from '../../common/decimal.js'
import { execError, SqlState } from '../../common/errors.js'
import { numericType, T, type SqlType } from '../../common/types.js'
import { allValid, clearBit, decodeUtf8, type Vector } from '../../common/vector.js'
import { Utf8Builder } from './build.js'

/** A numeric value: a decimal or one of PostgreSQL's special values. */
export type Num = Decimal | 'NaN' | 'Infinity' | '-Infinity'

/** Reads row i of a numeric (either layout) or integer vector; caller checks NULL. */
export function readNum(v: Vector, i: number): Num {
  const t = v.type
  if (v.offsets !== undefined) {
    const s = decodeUtf8(v.values as Uint8Array, v.offsets[i]!, v.offsets[i + 1]!)
    return parseNumText(s)
  }
  const x = v.values[i]!
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  const scale = t.id === 'numeric' ? t.scale ?? 0 : 0
  return { unscaled: BigInt(x), scale }
}

/** Parses numeric text including NaN and the infinities. */
export function parseNumText(s: string): Num {
  const l = s.trim().toLowerCase()
  if (l === 'nan') return 'NaN'
  if (l === 'infinity' || l === '+infinity' || l === 'inf' || l === '+inf') return 'Infinity'
  if (l === '-infinity' || l === '-inf') return '-Infinity'
  return parseDecimal(s)
}

/** Text of a numeric value. */
export const numText = (x: Num): string => (typeof x === 'string' ? x : formatDecimal(x))

/** The static scale of a numeric result type, or null when it is held as text. */
export const staticScale = (t: SqlType): number | null => (t.id === 'numeric' ? t.scale : null)

/** A numeric type with a static scale and no precision (typmod -1, fast layout). */
export const numericScale = (s: number): SqlType => numericType(null, s)

/**
 * Builds a numeric result vector of type `ret`: the scaled-double layout when ret has a static
 * scale and every value fits exactly, else decimal text typed plain `numeric`.
 */
export function buildNumeric(ret: SqlType, rows: readonly (Num | null)[]): Vector {
  const n = rows.length
  const scale = staticScale(ret)
  if (scale !== null) {
    const out = new Float64Array(n)
    let validity: Uint8Array | null = null
    let ok = true
    for (let i = 0; i < n && ok; i++) {
      const r = rows[i]
      if (r === null || r === undefined) {
        validity ??= allValid(n)
        clearBit(validity, i)
      } else if (typeof r === 'string') out[i] = r === 'NaN' ? NaN : r === 'Infinity' ? Infinity : -Infinity
      else {
        const u = Number(rescale(r, scale).unscaled)
        if (!Number.isSafeInteger(u)) ok = false
        else out[i] = u
      }
    }
    if (ok) return { type: ret, length: n, values: out, validity }
  }
  const b = new Utf8Builder(n)
  for (const r of rows) {
    if (r === null || r === undefined) b.nullRow()
    else b.stringRow(numText(r))
  }
  return b.finish(T.numeric)
}

/** Maps rows of numeric/integer arguments (NULL in → NULL out) to numeric results. */
export function mapNumeric(args: readonly Vector[], n: number, ret: SqlType, fn: (vals: Num[], i: number) => Num | null): Vector {
  const rows = new Array<Num | null>(n)
  const vals = new Array<Num>(args.length)
  outer: for (let i = 0; i < n; i++) {
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!
      if (a.validity !== null && ((a.validity[i >> 3]! >> (i & 7)) & 1) === 0) {
        rows[i] = null
        continue outer
      }
      vals[k] = readNum(a, i)
    }
    rows[i] = fn(vals, i)
  }
  return buildNumeric(ret, rows)
}

// ---------------------------------------------------------------- basic exact operations

const absB = (x: bigint): bigint => (x < 0n ? -x : x)

/** Aligns two decimals to a common scale. */
export function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const s = Math.max(a.scale, b.scale)
  return [a.unscaled * pow10n(s - a.scale), b.unscaled * pow10n(s - b.scale), s]
}

/** Compares two decimals. */
export function cmp(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b)
  return x < y ? -1 : x > y ? 1 : 0
}

/** round(x, n) and trunc(x, n) on exact decimals (n may be negative). */
export { roundDecimal as roundTo, truncDecimal as truncTo } from '../../common/decimal.js'

/** floor / ceil to an integer (scale 0). */
export function floorCeil(d: Decimal, ceil: boolean): Decimal {
  if (d.scale <= 0) return rescale(d, 0)
  const div = pow10n(d.scale)
  let q = d.unscaled / div
  const r = d.unscaled % div
  if (r !== 0n) {
    if (ceil && d.unscaled > 0n) q += 1n
    if (!ceil && d.unscaled < 0n) q -= 1n
  }
  return { unscaled: q, scale: 0 }
}

/** Truncating remainder (sign of the dividend); 22012 on zero. */
export function modDec(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b)
  if (y === 0n) throw execError(SqlState.divisionByZero, 'division by zero')
  return { unscaled: x % y, scale: s }
}

/** Truncated integer quotient (scale 0); 22012 on zero. */
export function divDec(a: Decimal, b: Decimal): Decimal {
  const [x, y] = align(a, b)
  if (y === 0n) throw execError(SqlState.divisionByZero, 'division by zero')
  return { unscaled: x / y, scale: 0 }
}

const gcdB = (x: bigint, y: bigint): bigint => {
  x = absB(x)
  y = absB(y)
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** gcd of decimals at the larger scale. */
export function gcdDec(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b)
  return { unscaled: gcdB(x, y), scale: s }
}

/** lcm of decimals at the larger scale. */
export function lcmDec(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(a, b)
  if (x === 0n || y === 0n) return { unscaled: 0n, scale: s }
  return { unscaled: absB((x / gcdB(x, y)) * y), scale: s }
}

/** Number of significant fractional digits (min_scale). */
export function minScale(d: Decimal): number {
  let { unscaled: u, scale: s } = d
  while (s > 0 && u % 10n === 0n) {
    u /= 10n
    s--
  }
  return Math.max(s, 0)
}

/** Rounds the exact quotient num/den (den > 0 or < 0) half away from zero. */
function roundDiv(num: bigint, den: bigint): bigint {
  if (den < 0n) {
    num = -num
    den = -den
  }
  const q = num / den
  const r = num % den
  if (absB(r) * 2n >= den) return q + (num < 0n ? -1n : 1n)
  return q
}

// ---------------------------------------------------------------- weights and rscale rules

const NUMERIC_MIN_SIG_DIGITS = 16
const NUMERIC_MAX_DISPLAY_SCALE = 1000

const clampScale = (r: number): number => Math.min(Math.max(r, 0), NUMERIC_MAX_DISPLAY_SCALE)

/** Base-10000 digits of |d| and the weight of the first (PostgreSQL's NumericVar form). */
function nbaseDigits(d: Decimal): { digits: number[]; weight: number } {
  const u = absB(d.unscaled)
  if (u === 0n) return { digits: [], weight: 0 }
  let intDigits = u.toString()
  let scale = d.scale
  if (scale < 0) {
    intDigits += '0'.repeat(-scale)
    scale = 0
  }
  // pad so the decimal point falls on a group boundary
  const fracPad = (4 - (scale % 4)) % 4
  let s = intDigits + '0'.repeat(fracPad)
  const fracGroups = (scale + fracPad) / 4
  const lead = (4 - (s.length % 4)) % 4
  s = '0'.repeat(lead) + s
  const groups: number[] = []
  for (let k = 0; k < s.length; k += 4) groups.push(Number(s.slice(k, k + 4)))
  let weight = groups.length - fracGroups - 1
  while (groups.length > 0 && groups[0] === 0) {
    groups.shift()
    weight--
  }
  while (groups.length > 0 && groups[groups.length - 1] === 0) groups.pop()
  return { digits: groups, weight }
}

/** numeric.c's estimate_ln_dweight. */
function estimateLnDweight(d: Decimal): number {
  if (d.unscaled <= 0n) return 0
  const c09 = cmp(d, { unscaled: 9n, scale: 1 })
  const c11 = cmp(d, { unscaled: 11n, scale: 1 })
  if (c09 >= 0 && c11 <= 0) {
    const [x, , s] = align(d, { unscaled: 1n, scale: 0 })
    const diff = { unscaled: x - pow10n(s), scale: s }
    const nb = nbaseDigits(diff)
    if (nb.digits.length === 0) return 0
    return nb.weight * 4 + Math.trunc(Math.log10(nb.digits[0]!))
  }
  const nb = nbaseDigits(d)
  if (nb.digits.length === 0) return 0
  let digits = nb.digits[0]!
  let dweight = nb.weight * 4
  if (nb.digits.length > 1) {
    digits = digits * 10000 + nb.digits[1]!
    dweight -= 4
  }
  const lnVar = Math.log(digits) + dweight * 2.302585092994046
  return Math.trunc(Math.log10(Math.abs(lnVar)))
}

// ---------------------------------------------------------------- fixed point (value = X / 10^W)

function isqrt(n: bigint): bigint {
  if (n < 2n) return n
  // Newton's iteration from above converges monotonically to floor(sqrt(n))
  const est = Math.sqrt(Number(n))
  let x = Number.isFinite(est) && est < 2 ** 52 ? BigInt(Math.ceil(est)) + 1n : 1n << BigInt(Math.ceil(n.toString(2).length / 2))
  if (Number.isFinite(est) && est >= 2 ** 52) {
    // a close start from the double estimate, nudged above the root
    const close = BigInt(Math.ceil(est * (1 + 2 ** -40)))
    if (close * close >= n) x = close
  }
  for (;;) {
    const y = (x + n / x) >> 1n
    if (y >= x) return x
    x = y
  }
}

const toFixed = (d: Decimal, w: number): bigint =>
  w >= d.scale ? d.unscaled * pow10n(w - d.scale) : d.unscaled / pow10n(d.scale - w)

/** ln(1 + small) via 2·atanh((y-1)/(y+1)), y = Y/10^W near 1. */
function lnNear1(Y: bigint, W: number): bigint {
  const one = pow10n(W)
  const z = ((Y - one) * one) / (Y + one)
  const z2 = (z * z) / one
  let term = z
  let sum = 0n
  for (let k = 1n; term !== 0n; k += 2n) {
    sum += term / k
    term = (term * z2) / one
  }
  return 2n * sum
}

/** ln(Y / 10^W) for Y > 0, in fixed point at W digits (W includes guard digits). */
function lnFixed(Y: bigint, W: number): bigint {
  // Y / 10^W = m · 10^k with m in [1, 10)
  const k = Y.toString().length - 1 - W
  const M = k >= 0 ? Y / pow10n(k) : Y * pow10n(-k)
  const r = lnByRoots(M, W)
  return k === 0 ? r : r + BigInt(k) * ln10(W)
}

function lnByRoots(M: bigint, W: number): bigint {
  const one = pow10n(W)
  let j = 0
  let y = M
  const near = one / 1000n
  while ((y > one ? y - one : one - y) > near) {
    y = isqrt(y * one)
    j++
  }
  return lnNear1(y, W) << BigInt(j)
}

const ln10Cache = new Map<number, bigint>()
function ln10(W: number): bigint {
  let v = ln10Cache.get(W)
  if (v === undefined) {
    const G = W + 10
    v = lnByRoots(10n * pow10n(G), G) / pow10n(10)
    ln10Cache.set(W, v)
  }
  return v
}

/** exp(X / 10^W) in fixed point at W digits. */
function expFixed(X: bigint, W: number): bigint {
  const one = pow10n(W)
  let j = 0
  let y = X
  const small = one / 1000n
  while ((y < 0n ? -y : y) > small) {
    y /= 2n
    j++
  }
  // Taylor series
  let term = one
  let sum = one
  for (let k = 1n; term !== 0n; k++) {
    term = (term * y) / (one * k)
    sum += term
  }
  for (let k = 0; k < j; k++) sum = (sum * sum) / one
  return sum
}

const GUARD = 12

/** Rounds a fixed-point value X / 10^W to `scale` digits (half away from zero). */
const fixedToDecimal = (X: bigint, W: number, scale: number): Decimal => ({
  unscaled: roundDiv(X, pow10n(W - scale)),
  scale,
})

/** sqrt(numeric) at PostgreSQL's result scale; 2201F for negatives. */
export function sqrtDec(d: Decimal): Decimal {
  if (d.unscaled < 0n) throw execError(SqlState.invalidArgumentForPower, 'cannot take square root of a negative number')
  const nb = nbaseDigits(d)
  const sweight = Math.trunc(((nb.weight + 1) * 4) / 2) - 1
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS - sweight, d.scale))
  if (d.unscaled === 0n) return { unscaled: 0n, scale: rscale }
  // floor(sqrt(v) · 10^(rscale+1)) then round on the extra digit
  const e = 2 * (rscale + 1) - d.scale
  const n = e >= 0 ? d.unscaled * pow10n(e) : d.unscaled / pow10n(-e)
  const r = isqrt(n)
  return { unscaled: (r + 5n) / 10n, scale: rscale }
}

/** ln(numeric) at PostgreSQL's result scale; 2201E for zero and negatives. */
export function lnDec(d: Decimal): Decimal {
  if (d.unscaled === 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of zero')
  if (d.unscaled < 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS - estimateLnDweight(d), d.scale))
  const W = rscale + GUARD
  return fixedToDecimal(lnFixed(toFixed(d, W + 20), W + 20), W + 20, rscale)
}

/** log(base, x) at PostgreSQL's result scale. */
export function logDec(base: Decimal, x: Decimal): Decimal {
  for (const v of [base, x]) {
    if (v.unscaled === 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of zero')
    if (v.unscaled < 0n) throw execError(SqlState.invalidArgumentForLog, 'cannot take logarithm of a negative number')
  }
  const dw = estimateLnDweight(x) - estimateLnDweight(base)
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS - dw, base.scale, x.scale))
  const W = rscale + GUARD + 20
  const lb = lnFixed(toFixed(base, W), W)
  if (lb === 0n) throw execError(SqlState.divisionByZero, 'division by zero')
  const lx = lnFixed(toFixed(x, W), W)
  return { unscaled: roundDiv(lx * pow10n(rscale), lb), scale: rscale }
}

/** exp(numeric) at PostgreSQL's result scale; 22003 on overflow. */
export function expDec(d: Decimal): Decimal {
  const val = Number(formatDecimal(d))
  let w = val * 0.434294481903252
  w = Math.max(Math.min(w, 2000), -2000)
  if (w > 131072) throw execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS - Math.trunc(w), d.scale))
  if (val * 0.434294481903252 < -rscale - 1) return { unscaled: 0n, scale: rscale }
  const W = rscale + GUARD + Math.max(0, Math.ceil(w)) + 10
  return fixedToDecimal(expFixed(toFixed(d, W), W), W, rscale)
}

/** power(numeric, numeric) at PostgreSQL's result scale, with its errors. */
export function powerDec(base: Decimal, exp: Decimal): Decimal {
  const baseZero = base.unscaled === 0n
  const expInt = exp.scale <= 0 || exp.unscaled % pow10n(exp.scale) === 0n
  if (baseZero && exp.unscaled < 0n) {
    throw execError(SqlState.invalidArgumentForPower, 'zero raised to a negative power is undefined')
  }
  if (base.unscaled < 0n && !expInt) {
    throw execError(SqlState.invalidArgumentForPower, 'a negative number raised to a non-integer power yields a complex result')
  }
  if (expInt) {
    const e = exp.scale <= 0 ? exp.unscaled * pow10n(-exp.scale) : exp.unscaled / pow10n(exp.scale)
    if (e >= -2147483648n && e <= 2147483647n) return powerInt(base, Number(e))
  }
  if (baseZero) return { unscaled: 0n, scale: clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS, exp.scale)) }
  // exp(ln(base) · exp)
  const lnW = 8 - estimateLnDweight(base) + 30 + Math.max(base.scale, exp.scale)
  const lnb = lnFixed(toFixed(base, lnW), lnW)
  const prod = (lnb * exp.unscaled) / pow10n(exp.scale) // ln(result) at lnW
  const val = Number(prod) / 10 ** lnW
  if (Math.abs(val) > 1000 * 3.01) {
    if (val > 0) throw execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')
    return { unscaled: 0n, scale: NUMERIC_MAX_DISPLAY_SCALE }
  }
  const w = val * 0.434294481903252
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS - Math.trunc(w), base.scale, exp.scale))
  const W = rscale + GUARD + Math.max(0, Math.ceil(w)) + 10
  const lnW2 = W + 10
  const lnb2 = lnFixed(toFixed(base, lnW2), lnW2)
  const prod2 = (lnb2 * exp.unscaled) / pow10n(exp.scale)
  return fixedToDecimal(expFixed(prod2 / pow10n(10), W), W, rscale)
}

function powerInt(base: Decimal, e: number): Decimal {
  // PostgreSQL 15 (power_var): integer exponents give max(16, base scale) digits
  const rscale = clampScale(Math.max(NUMERIC_MIN_SIG_DIGITS, base.scale))
  let f = 0
  if (base.unscaled !== 0n) {
    const nb = nbaseDigits(base)
    let ff = nb.digits[0]!
    let p = nb.weight * 4
    for (let i = 1; i < nb.digits.length && i * 4 < 16; i++) {
      ff = ff * 10000 + nb.digits[i]!
      p -= 4
    }
    f = e * (Math.log10(ff) + p)
  }
  if (f > 3 * 32767 * 4) throw execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')
  if (f + 1 < -rscale) return { unscaled: 0n, scale: rscale }
  if (e === 0) return { unscaled: pow10n(rscale), scale: rscale }
  const n = Math.abs(e)
  const bits = base.unscaled.toString().length * n
  if (bits > 200000) {
    // too large to expand exactly: go through ln/exp
    const W = rscale + GUARD + Math.max(0, Math.ceil(f)) + 10
    const lnb = lnFixed(toFixed({ unscaled: absB(base.unscaled), scale: base.scale }, W + 10), W + 10)
    const r = fixedToDecimal(expFixed((lnb * BigInt(e)) / pow10n(10), W), W, rscale)
    return base.unscaled < 0n && n % 2 === 1 ? { unscaled: -r.unscaled, scale: r.scale } : r
  }
  const num = base.unscaled ** BigInt(n)
  const sc = base.scale * n // value = num / 10^sc
  if (e > 0) {
    if (sc <= rscale) return { unscaled: num * pow10n(rscale - sc), scale: rscale }
    return { unscaled: roundDiv(num, pow10n(sc - rscale)), scale: rscale }
  }
  // 1 / (num / 10^sc) = 10^sc / num
  const top = sc + rscale
  return { unscaled: roundDiv(pow10n(Math.max(top, 0)), num * (top < 0 ? pow10n(-top) : 1n)), scale: rscale }
}

/** factorial(int8) as an exact numeric. */
export function factorialDec(k: number): Decimal {
  if (k < 0) throw execError(SqlState.numericValueOutOfRange, 'factorial of a negative number is undefined')
  if (k > 32177) throw execError(SqlState.numericValueOutOfRange, 'value overflows numeric format')
  let r = 1n
  for (let i = 2n; i <= BigInt(k); i++) r *= i
  return { unscaled: r, scale: 0 }
}
