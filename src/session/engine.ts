/**
 * The Engine: one catalog, one worker pool, many sessions. `Engine.create` loads the parser, the
 * catalogs kept in a data directory when given one (which then stores every commit) and, when
 * asked, a TPC-H data set (generated in memory for the demo, or read from Parquet files).
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Catalog, CHUNK_ROWS, CommitQueue, type CatalogState, type TableData } from '../catalog/catalog.js'
import { planError } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import { Executor } from '../exec/executor.js'
import '../kernels/load-functions.js'
import { initParser } from '../sql/parse.js'
import { DataDir, type StoredCatalog, type StoredDatabases } from '../storage/data-dir.js'
import { openParquetTable, readParquetTable } from '../storage/parquet.js'
import type { Session, SessionOptions } from './api.js'
import { FlintSession } from './session.js'
import { toSharedChunks } from './table-data.js'

/** Engine options. */
export interface EngineOptions {
  /** Worker threads (default: number of cores). */
  readonly workers?: number
  /** Scans of at least this many rows are split across the workers (default 100,000). */
  readonly parallelThreshold?: number
  /** Serve the Parquet files of this directory (e.g. a TPC-H set) as tables, loaded in memory. */
  readonly tpchDir?: string
  /** Generate a small TPC-H data set (SF 0.01) in memory as demo tables. */
  readonly demo?: boolean
  /** Data directory: catalogs and tables are loaded from it and every commit is written to it. */
  readonly dataDir?: string
}

/** A running engine. */
export class Engine {
  /** Commits of all catalogs, one at a time (the data directory writes them as one manifest). */
  private readonly commits = new CommitQueue()
  /** The catalog of every database not created with CREATE DATABASE (the default one). */
  readonly catalog: Catalog
  /** Databases created with CREATE DATABASE, each with its own catalog. */
  private readonly databases = new Map<string, Catalog>()
  readonly executor: Executor
  readonly parallelThreshold: number
  private nextSessionId = 1
  /** Rows of the tables --tpch/--demo loaded (not written to the data directory). */
  private readonly loadedTables = new WeakSet<TableData>()
  /** Transaction ids start where a fresh PostgreSQL cluster's do. */
  private nextTransactionId = 735
  /** Sequence counters advanced since the data directory last stored them. */
  private sequencesAdvanced = false
  private readonly sessions = new Set<FlintSession>()

  private constructor(
    opts: EngineOptions,
    private readonly dataDir: DataDir | null,
    stored: StoredDatabases | null,
  ) {
    this.executor = new Executor(opts.workers)
    this.parallelThreshold = opts.parallelThreshold ?? 100_000
    this.catalog = this.newCatalog(stored?.main)
    for (const [name, c] of stored?.databases ?? []) this.databases.set(name, this.newCatalog(c))
  }

  /** Creates an engine, ready for sessions. */
  static async create(opts: EngineOptions = {}): Promise<Engine> {
    await initParser()
    const opened = opts.dataDir !== undefined ? await DataDir.open(opts.dataDir) : null
    const engine = new Engine(opts, opened?.dataDir ?? null, opened?.stored ?? null)
    if (opts.tpchDir) await engine.loadParquetDir(opts.tpchDir)
    else if (opts.demo) await engine.loadDemo()
    return engine
  }

  /** Opens a session. */
  createSession(opts: SessionOptions): Session {
    const s = new FlintSession(this, this.nextSessionId++, opts)
    this.sessions.add(s)
    return s
  }

  /** The catalog a session connected to `database` works on. */
  catalogFor(database: string): Catalog {
    return this.databases.get(database) ?? this.catalog
  }

  /** CREATE DATABASE: a new, empty catalog under that name (42P04 if it exists). */
  async createDatabase(name: string): Promise<void> {
    await this.commits.run(async () => {
      if (this.databases.has(name)) throw planError('42P04', `database "${name}" already exists`)
      const catalog = this.newCatalog()
      await this.dataDir?.save(this.stored(new Map(this.databases).set(name, catalog)))
      this.databases.set(name, catalog)
    })
  }

  /** DROP DATABASE: forgets the catalog; false when there was none. */
  async dropDatabase(name: string): Promise<boolean> {
    return this.commits.run(async () => {
      if (!this.databases.has(name)) return false
      const rest = new Map(this.databases)
      rest.delete(name)
      await this.dataDir?.save(this.stored(rest))
      return this.databases.delete(name)
    })
  }

