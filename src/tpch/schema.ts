/**
 * The eight TPC-H tables' columns with their Flint types: identifiers int4, money and quantities
 * numeric(15,2), dates date, CHAR/VARCHAR columns text.
 */
import { numericType, T, type SqlType } from '../common/types.js'

/** A column of a generated table. */
export interface ColumnDef {
  readonly name: string
  readonly type: SqlType
}

/** Names of the TPC-H tables, in load order (referenced tables first). */
export const TABLE_NAMES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] as const

/** A TPC-H table name. */
export type TableName = (typeof TABLE_NAMES)[number]

/** DECIMAL(15,2), held as Float64 cents. */
export const MONEY: SqlType = numericType(15, 2)

const col = (name: string, type: SqlType): ColumnDef => ({ name, type })
const int = T.int4
const text = T.text

/** The column list of each table, in the specification's order. */
export const TABLE_COLUMNS: Readonly<Record<TableName, readonly ColumnDef[]>> = {
  region: [col('r_regionkey', int), col('r_name', text), col('r_comment', text)],
  nation: [col('n_nationkey', int), col('n_name', text), col('n_regionkey', int), col('n_comment', text)],
  supplier: [
    col('s_suppkey', int),
    col('s_name', text),
    col('s_address', text),
    col('s_nationkey', int),
    col('s_phone', text),
    col('s_acctbal', MONEY),
    col('s_comment', text),
  ],
  customer: [
    col('c_custkey', int),
    col('c_name', text),
    col('c_address', text),
    col('c_nationkey', int),
    col('c_phone', text),
    col('c_acctbal', MONEY),
    col('c_mktsegment', text),
    col('c_comment', text),
  ],
  part: [
    col('p_partkey', int),
    col('p_name', text),
    col('p_mfgr', text),
    col('p_brand', text),
    col('p_type', text),
    col('p_size', int),
    col('p_container', text),
    col('p_retailprice', MONEY),
    col('p_comment', text),
  ],
  partsupp: [
    col('ps_partkey', int),
    col('ps_suppkey', int),
    col('ps_availqty', int),
    col('ps_supplycost', MONEY),
    col('ps_comment', text),
  ],
  orders: [
    col('o_orderkey', int),
    col('o_custkey', int),
    col('o_orderstatus', text),
    col('o_totalprice', MONEY),
    col('o_orderdate', T.date),
    col('o_orderpriority', text),
    col('o_clerk', text),
    col('o_shippriority', int),
    col('o_comment', text),
  ],
  lineitem: [
    col('l_orderkey', int),
    col('l_partkey', int),
    col('l_suppkey', int),
    col('l_linenumber', int),
    col('l_quantity', MONEY),
    col('l_extendedprice', MONEY),
    col('l_discount', MONEY),
    col('l_tax', MONEY),
    col('l_returnflag', text),
    col('l_linestatus', text),
    col('l_shipdate', T.date),
    col('l_commitdate', T.date),
    col('l_receiptdate', T.date),
    col('l_shipinstruct', text),
    col('l_shipmode', text),
    col('l_comment', text),
  ],
}

/** The primary key columns of each table (used for loading other engines and key checks). */
export const PRIMARY_KEYS: Readonly<Record<TableName, readonly string[]>> = {
  region: ['r_regionkey'],
  nation: ['n_nationkey'],
  supplier: ['s_suppkey'],
  customer: ['c_custkey'],
  part: ['p_partkey'],
  partsupp: ['ps_partkey', 'ps_suppkey'],
  orders: ['o_orderkey'],
  lineitem: ['l_orderkey', 'l_linenumber'],
}

/** The SQL type name of a column as a CREATE TABLE statement spells it (PostgreSQL and DuckDB). */
export function sqlTypeName(t: SqlType): string {
  switch (t.id) {
    case 'int4':
      return 'INTEGER'
    case 'numeric':
      return `DECIMAL(${t.precision ?? 38},${t.scale ?? 0})`
    case 'date':
      return 'DATE'
    default:
      return 'VARCHAR'
  }
}

/** CREATE TABLE text for a table (PostgreSQL and DuckDB accept it). */
export function createTableSql(table: TableName): string {
  const cols = TABLE_COLUMNS[table].map((c) => `  ${c.name} ${sqlTypeName(c.type)} NOT NULL`)
  return `CREATE TABLE ${table} (\n${cols.join(',\n')}\n)`
}
