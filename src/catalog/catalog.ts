/**
 * The catalog: tables (their definitions and data), views and sequences in schema `public`. A CatalogState is
 * immutable; writers build a new one. Sessions work on their own state and publish the relations
 * they changed at commit, which gives statement atomicity and transactions that others cannot see
 * until COMMIT.
 */
import type { SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import type { SequenceCells, SequenceOptions } from '../common/sequence.js'

/** A column of a table. */
export interface ColumnDef {
  readonly name: string
  readonly type: SqlType
  readonly notNull: boolean
  /** Default expression as SQL text (bound on use), or null. */
  readonly defaultSql: string | null
}

/** A UNIQUE constraint: its name, the column indices of its key, its OID and its index's OID. */
export interface UniqueConstraint {
  readonly name: string
  readonly columns: readonly number[]
  readonly oid: number
  readonly indexOid: number
}

/** A CHECK constraint: its name, its boolean expression as a stored parse tree (bound on use), its OID. */
export interface CheckConstraint {
  readonly name: string
  readonly exprSql: string
  readonly oid: number
}

/**
 * A FOREIGN KEY constraint (MATCH SIMPLE, checked at the end of each statement): the referencing
 * column indices, the referenced table's catalog key and column indices (its primary key or a
 * UNIQUE constraint), and PostgreSQL's action codes ('a' NO ACTION, 'r' RESTRICT).
 */
export interface ForeignKeyConstraint {
  readonly name: string
  readonly oid: number
  readonly columns: readonly number[]
  readonly refTable: string
  readonly refColumns: readonly number[]
  readonly onUpdate: string
  readonly onDelete: string
}

/** An index made by CREATE [UNIQUE] INDEX: its name, OID, key column indices and uniqueness. */
export interface IndexDef {
  readonly name: string
  readonly oid: number
  readonly columns: readonly number[]
  readonly unique: boolean
}

/** Every index of a table with its name and OID: UNIQUE constraints' and CREATE INDEX's (not the primary key's). */
export const tableIndexes = (def: TableDef): readonly { readonly name: string; readonly oid: number }[] => [
  ...(def.uniques ?? []).map((u) => ({ name: u.name, oid: u.indexOid })),
  ...(def.indexes ?? []),
]

/** A table's definition. */
export interface TableDef {
  readonly oid: number
  readonly name: string
  readonly columns: readonly ColumnDef[]
  /** Column indices of the primary key (uniqueness is enforced on INSERT/UPDATE). */
  readonly primaryKey: readonly number[] | null
  /** UNIQUE constraints (NULLs never conflict), enforced on every change like the primary key. */
  readonly uniques?: readonly UniqueConstraint[]
  /** CHECK constraints, in creation order; a row fails when one yields false (NULL passes). */
  readonly checks?: readonly CheckConstraint[]
  /** FOREIGN KEY constraints of this (the referencing) table. */
  readonly foreignKeys?: readonly ForeignKeyConstraint[]
  /** Indexes made by CREATE INDEX: catalog metadata (queries do not use them); a unique one is enforced like UNIQUE. */
  readonly indexes?: readonly IndexDef[]
  /** Files backing an external table (read_parquet/--tpch), or null for an in-memory table. */
  readonly external: { readonly format: 'parquet' | 'csv'; readonly files: readonly string[] } | null
}

/** A table's rows: immutable chunks of SharedArrayBuffer-backed batches (the unit of partitioning). */
export interface TableData {
  readonly chunks: readonly Batch[]
  readonly rowCount: number
}

/** A table in the catalog. */
export interface TableEntry {
  readonly kind: 'table'
  readonly def: TableDef
  readonly data: TableData
}

/** A view: its defining query, re-bound on each use. */
export interface ViewEntry {
  readonly kind: 'view'
  readonly oid: number
  readonly name: string
  readonly sql: string
  readonly columnNames: readonly string[] | null
}

/**
 * A sequence: its parameters, and its counter cells, shared by every catalog state that holds the
 * sequence (sequence values are not transactional).
 */
export interface SequenceEntry {
  readonly kind: 'sequence'
  readonly oid: number
  readonly name: string
  readonly options: SequenceOptions
  readonly cells: SequenceCells
  /** The table column that owns it (serial columns): dropped with the table. */
  readonly ownedBy: { readonly table: string; readonly column: string } | null
}

/** A relation of the catalog. */
export type Relation = TableEntry | ViewEntry | SequenceEntry

/**
 * An immutable snapshot of every relation, by key: its lower-case name in schema public, else
 * `schema.name` (see relationKey); and of the schemas users created, by name, with their OIDs.
 */
export interface CatalogState {
  readonly relations: ReadonlyMap<string, Relation>
  readonly schemas?: ReadonlyMap<string, number>
}

/** The catalog key of a relation in a schema. */
export const relationKey = (schema: string, name: string): string => (schema === 'public' ? name : `${schema}.${name}`)

/** The schema and name of a relation key. */
export function splitRelationKey(key: string): { schema: string; name: string } {
  const dot = key.indexOf('.')
  return dot < 0 ? { schema: 'public', name: key } : { schema: key.slice(0, dot), name: key.slice(dot + 1) }
}

/** The `changed` entry (see Catalog.commit) that publishes a schema's creation or removal. */
export const schemaChange = (name: string): string => `\u0000schema:${name}`

/** Rows per chunk of an in-memory table. */
export const CHUNK_ROWS = 1 << 16

/**
 * Runs commits one at a time. The catalogs of one engine share a queue so that a data directory
 * always writes a manifest of a consistent set of states.
 */
export class CommitQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `f` after every commit queued before it has finished. */
  run<R>(f: () => Promise<R>): Promise<R> {
    const p = this.tail.then(f)
    this.tail = p.catch(() => undefined)
    return p
  }
}

