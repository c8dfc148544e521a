/**
 * PostgreSQL's text input functions (`typinput`) for every SqlType: the value a string literal,
 * a text cast, a COPY field or a text-format parameter denotes, with PostgreSQL's checks and errors.
 */
import { checkPrecision, formatDecimal, parseDecimal, rescale, type Decimal } from '../common/decimal.js'
import { execError, InternalError, NotImplementedError, SqlState } from '../common/errors.js'
import { int8Value, type Int8Value } from '../common/int8.js'
import { typeName, type SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import { parseDate, parseInterval, parseTime, parseTimestamp, parseTimestamptz, type DateTimeParseContext } from './datetime-parse.js'

/** Session settings that change text input (TimeZone; the statement time for 'now'). */
export type ParseContext = DateTimeParseContext

const invalid = (type: string, text: string): Error => execError(SqlState.invalidTextRepresentation, `invalid input syntax for type ${type}: "${text}"`)

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13)

function trimSpaces(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && isSpace(s.charCodeAt(a))) a++
  while (b > a && isSpace(s.charCodeAt(b - 1))) b--
  return a === 0 && b === s.length ? s : s.slice(a, b)
}

/** boolean input: t/true/yes/on/1 and f/false/no/off/0, any case, unique prefixes, surrounding spaces. */
export function parseBool(text: string): boolean {
  const s = trimSpaces(text).toLowerCase()
  const n = s.length
  if (n > 0) {
    switch (s[0]) {
      case 't':
        if ('true'.startsWith(s)) return true
        break
      case 'f':
        if ('false'.startsWith(s)) return false
        break
      case 'y':
        if ('yes'.startsWith(s)) return true
        break
      case 'n':
        if ('no'.startsWith(s)) return false
        break
      case 'o':
        if (n >= 2 && 'on'.startsWith(s)) return true
        if (n >= 2 && 'off'.startsWith(s)) return false
        break
      case '1':
        if (n === 1) return true
        break
      case '0':
        if (n === 1) return false
        break
      default:
        break
    }
  }
  throw invalid('boolean', text)
}

const intLimits = {
  int2: { min: -32768, max: 32767, name: 'smallint' },
  int4: { min: -2147483648, max: 2147483647, name: 'integer' },
  int8: { min: -9223372036854775808, max: 9223372036854775807, name: 'bigint' },
} as const

const intRe = /^\s*([+-]?)(\d+)\s*$/

/** int2/int4/int8 input with PostgreSQL's syntax and range errors (an int8 beyond ±2^53 is a bigint, see int8.ts). */
export function parseInteger(text: string, id: 'int2' | 'int4'): number
export function parseInteger(text: string, id: 'int8'): Int8Value
export function parseInteger(text: string, id: 'int2' | 'int4' | 'int8'): Int8Value
export function parseInteger(text: string, id: 'int2' | 'int4' | 'int8'): Int8Value {
  const lim = intLimits[id]
  const m = intRe.exec(text)
  if (m === null) throw invalid(lim.name, text)
  const digits = m[2]!
  const neg = m[1] === '-'
  if (digits.length <= 15) {
    const v = neg ? -Number(digits) : Number(digits)
    if (v < lim.min || v > lim.max) throw execError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type ${lim.name}`)
    return v + 0
  }
  const big = BigInt(digits) * (neg ? -1n : 1n)
  if (big < -9223372036854775808n || big > 9223372036854775807n || id !== 'int8') {
    throw execError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type ${lim.name}`)
  }
  return int8Value(big)
}

const floatRe = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** float8 (or float4 with `float4`) input: decimal/exponent syntax, NaN, [+-]Infinity, [+-]inf. */
export function parseFloat(text: string, float4 = false): number {
  const name = float4 ? 'real' : 'double precision'
  const s = trimSpaces(text)
  const lower = s.toLowerCase()
  switch (lower) {
    case 'nan':
      return NaN
    case 'infinity':
    case '+infinity':
    case 'inf':
    case '+inf':
      return Infinity
    case '-infinity':
    case '-inf':
      return -Infinity
    default:
      break
  }
  if (!floatRe.test(s)) throw invalid(name, text)
  let v = Number(s)
  if (float4) v = Math.fround(v)
  if (!Number.isFinite(v) || (v === 0 && /[1-9]/.test(s.replace(/e.*$/i, '')))) {
    throw execError(SqlState.numericValueOutOfRange, `"${text}" is out of range for type ${name}`)
  }
  return v
}

