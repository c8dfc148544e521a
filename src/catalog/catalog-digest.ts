/**
 * The catalog digest: the plain-data description of a catalog state's relations that catalog
 * functions (pg_get_indexdef, pg_get_viewdef, pg_relation_size, …) read. It is built on the main
 * thread from the catalog (catalog-model.ts) and travels with a statement to the worker threads.
 */
import type { SqlType } from '../common/types.js'
import { quoteIdent } from './catalog-oids.js'

/** A column as the catalogs describe it. */
export interface ModelColumn {
  readonly name: string
  readonly type: SqlType
  readonly attnum: number
  readonly notNull: boolean
  /** The default expression as SQL text, or null. */
  readonly defaultText: string | null
}

/** A relation as the catalogs describe it. */
export interface ModelRelation {
  readonly oid: number
  readonly name: string
  /** Its schema's name and OID. */
  readonly schema: string
  readonly namespace: number
  /** pg_class.relkind: 'r' table, 'v' view, 'i' index, 'S' sequence. */
  readonly kind: 'r' | 'v' | 'i' | 'S'
  readonly columns: readonly ModelColumn[]
  /** For a table with a primary key: the key's attnums (1-based), its index and constraint. */
  readonly primaryKey: ModelKey | null
  /** A table's UNIQUE constraints (absent: none). */
  readonly uniques?: readonly ModelKey[]
  /** A table's CHECK constraints (absent: none). */
  readonly checks?: readonly ModelCheck[]
  /** A table's FOREIGN KEY constraints (absent: none). */
  readonly foreignKeys?: readonly ModelForeignKey[]
  /** A table's CREATE INDEX indexes (absent: none). */
  readonly indexes?: readonly ModelIndex[]
  /** For an index: the table it belongs to. */
  readonly tableOid: number
  /** For a view: its query as SQL text. */
  readonly viewDefinition: string | null
  /** Estimated bytes of the relation's data. */
  readonly bytes: number
  /** Rows of a table (0 otherwise). */
  readonly rowCount: number
  /** True for tables backed by files (read-only). */
  readonly external: boolean
}

/** A key constraint (PRIMARY KEY or UNIQUE): its attnums (1-based), its index and constraint. */
export interface ModelKey {
  readonly attnums: readonly number[]
  readonly indexOid: number
  readonly constraintOid: number
  readonly name: string
}

/** A CHECK constraint: the attnums it reads and its expression as pg_get_constraintdef prints it, plain and pretty. */
export interface ModelCheck {
  readonly constraintOid: number
  readonly name: string
  readonly attnums: readonly number[]
  readonly definition: string
  readonly prettyDefinition: string
}

/**
 * A FOREIGN KEY constraint: its attnums, the referenced table (OID, name as pg_get_constraintdef
 * prints it, attnums, the OID of the index of its matching key) and the action codes.
 */
export interface ModelForeignKey {
  readonly constraintOid: number
  readonly name: string
  readonly attnums: readonly number[]
  readonly refOid: number
  readonly refName: string
  readonly refAttnums: readonly number[]
  readonly refColumnNames: readonly string[]
  readonly indexOid: number
  readonly onUpdate: string
  readonly onDelete: string
}

/** An index made by CREATE INDEX: its attnums (1-based), OID, name and uniqueness. */
export interface ModelIndex {
  readonly attnums: readonly number[]
  readonly indexOid: number
  readonly name: string
  readonly unique: boolean
}

/** The digest of a catalog the catalog functions need (plain data: it travels to worker threads). */
export interface CatalogDigest {
  readonly relations: readonly ModelRelation[]
  /** The schemas users created (for current_schema() and friends). */
  readonly schemas?: readonly string[]
}

/** A table's key constraints: its primary key, then its UNIQUE constraints. */
export const tableKeys = (r: ModelRelation): readonly ModelKey[] => (r.primaryKey ? [r.primaryKey, ...(r.uniques ?? [])] : (r.uniques ?? []))

/** The key constraint (primary key or UNIQUE) of the referenced table that a foreign key's index belongs to. */
export function referencedKey(digest: CatalogDigest, fk: ModelForeignKey): { table: ModelRelation; key: ModelKey } | undefined {
  const table = modelRelation(digest, fk.refOid)
  const key = table && tableKeys(table).find((k) => k.indexOid === fk.indexOid)
  return table && key ? { table, key } : undefined
}

/** Finds a relation of the model by OID. */
export const modelRelation = (digest: CatalogDigest, oid: number): ModelRelation | undefined => digest.relations.find((r) => r.oid === oid)

/** pg_get_indexdef of an index: `CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)`; one column when `column` > 0. */
export function indexDefinition(digest: CatalogDigest, indexOid: number, column = 0): string | null {
  const idx = modelRelation(digest, indexOid)
  if (!idx || idx.kind !== 'i') return null
  if (column > 0) return idx.columns[column - 1] ? quoteIdent(idx.columns[column - 1]!.name) : ''
  const table = modelRelation(digest, idx.tableOid)
  if (!table) return null
  const unique = !table.indexes?.some((i) => i.indexOid === indexOid && !i.unique)
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(idx.name)} ON public.${quoteIdent(table.name)} USING btree (${idx.columns.map((c) => quoteIdent(c.name)).join(', ')})`
}

/** The SQL of a foreign key's action code (pg_constraint.confupdtype/confdeltype). */
export const FK_ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' }

/** pg_get_constraintdef of a table constraint: `PRIMARY KEY (id)`, `UNIQUE (a, b)`, `CHECK ((a > 0))` (`CHECK (a > 0)` when pretty). */
export function constraintDefinition(digest: CatalogDigest, constraintOid: number, pretty = false): string | null {
  for (const table of digest.relations) {
    const keyText = (kind: string, key: ModelKey): string => `${kind} (${key.attnums.map((a) => quoteIdent(table.columns[a - 1]!.name)).join(', ')})`
    if (table.primaryKey?.constraintOid === constraintOid) return keyText('PRIMARY KEY', table.primaryKey)
    const unique = table.uniques?.find((u) => u.constraintOid === constraintOid)
    if (unique) return keyText('UNIQUE', unique)
    const check = table.checks?.find((c) => c.constraintOid === constraintOid)
    if (check) return `CHECK ${pretty ? check.prettyDefinition : check.definition}`
    const fk = table.foreignKeys?.find((f) => f.constraintOid === constraintOid)
    if (fk) {
      const actions = [['UPDATE', fk.onUpdate] as const, ['DELETE', fk.onDelete] as const].map(([event, code]) => (code === 'a' ? '' : ` ON ${event} ${FK_ACTIONS[code]}`)).join('')
      return `${keyText('FOREIGN KEY', fk)} REFERENCES ${fk.refName}(${fk.refColumnNames.map(quoteIdent).join(', ')})${actions}`
    }
  }
  return null
}

