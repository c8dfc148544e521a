/**
 * DuckDB as the reference engine for TPC-H answers: loads a generated data set (Parquet files)
 * into an in-memory DuckDB and runs queries, returning rows with column kinds for compareResults.
 */
import { join } from 'node:path'
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api'
import { ExecutionError } from '../common/errors.js'
import type { Cell, ColumnKind, QueryResult } from './compare.js'
import { TABLE_NAMES, type TableName } from './schema.js'

const KINDS: Partial<Record<DuckDBTypeId, ColumnKind>> = {
  [DuckDBTypeId.DECIMAL]: 'decimal',
  [DuckDBTypeId.TINYINT]: 'integer',
  [DuckDBTypeId.SMALLINT]: 'integer',
  [DuckDBTypeId.INTEGER]: 'integer',
  [DuckDBTypeId.BIGINT]: 'integer',
  [DuckDBTypeId.HUGEINT]: 'integer',
  [DuckDBTypeId.UTINYINT]: 'integer',
  [DuckDBTypeId.USMALLINT]: 'integer',
  [DuckDBTypeId.UINTEGER]: 'integer',
  [DuckDBTypeId.UBIGINT]: 'integer',
  [DuckDBTypeId.FLOAT]: 'double',
  [DuckDBTypeId.DOUBLE]: 'double',
  [DuckDBTypeId.DATE]: 'date',
  [DuckDBTypeId.VARCHAR]: 'text',
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** An in-memory DuckDB holding TPC-H tables. */
export class DuckDbOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens an empty in-memory database (`threads` defaults to DuckDB's choice). */
  static async open(opts: { threads?: number } = {}): Promise<DuckDbOracle> {
    const config: Record<string, string> = {}
    if (opts.threads !== undefined) config['threads'] = String(opts.threads)
    const instance = await DuckDBInstance.create(':memory:', config)
    const connection = await instance.connect()
    return new DuckDbOracle(instance, connection)
  }

  /** Creates the tables from `<dir>/<table>.parquet` (CREATE TABLE … AS SELECT * FROM read_parquet). */
  async loadParquet(dir: string, tables: readonly TableName[] = TABLE_NAMES): Promise<void> {
    for (const t of tables) {
      await this.run(`CREATE OR REPLACE TABLE ${t} AS SELECT * FROM read_parquet(${quote(join(dir, `${t}.parquet`))})`)
    }
  }

  /** Runs a statement without a result. */
  async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql)
    } catch (e) {
      throw wrap(e)
    }
  }

  /** Runs a query; decimals and big integers come back as exact text, doubles as numbers. */
  async query(sql: string): Promise<QueryResult> {
    try {
      const reader = await this.connection.runAndReadAll(sql)
      const names = reader.columnNames()
      const types = reader.columnTypes()
      const columns = names.map((name, i) => ({ name, kind: KINDS[types[i]!.typeId] ?? ('other' as ColumnKind) }))
      const rows = reader.getRowsJson() as Cell[][]
      return { columns, rows }
    } catch (e) {
      throw wrap(e)
    }
  }

  /** Closes the database. */
  close(): void {
    this.connection.closeSync()
    this.instance.closeSync()
  }
}

function wrap(e: unknown): ExecutionError {
  return new ExecutionError('58000', `DuckDB: ${e instanceof Error ? e.message : String(e)}`)
}
