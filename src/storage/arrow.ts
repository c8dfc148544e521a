/**
 * Conversion between Flint vectors (common/vector.ts) and apache-arrow `Data` / `RecordBatch` /
 * `Table`, in both directions.
 *
 * Arrow → Flint keeps buffers where the layouts agree (Int16/Int32/Float32/Float64/Date32/Utf8/List
 * offsets) and converts with tight loops over the raw typed arrays where they do not (bit-packed
 * Bool → bytes, Int64 → doubles via 32-bit halves, Decimal128/256 → scaled doubles from the Uint32
 * words, timestamps of any unit → microseconds). `get(i)` is never used.
 *
 * Flint → Arrow has two modes:
 * - `native`: zero-copy, the Flint layout itself (bool as Uint8, int8/timestamps/scaled numerics as
 *   Float64, interval as FixedSizeList<3, Float64>); the SQL type travels in the field metadata
 *   under `flint.type`, so `native` batches round-trip exactly (IPC between threads, spill files).
 * - `portable`: the Arrow types other tools expect (Bool, Int64, Decimal128(p,s), Timestamp(µs),
 *   Date32, Time64(µs), Utf8, MonthDayNano intervals), for Parquet and Arrow files.
 */
import * as A from 'apache-arrow'
import { formatDecimal, MAX_SAFE } from '../common/decimal.js'
import { InternalError, NotImplementedError } from '../common/errors.js'
import { INT8_MAX, isWideInt8, wideInt8Vector, wideValues } from '../common/int8.js'
import { arrayType, layoutOf, numericType, T, typeEquals, typeName, type SqlType } from '../common/types.js'
import { bitmapBytes, concatVectors, nullCount, sliceBits, type Batch, type Values, type Vector } from '../common/vector.js'

/** Flint → Arrow representation: zero-copy Flint layout, or the types other tools read. */
export type ArrowMode = 'native' | 'portable'

/** A named, typed column of a file or batch schema. */
export interface ColumnDef {
  readonly name: string
  readonly type: SqlType
}

/** Field-metadata key holding the Flint SqlType as JSON. */
export const FLINT_TYPE_KEY = 'flint.type'

const TWO32 = 4294967296

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** The SqlType that holds an Arrow type's values (Decimal → numeric(p,s), Utf8 → text, …). */
export function arrowTypeToSql(type: A.DataType): SqlType {
  switch (type.typeId) {
    case A.Type.Null:
      return T.null
    case A.Type.Bool:
      return T.bool
    case A.Type.Int: {
      const t = type as A.Int
      if (t.bitWidth === 8) return T.int2
      if (t.bitWidth === 16) return t.isSigned ? T.int2 : T.int4
      if (t.bitWidth === 32) return t.isSigned ? T.int4 : T.int8
      return T.int8
    }
    case A.Type.Float:
      return (type as A.Float).precision === A.Precision.DOUBLE ? T.float8 : T.float4
    case A.Type.Decimal: {
      const t = type as A.Decimal
      return numericType(t.precision, t.scale)
    }
    case A.Type.Utf8:
    case A.Type.LargeUtf8:
    case A.Type.Utf8View:
      return T.text
    case A.Type.Binary:
    case A.Type.LargeBinary:
    case A.Type.FixedSizeBinary:
      return T.bytea
    case A.Type.Date:
      return T.date
    case A.Type.Time:
      return T.time
    case A.Type.Timestamp: {
      const tz = (type as A.Timestamp).timezone
      return tz !== null && tz !== undefined && tz !== '' ? T.timestamptz : T.timestamp
    }
    case A.Type.Interval:
    case A.Type.Duration:
      return T.interval
    case A.Type.List:
    case A.Type.LargeList:
    case A.Type.FixedSizeList: {
      const child = (type as A.List).children[0]
      if (child === undefined) throw new InternalError('list type without a child field')
      return arrayType(arrowTypeToSql(child.type))
    }
    case A.Type.Dictionary:
      return arrowTypeToSql((type as A.Dictionary).dictionary)
    default:
      throw new NotImplementedError(`Arrow type ${String(type)} is not supported`)
  }
}

/** The Arrow type Flint writes for a SqlType in the given mode. */
export function sqlTypeToArrow(type: SqlType, mode: ArrowMode = 'portable'): A.DataType {
  switch (type.id) {
    case 'null':
      return new A.Null()
    case 'bool':
      return mode === 'native' ? new A.Uint8() : new A.Bool()
    case 'int2':
      return new A.Int16()
    case 'int4':
      return new A.Int32()
    case 'int8':
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      return mode === 'native' ? new A.Float64() : new A.Int64()
    case 'float4':
      return new A.Float32()
    case 'float8':
      return new A.Float64()
    case 'numeric':
      if (type.scale === null) return new A.Utf8()
      if (mode === 'native') return new A.Float64()
      return new A.Decimal(type.scale, type.precision ?? 38, 128)
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'char':
    case 'json':
    case 'uuid':
      return new A.Utf8()
    case 'bytea':
      return new A.Binary()
    case 'date':
      return new A.DateDay()
    case 'time':
      return mode === 'native' ? new A.Float64() : new A.TimeMicrosecond()
    case 'timestamp':
      return mode === 'native' ? new A.Float64() : new A.TimestampMicrosecond()
    case 'timestamptz':
      return mode === 'native' ? new A.Float64() : new A.TimestampMicrosecond('UTC')
    case 'interval':
      return mode === 'native' ? new A.FixedSizeList(3, new A.Field('item', new A.Float64(), false)) : new A.IntervalMonthDayNano()
    case 'array':
      return new A.List(new A.Field('item', sqlTypeToArrow(type.element, mode), true))
    default:
      throw new InternalError(`no Arrow type for ${typeName(type)}`)
  }
}

