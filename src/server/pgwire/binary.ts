/**
 * PostgreSQL's binary wire format (typsend / typreceive) for Flint's types: encoding result values
 * from vectors (DataRow fields with format code 1) and decoding Bind parameters sent in binary.
 *
 * Epochs: PostgreSQL counts dates from 2000-01-01 and timestamps in microseconds from
 * 2000-01-01 00:00 UTC; Flint counts from 1970-01-01. Infinite dates (INT32_MIN/MAX) and
 * timestamps (±Infinity in Flint, INT64_MIN/MAX on the wire) map onto each other.
 */
import { parseDecimal } from '../../common/decimal.js'
import { ExecutionError, NotImplementedError, ProtocolError, SqlState } from '../../common/errors.js'
import { int8Value } from '../../common/int8.js'
import { layoutOf, typeName, typeOid, type SqlType } from '../../common/types.js'
import { valueAt, type IntervalValue, type Value } from '../../common/value.js'
import { isNull, type Vector } from '../../common/vector.js'
import { parseNumeric } from '../../kernels/parse-text.js'
import type { ByteSink } from './byte-sink.js'

/** Days from 1970-01-01 to 2000-01-01. */
export const PG_EPOCH_DAYS = 10957
/** Microseconds from 1970-01-01 to 2000-01-01. */
export const PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400_000_000

const INT32_MIN = -2147483648
const INT32_MAX = 2147483647
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

const NUMERIC_POS = 0x0000
const NUMERIC_NEG = 0x4000
const NUMERIC_NAN = 0xc000
const NUMERIC_PINF = 0xd000
const NUMERIC_NINF = 0xf000

/** True when values of the type can be sent and received in binary format. */
export function hasBinaryFormat(t: SqlType): boolean {
  switch (t.id) {
    case 'array':
      return t.element.id !== 'array' && hasBinaryFormat(t.element)
    case 'null':
      return false
    default:
      return true
  }
}

/** Throws 42883 as PostgreSQL does when a type has no binary send function. */
export function checkBinaryOutput(t: SqlType): void {
  if (!hasBinaryFormat(t)) throw new ExecutionError(SqlState.undefinedFunction, `no binary output function available for type ${typeName(t)}`)
}

// ---------------------------------------------------------------------------------------------
// numeric

/** Writes decimal text ('-12.50', 'NaN', 'Infinity') in numeric's base-10000 binary layout. */
export function writeNumericText(sink: ByteSink, text: string): void {
  const s = text.trim()
  if (s === 'NaN' || s === 'Infinity' || s === '-Infinity') {
    sink.i16(0)
    sink.i16(0)
    sink.u16(s === 'NaN' ? NUMERIC_NAN : s === 'Infinity' ? NUMERIC_PINF : NUMERIC_NINF)
    // PostgreSQL's numeric_send reports the infinities' header bits 0x1000 as display scale 32
    sink.i16(s === 'NaN' ? 0 : 32)
    return
  }
  const d = parseDecimal(s)
  const neg = d.unscaled < 0n
  const dscale = d.scale
  let digits = (neg ? -d.unscaled : d.unscaled).toString()
  if (digits.length <= dscale) digits = '0'.repeat(dscale - digits.length + 1) + digits
  let intPart = digits.slice(0, digits.length - dscale)
  let frac = digits.slice(digits.length - dscale)
  intPart = '0'.repeat((4 - (intPart.length % 4)) % 4) + intPart
  frac = frac + '0'.repeat((4 - (frac.length % 4)) % 4)
  const groups: number[] = []
  for (let k = 0; k < intPart.length; k += 4) groups.push(Number(intPart.slice(k, k + 4)))
  for (let k = 0; k < frac.length; k += 4) groups.push(Number(frac.slice(k, k + 4)))
  let weight = intPart.length / 4 - 1
  let first = 0
  while (first < groups.length && groups[first] === 0) {
    first++
    weight--
  }
  let last = groups.length
  while (last > first && groups[last - 1] === 0) last--
  const out = groups.slice(first, last)
  sink.i16(out.length)
  sink.i16(out.length === 0 ? 0 : weight)
  sink.u16(out.length === 0 || !neg ? NUMERIC_POS : NUMERIC_NEG)
  sink.i16(dscale)
  for (const g of out) sink.i16(g)
}

