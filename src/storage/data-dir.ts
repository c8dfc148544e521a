/**
 * The data directory (`flint serve --data-dir DIR`): every database's catalog and its tables' rows,
 * written at each commit so that they survive a restart.
 *
 * DIR/manifest.json lists the databases, their schemas and relations (table definitions, views, sequences) and, for each
 * table with rows, the file holding them: one file per table version, Parquet (written with
 * parquet-wasm), or Arrow IPC in Flint's own layout for tables with a column type Parquet cannot
 * hold exactly (interval, time, oid, …). A commit writes the files of the tables it changed under
 * new names, then replaces the manifest atomically (temporary file + rename), then removes the
 * files no manifest names any more: a crash at any point leaves the previous or the new state.
 * Sequences are stored with their counters; a statement that advanced one writes the manifest
 * again, so a restart never hands out a value twice. DIR/flint.pid holds the process id of the
 * server using the directory while it runs.
 */
import * as fsp from 'node:fs/promises'
import { join } from 'node:path'
import { CHUNK_ROWS, type CatalogState, type Relation, type SequenceEntry, type TableData, type TableDef, type ViewEntry } from '../catalog/catalog.js'
import { ExecutionError } from '../common/errors.js'
import { sharedCells, type SequenceOptions } from '../common/sequence.js'
import { typeEquals, type SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import { toSharedChunks } from '../session/table-data.js'
import { readArrowIpc, writeArrowIpc } from './arrow-ipc.js'
import { atomicWrite, fileError, writeAll } from './files.js'
import { readParquet, writeParquet } from './parquet.js'

/** One catalog as stored: its relations and the next OID it hands out. */
export interface StoredCatalog {
  readonly state: CatalogState
  readonly nextOid: number
}

/** Every catalog of an engine: the default one and those made by CREATE DATABASE. */
export interface StoredDatabases {
  readonly main: StoredCatalog
  readonly databases: ReadonlyMap<string, StoredCatalog>
}

const MANIFEST = 'manifest.json'
/** Holds the process id of the server using the directory. */
const LOCK = 'flint.pid'
const FORMAT = 'flint-data-dir'
const VERSION = 1
const DATA_FILE = /^\d+-[0-9a-z]+-\d+\.(parquet|arrow)$/

/** A sequence as stored: bigints as decimal text, and its counter cells' values. */
interface ManifestSequence {
  readonly kind: 'sequence'
  readonly oid: number
  readonly name: string
  readonly options: { readonly [K in keyof SequenceOptions]: SequenceOptions[K] extends bigint ? string : SequenceOptions[K] }
  /** The next value nextval() hands out, and whether nextval/setval(…, true) has run. */
  readonly next: string
  readonly called: boolean
  readonly ownedBy: SequenceEntry['ownedBy']
}

type ManifestRelation = { readonly kind: 'table'; readonly def: TableDef; readonly rows: number; readonly file: string | null } | ViewEntry | ManifestSequence

/** A sequence's manifest entry, with its counters as they are now. */
function storeSequence(seq: SequenceEntry): ManifestSequence {
  const o = seq.options
  const options = { increment: String(o.increment), min: String(o.min), max: String(o.max), start: String(o.start), cache: String(o.cache), cycle: o.cycle, type: o.type }
  return { kind: 'sequence', oid: seq.oid, name: seq.name, options, next: String(Atomics.load(seq.cells, 0)), called: Atomics.load(seq.cells, 1) === 1n, ownedBy: seq.ownedBy }
}

/** A stored sequence with fresh shared counter cells. */
function loadSequence(m: ManifestSequence): SequenceEntry {
  const o = m.options
  const options: SequenceOptions = { increment: BigInt(o.increment), min: BigInt(o.min), max: BigInt(o.max), start: BigInt(o.start), cache: BigInt(o.cache), cycle: o.cycle, type: o.type }
  const cells = sharedCells()
  cells[0] = BigInt(m.next)
  cells[1] = m.called ? 1n : 0n
  return { kind: 'sequence', oid: m.oid, name: m.name, options, cells, ownedBy: m.ownedBy }
}

interface ManifestCatalog {
  readonly nextOid: number
  /** Each relation with its catalog key (its name, or `schema.name` outside public). */
  readonly relations: readonly (ManifestRelation & { readonly key: string })[]
  /** The schemas users created, with their OIDs. */
  readonly schemas?: Readonly<Record<string, number>>
}

interface Manifest {
  readonly format: typeof FORMAT
  readonly version: number
  readonly main: ManifestCatalog
  readonly databases: Readonly<Record<string, ManifestCatalog>>
}

/** Column types Parquet files written by writeParquet give back exactly. */
const PARQUET_EXACT = new Set(['bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'text', 'varchar', 'bpchar', 'date', 'timestamp', 'timestamptz', 'json', 'uuid', 'bytea'])

const parquetHolds = (t: SqlType): boolean => (t.id === 'array' ? t.element.id !== 'array' && parquetHolds(t.element) : PARQUET_EXACT.has(t.id))

/** Takes the directory for this process (55006 when a live process has it; a stale lock is taken over). */
async function lock(dir: string): Promise<void> {
  const path = join(dir, LOCK)
  for (;;) {
    try {
      await fsp.writeFile(path, `${process.pid}\n`, { flag: 'wx' })
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(e, path, 'create')
    }
    const owner = Number((await fsp.readFile(path, 'utf8').catch(() => '')).trim())
    if (Number.isInteger(owner) && owner > 0 && processAlive(owner)) {
      throw new ExecutionError('55006', `data directory "${dir}" is in use by process ${owner}`)
    }
    await fsp.rm(path, { force: true })
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const corrupt = (what: string): ExecutionError => new ExecutionError('XX001', `data directory is damaged: ${what}`)

/** A data directory: loads the stored catalogs and writes new versions of them. */
export class DataDir {
  /** The file that holds each table version already written (table data is immutable). */
  private readonly files = new WeakMap<TableData, string>()
  private written = 0

  private constructor(readonly dir: string) {}

  /** Opens (creating it when missing) a data directory and reads what it holds; `stored` is null for a new one. */
  static async open(dir: string): Promise<{ dataDir: DataDir; stored: StoredDatabases | null }> {
    try {
      await fsp.mkdir(dir, { recursive: true })
    } catch (e) {
      throw fileError(e, dir, 'create')
    }
    await lock(dir)
    const dataDir = new DataDir(dir)
    try {
      return await dataDir.read()
    } catch (e) {
      await dataDir.close()
      throw e
    }
  }

  /** Reads the manifest and the tables it names; `stored` is null for a new directory. */
  private async read(): Promise<{ dataDir: DataDir; stored: StoredDatabases | null }> {
    const dir = this.dir
    let text: string
    try {
      text = await fsp.readFile(join(dir, MANIFEST), 'utf8')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { dataDir: this, stored: null }
      throw fileError(e, join(dir, MANIFEST))
    }
    let manifest: Manifest
    try {
      manifest = JSON.parse(text) as Manifest
    } catch {
      throw corrupt(`${MANIFEST} is not valid JSON`)
    }
    if (manifest.format !== FORMAT || manifest.version !== VERSION) throw corrupt(`${MANIFEST} is not a version ${VERSION} Flint manifest`)
    const main = await this.loadCatalog(manifest.main)
    const databases = new Map<string, StoredCatalog>()
    for (const [name, c] of Object.entries(manifest.databases)) databases.set(name, await this.loadCatalog(c))
    return { dataDir: this, stored: { main, databases } }
  }

  /** Releases the directory for another server. */
  async close(): Promise<void> {
    await fsp.rm(join(this.dir, LOCK), { force: true })
  }

  /** Writes the given catalogs: the files of table versions not yet written, then the manifest, then removes unnamed files. */
  async save(dbs: StoredDatabases): Promise<void> {
    const named = new Set<string>()
    const main = await this.catalogEntry(dbs.main, named)
    const databases: Record<string, ManifestCatalog> = {}
    for (const [name, c] of dbs.databases) databases[name] = await this.catalogEntry(c, named)
    const manifest: Manifest = { format: FORMAT, version: VERSION, main, databases }
    const bytes = new TextEncoder().encode(JSON.stringify(manifest, null, 1) + '\n')
    await atomicWrite(join(this.dir, MANIFEST), (fh) => writeAll(fh, bytes))
    for (const f of await fsp.readdir(this.dir)) {
      if (DATA_FILE.test(f) && !named.has(f)) await fsp.rm(join(this.dir, f), { force: true })
    }
  }

  private async catalogEntry(c: StoredCatalog, named: Set<string>): Promise<ManifestCatalog> {
    const relations: (ManifestRelation & { key: string })[] = []
    for (const [key, rel] of c.state.relations) {
      if (rel.kind === 'view') {
        relations.push({ key, ...rel })
        continue
      }
      if (rel.kind === 'sequence') {
        relations.push({ key, ...storeSequence(rel) })
        continue
      }
      const file = await this.tableFile(rel.def, rel.data)
      if (file !== null) named.add(file)
      relations.push({ key, kind: 'table', def: rel.def, rows: rel.data.rowCount, file })
    }
    return { nextOid: c.nextOid, relations, ...(c.state.schemas?.size ? { schemas: Object.fromEntries(c.state.schemas) } : {}) }
  }

  /** The file holding a table version's rows, written now when it is new; null when there are no rows to keep. */
  private async tableFile(def: TableDef, data: TableData): Promise<string | null> {
    if (def.external !== null || data.rowCount === 0) return null
    const known = this.files.get(data)
    if (known !== undefined) return known
    const columns = def.columns.map((c) => ({ name: c.name, type: c.type }))
    const parquet = columns.length > 0 && columns.every((c) => parquetHolds(c.type))
    const file = `${def.oid}-${Date.now().toString(36)}-${this.written++}.${parquet ? 'parquet' : 'arrow'}`
    const path = join(this.dir, file)
    if (parquet) await writeParquet(path, columns, data.chunks)
    else await writeArrowIpc(path, columns, data.chunks, { mode: 'native' })
    this.files.set(data, file)
    return file
  }

  private async loadCatalog(c: ManifestCatalog): Promise<StoredCatalog> {
    const relations = new Map<string, Relation>()
    for (const { key, ...r } of c.relations) {
      if (r.kind === 'view') relations.set(key, r)
      else if (r.kind === 'sequence') relations.set(key, loadSequence(r))
      else relations.set(key, { kind: 'table', def: r.def, data: await this.loadRows(r.def, r.rows, r.file) })
    }
    const schemas = c.schemas ? new Map(Object.entries(c.schemas)) : undefined
    return { state: { relations, ...(schemas ? { schemas } : {}) }, nextOid: c.nextOid }
  }

  private async loadRows(def: TableDef, rows: number, file: string | null): Promise<TableData> {
    if (file === null) return { chunks: [], rowCount: 0 }
    if (!DATA_FILE.test(file)) throw corrupt(`table "${def.name}" names the file "${file}"`)
    const path = join(this.dir, file)
    const batches: Batch[] = []
    for await (const b of file.endsWith('.parquet') ? readParquet(path) : readArrowIpc(path)) {
      b.columns.forEach((v, k) => {
        const want = def.columns[k]?.type
        if (want === undefined || !typeEquals(v.type, want)) throw corrupt(`${file} does not hold the columns of table "${def.name}"`)
      })
      batches.push(b)
    }
    const data = { chunks: toSharedChunks(batches, CHUNK_ROWS), rowCount: batches.reduce((s, b) => s + b.numRows, 0) }
    if (data.rowCount !== rows) throw corrupt(`${file} holds ${data.rowCount} rows, table "${def.name}" had ${rows}`)
    this.files.set(data, file)
    return data
  }
}