/** The Arrow field for a column, with its SqlType in the metadata. */
export function sqlFieldToArrow(col: ColumnDef, mode: ArrowMode = 'portable'): A.Field {
  const meta = new Map([[FLINT_TYPE_KEY, JSON.stringify(col.type)]])
  return new A.Field(col.name, sqlTypeToArrow(col.type, mode), true, meta)
}

/** An Arrow schema for Flint columns. */
export function schemaToArrow(columns: readonly ColumnDef[], mode: ArrowMode = 'portable'): A.Schema {
  return new A.Schema(columns.map((c) => sqlFieldToArrow(c, mode)))
}

/** The SqlType of an Arrow field: the `flint.type` metadata when it fits the data, else the mapping. */
export function arrowFieldToSql(field: A.Field): SqlType {
  const natural = arrowTypeToSql(field.type)
  const raw = field.metadata.get(FLINT_TYPE_KEY)
  if (raw === undefined) return natural
  let meta: SqlType
  try {
    meta = JSON.parse(raw) as SqlType
  } catch {
    return natural
  }
  return compatible(field.type, natural, meta) ? meta : natural
}

/** Column names and types of an Arrow schema. */
export function schemaFromArrow(schema: A.Schema): ColumnDef[] {
  return schema.fields.map((f) => ({ name: f.name, type: arrowFieldToSql(f) }))
}

function isSqlType(t: unknown): t is SqlType {
  return typeof t === 'object' && t !== null && typeof (t as { id?: unknown }).id === 'string'
}

/** Whether Arrow data of `arrow` type (natural SqlType `natural`) may be read as `meta`. */
function compatible(arrow: A.DataType, natural: SqlType, meta: SqlType): boolean {
  if (!isSqlType(meta)) return false
  try {
    layoutOf(meta)
  } catch {
    return false
  }
  if (meta.id === 'bool') return natural.id === 'bool' || (arrow.typeId === A.Type.Int && (arrow as A.Int).bitWidth === 8 && !(arrow as A.Int).isSigned)
  if (meta.id === 'interval') {
    if (natural.id === 'interval') return true
    return arrow.typeId === A.Type.FixedSizeList && (arrow as A.FixedSizeList).listSize === 3 && natural.id === 'array' && natural.element.id === 'float8'
  }
  if (meta.id === 'array') {
    if (natural.id !== 'array') return false
    const child = (arrow as A.List).children[0]
    return child !== undefined && compatible(child.type, natural.element, meta.element)
  }
  if (natural.id === 'numeric' && meta.id === 'numeric') return natural.scale === meta.scale
  if (meta.id === 'numeric' && meta.scale !== null) return natural.id === 'float8' && arrow.typeId === A.Type.Float
  const ln = layoutOf(natural)
  const lm = layoutOf(meta)
  if (ln !== lm) return false
  // same layout; make sure the meaning is the same family (no float8 read as int8 by accident unless native)
  if (lm === 'f64') return natural.id === meta.id || natural.id === 'float8' || (natural.id === 'int8' && (meta.id === 'oid' || meta.id.startsWith('reg'))) || (natural.id === 'timestamp' && meta.id === 'timestamptz')
  return true
}

// ---------------------------------------------------------------------------------------------
// Arrow → Flint
// ---------------------------------------------------------------------------------------------

/** Flint validity bitmap (bits 0..length-1) of Arrow data, sharing memory when byte-aligned. */
export function validityFromArrow(data: A.Data): Uint8Array | null {
  const bm = data.nullBitmap
  if (bm === undefined || bm === null || bm.length === 0) return null
  if (data.nullCount === 0) return null
  return sliceBits(bm, data.offset, data.length)
}


/** Converts one chunk of Arrow data to a Flint vector; `type` overrides the SqlType (e.g. from metadata). */
export function vectorFromArrow(data: A.Data, type?: SqlType): Vector {
  const target = type ?? arrowTypeToSql(data.type)
  const v = convert(data, target)
  return v
}

/** Converts every chunk of an Arrow vector (one Flint vector per chunk). */
export function vectorsFromArrow(vec: A.Vector, type?: SqlType): Vector[] {
  return vec.data.map((d) => vectorFromArrow(d, type))
}

/** A Flint batch from an Arrow record batch (types from `types`, else the fields' metadata / mapping). */
export function batchFromArrow(rb: A.RecordBatch, types?: readonly SqlType[]): Batch {
  const fields = rb.schema.fields
  const columns: Vector[] = []
  for (let i = 0; i < fields.length; i++) {
    const child = rb.data.children[i]
    if (child === undefined) throw new InternalError('record batch is missing a column')
    columns.push(vectorFromArrow(child, types?.[i] ?? arrowFieldToSql(fields[i]!)))
  }
  return { numRows: rb.numRows, columns }
}

/** All batches of an Arrow table as Flint batches. */
export function batchesFromArrowTable(table: A.Table, types?: readonly SqlType[]): Batch[] {
  const t = types ?? table.schema.fields.map(arrowFieldToSql)
  return table.batches.map((rb) => batchFromArrow(rb, t))
}

