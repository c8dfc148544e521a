/**
 * PostgreSQL's text output for every SqlType (what `typoutput` functions print), over vectors.
 */
import { formatScaled } from '../common/decimal.js'
import { InternalError } from '../common/errors.js'
import type { SqlType } from '../common/types.js'
import { decodeUtf8, isNull, type Vector } from '../common/vector.js'
import { formatDate, formatInterval, formatTime, formatTimestamp, formatTimestamptz } from './datetime.js'

/** Session settings that change text output. */
export interface FormatContext {
  /** Session TimeZone for timestamptz output ('UTC' when absent). */
  readonly timezone?: string
  /** Names regclass/regtype/regproc values as PostgreSQL prints them (without it they print as their OIDs). */
  readonly regName?: (type: 'regclass' | 'regtype' | 'regproc', oid: number) => string
}

const f64 = new Float64Array(1)
const u64 = new BigUint64Array(f64.buffer)
const f32 = new Float32Array(1)
const u32 = new Uint32Array(f32.buffer)

/** True when the decimal digits × 10^(exp - digits.length + 1) lie exactly halfway between x and a neighbouring double. */
function isDoubleMidpoint(x: number, digits: string, exp: number): boolean {
  f64[0] = Math.abs(x)
  const bits = u64[0]!
  const biased = Number(bits >> 52n)
  const frac = bits & ((1n << 52n) - 1n)
  const m = biased === 0 ? frac : frac | (1n << 52n)
  const e = (biased === 0 ? 1 : biased) - 1075
  const k = exp - digits.length + 1
  const d = BigInt(digits)
  // compare d × 10^k with (2m ± 1) × 2^(e - 1), both scaled to integers
  const a = Math.max(0, 1 - e + 2)
  const lhs = d * 10n ** BigInt(Math.max(k, 0)) * 2n ** BigInt(a)
  const tenNeg = 10n ** BigInt(Math.max(-k, 0))
  const up = (2n * m + 1n) * 2n ** BigInt(e - 1 + a) * tenNeg
  const down = (2n * m - 1n) * 2n ** BigInt(e - 1 + a) * tenNeg
  const downPow2 = frac === 0n && biased > 1 ? (4n * m - 1n) * 2n ** BigInt(e - 2 + a) * tenNeg : -1n
  return lhs === up || lhs === down || lhs === downPow2
}

/** True when Number(s) is exactly halfway between float32 x and a neighbouring float32. */
function isFloatMidpoint(x: number, s: string): boolean {
  const dbl = Math.abs(Number(s))
  const ax = Math.abs(x)
  if (dbl === ax) return false
  f32[0] = ax
  u32[0] = dbl > ax ? u32[0]! + 1 : u32[0]! - 1
  return dbl === (ax + f32[0]!) / 2
}

/** x rounded to p significant digits in exponential form, ties to an even last digit. */
function evenTie(x: number, p: number): string {
  const s = x.toExponential(p - 1)
  const exact = x.toExponential(Math.min(100, p + 60))
  const e = exact.indexOf('e')
  const mant = exact.slice(0, e).replace('-', '').replace('.', '')
  if (mant[p] !== '5' || !/^0*$/.test(mant.slice(p + 1))) return s
  const lastUp = s.slice(0, s.indexOf('e')).slice(-1)
  if (Number(lastUp) % 2 === 0) return s
  // the tie rounded away from zero to an odd digit: take the truncated (even) candidate
  const truncDigits = mant.slice(0, p)
  const sign = x < 0 ? '-' : ''
  const mantissa = truncDigits.length > 1 ? truncDigits[0] + '.' + truncDigits.slice(1) : truncDigits
  return sign + mantissa + exact.slice(e)
}

function splitExponential(s: string): { digits: string; exp: number } {
  const e = s.indexOf('e')
  let mant = s.slice(0, e)
  if (mant.charCodeAt(0) === 45) mant = mant.slice(1)
  let digits = mant.replace('.', '')
  let end = digits.length
  while (end > 1 && digits.charCodeAt(end - 1) === 48) end--
  digits = digits.slice(0, end)
  return { digits, exp: Number(s.slice(e + 1)) }
}

/**
 * Shortest decimal digits that read back as x, never a value exactly halfway to a neighbour (as
 * PostgreSQL's Ryu, which does not accept interval bounds): value = d.ddd × 10^exp.
 */
function shortestDigits(x: number, float4: boolean): { digits: string; exp: number } {
  if (float4) {
    let s = ''
    for (let p = 1; p <= 9; p++) {
      s = evenTie(x, p)
      if (Math.fround(Number(s)) === x && !isFloatMidpoint(x, s)) break
    }
    return splitExponential(s)
  }
  const r = splitExponential(x.toExponential())
  if (Math.abs(x) < 4e15 || !isDoubleMidpoint(x, r.digits, r.exp)) return r
  for (let p = r.digits.length + 1; p <= 17; p++) {
    const c = splitExponential(x.toExponential(p - 1))
    if (Number(x.toExponential(p - 1)) === x && !isDoubleMidpoint(x, c.digits, c.exp)) return c
  }
  return splitExponential(x.toExponential(16))
}

/**
 * float4/float8 text as PostgreSQL 15 prints it with extra_float_digits = 1 (shortest round-trip):
 * fixed notation for decimal exponents in [-4, 15) (float4: [-4, 6)), else `1e+20` / `1.5e-07`.
 */
