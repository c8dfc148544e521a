/**
 * A growable big-endian byte buffer that backend messages are written into, many messages per
 * buffer, so a whole page of DataRows reaches the socket in one write.
 */

/** Appends big-endian integers, floats, strings and raw bytes to one growing Buffer. */
export class ByteSink {
  buf: Buffer
  pos = 0

  constructor(initial = 8192) {
    this.buf = Buffer.allocUnsafe(initial)
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = Buffer.allocUnsafe(size)
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  /** One unsigned byte. */
  u8(x: number): void {
    this.ensure(1)
    this.buf[this.pos++] = x & 0xff
  }

  /** A signed 16-bit integer. */
  i16(x: number): void {
    this.ensure(2)
    this.buf.writeInt16BE(x, this.pos)
    this.pos += 2
  }

  /** An unsigned 16-bit integer. */
  u16(x: number): void {
    this.ensure(2)
    this.buf.writeUInt16BE(x, this.pos)
    this.pos += 2
  }

  /** A signed 32-bit integer. */
  i32(x: number): void {
    this.ensure(4)
    this.buf.writeInt32BE(x, this.pos)
    this.pos += 4
  }

  /** An unsigned 32-bit integer. */
  u32(x: number): void {
    this.ensure(4)
    this.buf.writeUInt32BE(x, this.pos)
    this.pos += 4
  }

  /** A signed 64-bit integer given as an exact JS integer (|x| ≤ 2^53) or a bigint. */
  i64(x: number | bigint): void {
    this.ensure(8)
    if (typeof x === 'bigint') this.buf.writeBigInt64BE(x, this.pos)
    else {
      // high word by floor division keeps negative numbers in two's complement
      const hi = Math.floor(x / 4294967296)
      const lo = x - hi * 4294967296
      this.buf.writeInt32BE(hi, this.pos)
      this.buf.writeUInt32BE(lo, this.pos + 4)
    }
    this.pos += 8
  }

  /** An IEEE single. */
  f32(x: number): void {
    this.ensure(4)
    this.buf.writeFloatBE(x, this.pos)
    this.pos += 4
  }

  /** An IEEE double. */
  f64(x: number): void {
    this.ensure(8)
    this.buf.writeDoubleBE(x, this.pos)
    this.pos += 8
  }

  /** Raw bytes src[a, b). */
  bytes(src: Uint8Array, a = 0, b = src.length): void {
    const n = b - a
    this.ensure(n)
    this.buf.set(src.subarray(a, b), this.pos)
    this.pos += n
  }

  /** A string's UTF-8 bytes (no terminator); returns the byte count. */
  utf8(s: string): number {
    // ASCII fast path: one byte per UTF-16 unit
    const len = s.length
    this.ensure(len * 3)
    const buf = this.buf
    let p = this.pos
    for (let k = 0; k < len; k++) {
      const c = s.charCodeAt(k)
      if (c >= 0x80) {
        const n = buf.write(s, this.pos, 'utf8')
        this.pos += n
        return n
      }
      buf[p++] = c
    }
    this.pos = p
    return len
  }

  /** A NUL-terminated string (PostgreSQL's String type). */
  cstring(s: string): void {
    this.utf8(s)
    this.u8(0)
  }

  /** A string as Int32 byte length + bytes (a DataRow field). */
  lengthPrefixedUtf8(s: string): void {
    const at = this.pos
    this.ensure(4)
    this.pos += 4
    const n = this.utf8(s)
    this.buf.writeInt32BE(n, at)
  }

  /** Reserves 4 bytes for a length written later with patchLength; returns their position. */
  reserve4(): number {
    this.ensure(4)
    const at = this.pos
    this.pos += 4
    return at
  }

  /** Writes the number of bytes after `at + 4` up to now into the 4 bytes at `at`. */
  patchLength(at: number): void {
    this.buf.writeInt32BE(this.pos - at - 4, at)
  }

  /** Starts a backend message: type byte and a length placeholder; returns the placeholder's position. */
  begin(type: number): number {
    this.u8(type)
    return this.reserve4()
  }

  /** Ends a message started with begin (its length counts itself, not the type byte). */
  end(at: number): void {
    this.buf.writeInt32BE(this.pos - at, at)
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos
  }

  /** Hands out the bytes written so far (a copy) and empties the sink. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos))
    this.pos = 0
    return out
  }
}
