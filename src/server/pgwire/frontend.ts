/**
 * Decoding of frontend (client → server) messages: the start-up packets and the typed messages of
 * the v3 protocol. Malformed contents raise ProtocolError (08P01) with PostgreSQL's wording.
 */
import { ProtocolError } from '../../common/errors.js'

/** Start-up packet codes (the Int32 after the length). */
export const PROTOCOL_3_0 = 196608
/** SSLRequest code. */
export const SSL_REQUEST = 80877103
/** GSSENCRequest code. */
export const GSSENC_REQUEST = 80877104
/** CancelRequest code. */
export const CANCEL_REQUEST = 80877102

/** A decoded start-up packet. */
export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly processId: number; readonly secretKey: number }
  | { readonly kind: 'startup'; readonly major: number; readonly minor: number; readonly params: ReadonlyMap<string, string> }

/** A decoded typed frontend message. */
export type FrontendMessage =
  | { readonly type: 'Query'; readonly sql: string }
  | { readonly type: 'Parse'; readonly name: string; readonly sql: string; readonly paramTypes: readonly number[] }
  | {
      readonly type: 'Bind'
      readonly portal: string
      readonly statement: string
      readonly paramFormats: readonly number[]
      readonly params: readonly (Buffer | null)[]
      readonly resultFormats: readonly number[]
    }
  | { readonly type: 'Describe'; readonly kind: 'S' | 'P'; readonly name: string }
  | { readonly type: 'Execute'; readonly portal: string; readonly maxRows: number }
  | { readonly type: 'Close'; readonly kind: 'S' | 'P'; readonly name: string }
  | { readonly type: 'Sync' }
  | { readonly type: 'Flush' }
  | { readonly type: 'Terminate' }
  | { readonly type: 'CopyData'; readonly data: Buffer }
  | { readonly type: 'CopyDone' }
  | { readonly type: 'CopyFail'; readonly message: string }
  /** 'p': PasswordMessage, SASLInitialResponse or SASLResponse, told apart by context. */
  | { readonly type: 'Password'; readonly body: Buffer }
  | { readonly type: 'FunctionCall' }

/** A bounds-checked reader over one message body. */
export class BodyReader {
  pos = 0
  constructor(readonly buf: Buffer) {}

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new ProtocolError('insufficient data left in message')
  }
  /** Int8 */
  byte(): number {
    this.need(1)
    return this.buf[this.pos++]!
  }
  /** Int16 */
  int16(): number {
    this.need(2)
    const x = this.buf.readInt16BE(this.pos)
    this.pos += 2
    return x
  }
  /** Int32 */
  int32(): number {
    this.need(4)
    const x = this.buf.readInt32BE(this.pos)
    this.pos += 4
    return x
  }
  /** n raw bytes (a view, not a copy). */
  bytes(n: number): Buffer {
    this.need(n)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.buf.indexOf(0, this.pos)
    if (end < 0) throw new ProtocolError('invalid string in message')
    const s = this.buf.toString('utf8', this.pos, end)
    this.pos = end + 1
    return s
  }
  /** Everything left. */
  rest(): Buffer {
    const out = this.buf.subarray(this.pos)
    this.pos = this.buf.length
    return out
  }
  /** PostgreSQL's pq_getmsgend: the message must be fully consumed. */
  end(): void {
    if (this.pos !== this.buf.length) throw new ProtocolError('invalid message format')
  }
}

/** Decodes a start-up packet's contents (after its length word). */
export function decodeStartup(body: Buffer): StartupPacket {
  const r = new BodyReader(body)
  const code = r.int32()
  if (code === SSL_REQUEST) return { kind: 'ssl' }
  if (code === GSSENC_REQUEST) return { kind: 'gssenc' }
  if (code === CANCEL_REQUEST) {
    const processId = r.int32()
    const secretKey = r.int32()
    return { kind: 'cancel', processId, secretKey }
  }
  const major = code >>> 16
  const minor = code & 0xffff
  const params = new Map<string, string>()
  if (major === 3) {
    for (;;) {
      if (r.pos >= body.length) throw new ProtocolError('invalid startup packet layout: expected terminator as last byte')
      if (body[r.pos] === 0) {
        r.pos++
        break
      }
      const name = r.cstring()
      if (r.pos >= body.length) throw new ProtocolError('invalid startup packet layout: expected terminator as last byte')
      params.set(name, r.cstring())
    }
    if (r.pos !== body.length) throw new ProtocolError('invalid startup packet layout: expected terminator as last byte')
  }
  return { kind: 'startup', major, minor, params }
}

