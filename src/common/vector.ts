/**
 * Column vectors and record batches in Arrow's memory layout (see types.ts for the layout of each
 * SQL type). Vectors are plain objects over typed arrays, so they cross worker boundaries by
 * structured clone of their (often SharedArrayBuffer-backed) buffers without losing anything, and
 * convert to apache-arrow `Data` without copying (storage/arrow.ts).
 */
import { InternalError } from './errors.js'
import { isWideInt8, widenValues, wideInt8Vector } from './int8.js'
import { layoutOf, type SqlType } from './types.js'

/** Any typed array a vector's `values` may be. */
export type Values = Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array

/** One column of `length` values in Arrow layout. */
export interface Vector {
  readonly type: SqlType
  readonly length: number
  /** Fixed-width values; for utf8 the bytes; for interval 3 × length doubles; for list unused (empty). */
  readonly values: Values
  /** LSB-first validity bitmap (1 = valid), or null when every value is valid. */
  readonly validity: Uint8Array | null
  /** utf8 and list layouts: length + 1 offsets into `values` (utf8) or `child` (list). */
  readonly offsets?: Int32Array
  /** list layout: the element values. */
  readonly child?: Vector
}

/** A set of equally long columns. */
export interface Batch {
  readonly numRows: number
  readonly columns: readonly Vector[]
}

/** True when row i is NULL. */
export const isNull = (v: Vector, i: number): boolean => v.validity !== null && ((v.validity[i >> 3]! >> (i & 7)) & 1) === 0

/** Bytes needed for a bitmap of n bits. */
export const bitmapBytes = (n: number): number => (n + 7) >> 3

/** A validity bitmap with all n bits set. */
export function allValid(n: number): Uint8Array {
  const bm = new Uint8Array(bitmapBytes(n)).fill(0xff)
  return bm
}

/** Sets bit i of a bitmap. */
export const setBit = (bm: Uint8Array, i: number): void => {
  bm[i >> 3]! |= 1 << (i & 7)
}
/** Clears bit i of a bitmap. */
export const clearBit = (bm: Uint8Array, i: number): void => {
  bm[i >> 3]! &= ~(1 << (i & 7))
}
/** Reads bit i of a bitmap. */
export const getBit = (bm: Uint8Array, i: number): boolean => ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** Number of NULLs in a vector. */
export function nullCount(v: Vector): number {
  if (v.validity === null) return 0
  let n = 0
  for (let i = 0; i < v.length; i++) if (((v.validity[i >> 3]! >> (i & 7)) & 1) === 0) n++
  return n
}

/** AND of two validity bitmaps (null = all valid). */
export function andValidity(a: Uint8Array | null, b: Uint8Array | null, n: number): Uint8Array | null {
  if (a === null) return b
  if (b === null) return a
  const out = new Uint8Array(bitmapBytes(n))
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!
  return out
}

/** Drops an all-valid bitmap (returns null when every bit of the first n is set). */
export function normalizeValidity(bm: Uint8Array | null, n: number): Uint8Array | null {
  if (bm === null) return null
  const full = n >> 3
  for (let i = 0; i < full; i++) if (bm[i] !== 0xff) return bm
  for (let i = full << 3; i < n; i++) if (!getBit(bm, i)) return bm
  return null
}

/** Allocates a zeroed values array of the type's layout. */
export function allocValues(type: SqlType, n: number, shared = false): Values {
  const make = <A extends Values>(C: { new (b: ArrayBufferLike): A; BYTES_PER_ELEMENT: number }, len: number): A =>
    shared ? new C(new SharedArrayBuffer(Math.max(1, len) * C.BYTES_PER_ELEMENT)) : new C(new ArrayBuffer(len * C.BYTES_PER_ELEMENT))
  switch (layoutOf(type)) {
    case 'u8':
      return make(Uint8Array, n)
    case 'i16':
      return make(Int16Array, n)
    case 'i32':
      return make(Int32Array, n)
    case 'f32':
      return make(Float32Array, n)
    case 'f64':
      return make(Float64Array, n)
    case 'interval':
      return make(Float64Array, 3 * n)
    case 'utf8':
    case 'list':
      return make(Uint8Array, 0)
  }
}

