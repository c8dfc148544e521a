/**
 * `flint serve`: creates an Engine and serves it over the PostgreSQL wire protocol until SIGINT or
 * SIGTERM, then closes the server and the engine.
 */
import { readFile } from 'node:fs/promises'
import type { SessionOptions, Session } from '../session/api.js'
import type { AuthConfig, AuthMethod } from '../server/pgwire/auth.js'
import { startServer } from '../server/pgwire/server.js'

/** Engine options serve passes on. */
export interface ServeEngineOptions {
  workers?: number
  dataDir?: string
  tpchDir?: string
  demo?: boolean
}

/** What serve needs of an engine. */
export interface ServeEngine {
  createSession(opts: SessionOptions): Session
  close(): Promise<void>
}

/** Parsed command line of `serve`. */
export interface ServeConfig {
  readonly host: string
  readonly port: number
  readonly auth: AuthConfig
  readonly engine: ServeEngineOptions
}

/** Replaceable parts, for tests: engine factory, output, signal source. */
export interface ServeDeps {
  readonly createEngine?: (opts: ServeEngineOptions) => Promise<ServeEngine>
  readonly out?: (line: string) => void
  readonly err?: (line: string) => void
  readonly signals?: NodeJS.EventEmitter
}

/** Usage text of `flint serve`. */
export const SERVE_USAGE = `usage: flint serve [options]
  --host HOST              address to listen on (default 127.0.0.1)
  --port PORT              port (default 5432; 0 picks a free one)
  --data-dir DIR           persist tables and catalog in DIR
  --workers N              worker threads for query execution
  --auth METHOD            trust | password | md5 | scram-sha-256 (default trust)
  --user NAME:PASSWORD     a user allowed to log in (repeatable)
  --auth-file FILE         JSON {"method": …, "users": {"name": "password"}}
  --tpch DIR               register the TPC-H tables found in DIR
  --demo                   load the demo tables`

const methods: readonly AuthMethod[] = ['trust', 'password', 'md5', 'scram-sha-256']

const valueFlags = new Set(['--host', '--port', '--data-dir', '--workers', '--auth', '--user', '--auth-file', '--tpch'])

/** A parse failure: the message to print above the usage text. */
export interface UsageProblem {
  readonly usage: string
}

function integer(flag: string, text: string, min: number, max: number): number | UsageProblem {
  if (!/^\d+$/.test(text)) return { usage: `${flag} needs an integer` }
  const n = Number(text)
  if (n < min || n > max) return { usage: `${flag} must be between ${min} and ${max}` }
  return n
}

/** Parses serve's arguments (reading the auth file too); returns the config or a usage problem. */
export async function parseServeArgs(args: readonly string[]): Promise<ServeConfig | UsageProblem> {
  let host = '127.0.0.1'
  let port = 5432
  let method: AuthMethod | undefined
  let users: Record<string, string> | undefined
  const engine: ServeEngineOptions = {}
  let authFile: string | undefined
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]!
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq > 0 ? arg.slice(0, eq) : arg
    if (flag === '--demo') {
      engine.demo = true
      continue
    }
    if (!valueFlags.has(flag)) return { usage: `unknown option ${arg}` }
    const value = eq > 0 ? arg.slice(eq + 1) : args[++k]
    if (value === undefined) return { usage: `${flag} needs a value` }
    switch (flag) {
      case '--host':
        host = value
        break
      case '--port': {
        const n = integer('--port', value, 0, 65535)
        if (typeof n !== 'number') return n
        port = n
        break
      }
      case '--data-dir':
        engine.dataDir = value
        break
      case '--workers': {
        const n = integer('--workers', value, 1, 1024)
        if (typeof n !== 'number') return n
        engine.workers = n
        break
      }
      case '--auth':
        if (!methods.includes(value as AuthMethod)) return { usage: `--auth must be one of ${methods.join(', ')}` }
        method = value as AuthMethod
        break
      case '--user': {
        const colon = value.indexOf(':')
        if (colon <= 0) return { usage: '--user needs NAME:PASSWORD' }
        users ??= {}
        users[value.slice(0, colon)] = value.slice(colon + 1)
        break
      }
      case '--auth-file':
        authFile = value
        break
      case '--tpch':
        engine.tpchDir = value
        break
      default:
        return { usage: `unknown option ${arg}` }
    }
  }
  if (authFile !== undefined) {
    let parsed: { method?: unknown; users?: unknown }
    try {
      parsed = JSON.parse(await readFile(authFile, 'utf8')) as { method?: unknown; users?: unknown }
    } catch (e) {
      return { usage: `cannot read auth file ${authFile}: ${(e as Error).message}` }
    }
    if (parsed.method !== undefined) {
      if (!methods.includes(parsed.method as AuthMethod)) return { usage: `auth file: method must be one of ${methods.join(', ')}` }
      method ??= parsed.method as AuthMethod
    }
    if (parsed.users !== undefined) {
      if (typeof parsed.users !== 'object' || parsed.users === null || Object.values(parsed.users).some((p) => typeof p !== 'string')) {
        return { usage: 'auth file: users must map names to password strings' }
      }
      users = { ...(parsed.users as Record<string, string>), ...(users ?? {}) }
    }
  }
  const m = method ?? 'trust'
  if (m !== 'trust' && (users === undefined || Object.keys(users).length === 0)) return { usage: `--auth ${m} needs --user NAME:PASSWORD or --auth-file` }
  return { host, port, auth: users !== undefined ? { method: m, users } : { method: m }, engine }
}

async function loadEngine(opts: ServeEngineOptions): Promise<ServeEngine> {
  // loaded on demand so that importing this module (e.g. for its argument parser) stays cheap
  const { Engine } = await import('../session/engine.js')
  return Engine.create(opts)
}

/** Runs `flint serve ARGS`; resolves with the exit code once stopped by SIGINT/SIGTERM. */
export async function serveCommand(args: string[], deps: ServeDeps = {}): Promise<number> {
  const out = deps.out ?? ((l: string) => console.log(l))
  const err = deps.err ?? ((l: string) => console.error(l))
  if (args.includes('--help') || args.includes('-h')) {
    out(SERVE_USAGE)
    return 0
  }
  const config = await parseServeArgs(args)
  if ('usage' in config) {
    err(`flint serve: ${config.usage}`)
    err(SERVE_USAGE)
    return 2
  }
  let engine: ServeEngine
  try {
    engine = await (deps.createEngine ?? loadEngine)(config.engine)
  } catch (e) {
    err(`flint serve: cannot start the engine: ${(e as Error).message}`)
    return 1
  }
  let server: Awaited<ReturnType<typeof startServer>>
  try {
    server = await startServer({
      engine,
      host: config.host,
      port: config.port,
      auth: config.auth,
      log: (line) => out(`${new Date().toISOString()} ${line}`),
    })
  } catch (e) {
    err(`flint serve: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`)
    await engine.close()
    return 1
  }
  out(`Flint listening on ${config.host}:${server.port}`)
  const signals = deps.signals ?? process
  const signal = await new Promise<string>((resolve) => {
    const onInt = (): void => finish('SIGINT')
    const onTerm = (): void => finish('SIGTERM')
    const finish = (name: string): void => {
      signals.off('SIGINT', onInt)
      signals.off('SIGTERM', onTerm)
      resolve(name)
    }
    signals.on('SIGINT', onInt)
    signals.on('SIGTERM', onTerm)
  })
  out(`${signal} received, shutting down`)
  try {
    await server.close()
    await engine.close()
  } catch (e) {
    err(`flint serve: error during shutdown: ${(e as Error).message}`)
    return 1
  }
  return 0
}