/** Called with the state a commit is about to publish; when it throws, the commit fails and publishes nothing. */
export type BeforePublish = (catalog: Catalog, next: CatalogState) => Promise<void>

/** The shared, committed catalog. */
export class Catalog {
  private current: CatalogState
  private nextOid: number

  constructor(
    private readonly queue: CommitQueue = new CommitQueue(),
    initial: { readonly state: CatalogState; readonly nextOid: number } = { state: { relations: new Map() }, nextOid: 16384 },
    /** Persists a state before it is published (the data directory), or null. */
    private readonly beforePublish: BeforePublish | null = null,
  ) {
    this.current = initial.state
    this.nextOid = initial.nextOid
  }

  /** The committed state (a consistent snapshot). */
  snapshot(): CatalogState {
    return this.current
  }

  /** A fresh object id. */
  allocateOid(): number {
    return this.nextOid++
  }

  /** The next object id to be handed out (persisted with the catalog). */
  get oidCounter(): number {
    return this.nextOid
  }

  /**
   * Publishes a session's changes: every relation named in `changed` takes its value in `working`
   * (or is removed when absent there), on top of what others committed meanwhile. Resolves once
   * the new state is published (and persisted, with a data directory). `validate` sees the state
   * published before and the one about to be, and may refuse it by throwing (nothing is published).
   */
  commit(working: CatalogState, changed: ReadonlySet<string>, validate?: (published: CatalogState, next: CatalogState) => void): Promise<void> {
    if (changed.size === 0) return Promise.resolve()
    return this.queue.run(async () => {
      const next = new Map(this.current.relations)
      let schemas = this.current.schemas
      for (const name of changed) {
        if (name.startsWith(schemaChange(''))) {
          const schema = name.slice(schemaChange('').length)
          const copy = new Map(schemas)
          const oid = working.schemas?.get(schema)
          if (oid === undefined) copy.delete(schema)
          else copy.set(schema, oid)
          schemas = copy
          continue
        }
        const rel = working.relations.get(name)
        if (rel) next.set(name, rel)
        else next.delete(name)
      }
      const state: CatalogState = { relations: next, ...(schemas ? { schemas } : {}) }
      validate?.(this.current, state)
      await this.beforePublish?.(this, state)
      this.current = state
    })
  }
}

/** A new state with one relation set (or removed when `rel` is undefined). */
export function withRelation(state: CatalogState, name: string, rel: Relation | undefined): CatalogState {
  const next = new Map(state.relations)
  if (rel) next.set(name, rel)
  else next.delete(name)
  return { ...state, relations: next }
}

/** A new state with one user schema added (with its OID) or removed (oid undefined). */
export function withSchema(state: CatalogState, name: string, oid: number | undefined): CatalogState {
  const schemas = new Map(state.schemas)
  if (oid === undefined) schemas.delete(name)
  else schemas.set(name, oid)
  return { ...state, schemas }
}
