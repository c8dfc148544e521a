/**
 * Logical plan nodes: plain, readonly data. Every node stores its output `fields`; each field has a
 * query-wide unique id that expressions above refer to.
 */
import type { SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import type { Expr } from './expr.js'

/** One output column of a plan node. */
export interface Field {
  readonly id: number
  readonly name: string
  readonly type: SqlType
  /** The table alias the column can be qualified with, if any. */
  readonly relation?: string | undefined
  /** Source table OID and 1-based column number, for RowDescription. */
  readonly tableOid?: number
  readonly columnNumber?: number
}

/** Where a scan reads from. */
export type ScanSource =
  | { readonly kind: 'memory'; readonly tableOid: number; readonly name: string }
  | { readonly kind: 'parquet'; readonly files: readonly string[] }
  | { readonly kind: 'csv'; readonly files: readonly string[]; readonly options: CsvOptions }
  | { readonly kind: 'system'; readonly name: string }
  /** generate_series(start, stop, step) over integers. */
  | { readonly kind: 'series'; readonly start: number; readonly stop: number; readonly step: number }

/** Options of read_csv. */
export interface CsvOptions {
  readonly header: boolean
  readonly delimiter: string
  readonly quote: string
  readonly nullString: string
  /** The file's columns as resolved when binding (reading uses the same types). */
  readonly columns?: readonly { readonly name: string; readonly type: SqlType }[]
}

/** A logical plan node. */
export type LogicalPlan =
  | Scan
  | Values
  | Filter
  | Projection
  | Aggregate
  | Join
  | Sort
  | Limit
  | Distinct
  | SetOp
  | Window
  | CteRef
  | RecursiveCte
  | FunctionScan
  | Empty

/** Reads a table or file. `columns[i]` is the source column index of `fields[i]`. */
export interface Scan {
  readonly kind: 'Scan'
  readonly source: ScanSource
  readonly fields: readonly Field[]
  readonly columns: readonly number[]
  /** Conjuncts pushed into the scan (over the scan's own field ids). */
  readonly filters: readonly Expr[]
  /** Row limit pushed into the scan, if any. */
  readonly limit?: number
  /** All the source's columns (names and types), for display and pruning. */
  readonly sourceColumns: readonly { readonly name: string; readonly type: SqlType }[]
}
/** Literal rows (VALUES, or SELECT without FROM). */
export interface Values {
  readonly kind: 'Values'
  readonly rows: readonly (readonly Expr[])[]
  readonly fields: readonly Field[]
}
/** Keeps rows whose predicate is true. */
export interface Filter {
  readonly kind: 'Filter'
  readonly input: LogicalPlan
  readonly predicate: Expr
  readonly fields: readonly Field[]
}
/** Computes new columns; `exprs[i]` produces `fields[i]`. */
export interface Projection {
  readonly kind: 'Projection'
  readonly input: LogicalPlan
  readonly exprs: readonly Expr[]
  readonly fields: readonly Field[]
}
/** One aggregate call of an Aggregate node. */
export interface AggregateCall {
  readonly fn: string
  readonly args: readonly Expr[]
  readonly distinct: boolean
  readonly filter: Expr | null
  /** ORDER BY inside the call (string_agg, array_agg, percentile_*). */
  readonly orderBy: readonly SortKey[]
  readonly type: SqlType
}
/**
 * GROUP BY: output = group keys then aggregates. With grouping sets, `groupingSets` lists which keys
 * each set uses (indices into groupExprs) and a final field holds the grouping id.
 */
export interface Aggregate {
  readonly kind: 'Aggregate'
  readonly input: LogicalPlan
  readonly groupExprs: readonly Expr[]
  readonly aggregates: readonly AggregateCall[]
  readonly groupingSets: readonly (readonly number[])[] | null
  readonly fields: readonly Field[]
}
/** Join types. semi/anti output only the left side; 'single' is a left join that errors on >1 match. */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross' | 'semi' | 'anti' | 'single' | 'mark'
/** Joins two inputs. Output = left fields then right fields (left only for semi/anti). */
export interface Join {
  readonly kind: 'Join'
  readonly joinType: JoinType
  readonly left: LogicalPlan
  readonly right: LogicalPlan
  readonly on: Expr | null
  /** anti joins from NOT IN: a NULL on either side of the key makes the row not qualify. */
  readonly nullAware?: boolean
  /** For 'mark' joins: the id of the boolean output column (true/false/null). */
  readonly markId?: number
  /**
   * For 'mark' joins: the test whose three-valued OR over the pairs that satisfy `on` is the mark
   * (false when there are none); absent, the mark is whether there is such a pair (EXISTS).
   */
  readonly markTest?: Expr
  /**
   * LATERAL: the right input references columns of the left one (as OuterRefs) and is evaluated
   * for each left row. Only inner, cross and left joins can be lateral.
   */
  readonly lateral?: boolean
  readonly fields: readonly Field[]
}
/** A sort key. */
export interface SortKey {
  readonly expr: Expr
  readonly desc: boolean
  readonly nullsFirst: boolean
}
/** ORDER BY. */
export interface Sort {
  readonly kind: 'Sort'
  readonly input: LogicalPlan
  readonly keys: readonly SortKey[]
  readonly fields: readonly Field[]
}
/**
 * LIMIT / OFFSET (null = none). A count given by a parameter (`LIMIT $1`) is an expression in
 * `runtime`, evaluated when the statement runs; `limit`/`offset` are then null/0.
 */
export interface Limit {
  readonly kind: 'Limit'
  readonly input: LogicalPlan
  readonly limit: number | null
  readonly offset: number
  readonly runtime?: LimitExprs
  readonly fields: readonly Field[]
}
/** LIMIT / OFFSET counts known only when the statement runs. */
export interface LimitExprs {
  readonly limit: Expr | null
  readonly offset: Expr | null
}
/** SELECT DISTINCT, or DISTINCT ON (keys) keeping the first row per key in input order. */
export interface Distinct {
  readonly kind: 'Distinct'
  readonly input: LogicalPlan
  readonly on: readonly Expr[] | null
  readonly fields: readonly Field[]
}
/** UNION / INTERSECT / EXCEPT [ALL]. Output fields are new ids; columns match by position. */
export interface SetOp {
  readonly kind: 'SetOp'
  readonly op: 'union' | 'intersect' | 'except'
  readonly all: boolean
  readonly left: LogicalPlan
  readonly right: LogicalPlan
  readonly fields: readonly Field[]
}
/** A window frame bound. */
export interface FrameBound {
  readonly kind: 'unbounded_preceding' | 'preceding' | 'current_row' | 'following' | 'unbounded_following'
  readonly offset?: Expr
}
/** One window function call. */
export interface WindowCall {
  readonly fn: string
  readonly args: readonly Expr[]
  readonly partitionBy: readonly Expr[]
  readonly orderBy: readonly SortKey[]
  readonly frame: {
    readonly mode: 'rows' | 'range' | 'groups'
    readonly start: FrameBound
    readonly end: FrameBound
    readonly exclude: 'no_others' | 'current_row' | 'group' | 'ties'
  }
  readonly filter: Expr | null
  readonly type: SqlType
}
/** Window functions: output = input fields then one field per call. */
export interface Window {
  readonly kind: 'Window'
  readonly input: LogicalPlan
  readonly calls: readonly WindowCall[]
  readonly fields: readonly Field[]
}
/** A reference to a materialised CTE (or the working table of a recursive CTE). */
export interface CteRef {
  readonly kind: 'CteRef'
  readonly cteId: number
  readonly name: string
  /** The CTE's plan (its fields' ids are the CTE's own; `fields` here are this reference's). */
  readonly plan: LogicalPlan | null
  readonly fields: readonly Field[]
}
/** WITH RECURSIVE: anchor UNION [ALL] recursive step, the step reading the working table (cteId). */
export interface RecursiveCte {
  readonly kind: 'RecursiveCte'
  readonly cteId: number
  readonly anchor: LogicalPlan
  readonly step: LogicalPlan
  readonly all: boolean
  readonly fields: readonly Field[]
}
/**
 * A set-returning function in FROM whose arguments are only known when it runs: they reference
 * an enclosing query or an earlier FROM item (implicit LATERAL), or hold a subquery. Calls with
 * constant arguments are bound to a Scan or Values instead.
 */
export interface FunctionScan {
  readonly kind: 'FunctionScan'
  /** ROWS FROM: the functions run side by side, one column each; shorter ones are padded with NULLs. */
  readonly calls: readonly SetFunctionCall[]
  /** WITH ORDINALITY: a last bigint column numbers the rows from 1. */
  readonly ordinality?: boolean
  readonly fields: readonly Field[]
}
/** The set-returning functions a FunctionScan runs. */
export type SetFunctionName = 'generate_series' | 'unnest' | 'generate_subscripts'

/**
 * One set-returning function call of a FunctionScan. generate_subscripts takes a third argument
 * fixed by the binder: the array's lower bound (0 for int2vector/oidvector catalog columns).
 */
export interface SetFunctionCall {
  readonly fn: SetFunctionName
  readonly args: readonly Expr[]
}

/** No rows (a filter that is always false, LIMIT 0). */
export interface Empty {
  readonly kind: 'Empty'
  readonly fields: readonly Field[]
  /** One row with no columns instead of none (SELECT without FROM). */
  readonly oneRow: boolean
}

/** A constant literal row of values (for VALUES rows built from JS values). */
export type Row = readonly Value[]

/** The inputs of a plan node. */
export function planChildren(p: LogicalPlan): LogicalPlan[] {
  switch (p.kind) {
    case 'Scan':
    case 'Values':
    case 'Empty':
    case 'CteRef':
    case 'FunctionScan':
      return []
    case 'Filter':
    case 'Projection':
    case 'Aggregate':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'Window':
      return [p.input]
    case 'Join':
    case 'SetOp':
      return [p.left, p.right]
    case 'RecursiveCte':
      return [p.anchor, p.step]
  }
}

/** The same node with new inputs (in planChildren's order). */
export function withChildren(p: LogicalPlan, c: readonly LogicalPlan[]): LogicalPlan {
  switch (p.kind) {
    case 'Scan':
    case 'Values':
    case 'Empty':
    case 'CteRef':
    case 'FunctionScan':
      return p
    case 'Filter':
    case 'Projection':
    case 'Aggregate':
    case 'Sort':
    case 'Limit':
    case 'Distinct':
    case 'Window':
      return c[0] === p.input ? p : { ...p, input: c[0]! }
    case 'Join':
    case 'SetOp':
      return c[0] === p.left && c[1] === p.right ? p : { ...p, left: c[0]!, right: c[1]! }
    case 'RecursiveCte':
      return c[0] === p.anchor && c[1] === p.step ? p : { ...p, anchor: c[0]!, step: c[1]! }
  }
}

/** Rebuilds a plan bottom-up with f applied to every node (inputs first). */
export function transformUp(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const kids = planChildren(p)
  const next = kids.map((k) => transformUp(k, f))
  const changed = next.some((k, i) => k !== kids[i])
  return f(changed ? withChildren(p, next) : p)
}

/** Rebuilds a plan top-down: f on a node first, then on its (new) inputs. */
export function transformDown(p: LogicalPlan, f: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const q = f(p)
  const kids = planChildren(q)
  const next = kids.map((k) => transformDown(k, f))
  return next.some((k, i) => k !== kids[i]) ? withChildren(q, next) : q
}

/** The expressions a node evaluates (over its input's fields). */
export function planExprs(p: LogicalPlan): Expr[] {
  switch (p.kind) {
    case 'Scan':
      return [...p.filters]
    case 'Values':
      return p.rows.flat()
    case 'FunctionScan':
      return p.calls.flatMap((c) => c.args)
    case 'Filter':
      return [p.predicate]
    case 'Projection':
      return [...p.exprs]
    case 'Aggregate':
      return [
        ...p.groupExprs,
        ...p.aggregates.flatMap((a) => [...a.args, ...(a.filter ? [a.filter] : []), ...a.orderBy.map((k) => k.expr)]),
      ]
    case 'Join':
      return [...(p.on ? [p.on] : []), ...(p.markTest ? [p.markTest] : [])]
    case 'Sort':
      return p.keys.map((k) => k.expr)
    case 'Distinct':
      return p.on ? [...p.on] : []
    case 'Window':
      return p.calls.flatMap((c) => [
        ...c.args,
        ...c.partitionBy,
        ...c.orderBy.map((k) => k.expr),
        ...(c.filter ? [c.filter] : []),
        ...(c.frame.start.offset ? [c.frame.start.offset] : []),
        ...(c.frame.end.offset ? [c.frame.end.offset] : []),
      ])
    case 'Limit':
    case 'SetOp':
    case 'CteRef':
    case 'RecursiveCte':
    case 'Empty':
      return []
  }
}