function convert(data: A.Data, target: SqlType): Vector {
  const type = data.type
  const n = data.length
  switch (type.typeId) {
    case A.Type.Null:
      return { type: target.id === 'null' ? T.null : target, ...nullBuffers(target, n) }
    case A.Type.Bool: {
      const values = unpackBits(data.values as Uint8Array, data.offset, n)
      return { type: T.bool, length: n, values, validity: validityFromArrow(data) }
    }
    case A.Type.Int:
      return convertInt(data as A.Data<A.Int>, target)
    case A.Type.Float: {
      const p = (type as A.Float).precision
      const validity = validityFromArrow(data)
      if (p === A.Precision.HALF) {
        const src = data.values as Uint16Array
        const out = new Float32Array(n)
        for (let i = 0; i < n; i++) out[i] = halfToFloat(src[i]!)
        return { type: T.float4, length: n, values: out, validity }
      }
      const vals = (data.values as Float32Array | Float64Array).subarray(0, n)
      const t = p === A.Precision.SINGLE ? T.float4 : target.id === 'float8' ? T.float8 : layoutOf(target) === 'f64' ? target : T.float8
      return { type: t, length: n, values: vals, validity }
    }
    case A.Type.Decimal:
      return convertDecimal(data as A.Data<A.Decimal>)
    case A.Type.Utf8:
    case A.Type.Binary:
      return utf8Vector(data, layoutOf(target) === 'utf8' ? target : arrowTypeToSql(type))
    case A.Type.LargeUtf8:
    case A.Type.LargeBinary:
      return largeUtf8Vector(data, layoutOf(target) === 'utf8' ? target : arrowTypeToSql(type))
    case A.Type.Utf8View:
    case A.Type.BinaryView:
      return viewUtf8Vector(data, layoutOf(target) === 'utf8' ? target : arrowTypeToSql(type))
    case A.Type.FixedSizeBinary: {
      const w = (type as A.FixedSizeBinary).byteWidth
      const offsets = new Int32Array(n + 1)
      for (let i = 0; i <= n; i++) offsets[i] = i * w
      const values = (data.values as Uint8Array).subarray(0, n * w)
      return { type: T.bytea, length: n, values, validity: validityFromArrow(data), offsets }
    }
    case A.Type.Date: {
      const validity = validityFromArrow(data)
      if ((type as A.Date_).unit === A.DateUnit.DAY) return { type: T.date, length: n, values: (data.values as Int32Array).subarray(0, n), validity }
      const w = int64Words(data.values, n)
      const out = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const ms = w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0)
        out[i] = Math.floor(ms / 86400000)
      }
      return { type: T.date, length: n, values: out, validity }
    }
    case A.Type.Time: {
      const t = type as A.Time
      const validity = validityFromArrow(data)
      const out = new Float64Array(n)
      if (t.bitWidth === 32) {
        const src = data.values as Int32Array
        const mul = t.unit === A.TimeUnit.SECOND ? 1e6 : 1e3
        for (let i = 0; i < n; i++) out[i] = src[i]! * mul
      } else int64ToMicros(int64Words(data.values, n), n, t.unit, out, 'time')
      return { type: T.time, length: n, values: out, validity }
    }
    case A.Type.Timestamp: {
      const t = type as A.Timestamp
      const out = new Float64Array(n)
      int64ToMicros(int64Words(data.values, n), n, t.unit, out, 'timestamp')
      const natural = arrowTypeToSql(type)
      const st = target.id === 'timestamp' || target.id === 'timestamptz' ? target : natural
      return { type: st, length: n, values: out, validity: validityFromArrow(data) }
    }
    case A.Type.Duration: {
      const out = new Float64Array(3 * n)
      const micros = new Float64Array(n)
      int64ToMicros(int64Words(data.values, n), n, (type as A.Duration).unit, micros, 'interval')
      for (let i = 0; i < n; i++) out[3 * i + 2] = micros[i]!
      return { type: T.interval, length: n, values: out, validity: validityFromArrow(data) }
    }
    case A.Type.Interval:
      return convertInterval(data as A.Data<A.Interval>)
    case A.Type.List:
    case A.Type.LargeList: {
      const childData = data.children[0]
      if (childData === undefined) throw new InternalError('list data without a child')
      const elType = target.id === 'array' ? target.element : undefined
      const child = convert(childData, elType ?? arrowTypeToSql(childData.type))
      let offsets: Int32Array
      if (type.typeId === A.Type.List) offsets = (data.valueOffsets as Int32Array).subarray(0, n + 1)
      else offsets = narrowOffsets(data.valueOffsets as unknown as BigInt64Array, n)
      return { type: arrayType(child.type), length: n, values: new Uint8Array(0), validity: validityFromArrow(data), offsets, child }
    }
    case A.Type.FixedSizeList: {
      const size = (type as A.FixedSizeList).listSize
      const childData = data.children[0]
      if (childData === undefined) throw new InternalError('list data without a child')
      if (target.id === 'interval' && size === 3 && childData.type.typeId === A.Type.Float) {
        const vals = (childData.values as Float64Array).subarray(0, 3 * n)
        return { type: T.interval, length: n, values: vals, validity: validityFromArrow(data) }
      }
      const child = convert(childData, target.id === 'array' ? target.element : arrowTypeToSql(childData.type))
      const offsets = new Int32Array(n + 1)
      for (let i = 0; i <= n; i++) offsets[i] = i * size
      return { type: arrayType(child.type), length: n, values: new Uint8Array(0), validity: validityFromArrow(data), offsets, child }
    }
    case A.Type.Dictionary:
      return convertDictionary(data as A.Data<A.Dictionary>, target)
    default:
      throw new NotImplementedError(`Arrow type ${String(type)} is not supported`)
  }
}

