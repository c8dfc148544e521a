/**
 * Test double of the engine's Session for protocol tests that need exact control over timing and
 * results (cancel during a statement, COPY, notices, paging over several batches). It understands a
 * handful of fixed statement shapes only; the client tests run the real engine.
 */
import { ExecutionError, ParseError, PlanError, QueryCanceledError, SqlState, TransactionError } from '../../../common/errors.js'
import { T, typeFromName, type SqlType } from '../../../common/types.js'
import { vectorFromValues, type Value } from '../../../common/value.js'
import type { FormatContext } from '../../../kernels/format.js'
import type { Batch } from '../../../common/vector.js'
import type { CopyInRequest, Notice, Prepared, ResultColumn, Session, SessionOptions, StatementResult, TransactionStatus } from '../../../session/api.js'

const col = (name: string, type: SqlType): ResultColumn => ({ name, type, tableOid: 0, columnNumber: 0 })

/** Engine double: hands out FakeSessions and remembers them. */
export class FakeEngine {
  readonly sessions: FakeSession[] = []
  /** Tables filled by COPY FROM STDIN: name → lines. */
  readonly tables = new Map<string, string[]>()

  /** Creates a session (as Engine.createSession). */
  createSession(opts: SessionOptions): Session {
    const s = new FakeSession(this, this.sessions.length + 1000, opts)
    this.sessions.push(s)
    return s
  }
}

interface Plan {
  readonly columns: ResultColumn[] | null
  readonly paramTypes: SqlType[]
  run(params: readonly Value[]): Promise<StatementResult>
}

/** Session double (see the module comment for what it understands). */
export class FakeSession implements Session {
  transactionStatus: TransactionStatus = 'I'
  onParameterStatus: ((name: string, value: string) => void) | undefined
  onNotice: ((notice: Notice) => void) | undefined
  onTerminate: (() => void) | undefined
  closed = false
  cancelCount = 0
  readonly settings = new Map<string, string>([
    ['TimeZone', 'UTC'],
    ['DateStyle', 'ISO, MDY'],
    ['server_version', '15.0 (Flint test double)'],
  ])
  private cancelWaiter: (() => void) | null = null

  constructor(
    private readonly engine: FakeEngine,
    readonly id: number,
    readonly options: SessionOptions,
  ) {
    if (options.applicationName !== undefined) this.settings.set('application_name', options.applicationName)
  }

  outputContext(): FormatContext {
    return { timezone: this.settings.get('TimeZone') ?? 'UTC' }
  }

  getSetting(name: string): string | undefined {
    for (const [k, v] of this.settings) if (k.toLowerCase() === name.toLowerCase()) return v
    return undefined
  }

  cancel(): void {
    this.cancelCount++
    this.cancelWaiter?.()
  }

  close(): void {
    this.closed = true
  }

  async *executeSimple(sql: string): AsyncGenerator<StatementResult> {
    const parts = sql.split(';').map((s) => s.trim())
    const stmts = parts.filter((s) => s !== '')
    if (stmts.length === 0) {
      yield { kind: 'empty' }
      return
    }
    for (const stmt of stmts) {
      try {
        yield await this.guard(stmt, () => this.plan(stmt, []).run([]))
      } catch (e) {
        if (this.transactionStatus === 'T') this.transactionStatus = 'E'
        throw e
      }
    }
  }

  async prepare(sql: string, paramTypeOids: readonly number[]): Promise<Prepared> {
    const stmts = sql.split(';').filter((s) => s.trim() !== '')
    if (stmts.length > 1) throw new ParseError('cannot insert multiple commands into a prepared statement')
    const plan = this.plan(sql.trim().replace(/;$/, ''), paramTypeOids)
    return Object.assign({ sql, paramTypes: plan.paramTypes, columns: plan.columns }, { plan })
  }

  async execute(prepared: Prepared, params: readonly Value[]): Promise<StatementResult> {
    const plan = (prepared as Prepared & { plan: Plan }).plan
    try {
      return await this.guard(prepared.sql, () => plan.run(params))
    } catch (e) {
      if (this.transactionStatus === 'T') this.transactionStatus = 'E'
      throw e
    }
  }

  async copyIn(request: CopyInRequest, data: Uint8Array): Promise<number> {
    const lines = Buffer.from(data).toString('utf8').split('\n').filter((l) => l !== '' && l !== '\\.')
    const table = this.engine.tables.get(request.target as string) ?? []
    table.push(...lines)
    this.engine.tables.set(request.target as string, table)
    return lines.length
  }

  private async guard(stmt: string, run: () => Promise<StatementResult>): Promise<StatementResult> {
    if (this.transactionStatus === 'E' && !/^(rollback|commit|end)$/i.test(stmt.trim())) {
      throw new TransactionError(SqlState.inFailedTransaction, 'current transaction is aborted, commands ignored until end of transaction block')
    }
    return run()
  }

