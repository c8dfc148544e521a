/**
 * The PostgreSQL wire-protocol server: accepts TCP connections, runs one Connection (and one
 * engine Session) per client, and routes CancelRequests to the connection whose key they carry.
 */
import net from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import type { Session, SessionOptions } from '../../session/api.js'
import { scramSecret, type AuthConfig, type ScramSecret } from './auth.js'
import { Connection, type ConnectionHost } from './connection.js'

export type { AuthConfig, AuthMethod } from './auth.js'

/** Options of startServer. */
export interface ServerOptions {
  readonly engine: { createSession(o: SessionOptions): Session }
  readonly host: string
  /** 0 picks any free port. */
  readonly port: number
  readonly auth: AuthConfig
  /** Receives one line per connection and per failed statement. */
  readonly log?: (line: string) => void
}

/** A running server. */
export interface RunningServer {
  readonly port: number
  /** Stops listening, ends every connection (closing its session) and resolves when all are gone. */
  close(): Promise<void>
}

const sameKey = (a: number, b: number): boolean => {
  const x = Buffer.alloc(4)
  const y = Buffer.alloc(4)
  x.writeInt32BE(a)
  y.writeInt32BE(b)
  return timingSafeEqual(x, y)
}

/** Starts a server on host:port; resolves once it listens. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((): void => {})
  const byPid = new Map<number, Connection>()
  const running = new Map<Connection, Promise<void>>()
  const secrets = new Map<string, ScramSecret>()
  let nextConnection = 1
  let nextPid = 1

  const host: ConnectionHost = {
    engine: opts.engine,
    auth: opts.auth,
    log,
    scramSecret(user) {
      const users = opts.auth.users
      if (users === undefined || !Object.prototype.hasOwnProperty.call(users, user)) return null
      let s = secrets.get(user)
      if (s === undefined) {
        s = scramSecret(users[user]!)
        secrets.set(user, s)
      }
      return s
    },
    register(conn, preferred) {
      let pid = preferred
      if (!Number.isInteger(pid) || pid <= 0 || pid > 0x7fffffff || byPid.has(pid)) {
        while (byPid.has(nextPid)) nextPid = nextPid >= 0x7fffffff ? 1 : nextPid + 1
        pid = nextPid
      }
      byPid.set(pid, conn)
      return pid
    },
    unregister(conn) {
      if (byPid.get(conn.processId) === conn) byPid.delete(conn.processId)
    },
    cancel(pid, key) {
      const conn = byPid.get(pid)
      if (conn !== undefined && sameKey(conn.secretKey, key)) {
        log(`connection ${conn.id}: cancel request`)
        conn.cancelRequest()
      }
    },
  }

  const server = net.createServer((socket) => {
    const conn = new Connection(socket, host, nextConnection++)
    const done = conn.run().finally(() => running.delete(conn))
    running.set(conn, done)
  })
  server.on('error', (err) => log(`server error: ${err.message}`))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: opts.host, port: opts.port }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : opts.port

  let closing: Promise<void> | null = null
  return {
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        for (const conn of running.keys()) conn.terminate()
        await Promise.all(running.values())
        await stopped
      })()
      return closing
    },
  }
}
