/**
 * Delimited text: a byte-level tokenizer for CSV (RFC 4180: quotes, doubled quotes or an escape
 * character, newlines inside quoted fields, CRLF) and PostgreSQL's COPY text format (tab-separated,
 * `\N` for NULL, backslash escapes, `\.` end marker); typed conversion of the fields straight from
 * the bytes into Flint vectors (integers, floats, numeric(p,s), dates, timestamps and text without
 * building JS strings; other types through PostgreSQL's input functions); and COPY's output rules
 * for writing rows.
 */
import { daysFromCivil } from '../kernels/datetime.js'
import { pow10 } from '../common/decimal.js'
import { EngineError, ExecutionError, SqlState } from '../common/errors.js'
import { wideInt8Vector } from '../common/int8.js'
import { layoutOf, type SqlType } from '../common/types.js'
import { bitmapBytes, type Batch, type Values, type Vector } from '../common/vector.js'
import type { IntervalValue, Value } from '../common/value.js'
import { parseValue } from '../kernels/parse-text.js'

/** How fields are delimited and quoted. */
export interface DelimitedFormat {
  /** 'csv' (quoting) or 'text' (PostgreSQL COPY text format: backslash escapes). */
  readonly format: 'csv' | 'text'
  /** One-byte delimiter: ',' for csv, tab for text by default. */
  readonly delimiter: string
  /** csv: quote character (default `"`). */
  readonly quote: string
  /** csv: escape character inside quotes (default: the quote character). */
  readonly escape: string
  /** Text that means NULL: '' (unquoted) for csv, `\N` for text by default. */
  readonly nullString: string
}

/** Options of parseDelimited and the CSV readers. */
export interface DelimitedOptions {
  readonly format?: 'csv' | 'text' | undefined
  readonly delimiter?: string | undefined
  readonly quote?: string | undefined
  readonly escape?: string | undefined
  readonly nullString?: string | undefined
  /** Skip the first record (a header line). */
  readonly header?: boolean | undefined
  /** Session TimeZone for timestamptz input. */
  readonly timezone?: string | undefined
  /** Column names, for error messages ("missing data for column …"). */
  readonly columnNames?: readonly string[] | undefined
  /** Rows per batch (default 65536). */
  readonly batchSize?: number | undefined
}

/** Fills in the defaults PostgreSQL's COPY uses for a format; checks the one-byte rules (22023/0A000). */
export function resolveFormat(opts: DelimitedOptions): DelimitedFormat {
  const format = opts.format ?? 'csv'
  const delimiter = opts.delimiter ?? (format === 'csv' ? ',' : '\t')
  const quote = opts.quote ?? '"'
  const escape = opts.escape ?? quote
  const nullString = opts.nullString ?? (format === 'csv' ? '' : '\\N')
  const oneByte = (s: string, what: string): void => {
    if (new TextEncoder().encode(s).length !== 1) {
      throw new ExecutionError('0A000', `COPY ${what} must be a single one-byte character`)
    }
  }
  oneByte(delimiter, 'delimiter')
  if (delimiter === '\n' || delimiter === '\r') throw new ExecutionError(SqlState.invalidParameterValue, 'COPY delimiter cannot be newline or carriage return')
  if (format === 'csv') {
    oneByte(quote, 'quote')
    oneByte(escape, 'escape')
    if (delimiter === quote) throw new ExecutionError(SqlState.invalidParameterValue, 'COPY delimiter and quote must be different')
  } else if (delimiter === '\\') throw new ExecutionError(SqlState.invalidParameterValue, 'COPY delimiter cannot be "\\"')
  return { format, delimiter, quote, escape, nullString }
}

// ---------------------------------------------------------------------------------------------
// Tokenizer
// ---------------------------------------------------------------------------------------------

/** Field flags. */
const QUOTED = 1
/** (start, end) is the raw field: quotes and escapes must be removed. */
const RAW = 2

/** Fields found in a buffer: flat field ranges and where each record's fields start. */
export class Tokens {
  fStart: Int32Array = new Int32Array(1024)
  fEnd: Int32Array = new Int32Array(1024)
  fFlags: Uint8Array = new Uint8Array(1024)
  nFields = 0
  /** Index of each record's first field; record r has fields [rFirst[r], rFirst[r+1]). */
  rFirst: Int32Array = new Int32Array(257)
  /** 1-based line number (record number, as PostgreSQL counts in COPY) of each record. */
  rLine: Int32Array = new Int32Array(256)
  nRecords = 0

  /** Forgets all records (keeps the arrays). */
  reset(): void {
    this.nFields = 0
    this.nRecords = 0
    this.rFirst[0] = 0
  }

  /** Number of fields of record r. */
  count(r: number): number {
    return this.rFirst[r + 1]! - this.rFirst[r]!
  }

  /** Appends a field of the current record. */
  pushField(s: number, e: number, flags: number): void {
    if (this.nFields === this.fStart.length) {
      const cap = this.fStart.length * 2
      this.fStart = grow(this.fStart, cap)
      this.fEnd = grow(this.fEnd, cap)
      const f = new Uint8Array(cap)
      f.set(this.fFlags)
      this.fFlags = f
    }
    const k = this.nFields++
    this.fStart[k] = s
    this.fEnd[k] = e
    this.fFlags[k] = flags
  }