function nullBuffers(target: SqlType, n: number): Omit<Vector, 'type'> {
  const validity = new Uint8Array(bitmapBytes(n))
  const layout = target.id === 'null' ? 'u8' : layoutOf(target)
  if (layout === 'utf8') return { length: n, values: new Uint8Array(0), validity, offsets: new Int32Array(n + 1) }
  if (layout === 'list') {
    const el = (target as { element: SqlType }).element
    return { length: n, values: new Uint8Array(0), validity, offsets: new Int32Array(n + 1), child: { type: el, ...nullBuffers(el, 0) } }
  }
  const values: Values =
    layout === 'u8' ? new Uint8Array(n) : layout === 'i16' ? new Int16Array(n) : layout === 'i32' ? new Int32Array(n) : layout === 'f32' ? new Float32Array(n) : new Float64Array(layout === 'interval' ? 3 * n : n)
  return { length: n, values, validity }
}

/** Unpacks bits [offset, offset+n) to one byte per value (0/1). */
function unpackBits(bits: Uint8Array, offset: number, n: number): Uint8Array {
  const out = new Uint8Array(n)
  let i = 0
  if ((offset & 7) === 0) {
    let byte = offset >> 3
    const full = n & ~7
    for (; i < full; i += 8, byte++) {
      const b = bits[byte]!
      out[i] = b & 1
      out[i + 1] = (b >> 1) & 1
      out[i + 2] = (b >> 2) & 1
      out[i + 3] = (b >> 3) & 1
      out[i + 4] = (b >> 4) & 1
      out[i + 5] = (b >> 5) & 1
      out[i + 6] = (b >> 6) & 1
      out[i + 7] = (b >> 7) & 1
    }
  }
  for (; i < n; i++) {
    const k = offset + i
    out[i] = (bits[k >> 3]! >> (k & 7)) & 1
  }
  return out
}

/** Int32 view (lo, hi pairs) over the first n 64-bit values. */
function int64Words(values: ArrayBufferView, n: number): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, 2 * n)
}

function convertInt(data: A.Data<A.Int>, target: SqlType): Vector {
  const t = data.type
  const n = data.length
  const validity = validityFromArrow(data)
  const src = data.values
  if (t.bitWidth === 64) {
    const w = int64Words(src as ArrayBufferView, n)
    const out = new Float64Array(n)
    let bad = -1
    if (t.isSigned) {
      for (let i = 0; i < n; i++) {
        const lo = w[2 * i]! >>> 0
        const hi = w[2 * i + 1]!
        if (hi > 2097151 || hi < -2097152) {
          if (!(hi === 2097152 && lo === 0)) bad = i
        }
        out[i] = hi * TWO32 + lo
      }
    } else {
      for (let i = 0; i < n; i++) {
        const lo = w[2 * i]! >>> 0
        const hi = w[2 * i + 1]! >>> 0
        if (hi > 2097151 && !(hi === 2097152 && lo === 0)) bad = i
        out[i] = hi * TWO32 + lo
      }
    }
    const st = target.id === 'int8' || target.id === 'oid' || target.id.startsWith('reg') ? target : T.int8
    if (bad >= 0) return wideFromInt64(data, w, t.isSigned, st)
    return { type: st, length: n, values: out, validity }
  }
  if (t.bitWidth === 8 && !t.isSigned && target.id === 'bool') {
    return { type: T.bool, length: n, values: (src as Uint8Array).subarray(0, n), validity }
  }
  if (t.bitWidth === 16 && t.isSigned) return { type: T.int2, length: n, values: (src as Int16Array).subarray(0, n), validity }
  if (t.bitWidth === 32 && t.isSigned) return { type: T.int4, length: n, values: (src as Int32Array).subarray(0, n), validity }
  const natural = arrowTypeToSql(t)
  const out = natural.id === 'int2' ? new Int16Array(n) : natural.id === 'int4' ? new Int32Array(n) : new Float64Array(n)
  const s = src as Int8Array | Uint8Array | Uint16Array | Uint32Array
  for (let i = 0; i < n; i++) out[i] = s[i]!
  return { type: natural, length: n, values: out, validity }
}

/**
 * An int64 column with values beyond ±2^53 as a wide int8 vector (exact). Unsigned values past
 * int8's maximum raise 0A000 (NULL slots may hold anything); only int8 holds values this large.
 */
function wideFromInt64(data: A.Data, w: Int32Array, signed: boolean, target: SqlType): Vector {
  const n = data.length
  const validity = validityFromArrow(data)
  const out = new BigInt64Array(n)
  for (let i = 0; i < n; i++) {
    if (validity !== null && ((validity[i >> 3]! >> (i & 7)) & 1) === 0) continue
    const lo = BigInt(w[2 * i]! >>> 0)
    if (signed) out[i] = (BigInt(w[2 * i + 1]!) << 32n) | lo
    else {
      const x = (BigInt(w[2 * i + 1]! >>> 0) << 32n) | lo
      if (x > INT8_MAX) throw new NotImplementedError(`unsigned 64-bit value ${x} is beyond the range of bigint`)
      out[i] = x
    }
  }
  if (target.id !== 'int8') throw new NotImplementedError(`${typeName(target)} value beyond ±2^53 is not supported`)
  return wideInt8Vector(target, out, validity)
}