/** Numeric special values as text: 'NaN', 'Infinity', '-Infinity', or null for ordinary numbers. */
export function numericSpecial(text: string): 'NaN' | 'Infinity' | '-Infinity' | null {
  const s = trimSpaces(text).toLowerCase()
  if (s === 'nan') return 'NaN'
  if (s === 'infinity' || s === '+infinity' || s === 'inf' || s === '+inf') return 'Infinity'
  if (s === '-infinity' || s === '-inf') return '-Infinity'
  return null
}

/** Applies numeric(precision, scale) to a decimal: rounds half away from zero and checks the precision (22003). */
export function applyNumericTypmod(d: Decimal, precision: number | null, scale: number | null): Decimal {
  if (scale === null) return d
  const r = rescale(d, scale)
  if (precision !== null) checkPrecision(r, precision, scale)
  return r
}

/** Throws PostgreSQL's error for an infinite value in numeric(p, s). */
export function infiniteNumericError(precision: number, scale: number): Error {
  return execError(
    SqlState.numericValueOutOfRange,
    'numeric field overflow',
    `A field with precision ${precision}, scale ${scale} cannot hold an infinite value.`,
  )
}

/** numeric input: the value's text at its scale (the input's own scale when the type has none). */
export function parseNumeric(text: string, precision: number | null = null, scale: number | null = null): string {
  const special = numericSpecial(text)
  if (special !== null) {
    if (special !== 'NaN' && precision !== null && scale !== null) throw infiniteNumericError(precision, scale)
    return special
  }
  const d = parseDecimal(text)
  if (d.scale > 16383) return formatDecimal(applyNumericTypmod(rescale(d, 16383), precision, scale))
  return formatDecimal(applyNumericTypmod(d, precision, scale))
}

function charLength(s: string): number {
  let n = 0
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c < 0xd800 || c > 0xdbff) n++
  }
  return n
}

/** Cuts a string to its first n characters (code points). */
export function truncateChars(s: string, n: number): string {
  let count = 0
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k)
    if (c >= 0xdc00 && c <= 0xdfff) continue
    if (count === n) return s.slice(0, k)
    count++
  }
  return s
}

/**
 * varchar(n)/char(n) input: longer values are an error (22001) unless the excess is spaces, which
 * are cut; char(n) values come back padded to n.
 */
export function checkCharLength(s: string, id: 'varchar' | 'bpchar', length: number | null): string {
  if (length === null) return s
  const len = charLength(s)
  if (len > length) {
    const cut = truncateChars(s, length)
    if (!/^ *$/.test(s.slice(cut.length))) {
      throw execError(SqlState.stringDataRightTruncation, `value too long for type ${id === 'varchar' ? 'character varying' : 'character'}(${length})`)
    }
    return cut
  }
  if (id === 'bpchar' && len < length) return s + ' '.repeat(length - len)
  return s
}

function truncateName(s: string): string {
  const bytes = Buffer.byteLength(s)
  if (bytes <= 63) return s
  let out = ''
  let used = 0
  for (const ch of s) {
    const b = Buffer.byteLength(ch)
    if (used + b > 63) break
    out += ch
    used += b
  }
  return out
}

function parseOid(text: string): number {
  const m = intRe.exec(text)
  if (m === null) throw invalid('oid', text)
  let v = Number(m[2]!) * (m[1] === '-' ? -1 : 1)
  if (v > 4294967295 || v < -2147483648) throw execError(SqlState.numericValueOutOfRange, `value "${text}" is out of range for type oid`)
  if (v < 0) v += 4294967296
  return v
}

