/**
 * Virtual system relations (pg_catalog, information_schema): each is generated from the catalog
 * state when a query reads it, and queried by the engine like any table.
 */
import type { SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import type { CatalogState } from './catalog.js'

/** What a system table's rows are built from. */
export interface SystemTableContext {
  readonly state: CatalogState
  readonly user: string
  readonly database: string
  readonly settings: ReadonlyMap<string, string>
}

/** A virtual relation. */
export interface SystemTable {
  readonly schema: 'pg_catalog' | 'information_schema'
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[]
  /** The rows, one array of Values per row, in column order. */
  rows(ctx: SystemTableContext): Value[][]
}

const tables = new Map<string, SystemTable>()

/** Adds system tables (by `schema.name`). */
export function registerSystemTables(list: readonly SystemTable[]): void {
  for (const t of list) tables.set(`${t.schema}.${t.name}`, t)
}

/**
 * Finds a system table: a qualified name looks in its schema; an unqualified one looks in
 * pg_catalog (which PostgreSQL searches first).
 */
export function lookupSystemTable(schema: string | null, name: string): SystemTable | undefined {
  if (schema !== null) return tables.get(`${schema}.${name}`)
  return tables.get(`pg_catalog.${name}`)
}
