/**
 * Runs the 22 TPC-H queries on DuckDB (the oracle) and on another engine, and compares the
 * answers value by value. The other engine is any `runQuery(sql)` that returns rows of cells;
 * Flint's rows arrive as PostgreSQL text ('123.45', '1998-09-02'), which compareResults
 * normalises against DuckDB's typed values.
 */
import { InternalError } from '../common/errors.js'
import { valueAt } from '../common/value.js'
import type { StatementResult } from '../session/api.js'
import { compareResults, type Cell, type QueryResult } from './compare.js'
import { formatDate } from './csv-writer.js'
import { DuckDbOracle } from './duckdb-oracle.js'
import { loadTpchQueries, type TpchQuery } from './queries.js'

/** Runs one query on the engine under test. */
export type RunQuery = (sql: string) => Promise<readonly (readonly Cell[])[]>

/** The outcome of one query. */
export interface QueryCheck {
  readonly query: string
  readonly ok: boolean
  readonly expectedRows: number
  readonly actualRows: number | null
  /** Differences, or the error the engine under test raised. */
  readonly problems: readonly string[]
}

/** Options of checkTpchQueries. */
export interface CheckOptions {
  /** Folder with the Parquet data set (loaded into a fresh DuckDB), unless `oracle` is given. */
  readonly dataDir?: string
  /** An oracle that already holds the tables. */
  readonly oracle?: DuckDbOracle
  /** Queries to run (default all 22). */
  readonly queries?: readonly TpchQuery[]
}

/** DuckDB's answers to the queries. */
export async function oracleAnswers(oracle: DuckDbOracle, queries: readonly TpchQuery[] = loadTpchQueries()): Promise<Map<string, QueryResult>> {
  const out = new Map<string, QueryResult>()
  for (const q of queries) out.set(q.name, await oracle.query(q.sql))
  return out
}

/** Runs each query on DuckDB and on `runQuery` and compares the answers. */
export async function checkTpchQueries(runQuery: RunQuery, opts: CheckOptions): Promise<QueryCheck[]> {
  const queries = opts.queries ?? loadTpchQueries()
  let oracle = opts.oracle
  const own = oracle === undefined
  if (oracle === undefined) {
    if (opts.dataDir === undefined) throw new InternalError('checkTpchQueries needs dataDir or oracle')
    oracle = await DuckDbOracle.open()
    await oracle.loadParquet(opts.dataDir)
  }
  try {
    const out: QueryCheck[] = []
    for (const q of queries) {
      const expected = await oracle.query(q.sql)
      let actual: readonly (readonly Cell[])[]
      try {
        actual = await runQuery(q.sql)
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e)
        out.push({ query: q.name, ok: false, expectedRows: expected.rows.length, actualRows: null, problems: [message] })
        continue
      }
      const cmp = compareResults(expected, actual, { ordered: q.ordered })
      out.push({ query: q.name, ok: cmp.equal, expectedRows: expected.rows.length, actualRows: actual.length, problems: cmp.differences })
    }
    return out
  } finally {
    if (own) oracle.close()
  }
}

/**
 * The rows of a Flint statement result as cells: numerics as decimal text at their scale, dates as
 * YYYY-MM-DD, other values as JS values (the same normalisation compareResults applies to text).
 */
export function flintResultRows(result: StatementResult): Cell[][] {
  if (result.kind !== 'rows') return []
  const out: Cell[][] = []
  for (const batch of result.batches) {
    for (let i = 0; i < batch.numRows; i++) {
      out.push(
        batch.columns.map((v) => {
          const x = valueAt(v, i)
          if (x === null) return null
          if (v.type.id === 'date' && typeof x === 'number') return formatDate(x)
          if (typeof x === 'object') return JSON.stringify(x)
          return x
        }),
      )
    }
  }
  return out
}