/** Reads numeric's binary layout as decimal text with its display scale. */
export function readNumeric(buf: Uint8Array, paramNo: number): string {
  const r = new Reader(buf, paramNo)
  const ndigits = r.i16()
  const weight = r.i16()
  const sign = r.u16()
  const dscale = r.i16()
  if (sign === NUMERIC_NAN) return 'NaN'
  if (sign === NUMERIC_PINF) return 'Infinity'
  if (sign === NUMERIC_NINF) return '-Infinity'
  if ((sign !== NUMERIC_POS && sign !== NUMERIC_NEG) || ndigits < 0 || dscale < 0 || dscale > 0x3fff) {
    throw badBinary(paramNo)
  }
  const groups: number[] = []
  for (let k = 0; k < ndigits; k++) {
    const g = r.i16()
    if (g < 0 || g >= 10000) throw new ExecutionError(SqlState.invalidTextRepresentation, 'invalid digit in external "numeric" value')
    groups.push(g)
  }
  r.done()
  // the group with decimal exponent e (value × 10000^e) is groups[weight - e]
  const group = (e: number): number => {
    const k = weight - e
    return k >= 0 && k < groups.length ? groups[k]! : 0
  }
  let intPart = ''
  for (let e = weight; e >= 0; e--) intPart += intPart === '' ? String(group(e)) : String(group(e)).padStart(4, '0')
  if (intPart === '') intPart = '0'
  let frac = ''
  for (let e = -1; frac.length < dscale; e--) frac += String(group(e)).padStart(4, '0')
  frac = frac.slice(0, dscale)
  const body = dscale > 0 ? `${intPart}.${frac}` : intPart
  const isZero = /^[0.]*$/.test(body)
  return sign === NUMERIC_NEG && !isZero ? '-' + body : body
}

// ---------------------------------------------------------------------------------------------
// encoding (typsend)

const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

function uuidBytes(text: string, sink: ByteSink): void {
  const hex = text.replace(/[-{}]/g, '')
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new ExecutionError(SqlState.invalidTextRepresentation, `invalid input syntax for type uuid: "${text}"`)
  for (let k = 0; k < 32; k += 2) sink.u8(parseInt(hex.slice(k, k + 2), 16))
}

function writeTimestamp(sink: ByteSink, micros: number): void {
  if (micros === Infinity) sink.i64(INT64_MAX)
  else if (micros === -Infinity) sink.i64(INT64_MIN)
  else sink.i64(Math.round(micros) - PG_EPOCH_MICROS)
}

function writeDate(sink: ByteSink, days: number): void {
  sink.i32(days === INT32_MIN || days === INT32_MAX ? days : days - PG_EPOCH_DAYS)
}

function writeInt8(sink: ByteSink, x: number | bigint): void {
  sink.i64(typeof x === 'bigint' ? x : Math.trunc(x))
}

/**
 * Writes one non-NULL value of the given type in binary format (without the length word).
 * Values follow common/value.ts (bytea values are their bytes decoded as UTF-8, as parse-text makes them).
 */
export function writeBinaryValue(sink: ByteSink, type: SqlType, v: Value): void {
  switch (type.id) {
    case 'bool':
      sink.u8(v === true || v === 1 ? 1 : 0)
      return
    case 'int2':
      sink.i16(v as number)
      return
    case 'int4':
      sink.i32(v as number)
      return
    case 'int8':
      writeInt8(sink, v as number | bigint)
      return
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      sink.u32(v as number)
      return
    case 'float4':
      sink.f32(v as number)
      return
    case 'float8':
      sink.f64(v as number)
      return
    case 'numeric':
      writeNumericText(sink, String(v))
      return
    case 'date':
      writeDate(sink, v as number)
      return
    case 'time':
      sink.i64(Math.round(v as number))
      return
    case 'timestamp':
    case 'timestamptz':
      writeTimestamp(sink, v as number)
      return
    case 'interval': {
      const iv = v as IntervalValue
      sink.i64(Math.round(iv.micros))
      sink.i32(iv.days)
      sink.i32(iv.months)
      return
    }
    case 'uuid':
      uuidBytes(v as string, sink)
      return
    case 'bytea':
      sink.utf8(v as string)
      return
    case 'unknown':
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'char':
    case 'json':
      sink.utf8(v as string)
      return
    case 'array':
      writeArray(sink, type.element, v as readonly Value[])
      return
    case 'null':
      throw new ExecutionError(SqlState.undefinedFunction, 'no binary output function available for type unknown')
  }
}

