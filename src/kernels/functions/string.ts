/**
 * String functions (PostgreSQL 15 semantics): lengths, case, substrings, trimming, padding,
 * searching, splitting, concatenation, quoting and format().
 */
import { createHash } from 'node:crypto'
import { execError, ExecutionError, SqlState } from '../../common/errors.js'
import { arrayType, T, type SqlType } from '../../common/types.js'
import { allValid, clearBit, toStrings, type Vector } from '../../common/vector.js'
import { formatValue } from '../format.js'
import type { ScalarFunction } from '../registry.js'
import { argsValidity, mapToNumber, mapToString, Utf8Builder, utf8Advance, utf8Length, valid } from './build.js'
import { defineFunction, sig, takesWideInt8, variadicSig, type Kernel } from './signature.js'

const textArr = arrayType(T.text)

// ---------------------------------------------------------------- lengths

const charLength: Kernel = (args, n, ret) => {
  const v = args[0]!
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => utf8Length(bytes, off[i]!, off[i + 1]!))
}

const octetLength: Kernel = (args, n, ret) => {
  const off = args[0]!.offsets!
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => off[i + 1]! - off[i]!)
}

/** octet_length of bpchar counts the blank padding PostgreSQL stores. */
const bpcharOctetLength: Kernel = (args, n, ret) => {
  const v = args[0]!
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  const len = v.type.id === 'bpchar' ? v.type.length : null
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
    const b = off[i + 1]! - off[i]!
    if (len === null) return b
    const chars = utf8Length(bytes, off[i]!, off[i + 1]!)
    return chars < len ? b + (len - chars) : b
  })
}

/** length of bpchar ignores trailing blanks. */
const bpcharLength: Kernel = (args, n, ret) => {
  const v = args[0]!
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
    let b = off[i + 1]!
    const a = off[i]!
    while (b > a && bytes[b - 1] === 0x20) b--
    return utf8Length(bytes, a, b)
  })
}

const bitLength: Kernel = (args, n, ret) => {
  const off = args[0]!.offsets!
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => 8 * (off[i + 1]! - off[i]!))
}

// ---------------------------------------------------------------- case

/** Maps code point by code point, keeping a character when its mapping is not one character (as towupper). */
function mapChars(s: string, f: (c: string) => string): string {
  let out = ''
  for (const ch of s) {
    const m = f(ch)
    out += [...m].length === 1 ? m : ch
  }
  return out
}

function caseKernel(upper: boolean): Kernel {
  const lo = upper ? 0x61 : 0x41
  const hi = upper ? 0x7a : 0x5a
  const f = upper ? (c: string) => c.toUpperCase() : (c: string) => c.toLowerCase()
  return (args, n, ret) => {
    const v = args[0]!
    const bytes = v.values as Uint8Array
    let ascii = true
    for (let k = 0; k < bytes.length; k++) {
      if (bytes[k]! >= 0x80) {
        ascii = false
        break
      }
    }
    if (ascii) {
      const out = new Uint8Array(bytes.length)
      for (let k = 0; k < bytes.length; k++) {
        const c = bytes[k]!
        out[k] = c >= lo && c <= hi ? c ^ 0x20 : c
      }
      return { type: ret, length: n, values: out, validity: v.validity, offsets: v.offsets! }
    }
    return mapToString(args, n, ret, (_i, s) => mapChars(s, f))
  }
}

const isAlnum = (ch: string): boolean => /[\p{L}\p{N}]/u.test(ch)

/** initcap: first letter of each alphanumeric run upper-cased, the rest lower-cased. */
export function initcap(s: string): string {
  let out = ''
  let inWord = false
  for (const ch of s) {
    const m = inWord ? ch.toLowerCase() : ch.toUpperCase()
    out += [...m].length === 1 ? m : ch
    inWord = isAlnum(ch)
  }
  return out
}

// ---------------------------------------------------------------- substrings

function intArg(v: Vector, i: number): number {
  return v.values[i]!
}