  /** Closes the current record (its fields are those pushed since the previous one). */
  endRecord(line: number): void {
    if (this.nRecords + 1 >= this.rFirst.length - 1) {
      this.rFirst = grow(this.rFirst, this.rFirst.length * 2)
      this.rLine = grow(this.rLine, this.rLine.length * 2)
    }
    this.rLine[this.nRecords] = line
    this.nRecords++
    this.rFirst[this.nRecords] = this.nFields
  }

  /** Drops fields pushed after the last complete record. */
  rollback(): void {
    this.nFields = this.rFirst[this.nRecords]!
  }
}

function grow(a: Int32Array, cap: number): Int32Array {
  const b = new Int32Array(cap)
  b.set(a)
  return b
}

/** Tokenizer state that survives between buffers. */
export interface TokenizerState {
  /** Records seen so far (for line numbers). */
  line: number
  /** COPY text format: the end-of-data marker `\.` was seen. */
  ended: boolean
}

/**
 * Splits complete records of buf[pos, len) into `out` (at most `maxRecords` in total). Returns the
 * position after the last complete record consumed; with `final`, the last record may end without a
 * newline. Empty lines are skipped when `skipEmpty` is set.
 */
export function tokenize(
  buf: Uint8Array,
  pos: number,
  len: number,
  final: boolean,
  fmt: DelimitedFormat,
  out: Tokens,
  maxRecords: number,
  state: TokenizerState,
  skipEmpty: boolean,
): number {
  return fmt.format === 'csv'
    ? tokenizeCsv(buf, pos, len, final, fmt, out, maxRecords, state, skipEmpty)
    : tokenizeText(buf, pos, len, final, fmt, out, maxRecords, state, skipEmpty)
}

function tokenizeCsv(
  buf: Uint8Array,
  pos: number,
  len: number,
  final: boolean,
  fmt: DelimitedFormat,
  out: Tokens,
  maxRecords: number,
  state: TokenizerState,
  skipEmpty: boolean,
): number {
  const D = fmt.delimiter.charCodeAt(0)
  const Q = fmt.quote.charCodeAt(0)
  const E = fmt.escape.charCodeAt(0)
  let p = pos
  while (p < len && out.nRecords < maxRecords) {
    const recStart = p
    // fast path: one byte loop over a line without quotes
    const first = out.nFields
    let s = p
    let q = p
    let quoted = false
    let incomplete = false
    for (;;) {
      if (q >= len) {
        if (!final) {
          incomplete = true
          break
        }
        if (q === recStart && skipEmpty) break
        let e = q
        if (e > s && buf[e - 1] === 13) e--
        out.pushField(s, e, 0)
        out.endRecord(++state.line)
        break
      }
      const c = buf[q]!
      if (c === D) {
        out.pushField(s, q, 0)
        s = ++q
        continue
      }
      if (c === 10) {
        let e = q
        if (e > s && buf[e - 1] === 13) e--
        if (skipEmpty && s === recStart && e === s) {
          state.line++
          break
        }
        out.pushField(s, e, 0)
        out.endRecord(++state.line)
        break
      }
      if (c === Q) {
        quoted = true
        break
      }
      q++
    }
    if (incomplete) {
      out.nFields = first
      return recStart
    }
    if (!quoted) {
      p = Math.min(q + 1, len)
      continue
    }
    out.nFields = first
    // slow path: a state machine over the record, which may span lines
    q = p
    let complete = false
    for (;;) {
      // at the start of a field
      const fs = q
      if (q < len && buf[q] === Q) {
        let flags = QUOTED
        q++
        const cs = q
        let ce = -1
        let tail = false
        for (;;) {
          if (q >= len) {
            if (!final) {
              out.rollback()
              return recStart
            }
            throw csvError('unterminated CSV quoted field', state.line + 1)
          }
          const c = buf[q]!
          if (c === E && E !== Q) {
            if (q + 1 >= len && !final) {
              out.rollback()
              return recStart
            }
            const n2 = buf[q + 1]
            if (n2 === Q || n2 === E) {
              flags |= RAW
              q += 2
              continue
            }
            q++
            continue
          }
          if (c === Q) {
            if (q + 1 >= len && !final) {
              out.rollback()
              return recStart
            }
            if (E === Q && buf[q + 1] === Q) {
              flags |= RAW
              q += 2
              continue
            }
            ce = q
            q++
            break
          }
          q++
        }
        // after the closing quote: more data up to the delimiter is appended (PostgreSQL's rule)
        while (q < len && buf[q] !== D && buf[q] !== 10 && !(buf[q] === 13 && (q + 1 === len ? final : buf[q + 1] === 10))) {
          tail = true
          q++
        }
        if (q >= len && !final) {
          out.rollback()
          return recStart
        }
        if (tail || (flags & RAW) !== 0) out.pushField(fs, tail ? q : ce + 1, QUOTED | RAW)
        else out.pushField(cs, ce, QUOTED)
      } else {
        while (q < len && buf[q] !== D && buf[q] !== 10) q++
        if (q >= len && !final) {
          out.rollback()
          return recStart
        }
        let e = q
        if ((q >= len || buf[q] === 10) && e > fs && buf[e - 1] === 13) e--
        // a quote inside an unquoted field is data
        out.pushField(fs, e, 0)
      }
      if (q >= len) {
        complete = true
        break
      }
      if (buf[q] === D) {
        q++
        continue
      }
      if (buf[q] === 13) {
        if (q + 1 >= len && !final) {
          out.rollback()
          return recStart
        }
        q++
      }
      if (q < len && buf[q] === 10) q++
      complete = true
      break
    }
    if (complete) {
      out.endRecord(++state.line)
      p = q
    }
  }
  return p
}