export function formatFloat(x: number, float4 = false): string {
  if (Number.isNaN(x)) return 'NaN'
  if (x === Infinity) return 'Infinity'
  if (x === -Infinity) return '-Infinity'
  if (x === 0) return Object.is(x, -0) ? '-0' : '0'
  const { digits, exp } = shortestDigits(x, float4)
  const sign = x < 0 ? '-' : ''
  const maxFixed = float4 ? 6 : 15
  if (exp >= -4 && exp < maxFixed) {
    if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits
    if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length)
    return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1)
  }
  const mant = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits
  const a = Math.abs(exp)
  return sign + mant + 'e' + (exp < 0 ? '-' : '+') + (a < 10 ? '0' + a : String(a))
}

const hex = '0123456789abcdef'

/** bytea's hex output (`\x0a1b`) of raw bytes. */
export function formatBytea(bytes: Uint8Array, a: number, b: number): string {
  let out = '\\x'
  for (let k = a; k < b; k++) {
    const c = bytes[k]!
    out += hex[c >> 4]! + hex[c & 15]!
  }
  return out
}

/** Pads a bpchar value with spaces to its declared length (in characters). */
export function padBpchar(s: string, length: number | null): string {
  if (length === null) return s
  let n = 0
  for (const _ of s) n++
  return n >= length ? s : s + ' '.repeat(length - n)
}

/** True when an array element must be double-quoted in array output. */
function needsQuotes(s: string): boolean {
  if (s.length === 0) return true
  if (s.length === 4 && s.toUpperCase() === 'NULL') return true
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    // { } , " \ and isspace()
    if (c === 123 || c === 125 || c === 44 || c === 34 || c === 92 || c === 32 || (c >= 9 && c <= 13)) return true
  }
  return false
}

/** Quotes an array element as array_out does. */
export function quoteArrayElement(s: string): string {
  if (!needsQuotes(s)) return s
  return '"' + s.replace(/["\\]/g, '\\$&') + '"'
}

function formatArray(v: Vector, i: number, ctx: FormatContext | undefined): string {
  const child = v.child!
  const a = v.offsets![i]!
  const b = v.offsets![i + 1]!
  const nested = child.type.id === 'array'
  const parts: string[] = []
  for (let k = a; k < b; k++) {
    const s = formatValue(child, k, ctx)
    if (s === null) parts.push('NULL')
    else parts.push(nested ? s : quoteArrayElement(s))
  }
  return '{' + parts.join(',') + '}'
}

/** PostgreSQL's text output of row i of a vector; null for NULL. */
export function formatValue(v: Vector, i: number, ctx?: FormatContext): string | null {
  if (isNull(v, i)) return null
  const t: SqlType = v.type
  switch (t.id) {
    case 'null':
      return null
    case 'bool':
      return v.values[i] !== 0 ? 't' : 'f'
    case 'regclass':
    case 'regtype':
    case 'regproc':
      if (ctx?.regName) return ctx.regName(t.id, v.values[i]!)
      return v.values[i]!.toFixed(0)
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid': {
      const x = v.values[i]! as number | bigint
      return typeof x === 'bigint' ? String(x) : x === 0 ? '0' : x.toFixed(0)
    }
    case 'float4':
      return formatFloat(v.values[i]!, true)
    case 'float8':
      return formatFloat(v.values[i]!, false)
    case 'numeric':
      if (t.scale === null) return decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
      return formatScaledNumeric(v.values[i]!, t.scale)
    case 'bpchar':
      return padBpchar(decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!), t.length)
    case 'text':
    case 'varchar':
    case 'name':
    case 'char':
    case 'json':
    case 'uuid':
      return decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
    case 'bytea':
      return formatBytea(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
    case 'date':
      return formatDate(v.values[i]!)
    case 'time':
      return formatTime(v.values[i]!)
    case 'timestamp':
      return formatTimestamp(v.values[i]!)
    case 'timestamptz':
      return formatTimestamptz(v.values[i]!, ctx?.timezone ?? 'UTC')
    case 'interval':
      return formatInterval(v.values[3 * i]!, v.values[3 * i + 1]!, v.values[3 * i + 2]!)
    case 'array':
      return formatArray(v, i, ctx)

    default:
      throw new InternalError(`no text output for type ${(t as SqlType).id}`)
  }
}

/** Text of a static-scale numeric's unscaled value (NaN and infinities included). */
export function formatScaledNumeric(unscaled: number, scale: number): string {
  if (Number.isNaN(unscaled)) return 'NaN'
  if (unscaled === Infinity) return 'Infinity'
  if (unscaled === -Infinity) return '-Infinity'
  if (scale < 0) return unscaled === 0 ? '0' : (BigInt(unscaled) * 10n ** BigInt(-scale)).toString()
  const s = formatScaled(unscaled, scale)
  return s.charCodeAt(0) === 45 && /^-[0.]*$/.test(s) ? s.slice(1) : s
}

/** PostgreSQL's text output of every row of a vector. */
export function formatVector(v: Vector, ctx?: FormatContext): (string | null)[] {
  const n = v.length
  const out = new Array<string | null>(n)
  const t = v.type
  if (v.validity === null && t.id === 'float8') {
    const vals = v.values
    for (let i = 0; i < n; i++) out[i] = formatFloat(vals[i]!, false)
    return out
  }
  for (let i = 0; i < n; i++) out[i] = formatValue(v, i, ctx)
  return out
}