/** substring(s, start[, count]) with PostgreSQL's handling of starts before 1. */
const substrKernel: Kernel = (args, n, ret) => {
  const v = args[0]!
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  const startV = args[1]!
  const lenV = args[2]
  const bm = argsValidity(args, n)
  const out = new Utf8Builder(n, bytes.length)
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) {
      out.nullRow()
      continue
    }
    const start = intArg(startV, i)
    let a = off[i]!
    const b = off[i + 1]!
    if (lenV === undefined) {
      a = utf8Advance(bytes, a, b, Math.max(start, 1) - 1)
      out.bytesRow(bytes, a, b)
      continue
    }
    const count = intArg(lenV, i)
    if (count < 0) throw execError('22011', 'negative substring length not allowed')
    const end = start + count // exclusive, 1-based
    const s1 = Math.max(start, 1)
    if (end <= s1) {
      out.bytesRow(bytes, 0, 0)
      continue
    }
    const from = utf8Advance(bytes, a, b, s1 - 1)
    const to = utf8Advance(bytes, from, b, end - s1)
    out.bytesRow(bytes, from, to)
  }
  return out.finish(ret)
}

function leftRight(right: boolean): Kernel {
  return (args, n, ret) => {
    const v = args[0]!
    const off = v.offsets!
    const bytes = v.values as Uint8Array
    const nv = args[1]!
    const bm = argsValidity(args, n)
    const out = new Utf8Builder(n, bytes.length)
    for (let i = 0; i < n; i++) {
      if (!valid(bm, i)) {
        out.nullRow()
        continue
      }
      const a = off[i]!
      const b = off[i + 1]!
      const k = intArg(nv, i)
      const len = utf8Length(bytes, a, b)
      const keep = k >= 0 ? Math.min(k, len) : Math.max(0, len + k)
      if (right) out.bytesRow(bytes, utf8Advance(bytes, a, b, len - keep), b)
      else out.bytesRow(bytes, a, utf8Advance(bytes, a, b, keep))
    }
    return out.finish(ret)
  }
}

// ---------------------------------------------------------------- search

/** Byte index of needle[na, nb) in hay[a, b) at or after a, or -1. */
export function indexOfBytes(hay: Uint8Array, a: number, b: number, needle: Uint8Array, na: number, nb: number): number {
  const m = nb - na
  if (m === 0) return a
  const first = needle[na]!
  const last = b - m
  outer: for (let k = a; k <= last; k++) {
    if (hay[k] !== first) continue
    for (let j = 1; j < m; j++) if (hay[k + j] !== needle[na + j]) continue outer
    return k
  }
  return -1
}

const strposKernel: Kernel = (args, n, ret) => {
  const s = args[0]!
  const sub = args[1]!
  const so = s.offsets!
  const sb = s.values as Uint8Array
  const uo = sub.offsets!
  const ub = sub.values as Uint8Array
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
    const k = indexOfBytes(sb, so[i]!, so[i + 1]!, ub, uo[i]!, uo[i + 1]!)
    return k < 0 ? 0 : utf8Length(sb, so[i]!, k) + 1
  })
}

const startsWithKernel: Kernel = (args, n, ret) => {
  const s = args[0]!
  const p = args[1]!
  const so = s.offsets!
  const sb = s.values as Uint8Array
  const po = p.offsets!
  const pb = p.values as Uint8Array
  return mapToNumber(args, n, ret, new Uint8Array(n), (i) => {
    const a = so[i]!
    const pa = po[i]!
    const m = po[i + 1]! - pa
    if (so[i + 1]! - a < m) return 0
    for (let k = 0; k < m; k++) if (sb[a + k] !== pb[pa + k]) return 0
    return 1
  })
}

// ---------------------------------------------------------------- trim / pad

