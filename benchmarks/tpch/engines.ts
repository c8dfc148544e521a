/**
 * The engines the TPC-H benchmark drives: DuckDB (in process), PostgreSQL (over `pg`, loaded with
 * COPY from CSV, with keys, indexes and ANALYZE) and Flint (in process, through the session API;
 * loaded with CREATE TABLE … AS SELECT * FROM read_parquet(…)). Flint is imported at run time, so
 * the benchmark works before the engine exists and reports it as not available.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import type { StatementResult } from '../../src/session/api.js'
import type { Cell } from '../../src/tpch/compare.js'
import { DuckDbOracle } from '../../src/tpch/duckdb-oracle.js'
import { flintResultRows } from '../../src/tpch/harness.js'
import { createTableSql, PRIMARY_KEYS, TABLE_NAMES } from '../../src/tpch/schema.js'
import { tableFile } from '../../src/tpch/write.js'
import { copyCsvFile } from './pg-copy.js'

/** An engine under benchmark. */
export interface BenchEngine {
  readonly name: string
  /** Loads the data set in `dir` (Parquet for DuckDB and Flint, CSV for PostgreSQL). */
  load(dir: string): Promise<void>
  /** Runs a query and returns its rows. */
  run(sql: string): Promise<Cell[][]>
  close(): Promise<void>
}

const sqlString = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** DuckDB in this process. */
export class DuckDbEngine implements BenchEngine {
  readonly name = 'DuckDB'
  private db: DuckDbOracle | undefined

  constructor(private readonly threads?: number) {}

  async load(dir: string): Promise<void> {
    this.db = await DuckDbOracle.open(this.threads !== undefined ? { threads: this.threads } : {})
    await this.db.loadParquet(dir)
  }

  async run(sql: string): Promise<Cell[][]> {
    return (await this.db!.query(sql)).rows as Cell[][]
  }

  async close(): Promise<void> {
    this.db?.close()
  }
}

/** Foreign-key columns that get an index in PostgreSQL (as the reference measurements did). */
const PG_INDEXES: readonly [string, string][] = [
  ['nation', 'n_regionkey'],
  ['supplier', 's_nationkey'],
  ['customer', 'c_nationkey'],
  ['partsupp', 'ps_suppkey'],
  ['orders', 'o_custkey'],
  ['lineitem', 'l_partkey, l_suppkey'],
  ['lineitem', 'l_suppkey'],
]

/** PostgreSQL over node-postgres, in its own schema. */
export class PostgresEngine implements BenchEngine {
  readonly name = 'PostgreSQL'
  private client: pg.Client | undefined

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
    private readonly schema = 'flint_tpch',
  ) {}

  async load(dir: string): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url })
    await this.client.connect()
    const c = this.client
    await c.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`)
    await c.query(`CREATE SCHEMA ${this.schema}`)
    await c.query(`SET search_path = ${this.schema}`)
    for (const t of TABLE_NAMES) {
      await c.query(createTableSql(t))
      await copyCsvFile(c, t, tableFile(dir, t, 'csv'))
      await c.query(`ALTER TABLE ${t} ADD PRIMARY KEY (${PRIMARY_KEYS[t].join(', ')})`)
    }
    for (const [t, cols] of PG_INDEXES) await c.query(`CREATE INDEX ON ${t} (${cols})`)
    await c.query('ANALYZE')
    await c.query(`SET statement_timeout = ${Math.round(this.timeoutMs)}`)
  }

  async run(sql: string): Promise<Cell[][]> {
    const r = await this.client!.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } })
    return r.rows as Cell[][]
  }

  async close(): Promise<void> {
    if (this.client === undefined) return
    try {
      await this.client.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`)
    } finally {
      await this.client.end()
    }
  }
}

/** What the benchmark needs of Flint's session module (checked at run time). */
interface FlintSessionLike {
  executeSimple(sql: string): AsyncGenerator<StatementResult>
  cancel(): void
  close(): void
}
interface FlintEngineLike {
  createSession(opts: { user: string; database: string }): FlintSessionLike | Promise<FlintSessionLike>
  close?(): void | Promise<void>
}
interface FlintEngineClass {
  create(opts: Record<string, unknown>): FlintEngineLike | Promise<FlintEngineLike>
}

/** The module that exports Flint's Engine. */
export const FLINT_ENGINE_MODULE = fileURLToPath(new URL('../../src/session/engine.ts', import.meta.url))

/** Flint in this process, through its session API. */
export class FlintEngine implements BenchEngine {
  readonly name = 'Flint'
  private engine: FlintEngineLike | undefined
  private session: FlintSessionLike | undefined

  private constructor(private readonly timeoutMs: number) {}

  /** Flint, or the reason it cannot run (module missing, no Engine export, create failed). */
  static async open(timeoutMs: number, options: Record<string, unknown> = {}, modulePath = FLINT_ENGINE_MODULE): Promise<FlintEngine | string> {
    if (!existsSync(modulePath)) return 'src/session/engine.ts does not exist yet'
    let mod: { Engine?: FlintEngineClass }
    try {
      mod = (await import(pathToFileURL(modulePath).href)) as { Engine?: FlintEngineClass }
    } catch (e) {
      return `cannot import src/session/engine: ${e instanceof Error ? e.message : String(e)}`
    }
    if (typeof mod.Engine?.create !== 'function') return 'src/session/engine does not export Engine.create'
    const f = new FlintEngine(timeoutMs)
    try {
      f.engine = await mod.Engine.create(options)
      f.session = await f.engine.createSession({ user: 'bench', database: 'tpch' })
    } catch (e) {
      return `Engine.create failed: ${e instanceof Error ? e.message : String(e)}`
    }
    return f
  }

  private async execute(sql: string): Promise<StatementResult[]> {
    const session = this.session!
    const timer = setTimeout(() => session.cancel(), this.timeoutMs)
    try {
      const out: StatementResult[] = []
      for await (const r of session.executeSimple(sql)) out.push(r)
      return out
    } finally {
      clearTimeout(timer)
    }
  }

  async load(dir: string): Promise<void> {
    for (const t of TABLE_NAMES) {
      await this.execute(`CREATE TABLE ${t} AS SELECT * FROM read_parquet(${sqlString(tableFile(dir, t, 'parquet'))})`)
    }
  }

  async run(sql: string): Promise<Cell[][]> {
    const results = await this.execute(sql)
    const last = results[results.length - 1]
    return last === undefined ? [] : flintResultRows(last)
  }

  async close(): Promise<void> {
    this.session?.close()
    await this.engine?.close?.()
  }
}
