/**
 * Bound, typed expressions of the logical plan. Columns refer to plan fields by a query-wide unique
 * id (as Spark's exprId / DuckDB's ColumnBinding), so rules may move expressions between nodes
 * without renumbering; the physical planner turns ids into positions.
 */
import type { SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import type { LogicalPlan } from './plan.js'

/** Arithmetic and comparison operators the kernels implement directly. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'is distinct from' | 'is not distinct from'

/** A bound expression. */
export type Expr =
  | ColumnExpr
  | LiteralExpr
  | ParamExpr
  | BinaryExpr
  | BoolExpr
  | NotExpr
  | IsNullExpr
  | IsBoolExpr
  | CastExpr
  | CaseExpr
  | CallExpr
  | InListExpr
  | SubqueryExpr
  | OuterRefExpr
  | ArrayExpr

/** A reference to a field of the input by id. */
export interface ColumnExpr {
  readonly kind: 'Column'
  readonly id: number
  readonly name: string
  readonly type: SqlType
}
/** A constant. */
export interface LiteralExpr {
  readonly kind: 'Literal'
  readonly value: Value
  readonly type: SqlType
}
/** $n, a statement parameter (1-based). */
export interface ParamExpr {
  readonly kind: 'Param'
  readonly index: number
  readonly type: SqlType
}
/** left op right. */
export interface BinaryExpr {
  readonly kind: 'Binary'
  readonly op: BinaryOp
  readonly left: Expr
  readonly right: Expr
  readonly type: SqlType
}
/** AND / OR over two or more arguments, with three-valued logic. */
export interface BoolExpr {
  readonly kind: 'And' | 'Or'
  readonly args: readonly Expr[]
  readonly type: SqlType
}
/** NOT arg. */
export interface NotExpr {
  readonly kind: 'Not'
  readonly arg: Expr
  readonly type: SqlType
}
/** arg IS [NOT] NULL. */
export interface IsNullExpr {
  readonly kind: 'IsNull'
  readonly arg: Expr
  readonly negated: boolean
  readonly type: SqlType
}
/** arg IS [NOT] TRUE / FALSE / UNKNOWN. */
export interface IsBoolExpr {
  readonly kind: 'IsBool'
  readonly arg: Expr
  readonly test: 'true' | 'false' | 'unknown'
  readonly negated: boolean
  readonly type: SqlType
}
/** CAST(arg AS type). */
export interface CastExpr {
  readonly kind: 'Cast'
  readonly arg: Expr
  readonly type: SqlType
}
/** CASE WHEN … THEN … ELSE … END (the operand form is rewritten to conditions by the binder). */
export interface CaseExpr {
  readonly kind: 'Case'
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]
  readonly otherwise: Expr
  readonly type: SqlType
}
/** A scalar function call, from the registry or a built-in (coalesce, nullif, greatest, least, …). */
export interface CallExpr {
  readonly kind: 'Call'
  readonly fn: string
  readonly args: readonly Expr[]
  readonly type: SqlType
  readonly volatility: 'immutable' | 'stable' | 'volatile'
}
/** arg [NOT] IN (list…). */
export interface InListExpr {
  readonly kind: 'InList'
  readonly arg: Expr
  readonly list: readonly Expr[]
  readonly negated: boolean
  readonly type: SqlType
}
/** ARRAY[…] constructor. */
export interface ArrayExpr {
  readonly kind: 'Array'
  readonly elements: readonly Expr[]
  readonly type: SqlType
}

/**
 * A subquery used as a value: scalar (one column, at most one row), EXISTS, a quantified
 * comparison (`x IN (…)` is `x = ANY (…)`), ARRAY(…), or a row compared with the one row of a
 * subquery (`(a, b) < (SELECT x, y …)`). Correlated subqueries reference outer columns through
 * OuterRef; the decorrelation rule turns them into joins.
 */
export interface SubqueryExpr {
  readonly kind: 'Subquery'
  readonly subKind: 'scalar' | 'exists' | 'any' | 'all' | 'array' | 'row'
  readonly plan: LogicalPlan
  /** For any/all/row: the left operand (a `__row` call of elements for row comparisons) and the comparison operator. */
  readonly testExpr?: Expr
  readonly op?: BinaryOp
  /** Outer column ids the subquery references (empty when uncorrelated). */
  readonly outerRefs: readonly number[]
  readonly type: SqlType
}