function trimKernel(left: boolean, right: boolean): Kernel {
  return (args, n, ret) => {
    if (args.length === 1) {
      const v = args[0]!
      const off = v.offsets!
      const bytes = v.values as Uint8Array
      const bm = v.validity
      const out = new Utf8Builder(n, bytes.length)
      for (let i = 0; i < n; i++) {
        if (!valid(bm, i)) {
          out.nullRow()
          continue
        }
        let a = off[i]!
        let b = off[i + 1]!
        if (left) while (a < b && bytes[a] === 0x20) a++
        if (right) while (b > a && bytes[b - 1] === 0x20) b--
        out.bytesRow(bytes, a, b)
      }
      return out.finish(ret)
    }
    return mapToString(args, n, ret, (_i, s, chars) => {
      const set = new Set(chars)
      const cps = [...s]
      let a = 0
      let b = cps.length
      if (left) while (a < b && set.has(cps[a]!)) a++
      if (right) while (b > a && set.has(cps[b - 1]!)) b--
      return cps.slice(a, b).join('')
    })
  }
}

function padKernel(left: boolean): Kernel {
  return (args, n, ret) =>
    mapToString(args, n, ret, (i, s, _len, fill) => {
      const len = intArg(args[1]!, i)
      const f = args.length > 2 ? fill! : ' '
      if (len <= 0) return ''
      const cps = [...s]
      if (cps.length >= len) return cps.slice(0, len).join('')
      if (f.length === 0) return s
      const fc = [...f]
      const need = len - cps.length
      let pad = ''
      for (let k = 0; k < need; k++) pad += fc[k % fc.length]
      return left ? pad + s : s + pad
    })
}

// ---------------------------------------------------------------- replace / split / repeat

const replaceKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (_i, s, from, to) => (from!.length === 0 ? s : s.split(from!).join(to!)))

const splitPartKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (i, s, delim) => {
    const field = intArg(args[2]!, i)
    if (field === 0) throw execError(SqlState.invalidParameterValue, 'field position must not be zero')
    if (s.length === 0) return ''
    if (delim!.length === 0) return field === 1 || field === -1 ? s : ''
    const parts = s.split(delim!)
    const idx = field > 0 ? field - 1 : parts.length + field
    return parts[idx] ?? ''
  })

const repeatKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (i, s) => {
    const k = intArg(args[1]!, i)
    if (k <= 0 || s.length === 0) return ''
    if (s.length * k > 0x3fffffff) throw execError('54000', 'requested length too large')
    return s.repeat(k)
  })

const reverseKernel: Kernel = (args, n, ret) => mapToString(args, n, ret, (_i, s) => [...s].reverse().join(''))

const translateKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (_i, s, from, to) => {
    const f = [...from!]
    const t = [...to!]
    const map = new Map<string, string>()
    f.forEach((c, k) => {
      if (!map.has(c)) map.set(c, t[k] ?? '')
    })
    let out = ''
    for (const c of s) out += map.get(c) ?? c
    return out
  })

// ---------------------------------------------------------------- characters / hashing

const asciiKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => s[i]!.codePointAt(0) ?? 0)
}

const chrKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (i) => {
    const c = intArg(args[0]!, i)
    if (c === 0) throw execError('54000', 'null character not permitted')
    if (c < 0) throw execError(SqlState.invalidParameterValue, 'character number must be positive')
    if (c > 0x10ffff) throw execError('54000', `requested character too large for encoding: ${c}`)
    if (c >= 0xd800 && c <= 0xdfff) throw execError('54000', `requested character not valid for encoding: ${c}`)
    return String.fromCodePoint(c)
  })

const md5Kernel: Kernel = (args, n, ret) => {
  const v = args[0]!
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  const out = new Utf8Builder(n, 32 * n)
  for (let i = 0; i < n; i++) {
    if (!valid(v.validity, i)) out.nullRow()
    else out.stringRow(createHash('md5').update(bytes.subarray(off[i]!, off[i + 1]!)).digest('hex'))
  }
  return out.finish(ret)
}

