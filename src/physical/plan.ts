/**
 * Physical plan nodes: plain data (they are posted to worker threads), with expressions whose
 * Column `id` is the input position. `ExchangeExec` marks a stage boundary: its input runs as one
 * task per partition on the worker pool and its output is gathered into one partition.
 */
import type { SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import type { Expr } from '../logical/expr.js'
import type { AggregateCall, CsvOptions, JoinType, LimitExprs, SetFunctionCall, SortKey, WindowCall } from '../logical/plan.js'

/** Output column of a physical node. */
export interface PhysicalField {
  readonly name: string
  readonly type: SqlType
}

/** Where a scan's rows come from, resolved for execution. */
export type ScanInput =
  /** In-memory chunks (SharedArrayBuffer-backed, so posting them to a worker shares, not copies). */
  | { readonly kind: 'memory'; readonly chunks: readonly Batch[] }
  | { readonly kind: 'parquet'; readonly files: readonly string[] }
  | { readonly kind: 'csv'; readonly files: readonly string[]; readonly options: CsvOptions }
  | { readonly kind: 'series'; readonly start: number; readonly stop: number; readonly step: number }

/** A physical plan node. */
export type PhysicalPlan =
  | ScanExec
  | ValuesExec
  | FilterExec
  | ProjectExec
  | HashAggregateExec
  | HashJoinExec
  | NestedLoopJoinExec
  | LateralJoinExec
  | SortExec
  | LimitExec
  | DistinctExec
  | SetOpExec
  | WindowExec
  | ExchangeExec
  | RecursiveCteExec
  | WorkTableExec
  | FunctionScanExec
  | EmptyExec

/** Reads `columns` of a source; in a partitioned stage, only this task's share. */
export interface ScanExec {
  readonly kind: 'ScanExec'
  readonly input: ScanInput
  readonly columns: readonly number[]
  readonly filters: readonly Expr[]
  readonly limit: number | null
  readonly fields: readonly PhysicalField[]
  /** Number of partitions the scan is split into (1 = all). */
  readonly partitions: number
  readonly label: string
}
/** Literal rows. */
export interface ValuesExec {
  readonly kind: 'ValuesExec'
  readonly rows: readonly (readonly Expr[])[]
  readonly fields: readonly PhysicalField[]
}
/** Keeps rows whose predicate is true. */
export interface FilterExec {
  readonly kind: 'FilterExec'
  readonly input: PhysicalPlan
  readonly predicate: Expr
  readonly fields: readonly PhysicalField[]
}
/** Computes expressions. */
export interface ProjectExec {
  readonly kind: 'ProjectExec'
  readonly input: PhysicalPlan
  readonly exprs: readonly Expr[]
  readonly fields: readonly PhysicalField[]
}
/**
 * Hash aggregation. 'partial' emits group keys + aggregate states per partition; 'final' merges
 * states; 'single' does both at once.
 */
export interface HashAggregateExec {
  readonly kind: 'HashAggregateExec'
  readonly mode: 'single' | 'partial' | 'final'
  readonly input: PhysicalPlan
  readonly groupExprs: readonly Expr[]
  readonly aggregates: readonly AggregateCall[]
  readonly groupingSets: readonly (readonly number[])[] | null
  readonly fields: readonly PhysicalField[]
}
/** Equi-join: builds a hash table on the right input, probes with the left. */
export interface HashJoinExec {
  readonly kind: 'HashJoinExec'
  readonly joinType: JoinType
  readonly left: PhysicalPlan
  readonly right: PhysicalPlan
  readonly leftKeys: readonly Expr[]
  readonly rightKeys: readonly Expr[]
  /** Extra condition over the joined row (left columns then right columns). */
  readonly residual: Expr | null
  readonly nullAware: boolean
  /** Mark joins: the test over the joined row whose OR over a left row's pairs is its mark (null = EXISTS). */
  readonly markTest?: Expr | null
  readonly fields: readonly PhysicalField[]
}
/** Any join condition, row pairs tested one by one (cross joins and non-equi joins). */
export interface NestedLoopJoinExec {
  readonly kind: 'NestedLoopJoinExec'
  readonly joinType: JoinType
  readonly left: PhysicalPlan
  readonly right: PhysicalPlan
  readonly on: Expr | null
  /** NOT IN's anti join: a pair whose condition is NULL also disqualifies the left row. */
  readonly nullAware?: boolean
  /** Mark joins: the test over the joined row whose OR over a left row's pairs is its mark (null = EXISTS). */
  readonly markTest?: Expr | null
  readonly fields: readonly PhysicalField[]
}
/**
 * LATERAL: `right` runs once per distinct combination of the left columns it references (its
 * OuterRefs `outerRefs`, found at positions `outerIndex` of the left input), and its rows are
 * joined with the left rows that produced them.
 */
export interface LateralJoinExec {
  readonly kind: 'LateralJoinExec'
  readonly joinType: JoinType
  readonly left: PhysicalPlan
  readonly right: PhysicalPlan
  readonly on: Expr | null
  readonly outerRefs: readonly number[]
  readonly outerIndex: readonly number[]
  readonly fields: readonly PhysicalField[]
}
/** Sorts its whole input. */
export interface SortExec {
  readonly kind: 'SortExec'
  readonly input: PhysicalPlan
  readonly keys: readonly SortKey[]
  /** Keep only the first `fetch` rows (top-N), when a LIMIT sits above. */
  readonly fetch: number | null
  readonly fields: readonly PhysicalField[]
}
/** LIMIT / OFFSET. */
export interface LimitExec {
  readonly kind: 'LimitExec'
  readonly input: PhysicalPlan
  readonly limit: number | null
  readonly offset: number
  /** Counts given by parameters, evaluated when the plan runs (see the logical Limit). */
  readonly runtime?: LimitExprs
  readonly fields: readonly PhysicalField[]
}
/** DISTINCT (on all columns or on keys, keeping the first row per key). */
export interface DistinctExec {
  readonly kind: 'DistinctExec'
  readonly input: PhysicalPlan
  readonly on: readonly Expr[] | null
  readonly fields: readonly PhysicalField[]
}
/** UNION / INTERSECT / EXCEPT [ALL]. */
export interface SetOpExec {
  readonly kind: 'SetOpExec'
  readonly op: 'union' | 'intersect' | 'except'
  readonly all: boolean
  readonly left: PhysicalPlan
  readonly right: PhysicalPlan
  readonly fields: readonly PhysicalField[]
}
/** Window functions. */
export interface WindowExec {
  readonly kind: 'WindowExec'
  readonly input: PhysicalPlan
  readonly calls: readonly WindowCall[]
  readonly fields: readonly PhysicalField[]
}
/** Stage boundary: runs `input` as `partitions` tasks on the worker pool and gathers the results. */
export interface ExchangeExec {
  readonly kind: 'ExchangeExec'
  readonly input: PhysicalPlan
  readonly partitions: number
  readonly fields: readonly PhysicalField[]
}
/** WITH RECURSIVE: iterate `step` over the working table until it yields no new rows. */
export interface RecursiveCteExec {
  readonly kind: 'RecursiveCteExec'
  readonly cteId: number
  readonly anchor: PhysicalPlan
  readonly step: PhysicalPlan
  readonly all: boolean
  readonly fields: readonly PhysicalField[]
}
/** The current working table of a recursive CTE (or a materialised CTE). */
export interface WorkTableExec {
  readonly kind: 'WorkTableExec'
  readonly cteId: number
  readonly fields: readonly PhysicalField[]
}
/** Set-returning functions side by side (ROWS FROM) over arguments evaluated when they run. */
export interface FunctionScanExec {
  readonly kind: 'FunctionScanExec'
  readonly calls: readonly SetFunctionCall[]
  /** WITH ORDINALITY: a last bigint column numbers the rows from 1. */
  readonly ordinality: boolean
  readonly fields: readonly PhysicalField[]
}
/** No rows (or one empty row). */
export interface EmptyExec {
  readonly kind: 'EmptyExec'
  readonly oneRow: boolean
  readonly fields: readonly PhysicalField[]
}

/** The inputs of a physical node. */
export function physicalChildren(p: PhysicalPlan): PhysicalPlan[] {
  switch (p.kind) {
    case 'ScanExec':
    case 'ValuesExec':
    case 'WorkTableExec':
    case 'EmptyExec':
    case 'FunctionScanExec':
      return []
    case 'HashJoinExec':
    case 'NestedLoopJoinExec':
    case 'LateralJoinExec':
    case 'SetOpExec':
      return [p.left, p.right]
    case 'RecursiveCteExec':
      return [p.anchor, p.step]
    default:
      return [p.input]
  }
}
