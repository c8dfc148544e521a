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
  readonly primaryKey: { readonly attnums: readonly number[]; readonly indexOid: number; readonly constraintOid: number; readonly name: string } | null
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

/** The digest of a catalog the catalog functions need (plain data: it travels to worker threads). */
export interface CatalogDigest {
  readonly relations: readonly ModelRelation[]
  /** The schemas users created (for current_schema() and friends). */
  readonly schemas?: readonly string[]
}

/** Finds a relation of the model by OID. */
export const modelRelation = (digest: CatalogDigest, oid: number): ModelRelation | undefined => digest.relations.find((r) => r.oid === oid)

/** pg_get_indexdef of a primary-key index: `CREATE UNIQUE INDEX t_pkey ON public.t USING btree (id)`; one column when `column` > 0. */
export function indexDefinition(digest: CatalogDigest, indexOid: number, column = 0): string | null {
  const idx = modelRelation(digest, indexOid)
  if (!idx || idx.kind !== 'i') return null
  if (column > 0) return idx.columns[column - 1] ? quoteIdent(idx.columns[column - 1]!.name) : ''
  const table = modelRelation(digest, idx.tableOid)
  if (!table) return null
  return `CREATE UNIQUE INDEX ${quoteIdent(idx.name)} ON public.${quoteIdent(table.name)} USING btree (${idx.columns.map((c) => quoteIdent(c.name)).join(', ')})`
}

/** pg_get_constraintdef of a primary-key constraint: `PRIMARY KEY (id)`. */
export function constraintDefinition(digest: CatalogDigest, constraintOid: number): string | null {
  const table = digest.relations.find((r) => r.primaryKey?.constraintOid === constraintOid)
  if (!table) return null
  const names = table.primaryKey!.attnums.map((a) => quoteIdent(table.columns[a - 1]!.name))
  return `PRIMARY KEY (${names.join(', ')})`
}