function parseUuid(text: string): string {
  let s = trimSpaces(text)
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1)
  const hexOnly = s.replace(/-/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hexOnly) || !/^([0-9a-fA-F]{4}-?){7}[0-9a-fA-F]{4}$/.test(s)) throw invalid('uuid', text)
  const h = hexOnly.toLowerCase()
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** bytea input (hex `\x…` or escape format) as raw bytes. */
export function parseBytea(text: string): Uint8Array {
  if (text.startsWith('\\x') || text.startsWith('\\X')) {
    const out: number[] = []
    let k = 2
    while (k < text.length) {
      const c = text[k]!
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        k++
        continue
      }
      const pair = text.slice(k, k + 2)
      if (!/^[0-9a-fA-F]{2}$/.test(pair)) {
        if (pair.length === 1) throw execError(SqlState.invalidParameterValue, 'invalid hexadecimal data: odd number of digits')
        const bad = /^[0-9a-fA-F]/.test(pair) ? pair[1]! : pair[0]!
        throw execError(SqlState.invalidParameterValue, `invalid hexadecimal digit: "${bad}"`)
      }
      out.push(parseInt(pair, 16))
      k += 2
    }
    return Uint8Array.from(out)
  }
  const out: number[] = []
  const bytes = Buffer.from(text, 'utf8')
  for (let k = 0; k < bytes.length; k++) {
    const c = bytes[k]!
    if (c !== 92) {
      out.push(c)
      continue
    }
    if (bytes[k + 1] === 92) {
      out.push(92)
      k++
      continue
    }
    const o = String.fromCharCode(bytes[k + 1] ?? 0, bytes[k + 2] ?? 0, bytes[k + 3] ?? 0)
    if (!/^[0-3][0-7][0-7]$/.test(o)) throw invalid('bytea', text)
    out.push(parseInt(o, 8))
    k += 3
  }
  return Uint8Array.from(out)
}

// ---------------------------------------------------------------------------------------------
// Arrays

const malformed = (text: string, detail: string): Error => execError(SqlState.invalidTextRepresentation, `malformed array literal: "${text}"`, detail)

/** One parsed array element: its text (null for an unquoted NULL) or a nested sub-array. */
type RawElement = string | null | RawElement[]

function parseArrayText(text: string): RawElement[] {
  let i = 0
  const n = text.length
  const skipSpaces = (): void => {
    while (i < n && isSpace(text.charCodeAt(i))) i++
  }
  skipSpaces()
  if (text[i] === '[') {
    const dims = /^(\[[+-]?\d+:[+-]?\d+\])+\s*=/.exec(text.slice(i))
    if (dims === null) throw malformed(text, 'Missing "=" after array dimensions.')
    i += dims[0].length
    skipSpaces()
  }
  if (text[i] !== '{') throw malformed(text, 'Array value must start with "{" or dimension information.')
  const parseLevel = (): RawElement[] => {
    // at '{'
    i++
    const items: RawElement[] = []
    skipSpaces()
    if (text[i] === '}') {
      i++
      return items
    }
    for (;;) {
      skipSpaces()
      if (i >= n) throw malformed(text, 'Unexpected end of input.')
      const c = text[i]
      if (c === '{') {
        if (items.length > 0 && !Array.isArray(items[0])) throw malformed(text, 'Unexpected "{" character.')
        items.push(parseLevel())
      } else {
        if (items.length > 0 && Array.isArray(items[0])) throw malformed(text, 'Unexpected array element.')
        if (c === '}' || c === ',') throw malformed(text, `Unexpected "${c}" character.`)
        let value = ''
        let quotedAny = false
        let pendingSpaces = ''
        for (;;) {
          if (i >= n) throw malformed(text, 'Unexpected end of input.')
          const ch = text[i]!
          if (ch === '"') {
            quotedAny = true
            value += pendingSpaces
            pendingSpaces = ''
            i++
            for (;;) {
              if (i >= n) throw malformed(text, 'Unexpected end of input.')
              const q = text[i]!
              if (q === '\\') {
                if (i + 1 >= n) throw malformed(text, 'Unexpected end of input.')
                value += text[i + 1]
                i += 2
              } else if (q === '"') {
                i++
                break
              } else {
                value += q
                i++
              }
            }
          } else if (ch === '\\') {
            if (i + 1 >= n) throw malformed(text, 'Unexpected end of input.')
            value += pendingSpaces + text[i + 1]
            pendingSpaces = ''
            quotedAny = true
            i += 2
          } else if (ch === ',' || ch === '}') break
          else if (ch === '{') throw malformed(text, 'Unexpected "{" character.')
          else if (isSpace(ch.charCodeAt(0))) {
            pendingSpaces += ch
            i++
          } else {
            value += pendingSpaces + ch
            pendingSpaces = ''
            i++
          }
        }
        if (!quotedAny && value.toUpperCase() === 'NULL') items.push(null)
        else items.push(value)
      }
      skipSpaces()
      const sep = text[i]
      if (sep === ',') {
        i++
        continue
      }
      if (sep === '}') {
        i++
        break
      }
      if (i >= n) throw malformed(text, 'Unexpected end of input.')
      throw malformed(text, 'Unexpected array element.')
    }
    return items
  }
  const top = parseLevel()
  skipSpaces()
  if (i < n) throw malformed(text, 'Junk after closing right brace.')
  const shape = (e: RawElement[]): string => (e.length > 0 && Array.isArray(e[0]) ? `${e.length}x${shape(e[0])}` : String(e.length))
  const check = (e: RawElement[]): void => {
    if (e.length > 0 && Array.isArray(e[0])) {
      const s0 = shape(e[0])
      for (const sub of e) {
        if (!Array.isArray(sub) || shape(sub) !== s0) throw malformed(text, 'Multidimensional arrays must have sub-arrays with matching dimensions.')
        check(sub)
      }
    }
  }
  check(top)
  return top
}

