/**
 * One client connection: start-up and authentication, then the simple and extended query
 * protocols, COPY, notices and parameter reports, over one Session.
 *
 * Messages are handled strictly in order by one async loop that pulls them from the socket, so a
 * COPY or a long statement simply keeps the loop busy; output is buffered and written on
 * ReadyForQuery, Flush, CopyInResponse, or whenever a page of rows fills the buffer.
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { Socket } from 'node:net'
import { ExecutionError, NotImplementedError, ProtocolError, QueryCanceledError, SqlState } from '../../common/errors.js'
import { typeOid } from '../../common/types.js'
import type { Value } from '../../common/value.js'
import { parseValue } from '../../kernels/parse-text.js'
import type { Prepared, ResultColumn, Session, SessionOptions, StatementResult } from '../../session/api.js'
import { AuthError, md5Response, passwordFailed, safeEqual, ScramExchange, type AuthConfig, type ScramSecret } from './auth.js'
import * as be from './backend.js'
import { checkBinaryOutput, decodeBinary } from './binary.js'
import { ByteSink } from './byte-sink.js'
import { MessageReader } from './framing.js'
import { BodyReader, decodeFrontend, decodeStartup, isFrontendType, type FrontendMessage } from './frontend.js'

/** What a connection needs from its server. */
export interface ConnectionHost {
  readonly engine: { createSession(o: SessionOptions): Session }
  readonly auth: AuthConfig
  readonly log: (line: string) => void
  /** SCRAM verifier of a user (cached per server), or null for an unknown user. */
  scramSecret(user: string): ScramSecret | null
  /** Registers a started session under its process id; returns the id actually used. */
  register(conn: Connection, preferredId: number): number
  unregister(conn: Connection): void
  /** Routes a CancelRequest to the connection it names. */
  cancel(processId: number, secretKey: number): void
}

/** server_version reported to clients: a 15.x version so that psql and drivers use their PG 15 SQL. */
export const SERVER_VERSION = '15.0 (Flint 0.1.0)'

/** Output is written to the socket once this many bytes are buffered. */
const FLUSH_AT = 256 * 1024
/** Rows written between checks for a full buffer, a cancel or a closed socket. */
const ROW_SLICE = 512

interface Statement {
  readonly name: string
  readonly prepared: Prepared
  /** Only whitespace, comments and semicolons: answered with EmptyQueryResponse by the server itself. */
  readonly empty: boolean
}

interface Portal {
  readonly name: string
  readonly statement: Statement
  readonly params: readonly Value[]
  readonly formats: readonly number[]
  result: StatementResult | null
  /** Position of the next row to send: batch index and row within it. */
  batch: number
  row: number
  done: boolean
}

const startupOnlyParams = new Set(['user', 'database', 'options', 'replication', 'application_name', 'client_encoding'])

/** Parses libpq's `options` (`-c name=value`, `--name=value`, backslash escapes spaces). */
export function parseStartupOptions(options: string): [string, string][] {
  const words: string[] = []
  let cur = ''
  let has = false
  for (let k = 0; k < options.length; k++) {
    const c = options[k]!
    if (c === '\\' && k + 1 < options.length) {
      cur += options[++k]
      has = true
    } else if (/\s/.test(c)) {
      if (has) words.push(cur)
      cur = ''
      has = false
    } else {
      cur += c
      has = true
    }
  }
  if (has) words.push(cur)
  const out: [string, string][] = []
  for (let k = 0; k < words.length; k++) {
    let w = words[k]!
    if (w === '-c' && k + 1 < words.length) w = words[++k]!
    else if (w.startsWith('-c')) w = w.slice(2)
    else if (w.startsWith('--')) w = w.slice(2)
    else throw new ProtocolError(`invalid command-line argument for server process: ${w}`)
    const eq = w.indexOf('=')
    if (eq <= 0) throw new ExecutionError('42601', `-c ${w} requires a value`)
    out.push([w.slice(0, eq).replace(/-/g, '_'), w.slice(eq + 1)])
  }
  return out
}

