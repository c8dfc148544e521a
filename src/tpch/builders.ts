/**
 * Column builders for the generator: fixed-width columns are typed arrays filled by index; utf8
 * columns append bytes into a growing buffer and record one offset a row.
 */
import { InternalError } from '../common/errors.js'
import type { SqlType } from '../common/types.js'
import type { Vector } from '../common/vector.js'

/** Encodes an ASCII string as bytes. */
export const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

/** Allocates an Int32Array, in shared memory when asked. */
export const int32s = (n: number, shared: boolean): Int32Array =>
  shared ? new Int32Array(new SharedArrayBuffer(Math.max(1, n) * 4), 0, n) : new Int32Array(n)

/** Allocates a Float64Array, in shared memory when asked. */
export const float64s = (n: number, shared: boolean): Float64Array =>
  shared ? new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8), 0, n) : new Float64Array(n)

/** Builds a utf8 vector of a known number of rows by appending each row's bytes, then ending it. */
export class Utf8Builder {
  /** The bytes written so far (grows as needed). */
  bytes: Uint8Array
  /** Write position in `bytes`. */
  pos = 0
  private readonly offsets: Int32Array
  private row = 0

  constructor(
    private readonly rows: number,
    bytesPerRow: number,
    private readonly shared: boolean,
  ) {
    this.offsets = int32s(rows + 1, shared)
    this.bytes = new Uint8Array(Math.max(64, Math.ceil(rows * bytesPerRow)))
  }

  /** Makes room for `extra` more bytes. */
  reserve(extra: number): void {
    if (this.pos + extra <= this.bytes.length) return
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.pos + extra))
    grown.set(this.bytes.subarray(0, this.pos))
    this.bytes = grown
  }

  /** Appends bytes src[a, b). */
  appendRange(src: Uint8Array, a: number, b: number): void {
    this.reserve(b - a)
    this.bytes.set(src.subarray(a, b), this.pos)
    this.pos += b - a
  }

  /** Appends all of src. */
  append(src: Uint8Array): void {
    this.reserve(src.length)
    this.bytes.set(src, this.pos)
    this.pos += src.length
  }

  /** Appends one byte. */
  appendByte(c: number): void {
    this.reserve(1)
    this.bytes[this.pos++] = c
  }

  /** Appends a non-negative integer in decimal, left-padded with zeros to `width` digits. */
  appendPadded(value: number, width: number): void {
    this.reserve(Math.max(width, 16))
    let digits = 1
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++
    const len = Math.max(width, digits)
    let v = value
    for (let k = len - 1; k >= 0; k--) {
      this.bytes[this.pos + k] = 0x30 + (v % 10)
      v = Math.floor(v / 10)
    }
    this.pos += len
  }

  /** Ends the current row. */
  endRow(): void {
    this.offsets[++this.row] = this.pos
  }

  /** The finished vector (bytes copied to an exactly sized buffer). */
  finish(type: SqlType): Vector {
    if (this.row !== this.rows) throw new InternalError(`utf8 builder: ${this.row} rows ended, ${this.rows} expected`)
    const values = this.shared ? new Uint8Array(new SharedArrayBuffer(Math.max(1, this.pos)), 0, this.pos) : new Uint8Array(this.pos)
    values.set(this.bytes.subarray(0, this.pos))
    return { type, length: this.rows, values, validity: null, offsets: this.offsets }
  }
}
