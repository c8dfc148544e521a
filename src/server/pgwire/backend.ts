/**
 * Encoding of backend (server → client) messages into a ByteSink, including the hot path that
 * turns result batches into DataRow messages in text or binary format.
 */
import { EngineError, toEngineError } from '../../common/errors.js'
import { typeLen, typeMod, typeOid } from '../../common/types.js'
import { isNull, type Batch, type Vector } from '../../common/vector.js'
import { formatFloat, formatValue, type FormatContext } from '../../kernels/format.js'
import type { Notice, ResultColumn, TransactionStatus } from '../../session/api.js'
import { writeBinaryField } from './binary.js'
import type { ByteSink } from './byte-sink.js'

/** Authentication request codes of the 'R' message. */
export const AuthCode = { ok: 0, cleartext: 3, md5: 5, sasl: 10, saslContinue: 11, saslFinal: 12 } as const

/** AuthenticationXXX ('R') with an optional payload after the code. */
export function authentication(sink: ByteSink, code: number, payload?: Uint8Array): void {
  const at = sink.begin(0x52)
  sink.i32(code)
  if (payload !== undefined) sink.bytes(payload)
  sink.end(at)
}

/** AuthenticationSASL listing mechanisms. */
export function authenticationSasl(sink: ByteSink, mechanisms: readonly string[]): void {
  const at = sink.begin(0x52)
  sink.i32(AuthCode.sasl)
  for (const m of mechanisms) sink.cstring(m)
  sink.u8(0)
  sink.end(at)
}

/** ParameterStatus ('S'). */
export function parameterStatus(sink: ByteSink, name: string, value: string): void {
  const at = sink.begin(0x53)
  sink.cstring(name)
  sink.cstring(value)
  sink.end(at)
}

/** BackendKeyData ('K'). */
export function backendKeyData(sink: ByteSink, processId: number, secretKey: number): void {
  const at = sink.begin(0x4b)
  sink.i32(processId)
  sink.i32(secretKey)
  sink.end(at)
}

/** NegotiateProtocolVersion ('v'): newest minor version supported and the options not recognised. */
export function negotiateProtocolVersion(sink: ByteSink, newestMinor: number, unrecognized: readonly string[]): void {
  const at = sink.begin(0x76)
  sink.i32(newestMinor)
  sink.i32(unrecognized.length)
  for (const o of unrecognized) sink.cstring(o)
  sink.end(at)
}

/** ReadyForQuery ('Z') with the transaction status. */
export function readyForQuery(sink: ByteSink, status: TransactionStatus): void {
  const at = sink.begin(0x5a)
  sink.u8(status.charCodeAt(0))
  sink.end(at)
}

/** A message with no contents (ParseComplete '1', BindComplete '2', CloseComplete '3', NoData 'n', PortalSuspended 's', EmptyQueryResponse 'I', CopyDone 'c'). */
export function emptyMessage(sink: ByteSink, type: '1' | '2' | '3' | 'n' | 's' | 'I' | 'c'): void {
  sink.u8(type.charCodeAt(0))
  sink.i32(4)
}

/** RowDescription ('T'); `formats` gives each column's format code (missing = text). */
export function rowDescription(sink: ByteSink, columns: readonly ResultColumn[], formats: readonly number[] = []): void {
  const at = sink.begin(0x54)
  sink.i16(columns.length)
  columns.forEach((c, k) => {
    sink.cstring(c.name)
    sink.u32(c.tableOid)
    sink.i16(c.columnNumber)
    sink.u32(typeOid(c.type))
    sink.i16(typeLen(c.type))
    sink.i32(typeMod(c.type))
    sink.i16(formats[k] ?? 0)
  })
  sink.end(at)
}

/** ParameterDescription ('t'). */
export function parameterDescription(sink: ByteSink, oids: readonly number[]): void {
  const at = sink.begin(0x74)
  sink.i16(oids.length)
  for (const o of oids) sink.u32(o)
  sink.end(at)
}

/** CommandComplete ('C'). */
export function commandComplete(sink: ByteSink, tag: string): void {
  const at = sink.begin(0x43)
  sink.cstring(tag)
  sink.end(at)
}

/** CopyInResponse ('G') or CopyOutResponse ('H'). */
export function copyResponse(sink: ByteSink, dir: 'in' | 'out', format: 'text' | 'csv' | 'binary', columnCount: number): void {
  const at = sink.begin(dir === 'in' ? 0x47 : 0x48)
  const code = format === 'binary' ? 1 : 0
  sink.u8(code)
  sink.i16(columnCount)
  for (let k = 0; k < columnCount; k++) sink.i16(code)
  sink.end(at)
}

/** CopyData ('d'). */
export function copyData(sink: ByteSink, data: Uint8Array): void {
  const at = sink.begin(0x64)
  sink.bytes(data)
  sink.end(at)
}

/** Fields of an ErrorResponse or NoticeResponse. */
export interface ReportFields {
  readonly severity: string
  readonly code: string
  readonly message: string
  readonly detail?: string | undefined
  readonly hint?: string | undefined
  readonly position?: number | undefined
}