function tokenizeText(
  buf: Uint8Array,
  pos: number,
  len: number,
  final: boolean,
  fmt: DelimitedFormat,
  out: Tokens,
  maxRecords: number,
  state: TokenizerState,
  skipEmpty: boolean,
): number {
  const D = fmt.delimiter.charCodeAt(0)
  const BS = 92
  let p = pos
  while (p < len && out.nRecords < maxRecords && !state.ended) {
    const recStart = p
    // fast path: one byte loop over a line without backslashes
    const first = out.nFields
    let s = p
    let q = p
    let escaped = false
    let incomplete = false
    for (;;) {
      if (q >= len) {
        if (!final) {
          incomplete = true
          break
        }
        let e = q
        if (e > s && buf[e - 1] === 13) e--
        out.pushField(s, e, 0)
        out.endRecord(++state.line)
        break
      }
      const c = buf[q]!
      if (c === D) {
        out.pushField(s, q, 0)
        s = ++q
        continue
      }
      if (c === 10) {
        let e = q
        if (e > s && buf[e - 1] === 13) e--
        if (skipEmpty && s === recStart && e === s) {
          state.line++
          break
        }
        out.pushField(s, e, 0)
        out.endRecord(++state.line)
        break
      }
      if (c === BS) {
        escaped = true
        break
      }
      q++
    }
    if (incomplete) {
      out.nFields = first
      return recStart
    }
    if (!escaped) {
      p = Math.min(q + 1, len)
      continue
    }
    out.nFields = first
    // the record has backslashes: a backslash escapes the next byte (a newline too)
    if (buf[p] === BS && p + 1 < len && buf[p + 1] === 46) {
      // "\." alone on a line ends the data
      let m = p + 2
      if (m < len && buf[m] === 13) m++
      if (m >= len && !final) return recStart
      if (m >= len || buf[m] === 10) {
        state.ended = true
        return m >= len ? len : m + 1
      }
    }
    q = p
    let fs = q
    let flags = 0
    for (;;) {
      if (q >= len) {
        if (!final) {
          out.rollback()
          return recStart
        }
        out.pushField(fs, q, flags)
        break
      }
      const c = buf[q]!
      if (c === BS) {
        if (q + 1 >= len && !final) {
          out.rollback()
          return recStart
        }
        flags = RAW
        q += 2
        continue
      }
      if (c === D) {
        out.pushField(fs, q, flags)
        q++
        fs = q
        flags = 0
        continue
      }
      if (c === 10) {
        let e = q
        if (e > fs && buf[e - 1] === 13 && !(e - 2 >= fs && buf[e - 2] === BS)) e--
        out.pushField(fs, e, flags)
        q++
        break
      }
      q++
    }
    out.endRecord(++state.line)
    p = Math.min(q, len)
  }
  return p
}

const csvError = (message: string, line: number): ExecutionError =>
  new ExecutionError('22P04', message, { detail: `line ${line}` })

// ---------------------------------------------------------------------------------------------
// Field text
// ---------------------------------------------------------------------------------------------

const utf8 = new TextDecoder()

/** The bytes a field stands for (quotes and escapes removed) written to `dst` at `at`; returns the length. */
function unescapeInto(buf: Uint8Array, s: number, e: number, flags: number, fmt: DelimitedFormat, dst: Uint8Array, at: number): number {
  let o = at
  if ((flags & RAW) === 0) {
    for (let k = s; k < e; k++) dst[o++] = buf[k]!
    return o - at
  }
  if (fmt.format === 'csv') {
    const Q = fmt.quote.charCodeAt(0)
    const E = fmt.escape.charCodeAt(0)
    let inQuote = false
    for (let k = s; k < e; k++) {
      const c = buf[k]!
      if (inQuote) {
        if (c === E && k + 1 < e && (buf[k + 1] === Q || buf[k + 1] === E) && (E !== Q || buf[k + 1] === Q)) {
          dst[o++] = buf[k + 1]!
          k++
        } else if (c === Q) inQuote = false
        else dst[o++] = c
      } else if (c === Q) inQuote = true
      else dst[o++] = c
    }
    return o - at
  }
  // COPY text format escapes
  for (let k = s; k < e; k++) {
    const c = buf[k]!
    if (c !== 92 || k + 1 >= e) {
      dst[o++] = c
      continue
    }
    const n = buf[++k]!
    switch (n) {
      case 98: // b
        dst[o++] = 8
        break
      case 102: // f
        dst[o++] = 12
        break
      case 110: // n
        dst[o++] = 10
        break
      case 114: // r
        dst[o++] = 13
        break
      case 116: // t
        dst[o++] = 9
        break
      case 118: // v
        dst[o++] = 11
        break
      case 120: {
        // \xh or \xhh
        const h1 = hexVal(buf[k + 1])
        if (k + 1 < e && h1 >= 0) {
          let v = h1
          k++
          const h2 = hexVal(buf[k + 1])
          if (k + 1 < e && h2 >= 0) {
            v = v * 16 + h2
            k++
          }
          dst[o++] = v
        } else dst[o++] = n
        break
      }
      default:
        if (n >= 48 && n <= 55) {
          // \d, \dd or \ddd octal
          let v = n - 48
          for (let m = 0; m < 2 && k + 1 < e && buf[k + 1]! >= 48 && buf[k + 1]! <= 55; m++) v = v * 8 + (buf[++k]! - 48)
          dst[o++] = v & 0xff
        } else dst[o++] = n
    }
  }
  return o - at
}