/** Converts 64-bit integer counts of `unit` to microseconds (floor for nanoseconds). */
function int64ToMicros(w: Int32Array, n: number, unit: A.TimeUnit, out: Float64Array, what: string): void {
  if (unit === A.TimeUnit.NANOSECOND) {
    // v = hi·2^32 + lo and 2^32 = 4294967·1000 + 296, so floor(v/1000) = hi·4294967 + floor((hi·296 + lo)/1000)
    for (let i = 0; i < n; i++) {
      const lo = w[2 * i]! >>> 0
      const hi = w[2 * i + 1]!
      out[i] = hi * 4294967 + Math.floor((hi * 296 + lo) / 1000)
    }
    return
  }
  const mul = unit === A.TimeUnit.SECOND ? 1e6 : unit === A.TimeUnit.MILLISECOND ? 1e3 : 1
  const limit = MAX_SAFE / mul
  let bad = false
  for (let i = 0; i < n; i++) {
    const lo = w[2 * i]! >>> 0
    const hi = w[2 * i + 1]!
    const v = hi * TWO32 + lo
    if (v > limit || v < -limit) bad = true
    out[i] = v * mul
  }
  if (bad) throw new NotImplementedError(`${what} value is out of the range Flint holds exactly`)
}

/** Arrow Decimal128/256 → scaled doubles, or decimal text when a value exceeds 2^53. */
function convertDecimal(data: A.Data<A.Decimal>): Vector {
  const t = data.type
  const n = data.length
  const stride = t.bitWidth === 256 ? 8 : 4
  const w = data.values as unknown as Uint32Array
  const validity = validityFromArrow(data)
  const out = new Float64Array(n)
  let fits = true
  for (let i = 0; i < n; i++) {
    const base = i * stride
    const w0 = w[base]!
    const w1 = w[base + 1]!
    let ext = w[base + 2]! | w[base + 3]!
    const neg = w[base + 3]! >>> 31
    if (stride === 8) ext |= w[base + 4]! | w[base + 5]! | w[base + 6]! | w[base + 7]!
    if (neg === 0) {
      if (ext !== 0 || w1 > 0x1fffff) {
        if (!(w1 === 0x200000 && w0 === 0 && ext === 0)) fits = false
      }
      out[i] = w1 * TWO32 + w0
    } else {
      let all = w[base + 2]! & w[base + 3]!
      if (stride === 8) all &= w[base + 4]! & w[base + 5]! & w[base + 6]! & w[base + 7]!
      if (all !== -1 || w1 < 0xffe00000) fits = false
      out[i] = (w1 | 0) * TWO32 + w0
    }
  }
  if (fits) return { type: numericType(t.precision, t.scale), length: n, values: out, validity }
  // wide values: exact decimal text at the column's scale
  const strings: (string | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    if (validity !== null && ((validity[i >> 3]! >> (i & 7)) & 1) === 0) {
      strings[i] = null
      continue
    }
    let u = 0n
    for (let k = stride - 1; k >= 0; k--) u = (u << 32n) | BigInt(w[i * stride + k]!)
    const bits = BigInt(stride * 32)
    if (u >> (bits - 1n) === 1n) u -= 1n << bits
    strings[i] = formatDecimal({ unscaled: u, scale: t.scale })
  }
  return textVector({ id: 'numeric', precision: t.precision, scale: null }, strings, validity)
}

function textVector(type: SqlType, strings: readonly (string | null)[], validity: Uint8Array | null): Vector {
  const enc = new TextEncoder()
  const n = strings.length
  const parts: Uint8Array[] = []
  const offsets = new Int32Array(n + 1)
  let pos = 0
  for (let i = 0; i < n; i++) {
    const s = strings[i]
    if (s !== null && s !== undefined) {
      const b = enc.encode(s)
      parts.push(b)
      pos += b.length
    }
    offsets[i + 1] = pos
  }
  const values = new Uint8Array(pos)
  let p = 0
  for (const b of parts) {
    values.set(b, p)
    p += b.length
  }
  return { type, length: n, values, validity, offsets }
}

function utf8Vector(data: A.Data, type: SqlType): Vector {
  const n = data.length
  const off = (data.valueOffsets as Int32Array).subarray(0, n + 1)
  const bytes = data.values as Uint8Array
  const validity = validityFromArrow(data)
  const first = off[0] ?? 0
  if (first === 0) return { type, length: n, values: bytes.subarray(0, off[n] ?? 0), validity, offsets: off }
  // a slice: rebase the offsets so that they start at 0 (values stay a view)
  const offsets = new Int32Array(n + 1)
  for (let i = 0; i <= n; i++) offsets[i] = off[i]! - first
  return { type, length: n, values: bytes.subarray(first, off[n]!), validity, offsets }
}

function narrowOffsets(big: BigInt64Array, n: number): Int32Array {
  const w = int64Words(big, n + 1)
  const first = w[0]! >>> 0
  const out = new Int32Array(n + 1)
  for (let i = 0; i <= n; i++) {
    if (w[2 * i + 1] !== 0) throw new NotImplementedError('values larger than 2 GB in one column chunk are not supported')
    out[i] = (w[2 * i]! >>> 0) - first
  }
  return out
}

function largeUtf8Vector(data: A.Data, type: SqlType): Vector {
  const n = data.length
  const big = data.valueOffsets as unknown as BigInt64Array
  const first = Number(big[0] ?? 0n)
  const offsets = narrowOffsets(big, n)
  return { type, length: n, values: (data.values as Uint8Array).subarray(first, first + offsets[n]!), validity: validityFromArrow(data), offsets }
}