/** A fixed-width vector over the given values. */
export const fixedVector = (type: SqlType, values: Values, validity: Uint8Array | null, length = values.length): Vector => ({
  type,
  length,
  values,
  validity,
})

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Builds a utf8 vector from JS strings (null = NULL). */
export function stringVector(type: SqlType, strings: readonly (string | null)[]): Vector {
  const n = strings.length
  const offsets = new Int32Array(n + 1)
  let validity: Uint8Array | null = null
  let cap = 16
  for (let i = 0; i < n; i++) cap += (strings[i]?.length ?? 0) * 3
  let bytes = new Uint8Array(cap)
  let pos = 0
  for (let i = 0; i < n; i++) {
    const s = strings[i]
    if (s === null || s === undefined) {
      if (validity === null) validity = allValid(n)
      clearBit(validity, i)
    } else if (s.length > 0) {
      // ASCII fast path, else TextEncoder
      let ascii = true
      for (let k = 0; k < s.length; k++) {
        const c = s.charCodeAt(k)
        if (c >= 0x80) {
          ascii = false
          break
        }
        bytes[pos + k] = c
      }
      if (ascii) pos += s.length
      else pos += encoder.encodeInto(s, bytes.subarray(pos)).written
    }
    offsets[i + 1] = pos
  }
  if (pos < bytes.length) bytes = bytes.slice(0, pos)
  return { type, length: n, values: bytes, validity, offsets }
}

const stringCache = new WeakMap<Vector, (string | null)[]>()

/** Decodes a utf8 vector to JS strings (NULL = null). Cached per vector. */
export function toStrings(v: Vector): (string | null)[] {
  const hit = stringCache.get(v)
  if (hit) return hit
  const n = v.length
  const out = new Array<string | null>(n)
  const off = v.offsets!
  const bytes = v.values as Uint8Array
  for (let i = 0; i < n; i++) {
    if (v.validity !== null && ((v.validity[i >> 3]! >> (i & 7)) & 1) === 0) {
      out[i] = null
      continue
    }
    const a = off[i]!
    const b = off[i + 1]!
    out[i] = decodeUtf8(bytes, a, b)
  }
  stringCache.set(v, out)
  return out
}

/** Decodes bytes[a, b) as UTF-8, with an ASCII fast path for short strings. */
export function decodeUtf8(bytes: Uint8Array, a: number, b: number): string {
  if (b - a < 48) {
    let s = ''
    for (let k = a; k < b; k++) {
      const c = bytes[k]!
      if (c >= 0x80) return decoder.decode(bytes.subarray(a, b))
      s += String.fromCharCode(c)
    }
    return s
  }
  return decoder.decode(bytes.subarray(a, b))
}

/** Encodes a string as UTF-8 bytes. */
export const encodeUtf8 = (s: string): Uint8Array => encoder.encode(s)

/** A vector of n NULLs of the given type. */
export function nullVector(type: SqlType, n: number): Vector {
  const validity = new Uint8Array(bitmapBytes(n))
  const layout = layoutOf(type)
  if (layout === 'utf8') return { type, length: n, values: new Uint8Array(0), validity, offsets: new Int32Array(n + 1) }
  if (layout === 'list') return { type, length: n, values: new Uint8Array(0), validity, offsets: new Int32Array(n + 1), child: emptyVector((type as { element: SqlType }).element) }
  return { type, length: n, values: allocValues(type, n), validity }
}

/** A vector with no rows. */
export function emptyVector(type: SqlType): Vector {
  const layout = layoutOf(type)
  if (layout === 'utf8') return { type, length: 0, values: new Uint8Array(0), validity: null, offsets: new Int32Array(1) }
  if (layout === 'list') return { type, length: 0, values: new Uint8Array(0), validity: null, offsets: new Int32Array(1), child: emptyVector((type as { element: SqlType }).element) }
  return { type, length: 0, values: allocValues(type, 0), validity: null }
}

/** A batch with no rows for the given column types. */
export const emptyBatch = (types: readonly SqlType[]): Batch => ({ numRows: 0, columns: types.map(emptyVector) })