const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`
const quoteName = (s: string): string => (/^[A-Za-z_][A-Za-z0-9_.]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`)

/** Replaces the row count at the end of a command tag ('SELECT 5' → 'SELECT 2'). */
export function retag(tag: string, count: number): string {
  const m = /^(.*\D)\d+$/.exec(tag)
  return m === null ? tag : m[1]! + count
}

/** True when a query string holds no statement: only whitespace, semicolons and comments. */
export function isEmptyQuery(sql: string): boolean {
  let k = 0
  const n = sql.length
  while (k < n) {
    const c = sql[k]!
    if (c === ';' || /\s/.test(c)) k++
    else if (c === '-' && sql[k + 1] === '-') {
      const nl = sql.indexOf('\n', k)
      k = nl < 0 ? n : nl + 1
    } else if (c === '/' && sql[k + 1] === '*') {
      // block comments nest in PostgreSQL
      let depth = 1
      k += 2
      while (k < n && depth > 0) {
        if (sql[k] === '/' && sql[k + 1] === '*') {
          depth++
          k += 2
        } else if (sql[k] === '*' && sql[k + 1] === '/') {
          depth--
          k += 2
        } else k++
      }
      if (depth > 0) return false
    } else return false
  }
  return true
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** One client connection and its session. */
export class Connection {
  /** BackendKeyData process id (0 until start-up finished). */
  processId = 0
  /** BackendKeyData secret. */
  readonly secretKey = randomInt(-2147483648, 2147483647)
  private readonly reader: MessageReader
  private readonly out = new ByteSink(16384)
  private session: Session | null = null
  private closed = false
  /** A statement (Query or Execute) is being handled: cancels apply to it. */
  private busy = false
  private cancelPending = false
  /** After an error in an extended-protocol message, messages are skipped until Sync. */
  private skipping = false
  private readonly statements = new Map<string, Statement>()
  private readonly portals = new Map<string, Portal>()
  private drainWaiters: (() => void)[] = []

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost,
    readonly id: number,
  ) {
    this.reader = new MessageReader(socket)
    socket.setNoDelay(true)
    socket.on('drain', () => this.wakeDrain())
    socket.on('close', () => this.onSocketClosed())
    socket.on('error', () => this.onSocketClosed())
  }

  private get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`
  }

  private onSocketClosed(): void {
    if (this.closed) return
    this.closed = true
    this.wakeDrain()
    // a client that goes away mid-statement cancels it; the session closes when the loop ends
    if (this.busy) this.session?.cancel()
  }

  private wakeDrain(): void {
    const ws = this.drainWaiters
    this.drainWaiters = []
    for (const w of ws) w()
  }

  /** Ends the connection from the server side (server shutdown). */
  terminate(): void {
    if (!this.closed && this.session !== null) {
      be.errorResponse(this.out, new ExecutionError('57P01', 'terminating connection due to administrator command'), 'FATAL')
      this.socket.write(this.out.take())
    }
    this.onSocketClosed()
    this.socket.destroy()
  }

  /** A CancelRequest with this connection's key arrived. */
  cancelRequest(): void {
    if (!this.busy) return
    this.cancelPending = true
    this.session?.cancel()
  }

  // ---------------------------------------------------------------------------------------------
  // output

  private async flush(): Promise<void> {
    if (this.out.length === 0) return
    const data = this.out.take()
    if (this.closed) return
    if (!this.socket.write(data)) {
      await new Promise<void>((resolve) => {
        if (this.closed) resolve()
        else this.drainWaiters.push(resolve)
      })
    }
  }

  private async maybeFlush(): Promise<void> {
    if (this.out.length >= FLUSH_AT) await this.flush()
  }

  private fatal(e: be.WireError): void {
    be.errorResponse(this.out, e, 'FATAL')
    if (!this.closed) this.socket.write(this.out.take())
    this.socket.end()
  }

  // ---------------------------------------------------------------------------------------------
  // lifecycle

  /** Runs the connection to its end; never throws. */
  async run(): Promise<void> {
    try {
      const ok = await this.startup()
      if (ok) await this.loop()
    } catch (err) {
      const e = be.wireError(err)
      if (!this.closed) this.fatal(e)
      this.host.log(`connection ${this.id} (${this.remote}): FATAL ${e.code} ${e.message}`)
    } finally {
      this.closed = true
      if (this.processId !== 0) this.host.unregister(this)
      if (this.session !== null) {
        try {
          this.session.close()
        } catch (err) {
          this.host.log(`connection ${this.id}: error closing session: ${be.wireError(err).message}`)
        }
      }
      this.socket.destroy()
    }
  }

  /** Start-up: SSL/GSS negotiation, CancelRequest, StartupMessage, authentication. False if the connection ended. */
  private async startup(): Promise<boolean> {
    let params: ReadonlyMap<string, string>
    let minor: number
    for (;;) {
      const packet = await this.reader.nextStartup()
      if (packet === null) return false
      const p = decodeStartup(packet)
      if (p.kind === 'ssl' || p.kind === 'gssenc') {
        if (!this.closed) this.socket.write('N')
        continue
      }
      if (p.kind === 'cancel') {
        this.host.cancel(p.processId, p.secretKey)
        this.socket.end()
        return false
      }
      if (p.major !== 3) {
        throw new NotImplementedError(`unsupported frontend protocol ${p.major}.${p.minor}: server supports 3.0 to 3.0`)
      }
      params = p.params
      minor = p.minor
      break
    }
    const user = params.get('user') ?? ''
    if (user === '') throw new AuthError('28000', 'no PostgreSQL user name specified in startup packet')
    const database = params.get('database') || user
    const applicationName = params.get('application_name') ?? ''
    const unrecognized = [...params.keys()].filter((k) => k.startsWith('_pq_.'))
    if (minor > 0 || unrecognized.length > 0) be.negotiateProtocolVersion(this.out, 0, unrecognized)

    try {
      if (!(await this.authenticate(user))) return false
    } catch (err) {
      const e = be.wireError(err)
      this.host.log(`connection ${this.id} (${this.remote}): authentication failed for user "${user}": ${e.code} ${e.message}`)
      throw e
    }
    be.authentication(this.out, be.AuthCode.ok)

    const session = this.host.engine.createSession({ user, database, ...(applicationName !== '' ? { applicationName } : {}) })
    this.session = session
    const settings: [string, string][] = []
    for (const [k, v] of params) if (!startupOnlyParams.has(k) && !k.startsWith('_pq_.')) settings.push([k, v])
    const options = params.get('options')
    if (options !== undefined) settings.push(...parseStartupOptions(options))
    for (const [name, value] of settings) {
      for await (const _ of session.executeSimple(`SET ${quoteName(name)} TO ${quoteLiteral(value)}`)) void _
    }

    const status = (name: string, fallback: string): void => be.parameterStatus(this.out, name, session.getSetting(name) ?? fallback)
    status('application_name', applicationName)
    be.parameterStatus(this.out, 'client_encoding', 'UTF8')
    status('DateStyle', 'ISO, MDY')
    status('default_transaction_read_only', 'off')
    status('in_hot_standby', 'off')
    be.parameterStatus(this.out, 'integer_datetimes', 'on')
    status('IntervalStyle', 'postgres')
    status('is_superuser', 'on')
    be.parameterStatus(this.out, 'server_encoding', 'UTF8')
    status('server_version', SERVER_VERSION)
    status('session_authorization', user)
    be.parameterStatus(this.out, 'standard_conforming_strings', 'on')
    status('TimeZone', 'UTC')

    this.processId = this.host.register(this, session.id)
    be.backendKeyData(this.out, this.processId, this.secretKey)
    session.onNotice = (n) => be.noticeResponse(this.out, n)
    session.onParameterStatus = (name, value) => be.parameterStatus(this.out, name, value)
    session.onTerminate = () => this.terminate()
    be.readyForQuery(this.out, session.transactionStatus)
    await this.flush()
    this.host.log(`connection ${this.id} (${this.remote}): user=${user} database=${database}${applicationName !== '' ? ` application_name=${applicationName}` : ''} pid=${this.processId}`)
    return true
  }

  /** Reads the client's 'p' message; null if it went away (psql does so to prompt for a password). */
  private async passwordMessage(): Promise<Buffer | null> {
    await this.flush()
    const m = await this.reader.next()
    if (m === null) return null
    if (m.type !== 0x70) throw new ProtocolError(`expected password response, got message type ${m.type}`)
    return m.body
  }

  private async authenticate(user: string): Promise<boolean> {
    const { method, users } = this.host.auth
    const known = users !== undefined && Object.prototype.hasOwnProperty.call(users, user)
    const password = known ? users[user]! : undefined
    switch (method) {
      case 'trust':
        if (users !== undefined && !known) throw new AuthError('28000', `role "${user}" does not exist`)
        return true
      case 'password': {
        be.authentication(this.out, be.AuthCode.cleartext)
        const body = await this.passwordMessage()
        if (body === null) return false
        const r = new BodyReader(body)
        const given = r.cstring()
        r.end()
        if (password === undefined || given === '' || !safeEqual(given, password)) throw passwordFailed(user)
        return true
      }
      case 'md5': {
        const salt = randomBytes(4)
        be.authentication(this.out, be.AuthCode.md5, salt)
        const body = await this.passwordMessage()
        if (body === null) return false
        const r = new BodyReader(body)
        const given = r.cstring()
        r.end()
        if (password === undefined || !safeEqual(given, md5Response(user, password, salt))) throw passwordFailed(user)
        return true
      }
      case 'scram-sha-256': {
        be.authenticationSasl(this.out, ['SCRAM-SHA-256'])
        const first = await this.passwordMessage()
        if (first === null) return false
        const r = new BodyReader(first)
        const mechanism = r.cstring()
        const len = r.int32()
        const initial = len < 0 ? '' : r.bytes(len).toString('utf8')
        r.end()
        const exchange = new ScramExchange(user, this.host.scramSecret(user))
        const serverFirst = exchange.start(mechanism, initial)
        be.authentication(this.out, be.AuthCode.saslContinue, Buffer.from(serverFirst))
        const second = await this.passwordMessage()
        if (second === null) return false
        const serverFinal = exchange.finish(second.toString('utf8'))
        be.authentication(this.out, be.AuthCode.saslFinal, Buffer.from(serverFinal))
        return true
      }
    }
  }

  /** The message loop after start-up. */
  private async loop(): Promise<void> {
    for (;;) {
      const raw = await this.reader.next()
      if (raw === null || this.closed) return
      if (!isFrontendType(raw.type)) throw new ProtocolError(`invalid frontend message type ${raw.type}`)
      const extended = raw.type !== 0x51 && raw.type !== 0x46 && raw.type !== 0x58
      if (this.skipping && raw.type !== 0x53 /* Sync */ && raw.type !== 0x58 /* Terminate */) continue
      let msg: FrontendMessage
      try {
        msg = decodeFrontend(raw.type, raw.body)
      } catch (err) {
        this.reportError(be.wireError(err), null)
        if (extended) this.skipping = true
        else be.readyForQuery(this.out, this.session!.transactionStatus)
        await this.flush()
        continue
      }
      if (msg.type === 'Terminate') return
      await this.dispatch(msg)
    }
  }

  private reportError(e: be.WireError, sql: string | null): void {
    be.errorResponse(this.out, e)
    const oneLine = sql === null ? '' : sql.replace(/\s+/g, ' ').trim()
    const stmt = sql === null ? '' : `; statement: ${oneLine.length > 300 ? oneLine.slice(0, 300) + '…' : oneLine}`
    this.host.log(`connection ${this.id}: ERROR ${e.code} ${e.message}${stmt}`)
  }

  private async dispatch(msg: FrontendMessage): Promise<void> {
    const session = this.session!
    switch (msg.type) {
      case 'Query':
        await this.simpleQuery(msg.sql)
        return
      case 'Sync':
        this.skipping = false
        if (session.transactionStatus === 'I') this.portals.clear()
        be.readyForQuery(this.out, session.transactionStatus)
        await this.flush()
        return
      case 'Flush':
        await this.flush()
        return
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        // data of a COPY that already failed: ignored, as PostgreSQL does
        return
      case 'Password':
        this.reportError(new ProtocolError('unexpected password message'), null)
        this.skipping = true
        return
      case 'FunctionCall':
        this.reportError(new NotImplementedError('the function call protocol message is not supported'), null)
        be.readyForQuery(this.out, session.transactionStatus)
        await this.flush()
        return
      default:
        break
    }
    let sql: string | null = null
    try {
      switch (msg.type) {
        case 'Parse':
          sql = msg.sql
          await this.parse(msg.name, msg.sql, msg.paramTypes)
          return
        case 'Bind':
          sql = this.statements.get(msg.statement)?.prepared.sql ?? null
          this.bind(msg)
          return
        case 'Describe':
          this.describe(msg.kind, msg.name)
          return
        case 'Execute': {
          const portal = this.portals.get(msg.portal)
          sql = portal?.statement.prepared.sql ?? null
          await this.execute(msg.portal, msg.maxRows)
          return
        }
        case 'Close':
          if (msg.kind === 'S') this.statements.delete(msg.name)
          else this.portals.delete(msg.name)
          be.emptyMessage(this.out, '3')
          return
        default:
          return
      }
    } catch (err) {
      this.reportError(be.wireError(err), sql)
      this.skipping = true
    }
  }

  // ---------------------------------------------------------------------------------------------
  // simple query

  private async simpleQuery(sql: string): Promise<void> {
    const session = this.session!
    this.portals.delete('')
    this.statements.delete('')
    this.busy = true
    this.cancelPending = false
    if (isEmptyQuery(sql)) {
      this.busy = false
      be.emptyMessage(this.out, 'I')
      be.readyForQuery(this.out, session.transactionStatus)
      await this.flush()
      return
    }
    const results = session.executeSimple(sql)
    try {
      for (;;) {
        const next = await results.next()
        if (next.done === true) break
        try {
          await this.sendResult(next.value, [], 0, true, null)
        } catch (err) {
          // a failed COPY or a cancel while sending: the session sees the error where its statement stopped
          await results.throw(err)
          throw err
        }
        if (this.closed) {
          await results.return(undefined)
          break
        }
      }
    } catch (err) {
      this.reportError(be.wireError(err), sql)
    } finally {
      this.busy = false
      this.cancelPending = false
    }
    if (session.transactionStatus === 'I') this.portals.clear()
    be.readyForQuery(this.out, session.transactionStatus)
    await this.flush()
  }

  /** Sends one statement's result; for a portal, pages rows by maxRows. */
  private async sendResult(r: StatementResult, formats: readonly number[], maxRows: number, describe: boolean, portal: Portal | null): Promise<void> {
    switch (r.kind) {
      case 'rows': {
        if (describe) be.rowDescription(this.out, r.columns, formats)
        await this.sendRows(r, formats, maxRows, portal)
        return
      }
      case 'command':
        be.commandComplete(this.out, r.tag)
        return
      case 'empty':
        be.emptyMessage(this.out, 'I')
        return
      case 'copyIn':
        await this.copyIn(r.copy)
        return
      case 'copyOut':
        be.copyResponse(this.out, 'out', r.format, r.columnCount)
        for (const chunk of r.chunks) {
          be.copyData(this.out, chunk)
          await this.maybeFlush()
          this.checkCancel()
          if (this.closed) return
        }
        be.emptyMessage(this.out, 'c')
        be.commandComplete(this.out, r.tag)
        return
    }
  }

  private checkCancel(): void {
    if (this.cancelPending) {
      this.cancelPending = false
      throw new QueryCanceledError()
    }
  }

  private async sendRows(r: Extract<StatementResult, { kind: 'rows' }>, formats: readonly number[], maxRows: number, portal: Portal | null): Promise<void> {
    const ctx = this.session!.outputContext()
    let b = portal?.batch ?? 0
    let row = portal?.row ?? 0
    const startedAtBeginning = b === 0 && row === 0
    let sent = 0
    const limit = maxRows > 0 ? maxRows : Infinity
    while (b < r.batches.length && sent < limit) {
      const batch = r.batches[b]!
      if (row >= batch.numRows) {
        b++
        row = 0
        continue
      }
      const writers = be.batchWriters(batch, formats, ctx)
      while (row < batch.numRows && sent < limit) {
        const n = Math.min(batch.numRows - row, ROW_SLICE, limit - sent)
        be.dataRows(this.out, writers, row, row + n)
        row += n
        sent += n
        await this.maybeFlush()
        this.checkCancel()
        if (this.closed) return
      }
    }
    if (portal !== null) {
      portal.batch = b
      portal.row = row
    }
    // as PostgreSQL: an Execute that reached its row limit suspends the portal, even when no rows are left
    if (sent === limit) {
      be.emptyMessage(this.out, 's')
      return
    }
    if (portal !== null) portal.done = true
    be.commandComplete(this.out, startedAtBeginning ? r.tag : retag(r.tag, sent))
  }

  private async copyIn(request: Extract<StatementResult, { kind: 'copyIn' }>['copy']): Promise<void> {
    be.copyResponse(this.out, 'in', request.format, request.columnCount)
    await this.flush()
    const chunks: Buffer[] = []
    let size = 0
    for (;;) {
      const raw = await this.reader.next()
      if (raw === null) throw new ProtocolError('unexpected EOF on client connection with an open transaction')
      if (raw.type === 0x64 /* CopyData */) {
        chunks.push(Buffer.from(raw.body))
        size += raw.body.length
      } else if (raw.type === 0x63 /* CopyDone */) break
      else if (raw.type === 0x66 /* CopyFail */) {
        const r = new BodyReader(raw.body)
        throw new QueryCanceledError(`COPY from stdin failed: ${r.cstring()}`)
      } else if (raw.type === 0x48 /* Flush */ || raw.type === 0x53 /* Sync */) continue
      else throw new ProtocolError(`unexpected message type 0x${raw.type.toString(16).toUpperCase().padStart(2, '0')} during COPY from stdin`)
    }
    const n = await this.session!.copyIn(request, Buffer.concat(chunks, size))
    be.commandComplete(this.out, `COPY ${n}`)
  }

  // ---------------------------------------------------------------------------------------------
  // extended query

  private async parse(name: string, sql: string, paramTypes: readonly number[]): Promise<void> {
    if (name !== '' && this.statements.has(name)) throw new ExecutionError('42P05', `prepared statement "${name}" already exists`)
    if (name === '') this.statements.delete('')
    if (isEmptyQuery(sql)) {
      this.statements.set(name, { name, prepared: { sql, paramTypes: [], columns: null }, empty: true })
    } else {
      const prepared = await this.session!.prepare(sql, paramTypes)
      this.statements.set(name, { name, prepared, empty: false })
    }
    be.emptyMessage(this.out, '1')
  }

  private statement(name: string): Statement {
    const s = this.statements.get(name)
    if (s === undefined) {
      throw new ExecutionError(SqlState.invalidSqlStatementName, name === '' ? 'unnamed prepared statement does not exist' : `prepared statement "${name}" does not exist`)
    }
    return s
  }

  private portal(name: string): Portal {
    const p = this.portals.get(name)
    if (p === undefined) throw new ExecutionError(SqlState.invalidCursorName, `portal "${name}" does not exist`)
    return p
  }

  private bind(msg: Extract<FrontendMessage, { type: 'Bind' }>): void {
    const statement = this.statement(msg.statement)
    const { prepared } = statement
    if (msg.portal !== '' && this.portals.has(msg.portal)) throw new ExecutionError('42P03', `cursor "${msg.portal}" already exists`)
    const nParams = msg.params.length
    const pf = msg.paramFormats
    if (pf.length > 1 && pf.length !== nParams) throw new ProtocolError(`bind message has ${pf.length} parameter formats but ${nParams} parameters`)
    if (nParams !== prepared.paramTypes.length) {
      throw new ProtocolError(`bind message supplies ${nParams} parameters, but prepared statement "${msg.statement}" requires ${prepared.paramTypes.length}`)
    }
    const columns: readonly ResultColumn[] = prepared.columns ?? []
    const rf = msg.resultFormats
    if (rf.length > 1 && rf.length !== columns.length) throw new ProtocolError(`bind message has ${rf.length} result formats but query has ${columns.length} columns`)
    const formats = columns.map((_, k) => (rf.length === 0 ? 0 : rf.length === 1 ? rf[0]! : rf[k]!))
    formats.forEach((f, k) => {
      if (f === 1) checkBinaryOutput(columns[k]!.type)
    })
    const timezone = this.session!.getSetting('TimeZone') ?? 'UTC'
    const params = msg.params.map((buf, k): Value => {
      if (buf === null) return null
      const type = prepared.paramTypes[k]!
      const format = pf.length === 0 ? 0 : pf.length === 1 ? pf[0]! : pf[k]!
      if (format === 1) return decodeBinary(type, buf, k + 1)
      let text: string
      try {
        text = strictUtf8.decode(buf)
      } catch {
        throw new ExecutionError(SqlState.characterNotInRepertoire, `invalid byte sequence for encoding "UTF8": 0x${(buf.find((x) => x >= 0x80) ?? 0).toString(16)}`)
      }
      return parseValue(type, text, { timezone })
    })
    this.portals.set(msg.portal, { name: msg.portal, statement, params, formats, result: null, batch: 0, row: 0, done: false })
    be.emptyMessage(this.out, '2')
  }

  private describe(kind: 'S' | 'P', name: string): void {
    if (kind === 'S') {
      const { prepared } = this.statement(name)
      be.parameterDescription(this.out, prepared.paramTypes.map(typeOid))
      if (prepared.columns === null) be.emptyMessage(this.out, 'n')
      else be.rowDescription(this.out, prepared.columns)
      return
    }
    const portal = this.portal(name)
    const columns = portal.statement.prepared.columns
    if (columns === null) be.emptyMessage(this.out, 'n')
    else be.rowDescription(this.out, columns, portal.formats)
  }

  private async execute(name: string, maxRows: number): Promise<void> {
    const portal = this.portal(name)
    this.busy = true
    this.cancelPending = false
    try {
      if (portal.result === null) {
        portal.result = portal.statement.empty ? { kind: 'empty' } : await this.session!.execute(portal.statement.prepared, portal.params)
      }
      const r = portal.result
      if (portal.done) {
        if (r.kind === 'rows') be.commandComplete(this.out, retag(r.tag, 0))
        else if (r.kind === 'empty') be.emptyMessage(this.out, 'I')
        else throw new ExecutionError(SqlState.objectNotInPrerequisiteState, `portal "${name}" cannot be run`)
        return
      }
      await this.sendResult(r, portal.formats, maxRows, false, portal)
      if (r.kind !== 'rows') portal.done = true
    } finally {
      this.busy = false
      this.cancelPending = false
    }
  }
}