function viewUtf8Vector(data: A.Data, type: SqlType): Vector {
  const n = data.length
  const views = data.values as Uint8Array
  const dv = new DataView(views.buffer, views.byteOffset, views.byteLength)
  const buffers = (data as unknown as { variadicBuffers: Uint8Array[] }).variadicBuffers ?? []
  const validity = validityFromArrow(data)
  let total = 0
  for (let i = 0; i < n; i++) total += dv.getInt32(16 * i, true)
  const values = new Uint8Array(total)
  const offsets = new Int32Array(n + 1)
  let pos = 0
  for (let i = 0; i < n; i++) {
    const len = dv.getInt32(16 * i, true)
    if (validity !== null && ((validity[i >> 3]! >> (i & 7)) & 1) === 0) {
      offsets[i + 1] = pos
      continue
    }
    if (len <= 12) values.set(views.subarray(16 * i + 4, 16 * i + 4 + len), pos)
    else {
      const buf = buffers[dv.getInt32(16 * i + 8, true)]
      const start = dv.getInt32(16 * i + 12, true)
      if (buf === undefined) throw new InternalError('Utf8View buffer index out of range')
      values.set(buf.subarray(start, start + len), pos)
    }
    pos += len
    offsets[i + 1] = pos
  }
  return { type, length: n, values: values.subarray(0, pos), validity, offsets }
}

function convertInterval(data: A.Data<A.Interval>): Vector {
  const unit = data.type.unit
  const n = data.length
  const out = new Float64Array(3 * n)
  const src = data.values as unknown as Int32Array
  if (unit === A.IntervalUnit.YEAR_MONTH) {
    for (let i = 0; i < n; i++) out[3 * i] = src[i]!
  } else if (unit === A.IntervalUnit.DAY_TIME) {
    for (let i = 0; i < n; i++) {
      out[3 * i + 1] = src[2 * i]!
      out[3 * i + 2] = src[2 * i + 1]! * 1000
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[3 * i] = src[4 * i]!
      out[3 * i + 1] = src[4 * i + 1]!
      const lo = src[4 * i + 2]! >>> 0
      const hi = src[4 * i + 3]!
      out[3 * i + 2] = hi * 4294967 + Math.floor((hi * 296 + lo) / 1000)
    }
  }
  return { type: T.interval, length: n, values: out, validity: validityFromArrow(data) }
}

function convertDictionary(data: A.Data<A.Dictionary>, target: SqlType): Vector {
  const dictVec = data.dictionary
  if (dictVec === undefined) throw new InternalError('dictionary data without a dictionary')
  const dictChunks = dictVec.data.map((d) => convert(d as A.Data, target))
  const dict = dictChunks.length === 1 ? dictChunks[0]! : concatVectors(dictChunks)
  const n = data.length
  const validity = validityFromArrow(data)
  const keyType = data.type.indices
  let keys: ArrayLike<number>
  if ((keyType.bitWidth as number) === 64) {
    const w = int64Words(data.values as ArrayBufferView, n)
    const k = new Float64Array(n)
    for (let i = 0; i < n; i++) k[i] = w[2 * i]! >>> 0
    keys = k
  } else keys = (data.values as Int32Array).subarray(0, n)
  return gather(dict, keys, validity)
}

/** Rows `keys[i]` of `dict` (NULL where `validity` says so or the dictionary value is NULL). */
function gather(dict: Vector, keys: ArrayLike<number>, validity: Uint8Array | null): Vector {
  const n = keys.length
  const layout = layoutOf(dict.type)
  let outValidity = validity
  if (dict.validity !== null) {
    const dv = dict.validity
    const bm = new Uint8Array(bitmapBytes(n))
    for (let i = 0; i < n; i++) {
      const valid = (validity === null || ((validity[i >> 3]! >> (i & 7)) & 1) === 1) && ((dv[keys[i]! >> 3]! >> (keys[i]! & 7)) & 1) === 1
      if (valid) bm[i >> 3]! |= 1 << (i & 7)
    }
    outValidity = bm
  }
  const isValid = (i: number): boolean => validity === null || ((validity[i >> 3]! >> (i & 7)) & 1) === 1
  if (layout === 'utf8') {
    const doff = dict.offsets!
    const dbytes = dict.values as Uint8Array
    const offsets = new Int32Array(n + 1)
    let total = 0
    for (let i = 0; i < n; i++) {
      if (isValid(i)) {
        const k = keys[i]!
        total += doff[k + 1]! - doff[k]!
      }
      offsets[i + 1] = total
    }
    const values = new Uint8Array(total)
    for (let i = 0; i < n; i++) {
      const a = offsets[i]!
      const b = offsets[i + 1]!
      if (b > a) {
        const k = keys[i]!
        values.set(dbytes.subarray(doff[k]!, doff[k + 1]!), a)
      }
    }
    return { type: dict.type, length: n, values, validity: outValidity, offsets }
  }
  if (layout === 'list') throw new NotImplementedError('dictionary-encoded lists are not supported')
  const width = layout === 'interval' ? 3 : 1
  const src = dict.values
  const out = new (src.constructor as new (n: number) => Values)(n * width)
  if (width === 1) {
    for (let i = 0; i < n; i++) if (isValid(i)) out[i] = src[keys[i]!]!
  } else {
    for (let i = 0; i < n; i++) {
      if (!isValid(i)) continue
      const k = keys[i]!
      out[3 * i] = src[3 * k]!
      out[3 * i + 1] = src[3 * k + 1]!
      out[3 * i + 2] = src[3 * k + 2]!
    }
  }
  return { type: dict.type, length: n, values: out, validity: outValidity }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const f = h & 0x3ff
  if (e === 0) return s * 2 ** -14 * (f / 1024)
  if (e === 31) return f === 0 ? s * Infinity : NaN
  return s * 2 ** (e - 15) * (1 + f / 1024)
}