/** to_hex of int4/int8 (an int8 may be in the wide layout: its values are then bigints). */
function toHexKernel(bits: 32 | 64): Kernel {
  return (args, n, ret) =>
    mapToString(args, n, ret, (i) => {
      const x = args[0]!.values[i]! as number | bigint
      if (x >= 0) return x.toString(16)
      return (BigInt.asUintN(bits, BigInt(x))).toString(16)
    })
}

// ---------------------------------------------------------------- quoting

const reservedWords = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast char ' +
    'character check coalesce collate collation column concurrently constraint create cross current_catalog current_date ' +
    'current_role current_schema current_time current_timestamp current_user dec decimal default deferrable desc distinct do ' +
    'else end except exists extract false fetch float for foreign freeze from full grant greatest group grouping having ilike ' +
    'in initially inner inout int integer intersect interval into is isnull join lateral leading least left like limit ' +
    'localtime localtimestamp national natural nchar none normalize not notnull null nullif numeric offset on only or order ' +
    'out outer overlaps overlay placing position precision primary real references returning right row select session_user ' +
    'setof similar smallint some substring symmetric table tablesample then time timestamp to trailing treat trim true union ' +
    'unique user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists ' +
    'xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable'
  ).split(' '),
)

/** quote_ident: double-quotes an identifier unless it is a plain lower-case non-reserved name. */
export function quoteIdent(s: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(s) && !reservedWords.has(s)) return s
  return '"' + s.replace(/"/g, '""') + '"'
}

/** quote_literal: single-quotes a string, using E'' when it holds backslashes. */
export function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''")
  if (s.includes('\\')) return "E'" + body.replace(/\\/g, '\\\\') + "'"
  return "'" + body + "'"
}

/** Text of row i of any argument as its output function prints it (null for NULL). */
function textOf(v: Vector, i: number, tz: string): string | null {
  return formatValue(v, i, { timezone: tz })
}

/** Text of row i as `::text` would give it (bool as true/false). */
function castTextOf(v: Vector, i: number, tz: string): string | null {
  const s = textOf(v, i, tz)
  if (s !== null && v.type.id === 'bool') return s === 't' ? 'true' : 'false'
  return s
}

const quoteLiteralAny: Kernel = (args, n, ret, ctx) => {
  const v = args[0]!
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    const s = castTextOf(v, i, ctx.timezone)
    if (s === null) out.nullRow()
    else out.stringRow(quoteLiteral(s))
  }
  return out.finish(ret)
}

const quoteNullableAny: Kernel = (args, n, ret, ctx) => {
  const v = args[0]!
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    const s = castTextOf(v, i, ctx.timezone)
    out.stringRow(s === null ? 'NULL' : quoteLiteral(s))
  }
  return out.finish(ret)
}

// ---------------------------------------------------------------- concatenation

const textcatKernel: Kernel = (args, n, ret) => {
  const a = args[0]!
  const b = args[1]!
  const ao = a.offsets!
  const bo = b.offsets!
  const ab = a.values as Uint8Array
  const bb = b.values as Uint8Array
  const bm = argsValidity(args, n)
  const out = new Utf8Builder(n, ab.length + bb.length)
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) {
      out.nullRow()
      continue
    }
    out.push(ab, ao[i]!, ao[i + 1]!)
    out.push(bb, bo[i]!, bo[i + 1]!)
    out.endRow()
  }
  return out.finish(ret)
}

const concatKernel: Kernel = (args, n, ret, ctx) => {
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    let s = ''
    for (const a of args) s += textOf(a, i, ctx.timezone) ?? ''
    out.stringRow(s)
  }
  return out.finish(ret)
}

const concatWsKernel: Kernel = (args, n, ret, ctx) => {
  const sep = args[0]!
  const seps = toStrings(sep)
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    const sp = seps[i]
    if (sp === null || sp === undefined) {
      out.nullRow()
      continue
    }
    const parts: string[] = []
    for (let k = 1; k < args.length; k++) {
      const s = textOf(args[k]!, i, ctx.timezone)
      if (s !== null) parts.push(s)
    }
    out.stringRow(parts.join(sp))
  }
  return out.finish(ret)
}

