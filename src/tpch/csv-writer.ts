/**
 * Writes Flint batches as standard CSV (RFC 4180: comma separated, a header line, fields quoted
 * when they hold a comma, quote, CR or LF, quotes doubled). Numerics print at their scale
 * ('1234.50'), dates as YYYY-MM-DD; every value of the TPC-H tables is non-NULL, and NULLs print
 * as empty fields.
 */
import { open } from 'node:fs/promises'
import { ExecutionError, NotImplementedError, SqlState } from '../common/errors.js'
import { formatScaled } from '../common/decimal.js'
import { layoutOf } from '../common/types.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import type { ColumnDef } from './schema.js'

const COMMA = 0x2c
const QUOTE = 0x22
const NL = 0x0a
const CR = 0x0d

/** A growing byte buffer flushed to a file handle. */
class Out {
  buf = new Uint8Array(1 << 20)
  pos = 0
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n))
    grown.set(this.buf.subarray(0, this.pos))
    this.buf = grown
  }
  ascii(s: string): void {
    this.reserve(s.length)
    for (let k = 0; k < s.length; k++) this.buf[this.pos++] = s.charCodeAt(k)
  }
}

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n

/** A date (days since 1970-01-01) as YYYY-MM-DD (years 1..9999). */
export function formatDate(days: number): string {
  const d = new Date(days * 86_400_000)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

function writeUtf8(out: Out, v: Vector, i: number): void {
  const bytes = v.values as Uint8Array
  const a = v.offsets![i]!
  const b = v.offsets![i + 1]!
  let quote = a === b // an empty string is quoted so that it differs from NULL
  for (let k = a; k < b && !quote; k++) {
    const c = bytes[k]!
    if (c === COMMA || c === QUOTE || c === NL || c === CR) quote = true
  }
  if (!quote) {
    out.reserve(b - a)
    out.buf.set(bytes.subarray(a, b), out.pos)
    out.pos += b - a
    return
  }
  out.reserve(2 * (b - a) + 2)
  out.buf[out.pos++] = QUOTE
  for (let k = a; k < b; k++) {
    const c = bytes[k]!
    if (c === QUOTE) out.buf[out.pos++] = QUOTE
    out.buf[out.pos++] = c
  }
  out.buf[out.pos++] = QUOTE
}

function writeValue(out: Out, v: Vector, i: number): void {
  if (isNull(v, i)) return
  const t = v.type
  if (layoutOf(t) === 'utf8') {
    writeUtf8(out, v, i)
    return
  }
  const x = v.values[i]!
  switch (t.id) {
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
      out.ascii(String(x))
      return
    case 'numeric':
      out.ascii(formatScaled(x, t.scale ?? 0))
      return
    case 'date':
      out.ascii(formatDate(x))
      return
    case 'bool':
      out.ascii(x !== 0 ? 'true' : 'false')
      return
    default:
      throw new NotImplementedError(`CSV output of type ${t.id} is not supported here`)
  }
}

/** Writes the batches (all with `columns`) to a CSV file with a header line; returns the rows written. */
export async function writeCsvFile(path: string, columns: readonly ColumnDef[], batches: Iterable<Batch>): Promise<number> {
  const handle = await open(path, 'w')
  let rows = 0
  try {
    const out = new Out()
    out.ascii(columns.map((c) => c.name).join(',') + '\n')
    for (const batch of batches) {
      const cols = batch.columns
      for (let i = 0; i < batch.numRows; i++) {
        for (let c = 0; c < cols.length; c++) {
          if (c > 0) {
            out.reserve(1)
            out.buf[out.pos++] = COMMA
          }
          writeValue(out, cols[c]!, i)
        }
        out.reserve(1)
        out.buf[out.pos++] = NL
        if (out.pos > 1 << 20) {
          await handle.write(out.buf.subarray(0, out.pos))
          out.pos = 0
        }
      }
      rows += batch.numRows
    }
    if (out.pos > 0) await handle.write(out.buf.subarray(0, out.pos))
  } catch (e) {
    if (e instanceof NotImplementedError) throw e
    throw new ExecutionError(SqlState.ioError, `could not write CSV file "${path}": ${e instanceof Error ? e.message : String(e)}`)
  } finally {
    await handle.close()
  }
  return rows
}