function report(sink: ByteSink, type: number, f: ReportFields): void {
  const at = sink.begin(type)
  const field = (code: string, value: string | undefined): void => {
    if (value === undefined) return
    sink.u8(code.charCodeAt(0))
    sink.cstring(value)
  }
  field('S', f.severity)
  field('V', f.severity)
  field('C', f.code)
  field('M', f.message)
  field('D', f.detail)
  field('H', f.hint)
  field('P', f.position !== undefined ? String(f.position) : undefined)
  sink.u8(0)
  sink.end(at)
}

/** What an ErrorResponse reports of an error. */
export interface WireError {
  readonly code: string
  readonly message: string
  readonly detail?: string | undefined
  readonly hint?: string | undefined
  readonly position?: number | undefined
}

/**
 * The reportable fields of anything thrown. Engine errors are recognised by their fields as well as
 * by class, since an error built by another instance of common/errors.ts (another module loader,
 * a revived worker error) is not `instanceof EngineError`; anything else becomes XX000.
 */
export function wireError(e: unknown): WireError {
  if (e instanceof EngineError) return e
  if (typeof e === 'object' && e !== null) {
    const x = e as { code?: unknown; message?: unknown; kind?: unknown; detail?: unknown; hint?: unknown; position?: unknown }
    if (typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code) && typeof x.message === 'string' && typeof x.kind === 'string') {
      return {
        code: x.code,
        message: x.message,
        detail: typeof x.detail === 'string' ? x.detail : undefined,
        hint: typeof x.hint === 'string' ? x.hint : undefined,
        position: typeof x.position === 'number' ? x.position : undefined,
      }
    }
  }
  return toEngineError(e)
}

/** ErrorResponse ('E') for an error, with severity ERROR or FATAL. */
export function errorResponse(sink: ByteSink, e: WireError, severity: 'ERROR' | 'FATAL' = 'ERROR'): void {
  report(sink, 0x45, { severity, code: e.code, message: e.message, detail: e.detail, hint: e.hint, position: e.position })
}

/** NoticeResponse ('N'). */
export function noticeResponse(sink: ByteSink, n: Notice): void {
  report(sink, 0x4e, { severity: n.severity, code: n.code, message: n.message, detail: n.detail })
}

// ---------------------------------------------------------------------------------------------
// DataRow

/** Writes one field of row i (Int32 length + bytes, or -1 for NULL). */
export type FieldWriter = (sink: ByteSink, i: number) => void

/** Settings that change text output (the session's TimeZone and how it names reg* values). */
export type OutputContext = FormatContext

/** A writer for one column's fields in the given format (0 text, 1 binary). */
export function fieldWriter(v: Vector, format: number, ctx: OutputContext): FieldWriter {
  const hasNulls = v.validity !== null
  if (format === 1) {
    return (sink, i) => {
      if (hasNulls && isNull(v, i)) return sink.i32(-1)
      const at = sink.reserve4()
      writeBinaryField(sink, v, i)
      sink.patchLength(at)
    }
  }
  const vals = v.values
  switch (v.type.id) {
    case 'text':
    case 'varchar':
    case 'name':
    case 'char':
    case 'json':
    case 'unknown': {
      const off = v.offsets!
      const bytes = vals as Uint8Array
      return (sink, i) => {
        if (hasNulls && isNull(v, i)) return sink.i32(-1)
        const a = off[i]!
        const b = off[i + 1]!
        sink.i32(b - a)
        sink.bytes(bytes, a, b)
      }
    }
    case 'int2':
    case 'int4':
    case 'int8':
    case 'oid':
      return (sink, i) => {
        if (hasNulls && isNull(v, i)) return sink.i32(-1)
        sink.lengthPrefixedUtf8(String(vals[i]!))
      }
    case 'bool':
      return (sink, i) => {
        if (hasNulls && isNull(v, i)) return sink.i32(-1)
        sink.i32(1)
        sink.u8(vals[i]! !== 0 ? 0x74 : 0x66)
      }
    case 'float8':
      return (sink, i) => {
        if (hasNulls && isNull(v, i)) return sink.i32(-1)
        sink.lengthPrefixedUtf8(formatFloat(vals[i]!, false))
      }
    default: {
      return (sink, i) => {
        const s = formatValue(v, i, ctx)
        if (s === null) sink.i32(-1)
        else sink.lengthPrefixedUtf8(s)
      }
    }
  }
}

/** Writes DataRow messages for rows [from, to) of a batch, one writer per column. */
export function dataRows(sink: ByteSink, writers: readonly FieldWriter[], from: number, to: number): void {
  const n = writers.length
  for (let i = from; i < to; i++) {
    const at = sink.begin(0x44)
    sink.i16(n)
    for (let c = 0; c < n; c++) writers[c]!(sink, i)
    sink.end(at)
  }
}

/** Field writers for every column of a batch. */
export function batchWriters(batch: Batch, formats: readonly number[], ctx: OutputContext): FieldWriter[] {
  return batch.columns.map((v, k) => fieldWriter(v, formats[k] ?? 0, ctx))
}