  /** Records that a statement advanced sequence counters the data directory has not stored yet. */
  noteSequencesAdvanced(): void {
    this.sequencesAdvanced = true
  }

  /**
   * Writes the data directory again when sequence counters advanced since its last write (every
   * write stores the counters as they are, so a statement that also committed changes writes once).
   */
  async persistSequences(): Promise<void> {
    const dataDir = this.dataDir
    if (dataDir === null || !this.sequencesAdvanced) return
    await this.commits.run(async () => {
      if (this.sequencesAdvanced) await dataDir.save(this.stored(this.databases))
    })
  }

  private newCatalog(stored?: StoredCatalog): Catalog {
    const persist = this.dataDir === null ? null : (catalog: Catalog, next: CatalogState) => this.dataDir!.save(this.stored(this.databases, catalog, next))
    return new Catalog(this.commits, stored, persist)
  }

  /**
   * Every catalog's state as the data directory stores it, with `next` standing for the state
   * `changing` is about to publish. Tables loaded by --tpch/--demo are loaded again at each start
   * and not stored (unless changed since).
   */
  private stored(databases: ReadonlyMap<string, Catalog>, changing?: Catalog, next?: CatalogState): StoredDatabases {
    // the write reads the sequence counters as they are now
    this.sequencesAdvanced = false
    const kept = (state: CatalogState): CatalogState => ({ ...state, relations: new Map([...state.relations].filter(([, r]) => r.kind !== 'table' || !this.loadedTables.has(r.data))) })
    const of = (c: Catalog): StoredCatalog => ({ state: kept(c === changing ? next! : c.snapshot()), nextOid: c.oidCounter })
    return { main: of(this.catalog), databases: new Map([...databases].map(([name, c]) => [name, of(c)])) }
  }

  /** The ids (backend pids) of the open sessions. */
  sessionIds(): number[] {
    return [...this.sessions].map((s) => s.id)
  }

  /** A fresh transaction id (txid_current). */
  allocateTransactionId(): number {
    return this.nextTransactionId++
  }

  /** pg_cancel_backend / pg_terminate_backend: signals the session with that id; false when there is none. */
  signalSession(id: number, terminate: boolean): boolean {
    const s = [...this.sessions].find((x) => x.id === id)
    if (!s) return false
    if (terminate) setImmediate(() => (s.onTerminate ? s.onTerminate() : s.cancel()))
    else s.cancel()
    return true
  }

  /** Forgets a closed session. */
  sessionClosed(s: FlintSession): void {
    this.sessions.delete(s)
  }

  /** Adds a table with the given rows (already in the table's column types), not written to a data directory. */
  async addTable(name: string, columns: readonly { name: string; type: SqlType }[], batches: readonly Batch[]): Promise<void> {
    const data: TableData = { chunks: toSharedChunks(batches, CHUNK_ROWS), rowCount: batches.reduce((s, b) => s + b.numRows, 0) }
    this.loadedTables.add(data)
    const def = {
      oid: this.catalog.allocateOid(),
      name,
      columns: columns.map((c) => ({ name: c.name, type: c.type, notNull: false, defaultSql: null })),
      primaryKey: null,
      external: null,
    }
    const working = { relations: new Map(this.catalog.snapshot().relations).set(name, { kind: 'table' as const, def, data }) }
    await this.catalog.commit(working, new Set([name]))
  }

  private async loadParquetDir(dir: string): Promise<void> {
    const files = (await readdir(dir)).filter((f) => f.endsWith('.parquet')).sort()
    for (const f of files) {
      const meta = await openParquetTable(join(dir, f))
      const batches: Batch[] = []
      for await (const b of readParquetTable(meta)) batches.push(b)
      await this.addTable(f.replace(/\.parquet$/, ''), meta.columns, batches)
    }
  }

  private async loadDemo(): Promise<void> {
    const { generateTables } = await import('../tpch/generate.js')
    for (const [name, t] of generateTables(0.01)) await this.addTable(name, t.columns, t.batches)
  }

  /** Stops the worker pool. */
  async close(): Promise<void> {
    for (const s of [...this.sessions]) s.close()
    await this.executor.close()
    await this.commits.run(async () => this.dataDir?.close())
  }
}

/** Re-exported for callers that build types. */
export { T }
