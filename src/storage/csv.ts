/**
 * CSV files: type inference from a sample, streaming typed reads (the file is read in chunks, never
 * whole), and an atomic writer with COPY's output rules. Tokenizing and field conversion live in
 * delimited.ts.
 */
import * as fsp from 'node:fs/promises'
import { EngineError, ExecutionError, SqlState } from '../common/errors.js'
import { numericType, T, type SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import { formatVector } from '../kernels/format.js'
import type { ColumnDef } from './arrow.js'
import {
  fieldText,
  formatCopyTextRow,
  formatCsvRow,
  recordsToBatch,
  resolveFormat,
  tokenize,
  Tokens,
  type DelimitedFormat,
  type DelimitedOptions,
  type TokenizerState,
} from './delimited.js'
import { atomicWrite, fileError, noSuchFile, resolveFiles, writeAll } from './files.js'

/** Options for reading a CSV (or COPY text format) file. */
export interface CsvOptions extends DelimitedOptions {
  /** The file's columns; when given, no inference is done. */
  readonly columns?: readonly ColumnDef[] | undefined
  /** Records sampled for inference (default 1000). */
  readonly sampleRows?: number | undefined
  /** Inferred type of decimal columns: exact numeric(15,s) while 15 digits hold them (default), or float8. */
  readonly decimals?: 'numeric' | 'float8' | undefined
  /** Bytes read at a time (default 8 MB). */
  readonly chunkSize?: number | undefined
}

/** The resolved layout of a CSV file: its columns, whether it has a header, and the dialect. */
export interface CsvSchema {
  readonly columns: readonly ColumnDef[]
  readonly header: boolean
  readonly format: DelimitedFormat
}

/** Options for writing CSV / COPY text files. */
export interface CsvWriteOptions {
  readonly format?: 'csv' | 'text' | undefined
  readonly header?: boolean | undefined
  readonly delimiter?: string | undefined
  readonly quote?: string | undefined
  readonly escape?: string | undefined
  readonly nullString?: string | undefined
  /** Quote every non-NULL field (COPY's FORCE_QUOTE *). */
  readonly forceQuote?: boolean | undefined
  /** Session TimeZone for timestamptz output. */
  readonly timezone?: string | undefined
}

const CHUNK = 8 << 20
const SNIFF_BYTES = 1 << 20

async function openForRead(path: string): Promise<fsp.FileHandle> {
  try {
    const st = await fsp.stat(path)
    if (st.isDirectory()) throw new ExecutionError(SqlState.ioError, `could not open file "${path}" for reading: Is a directory`)
    return await fsp.open(path, 'r')
  } catch (e) {
    if (e instanceof EngineError) throw e
    throw fileError(e, path)
  }
}

/** The first bytes of a file (up to `max`), without a UTF-8 byte-order mark. */
async function head(path: string, max: number): Promise<{ bytes: Uint8Array; eof: boolean }> {
  const fh = await openForRead(path)
  try {
    const buf = new Uint8Array(max)
    let n = 0
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, max - n, null)
      if (bytesRead === 0) break
      n += bytesRead
      if (n === max) break
    }
    const eof = n < max
    const bom = n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
    return { bytes: buf.subarray(bom, n), eof }
  } finally {
    await fh.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Inference
// ---------------------------------------------------------------------------------------------

/** Candidate-type bits of a sampled value. */
const B_BOOL = 1
const B_INT4 = 2
const B_INT8 = 4
const B_NUM = 8
const B_FLOAT = 16
const B_DATE = 32
const B_TS = 64
const B_TSTZ = 128
const ALL = 255

const intRe = /^[+-]?\d+$/
const decRe = /^[+-]?(\d+\.\d*|\.\d+)$/
const floatRe = /^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$|^[+-]?(inf|infinity|nan)$/i
const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/
const tsRe = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?$/
const tstzRe = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(:\d{2}(\.\d{1,6})?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$/i
const boolRe = /^(true|false|t|f)$/i

function validYmd(y: string, m: string, d: string): boolean {
  const yy = Number(y)
  const mm = Number(m)
  const dd = Number(d)
  if (yy < 1 || mm < 1 || mm > 12 || dd < 1) return false
  const leap = (yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0
  const md = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mm - 1]!
  return dd <= md
}

interface ColumnGuess {
  mask: number
  seen: number
  maxScale: number
  maxIntDigits: number
}

function classify(v: string, g: ColumnGuess): void {
  g.seen++
  let m = 0
  if (boolRe.test(v)) m = B_BOOL
  else if (intRe.test(v)) {
    const digits = v.replace(/^[+-]?0*/, '')
    const n = Number(v)
    m = B_NUM | B_FLOAT
    if (digits.length <= 16 && Number.isSafeInteger(n)) {
      m |= B_INT8
      if (n >= -2147483648 && n <= 2147483647) m |= B_INT4
    }
    g.maxIntDigits = Math.max(g.maxIntDigits, digits.length)
  } else if (decRe.test(v)) {
    m = B_NUM | B_FLOAT
    const body = v.replace(/^[+-]/, '')
    const [ip = '', fp = ''] = body.split('.')
    g.maxScale = Math.max(g.maxScale, fp.length)
    g.maxIntDigits = Math.max(g.maxIntDigits, ip.replace(/^0+/, '').length)
  } else if (floatRe.test(v)) m = B_FLOAT
  else {
    let r = dateRe.exec(v)
    if (r !== null && validYmd(r[1]!, r[2]!, r[3]!)) m = B_DATE | B_TS | B_TSTZ
    else if ((r = tsRe.exec(v)) !== null && validYmd(r[1]!, r[2]!, r[3]!) && Number(r[4]) < 24 && Number(r[5]) < 60) m = B_TS | B_TSTZ
    else if ((r = tstzRe.exec(v)) !== null && validYmd(r[1]!, r[2]!, r[3]!) && Number(r[4]) < 24 && Number(r[5]) < 60) m = B_TSTZ
  }
  g.mask &= m
}

function chooseType(g: ColumnGuess, decimals: 'numeric' | 'float8'): SqlType {
  const m = g.mask
  if (g.seen === 0 || m === 0) return T.text
  if (m & B_BOOL) return T.bool
  if (m & B_INT4) return T.int4
  if (m & B_INT8) return T.int8
  if (m & B_NUM) {
    if (decimals === 'float8') return g.maxScale === 0 ? T.numeric : T.float8
    // more than 15 significant digits: printed doubles, most likely
    if (g.maxIntDigits + g.maxScale <= 15) return numericType(15, g.maxScale)
    return T.float8
  }
  if (m & B_FLOAT) return T.float8
  if (m & B_DATE) return T.date
  if (m & B_TS) return T.timestamp
  if (m & B_TSTZ) return T.timestamptz
  return T.text
}

/** Picks the delimiter (`,` `|` `;` tab) giving the most columns, consistently, over the first lines. */
function sniffDelimiter(bytes: Uint8Array, eof: boolean, opts: DelimitedOptions): string {
  let best = ','
  let bestCols = 1
  for (const d of [',', '|', ';', '\t']) {
    const fmt = resolveFormat({ ...opts, delimiter: d })
    const tok = new Tokens()
    try {
      tokenize(bytes, 0, bytes.length, eof, fmt, tok, 50, { line: 0, ended: false }, true)
    } catch {
      continue
    }
    if (tok.nRecords === 0) continue
    const c = tok.count(0)
    let consistent = true
    for (let r = 1; r < tok.nRecords; r++) if (tok.count(r) !== c) consistent = false
    if (consistent && c > bestCols) {
      best = d
      bestCols = c
    }
  }
  return best
}

const schemaCache = new Map<string, Promise<CsvSchema>>()

/**
 * The columns of a CSV file: names from the header (or column0, column1, …) and types inferred from
 * the first `sampleRows` records (bool, int4, int8, numeric(15,s) — float8 beyond 15 digits —, date, timestamp,
 * timestamptz, else text; a column of NULLs only is text). Whether there is a header is detected
 * when `header` is not given; the delimiter too when `delimiter` is not given.
 */
export async function inferCsv(path: string, options: CsvOptions = {}): Promise<CsvSchema> {
  const { bytes, eof } = await head(path, SNIFF_BYTES)
  const format = options.format ?? 'csv'
  const delimiter = options.delimiter ?? (format === 'csv' ? sniffDelimiter(bytes, eof, options) : '\t')
  const fmt = resolveFormat({ ...options, delimiter })
  if (options.columns !== undefined) return { columns: options.columns, header: options.header ?? false, format: fmt }
  const sample = options.sampleRows ?? 1000
  const tok = new Tokens()
  const state: TokenizerState = { line: 0, ended: false }
  let buf = bytes
  let final = eof
  let more = !eof
  tokenize(buf, 0, buf.length, final, fmt, tok, sample + 1, state, true)
  if (tok.nRecords < sample + 1 && more) {
    // the sample needs more than the sniffed head: read further, up to 64 MB
    const fh = await openForRead(path)
    try {
      const parts: Uint8Array[] = [bytes]
      let total = bytes.length
      let offset = total + (await bomLength(fh))
      while (more && total < 64 << 20) {
        const chunk = new Uint8Array(CHUNK)
        const { bytesRead } = await fh.read(chunk, 0, CHUNK, offset)
        if (bytesRead === 0) {
          more = false
          break
        }
        offset += bytesRead
        parts.push(chunk.subarray(0, bytesRead))
        total += bytesRead
        buf = joinParts(parts, total)
        tok.reset()
        state.line = 0
        tokenize(buf, 0, buf.length, false, fmt, tok, sample + 1, state, true)
        if (tok.nRecords >= sample + 1) break
      }
      final = !more
      buf = joinParts(parts, total)
    } finally {
      await fh.close()
    }
    tok.reset()
    state.line = 0
    tokenize(buf, 0, buf.length, final, fmt, tok, sample + 1, state, true)
  }
  if (tok.nRecords === 0) {
    if (options.header === true) throw new ExecutionError('22P04', `CSV file "${path}" has no header line`)
    throw new ExecutionError('22P04', `could not infer the columns of empty CSV file "${path}"`)
  }
  const ncol = tok.count(0)
  const nullBytes = new TextEncoder().encode(fmt.nullString)
  const text = (r: number, c: number): string | null => {
    if (c >= tok.count(r)) return null
    const k = tok.rFirst[r]! + c
    const s = tok.fStart[k]!
    const e = tok.fEnd[k]!
    const flags = tok.fFlags[k]!
    const quoted = fmt.format === 'csv' && (flags & 1) !== 0
    if (!quoted && e - s === nullBytes.length && nullBytes.every((b, i) => buf[s + i] === b)) return null
    return fieldText(buf, s, e, flags, fmt)
  }
  const guess = (from: number): ColumnGuess[] => {
    const gs: ColumnGuess[] = Array.from({ length: ncol }, () => ({ mask: ALL, seen: 0, maxScale: 0, maxIntDigits: 0 }))
    for (let r = from; r < Math.min(tok.nRecords, from + sample); r++) {
      for (let c = 0; c < ncol; c++) {
        const v = text(r, c)
        if (v !== null) classify(v, gs[c]!)
      }
    }
    return gs
  }
  const decimals = options.decimals ?? 'numeric'
  const withoutFirst = guess(1)
  let header = options.header
  if (header === undefined) {
    header = false
    if (tok.nRecords > 1) {
      const typesRest = withoutFirst.map((g) => chooseType(g, decimals))
      const all = guess(0).map((g) => chooseType(g, decimals))
      // the first line is a header when it breaks a column that is typed without it
      header = typesRest.some((t, c) => t.id !== 'text' && all[c]!.id === 'text' && text(0, c) !== null)
    }
  }
  const gs = header ? withoutFirst : guess(0)
  const names: string[] = []
  const used = new Set<string>()
  for (let c = 0; c < ncol; c++) {
    let name = header ? (text(0, c) ?? '') : `column${c}`
    if (name === '') name = `column${c}`
    let unique = name
    for (let k = 1; used.has(unique); k++) unique = `${name}_${k}`
    used.add(unique)
    names.push(unique)
  }
  const columns = names.map((name, c) => ({ name, type: chooseType(gs[c]!, decimals) }))
  return { columns, header, format: fmt }
}

async function bomLength(fh: fsp.FileHandle): Promise<number> {
  const b = new Uint8Array(3)
  const { bytesRead } = await fh.read(b, 0, 3, 0)
  return bytesRead === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0
}

function joinParts(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** inferCsv cached per thread by path, size, mtime and options. */
export async function csvSchema(path: string, options: CsvOptions = {}): Promise<CsvSchema> {
  if (options.columns !== undefined) return inferCsv(path, options)
  let st
  try {
    st = await fsp.stat(path)
  } catch (e) {
    throw fileError(e, path)
  }
  const key = JSON.stringify([path, st.size, st.mtimeMs, options])
  let hit = schemaCache.get(key)
  if (hit === undefined) {
    hit = inferCsv(path, options)
    schemaCache.set(key, hit)
    hit.catch(() => schemaCache.delete(key))
    if (schemaCache.size > 256) schemaCache.delete(schemaCache.keys().next().value as string)
  }
  return hit
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

/**
 * Streams a CSV file as typed batches of the projected columns (all by default). The file is read
 * in 8 MB chunks; records may span chunks. Errors are 22P02/22P04/22003… with the line in the detail.
 */
export async function* readCsv(path: string, options: CsvOptions = {}, projection: { readonly columns?: readonly number[] | undefined } = {}): AsyncGenerator<Batch> {
  const schema = await csvSchema(path, options)
  const types = schema.columns.map((c) => c.type)
  const names = schema.columns.map((c) => c.name)
  const cols = projection.columns ?? types.map((_, i) => i)
  const fmt = schema.format
  const batchSize = options.batchSize ?? 65536
  const nullBytes = new TextEncoder().encode(fmt.nullString)
  const ctx = { fmt, nullBytes, ...(options.timezone !== undefined ? { timezone: options.timezone } : {}) }
  const fh = await openForRead(path)
  try {
    const tok = new Tokens()
    const state: TokenizerState = { line: 0, ended: false }
    let carry = new Uint8Array(0)
    let headerPending = schema.header
    let first = true
    for (;;) {
      const buf = new Uint8Array(carry.length + (options.chunkSize ?? CHUNK))
      buf.set(carry)
      let len = carry.length
      let eof = false
      while (len < buf.length) {
        const { bytesRead } = await fh.read(buf, len, buf.length - len, null)
        if (bytesRead === 0) {
          eof = true
          break
        }
        len += bytesRead
      }
      let pos = 0
      if (first) {
        first = false
        if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3
      }
      for (;;) {
        tok.reset()
        const max = batchSize + (headerPending ? 1 : 0)
        const next = tokenize(buf, pos, len, eof, fmt, tok, max, state, true)
        let r0 = 0
        if (headerPending && tok.nRecords > 0) {
          headerPending = false
          r0 = 1
        }
        if (tok.nRecords > r0) yield recordsToBatch(buf, tok, r0, tok.nRecords, types, cols, ctx, names)
        const progressed = next > pos
        pos = next
        if (!progressed || pos >= len || state.ended) break
      }
      if (eof || state.ended) break
      carry = buf.slice(pos, len)
    }
  } finally {
    await fh.close()
  }
}

/** Files of a CSV table (a file, a directory of .csv/.tsv/.txt/.tbl files, or a glob) and the schema of the first. */
export async function openCsvTable(pattern: string, options: CsvOptions = {}): Promise<{ files: string[]; schema: CsvSchema }> {
  const files = await resolveFiles(pattern, { extensions: ['.csv', '.tsv', '.txt', '.tbl', '.csv.gz'] })
  const first = files[0]
  if (first === undefined) throw noSuchFile(pattern)
  return { files, schema: await csvSchema(first, options) }
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/**
 * Writes batches as CSV or COPY text format, atomically (temporary file, fsync, rename). Values are
 * printed with PostgreSQL's output functions; text columns go out as they are.
 */
export async function writeCsv(
  path: string,
  columns: readonly ColumnDef[],
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  options: CsvWriteOptions = {},
): Promise<{ rows: number }> {
  const format = options.format ?? 'csv'
  const fmt = resolveFormat({
    format,
    ...(options.delimiter !== undefined ? { delimiter: options.delimiter } : {}),
    ...(options.quote !== undefined ? { quote: options.quote } : {}),
    ...(options.escape !== undefined ? { escape: options.escape } : {}),
    ...(options.nullString !== undefined ? { nullString: options.nullString } : {}),
  })
  const row =
    format === 'csv'
      ? (vals: readonly (string | null)[]): string => formatCsvRow(vals, { ...fmt, forceQuote: options.forceQuote === true })
      : (vals: readonly (string | null)[]): string => formatCopyTextRow(vals, fmt)
  const fctx = options.timezone !== undefined ? { timezone: options.timezone } : undefined
  const enc = new TextEncoder()
  let rows = 0
  await atomicWrite(path, async (fh) => {
    let pending = ''
    const flush = async (force: boolean): Promise<void> => {
      if (pending.length === 0 || (!force && pending.length < 1 << 20)) return
      await writeAll(fh, enc.encode(pending))
      pending = ''
    }
    if (options.header === true) pending += (format === 'csv' ? formatCsvRow(columns.map((c) => c.name), fmt) : formatCopyTextRow(columns.map((c) => c.name), fmt)) + '\n'
    for await (const b of batches) {
      const texts = b.columns.map((v) => formatVector(v, fctx))
      const vals = new Array<string | null>(texts.length)
      for (let i = 0; i < b.numRows; i++) {
        for (let c = 0; c < texts.length; c++) vals[c] = texts[c]![i]!
        pending += row(vals) + '\n'
        if (pending.length >= 1 << 20) await flush(true)
      }
      rows += b.numRows
    }
    await flush(true)
  })
  return { rows }
}
