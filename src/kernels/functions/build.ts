/**
 * Helpers for function kernels: combined NULL masks, a growable UTF-8 column builder, and
 * row-loop wrappers for the functions whose work is per string rather than per byte.
 */
import type { SqlType } from '../../common/types.js'
import {
  allValid,
  andValidity,
  bitmapBytes,
  clearBit,
  decodeUtf8,
  encodeUtf8,
  toStrings,
  type Vector,
} from '../../common/vector.js'

/** The AND of every argument's validity (null when all rows are valid). */
export function argsValidity(args: readonly Vector[], n: number): Uint8Array | null {
  let v: Uint8Array | null = null
  for (const a of args) {
    if (a.validity === null) continue
    v = v === null ? a.validity : andValidity(v, a.validity, n)
  }
  return v
}

/** True when bit i of a bitmap (null = all valid) is set. */
export const valid = (bm: Uint8Array | null, i: number): boolean => bm === null || ((bm[i >> 3]! >> (i & 7)) & 1) === 1

/** A copy of a bitmap (or an all-valid one) that can be written to. */
export const writableValidity = (bm: Uint8Array | null, n: number): Uint8Array => {
  if (bm === null) return allValid(n)
  const out = new Uint8Array(bitmapBytes(n))
  out.set(bm.subarray(0, out.length))
  return out
}

/** Builds a utf8 column by appending bytes or strings row after row. */
export class Utf8Builder {
  private bytes: Uint8Array
  private pos = 0
  private readonly offsets: Int32Array
  private validity: Uint8Array | null = null
  private row = 0

  constructor(
    private readonly n: number,
    capacity = 64,
  ) {
    this.bytes = new Uint8Array(Math.max(16, capacity))
    this.offsets = new Int32Array(n + 1)
  }

  private reserve(extra: number): void {
    if (this.pos + extra <= this.bytes.length) return
    let cap = this.bytes.length * 2
    while (cap < this.pos + extra) cap *= 2
    const b = new Uint8Array(cap)
    b.set(this.bytes.subarray(0, this.pos))
    this.bytes = b
  }

  /** Appends src[a, b) as the next row. */
  bytesRow(src: Uint8Array, a: number, b: number): void {
    this.reserve(b - a)
    this.bytes.set(src.subarray(a, b), this.pos)
    this.pos += b - a
    this.offsets[++this.row] = this.pos
  }

  /** Appends raw bytes to the current row without ending it. */
  push(src: Uint8Array, a: number, b: number): void {
    this.reserve(b - a)
    this.bytes.set(src.subarray(a, b), this.pos)
    this.pos += b - a
  }

  /** Appends one byte to the current row without ending it. */
  pushByte(c: number): void {
    this.reserve(1)
    this.bytes[this.pos++] = c
  }

  /** Ends the current row. */
  endRow(): void {
    this.offsets[++this.row] = this.pos
  }

  /** Appends a JS string as the next row. */
  stringRow(s: string): void {
    const len = s.length
    this.reserve(len * 3)
    let ascii = true
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(k)
      if (c >= 0x80) {
        ascii = false
        break
      }
      this.bytes[this.pos + k] = c
    }
    if (ascii) this.pos += len
    else {
      const enc = encodeUtf8(s)
      this.bytes.set(enc, this.pos)
      this.pos += enc.length
    }
    this.offsets[++this.row] = this.pos
  }

  /** Appends a NULL row. */
  nullRow(): void {
    if (this.validity === null) this.validity = allValid(this.n)
    clearBit(this.validity, this.row)
    this.offsets[++this.row] = this.pos
  }

  /** The finished vector. */
  finish(type: SqlType): Vector {
    const values = this.pos === this.bytes.length ? this.bytes : this.bytes.slice(0, this.pos)
    return { type, length: this.n, values, validity: this.validity, offsets: this.offsets }
  }
}

/** Maps rows of string arguments (decoded) to a string result; a null result is NULL. */
export function mapToString(
  args: readonly Vector[],
  n: number,
  ret: SqlType,
  fn: (i: number, ...vals: string[]) => string | null,
): Vector {
  const strs = args.map((a) => (a.offsets !== undefined ? toStrings(a) : null))
  const bm = argsValidity(args, n)
  const out = new Utf8Builder(n, estimateBytes(args))
  const vals = new Array<string>(args.length)
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) {
      out.nullRow()
      continue
    }
    for (let k = 0; k < args.length; k++) vals[k] = strs[k] ? strs[k]![i]! : ''
    const r = fn(i, ...vals)
    if (r === null) out.nullRow()
    else out.stringRow(r)
  }
  return out.finish(ret)
}

/** A byte-size guess for a string result: the size of the largest string argument. */
function estimateBytes(args: readonly Vector[]): number {
  let m = 64
  for (const a of args) if (a.offsets !== undefined) m = Math.max(m, a.values.length)
  return m
}

/** Maps rows (NULL in → NULL out) to numbers, stored in a typed array of the result layout. */
export function mapToNumber<A extends Float64Array | Int32Array | Int16Array | Uint8Array | Float32Array>(
  args: readonly Vector[],
  n: number,
  ret: SqlType,
  out: A,
  fn: (i: number) => number,
): Vector {
  const bm = argsValidity(args, n)
  for (let i = 0; i < n; i++) if (valid(bm, i)) out[i] = fn(i)
  return { type: ret, length: n, values: out, validity: bm }
}

/** Row i of a utf8 vector as a string (no cache; for sparse access). */
export const stringAt = (v: Vector, i: number): string => decodeUtf8(v.values as Uint8Array, v.offsets![i]!, v.offsets![i + 1]!)

/** Decoded strings of a utf8 argument (cached per vector). */
export const strings = (v: Vector): (string | null)[] => toStrings(v)

/** Number of UTF-8 characters in bytes[a, b) (counts non-continuation bytes). */
export function utf8Length(bytes: Uint8Array, a: number, b: number): number {
  let c = 0
  for (let k = a; k < b; k++) if ((bytes[k]! & 0xc0) !== 0x80) c++
  return c
}

/** Byte offset of the character index `chars` counted from byte a (clamped to b). */
export function utf8Advance(bytes: Uint8Array, a: number, b: number, chars: number): number {
  let k = a
  while (chars > 0 && k < b) {
    k++
    while (k < b && (bytes[k]! & 0xc0) === 0x80) k++
    chars--
  }
  return k
}

/** True when the constant-per-row detection holds: every row of a utf8 vector has the same bytes. */
export function sameBytes(v: Vector, i: number, j: number): boolean {
  const off = v.offsets!
  const a = off[i]!
  const b = off[i + 1]!
  const c = off[j]!
  if (off[j + 1]! - c !== b - a) return false
  const bytes = v.values as Uint8Array
  for (let k = 0; k < b - a; k++) if (bytes[a + k] !== bytes[c + k]) return false
  return true
}