// ---------------------------------------------------------------------------------------------
// Flint → Arrow
// ---------------------------------------------------------------------------------------------

/**
 * Arrow data for a Flint vector. `declared` is the column's declared type (a numeric(p,s) column may
 * hold text-layout vectors when values exceed 2^53); it defaults to the vector's type.
 */
export function vectorToArrow(v: Vector, mode: ArrowMode = 'portable', declared: SqlType = v.type): A.Data {
  const n = v.length
  const nullBitmap = v.validity ?? undefined
  const nc = v.validity === null ? 0 : nullCount(v)
  const t = declared
  const arrowType = sqlTypeToArrow(t, mode)
  const base = { type: arrowType, offset: 0, length: n, nullCount: nc, ...(nullBitmap !== undefined ? { nullBitmap } : {}) }
  switch (t.id) {
    case 'null':
      return A.makeData({ type: new A.Null(), length: n })
    case 'bool':
      if (mode === 'native') return A.makeData({ ...base, type: new A.Uint8(), data: v.values as Uint8Array })
      return A.makeData({ ...base, type: new A.Bool(), data: packBits(v.values as Uint8Array, n) })
    case 'int2':
      return A.makeData({ ...base, type: new A.Int16(), data: v.values as Int16Array })
    case 'int4':
      return A.makeData({ ...base, type: new A.Int32(), data: v.values as Int32Array })
    case 'float4':
      return A.makeData({ ...base, type: new A.Float32(), data: v.values as Float32Array })
    case 'float8':
      return A.makeData({ ...base, type: new A.Float64(), data: v.values as Float64Array })
    case 'int8':
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      if (isWideInt8(v)) {
        // the wide layout is Arrow's Int64 buffer already; the native schema has no room for it
        if (mode === 'native') throw new NotImplementedError('bigint values beyond ±2^53 in the native Arrow layout are not supported')
        return A.makeData({ ...base, type: new A.Int64(), data: wideValues(v)!.subarray(0, n) })
      }
      if (mode === 'native') return A.makeData({ ...base, type: new A.Float64(), data: v.values as Float64Array })
      return A.makeData({ ...base, type: new A.Int64(), data: doublesToInt64(v.values as Float64Array, n, 1) })
    case 'numeric':
      return numericToArrow(v, t, mode, base)
    case 'date':
      return A.makeData({ ...base, type: new A.DateDay(), data: v.values as Int32Array })
    case 'time':
      if (mode === 'native') return A.makeData({ ...base, type: new A.Float64(), data: v.values as Float64Array })
      return A.makeData({ ...base, type: new A.TimeMicrosecond(), data: doublesToInt64(v.values as Float64Array, n, 1) as never })
    case 'timestamp':
    case 'timestamptz':
      if (mode === 'native') return A.makeData({ ...base, type: new A.Float64(), data: v.values as Float64Array })
      return A.makeData({ ...base, type: arrowType as A.TimestampMicrosecond, data: doublesToInt64(v.values as Float64Array, n, 1) as never })
    case 'interval': {
      if (mode === 'native') {
        const child = A.makeData({ type: new A.Float64(), length: 3 * n, nullCount: 0, data: (v.values as Float64Array).subarray(0, 3 * n) })
        return A.makeData({ ...base, type: arrowType as A.FixedSizeList, child })
      }
      return A.makeData({ ...base, type: new A.IntervalMonthDayNano(), data: intervalsToMonthDayNano(v.values as Float64Array, n) as never })
    }
    case 'bytea':
      return A.makeData({ ...base, type: new A.Binary(), valueOffsets: v.offsets!, data: v.values as Uint8Array })
    case 'array': {
      const child = vectorToArrow(v.child!, mode, t.element)
      return A.makeData({ ...base, type: arrowType as A.List, valueOffsets: v.offsets!, child })
    }
    default:
      return A.makeData({ ...base, type: new A.Utf8(), valueOffsets: v.offsets!, data: v.values as Uint8Array })
  }
}

type BaseProps = { offset: number; length: number; nullCount: number; nullBitmap?: Uint8Array }

