/**
 * The 22 TPC-H query texts (PostgreSQL syntax, validation parameters), kept as q01.sql … q22.sql
 * in the queries/ folder next to this module.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

/** One TPC-H query. */
export interface TpchQuery {
  /** 1 … 22. */
  readonly number: number
  /** 'q01' … 'q22'. */
  readonly name: string
  readonly sql: string
  /** True when the query's result order is defined (it has an ORDER BY). */
  readonly ordered: boolean
}

/** The folder holding q01.sql … q22.sql. */
export const QUERY_DIR = fileURLToPath(new URL('./queries/', import.meta.url))

/** Reads the 22 queries (from `dir`, default QUERY_DIR), in number order. */
export function loadTpchQueries(dir: string = QUERY_DIR): TpchQuery[] {
  const out: TpchQuery[] = []
  for (let n = 1; n <= 22; n++) {
    const name = `q${String(n).padStart(2, '0')}`
    const sql = readFileSync(join(dir, `${name}.sql`), 'utf8').trim()
    out.push({ number: n, name, sql, ordered: /\border\s+by\b/i.test(sql) })
  }
  return out
}