/** Array input ('{1,2,NULL}', '{"a b","x\"y"}', '{{1,2},{3,4}}'): elements parsed with the element type; sub-arrays nest. */
export function parseArray(element: SqlType, text: string, ctx?: ParseContext): Value[] {
  const convert = (items: RawElement[], el: SqlType): Value[] =>
    items.map((e) => (e === null ? null : Array.isArray(e) ? convert(e, el.id === 'array' ? el.element : el) : parseValue(el, e, ctx)))
  return convert(parseArrayText(text), element)
}

/** Parses text as a value of the given type (PostgreSQL's input function for it). */
export function parseValue(type: SqlType, text: string, ctx?: ParseContext): Value {
  switch (type.id) {
    case 'null':
      return text
    case 'bool':
      return parseBool(text)
    case 'int2':
    case 'int4':
    case 'int8':
      return parseInteger(text, type.id)
    case 'float4':
      return parseFloat(text, true)
    case 'float8':
      return parseFloat(text, false)
    case 'numeric':
      return parseNumeric(text, type.precision, type.scale)
    case 'text':
    case 'json':
      if (type.id === 'json') {
        try {
          JSON.parse(text)
        } catch (e) {
          throw execError(SqlState.invalidTextRepresentation, 'invalid input syntax for type json', e instanceof Error ? e.message : undefined)
        }
      }
      return text
    case 'varchar':
    case 'bpchar':
      return checkCharLength(text, type.id, type.length)
    case 'name':
      return truncateName(text)
    case 'char':
      return text.length === 0 ? '' : String.fromCodePoint(text.codePointAt(0)!)
    case 'date':
      return parseDate(text, ctx)
    case 'time':
      return parseTime(text, ctx)
    case 'timestamp':
      return parseTimestamp(text, ctx)
    case 'timestamptz':
      return parseTimestamptz(text, ctx)
    case 'interval':
      return parseInterval(text)
    case 'oid':
      return parseOid(text)
    case 'regclass':
    case 'regtype':
    case 'regproc':
      if (intRe.test(text)) return parseOid(text)
      throw new NotImplementedError(`${typeName(type)} input of a name ("${text}") needs the catalog`)
    case 'uuid':
      return parseUuid(text)
    case 'bytea':
      return new TextDecoder().decode(parseBytea(text))
    case 'array':
      return parseArray(type.element, text, ctx)

    default:
      throw new InternalError(`no text conversion for type ${(type as SqlType).id}`)
  }
}