/** Same vector with another type of the same layout (e.g. varchar → text). */
export const retype = (v: Vector, type: SqlType): Vector => (v.type === type ? v : { ...v, type })

/** Bits [offset, offset + n) of an LSB-first bitmap as a bitmap starting at bit 0. */
export function sliceBits(bm: Uint8Array, offset: number, n: number): Uint8Array {
  const nb = bitmapBytes(n)
  if ((offset & 7) === 0) {
    const start = offset >> 3
    return bm.subarray(start, start + nb)
  }
  const out = new Uint8Array(nb)
  const shift = offset & 7
  let src = offset >> 3
  for (let i = 0; i < nb; i++, src++) out[i] = ((bm[src]! >> shift) | ((bm[src + 1] ?? 0) << (8 - shift))) & 0xff
  return out
}

/** Concatenates vectors of one layout into one (copies). */
export function concatVectors(parts: readonly Vector[]): Vector {
  if (parts.length === 0) throw new InternalError('concatVectors needs at least one vector')
  if (parts.length === 1) return parts[0]!
  const type = parts[0]!.type
  let n = 0
  for (const p of parts) n += p.length
  let validity: Uint8Array | null = null
  if (parts.some((p) => p.validity !== null)) {
    validity = new Uint8Array(bitmapBytes(n))
    let row = 0
    for (const p of parts) {
      for (let i = 0; i < p.length; i++, row++) {
        if (p.validity === null || ((p.validity[i >> 3]! >> (i & 7)) & 1) === 1) validity[row >> 3]! |= 1 << (row & 7)
      }
    }
  }
  const layout = layoutOf(type)
  if (layout === 'utf8') {
    let bytes = 0
    for (const p of parts) bytes += p.offsets![p.length]! - p.offsets![0]!
    const values = new Uint8Array(bytes)
    const offsets = new Int32Array(n + 1)
    let row = 0
    let pos = 0
    for (const p of parts) {
      const off = p.offsets!
      const a = off[0]!
      const b = off[p.length]!
      values.set((p.values as Uint8Array).subarray(a, b), pos)
      for (let i = 1; i <= p.length; i++) offsets[row + i] = off[i]! - a + pos
      row += p.length
      pos += b - a
    }
    return { type, length: n, values, validity, offsets }
  }
  if (layout === 'list') {
    const offsets = new Int32Array(n + 1)
    const children: Vector[] = []
    let row = 0
    let pos = 0
    for (const p of parts) {
      const off = p.offsets!
      const a = off[0]!
      const b = off[p.length]!
      children.push(sliceVector(p.child!, a, b - a))
      for (let i = 1; i <= p.length; i++) offsets[row + i] = off[i]! - a + pos
      row += p.length
      pos += b - a
    }
    return { type, length: n, values: new Uint8Array(0), validity, offsets, child: concatVectors(children) }
  }
  if (parts.some(isWideInt8)) {
    // mixed int8 layouts: the result is wide
    const out = new BigInt64Array(n)
    let pos = 0
    for (const p of parts) {
      out.set(widenValues(p).subarray(0, p.length), pos)
      pos += p.length
    }
    return wideInt8Vector(type, out, validity)
  }
  const width = layout === 'interval' ? 3 : 1
  const out = new (parts[0]!.values.constructor as new (n: number) => Values)(n * width)
  let pos = 0
  for (const p of parts) {
    out.set(p.values.subarray(0, p.length * width) as never, pos)
    pos += p.length * width
  }
  return { type, length: n, values: out, validity }
}

/** Rows [start, start + length) of a vector (shares memory where the layout allows). */
export function sliceVector(v: Vector, start: number, length: number): Vector {
  if (start === 0 && length === v.length) return v
  const validity = v.validity === null ? null : sliceBits(v.validity, start, length)
  const layout = layoutOf(v.type)
  if (layout === 'utf8' || layout === 'list') {
    const off = v.offsets!.subarray(start, start + length + 1)
    return { ...v, length, validity, offsets: off }
  }
  const width = layout === 'interval' ? 3 : 1
  return { type: v.type, length, values: v.values.subarray(start * width, (start + length) * width), validity }
}