function writeArray(sink: ByteSink, element: SqlType, items: readonly Value[]): void {
  if (element.id === 'array') throw new NotImplementedError('binary output of multidimensional arrays is not supported')
  const hasNull = items.some((x) => x === null)
  sink.i32(items.length === 0 ? 0 : 1)
  sink.i32(hasNull ? 1 : 0)
  sink.u32(typeOid(element))
  if (items.length > 0) {
    sink.i32(items.length)
    sink.i32(1)
  }
  for (const x of items) {
    if (x === null) sink.i32(-1)
    else {
      const at = sink.reserve4()
      writeBinaryValue(sink, element, x)
      sink.patchLength(at)
    }
  }
}

/** Writes a field's binary value from a vector row (without the length word); the row is not NULL. */
export function writeBinaryField(sink: ByteSink, v: Vector, i: number): void {
  const t = v.type
  switch (t.id) {
    case 'bool':
      sink.u8(v.values[i]! !== 0 ? 1 : 0)
      return
    case 'int2':
      sink.i16(v.values[i]!)
      return
    case 'int4':
      sink.i32(v.values[i]!)
      return
    case 'int8':
      writeInt8(sink, v.values[i]! as number | bigint)
      return
    case 'float4':
      sink.f32(v.values[i]!)
      return
    case 'float8':
      sink.f64(v.values[i]!)
      return
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      sink.u32(v.values[i]!)
      return
    case 'date':
      writeDate(sink, v.values[i]!)
      return
    case 'time':
      sink.i64(Math.round(v.values[i]!))
      return
    case 'timestamp':
    case 'timestamptz':
      writeTimestamp(sink, v.values[i]!)
      return
    case 'interval':
      sink.i64(Math.round(v.values[3 * i + 2]!))
      sink.i32(v.values[3 * i + 1]!)
      sink.i32(v.values[3 * i]!)
      return
    case 'numeric':
      if (t.scale !== null) {
        const x = v.values[i]!
        if (Number.isNaN(x)) writeNumericText(sink, 'NaN')
        else if (x === Infinity) writeNumericText(sink, 'Infinity')
        else if (x === -Infinity) writeNumericText(sink, '-Infinity')
        else writeNumericText(sink, valueAt(v, i) as string)
        return
      }
      break
    default:
      break
  }
  if (layoutOf(t) === 'utf8' && t.id !== 'numeric' && t.id !== 'uuid' && t.id !== 'bpchar') {
    // text-like types and bytea: the stored bytes are the binary form
    sink.bytes(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)
    return
  }
  if (t.id === 'bpchar') {
    const s = valueAt(v, i) as string
    sink.utf8(t.length === null ? s : padChars(s, t.length))
    return
  }
  writeBinaryValue(sink, t, valueAt(v, i))
}

function padChars(s: string, length: number): string {
  let n = 0
  for (const _ of s) n++
  return n >= length ? s : s + ' '.repeat(length - n)
}

// ---------------------------------------------------------------------------------------------
// decoding (typreceive)

function badBinary(paramNo: number): ExecutionError {
  return new ExecutionError('22P03', `incorrect binary data format in bind parameter ${paramNo}`)
}