// ---------------------------------------------------------------- format()

/** PostgreSQL's format(): %s, %I, %L, %% with positions (%2$s) and widths (%-5s, %*s, %*2$s). */
export function formatString(fmt: string, argText: readonly (() => string | null)[]): string {
  let out = ''
  let next = 0
  const len = fmt.length
  const fail = (msg: string): never => {
    throw execError(SqlState.invalidParameterValue, msg)
  }
  const getArg = (k: number): string | null => {
    if (k >= argText.length) fail('too few arguments for format()')
    return argText[k]!()
  }
  const readInt = (p: number): [number, number] | undefined => {
    let q = p
    while (q < len && fmt.charCodeAt(q) >= 48 && fmt.charCodeAt(q) <= 57) q++
    if (q === p) return undefined
    return [Number(fmt.slice(p, q)), q]
  }
  let p = 0
  while (p < len) {
    const c = fmt[p]!
    if (c !== '%') {
      out += c
      p++
      continue
    }
    p++
    if (p >= len) fail('unterminated format() type specifier')
    if (fmt[p] === '%') {
      out += '%'
      p++
      continue
    }
    // optional argument position n$
    let argPos: number | undefined
    const r1 = readInt(p)
    if (r1 && fmt[r1[1]] === '$') {
      if (r1[0] === 0) fail('format specifies argument 0, but arguments are numbered from 1')
      argPos = r1[0] - 1
      p = r1[1] + 1
    }
    let leftAlign = false
    while (fmt[p] === '-') {
      leftAlign = true
      p++
    }
    let width: number | undefined
    if (fmt[p] === '*') {
      p++
      const r2 = readInt(p)
      let wArg: number
      if (r2 && fmt[r2[1]] === '$') {
        wArg = r2[0] - 1
        p = r2[1] + 1
      } else wArg = next
      const w = getArg(wArg)
      next = wArg + 1
      width = w === null ? 0 : Number(w)
      if (width < 0) {
        leftAlign = true
        width = -width
      }
    } else {
      const r3 = readInt(p)
      if (r3) {
        width = r3[0]
        p = r3[1]
      }
    }
    if (p >= len) fail('unterminated format() type specifier')
    const conv = fmt[p]!
    p++
    const k = argPos ?? next
    next = k + 1
    let s: string
    if (conv === 's') s = getArg(k) ?? ''
    else if (conv === 'I') {
      const v = getArg(k)
      if (v === null) throw execError('22004', 'null values cannot be formatted as an SQL identifier')
      s = quoteIdent(v)
    } else if (conv === 'L') {
      const v = getArg(k)
      s = v === null ? 'NULL' : quoteLiteral(v)
    } else {
      throw new ExecutionError(SqlState.invalidParameterValue, `unrecognized format() type specifier "${conv}"`, {
        hint: 'For a single "%" use "%%".',
      })
    }
    if (width !== undefined) {
      const l = [...s].length
      if (l < width) s = leftAlign ? s + ' '.repeat(width - l) : ' '.repeat(width - l) + s
    }
    out += s
  }
  return out
}

const formatKernel: Kernel = (args, n, ret, ctx) => {
  const fmts = toStrings(args[0]!)
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    const f = fmts[i]
    if (f === null || f === undefined) {
      out.nullRow()
      continue
    }
    const getters = args.slice(1).map((a) => () => textOf(a, i, ctx.timezone))
    out.stringRow(formatString(f, getters))
  }
  return out.finish(ret)
}

// ---------------------------------------------------------------- arrays of text

