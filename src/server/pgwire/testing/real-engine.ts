/**
 * Starts the server over the real engine (src/session/engine.ts) for the client tests. The engine
 * is imported statically: a dynamic import under mocha's tsx hook loads a second copy of
 * common/errors.ts, whose error classes then fail `instanceof`.
 */
import type { Session, SessionOptions } from '../../../session/api.js'
import { Engine } from '../../../session/engine.js'
import type { AuthConfig } from '../auth.js'
import { startServer, type RunningServer } from '../server.js'

/** The parts of the real Engine the tests use. */
export interface EngineHandle {
  createSession(opts: SessionOptions): Session
  close(): Promise<void>
}

/** Creates the real engine with 2 workers. */
export async function createRealEngine(): Promise<EngineHandle> {
  return Engine.create({ workers: 2 })
}

/** A server over the real engine and a teardown that stops both. */
export interface RealServer {
  readonly engine: EngineHandle | null
  readonly server: RunningServer | null
  readonly port: number
  /** True when the tests talk to a real PostgreSQL (PGWIRE_ORACLE_PORT). */
  readonly oracle: boolean
  readonly log: string[]
  close(): Promise<void>
}

/**
 * Starts a server over a fresh real engine. With
 * PGWIRE_ORACLE_PORT set, the client tests run against that real PostgreSQL instead (to check
 * the tests' expectations); `engine` is then absent.
 */
export async function startRealServer(auth: AuthConfig = { method: 'trust' }): Promise<RealServer> {
  const oracle = process.env['PGWIRE_ORACLE_PORT']
  if (oracle !== undefined && oracle !== '') {
    const port = Number(oracle)
    return { engine: null, server: null, port, log: [], oracle: true, async close() {} }
  }
  const engine = await createRealEngine()
  const log: string[] = []
  const server = await startServer({ engine, host: '127.0.0.1', port: 0, auth, log: (l) => log.push(l) })
  return {
    engine,
    server,
    port: server.port,
    log,
    oracle: false,
    async close() {
      await server.close()
      await engine.close()
    },
  }
}