/** A bounds-checked big-endian reader over one binary parameter. */
class Reader {
  private pos = 0
  private readonly view: DataView
  constructor(
    private readonly buf: Uint8Array,
    private readonly paramNo: number,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProtocolError('insufficient data left in message')
  }
  i16(): number {
    this.need(2)
    const x = this.view.getInt16(this.pos)
    this.pos += 2
    return x
  }
  u16(): number {
    this.need(2)
    const x = this.view.getUint16(this.pos)
    this.pos += 2
    return x
  }
  i32(): number {
    this.need(4)
    const x = this.view.getInt32(this.pos)
    this.pos += 4
    return x
  }
  u32(): number {
    this.need(4)
    const x = this.view.getUint32(this.pos)
    this.pos += 4
    return x
  }
  i64(): bigint {
    this.need(8)
    const x = this.view.getBigInt64(this.pos)
    this.pos += 8
    return x
  }
  f32(): number {
    this.need(4)
    const x = this.view.getFloat32(this.pos)
    this.pos += 4
    return x
  }
  f64(): number {
    this.need(8)
    const x = this.view.getFloat64(this.pos)
    this.pos += 8
    return x
  }
  u8(): number {
    this.need(1)
    return this.buf[this.pos++]!
  }
  bytes(n: number): Uint8Array {
    this.need(n)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
  rest(): Uint8Array {
    const out = this.buf.subarray(this.pos)
    this.pos = this.buf.length
    return out
  }
  /** PostgreSQL requires a receive function to consume the whole value. */
  done(): void {
    if (this.pos !== this.buf.length) throw badBinary(this.paramNo)
  }
}

function exactInt(x: bigint): number {
  const n = Number(x)
  if (!Number.isSafeInteger(n)) throw new NotImplementedError(`bigint value ${x} is outside the range Flint holds exactly (±2^53)`)
  return n
}

function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return utf8Decoder.decode(bytes)
  } catch {
    const bad = bytes.find((b) => b >= 0x80) ?? 0
    throw new ExecutionError(SqlState.characterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0x${bad.toString(16).padStart(2, '0')}`)
  }
}

/**
 * Decodes a parameter sent in binary format to a Flint Value of the given type; `paramNo` is
 * 1-based and used in error messages as PostgreSQL does.
 */
export function decodeBinary(type: SqlType, buf: Uint8Array, paramNo: number): Value {
  const r = new Reader(buf, paramNo)
  let out: Value
  switch (type.id) {
    case 'bool':
      out = r.u8() !== 0
      break
    case 'int2':
      out = r.i16()
      break
    case 'int4':
      out = r.i32()
      break
    case 'int8':
      out = int8Value(r.i64())
      break
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      out = r.u32()
      break
    case 'float4':
      out = r.f32()
      break
    case 'float8':
      out = r.f64()
      break
    case 'numeric':
      return parseNumeric(readNumeric(buf, paramNo), type.precision, type.scale)
    case 'date': {
      const d = r.i32()
      out = d === INT32_MIN || d === INT32_MAX ? d : d + PG_EPOCH_DAYS
      break
    }
    case 'time':
      out = exactInt(r.i64())
      break
    case 'timestamp':
    case 'timestamptz': {
      const t = r.i64()
      out = t === INT64_MAX ? Infinity : t === INT64_MIN ? -Infinity : exactInt(t + BigInt(PG_EPOCH_MICROS))
      break
    }
    case 'interval': {
      const micros = exactInt(r.i64())
      const days = r.i32()
      const months = r.i32()
      out = { months, days, micros }
      break
    }
    case 'uuid': {
      const b = r.bytes(16)
      const h = Buffer.from(b).toString('hex')
      out = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
      break
    }
    case 'bytea':
      out = new TextDecoder().decode(r.rest())
      break
    case 'unknown':
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'char':
    case 'json':
      out = decodeUtf8Strict(r.rest())
      break
    case 'array':
      out = readArray(r, type.element, paramNo)
      break
    case 'null':
      throw new ExecutionError(SqlState.undefinedFunction, 'no binary input function available for type unknown')
  }
  r.done()
  return out
}

function readArray(r: Reader, element: SqlType, paramNo: number): Value[] {
  const ndim = r.i32()
  const flags = r.i32()
  const elemOid = r.u32()
  if (ndim < 0 || ndim > 6) throw new ExecutionError(SqlState.invalidParameterValue, `invalid number of dimensions: ${ndim}`)
  if (flags !== 0 && flags !== 1) throw new ExecutionError(SqlState.invalidParameterValue, 'invalid array flags')
  if (elemOid !== typeOid(element)) throw new ExecutionError(SqlState.datatypeMismatch, 'binary data has array element type ' + elemOid + ' instead of expected ' + typeOid(element))
  if (ndim === 0) return []
  if (ndim > 1) throw new NotImplementedError('binary input of multidimensional arrays is not supported')
  const n = r.i32()
  r.i32() // lower bound
  if (n < 0) throw badBinary(paramNo)
  const out: Value[] = []
  for (let k = 0; k < n; k++) {
    const len = r.i32()
    if (len === -1) out.push(null)
    else if (len < 0) throw badBinary(paramNo)
    else out.push(decodeBinary(element, r.bytes(len), paramNo))
  }
  return out
}

/** A vector row's value as binary bytes (for tests and single values); null for NULL. */
export function binaryOf(v: Vector, i: number, sink: ByteSink): Buffer | null {
  if (isNull(v, i)) return null
  sink.pos = 0
  writeBinaryField(sink, v, i)
  return Buffer.from(sink.buf.subarray(0, sink.pos))
}