/** Builds a text[] vector from per-row string arrays (null row = NULL, null element = NULL). */
export function textArrayVector(rows: readonly ((string | null)[] | null)[], type: SqlType = textArr): Vector {
  const n = rows.length
  const offsets = new Int32Array(n + 1)
  const flat: (string | null)[] = []
  let validity: Uint8Array | null = null
  for (let i = 0; i < n; i++) {
    const r = rows[i]
    if (r === null || r === undefined) {
      validity ??= allValid(n)
      clearBit(validity, i)
    } else for (const e of r) flat.push(e)
    offsets[i + 1] = flat.length
  }
  const child = new Utf8Builder(flat.length)
  for (const e of flat) {
    if (e === null) child.nullRow()
    else child.stringRow(e)
  }
  const elem = type.id === 'array' ? type.element : T.text
  return { type, length: n, values: new Uint8Array(0), validity, offsets, child: child.finish(elem) }
}

const stringToArrayKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  const d = toStrings(args[1]!)
  const ns = args[2] ? toStrings(args[2]) : null
  const rows: ((string | null)[] | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const str = s[i]
    if (str === null || str === undefined) {
      rows[i] = null
      continue
    }
    if (str.length === 0) {
      rows[i] = []
      continue
    }
    const delim = d[i]
    let parts: string[]
    if (delim === null || delim === undefined) parts = [...str]
    else if (delim.length === 0) parts = [str]
    else parts = str.split(delim)
    const nullStr = ns ? ns[i] : null
    rows[i] = nullStr === null || nullStr === undefined ? parts : parts.map((p) => (p === nullStr ? null : p))
  }
  return textArrayVector(rows, ret)
}

const arrayToStringKernel: Kernel = (args, n, ret, ctx) => {
  const arr = args[0]!
  const d = toStrings(args[1]!)
  const ns = args[2] ? toStrings(args[2]) : null
  const child = arr.child!
  const off = arr.offsets!
  const out = new Utf8Builder(n)
  for (let i = 0; i < n; i++) {
    const delim = d[i]
    if (!valid(arr.validity, i) || delim === null || delim === undefined) {
      out.nullRow()
      continue
    }
    const nullStr = ns ? ns[i] : null
    const parts: string[] = []
    collectElements(child, off[i]!, off[i + 1]!, ctx.timezone, (s) => {
      if (s !== null) parts.push(s)
      else if (nullStr !== null && nullStr !== undefined) parts.push(nullStr)
    })
    out.stringRow(parts.join(delim))
  }
  return out.finish(ret)
}

/** Visits the text of the elements [a, b) of a list child, flattening nested arrays. */
function collectElements(child: Vector, a: number, b: number, tz: string, f: (s: string | null) => void): void {
  for (let k = a; k < b; k++) {
    if (child.type.id === 'array') {
      if (valid(child.validity, k)) collectElements(child.child!, child.offsets![k]!, child.offsets![k + 1]!, tz, f)
      else f(null)
    } else f(textOf(child, k, tz))
  }
}

// ---------------------------------------------------------------- registration

const int = T.int4