function numericToArrow(v: Vector, t: Extract<SqlType, { id: 'numeric' }>, mode: ArrowMode, base: BaseProps): A.Data {
  const n = v.length
  const vecIsText = layoutOf(v.type) === 'utf8'
  if (t.scale === null) {
    if (!vecIsText) throw new InternalError('numeric column without a scale holds a scaled vector')
    return A.makeData({ ...base, type: new A.Utf8(), valueOffsets: v.offsets!, data: v.values as Uint8Array })
  }
  const vScale = v.type.id === 'numeric' ? v.type.scale : t.scale
  if (mode === 'native') {
    if (vecIsText) throw new NotImplementedError(`numeric value too large for ${typeName(t)} in a native Arrow batch`)
    if (vScale !== t.scale) throw new InternalError('numeric vector scale differs from its column')
    return A.makeData({ ...base, type: new A.Float64(), data: v.values as Float64Array })
  }
  const type = new A.Decimal(t.scale, t.precision ?? 38, 128)
  const out = new Uint32Array(4 * n)
  if (!vecIsText && vScale === t.scale) {
    const src = v.values as Float64Array
    for (let i = 0; i < n; i++) {
      const x = src[i]!
      const hi = Math.floor(x / TWO32)
      const lo = x - hi * TWO32
      const k = 4 * i
      out[k] = lo
      out[k + 1] = hi >>> 0
      const ext = x < 0 ? 0xffffffff : 0
      out[k + 2] = ext
      out[k + 3] = ext
    }
  } else {
    // exact slow path: decimal text (or another scale) → 128-bit two's complement
    for (let i = 0; i < n; i++) {
      if (v.validity !== null && ((v.validity[i >> 3]! >> (i & 7)) & 1) === 0) continue
      let unscaled: bigint
      if (vecIsText) unscaled = textToUnscaled(decodeText(v, i), t.scale)
      else unscaled = rescaleBig(BigInt((v.values as Float64Array)[i]!), vScale ?? 0, t.scale)
      let u = BigInt.asUintN(128, unscaled)
      for (let k = 0; k < 4; k++) {
        out[4 * i + k] = Number(u & 0xffffffffn)
        u >>= 32n
      }
    }
  }
  return A.makeData({ ...base, type, data: out })
}

const textDecoder = new TextDecoder()
function decodeText(v: Vector, i: number): string {
  return textDecoder.decode((v.values as Uint8Array).subarray(v.offsets![i]!, v.offsets![i + 1]!))
}

function textToUnscaled(text: string, scale: number): bigint {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/.exec(text)
  if (m === null) throw new NotImplementedError(`cannot write numeric value "${text}" as a decimal`)
  const frac = (m[3] ?? '').padEnd(scale, '0')
  const keep = frac.slice(0, scale)
  let u = BigInt((m[2] ?? '') + keep || '0')
  const rest = frac.slice(scale)
  if (rest.length > 0 && rest.charCodeAt(0) >= 53) u += 1n
  return m[1] === '-' ? -u : u
}

function rescaleBig(u: bigint, from: number, to: number): bigint {
  if (to >= from) return u * 10n ** BigInt(to - from)
  const div = 10n ** BigInt(from - to)
  let q = u / div
  const r = u % div
  if ((r < 0n ? -r : r) * 2n >= div) q += u < 0n ? -1n : 1n
  return q
}

/** Integers held in doubles (× mul) as int64 (a BigInt64Array over lo/hi 32-bit halves). */
function doublesToInt64(src: Float64Array, n: number, mul: number): BigInt64Array {
  const out = new BigInt64Array(n)
  const w = new Int32Array(out.buffer)
  for (let i = 0; i < n; i++) {
    const x = src[i]! * mul
    const hi = Math.floor(x / TWO32)
    w[2 * i] = (x - hi * TWO32) | 0
    w[2 * i + 1] = hi | 0
  }
  return out
}

function intervalsToMonthDayNano(src: Float64Array, n: number): Int32Array {
  const out = new Int32Array(4 * n)
  for (let i = 0; i < n; i++) {
    out[4 * i] = src[3 * i]!
    out[4 * i + 1] = src[3 * i + 1]!
    // nanos = micros · 1000 without losing bits above 2^53
    const micros = src[3 * i + 2]!
    const mh = Math.floor(micros / TWO32)
    const ml = micros - mh * TWO32
    const nl = ml * 1000
    const carry = Math.floor(nl / TWO32)
    out[4 * i + 2] = (nl - carry * TWO32) | 0
    out[4 * i + 3] = (mh * 1000 + carry) | 0
  }
  return out
}

/** Packs one byte per value into LSB-first bits. */
function packBits(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(bitmapBytes(n))
  const full = n & ~7
  let i = 0
  for (; i < full; i += 8) {
    out[i >> 3] =
      (bytes[i]! ? 1 : 0) |
      (bytes[i + 1]! ? 2 : 0) |
      (bytes[i + 2]! ? 4 : 0) |
      (bytes[i + 3]! ? 8 : 0) |
      (bytes[i + 4]! ? 16 : 0) |
      (bytes[i + 5]! ? 32 : 0) |
      (bytes[i + 6]! ? 64 : 0) |
      (bytes[i + 7]! ? 128 : 0)
  }
  for (; i < n; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7)
  return out
}

/** An Arrow record batch over a Flint batch. */
export function batchToArrow(batch: Batch, columns: readonly ColumnDef[], mode: ArrowMode = 'portable'): A.RecordBatch {
  const schema = schemaToArrow(columns, mode)
  const children = batch.columns.map((v, i) => vectorToArrow(v, mode, columns[i]?.type ?? v.type))
  const data = A.makeData({ type: new A.Struct(schema.fields), length: batch.numRows, nullCount: 0, children })
  return new A.RecordBatch(schema, data)
}

/** An Arrow table over Flint batches (all with the given columns). */
export function batchesToArrowTable(columns: readonly ColumnDef[], batches: readonly Batch[], mode: ArrowMode = 'portable'): A.Table {
  if (batches.length === 0) return new A.Table(schemaToArrow(columns, mode))
  return new A.Table(batches.map((b) => batchToArrow(b, columns, mode)))
}

/** True when two column lists have the same names and types. */
export function sameColumns(a: readonly ColumnDef[], b: readonly ColumnDef[]): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && typeEquals(c.type, b[i]!.type))
}