function formatCodes(r: BodyReader): number[] {
  const n = r.int16()
  if (n < 0) throw new ProtocolError('invalid message format')
  const out: number[] = []
  for (let k = 0; k < n; k++) {
    const f = r.int16()
    if (f !== 0 && f !== 1) throw new ProtocolError(`unsupported format code: ${f}`)
    out.push(f)
  }
  return out
}

const knownTypes = new Set([0x51, 0x50, 0x42, 0x44, 0x43, 0x45, 0x53, 0x48, 0x58, 0x64, 0x63, 0x66, 0x70, 0x46])

/** True for the message types a client may send after start-up (others end the connection). */
export const isFrontendType = (type: number): boolean => knownTypes.has(type)

/** Decodes a typed message; unknown types raise 08P01 "invalid frontend message type". */
export function decodeFrontend(type: number, body: Buffer): FrontendMessage {
  const r = new BodyReader(body)
  let msg: FrontendMessage
  switch (type) {
    case 0x51 /* Q */:
      msg = { type: 'Query', sql: r.cstring() }
      break
    case 0x50 /* P */: {
      const name = r.cstring()
      const sql = r.cstring()
      const n = r.int16()
      if (n < 0) throw new ProtocolError('invalid message format')
      const paramTypes: number[] = []
      for (let k = 0; k < n; k++) paramTypes.push(r.int32() >>> 0)
      msg = { type: 'Parse', name, sql, paramTypes }
      break
    }
    case 0x42 /* B */: {
      const portal = r.cstring()
      const statement = r.cstring()
      const paramFormats = formatCodes(r)
      const n = r.int16()
      if (n < 0) throw new ProtocolError('invalid message format')
      const params: (Buffer | null)[] = []
      for (let k = 0; k < n; k++) {
        const len = r.int32()
        if (len === -1) params.push(null)
        else if (len < 0) throw new ProtocolError('insufficient data left in message')
        else params.push(r.bytes(len))
      }
      const resultFormats = formatCodes(r)
      msg = { type: 'Bind', portal, statement, paramFormats, params, resultFormats }
      break
    }
    case 0x44 /* D */:
    case 0x43 /* C */: {
      const kind = r.byte()
      const name = r.cstring()
      if (kind !== 0x53 && kind !== 0x50) {
        throw new ProtocolError(`invalid ${type === 0x44 ? 'DESCRIBE' : 'CLOSE'} message subtype ${kind}`)
      }
      msg = { type: type === 0x44 ? 'Describe' : 'Close', kind: kind === 0x53 ? 'S' : 'P', name }
      break
    }
    case 0x45 /* E */: {
      const portal = r.cstring()
      const maxRows = r.int32()
      msg = { type: 'Execute', portal, maxRows: maxRows <= 0 ? 0 : maxRows }
      break
    }
    case 0x53 /* S */:
      msg = { type: 'Sync' }
      break
    case 0x48 /* H */:
      msg = { type: 'Flush' }
      break
    case 0x58 /* X */:
      msg = { type: 'Terminate' }
      break
    case 0x64 /* d */:
      return { type: 'CopyData', data: r.rest() }
    case 0x63 /* c */:
      msg = { type: 'CopyDone' }
      break
    case 0x66 /* f */:
      msg = { type: 'CopyFail', message: r.cstring() }
      break
    case 0x70 /* p */:
      return { type: 'Password', body }
    case 0x46 /* F */:
      return { type: 'FunctionCall' }
    default:
      throw new ProtocolError(`invalid frontend message type ${type}`)
  }
  r.end()
  return msg
}