function hexVal(c: number | undefined): number {
  if (c === undefined) return -1
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return -1
}

const scratch = { buf: new Uint8Array(256) }

/** The text a field stands for. */
export function fieldText(buf: Uint8Array, s: number, e: number, flags: number, fmt: DelimitedFormat): string {
  if ((flags & RAW) === 0) return e - s < 64 ? asciiOrUtf8(buf, s, e) : utf8.decode(buf.subarray(s, e))
  if (scratch.buf.length < e - s) scratch.buf = new Uint8Array(2 * (e - s))
  const n = unescapeInto(buf, s, e, flags, fmt, scratch.buf, 0)
  return utf8.decode(scratch.buf.subarray(0, n))
}

function asciiOrUtf8(buf: Uint8Array, s: number, e: number): string {
  let out = ''
  for (let k = s; k < e; k++) {
    const c = buf[k]!
    if (c >= 0x80) return utf8.decode(buf.subarray(s, e))
    out += String.fromCharCode(c)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Typed conversion
// ---------------------------------------------------------------------------------------------

/** What converting fields to a column needs besides the bytes. */
export interface ConvertContext {
  readonly fmt: DelimitedFormat
  readonly nullBytes: Uint8Array
  readonly timezone?: string
  readonly columnName: string
}

/** Whether a field is NULL: CSV — unquoted and equal to the null string; text — raw bytes equal to it. */
function isNullField(buf: Uint8Array, s: number, e: number, flags: number, ctx: ConvertContext): boolean {
  const nb = ctx.nullBytes
  if (ctx.fmt.format === 'csv' && (flags & QUOTED) !== 0) return false
  if (e - s !== nb.length) return false
  for (let k = 0; k < nb.length; k++) if (buf[s + k] !== nb[k]) return false
  return true
}

/** Re-raises a conversion error with the COPY line and column in the detail. */
function withLine(e: unknown, line: number, ctx: ConvertContext, text: string): never {
  if (e instanceof EngineError) {
    const detail = `line ${line}, column ${ctx.columnName}: "${text.length > 100 ? text.slice(0, 100) + '…' : text}"`
    const err = new ExecutionError(e.code, e.message, { detail: e.detail !== undefined ? `${e.detail}; ${detail}` : detail, ...(e.hint !== undefined ? { hint: e.hint } : {}) })
    throw err
  }
  throw e
}

/**
 * Converts field `col` of records [r0, r1) to a vector of `type`. Records must have been checked
 * to have enough fields.
 */
export function convertColumn(buf: Uint8Array, tok: Tokens, r0: number, r1: number, col: number, type: SqlType, ctx: ConvertContext): Vector {
  const n = r1 - r0
  const validity = new Uint8Array(bitmapBytes(n)).fill(0xff)
  let nulls = 0
  const fs = tok.fStart
  const fe = tok.fEnd
  const ff = tok.fFlags
  const rf = tok.rFirst
  const slow = (i: number, k: number): Value => {
    const text = fieldText(buf, fs[k]!, fe[k]!, ff[k]!, ctx.fmt)
    try {
      return parseValue(type, text, ctx.timezone !== undefined ? { timezone: ctx.timezone } : undefined)
    } catch (e) {
      return withLine(e, tok.rLine[r0 + i]!, ctx, text)
    }
  }
  const markNull = (i: number): void => {
    validity[i >> 3]! &= ~(1 << (i & 7))
    nulls++
  }
  const layout = layoutOf(type)
  const finish = (v: Omit<Vector, 'validity'>): Vector => ({ ...v, validity: nulls === 0 ? null : validity })

  if (type.id === 'text' || (type.id === 'varchar' && type.length === null)) {
    // text: copy the bytes (unescaping where needed); no JS strings
    let total = 0
    for (let i = 0; i < n; i++) {
      const k = rf[r0 + i]! + col
      total += fe[k]! - fs[k]!
    }
    const values = new Uint8Array(total)
    const offsets = new Int32Array(n + 1)
    let pos = 0
    for (let i = 0; i < n; i++) {
      const k = rf[r0 + i]! + col
      const s = fs[k]!
      const e = fe[k]!
      const fl = ff[k]!
      if (isNullField(buf, s, e, fl, ctx)) markNull(i)
      else if ((fl & RAW) === 0 && e - s > 32) {
        values.set(buf.subarray(s, e), pos)
        pos += e - s
      } else pos += unescapeInto(buf, s, e, fl, ctx.fmt, values, pos)
      offsets[i + 1] = pos
    }
    const bad = invalidUtf8At(values, 0, pos)
    if (bad >= 0) {
      let row = 0
      while (offsets[row + 1]! <= bad) row++
      const byte = values[bad]!.toString(16).padStart(2, '0')
      throw new ExecutionError(SqlState.characterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0x${byte}`, {
        detail: `line ${tok.rLine[r0 + row]!}, column ${ctx.columnName}`,
      })
    }
    return finish({ type, length: n, values: pos === total ? values : values.subarray(0, pos), offsets })
  }

  if (layout === 'utf8' || layout === 'list' || layout === 'interval') {
    const vals: Value[] = new Array(n)
    for (let i = 0; i < n; i++) {
      const k = rf[r0 + i]! + col
      if (isNullField(buf, fs[k]!, fe[k]!, ff[k]!, ctx)) {
        markNull(i)
        vals[i] = null
      } else vals[i] = slow(i, k)
    }
    return valuesToVector(type, vals, nulls === 0 ? null : validity)
  }

  // fixed-width types
  const out = allocFixed(layout, n)
  switch (type.id) {
    case 'int2':
    case 'int4':
    case 'int8': {
      const lo = type.id === 'int2' ? -32768 : type.id === 'int4' ? -2147483648 : -Number.MAX_SAFE_INTEGER
      const hi = type.id === 'int2' ? 32767 : type.id === 'int4' ? 2147483647 : Number.MAX_SAFE_INTEGER
      // int8 values past ±2^53 switch the column to the wide layout (exact 64-bit)
      let wide: BigInt64Array | null = null
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        let q = s
        let neg = false
        const c0 = buf[q]
        if (c0 === 45) {
          neg = true
          q++
        } else if (c0 === 43) q++
        let v = 0
        let ok = q < e && e - q <= 15 && (ff[k]! & RAW) === 0
        for (; ok && q < e; q++) {
          const d = buf[q]! - 48
          if (d < 0 || d > 9) ok = false
          else v = v * 10 + d
        }
        if (neg) v = -v
        const x = ok && v >= lo && v <= hi ? v + 0 : (slow(i, k) as number | bigint)
        if (wide !== null) wide[i] = BigInt(x)
        else if (typeof x === 'bigint') {
          wide = new BigInt64Array(n)
          for (let j = 0; j < i; j++) wide[j] = BigInt(out[j]!)
          wide[i] = x
        } else out[i] = x
      }
      if (wide !== null) return finish(wideInt8Vector(type, wide, null))
      break
    }
    case 'float4':
    case 'float8': {
      const f4 = type.id === 'float4'
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        let ok = e > s && e - s < 40 && (ff[k]! & RAW) === 0
        let str = ''
        for (let q = s; ok && q < e; q++) {
          const c = buf[q]!
          if ((c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69) str += String.fromCharCode(c)
          else ok = false
        }
        let v = ok ? Number(str) : NaN
        if (f4) v = Math.fround(v)
        if (ok && Number.isFinite(v) && (v !== 0 || !/[1-9]/.test(str.replace(/[eE].*$/, '')))) out[i] = v
        else out[i] = slow(i, k) as number
      }
      break
    }
    case 'numeric': {
      const scale = type.scale!
      const maxInt = type.precision === null ? 15 : type.precision - scale
      const limit = type.precision === null ? Number.MAX_SAFE_INTEGER : Math.min(Number.MAX_SAFE_INTEGER, pow10(type.precision) - 1)
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        const v = (ff[k]! & RAW) === 0 ? scaledFast(buf, s, e, scale, maxInt) : NaN
        if (v === v && Math.abs(v) <= limit) {
          out[i] = v + 0
          continue
        }
        const r = slow(i, k)
        out[i] = numericTextToScaled(String(r), scale)
      }
      break
    }
    case 'date': {
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        const d = e - s === 10 && (ff[k]! & RAW) === 0 ? dateFast(buf, s) : NaN
        out[i] = d === d ? d : (slow(i, k) as number)
      }
      break
    }
    case 'timestamp': {
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        const t = (ff[k]! & RAW) === 0 ? timestampFast(buf, s, e) : NaN
        out[i] = t === t ? t : (slow(i, k) as number)
      }
      break
    }
    case 'bool': {
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        const s = fs[k]!
        const e = fe[k]!
        if (isNullField(buf, s, e, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        const b = e - s === 1 ? buf[s]! | 0x20 : -1
        if (b === 116) out[i] = 1
        else if (b === 102) out[i] = 0
        else out[i] = slow(i, k) === true ? 1 : 0
      }
      break
    }
    default: {
      for (let i = 0; i < n; i++) {
        const k = rf[r0 + i]! + col
        if (isNullField(buf, fs[k]!, fe[k]!, ff[k]!, ctx)) {
          markNull(i)
          continue
        }
        const v = slow(i, k)
        out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number)
      }
    }
  }
  return finish({ type, length: n, values: out })
}

/** Index of the first byte of an invalid UTF-8 sequence in bytes[s, e), or -1. */
export function invalidUtf8At(b: Uint8Array, s: number, e: number): number {
  let k = s
  while (k < e) {
    const c = b[k]!
    if (c < 0x80) {
      k++
      continue
    }
    let need: number
    let min: number
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1
      min = 0x80
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2
      min = 0x800
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3
      min = 0x10000
    } else return k
    if (k + need >= e) return k
    let cp = c & (0x3f >> need)
    for (let m = 1; m <= need; m++) {
      const x = b[k + m]
      if (x === undefined || k + m >= e || (x & 0xc0) !== 0x80) return k
      cp = (cp << 6) | (x & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return k
    k += need + 1
  }
  return -1
}

function allocFixed(layout: string, n: number): Values {
  switch (layout) {
    case 'u8':
      return new Uint8Array(n)
    case 'i16':
      return new Int16Array(n)
    case 'i32':
      return new Int32Array(n)
    case 'f32':
      return new Float32Array(n)
    default:
      return new Float64Array(n)
  }
}

/** numeric text (already at the scale or special) → scaled double (NaN/±Infinity kept). */
function numericTextToScaled(text: string, scale: number): number {
  if (text === 'NaN') return NaN
  if (text === 'Infinity') return Infinity
  if (text === '-Infinity') return -Infinity
  const neg = text.startsWith('-')
  const [ip, fp = ''] = (neg ? text.slice(1) : text).split('.')
  const digits = (ip ?? '') + fp.padEnd(scale, '0').slice(0, scale)
  const v = Number(digits)
  if (!Number.isSafeInteger(v)) {
    throw new ExecutionError(SqlState.numericValueOutOfRange, `numeric value ${text} is out of the range Flint holds for this column`)
  }
  return neg ? -v : v
}

/** Parses [+-]digits[.digits] at `scale`, rounding half away from zero; NaN when not that simple. */
function scaledFast(buf: Uint8Array, s: number, e: number, scale: number, maxInt: number): number {
  let q = s
  let neg = false
  if (buf[q] === 45) {
    neg = true
    q++
  } else if (buf[q] === 43) q++
  let v = 0
  let intDigits = 0
  let any = false
  while (q < e) {
    const d = buf[q]! - 48
    if (d < 0 || d > 9) break
    if (v !== 0 || d !== 0) intDigits++
    v = v * 10 + d
    any = true
    q++
  }
  if (intDigits > maxInt || intDigits > 15) return NaN
  let fd = 0
  if (q < e && buf[q] === 46) {
    q++
    while (q < e) {
      const d = buf[q]! - 48
      if (d < 0 || d > 9) return NaN
      any = true
      if (fd < scale) {
        v = v * 10 + d
        fd++
      } else if (fd === scale) {
        // first dropped digit decides the rounding; the rest must still be digits
        if (d >= 5) v += 1
        fd++
      }
      q++
    }
  }
  if (q !== e || !any) return NaN
  for (let k = Math.min(fd, scale); k < scale; k++) v *= 10
  if (v > Number.MAX_SAFE_INTEGER) return NaN
  return neg ? -v : v
}

const mdays = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function digits(buf: Uint8Array, s: number, n: number): number {
  let v = 0
  for (let k = s; k < s + n; k++) {
    const d = buf[k]! - 48
    if (d < 0 || d > 9) return NaN
    v = v * 10 + d
  }
  return v
}

/** YYYY-MM-DD → days, NaN when not that form or not a valid date. */
function dateFast(buf: Uint8Array, s: number): number {
  if (buf[s + 4] !== 45 || buf[s + 7] !== 45) return NaN
  const y = digits(buf, s, 4)
  const m = digits(buf, s + 5, 2)
  const d = digits(buf, s + 8, 2)
  if (!(y >= 1) || !(m >= 1 && m <= 12) || !(d >= 1)) return NaN
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  if (d > (m === 2 && leap ? 29 : mdays[m]!)) return NaN
  return daysFromCivil(y, m, d)
}

/** YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]] → microseconds, NaN otherwise. */
function timestampFast(buf: Uint8Array, s: number, e: number): number {
  const len = e - s
  if (len < 16) return NaN
  const days = dateFast(buf, s)
  if (days !== days) return NaN
  const sep = buf[s + 10]
  if (sep !== 32 && sep !== 84) return NaN
  if (buf[s + 13] !== 58) return NaN
  const h = digits(buf, s + 11, 2)
  const mi = digits(buf, s + 14, 2)
  let sec = 0
  let frac = 0
  let q = s + 16
  if (q < e) {
    if (buf[q] !== 58 || q + 3 > e) return NaN
    sec = digits(buf, q + 1, 2)
    q += 3
    if (q < e) {
      if (buf[q] !== 46) return NaN
      q++
      let nd = 0
      while (q < e && nd < 6) {
        const d = buf[q]! - 48
        if (d < 0 || d > 9) return NaN
        frac = frac * 10 + d
        nd++
        q++
      }
      if (q < e || nd === 0) return NaN // more than 6 digits: PostgreSQL rounds; leave it to the full parser
      for (; nd < 6; nd++) frac *= 10
    }
  }
  if (!(h <= 23) || !(mi <= 59) || !(sec <= 59)) return NaN
  return days * 86400000000 + ((h * 60 + mi) * 60 + sec) * 1000000 + frac
}

/** Builds a vector from parsed values (slow path for the less common types). */
function valuesToVector(type: SqlType, vals: readonly Value[], validity: Uint8Array | null): Vector {
  const n = vals.length
  const layout = layoutOf(type)
  if (layout === 'utf8') {
    const enc = new TextEncoder()
    const parts: Uint8Array[] = new Array(n)
    let total = 0
    for (let i = 0; i < n; i++) {
      const v = vals[i]
      const b = v === null || v === undefined ? new Uint8Array(0) : enc.encode(String(v))
      parts[i] = b
      total += b.length
    }
    const values = new Uint8Array(total)
    const offsets = new Int32Array(n + 1)
    let pos = 0
    for (let i = 0; i < n; i++) {
      values.set(parts[i]!, pos)
      pos += parts[i]!.length
      offsets[i + 1] = pos
    }
    return { type, length: n, values, validity, offsets }
  }
  if (layout === 'interval') {
    const out = new Float64Array(3 * n)
    for (let i = 0; i < n; i++) {
      const v = vals[i] as IntervalValue | null
      if (v === null) continue
      out[3 * i] = v.months
      out[3 * i + 1] = v.days
      out[3 * i + 2] = v.micros
    }
    return { type, length: n, values: out, validity }
  }
  // list
  const element = (type as { element: SqlType }).element
  const offsets = new Int32Array(n + 1)
  const flat: Value[] = []
  for (let i = 0; i < n; i++) {
    const v = vals[i]
    if (v !== null && v !== undefined) for (const x of v as readonly Value[]) flat.push(x)
    offsets[i + 1] = flat.length
  }
  let cv: Uint8Array | null = null
  flat.forEach((x, i) => {
    if (x === null) {
      cv ??= new Uint8Array(bitmapBytes(flat.length)).fill(0xff)
      cv[i >> 3]! &= ~(1 << (i & 7))
    }
  })
  const child = elementVector(element, flat, cv)
  return { type, length: n, values: new Uint8Array(0), validity, offsets, child }
}

function elementVector(type: SqlType, vals: readonly Value[], validity: Uint8Array | null): Vector {
  const layout = layoutOf(type)
  if (layout === 'utf8' || layout === 'interval' || layout === 'list') return valuesToVector(type, vals, validity)
  const out = allocFixed(layout, vals.length)
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i]
    if (v === null || v === undefined) continue
    if (type.id === 'numeric') out[i] = numericTextToScaled(String(v), type.scale!)
    else out[i] = typeof v === 'boolean' ? (v ? 1 : 0) : (v as number)
  }
  return { type, length: vals.length, values: out, validity }
}

// ---------------------------------------------------------------------------------------------
// Records → batches
// ---------------------------------------------------------------------------------------------

/** Checks the field count of records [r0, r1) (22P04 with PostgreSQL's messages). */
export function checkFieldCounts(tok: Tokens, r0: number, r1: number, ncol: number, names: readonly string[] | undefined): void {
  for (let r = r0; r < r1; r++) {
    const c = tok.count(r)
    if (c === ncol) continue
    const line = tok.rLine[r]!
    if (c > ncol) throw new ExecutionError('22P04', 'extra data after last expected column', { detail: `line ${line}` })
    const name = names?.[c] ?? `column${c + 1}`
    throw new ExecutionError('22P04', `missing data for column "${name}"`, { detail: `line ${line}` })
  }
}

/** Converts records [r0, r1) into a batch of the projected columns. */
export function recordsToBatch(
  buf: Uint8Array,
  tok: Tokens,
  r0: number,
  r1: number,
  types: readonly SqlType[],
  projection: readonly number[],
  ctx: Omit<ConvertContext, 'columnName'>,
  names: readonly string[] | undefined,
): Batch {
  checkFieldCounts(tok, r0, r1, types.length, names)
  const columns = projection.map((c) =>
    convertColumn(buf, tok, r0, r1, c, types[c]!, { ...ctx, columnName: names?.[c] ?? `column${c + 1}` }),
  )
  return { numRows: r1 - r0, columns }
}

/**
 * A push parser for delimited data arriving in pieces (COPY FROM STDIN): `push` chunks, take the
 * finished batches, `finish` at the end of the data.
 */
export class DelimitedParser {
  private readonly fmt: DelimitedFormat
  private readonly tok = new Tokens()
  private readonly state: TokenizerState = { line: 0, ended: false }
  private carry: Uint8Array = new Uint8Array(0)
  private headerPending: boolean
  private readonly nullBytes: Uint8Array
  private readonly projection: number[]
  private readonly batchSize: number
  private rows = 0

  constructor(
    private readonly types: readonly SqlType[],
    private readonly opts: DelimitedOptions = {},
  ) {
    this.fmt = resolveFormat(opts)
    this.headerPending = opts.header === true
    this.nullBytes = new TextEncoder().encode(this.fmt.nullString)
    this.projection = types.map((_, i) => i)
    this.batchSize = opts.batchSize ?? 65536
  }

  /** Rows produced so far. */
  get rowCount(): number {
    return this.rows
  }

  /** True once COPY text format's `\.` marker was seen (later data is ignored). */
  get ended(): boolean {
    return this.state.ended
  }

  /** Adds a chunk of data; returns the batches completed so far (data is parsed in pieces of ~4 MB). */
  push(chunk: Uint8Array): Batch[] {
    if (this.state.ended || chunk.length === 0) return []
    this.pending.push(chunk)
    this.pendingBytes += chunk.length
    if (this.pendingBytes < PARSE_THRESHOLD) return []
    return this.run(this.takePending(), false)
  }

  /** Ends the data; returns the last batches. */
  finish(): Batch[] {
    return this.run(this.takePending(), true)
  }

  private pending: Uint8Array[] = []
  private pendingBytes = 0

  private takePending(): Uint8Array {
    const parts = this.carry.length > 0 ? [this.carry, ...this.pending] : this.pending
    this.pending = []
    this.pendingBytes = 0
    this.carry = new Uint8Array(0)
    if (parts.length === 1) return parts[0]!
    let total = 0
    for (const p of parts) total += p.length
    const buf = new Uint8Array(total)
    let at = 0
    for (const p of parts) {
      buf.set(p, at)
      at += p.length
    }
    return buf
  }

  private run(buf: Uint8Array, final: boolean): Batch[] {
    const out: Batch[] = []
    let pos = 0
    if (this.state.ended) {
      this.carry = new Uint8Array(0)
      return out
    }
    for (;;) {
      this.tok.reset()
      const next = tokenize(buf, pos, buf.length, final, this.fmt, this.tok, this.batchSize + (this.headerPending ? 1 : 0), this.state, false)
      let r0 = 0
      if (this.headerPending && this.tok.nRecords > 0) {
        this.headerPending = false
        r0 = 1
      }
      if (this.tok.nRecords > r0) {
        out.push(
          recordsToBatch(
            buf,
            this.tok,
            r0,
            this.tok.nRecords,
            this.types,
            this.projection,
            { fmt: this.fmt, nullBytes: this.nullBytes, ...(this.opts.timezone !== undefined ? { timezone: this.opts.timezone } : {}) },
            this.opts.columnNames,
          ),
        )
        this.rows += this.tok.nRecords - r0
      }
      const progressed = next > pos
      pos = next
      if (this.state.ended || pos >= buf.length || !progressed) break
    }
    this.carry = this.state.ended || pos >= buf.length ? new Uint8Array(0) : buf.slice(pos)
    return out
  }
}

const PARSE_THRESHOLD = 4 << 20

/** Parses in-memory delimited data (COPY FROM STDIN) into batches of the given column types. */
export function parseDelimited(data: Uint8Array, types: readonly SqlType[], options: DelimitedOptions = {}): Batch[] {
  const p = new DelimitedParser(types, options)
  const out = p.push(data)
  out.push(...p.finish())
  return out
}

// ---------------------------------------------------------------------------------------------
// Output (COPY TO rules)
// ---------------------------------------------------------------------------------------------

/** One CSV line (without the newline) under COPY's CSV output rules; null = NULL. */
export function formatCsvRow(values: readonly (string | null)[], opts: Partial<Pick<DelimitedFormat, 'delimiter' | 'quote' | 'escape' | 'nullString'>> & { readonly forceQuote?: boolean } = {}): string {
  const d = opts.delimiter ?? ','
  const q = opts.quote ?? '"'
  const esc = opts.escape ?? q
  const nul = opts.nullString ?? ''
  let line = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += d
    const v = values[i]
    if (v === null || v === undefined) {
      line += nul
      continue
    }
    line += csvField(v, d, q, esc, nul, opts.forceQuote === true, values.length === 1)
  }
  return line
}

function csvField(v: string, d: string, q: string, esc: string, nul: string, force: boolean, single: boolean): string {
  let quote = force || v === nul || (single && v === '\\.')
  if (!quote) {
    for (let k = 0; k < v.length; k++) {
      const c = v[k]
      if (c === d || c === q || c === '\n' || c === '\r') {
        quote = true
        break
      }
    }
  }
  if (!quote) return v
  let out = q
  for (let k = 0; k < v.length; k++) {
    const c = v[k]!
    if (c === q || c === esc) out += esc
    out += c
  }
  return out + q
}

/** One line (without the newline) of COPY's text format: `\N` for NULL, backslash escapes. */
export function formatCopyTextRow(values: readonly (string | null)[], opts: { readonly delimiter?: string; readonly nullString?: string } = {}): string {
  const d = opts.delimiter ?? '\t'
  const nul = opts.nullString ?? '\\N'
  let line = ''
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += d
    const v = values[i]
    if (v === null || v === undefined) {
      line += nul
      continue
    }
    line += copyTextField(v, d)
  }
  return line
}

function copyTextField(v: string, d: string): string {
  let clean = true
  for (let k = 0; k < v.length; k++) {
    const c = v.charCodeAt(k)
    if (c < 32 || c === 92 || v[k] === d) {
      clean = false
      break
    }
  }
  if (clean) return v
  let out = ''
  for (let k = 0; k < v.length; k++) {
    const ch = v[k]!
    const c = ch.charCodeAt(0)
    if (c < 32) {
      switch (c) {
        case 8:
          out += '\\b'
          break
        case 9:
          out += '\\t'
          break
        case 10:
          out += '\\n'
          break
        case 11:
          out += '\\v'
          break
        case 12:
          out += '\\f'
          break
        case 13:
          out += '\\r'
          break
        default:
          out += ch === d ? '\\' + ch : ch
      }
    } else if (c === 92 || ch === d) out += '\\' + ch
    else out += ch
  }
  return out
}
