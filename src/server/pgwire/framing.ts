/**
 * Splits a client's byte stream into protocol messages: the untyped start-up packets (Int32 length,
 * then contents) and, after start-up, typed messages (Byte1 type, Int32 length, contents). Reading
 * is pull-based (`await next()`), and the socket is paused while too much unread input piles up.
 */
import type { Socket } from 'node:net'
import { ProtocolError } from '../../common/errors.js'

/** One typed frontend message: its type byte and its contents (without type and length). */
export interface RawFrontendMessage {
  readonly type: number
  readonly body: Buffer
}

/** PostgreSQL's limit for start-up packets. */
export const MAX_STARTUP_PACKET = 10000
/** PostgreSQL's limit for any message (PQ_LARGE_MESSAGE_LIMIT). */
export const MAX_MESSAGE = 0x3fffffff
const PAUSE_ABOVE = 4 * 1024 * 1024

/** Pull-based message reader over a socket. */
export class MessageReader {
  private chunks: Buffer[] = []
  private buffered = 0
  private waiter: (() => void) | null = null
  private ended = false
  private paused = false

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk)
      this.buffered += chunk.length
      if (this.buffered > PAUSE_ABOVE && !this.paused) {
        this.paused = true
        socket.pause()
      }
      this.wake()
    })
    const finish = (): void => {
      this.ended = true
      this.wake()
    }
    socket.on('end', finish)
    socket.on('close', finish)
    socket.on('error', finish)
  }

  /** True once the peer closed its side. */
  get isEnded(): boolean {
    return this.ended
  }

  /** Bytes received and not yet consumed. */
  get pendingBytes(): number {
    return this.buffered
  }

  private wake(): void {
    const w = this.waiter
    this.waiter = null
    w?.()
  }

  /** Waits until at least n bytes are buffered; false if the stream ended first. */
  private async want(n: number): Promise<boolean> {
    while (this.buffered < n) {
      if (this.ended) return false
      if (this.paused) {
        this.paused = false
        this.socket.resume()
      }
      await new Promise<void>((resolve) => (this.waiter = resolve))
    }
    return true
  }

  /** Copies the first n buffered bytes without consuming them. */
  private peek(n: number): Buffer {
    const first = this.chunks[0]!
    if (first.length >= n) return first.subarray(0, n)
    return Buffer.concat(this.chunks, Math.min(this.buffered, Math.max(n, 0))).subarray(0, n)
  }

  /** Removes and returns the first n buffered bytes. */
  private take(n: number): Buffer {
    let out: Buffer
    const first = this.chunks[0]!
    if (first.length >= n) {
      out = first.subarray(0, n)
      if (first.length === n) this.chunks.shift()
      else this.chunks[0] = first.subarray(n)
    } else {
      out = Buffer.allocUnsafe(n)
      let pos = 0
      while (pos < n) {
        const c = this.chunks[0]!
        const k = Math.min(c.length, n - pos)
        c.copy(out, pos, 0, k)
        pos += k
        if (k === c.length) this.chunks.shift()
        else this.chunks[0] = c.subarray(k)
      }
    }
    this.buffered -= n
    if (this.paused && this.buffered < PAUSE_ABOVE / 2) {
      this.paused = false
      this.socket.resume()
    }
    return out
  }

  /** Reads one start-up packet (length-prefixed, no type byte); null when the client went away. */
  async nextStartup(): Promise<Buffer | null> {
    if (!(await this.want(4))) return null
    const len = this.peek(4).readInt32BE(0)
    if (len < 8 || len > MAX_STARTUP_PACKET) throw new ProtocolError('invalid length of startup packet')
    if (!(await this.want(len))) return null
    return this.take(len).subarray(4)
  }

  /** Reads one typed message; null when the client went away. Throws 08P01 on a bad length. */
  async next(): Promise<RawFrontendMessage | null> {
    if (!(await this.want(5))) return null
    const head = this.peek(5)
    const type = head[0]!
    const len = head.readInt32BE(1)
    if (len < 4 || len > MAX_MESSAGE) throw new ProtocolError('invalid message length')
    if (!(await this.want(len + 1))) return null
    const msg = this.take(len + 1)
    return { type, body: msg.subarray(5) }
  }

  /** True when a complete message is already buffered (no wait needed). */
  hasMessage(): boolean {
    if (this.buffered < 5) return false
    const len = this.peek(5).readInt32BE(1)
    return this.buffered >= len + 1
  }
}