/** Inside a subquery plan: a column of an enclosing query. */
export interface OuterRefExpr {
  readonly kind: 'OuterRef'
  readonly id: number
  readonly name: string
  readonly type: SqlType
}

/** Shorthand for a boolean type. */
const BOOL: SqlType = { id: 'bool' }

/** A column reference expression. */
export const col = (id: number, name: string, type: SqlType): ColumnExpr => ({ kind: 'Column', id, name, type })
/** A literal expression. */
export const lit = (value: Value, type: SqlType): LiteralExpr => ({ kind: 'Literal', value, type })
/** AND of conjuncts (true when empty). */
export function and(args: readonly Expr[]): Expr {
  const flat: Expr[] = []
  for (const a of args) {
    if (a.kind === 'And') flat.push(...a.args)
    else flat.push(a)
  }
  if (flat.length === 0) return lit(true, BOOL)
  if (flat.length === 1) return flat[0]!
  return { kind: 'And', args: flat, type: BOOL }
}
/** Splits an expression into its top-level AND conjuncts. */
export function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'And') return e.args.flatMap(conjuncts)
  if (e.kind === 'Literal' && e.value === true) return []
  return [e]
}

/** The child expressions of an expression (not descending into subquery plans). */
export function exprChildren(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'OuterRef':
      return []
    case 'Binary':
      return [e.left, e.right]
    case 'And':
    case 'Or':
      return e.args
    case 'Not':
    case 'IsNull':
    case 'IsBool':
    case 'Cast':
      return [e.arg]
    case 'Case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), e.otherwise]
    case 'Call':
      return e.args
    case 'InList':
      return [e.arg, ...e.list]
    case 'Array':
      return e.elements
    case 'Subquery':
      return e.testExpr ? [e.testExpr] : []
  }
}

/** The same expression with `m` applied to each direct child expression. */
export function mapChildren(e: Expr, m: (e: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'Column':
    case 'Literal':
    case 'Param':
    case 'OuterRef':
      return e
    case 'Binary':
      return { ...e, left: m(e.left), right: m(e.right) }
    case 'And':
    case 'Or':
      return { ...e, args: e.args.map(m) }
    case 'Not':
    case 'IsNull':
    case 'IsBool':
    case 'Cast':
      return { ...e, arg: m(e.arg) }
    case 'Case':
      return { ...e, whens: e.whens.map((w) => ({ when: m(w.when), then: m(w.then) })), otherwise: m(e.otherwise) }
    case 'Call':
      return { ...e, args: e.args.map(m) }
    case 'InList':
      return { ...e, arg: m(e.arg), list: e.list.map(m) }
    case 'Array':
      return { ...e, elements: e.elements.map(m) }
    case 'Subquery':
      return e.testExpr ? { ...e, testExpr: m(e.testExpr) } : e
  }
}

/** Rebuilds an expression bottom-up with `f` applied to every node (children first). */
export function mapExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapChildren(e, (x) => mapExpr(x, f)))
}

/** Visits every node of an expression (pre-order), not descending into subquery plans. */
export function visitExpr(e: Expr, f: (e: Expr) => void): void {
  f(e)
  for (const c of exprChildren(e)) visitExpr(c, f)
}

/** The ids of the columns an expression reads. */
export function columnIds(e: Expr, into: Set<number> = new Set()): Set<number> {
  visitExpr(e, (x) => {
    if (x.kind === 'Column') into.add(x.id)
    else if (x.kind === 'Subquery') for (const id of x.outerRefs) into.add(id)
  })
  return into
}

/** True when the expression contains a subquery. */
export function hasSubquery(e: Expr): boolean {
  let found = false
  visitExpr(e, (x) => {
    if (x.kind === 'Subquery') found = true
  })
  return found
}

/** True when the expression has a volatile call (random(), nextval()) or a subquery. */
export function isVolatile(e: Expr): boolean {
  let found = false
  visitExpr(e, (x) => {
    if ((x.kind === 'Call' && x.volatility === 'volatile') || x.kind === 'Subquery') found = true
  })
  return found
}