/** The string functions. */
export const stringFunctions: ScalarFunction[] = [
  defineFunction('length', [sig(['text'], int, charLength), sig(['bpchar'], int, bpcharLength)]),
  defineFunction('char_length', [sig(['text'], int, charLength), sig(['bpchar'], int, bpcharLength)]),
  defineFunction('character_length', [sig(['text'], int, charLength), sig(['bpchar'], int, bpcharLength)]),
  defineFunction('octet_length', [sig(['text'], int, octetLength), sig(['bpchar'], int, bpcharOctetLength)]),
  defineFunction('bit_length', [sig(['text'], int, bitLength)]),
  defineFunction('lower', [sig(['text'], T.text, caseKernel(false))]),
  defineFunction('upper', [sig(['text'], T.text, caseKernel(true))]),
  defineFunction('initcap', [sig(['text'], T.text, (args, n, ret) => mapToString(args, n, ret, (_i, s) => initcap(s)))]),
  defineFunction('substr', [sig(['text', 'int4'], T.text, substrKernel), sig(['text', 'int4', 'int4'], T.text, substrKernel)]),
  defineFunction('left', [sig(['text', 'int4'], T.text, leftRight(false))]),
  defineFunction('right', [sig(['text', 'int4'], T.text, leftRight(true))]),
  defineFunction('strpos', [sig(['text', 'text'], int, strposKernel)]),
  // POSITION(sub IN s) reaches here as position(s, sub), as PostgreSQL's grammar orders it
  defineFunction('position', [sig(['text', 'text'], int, strposKernel)]),
  defineFunction('starts_with', [sig(['text', 'text'], T.bool, startsWithKernel)]),
  defineFunction('btrim', [sig(['text'], T.text, trimKernel(true, true)), sig(['text', 'text'], T.text, trimKernel(true, true))]),
  defineFunction('ltrim', [sig(['text'], T.text, trimKernel(true, false)), sig(['text', 'text'], T.text, trimKernel(true, false))]),
  defineFunction('rtrim', [sig(['text'], T.text, trimKernel(false, true)), sig(['text', 'text'], T.text, trimKernel(false, true))]),
  defineFunction('lpad', [sig(['text', 'int4'], T.text, padKernel(true)), sig(['text', 'int4', 'text'], T.text, padKernel(true))]),
  defineFunction('rpad', [sig(['text', 'int4'], T.text, padKernel(false)), sig(['text', 'int4', 'text'], T.text, padKernel(false))]),
  defineFunction('replace', [sig(['text', 'text', 'text'], T.text, replaceKernel)]),
  defineFunction('split_part', [sig(['text', 'text', 'int4'], T.text, splitPartKernel)]),
  defineFunction('repeat', [sig(['text', 'int4'], T.text, repeatKernel)]),
  defineFunction('reverse', [sig(['text'], T.text, reverseKernel)]),
  defineFunction('translate', [sig(['text', 'text', 'text'], T.text, translateKernel)]),
  defineFunction('ascii', [sig(['text'], int, asciiKernel)]),
  defineFunction('chr', [sig(['int4'], T.text, chrKernel)]),
  defineFunction('md5', [sig(['text'], T.text, md5Kernel)]),
  takesWideInt8(defineFunction('to_hex', [sig(['int4'], T.text, toHexKernel(32)), sig(['int8'], T.text, toHexKernel(64))])),
  defineFunction('quote_ident', [sig(['text'], T.text, (args, n, ret) => mapToString(args, n, ret, (_i, s) => quoteIdent(s)))]),
  defineFunction(
    'quote_literal',
    [sig(['text'], T.text, (args, n, ret) => mapToString(args, n, ret, (_i, s) => quoteLiteral(s))), sig(['anyelement'], T.text, quoteLiteralAny)],
    'stable',
  ),
  defineFunction('quote_nullable', [sig(['text'], T.text, quoteNullableAny), sig(['anyelement'], T.text, quoteNullableAny)], 'stable'),
  defineFunction('textcat', [sig(['text', 'text'], T.text, textcatKernel)]),
  // these read their arguments through formatValue, which knows both int8 layouts
  takesWideInt8(defineFunction('concat', [variadicSig([], 'any', T.text, concatKernel)], 'stable')),
  takesWideInt8(defineFunction('concat_ws', [variadicSig(['text'], 'any', T.text, concatWsKernel)], 'stable')),
  takesWideInt8(defineFunction('format', [sig(['text'], T.text, formatKernel), variadicSig(['text'], 'any', T.text, formatKernel)], 'stable')),
  defineFunction('string_to_array', [
    sig(['text', 'text'], textArr, stringToArrayKernel),
    sig(['text', 'text', 'text'], textArr, stringToArrayKernel),
  ]),
  defineFunction(
    'array_to_string',
    [sig(['anyarray', 'text'], T.text, arrayToStringKernel), sig(['anyarray', 'text', 'text'], T.text, arrayToStringKernel)],
    'stable',
  ),
]

/** substring(text, int[, int]): registered together with the regex forms in regex.ts. */
export const substringKernel = substrKernel