  private sleep(seconds: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.cancelWaiter = null
        resolve()
      }, seconds * 1000)
      this.cancelWaiter = () => {
        clearTimeout(t)
        this.cancelWaiter = null
        reject(new QueryCanceledError())
      }
    })
  }

  private rows(columns: ResultColumn[], batches: Batch[], tag?: string): StatementResult {
    const rowCount = batches.reduce((n, b) => n + b.numRows, 0)
    return { kind: 'rows', tag: tag ?? `SELECT ${rowCount}`, columns, batches, rowCount }
  }

  private plan(stmt: string, paramTypeOids: readonly number[]): Plan {
    let m: RegExpExecArray | null
    const command = (tag: string, effect: () => void = () => {}): Plan => ({
      columns: null,
      paramTypes: [],
      run: async () => {
        effect()
        return { kind: 'command', tag }
      },
    })
    if (stmt === '') return { columns: null, paramTypes: [], run: async () => ({ kind: 'empty' }) }
    if ((m = /^select (-?\d+)(?: as (\w+))?$/i.exec(stmt)) !== null) {
      const value = Number(m[1])
      const c = [col(m[2] ?? '?column?', T.int4)]
      return { columns: c, paramTypes: [], run: async () => this.rows(c, [{ numRows: 1, columns: [vectorFromValues(T.int4, [value])] }]) }
    }
    if ((m = /^select g from generate_series\(1, ?(\d+)\) g$/i.exec(stmt)) !== null) {
      const n = Number(m[1])
      const c = [col('g', T.int4)]
      return {
        columns: c,
        paramTypes: [],
        run: async () => {
          const batches: Batch[] = []
          for (let a = 1; a <= n; a += 1000) {
            const vals: number[] = []
            for (let k = a; k <= Math.min(n, a + 999); k++) vals.push(k)
            batches.push({ numRows: vals.length, columns: [vectorFromValues(T.int4, vals)] })
          }
          return this.rows(c, batches)
        },
      }
    }
    if ((m = /^select pg_sleep\(([\d.]+)\)$/i.exec(stmt)) !== null) {
      const seconds = Number(m[1])
      const c = [col('pg_sleep', T.text)]
      return {
        columns: c,
        paramTypes: [],
        run: async () => {
          await this.sleep(seconds)
          return this.rows(c, [{ numRows: 1, columns: [vectorFromValues(T.text, [''])] }])
        },
      }
    }
    if ((m = /^select ((?:\$\d+::\w+(?: as \w+)?(?:, )?)+)$/i.exec(stmt)) !== null) {
      const items = [...m[1]!.matchAll(/\$(\d+)::(\w+)(?: as (\w+))?/gi)]
      const paramTypes: SqlType[] = []
      const c: ResultColumn[] = []
      items.forEach((it, k) => {
        const given = paramTypeOids[Number(it[1]) - 1]
        const t = given === 25 ? T.text : typeFromName(it[2]!)!
        paramTypes[Number(it[1]) - 1] = t
        c.push(col(it[3] ?? it[2]!, t))
        void k
      })
      return {
        columns: c,
        paramTypes,
        run: async (params) =>
          this.rows(c, [{ numRows: 1, columns: items.map((it) => vectorFromValues(paramTypes[Number(it[1]) - 1]!, [params[Number(it[1]) - 1] ?? null])) }]),
      }
    }
    if (/^(begin|start transaction)$/i.test(stmt)) return command('BEGIN', () => (this.transactionStatus = 'T'))
    if (/^(commit|end)$/i.test(stmt)) {
      return {
        columns: null,
        paramTypes: [],
        run: async () => {
          const failed = this.transactionStatus === 'E'
          this.transactionStatus = 'I'
          return { kind: 'command', tag: failed ? 'ROLLBACK' : 'COMMIT' }
        },
      }
    }
    if (/^rollback$/i.test(stmt)) return command('ROLLBACK', () => (this.transactionStatus = 'I'))
    if ((m = /^notice (.*)$/i.exec(stmt)) !== null) {
      const message = m[1]!
      return command('DO', () => this.onNotice?.({ severity: 'NOTICE', code: '00000', message }))
    }
    if ((m = /^set (\w+) (?:to|=) '?([^']*)'?$/i.exec(stmt)) !== null) {
      const [, name, value] = m as unknown as [string, string, string]
      return command('SET', () => {
        if (name.toLowerCase() === 'fail_setting') throw new PlanError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`)
        const known = [...this.settings.keys()].find((k) => k.toLowerCase() === name.toLowerCase()) ?? name
        this.settings.set(known, value)
        if (['application_name', 'TimeZone', 'DateStyle', 'IntervalStyle'].includes(known)) this.onParameterStatus?.(known, value)
      })
    }
    if ((m = /^copy (\w+) from stdin$/i.exec(stmt)) !== null) {
      const target = m[1]!
      return { columns: null, paramTypes: [], run: async () => ({ kind: 'copyIn', copy: { format: 'text', columnCount: 1, target } }) }
    }
    if ((m = /^copy (\w+) to stdout$/i.exec(stmt)) !== null) {
      const name = m[1]!
      return {
        columns: null,
        paramTypes: [],
        run: async () => {
          const lines = this.engine.tables.get(name) ?? []
          return { kind: 'copyOut', format: 'text', columnCount: 1, chunks: lines.map((l) => Buffer.from(l + '\n')), tag: `COPY ${lines.length}` }
        },
      }
    }
    if ((m = /^select 1\/(\d+)$/i.exec(stmt)) !== null) {
      const d = Number(m[1])
      const c = [col('?column?', T.int4)]
      return {
        columns: c,
        paramTypes: [],
        run: async () => {
          if (d === 0) throw new ExecutionError(SqlState.divisionByZero, 'division by zero')
          return this.rows(c, [{ numRows: 1, columns: [vectorFromValues(T.int4, [Math.trunc(1 / d)])] }])
        },
      }
    }
    if ((m = /\bfrom (\w+)/i.exec(stmt)) !== null) {
      throw new PlanError(SqlState.undefinedTable, `relation "${m[1]}" does not exist`, { position: m.index + 6 })
    }
    throw new ParseError(`syntax error at or near "${stmt.split(/\s/)[0]}"`, 1)
  }
}
