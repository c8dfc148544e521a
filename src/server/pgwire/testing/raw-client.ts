/**
 * A minimal PostgreSQL protocol client for tests: frontend messages are built with pg-protocol's
 * `serialize` (or by hand for malformed ones) and backend messages decoded with its `parse`, so the
 * tests can send exact message sequences (pipelining, partial Execute, errors before Sync).
 */
import net from 'node:net'
import { createHash } from 'node:crypto'
import { serialize } from 'pg-protocol'
import { Parser } from 'pg-protocol/dist/parser.js'
import type { BackendMessage } from 'pg-protocol/dist/messages.js'

/** A decoded backend message with whatever fields pg-protocol gives it. */
export type RawMessage = BackendMessage & Record<string, unknown>

/** Options for RawClient.connect. */
export interface RawConnectOptions {
  readonly user?: string
  readonly database?: string
  readonly password?: string
  readonly params?: Record<string, string>
  /** Send an SSLRequest first and expect 'N'. */
  readonly sslRequest?: boolean
}

/** A protocol-level test client over one TCP connection. */
export class RawClient {
  /** Messages received and not yet consumed. */
  private readonly inbox: RawMessage[] = []
  private waiters: (() => void)[] = []
  /** Set once the server closed the connection. */
  closed = false
  /** Parameter statuses received during start-up. */
  readonly parameters = new Map<string, string>()
  /** BackendKeyData of the session. */
  processId = 0
  secretKey = 0

  private constructor(readonly socket: net.Socket) {
    socket.on('close', () => {
      this.closed = true
      this.wake()
    })
    socket.on('error', () => {
      this.closed = true
      this.wake()
    })
  }

  /** Opens a TCP connection without sending anything. */
  static async open(port: number): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    return new RawClient(socket)
  }

  /** Connects, runs start-up and authentication (trust, cleartext or md5) until ReadyForQuery. */
  static async connect(port: number, opts: RawConnectOptions = {}): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port })
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', reject)
    })
    if (opts.sslRequest === true) {
      socket.write(serialize.requestSsl())
      const answer = await new Promise<Buffer>((resolve) => socket.once('data', resolve))
      if (answer.toString() !== 'N') throw new Error(`unexpected SSLRequest answer ${answer.toString('hex')}`)
    }
    const client = new RawClient(socket)
    client.startParsing()
    const user = opts.user ?? 'tester'
    socket.write(serialize.startup({ user, database: opts.database ?? user, ...(opts.params ?? {}) }))
    for (;;) {
      const m = await client.next()
      if (m.name === 'authenticationCleartextPassword') client.send(serialize.password(opts.password ?? ''))
      else if (m.name === 'authenticationMD5Password') {
        const salt = m['salt'] as Buffer
        const inner = createHash('md5').update((opts.password ?? '') + user).digest('hex')
        const outer = createHash('md5').update(Buffer.concat([Buffer.from(inner), salt])).digest('hex')
        client.send(serialize.password('md5' + outer))
      } else if (m.name === 'parameterStatus') client.parameters.set(m['parameterName'] as string, m['parameterValue'] as string)
      else if (m.name === 'backendKeyData') {
        client.processId = m['processID'] as number
        client.secretKey = m['secretKey'] as number
      } else if (m.name === 'readyForQuery') return client
      else if (m.name === 'error') {
        socket.destroy()
        throw Object.assign(new Error(String(m['message'])), { code: m['code'] })
      }
    }
  }

  /**
   * Starts decoding backend messages from the socket. DataRows are decoded here so that each
   * field is kept as raw bytes (`raw`) besides its UTF-8 text (`fields`); pg-protocol decodes the rest.
   */
  startParsing(): void {
    const parser = new Parser()
    let pending: Buffer = Buffer.alloc(0)
    this.socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk])
      while (pending.length >= 5) {
        const len = pending.readInt32BE(1)
        if (pending.length < len + 1) break
        const msg = pending.subarray(0, len + 1)
        pending = pending.subarray(len + 1)
        if (msg[0] === 0x44) {
          const n = msg.readInt16BE(5)
          const raw: (Buffer | null)[] = []
          let pos = 7
          for (let k = 0; k < n; k++) {
            const flen = msg.readInt32BE(pos)
            pos += 4
            if (flen < 0) raw.push(null)
            else {
              raw.push(msg.subarray(pos, pos + flen))
              pos += flen
            }
          }
          const fields = raw.map((b) => (b === null ? null : b.toString('utf8')))
          this.inbox.push({ name: 'dataRow', length: len, fields, raw } as unknown as RawMessage)
          this.wake()
        } else {
          parser.parse(msg, (m) => {
            this.inbox.push(m as RawMessage)
            this.wake()
          })
        }
      }
    })
  }

  private wake(): void {
    const ws = this.waiters
    this.waiters = []
    for (const w of ws) w()
  }

  /** Writes raw bytes (one or more messages). */
  send(...chunks: Buffer[]): void {
    this.socket.write(Buffer.concat(chunks))
  }

  /** The next backend message; rejects after `timeoutMs` or when the connection closed. */
  async next(timeoutMs = 10000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const m = this.inbox.shift()
      if (m !== undefined) return m
      if (this.closed) throw new Error('connection closed')
      const left = deadline - Date.now()
      if (left <= 0) throw new Error('timed out waiting for a backend message')
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  /** Messages up to and including the first one named `name`. */
  async until(name: string, timeoutMs = 10000): Promise<RawMessage[]> {
    const out: RawMessage[] = []
    for (;;) {
      const m = await this.next(timeoutMs)
      out.push(m)
      if (m.name === name) return out
    }
  }

  /** True if no message arrives within `ms`. */
  async silentFor(ms: number): Promise<boolean> {
    await new Promise((r) => setTimeout(r, ms))
    return this.inbox.length === 0
  }

  /** Resolves once the server closed the connection (or after timeoutMs with false). */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    return this.closed
  }

  /** Sends Terminate and closes the socket. */
  async end(): Promise<void> {
    if (!this.closed) {
      this.socket.end(serialize.end())
      await this.waitClosed()
    }
    this.socket.destroy()
  }
}

/** Short names of messages, for compact assertions: 'T' RowDescription, 'D' DataRow, 'C' CommandComplete… */
export function codes(msgs: readonly RawMessage[]): string {
  const map: Record<string, string> = {
    parseComplete: '1',
    bindComplete: '2',
    closeComplete: '3',
    noData: 'n',
    portalSuspended: 's',
    emptyQuery: 'I',
    copyDone: 'c',
    copyData: 'd',
    rowDescription: 'T',
    parameterDescription: 't',
    parameterStatus: 'S',
    backendKeyData: 'K',
    readyForQuery: 'Z',
    commandComplete: 'C',
    dataRow: 'D',
    copyInResponse: 'G',
    copyOutResponse: 'H',
    error: 'E',
    notice: 'N',
  }
  return msgs.map((m) => map[m.name] ?? `?${m.name}`).join('')
}
