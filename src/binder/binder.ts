/**
 * The binder: PostgreSQL's raw parse tree of a query → a typed logical plan. It resolves names
 * against the catalog and scopes, gives every expression a type by PostgreSQL's rules, and raises
 * PostgreSQL's errors (42P01, 42703, 42702, 42883, 42804, 42803, …) with positions.
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { InternalError, NotImplementedError, PlanError, planError, SqlState } from '../common/errors.js'
import {
  arrayType,
  isInteger,
  isNumeric,
  isString,
  numericType,
  T,
  typeCategory,
  typeEquals,
  typeFromName,
  typeName,
  type SqlType,
} from '../common/types.js'
import { jsonKey, type Value } from '../common/value.js'
import { INT8_MAX, INT8_MIN, int8Value } from '../common/int8.js'
import { relationKey, type CatalogState, type Relation, type SequenceEntry, type TableEntry } from '../catalog/catalog.js'
import { lastValueOf } from '../common/sequence.js'
import { and, columnIds, conjuncts, isVolatile, lit, mapChildren, mapExpr, visitExpr, type BinaryOp, type Expr } from '../logical/expr.js'
import { collectOuterRefs, isLateral, mapNodeExprs, mapPlanExprs } from '../logical/tree.js'
import {
  type AggregateCall,
  type Field,
  type LogicalPlan,
  type ScanSource,
  type SetFunctionCall,
  type SortKey,
  type WindowCall,
  type FrameBound,
} from '../logical/plan.js'
import { lookupFunctions } from '../kernels/registry.js'
import { canCast } from '../kernels/cast.js'
import { pseudoRegCast, pseudoRegType, regCast } from '../catalog/reg-casts.js'
import { relationName, relationOid } from '../catalog/catalog-oids.js'
import { nodeBody, nodeTag, parseSql, stringValue, type Node } from '../sql/parse.js'
import { arithmeticType, commonType, widerNumeric } from './coerce.js'
import { AGGREGATES, canonicalAggregate, ORDERED_SET_AGGREGATES, WINDOW_FUNCTIONS, resolveAggregate, resolveWindowFunction } from './functions.js'
import { Scope, type CatalogIdentity, type RelationId, type RelationQualifier, type ScopeRelation } from './scope.js'
import { resolveOver, resolveWindowClause, type WindowSpec } from './window-defs.js'

type N = any

/** PostgreSQL's set-returning functions that clients call in the select list (pgJDBC, SQLAlchemy); Flint runs the first two in FROM. */
const SET_RETURNING_FUNCTIONS = new Set(['generate_series', 'unnest', 'generate_subscripts', '_pg_expandarray', 'regexp_matches', 'regexp_split_to_table', 'json_array_elements', 'json_array_elements_text', 'json_each', 'json_each_text', 'json_object_keys', 'pg_get_keywords', 'pg_partition_ancestors'])

/** pg_catalog columns that are int2vector/oidvector in PostgreSQL (subscripts from 0) but arrays here. */
const ZERO_BASED_CATALOG_VECTORS = new Set(['indkey', 'indclass', 'indcollation', 'indoption', 'proargtypes', 'stxkeys', 'partattrs', 'partclass', 'partcollation', 'tgattr'])

/** Schema of a file-backed table function, resolved before binding (file reads are async). */
export interface FileSchema {
  readonly source: ScanSource
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[]
}

/** What the binder needs from the session. */
export interface BindEnv {
  readonly catalog: CatalogState
  /** Schemas of read_parquet/read_csv calls, keyed by fileSchemaKey(). */
  readonly fileSchemas: ReadonlyMap<string, FileSchema>
  /** Types of $1…$n; entries may be null (to infer) and are filled in by the binder. */
  readonly paramTypes: (SqlType | null)[]
  /** Virtual system relations (pg_catalog, information_schema), by qualified or plain name. */
  readonly systemTable?: (schema: string | null, name: string) => { key: string; columns: readonly { name: string; type: SqlType }[] } | undefined
  readonly user: string
  readonly database: string
  /** The existing schemas unqualified relation names are looked up in, in order (default: public). */
  readonly searchPath?: readonly string[]
  /** Results of the statement's data-modifying WITH queries (INSERT/UPDATE/DELETE … RETURNING), by name. */
  readonly modifyingCtes?: ReadonlyMap<string, TransientRelation>
}

/**
 * Rows the session supplies for one statement, scanned like an in-memory table under a temporary
 * (negative) OID: the target of UPDATE/DELETE with its row numbers, the rows an INSERT added (for
 * RETURNING), the RETURNING rows of a data-modifying WITH query.
 */
export interface TransientRelation {
  readonly oid: number
  readonly name: string
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[]
}

/** `{ lateral: true }` when the right input of a join references columns of the left one. */
const lateralOf = (left: LogicalPlan, right: LogicalPlan): { lateral?: true } => (isLateral(left, right) ? { lateral: true } : {})

/** The key under which a table function call's file schema is stored. */
export const fileSchemaKey = (fn: string, rawArgs: unknown): string => `${fn}(${JSON.stringify(rawArgs ?? [])})`

interface CteDef {
  readonly node: N
  /** The scope enclosing the WITH's query: a CTE may reference its columns (a correlated CTE). */
  readonly outer: Scope | null
  /** The CTEs its body sees: the enclosing WITHs' and, in its own WITH, those before it (all of them if RECURSIVE). */
  readonly ctes: readonly Map<string, CteDef>[]
  /** Set once a reference to it has been bound. */
  referenced?: boolean
  readonly recursiveRef?: { cteId: number; fields: readonly Field[] }
}

/** Per-SELECT collection of aggregate and window calls while binding its expressions. */
interface AggContext {
  readonly aggs: { call: AggregateCall; id: number; key: string }[]
  readonly windows: { call: WindowCall; id: number; key: string }[]
  readonly windowDefs: ReadonlyMap<string, WindowSpec>
  /** Why aggregates are not allowed here (e.g. 'WHERE'), or null when they are. */
  disallow: string | null
  insideAgg: boolean
  /** Where window functions may not appear though aggregates may (e.g. 'HAVING'), or NESTED_WINDOW. */
  windowsBanned: string | null
  /** Set-returning functions of the select list, each a placeholder column (see selectListSetFunctions). */
  readonly srfs: { call: SetFunctionCall; field: Field; key: string }[]
  /** True while binding the select list, where set-returning functions may appear. */
  srfsAllowed: boolean
}

/** One select-list entry; a record (a whole _pg_expandarray() call) carries its fields' values. */
interface SelectTarget {
  readonly name: string
  readonly expr: Expr
  readonly source?: { tableOid: number; columnNumber: number }
  readonly record?: ReadonlyMap<string, Expr>
}

/** Whether a node is a call of information_schema._pg_expandarray (which returns a record). */
function isExpandArrayCall(node: N): boolean {
  if (nodeTag(node) !== 'FuncCall') return false
  const names = (nodeBody<N>(node).funcname as N[]).map((n) => stringValue(n).toLowerCase())
  return names.length === 2 && names[0] === 'information_schema' && names[1] === '_pg_expandarray'
}

/** The function call of one item of a FROM function (a list of the call and its column definitions). */
function rangeFunctionCall(item: N): N {
  return nodeBody<N>(nodeBody<N>(item)[0] ?? (item as N).List?.items?.[0])
}

/** PostgreSQL's hint for a set-returning function where it cannot run. */
const LATERAL_HINT = 'You might be able to move the set-returning function into a LATERAL FROM item.'

/** windowsBanned while binding a window function's arguments. */
const NESTED_WINDOW = 'a window function'

/** Binds queries and expressions of one statement. */
export class Binder {
  private nextId = 1
  private nextCteId = 1
  private cteStack: readonly Map<string, CteDef>[] = []
  /** Set while binding a set operation's branch: its untyped output columns stay untyped. */
  private keepUntyped = false
  /** The clause being bound where PostgreSQL refuses set-returning functions (WHERE, CASE, …), or null. */
  private srfBan: string | null = null
  /** Set while binding a FROM subquery, whose select list may return _pg_expandarray() records. */
  private derivedTable = false
  /**
   * Record columns of FROM subqueries (a whole information_schema._pg_expandarray() call, as
   * pgJDBC's getPrimaryKeys sends): the column's id → its fields, carried as hidden columns.
   * Only field selection reads them: `(r.keys).x`.
   */
  private readonly recordColumns = new Map<number, ReadonlyMap<string, Field>>()
  /** Set while binding the column of a field selection, which may name a record column. */
  private selectingField = false

  constructor(readonly env: BindEnv) {}

  /** A fresh column id. */
  newId(): number {
    return this.nextId++
  }

  private field(name: string, type: SqlType, relation?: string | null, extra?: Partial<Field>): Field {
    return { id: this.newId(), name, type, relation: relation ?? undefined, ...extra }
  }

  // ───────────────────────────── queries ─────────────────────────────

  /** Binds a SELECT (or VALUES / set operation) with an optional enclosing scope. */
  bindSelect(stmt: N, outer: Scope | null = null): LogicalPlan {
    const pushed = this.pushCtes(stmt.withClause, outer)
    try {
      let plan: LogicalPlan
      if (stmt.op && stmt.op !== 'SETOP_NONE') plan = this.bindOrderLimit(this.bindSetOp(stmt, outer), stmt, outer)
      else if (stmt.valuesLists) plan = this.bindOrderLimit(this.bindValues(stmt, outer), stmt, outer)
      else plan = this.bindSimpleSelect(stmt, outer)
      if (pushed) this.checkUnreferencedCtes()
      return plan
    } finally {
      if (pushed) this.cteStack = this.cteStack.slice(0, -1)
    }
  }

  /** Binds the innermost WITH's queries that nothing referred to, for their errors (as PostgreSQL does). */
  private checkUnreferencedCtes(): void {
    for (const def of this.cteStack[this.cteStack.length - 1]!.values()) {
      if (def.referenced || def.recursiveRef || nodeTag(def.node.ctequery) !== 'SelectStmt') continue
      def.referenced = true
      this.inCteScope(def, () => this.bindSelect(nodeBody<N>(def.node.ctequery), def.outer))
    }
  }

  private pushCtes(withClause: N, outer: Scope | null): boolean {
    if (!withClause) return false
    const map = new Map<string, CteDef>()
    const enclosing = this.cteStack
    this.cteStack = [...enclosing, map]
    for (const c of withClause.ctes ?? []) {
      const cte = nodeBody<N>(c)
      const name: string = cte.ctename
      if (map.has(name)) throw planError('42712', `WITH query name "${name}" specified more than once`)
      const ctes = withClause.recursive ? this.cteStack : [...enclosing, new Map(map)]
      if (withClause.recursive && this.isSelfReferencing(cte.ctequery, name)) {
        map.set(name, { node: cte, outer, ctes, recursiveRef: this.bindRecursiveHeader(cte, outer) })
      } else {
        map.set(name, { node: cte, outer, ctes })
      }
    }
    return true
  }

  /** Runs `f` with a statement's WITH queries in scope (for INSERT/UPDATE/DELETE). */
  withCtes<R>(withClause: N, f: () => R): R {
    const pushed = this.pushCtes(withClause, null)
    try {
      const out = f()
      if (pushed) this.checkUnreferencedCtes()
      return out
    } finally {
      if (pushed) this.cteStack = this.cteStack.slice(0, -1)
    }
  }

  /** Runs `f` with the WITH queries visible to a CTE's own query. */
  private inCteScope<R>(cte: CteDef, f: () => R): R {
    const saved = this.cteStack
    this.cteStack = cte.ctes
    try {
      return f()
    } finally {
      this.cteStack = saved
    }
  }

  private isSelfReferencing(query: N, name: string): boolean {
    return JSON.stringify(query).includes(`"relname":${JSON.stringify(name)}`)
  }

  /** Binds a recursive CTE's anchor once to learn its output columns. */
  private bindRecursiveHeader(cte: N, outer: Scope | null): { cteId: number; fields: readonly Field[] } {
    const q = nodeBody<N>(cte.ctequery)
    if (!q.op || q.op !== 'SETOP_UNION') {
      throw planError(SqlState.invalidColumnReference, `recursive query "${cte.ctename}" does not have the form non-recursive-term UNION [ALL] recursive-term`)
    }
    // counted in the query's text: a WITH query that refers to it is inlined once per reference
    const refs = JSON.stringify(q.rarg).split(`"relname":${JSON.stringify(cte.ctename)}`).length - 1
    if (refs > 1) throw planError('42P19', `recursive reference to query "${cte.ctename}" must not appear more than once`)
    const anchor = this.bindSelect(q.larg, outer)
    const names = (cte.aliascolnames ?? []).map((n: Node) => stringValue(n))
    const fields = anchor.fields.map((f, i) => this.field(names[i] ?? f.name, f.type === T.unknown || f.type.id === 'unknown' ? T.text : f.type, cte.ctename))
    return { cteId: this.nextCteId++, fields }
  }

  private lookupCte(name: string): CteDef | undefined {
    for (let i = this.cteStack.length - 1; i >= 0; i--) {
      const d = this.cteStack[i]!.get(name)
      if (d) return d
    }
    return undefined
  }

  private bindValues(stmt: N, outer: Scope | null): LogicalPlan {
    const keepUntyped = this.keepUntyped
    this.keepUntyped = false
    const scope = new Scope(outer)
    const rows: Expr[][] = stmt.valuesLists.map((l: N) => nodeBody<N>(l).items.map((x: N) => this.bindExpr(x, scope, null)))
    const width = rows[0]!.length
    if (rows.some((r) => r.length !== width)) throw planError(SqlState.syntaxError, 'VALUES lists must all be the same length')
    const fields: Field[] = []
    for (let c = 0; c < width; c++) {
      const allUntyped = rows.every((r) => exprTypeOrNull(r[c]!) === null)
      if (keepUntyped && allUntyped) {
        const t = rows.every((r) => r[c]!.type.id === 'null') ? T.null : T.unknown
        fields.push(this.field(`column${c + 1}`, t))
        continue
      }
      const t = commonType(rows.map((r) => exprTypeOrNull(r[c]!)), 'VALUES')
      for (const r of rows) r[c] = this.coerce(r[c]!, t)
      fields.push(this.field(`column${c + 1}`, t))
    }
    return { kind: 'Values', rows, fields }
  }

  private bindSetOp(stmt: N, outer: Scope | null): LogicalPlan {
    // branches keep untyped columns (SELECT NULL, SELECT 'x') so that the other branch types them
    this.keepUntyped = true
    const left = this.bindSelect(stmt.larg, outer)
    this.keepUntyped = true
    const right = this.bindSelect(stmt.rarg, outer)
    this.keepUntyped = false
    const op = stmt.op === 'SETOP_UNION' ? 'union' : stmt.op === 'SETOP_INTERSECT' ? 'intersect' : 'except'
    if (left.fields.length !== right.fields.length) {
      throw planError(SqlState.syntaxError, `each ${op.toUpperCase()} query must have the same number of columns`)
    }
    const types = left.fields.map((f, i) =>
      commonType([untypedAsNull(f.type), untypedAsNull(right.fields[i]!.type)], op.toUpperCase()),
    )
    const l = this.castPlan(left, types)
    const r = this.castPlan(right, types)
    const fields = left.fields.map((f, i) => this.field(f.name, types[i]!))
    return { kind: 'SetOp', op, all: !!stmt.all, left: l, right: r, fields }
  }

  /** Projects a plan's columns to the given types (no-op when they already match). */
  castPlan(plan: LogicalPlan, types: readonly SqlType[]): LogicalPlan {
    if (plan.fields.every((f, i) => typeEquals(f.type, types[i]!))) return plan
    const exprs = plan.fields.map((f, i) => this.coerce(colOf(f), types[i]!))
    const fields = plan.fields.map((f, i) => ({ ...f, id: this.newId(), type: types[i]! }))
    return { kind: 'Projection', input: plan, exprs, fields }
  }

  /** ORDER BY / LIMIT on a VALUES or set-operation result (by output name or position). */
  private bindOrderLimit(plan: LogicalPlan, stmt: N, outer: Scope | null): LogicalPlan {
    if (stmt.sortClause) {
      const scope = new Scope(outer)
      scope.add({ alias: null, fields: plan.fields })
      const isSetOp = plan.kind === 'SetOp'
      const keys: SortKey[] = stmt.sortClause.map((s: N) => {
        const sb = nodeBody<N>(s)
        const ordinal = constInt(sb.node)
        if (nodeTag(sb.node) === 'A_Const' && ordinal === undefined) {
          throw planError(SqlState.syntaxError, 'non-integer constant in ORDER BY', locOf(nodeBody<N>(sb.node)))
        }
        const expr = ordinal !== undefined ? this.ordinalRef(plan.fields, ordinal) : this.bindExpr(sb.node, scope, null)
        if (isSetOp && !(expr.kind === 'Column' && plan.fields.some((f) => f.id === expr.id))) {
          // PostgreSQL sorts a set operation only by its result columns
          throw new PlanError(SqlState.featureNotSupported, 'invalid UNION/INTERSECT/EXCEPT ORDER BY clause', {
            position: locOf(nodeBody<N>(sb.node)),
            detail: 'Only result column names can be used, not expressions or functions.',
            hint: 'Add the expression/function to every SELECT, or move the UNION into a FROM clause.',
          })
        }
        return this.sortKey(expr, sb)
      })
      plan = { kind: 'Sort', input: plan, keys, fields: plan.fields }
    }
    return this.bindLimit(plan, stmt)
  }

  private ordinalRef(fields: readonly Field[], n: number): Expr {
    const f = fields[n - 1]
    if (!f) throw planError(SqlState.invalidColumnReference, `ORDER BY position ${n} is not in select list`)
    return colOf(f)
  }

  private sortKey(expr: Expr, sb: N): SortKey {
    const desc = sb.sortby_dir === 'SORTBY_DESC'
    if (sb.sortby_dir === 'SORTBY_USING') throw new NotImplementedError('ORDER BY USING is not supported')
    const nullsFirst = sb.sortby_nulls === 'SORTBY_NULLS_FIRST' ? true : sb.sortby_nulls === 'SORTBY_NULLS_LAST' ? false : desc
    return { expr, desc, nullsFirst }
  }

  private bindLimit(plan: LogicalPlan, stmt: N): LogicalPlan {
    const count = stmt.limitCount ? this.limitCount(stmt.limitCount, 'LIMIT') : null
    const offset = stmt.limitOffset ? this.limitCount(stmt.limitOffset, 'OFFSET') : null
    if (stmt.limitOption === 'LIMIT_OPTION_WITH_TIES') throw new NotImplementedError('FETCH … WITH TIES is not supported')
    const expr = (c: number | Expr | null): Expr | null => (c !== null && typeof c === 'object' ? c : null)
    const runtime = expr(count) || expr(offset) ? { runtime: { limit: expr(count), offset: expr(offset) } } : {}
    const limit = typeof count === 'number' ? count : null
    const skip = typeof offset === 'number' ? offset : 0
    if (limit === null && skip === 0 && !('runtime' in runtime)) return plan
    return { kind: 'Limit', input: plan, limit, offset: skip, ...runtime, fields: plan.fields }
  }

  /**
   * A LIMIT or OFFSET count: a number (null = none) when constant, else an int8 expression over
   * parameters evaluated when the statement runs (PostgreSQL allows no column references).
   */
  private limitCount(node: N, what: string): number | Expr | null {
    const e = this.bindExpr(node, new Scope(null), null)
    const v = constantValue(e)
    if (v === undefined) {
      let variable = false
      visitExpr(e, (x) => {
        if (x.kind === 'Column' || x.kind === 'OuterRef' || x.kind === 'Subquery' || (x.kind === 'Call' && x.volatility === 'volatile')) variable = true
      })
      if (variable) throw planError(SqlState.invalidColumnReference, `argument of ${what} must not contain variables`, locOf(node))
      return this.coerce(e, T.int8, false)
    }
    if (v === null) return what === 'OFFSET' ? 0 : null
    const n = Number(v)
    if (!Number.isFinite(n)) throw planError(SqlState.datatypeMismatch, `argument of ${what} must be type bigint, not type ${typeName(e.type)}`)
    if (n < 0) throw planError(what === 'LIMIT' ? SqlState.invalidRowCountInLimit : SqlState.invalidRowCountInResultOffset, `${what} must not be negative`)
    return Math.floor(n)
  }

  private bindSimpleSelect(stmt: N, outer: Scope | null): LogicalPlan {
    const keepUntyped = this.keepUntyped
    this.keepUntyped = false
    if (stmt.intoClause) throw new NotImplementedError('SELECT INTO is not supported; use CREATE TABLE AS')
    if (stmt.lockingClause) throw new NotImplementedError('SELECT … FOR UPDATE/SHARE is not supported')
    const scope = new Scope(outer)
    // a subquery has its own select list, wherever it sits
    const outerSrfBan = this.srfBan
    this.srfBan = null
    const derivedTable = this.derivedTable
    this.derivedTable = false
    let plan = this.bindFrom(stmt.fromClause ?? [], scope)
    const windowDefs = resolveWindowClause(((stmt.windowClause ?? []) as N[]).map((w) => nodeBody<N>(w)))
    const ctx: AggContext = { aggs: [], windows: [], windowDefs, disallow: null, insideAgg: false, windowsBanned: null, srfs: [], srfsAllowed: false }
    this.levelAggs.set(scope, ctx)
    if (stmt.whereClause) {
      ctx.disallow = 'WHERE'
      const pred = this.bindPredicate(stmt.whereClause, scope, ctx, 'WHERE')
      ctx.disallow = null
      plan = { kind: 'Filter', input: plan, predicate: pred, fields: plan.fields }
    }

    // select list (aggregates, windows and set-returning functions become placeholder columns)
    ctx.srfsAllowed = true
    const targets = this.expandTargets(stmt.targetList ?? [], scope, ctx)
    ctx.srfsAllowed = false
    if (targets.some((t) => t.record) && (!derivedTable || stmt.distinctClause !== undefined)) {
      throw new NotImplementedError('record values of _pg_expandarray() are only supported through field selection or in a FROM subquery without DISTINCT')
    }

    // GROUP BY
    const groupExprs: Expr[] = []
    let groupingSets: number[][] | null = null
    if (stmt.groupClause) {
      ctx.disallow = 'GROUP BY'
      const sets = this.bindGroupBy(stmt.groupClause, scope, ctx, targets, groupExprs)
      ctx.disallow = null
      groupingSets = sets
      const srfIds = new Set(ctx.srfs.map((s) => s.field.id))
      if (groupExprs.some((g) => [...columnIds(g)].some((id) => srfIds.has(id)))) {
        throw new NotImplementedError('grouping by a set-returning function of the select list is not supported')
      }
    }
    let having: Expr | null = null
    if (stmt.havingClause) having = this.banWindows(ctx, 'HAVING', () => this.bindPredicate(stmt.havingClause, scope, ctx, 'HAVING'))

    // ORDER BY: bound now so its aggregates are collected too
    const distinct = stmt.distinctClause !== undefined
    const distinctOnNodes: N[] | null = distinct && stmt.distinctClause.length > 0 && stmt.distinctClause[0] !== null && Object.keys(stmt.distinctClause[0] ?? {}).length > 0 ? stmt.distinctClause : null
    const order: { expr: Expr; sb: N; targetIndex: number | null }[] = []
    // set-returning functions of ORDER BY run beside those of the select list
    ctx.srfsAllowed = true
    for (const s of stmt.sortClause ?? []) {
      const sb = nodeBody<N>(s)
      order.push(this.bindOrderItem(sb, scope, ctx, targets))
    }
    ctx.srfsAllowed = false
    const distinctOn: { expr: Expr; targetIndex: number | null }[] = []
    for (const d of distinctOnNodes ?? []) distinctOn.push(this.bindOrderItem({ node: d }, scope, ctx, targets, 'DISTINCT ON'))

    const isAgg = stmt.groupClause !== undefined || ctx.aggs.length > 0 || having !== null
    let finish = (e: Expr): Expr => e
    if (isAgg) {
      const groupFields = groupExprs.map((g, i) => this.field(groupFieldName(g, i), g.type))
      const aggFields = ctx.aggs.map((a) => ({ id: a.id, name: a.call.fn, type: a.call.type }))
      const fields: Field[] = [...groupFields, ...aggFields]
      if (groupingSets) fields.push(this.field('__grouping_id', T.int4))
      plan = this.computeVolatileArgsOnce(plan, ctx.aggs)
      plan = this.liftCorrelated({
        kind: 'Aggregate',
        input: plan,
        groupExprs,
        aggregates: ctx.aggs.map((a) => a.call),
        groupingSets,
        fields,
      })
      const groupKeys = new Map(groupExprs.map((g, i) => [exprKey(g), groupFields[i]!]))
      const aggIds = new Set(ctx.aggs.map((a) => a.id))
      const winIds = new Set([...ctx.windows.map((w) => w.id), ...ctx.srfs.map((s) => s.field.id)])
      const groupingId = groupingSets ? fields[fields.length - 1]! : null
      const replace = (e: Expr): Expr => {
        const g = groupKeys.get(exprKey(e))
        if (g) return colOf(g)
        if (e.kind === 'Column') {
          if (aggIds.has(e.id) || winIds.has(e.id)) return e
          throw planError(
            SqlState.groupingError,
            `column "${this.columnDisplayName(e.id, scope)}" must appear in the GROUP BY clause or be used in an aggregate function`,
          )
        }
        if (e.kind === 'Call' && e.fn === '__grouping') {
          const idxs = e.args.map((a) => {
            const k = groupExprs.findIndex((g) => exprKey(g) === exprKey(a))
            if (k < 0) throw planError(SqlState.groupingError, 'arguments to GROUPING must be grouping expressions of the associated query level')
            return k
          })
          // without grouping sets every row groups by all the keys
          if (!groupingId) return lit(0, T.int4)
          return { kind: 'Call', fn: '__grouping', args: [colOf(groupingId), ...idxs.map((k) => lit(k, T.int4))], type: T.int4, volatility: 'immutable' }
        }
        if (e.kind === 'Subquery') {
          const sub = this.replaceOuterGroupRefs(e.plan, groupKeys, scope)
          return { ...e, ...(e.testExpr ? { testExpr: replace(e.testExpr) } : {}), plan: sub, outerRefs: [...collectOuterRefs(sub)] }
        }
        return mapChildren(e, replace)
      }
      finish = replace
      for (const w of ctx.windows) {
        const c = w.call
        w.call = {
          ...c,
          args: c.args.map(replace),
          partitionBy: c.partitionBy.map(replace),
          orderBy: c.orderBy.map((k) => ({ ...k, expr: replace(k.expr) })),
          filter: c.filter ? replace(c.filter) : null,
        }
      }
      if (having) plan = { kind: 'Filter', input: plan, predicate: replace(having), fields: plan.fields }
    }
    if (ctx.windows.length > 0) {
      const calls = ctx.windows.map((w) => w.call)
      const fields = [...plan.fields, ...ctx.windows.map((w) => ({ id: w.id, name: w.call.fn, type: w.call.type }))]
      plan = this.liftCorrelated({ kind: 'Window', input: plan, calls, fields })
    }
    if (ctx.srfs.length > 0) plan = this.selectListSetFunctions(plan, ctx.srfs, finish)

    // projection: select list + hidden sort/distinct-on keys
    const exprs: Expr[] = targets.map((t) => (keepUntyped ? finish(t.expr) : this.outputCoerce(finish(t.expr))))
    const fields: Field[] = targets.map((t, i) => ({
      id: this.newId(),
      name: t.name,
      type: exprs[i]!.type,
      ...(t.source ? { tableOid: t.source.tableOid, columnNumber: t.source.columnNumber } : {}),
    }))
    // the fields of record columns follow the select list, hidden (see recordColumns)
    targets.forEach((t, i) => {
      if (!t.record) return
      const byName = new Map<string, Field>()
      for (const [name, e] of t.record) {
        const f = this.field(`${t.name}.${name}`, e.type)
        exprs.push(finish(e))
        fields.push(f)
        byName.set(name, f)
      }
      this.recordColumns.set(fields[i]!.id, byName)
    })
    const visible = fields.length
    const keyRef = (item: { expr: Expr; targetIndex: number | null }): Expr => {
      if (item.targetIndex !== null) return colOf(fields[item.targetIndex]!)
      const e = finish(item.expr)
      const k = exprKey(e)
      const at = exprs.findIndex((x) => exprKey(x) === k)
      if (at >= 0) return colOf(fields[at]!)
      if (distinct && distinctOnNodes === null) {
        throw planError(SqlState.invalidColumnReference, 'for SELECT DISTINCT, ORDER BY expressions must appear in select list')
      }
      exprs.push(e)
      const f = this.field(`__sort${exprs.length}`, e.type)
      fields.push(f)
      return colOf(f)
    }
    const sortKeys = order.map((o) => this.sortKey(keyRef(o), o.sb))
    const onKeys = distinctOn.map(keyRef)
    plan = { kind: 'Projection', input: plan, exprs, fields }
    if (distinct && distinctOnNodes === null) {
      plan = { kind: 'Distinct', input: plan, on: null, fields: plan.fields }
      if (sortKeys.length) plan = { kind: 'Sort', input: plan, keys: sortKeys, fields: plan.fields }
    } else if (distinctOnNodes !== null) {
      // DISTINCT ON keeps the first row of each group in ORDER BY order
      for (let i = 0; i < Math.min(onKeys.length, sortKeys.length); i++) {
        if (exprKey(sortKeys[i]!.expr) !== exprKey(onKeys[i]!) && sortKeys.length > 0) {
          const allOn = new Set(onKeys.map(exprKey))
          if (!sortKeys.slice(0, onKeys.length).every((k) => allOn.has(exprKey(k.expr)))) {
            throw planError(SqlState.invalidColumnReference, 'SELECT DISTINCT ON expressions must match initial ORDER BY expressions')
          }
          break
        }
      }
      const keys: SortKey[] = sortKeys.length ? sortKeys : onKeys.map((e) => ({ expr: e, desc: false, nullsFirst: false }))
      plan = { kind: 'Sort', input: plan, keys, fields: plan.fields }
      plan = { kind: 'Distinct', input: plan, on: onKeys, fields: plan.fields }
    } else if (sortKeys.length) {
      plan = { kind: 'Sort', input: plan, keys: sortKeys, fields: plan.fields }
    }
    plan = this.bindLimit(plan, stmt)
    if (fields.length > visible) {
      const keep = fields.slice(0, visible)
      plan = { kind: 'Projection', input: plan, exprs: keep.map(colOf), fields: keep }
    }
    this.srfBan = outerSrfBan
    return plan
  }

  /**
   * Set-returning functions of the select list run like PostgreSQL's ProjectSet: per row of the
   * (grouped) input, side by side as a lateral ROWS FROM whose columns the projection reads; the
   * shorter ones are padded with NULLs, and a row for which all return nothing is dropped.
   */
  private selectListSetFunctions(input: LogicalPlan, srfs: AggContext['srfs'], finish: (e: Expr) => Expr): LogicalPlan {
    const inputIds = new Set(input.fields.map((f) => f.id))
    const outer = (e: Expr): Expr => {
      if (e.kind === 'Subquery') throw new NotImplementedError('subqueries in the arguments of a set-returning function of the select list are not supported')
      if (e.kind === 'Column' && inputIds.has(e.id)) return { kind: 'OuterRef', id: e.id, name: e.name, type: e.type }
      return mapChildren(e, outer)
    }
    const calls = srfs.map((s) => ({ ...s.call, args: s.call.args.map((a) => outer(finish(a))) }))
    const right: LogicalPlan = { kind: 'FunctionScan', calls, fields: srfs.map((s) => s.field) }
    return { kind: 'Join', joinType: 'cross', left: input, right, on: null, ...lateralOf(input, right), fields: [...input.fields, ...right.fields] }
  }

  /** Binds `bind` with set-returning functions refused as PostgreSQL does in `clause`. */
  private banSetFunctions<R>(clause: string, bind: () => R): R {
    const saved = this.srfBan
    this.srfBan = clause
    try {
      return bind()
    } finally {
      this.srfBan = saved
    }
  }

  /** A set-returning function call of the select list: a placeholder column for its rows. */
  private bindSetFunction(name: string, f: N, scope: Scope, ctx: AggContext | null, pos?: number, recordField?: string): Expr {
    if (this.srfBan !== null) {
      const hint = this.srfBan === 'CASE' || this.srfBan === 'COALESCE' ? { hint: LATERAL_HINT } : {}
      throw new PlanError(SqlState.featureNotSupported, `set-returning functions are not allowed in ${this.srfBan}`, { position: pos, ...hint })
    }
    if (ctx?.insideAgg) throw new PlanError(SqlState.featureNotSupported, 'aggregate function calls cannot contain set-returning function calls', { position: pos, hint: LATERAL_HINT })
    if (ctx?.windowsBanned === NESTED_WINDOW) throw new PlanError(SqlState.featureNotSupported, 'window function calls cannot contain set-returning function calls', { position: pos, hint: LATERAL_HINT })
    if (ctx?.windowsBanned === 'window definitions') throw new NotImplementedError('set-returning functions in window definitions are not supported', pos)
    if (ctx?.disallow === 'RETURNING') throw planError(SqlState.featureNotSupported, 'set-returning functions are not allowed in RETURNING', pos)
    if (!ctx?.srfsAllowed) throw new NotImplementedError(`set-returning function ${name}() is only supported in FROM and in the select list`, pos)
    ctx.srfsAllowed = false
    const args = ((f.args ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx))
    ctx.srfsAllowed = true
    const call = this.setFunctionCall(name, args, pos, recordField)
    // the same call twice (select list and ORDER BY) gives the same rows in lockstep: one column
    const key = exprKey({ kind: 'Call', fn: call.call.fn, args: call.call.args, type: call.field.type, volatility: 'immutable' })
    const same = ctx.srfs.find((s) => s.key === key && s.field.type.id === call.field.type.id)
    if (same && !call.call.args.some(isVolatile)) return colOf(same.field)
    ctx.srfs.push({ ...call, key })
    return colOf(call.field)
  }

  /** Resolves a set-returning function of the select list to one call of a FunctionScan. */
  private setFunctionCall(name: string, args: Expr[], pos?: number, recordField?: string): { call: SetFunctionCall; field: Field } {
    let plan: LogicalPlan
    if (name === 'generate_series') plan = this.generateSeries(args, true)
    else if (name === 'unnest') plan = this.unnest(args, true)
    else if (name === 'generate_subscripts') plan = this.generateSubscripts(args, pos)
    else if (name === '_pg_expandarray' && recordField !== undefined) plan = this.expandArrayField(args, recordField, pos)
    else if (name === 'pg_partition_ancestors') plan = this.partitionAncestors(args, pos)
    else throw new NotImplementedError(`set-returning function ${name}() is not supported`, pos)
    if (plan.kind !== 'FunctionScan') throw new InternalError('a set-returning function bound at run time needs a function scan')
    return { call: plan.calls[0]!, field: plan.fields[0]! }
  }

  /**
   * pg_partition_ancestors(regclass): no rows, Flint having no partitions (psql's \d asks it). The
   * argument is still resolved at run time, so a missing relation fails as in PostgreSQL.
   */
  private partitionAncestors(args: Expr[], pos?: number): LogicalPlan {
    if (args.length !== 1) throw planError(SqlState.undefinedFunction, `function pg_partition_ancestors(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, pos)
    const rel = this.coerce(args[0]!, T.regclass, false)
    const list = arrayType(T.regclass)
    const none: Expr = { kind: 'Case', whens: [{ when: { kind: 'IsNull', arg: rel, negated: false, type: T.bool }, then: lit(null, list) }], otherwise: lit([], list), type: list }
    const plan = this.unnest([none], true)
    return { ...plan, fields: [this.field('pg_partition_ancestors', T.regclass)] } as LogicalPlan
  }

  /**
   * One field of information_schema._pg_expandarray(array), whose rows are (x, n): each element
   * and its position counted from 1 (whatever the array's lower bound).
   */
  private expandArrayField(args: Expr[], field: string, pos?: number): LogicalPlan {
    const [arr] = args
    if (args.length !== 1 || arr!.type.id !== 'array') {
      throw planError(SqlState.undefinedFunction, `function information_schema._pg_expandarray(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, pos)
    }
    if (field === 'x') return this.unnest(args, true)
    if (field !== 'n') throw planError(SqlState.undefinedColumn, `could not identify column "${field}" in record data type`, pos)
    const callArgs = [arr!, lit(1, T.int4), lit(false, T.bool), lit(1, T.int4)]
    return { kind: 'FunctionScan', calls: [{ fn: 'generate_subscripts', args: callArgs }], fields: [this.field('n', T.int4)] }
  }

  /**
   * generate_subscripts(array, dim [, reverse]): the subscripts of one dimension. int2vector and
   * oidvector catalog columns (pg_index.indkey, …) count from 0 like PostgreSQL's.
   */
  private generateSubscripts(args: Expr[], pos?: number): LogicalPlan {
    const [arr, dim, reverse] = args
    if (!arr || !dim || args.length > 3 || arr.type.id !== 'array') {
      throw planError(SqlState.undefinedFunction, `function generate_subscripts(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`, pos)
    }
    if (arr.type.element.id === 'array') throw new NotImplementedError('generate_subscripts over multidimensional arrays is not supported', pos)
    const lower = arr.kind === 'Column' && ZERO_BASED_CATALOG_VECTORS.has(arr.name) ? 0 : 1
    const callArgs = [arr, this.coerce(dim, T.int4), reverse ? this.coerce(reverse, T.bool) : lit(false, T.bool), lit(lower, T.int4)]
    return { kind: 'FunctionScan', calls: [{ fn: 'generate_subscripts', args: callArgs }], fields: [this.field('generate_subscripts', T.int4)] }
  }

  /**
   * Moves the correlated subqueries of an Aggregate's or Window's expressions into a Projection
   * below it, where they run per row like any projected subquery:
   * `sum((SELECT … WHERE c.i = o.i))` aggregates a projected column.
   */
  private liftCorrelated(node: Extract<LogicalPlan, { kind: 'Aggregate' | 'Window' }>): LogicalPlan {
    const exprs: Expr[] = []
    const fields: Field[] = []
    const lift = (e: Expr): Expr => {
      if (e.kind !== 'Subquery' || e.outerRefs.length === 0) return mapChildren(e, lift)
      const f = this.field('__subquery', e.type)
      exprs.push(e)
      fields.push(f)
      return colOf(f)
    }
    const lifted = mapNodeExprs(node, lift) as typeof node
    if (exprs.length === 0) return node
    const input = node.input
    const below: LogicalPlan = { kind: 'Projection', input, exprs: [...input.fields.map(colOf), ...exprs], fields: [...input.fields, ...fields] }
    // a window passes its input's columns through
    return { ...lifted, input: below, fields: node.kind === 'Window' ? [...below.fields, ...node.fields.slice(input.fields.length)] : node.fields }
  }

  /**
   * Aggregate arguments and filters with volatile calls (nextval(), random()) or subqueries are
   * computed once per row in a projection below the aggregate: with grouping sets it reads its
   * input once per set, and subqueries run where projections run them.
   */
  private computeVolatileArgsOnce(input: LogicalPlan, aggs: { call: AggregateCall }[]): LogicalPlan {
    const exprs: Expr[] = []
    const fields: Field[] = []
    const hoist = (e: Expr): Expr => {
      if (!isVolatile(e) || e.kind === 'Column') return e
      const f = this.field('__volatile', e.type)
      exprs.push(e)
      fields.push(f)
      return colOf(f)
    }
    for (const a of aggs) a.call = { ...a.call, args: a.call.args.map(hoist), filter: a.call.filter ? hoist(a.call.filter) : null }
    if (exprs.length === 0) return input
    return { kind: 'Projection', input, exprs: [...input.fields.map(colOf), ...exprs], fields: [...input.fields, ...fields] }
  }

  /**
   * Rewrites outer references to grouped columns inside a subquery of an aggregate query; a
   * reference to another column of that query (`level`) is an error (42803).
   */
  private replaceOuterGroupRefs(plan: LogicalPlan, groupKeys: Map<string, Field>, level: Scope): LogicalPlan {
    const byId = new Map<number, Field>()
    for (const [k, f] of groupKeys) {
      const m = /^\{"kind":"Column","id":(\d+),/.exec(k)
      if (m) byId.set(Number(m[1]), f)
    }
    const levelIds = new Set(level.allFieldIds())
    const fix = (e: Expr): Expr => {
      if (e.kind === 'OuterRef') {
        const f = byId.get(e.id)
        if (!f && levelIds.has(e.id)) {
          throw planError(SqlState.groupingError, `subquery uses ungrouped column "${this.columnDisplayName(e.id, level)}" from outer query`)
        }
        return f ? { kind: 'OuterRef', id: f.id, name: f.name, type: f.type } : e
      }
      if (e.kind === 'Subquery') {
        const sub = this.replaceOuterGroupRefs(e.plan, groupKeys, level)
        return { ...mapChildren(e, fix), plan: sub, outerRefs: [...collectOuterRefs(sub)] } as Expr
      }
      return mapChildren(e, fix)
    }
    return mapPlanExprs(plan, fix)
  }

  private columnDisplayName(id: number, scope: Scope): string {
    for (const r of scope.relations) {
      const f = r.fields.find((x) => x.id === id)
      if (f) return r.alias ? `${r.alias}.${f.name}` : f.name
    }
    return String(id)
  }

  /** Select-list entries with `*` expanded. */
  private expandTargets(
    list: N[],
    scope: Scope,
    ctx: AggContext,
  ): SelectTarget[] {
    const out: SelectTarget[] = []
    for (const item of list) {
      const rt = nodeBody<N>(item)
      const val = rt.val
      if (nodeTag(val) === 'ColumnRef') {
        const fields = nodeBody<N>(val).fields as N[]
        const last = fields[fields.length - 1]
        if (nodeTag(last) === 'A_Star') {
          if (fields.length === 1 && scope.relations.length === 0) throw planError(SqlState.syntaxError, 'SELECT * with no tables specified is not valid')
          const position = nodeBody<N>(val).location !== undefined ? nodeBody<N>(val).location + 1 : undefined
          const { qualifier } = this.splitColumnRef(fields.map((f) => (nodeTag(f) === 'A_Star' ? '*' : stringValue(f))), position)
          const { rel, level, depth } = qualifier === null ? { rel: null, level: scope, depth: 0 } : this.findRelation(scope, qualifier, position)
          const fs = rel === null ? scope.allFields() : rel.fields.filter((f) => !rel.hidden?.has(f.id))
          if (fs.some((f) => this.recordColumns.has(f.id))) throw new NotImplementedError('record values of _pg_expandarray() are only supported through field selection', rt.location)
          for (const f of fs) out.push({ name: f.name, expr: this.columnAt(f, level, depth), ...sourceOf(f) })
          continue
        }
      }
      if (isExpandArrayCall(val)) {
        // a whole record: its fields are computed beside the select list, the column itself is never read
        const record = new Map(['x', 'n'].map((field) => [field, this.bindSetFunction('_pg_expandarray', nodeBody<N>(val), scope, ctx, locOf(nodeBody<N>(val)), field)]))
        out.push({ name: rt.name ?? '_pg_expandarray', expr: lit(null, T.text), record })
        continue
      }
      const expr = this.bindExpr(val, scope, ctx)
      const name = rt.name ?? this.defaultName(val, expr)
      const src = expr.kind === 'Column' ? scope.allFields().find((f) => f.id === expr.id) : undefined
      out.push({ name, expr, ...(src ? sourceOf(src) : {}) })
    }
    return out
  }

  /**
   * Splits a column reference's names (`c`, `t.c`, `s.t.c`, `db.s.t.c`, `*` last for stars) into
   * its table qualifier and column name, as PostgreSQL does: 0A000 for another database's names.
   */
  private splitColumnRef(parts: string[], position: number | undefined): { qualifier: RelationQualifier | null; name: string } {
    if (parts.length > 4) throw planError(SqlState.syntaxError, `improper qualified name (too many dotted names): ${parts.join('.')}`, position)
    if (parts.length === 4 && parts[0] !== this.env.database) {
      throw new NotImplementedError(`cross-database references are not implemented: ${parts.join('.')}`, position)
    }
    const name = parts[parts.length - 1]!
    if (parts.length === 1) return { qualifier: null, name }
    const schema = parts.length >= 3 ? parts[parts.length - 3]! : null
    const table = parts[parts.length - 2]!
    return { qualifier: { schema, name: table, id: schema === null && this.lookupCte(table) ? undefined : this.relationId(schema, table) }, name }
  }

  /** The FROM item a qualifier names, searching outward from `scope`; 42P01 worded as PostgreSQL's when none does. */
  private findRelation(scope: Scope, q: RelationQualifier, position: number | undefined): { rel: ScopeRelation; level: Scope; depth: number } {
    let depth = 0
    for (let s: Scope | null = scope; s; s = s.parent, depth++) {
      const rel = s.relation(q, position)
      if (rel) return { rel, level: s, depth }
    }
    // an entry that the name would mean elsewhere (aliased, or the table by another name): PostgreSQL's hint
    for (let s: Scope | null = scope; s; s = s.parent) {
      const rel = s.relations.find((r) => r.alias !== null && ((q.id !== undefined && r.catalog?.id === q.id) || r.alias === q.name))
      if (!rel) continue
      const byAlias = rel.catalog?.aliased && rel.alias !== q.name && this.visibleByName(scope, rel)
      throw new PlanError(SqlState.undefinedTable, `invalid reference to FROM-clause entry for table "${q.name}"`, {
        position,
        hint: byAlias ? `Perhaps you meant to reference the table alias "${rel.alias}".` : `There is an entry for table "${rel.alias}", but it cannot be referenced from this part of the query.`,
      })
    }
    throw planError(SqlState.undefinedTable, `missing FROM-clause entry for table "${q.name}"`, position)
  }

  /** True when a relation's own name, looked up from `scope` outward, finds that relation. */
  private visibleByName(scope: Scope, rel: ScopeRelation): boolean {
    for (let s: Scope | null = scope; s; s = s.parent) {
      const found = s.relations.filter((r) => r.alias === rel.alias)
      if (found.length) return found.length === 1 && found[0] === rel
    }
    return false
  }

  /** A reference to a field found `depth` levels out (an outer reference, recorded for correlation, when depth > 0). */
  private columnAt(f: Field, level: Scope, depth: number): Expr {
    if (depth === 0) return colOf(f)
    level.referencedFromInner.add(f.id)
    return { kind: 'OuterRef', id: f.id, name: f.name, type: f.type }
  }

  /** PostgreSQL's default output column name for an expression. */
  private defaultName(node: N, expr: Expr): string {
    const tag = nodeTag(node)
    const b = nodeBody<N>(node)
    switch (tag) {
      case 'ColumnRef': {
        const last = b.fields[b.fields.length - 1]
        return stringValue(last)
      }
      case 'FuncCall':
        return stringValue(b.funcname[b.funcname.length - 1])
      case 'TypeCast':
        return nodeTag(b.arg) === 'A_Const' || nodeTag(b.arg) === 'TypeCast' && false ? typeOutputName(expr.type, b.typeName) : this.defaultNameOrCast(b, expr)
      case 'A_Indirection': {
        // the last field selected, else the name of what is subscripted (PostgreSQL's FigureColname)
        const field = (b.indirection as N[]).filter((i) => nodeTag(i) === 'String').at(-1)
        return field ? stringValue(field) : this.defaultName(b.arg, expr)
      }
      case 'CaseExpr':
        return 'case'
      case 'CoalesceExpr':
        return 'coalesce'
      case 'MinMaxExpr':
        return b.op === 'IS_GREATEST' ? 'greatest' : 'least'
      case 'NullIfExpr':
        return 'nullif'
      case 'SubLink':
        if (b.subLinkType === 'EXISTS_SUBLINK') return 'exists'
        if (b.subLinkType === 'ARRAY_SUBLINK') return 'array'
        if (b.subLinkType === 'EXPR_SUBLINK') {
          const sel = nodeBody<N>(b.subselect)
          const t = sel.targetList?.[0]
          if (t) {
            const rt = nodeBody<N>(t)
            if (rt.name) return rt.name
            if (rt.val && nodeTag(rt.val) !== 'A_Const') return this.defaultName(rt.val, expr)
          }
        }
        return '?column?'
      case 'A_ArrayExpr':
        return 'array'
      case 'SQLValueFunction':
        return sqlValueFunctionName(b.op)
      case 'A_Expr':
        if (b.kind === 'AEXPR_NULLIF') return 'nullif'
        return '?column?'
      case 'RowExpr':
        return 'row'
      default:
        return '?column?'
    }
  }

  private defaultNameOrCast(b: N, expr: Expr): string {
    const inner = this.defaultName(b.arg, expr)
    return inner === '?column?' ? typeOutputName(expr.type, b.typeName) : inner
  }

  /** Untyped literal outputs become text; bpchar without length stays as is. */
  private outputCoerce(e: Expr): Expr {
    if (e.type.id === 'unknown') return this.coerce(e, T.text)
    if (e.type.id === 'null') return { ...e, type: T.text } as Expr
    return e
  }

  private bindOrderItem(
    sb: N,
    scope: Scope,
    ctx: AggContext,
    targets: readonly { name: string; expr: Expr }[],
    clause: 'ORDER BY' | 'DISTINCT ON' = 'ORDER BY',
  ): { expr: Expr; sb: N; targetIndex: number | null } {
    const node = sb.node
    const ordinal = constInt(node)
    if (nodeTag(node) === 'A_Const' && ordinal === undefined) {
      throw planError(SqlState.syntaxError, `non-integer constant in ${clause}`, locOf(nodeBody<N>(node)))
    }
    if (ordinal !== undefined && nodeTag(node) === 'A_Const') {
      if (ordinal < 1 || ordinal > targets.length) {
        throw planError(SqlState.invalidColumnReference, `${clause} position ${ordinal} is not in select list`)
      }
      return { expr: targets[ordinal - 1]!.expr, sb, targetIndex: ordinal - 1 }
    }
    if (nodeTag(node) === 'ColumnRef') {
      const fields = nodeBody<N>(node).fields as N[]
      if (fields.length === 1 && nodeTag(fields[0]) === 'String') {
        const name = stringValue(fields[0])
        const matches = targets.map((t, i) => (t.name === name ? i : -1)).filter((i) => i >= 0)
        if (matches.length > 0) {
          // an output column name wins in ORDER BY (PostgreSQL's SQL92 rule)
          const distinctExprs = new Set(matches.map((i) => exprKey(targets[i]!.expr)))
          if (distinctExprs.size > 1) throw planError(SqlState.ambiguousColumn, `ORDER BY "${name}" is ambiguous`)
          return { expr: targets[matches[0]!]!.expr, sb, targetIndex: matches[0]! }
        }
      }
    }
    const expr = this.bindExpr(node, scope, ctx)
    return { expr, sb, targetIndex: null }
  }

  /** Binds GROUP BY items into groupExprs; returns the grouping sets (indices) or null for plain GROUP BY. */
  private bindGroupBy(
    items: N[],
    scope: Scope,
    ctx: AggContext,
    targets: readonly { name: string; expr: Expr }[],
    groupExprs: Expr[],
  ): number[][] | null {
    const indexOf = (e: Expr): number => {
      const k = exprKey(e)
      let i = groupExprs.findIndex((g) => exprKey(g) === k)
      if (i < 0) {
        groupExprs.push(e)
        i = groupExprs.length - 1
      }
      return i
    }
    const bindItem = (node: N): Expr => {
      const ordinal = constInt(node)
      if (ordinal !== undefined && nodeTag(node) === 'A_Const') {
        const t = targets[ordinal - 1]
        if (!t) throw planError(SqlState.invalidColumnReference, `GROUP BY position ${ordinal} is not in select list`)
        return t.expr
      }
      if (nodeTag(node) === 'ColumnRef') {
        const fields = nodeBody<N>(node).fields as N[]
        if (fields.length === 1) {
          const name = stringValue(fields[0])
          // an input column wins over an output alias in GROUP BY
          let inInput = false
          try {
            inInput = scope.resolve(name, null) !== undefined
          } catch {
            inInput = true
          }
          if (!inInput) {
            const t = targets.find((x) => x.name === name)
            if (t) return t.expr
          }
        }
      }
      return this.bindExpr(node, scope, ctx)
    }
    let sets: number[][] = [[]]
    let hasSets = false
    for (const item of items) {
      if (nodeTag(item) === 'GroupingSet') {
        hasSets = true
        const gs = nodeBody<N>(item)
        const part = this.groupingSetIndices(gs, bindItem, indexOf)
        if (sets.length * part.length > MAX_GROUPING_SETS) {
          throw planError('54001', `too many grouping sets present (maximum ${MAX_GROUPING_SETS})`)
        }
        const next: number[][] = []
        for (const s of sets) for (const p of part) next.push([...s, ...p])
        sets = next
      } else {
        const indices = implicitRowItems(item).map((e) => indexOf(bindItem(e)))
        sets = sets.map((s) => [...s, ...indices])
      }
    }
    return hasSets ? sets.map((s) => [...new Set(s)]) : null
  }

  private groupingSetIndices(gs: N, bindItem: (n: N) => Expr, indexOf: (e: Expr) => number): number[][] {
    const elems = (gs.content ?? []) as N[]
    const one = (n: N): number[] => implicitRowItems(n).map((e) => indexOf(bindItem(e)))
    switch (gs.kind) {
      case 'GROUPING_SET_EMPTY':
        return [[]]
      case 'GROUPING_SET_SIMPLE':
        return [elems.flatMap(one)]
      case 'GROUPING_SET_ROLLUP': {
        const parts = elems.map(one)
        const out: number[][] = []
        for (let k = parts.length; k >= 0; k--) out.push(parts.slice(0, k).flat())
        return out
      }
      case 'GROUPING_SET_CUBE': {
        const parts = elems.map(one)
        if (parts.length > MAX_CUBE_ELEMENTS) throw planError('54011', `CUBE is limited to ${MAX_CUBE_ELEMENTS} elements`, locOf(gs))
        const out: number[][] = []
        const n = parts.length
        for (let mask = (1 << n) - 1; mask >= 0; mask--) {
          const s: number[] = []
          for (let k = 0; k < n; k++) if (mask & (1 << (n - 1 - k))) s.push(...parts[k]!)
          out.push(s)
        }
        return out
      }
      case 'GROUPING_SET_SETS': {
        const out: number[][] = []
        for (const e of elems) {
          if (nodeTag(e) === 'GroupingSet') out.push(...this.groupingSetIndices(nodeBody<N>(e), bindItem, indexOf))
          else out.push(one(e))
        }
        return out
      }
      default:
        throw new NotImplementedError(`grouping set kind ${gs.kind}`)
    }
  }

  // ───────────────────────────── FROM ─────────────────────────────

  /** Binds a FROM list (implicit cross joins) into a plan, adding its relations to `scope`. */
  bindFrom(items: N[], scope: Scope): LogicalPlan {
    if (items.length === 0) return { kind: 'Empty', fields: [], oneRow: true }
    let plan: LogicalPlan | null = null
    for (const item of items) {
      const p = this.bindFromItem(item, scope)
      plan = plan === null ? p : { kind: 'Join', joinType: 'cross', left: plan, right: p, on: null, ...lateralOf(plan, p), fields: [...plan.fields, ...p.fields] }
    }
    return plan!
  }

  private bindFromItem(item: N, scope: Scope): LogicalPlan {
    const tag = nodeTag(item)
    const b = nodeBody<N>(item)
    switch (tag) {
      case 'RangeVar':
        return this.bindRangeVar(b, scope)
      case 'RangeSubselect': {
        this.derivedTable = true
        const sub = this.bindSelect(nodeBody<N>(b.subquery), b.lateral ? scope : scope.parent)
        this.derivedTable = false
        return this.aliasRelation(sub, b.alias, null, scope)
      }
      case 'RangeFunction':
        return this.bindRangeFunction(b, scope)
      case 'JoinExpr':
        return this.bindJoin(b, scope)
      default:
        throw new NotImplementedError(`FROM item ${tag} is not supported`)
    }
  }

  /** Renames a plan's output per an alias (and column aliases) and registers it in the scope. */
  private aliasRelation(plan: LogicalPlan, alias: N, defaultAlias: string | null, scope: Scope, relationId?: RelationId): LogicalPlan {
    const name: string | null = alias?.aliasname ?? defaultAlias
    const colnames: string[] = (alias?.colnames ?? []).map((n: N) => stringValue(n))
    if (colnames.length > plan.fields.length) {
      throw planError(SqlState.invalidColumnReference, `table "${name}" has ${plan.fields.length} columns available but ${colnames.length} columns specified`)
    }
    const fields = plan.fields.map((f, i) => ({ ...f, name: colnames[i] ?? f.name, relation: name ?? undefined }))
    const out: LogicalPlan = fieldsEqual(fields, plan.fields) ? plan : renameFields(plan, fields)
    const recordFieldIds = out.fields.flatMap((f) => [...(this.recordColumns.get(f.id)?.values() ?? [])].map((r) => r.id))
    scope.add({
      alias: name,
      fields: out.fields,
      ...(recordFieldIds.length ? { hidden: new Set(recordFieldIds) } : {}),
      ...(relationId !== undefined ? { catalog: { id: relationId, aliased: !!alias?.aliasname } } : {}),
    })
    return out
  }

  private bindRangeVar(rv: N, scope: Scope): LogicalPlan {
    const name: string = rv.relname
    if (rv.catalogname && rv.catalogname !== this.env.database) {
      throw planError(SqlState.featureNotSupported, `cross-database references are not implemented: "${rv.catalogname}.${rv.schemaname}.${name}"`, rv.location !== undefined ? rv.location + 1 : undefined)
    }
    const schema: string | null = rv.schemaname ?? null
    if (schema === null) {
      const cte = this.lookupCte(name)
      if (cte) return this.bindCteRef(name, cte, rv.alias, scope, rv.location)
    }
    {
      const rel = this.lookupRelation(schema, name)
      if (rel?.kind === 'table') return this.scanTable(rel, rv.alias, scope)
      if (rel?.kind === 'sequence') return this.aliasRelation(this.sequenceRow(rel), rv.alias, name, scope, rel.oid)
      if (rel?.kind === 'view') {
        const sub = new Binder(this.env)
        sub.nextId = this.nextId
        const plan = sub.bindSelect(nodeBody<N>(storedTree(rel.sql)), null)
        this.nextId = sub.nextId
        const names = rel.columnNames
        const fields = plan.fields.map((f, i) => ({ ...f, name: names?.[i] ?? f.name, relation: name }))
        return this.aliasRelation(renameFields(plan, fields), rv.alias, name, scope, rel.oid)
      }
    }
    const sys = this.env.systemTable?.(schema, name)
    if (sys) {
      const fields = sys.columns.map((c) => this.field(c.name, c.type, name))
      const plan: LogicalPlan = {
        kind: 'Scan',
        source: { kind: 'system', name: sys.key },
        fields,
        columns: sys.columns.map((_, i) => i),
        filters: [],
        sourceColumns: sys.columns,
      }
      return this.aliasRelation(plan, rv.alias, name, scope, sys.key)
    }
    const full = schema ? `${schema}.${name}` : name
    if (schema !== null && schema !== 'public' && schema !== 'pg_catalog' && schema !== 'information_schema') {
      throw planError(SqlState.undefinedTable, `relation "${full}" does not exist`, rv.location !== undefined ? rv.location + 1 : undefined)
    }
    throw planError(SqlState.undefinedTable, `relation "${full}" does not exist`, rv.location !== undefined ? rv.location + 1 : undefined)
  }

  /** A sequence read as a relation: its one row (last_value, log_cnt, is_called) as of now. */
  private sequenceRow(seq: SequenceEntry): LogicalPlan {
    const { lastValue, isCalled } = lastValueOf(seq.options, seq.cells)
    if (lastValue > BigInt(Number.MAX_SAFE_INTEGER) || lastValue < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new NotImplementedError(`bigint value ${lastValue} is beyond the exact range Flint supports (±2^53)`)
    }
    const row = [lit(Number(lastValue), T.int8), lit(0, T.int8), lit(isCalled, T.bool)]
    const fields = [this.field('last_value', T.int8, seq.name), this.field('log_cnt', T.int8, seq.name), this.field('is_called', T.bool, seq.name)]
    return { kind: 'Values', rows: [row], fields }
  }

  /** The relation a (possibly schema-qualified) name means in FROM: a user relation's OID, else a system table's key. */
  private relationId(schema: string | null, name: string): RelationId | undefined {
    const rel = this.lookupRelation(schema, name)
    return rel ? relationOid(rel) : this.env.systemTable?.(schema, name)?.key
  }

  /** A user relation by (optionally schema-qualified) name; unqualified names follow the search path. */
  private lookupRelation(schema: string | null, name: string): Relation | undefined {
    if (schema !== null) return this.env.catalog.relations.get(relationKey(schema, name))
    for (const s of this.env.searchPath ?? ['public']) {
      const rel = this.env.catalog.relations.get(relationKey(s, name))
      if (rel) return rel
    }
    return undefined
  }

  private scanTable(rel: TableEntry, alias: N, scope: Scope): LogicalPlan {
    const def = rel.def
    const fields = def.columns.map((c, i) => this.field(c.name, c.type, def.name, { tableOid: def.oid, columnNumber: i + 1 }))
    const source: ScanSource = def.external
      ? def.external.format === 'parquet'
        ? { kind: 'parquet', files: def.external.files }
        : { kind: 'csv', files: def.external.files, options: { header: true, delimiter: ',', quote: '"', nullString: '' } }
      : { kind: 'memory', tableOid: def.oid, name: def.name }
    const plan: LogicalPlan = {
      kind: 'Scan',
      source,
      fields,
      columns: def.columns.map((_, i) => i),
      filters: [],
      sourceColumns: def.columns.map((c) => ({ name: c.name, type: c.type })),
    }
    return this.aliasRelation(plan, alias, def.name, scope, def.oid)
  }

  private bindCteRef(name: string, cte: CteDef, alias: N, scope: Scope, location: number | undefined): LogicalPlan {
    cte.referenced = true
    if (cte.recursiveRef) {
      const fields = cte.recursiveRef.fields.map((f) => this.field(f.name, f.type, name))
      const seen = this.bindingRecursive.get(cte.recursiveRef.cteId)
      if (seen !== undefined) {
        // (a CTE inlined twice binds the same reference twice: that is still one reference)
        if (seen.size > 0 && !seen.has(location)) throw planError('42P19', `recursive reference to query "${name}" must not appear more than once`)
        seen.add(location)
        const plan: LogicalPlan = { kind: 'CteRef', cteId: cte.recursiveRef.cteId, name, plan: null, fields }
        return this.aliasRelation(plan, alias, name, scope)
      }
      const plan = this.bindRecursiveCte(name, cte)
      return this.aliasRelation(renameFields(plan, plan.fields.map((f, i) => ({ ...f, id: f.id, name: fields[i]!.name }))), alias, name, scope)
    }
    const node = cte.node
    const q = nodeBody<N>(node.ctequery)
    let plan: LogicalPlan
    if (nodeTag(node.ctequery) !== 'SelectStmt') {
      const rel = this.env.modifyingCtes?.get(name)
      if (!rel) {
        if (q.returningClause === undefined) throw planError(SqlState.featureNotSupported, `WITH query "${name}" does not have a RETURNING clause`)
        throw planError(SqlState.featureNotSupported, 'WITH clause containing a data-modifying statement must be at the top level')
      }
      plan = this.transientScan(rel)
    } else {
      // bind the CTE where it was defined: it sees neither itself nor the CTEs after it
      plan = this.inCteScope(cte, () => this.bindSelect(q, cte.outer))
    }
    const names: string[] = (node.aliascolnames ?? []).map((n: N) => stringValue(n))
    if (names.length > plan.fields.length) {
      throw planError(SqlState.invalidColumnReference, `WITH query "${name}" has ${plan.fields.length} columns available but ${names.length} columns specified`)
    }
    const fields = plan.fields.map((f, i) => ({ ...f, name: names[i] ?? f.name, relation: name }))
    return this.aliasRelation(renameFields(plan, fields), alias, name, scope)
  }


  private transientScan(rel: TransientRelation): LogicalPlan {
    return {
      kind: 'Scan',
      source: { kind: 'memory', tableOid: rel.oid, name: rel.name },
      fields: rel.columns.map((c) => this.field(c.name, c.type, rel.name)),
      columns: rel.columns.map((_, i) => i),
      filters: [],
      sourceColumns: rel.columns,
    }
  }

  /**
   * Binds a scan of a transient relation visible in `scope` under `alias`; its last `hiddenCount`
   * columns (row numbers) are in the plan's output but not in the scope.
   */
  bindTransient(rel: TransientRelation, alias: string, scope: Scope, hiddenCount = 0, catalog?: CatalogIdentity): LogicalPlan {
    const plan = this.transientScan(rel)
    const hidden = new Set(plan.fields.slice(plan.fields.length - hiddenCount).map((f) => f.id))
    scope.add({ alias, fields: plan.fields.filter((f) => !hidden.has(f.id)), ...(catalog ? { catalog } : {}) })
    return plan
  }

  /** Binds a RETURNING list over the rows of `input` (whose columns `scope` names) as a projection. */
  bindReturning(list: N[], input: LogicalPlan, scope: Scope): LogicalPlan {
    const ctx: AggContext = { aggs: [], windows: [], windowDefs: new Map(), disallow: 'RETURNING', insideAgg: false, windowsBanned: null, srfs: [], srfsAllowed: false }
    const targets = this.expandTargets(list, scope, ctx)
    const exprs = targets.map((t) => this.outputCoerce(t.expr))
    const fields = targets.map((t, i) => ({ id: this.newId(), name: t.name, type: exprs[i]!.type, ...(t.source ? { tableOid: t.source.tableOid, columnNumber: t.source.columnNumber } : {}) }))
    return { kind: 'Projection', input, exprs, fields }
  }

  /** Recursive CTEs whose recursive term is being bound, with the positions of the references to them seen so far. */
  private readonly bindingRecursive = new Map<number, Set<number | undefined>>()

  private bindRecursiveCte(name: string, cte: CteDef): LogicalPlan {
    const ref = cte.recursiveRef!
    const q = nodeBody<N>(cte.node.ctequery)
    const anchorRaw = this.inCteScope(cte, () => this.bindSelect(q.larg, cte.outer))
    const types = ref.fields.map((f) => f.type)
    const anchor = this.castPlan(anchorRaw, types)
    this.bindingRecursive.set(ref.cteId, new Set())
    let stepRaw: LogicalPlan
    try {
      stepRaw = this.inCteScope(cte, () => this.bindSelect(q.rarg, cte.outer))
    } finally {
      this.bindingRecursive.delete(ref.cteId)
    }
    if (stepRaw.fields.length !== types.length) {
      throw planError(SqlState.syntaxError, 'each UNION query must have the same number of columns')
    }
    const step = this.castPlan(stepRaw, types)
    const fields = ref.fields.map((f) => this.field(f.name, f.type, name))
    return { kind: 'RecursiveCte', cteId: ref.cteId, anchor, step, all: !!q.all, fields }
  }

  private bindRangeFunction(rf: N, scope: Scope): LogicalPlan {
    if (rf.functions?.length > 1) return this.bindRowsFrom(rf, scope)
    const call = rangeFunctionCall(rf.functions[0])
    const fname = stringValue(call.funcname[call.funcname.length - 1])
    if (fname === 'read_parquet' || fname === 'read_csv' || fname === 'read_csv_auto') {
      // resolved before binding (file access is asynchronous), keyed by the call's raw arguments
      const fs = this.env.fileSchemas.get(fileSchemaKey(fname, call.args))
      if (!fs) throw new NotImplementedError(`${fname} takes constant arguments: a path and, for read_csv, named options`)
      const fields = fs.columns.map((c) => this.field(c.name, c.type, fname))
      const plan: LogicalPlan = {
        kind: 'Scan',
        source: fs.source,
        fields,
        columns: fs.columns.map((_, i) => i),
        filters: [],
        sourceColumns: fs.columns,
      }
      return this.aliasRelation(plan, rf.alias, fname, scope)
    }
    // a function returning one column takes the alias as its column name too (PostgreSQL's rule)
    const scalarAlias = rf.alias && !rf.alias.colnames ? { ...rf.alias, colnames: [{ String: { sval: rf.alias.aliasname } }] } : rf.alias
    const args = (call.args ?? []).map((a: N) => this.bindExpr(a, new Scope(scope), null))
    const ordinality = !!rf.ordinality
    const plan = fname === 'generate_series' ? this.generateSeries(args, ordinality) : fname === 'unnest' ? this.unnest(args, ordinality) : fname === 'pg_partition_ancestors' ? this.partitionAncestors(args) : null
    if (plan) return this.aliasRelation(ordinality ? this.withOrdinality(plan) : plan, scalarAlias, fname, scope)
    throw planError(SqlState.undefinedFunction, `function ${fname}(${args.map((a: Expr) => typeName(a.type)).join(', ')}) does not exist`)
  }

  /** ROWS FROM (f1(…), f2(…), …): the functions side by side, the shorter ones padded with NULLs. */
  private bindRowsFrom(rf: N, scope: Scope): LogicalPlan {
    const bound = (rf.functions as N[]).map((item) => {
      const call = rangeFunctionCall(item)
      const columnDefs = (item as N).List?.items?.[1]
      if (columnDefs && Object.keys(columnDefs).length > 0) throw new NotImplementedError('column definition lists are not supported')
      const name = stringValue(call.funcname[call.funcname.length - 1]).toLowerCase()
      const args = ((call.args ?? []) as N[]).map((a) => this.bindExpr(a, new Scope(scope), null))
      if (!['generate_series', 'unnest', 'generate_subscripts'].includes(name)) {
        throw new NotImplementedError(`${name}() is not supported in ROWS FROM`, locOf(call))
      }
      return this.setFunctionCall(name, args, locOf(call))
    })
    const plan: LogicalPlan = { kind: 'FunctionScan', calls: bound.map((b) => b.call), fields: bound.map((b) => b.field) }
    return this.aliasRelation(rf.ordinality ? this.withOrdinality(plan) : plan, rf.alias, null, scope)
  }

  /** WITH ORDINALITY: a FunctionScan numbers its rows in a last bigint column. */
  private withOrdinality(plan: LogicalPlan): LogicalPlan {
    if (plan.kind !== 'FunctionScan') throw new InternalError('WITH ORDINALITY needs a function scan')
    return { ...plan, ordinality: true, fields: [...plan.fields, this.field('ordinality', T.int8)] }
  }

  /** generate_series in FROM; `atRunTime` binds it to a FunctionScan even with constant arguments. */
  private generateSeries(args: Expr[], atRunTime: boolean): LogicalPlan {
    if (args.length < 2) throw new NotImplementedError('generate_series needs a start and a stop')
    const vals = args.map(constantValue)
    const isTs = args.slice(0, 2).some((a) => a.type.id === 'timestamp' || a.type.id === 'date' || a.type.id === 'timestamptz')
    if (isTs) {
      // generate_series(timestamp, timestamp, interval), or timestamptz (dates convert to timestamptz), run when the time zone is known
      const t = args.slice(0, 2).every((a) => a.type.id === 'timestamp' || a.type.id === 'unknown') ? T.timestamp : T.timestamptz
      if (args.length !== 3) {
        throw planError(SqlState.undefinedFunction, `function generate_series(${args.map((a) => typeName(a.type)).join(', ')}) does not exist`)
      }
      const typed = [this.coerce(args[0]!, t), this.coerce(args[1]!, t), this.coerce(args[2]!, T.interval)]
      return { kind: 'FunctionScan', calls: [{ fn: 'generate_series', args: typed }], fields: [this.field('generate_series', t)] }
    }
    const t = args.some((a) => a.type.id === 'numeric') ? T.numeric : args.some((a) => a.type.id === 'int8') ? T.int8 : T.int4
    if (t.id === 'int8' && vals.some((v) => v !== undefined && v !== null && !Number.isSafeInteger(Number(v)))) {
      throw new NotImplementedError('generate_series beyond ±2^53 is not supported')
    }
    if (atRunTime || vals.some((v) => v === undefined)) {
      if (t.id === 'numeric') throw new NotImplementedError('generate_series over numeric needs constant arguments in Flint, without ORDINALITY')
      return { kind: 'FunctionScan', calls: [{ fn: 'generate_series', args: args.map((a) => this.coerce(a, t)) }], fields: [this.field('generate_series', t)] }
    }
    const start = Number(vals[0])
    const stop = Number(vals[1])
    const step = vals[2] !== undefined ? Number(vals[2]) : 1
    if (step === 0) throw planError(SqlState.invalidParameterValue, 'step size cannot equal zero')
    if (vals.slice(0, 3).some((v) => v === null)) return { kind: 'Empty', fields: [this.field('generate_series', t)], oneRow: false }
    const fields = [this.field('generate_series', t)]
    if (t.id !== 'numeric') {
      // integer series are produced by the scan, batch by batch
      return { kind: 'Scan', source: { kind: 'series', start, stop, step }, fields, columns: [0], filters: [], sourceColumns: [{ name: 'generate_series', type: t }] }
    }
    const rows: Expr[][] = []
    if (Math.abs((stop - start) / step) > 1e6) throw new NotImplementedError('generate_series over more than a million numeric values is not supported yet')
    for (let v = start; step > 0 ? v <= stop : v >= stop; v += step) rows.push([lit(String(v), t)])
    if (rows.length === 0) return { kind: 'Empty', fields, oneRow: false }
    return { kind: 'Values', rows, fields }
  }

  /** unnest in FROM; `atRunTime` binds it to a FunctionScan even with a constant argument. */
  private unnest(args: Expr[], atRunTime: boolean): LogicalPlan {
    if (args.length !== 1 || args[0]!.type.id !== 'array') throw new NotImplementedError('unnest takes one array argument in Flint')
    const v = constantValue(args[0]!)
    const el = (args[0]!.type as { element: SqlType }).element
    const fields = [this.field('unnest', el)]
    if (atRunTime || v === undefined) return { kind: 'FunctionScan', calls: [{ fn: 'unnest', args }], fields }
    const items = (v ?? []) as readonly Value[]
    if (items.length === 0) return { kind: 'Empty', fields, oneRow: false }
    return { kind: 'Values', rows: items.map((x) => [lit(x, el)]), fields }
  }

  private bindJoin(j: N, scope: Scope): LogicalPlan {
    const local = new Scope(scope.parent)
    const left = this.bindFromItem(j.larg, local)
    const leftMerged = new Map(local.merged)
    const right = this.bindFromItem(j.rarg, local)
    // a side that is itself a join with USING columns offers its merged column under that name
    const rightMerged = new Map([...local.merged].filter(([name, f]) => leftMerged.get(name) !== f))
    const joinType =
      j.jointype === 'JOIN_LEFT' ? 'left' : j.jointype === 'JOIN_RIGHT' ? 'right' : j.jointype === 'JOIN_FULL' ? 'full' : 'inner'
    let on: Expr | null = null
    let usingNames: string[] | null = null
    if (j.isNatural) {
      const rightNames = new Set(right.fields.map((f) => f.name))
      usingNames = left.fields.map((f) => f.name).filter((n) => rightNames.has(n))
    } else if (j.usingClause) {
      usingNames = j.usingClause.map((n: N) => stringValue(n))
    }
    const merged: Field[] = []
    const mergedExprs: Expr[] = []
    if (usingNames) {
      const conds: Expr[] = []
      for (const name of usingNames) {
        const lf = leftMerged.get(name) ?? findUnique(left.fields, name, 'left')
        const rf = rightMerged.get(name) ?? findUnique(right.fields, name, 'right')
        conds.push(this.comparison('=', colOf(lf), colOf(rf)))
        const t = commonType([lf.type, rf.type], 'JOIN/USING')
        const m =
          joinType === 'full'
            ? this.field(name, t, null)
            : joinType === 'right'
              ? { ...rf, relation: undefined }
              : { ...lf, relation: undefined }
        merged.push(m)
        mergedExprs.push(
          joinType === 'full'
            ? { kind: 'Call', fn: 'coalesce', args: [this.coerce(colOf(lf), t), this.coerce(colOf(rf), t)], type: t, volatility: 'immutable' }
            : colOf(m),
        )
        local.markMergedSource(lf.id)
        local.markMergedSource(rf.id)
      }
      on = and(conds)
    } else if (j.quals) {
      on = this.bindPredicate(j.quals, local, null, 'JOIN/ON')
    } else if (j.jointype === 'JOIN_INNER') {
      on = null
    }
    const lateral = lateralOf(left, right)
    if (lateral.lateral && (joinType === 'right' || joinType === 'full')) {
      const refs = collectOuterRefs(right)
      const table = left.fields.find((f) => refs.has(f.id))?.relation
      throw new PlanError(SqlState.invalidColumnReference, `invalid reference to FROM-clause entry for table "${table}"`, {
        detail: 'The combining JOIN type must be INNER or LEFT for a LATERAL reference.',
      })
    }
    let plan: LogicalPlan = {
      kind: 'Join',
      joinType: on === null && joinType === 'inner' ? 'cross' : joinType,
      left,
      right,
      on,
      ...lateral,
      fields: [...left.fields, ...right.fields],
    }
    if (joinType === 'full' && merged.length > 0) {
      // FULL JOIN USING: the merged columns are COALESCE(left, right)
      plan = { kind: 'Projection', input: plan, exprs: [...mergedExprs, ...plan.fields.map(colOf)], fields: [...merged, ...plan.fields] }
    }
    // move the join's relations into the enclosing scope
    const rels = local.relations.splice(0)
    if (j.alias) {
      const visible = [...merged.filter((m) => !rels.some((r) => r.fields.some((f) => f.id === m.id))), ...rels.flatMap((r) => r.fields)]
      const alias = j.alias.aliasname as string
      const colnames: string[] = (j.alias.colnames ?? []).map((n: N) => stringValue(n))
      const mergedIds = new Set(merged.map((m) => m.id))
      const usingHidden = new Set<number>()
      for (const r of rels) for (const f of r.fields) if (usingNames?.includes(f.name) && !mergedIds.has(f.id)) usingHidden.add(f.id)
      const fields = [...merged, ...visible.filter((f) => !mergedIds.has(f.id) && !usingHidden.has(f.id))].map((f, i) => ({ ...f, name: colnames[i] ?? f.name, relation: alias }))
      scope.add({ alias, fields })
    } else {
      const mergedIds = new Set(merged.map((m) => m.id))
      for (const r of rels) scope.add(r)
      for (const m of merged) {
        scope.merged.set(m.name, m)
        scope.markMergedSource(m.id)
      }
      if (merged.length && joinType === 'full') {
        scope.add({ alias: null, fields: merged, hidden: new Set(merged.map((m) => m.id).filter((id) => !mergedIds.has(id))) })
      }
    }
    scope.adoptMerged(local)
    return plan
  }

  // ───────────────────────────── expressions ─────────────────────────────

  /** Binds a boolean condition (WHERE, ON, HAVING): untyped literals become boolean; others must be. */
  bindPredicate(node: N, scope: Scope, ctx: AggContext | null, clause: string): Expr {
    const srfClause = clause === 'JOIN/ON' ? 'JOIN conditions' : clause === 'WHERE' || clause === 'HAVING' || clause === 'FILTER' ? clause : null
    const e = srfClause ? this.banSetFunctions(srfClause, () => this.bindExpr(node, scope, ctx)) : this.bindExpr(node, scope, ctx)
    if (e.type.id === 'bool') return e
    if (e.type.id === 'unknown' || e.type.id === 'null') return this.coerce(e, T.bool)
    throw planError(SqlState.datatypeMismatch, `argument of ${clause} must be type boolean, not type ${typeName(e.type)}`)
  }

  /** Binds an expression in a scope. `ctx` collects aggregates/windows (null = not allowed). */
  bindExpr(node: N, scope: Scope, ctx: AggContext | null): Expr {
    const tag = nodeTag(node)
    const b = nodeBody<N>(node)
    switch (tag) {
      case 'A_Const':
        return this.bindConst(b)
      case 'ColumnRef':
        return this.bindColumnRef(b, scope)
      case 'ParamRef':
        return this.bindParam(b.number)
      case 'TypeCast':
        return this.bindTypeCast(b, scope, ctx)
      case 'A_Expr':
        return this.bindAExpr(b, scope, ctx)
      case 'BoolExpr': {
        const args = (b.args as N[]).map((a) => this.bindPredicate(a, scope, ctx, b.boolop === 'AND_EXPR' ? 'AND' : b.boolop === 'OR_EXPR' ? 'OR' : 'NOT'))
        if (b.boolop === 'NOT_EXPR') return { kind: 'Not', arg: args[0]!, type: T.bool }
        return { kind: b.boolop === 'AND_EXPR' ? 'And' : 'Or', args, type: T.bool }
      }
      case 'NullTest':
        return { kind: 'IsNull', arg: this.bindExpr(b.arg, scope, ctx), negated: b.nulltesttype === 'IS_NOT_NULL', type: T.bool }
      case 'BooleanTest': {
        const arg = this.bindPredicate(b.arg, scope, ctx, 'IS')
        const m: Record<string, ['true' | 'false' | 'unknown', boolean]> = {
          IS_TRUE: ['true', false],
          IS_NOT_TRUE: ['true', true],
          IS_FALSE: ['false', false],
          IS_NOT_FALSE: ['false', true],
          IS_UNKNOWN: ['unknown', false],
          IS_NOT_UNKNOWN: ['unknown', true],
        }
        const [test, negated] = m[b.booltesttype]!
        return { kind: 'IsBool', arg, test, negated, type: T.bool }
      }
      case 'FuncCall':
        return this.bindFuncCall(b, scope, ctx)
      case 'CaseExpr':
        return this.banSetFunctions('CASE', () => this.bindCase(b, scope, ctx))
      case 'CoalesceExpr': {
        const args = this.banSetFunctions('COALESCE', () => (b.args as N[]).map((a) => this.bindExpr(a, scope, ctx)))
        const t = commonType(args.map(exprTypeOrNull), 'COALESCE')
        return { kind: 'Call', fn: 'coalesce', args: args.map((a) => this.coerce(a, t)), type: t, volatility: 'immutable' }
      }
      case 'MinMaxExpr': {
        const args = (b.args as N[]).map((a) => this.bindExpr(a, scope, ctx))
        const fn = b.op === 'IS_GREATEST' ? 'greatest' : 'least'
        const t = commonType(args.map(exprTypeOrNull), fn.toUpperCase())
        return { kind: 'Call', fn, args: args.map((a) => this.coerce(a, t)), type: t, volatility: 'immutable' }
      }
      case 'SubLink':
        return this.bindSubLink(b, scope, ctx)
      case 'SQLValueFunction':
        return this.bindSqlValueFunction(b.op)
      case 'A_ArrayExpr': {
        const els = ((b.elements ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx))
        const t = commonType(els.map(exprTypeOrNull), 'ARRAY')
        return { kind: 'Array', elements: els.map((e) => this.coerce(e, t)), type: arrayType(t) }
      }
      case 'CollateClause':
        return this.bindExpr(b.arg, scope, ctx)
      case 'RowExpr':
        throw new NotImplementedError('row constructors are not supported here', locOf(b))
      case 'A_Indirection':
        return this.bindSubscripts(b, scope, ctx)
      case 'GroupingFunc': {
        const args = ((b.args ?? []) as N[]).map((a) => this.bindExpr(a, scope, null))
        return { kind: 'Call', fn: '__grouping', args, type: T.int4, volatility: 'immutable' }
      }
      case 'SetToDefault':
        throw planError(SqlState.syntaxError, 'DEFAULT is not allowed in this context', locOf(b))
      default:
        throw new NotImplementedError(`expression ${tag} is not supported`)
    }
  }

  private bindConst(c: N): Expr {
    if (c.isnull) return lit(null, T.null)
    if (c.ival !== undefined) return lit(c.ival.ival ?? 0, T.int4)
    if (c.fval !== undefined) {
      const text: string = c.fval.fval
      if (/^[+-]?\d+$/.test(text)) {
        // PostgreSQL: an integer literal is bigint when it fits, else numeric
        const big = BigInt(text)
        if (big >= INT8_MIN && big <= INT8_MAX) return lit(int8Value(big), T.int8)
        return lit(text, T.numeric)
      }
      const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
      let scale = (m?.[2] ?? '').length - Number(m?.[3] ?? 0)
      if (scale < 0) scale = 0
      return lit(normalizeNumericLiteral(text, scale), numericType(null, scale))
    }
    if (c.boolval !== undefined) return lit(!!c.boolval.boolval, T.bool)
    if (c.sval !== undefined) return lit(c.sval.sval ?? '', T.unknown)
    if (c.bsval !== undefined) throw new NotImplementedError('bit string literals are not supported')
    return lit(0, T.int4)
  }

  private bindParam(n: number): Expr {
    const types = this.env.paramTypes
    while (types.length < n) types.push(null)
    const t = types[n - 1]
    return { kind: 'Param', index: n, type: t ?? T.unknown }
  }

  private bindColumnRef(c: N, scope: Scope): Expr {
    const parts = (c.fields as N[]).map((f) => (nodeTag(f) === 'A_Star' ? '*' : stringValue(f)))
    const position = c.location !== undefined ? c.location + 1 : undefined
    if (parts.includes('*')) throw new NotImplementedError('* is only supported in a select list', position)
    const { qualifier, name } = this.splitColumnRef(parts, position)
    const selectingField = this.selectingField
    this.selectingField = false
    const checked = (f: Field): Field => {
      if (!selectingField && this.recordColumns.has(f.id)) throw new NotImplementedError('record values of _pg_expandarray() are only supported through field selection', position)
      return f
    }
    if (qualifier !== null) {
      const { rel, level, depth } = this.findRelation(scope, qualifier, position)
      const f = rel.fields.find((x) => x.name === name)
      if (!f) throw planError(SqlState.undefinedColumn, `column ${qualifier.name}.${name} does not exist`, position)
      return this.columnAt(checked(f), level, depth)
    }
    let depth = 0
    for (let s: Scope | null = scope; s; s = s.parent, depth++) {
      const f = s.resolve(name, null, position)
      if (f) return this.columnAt(checked(f), s, depth)
    }
    throw planError(SqlState.undefinedColumn, `column "${name}" does not exist`, position)
  }

  private bindTypeCast(tc: N, scope: Scope, ctx: AggContext | null): Expr {
    const pseudoReg = pseudoRegType(((tc.typeName.names ?? []) as N[]).map((n) => stringValue(n)))
    if (pseudoReg) return pseudoRegCast(pseudoReg, this.bindExpr(tc.arg, scope, ctx), this.env.user)
    const target = this.resolveTypeName(tc.typeName)
    const argNode = tc.arg
    // interval '1' day: the typmod names the unit of a bare number
    if (target.id === 'interval' && tc.typeName.typmods?.length && nodeTag(argNode) === 'A_Const') {
      const c = nodeBody<N>(argNode)
      const mask = constInt(tc.typeName.typmods[0])
      if (c.sval && mask !== undefined && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(c.sval.sval)) {
        const unit = intervalUnit(mask)
        if (unit) return this.coerce(lit(`${c.sval.sval.trim()} ${unit}`, T.unknown), T.interval, true)
      }
    }
    const arg = this.bindExpr(argNode, scope, ctx)
    return this.coerce(arg, target, true, locOf(tc))
  }

  /** Resolves a TypeName node to a SqlType (42704 when unknown). */
  resolveTypeName(tn: N): SqlType {
    const names = (tn.names as N[]).map((n) => stringValue(n))
    const name = names.filter((n) => n !== 'pg_catalog').join('.')
    const mods = ((tn.typmods ?? []) as N[]).map((m) => constInt(m)).filter((m): m is number => m !== undefined)
    const t = typeFromName(name, name === 'interval' ? [] : mods, tn.arrayBounds?.length ?? 0)
    if (!t && UNSUPPORTED_TYPES.has(name)) throw new NotImplementedError(`type ${name} is not supported`, locOf(tn))
    if (!t) throw planError(SqlState.undefinedObject, `type "${name}" does not exist`, locOf(tn))
    if (t.id === 'numeric' && t.precision !== null) {
      if (t.precision < 1 || t.precision > 1000) throw planError(SqlState.invalidParameterValue, `NUMERIC precision ${t.precision} must be between 1 and 1000`)
      if (t.scale !== null && (t.scale > t.precision || t.scale < 0)) {
        throw planError(SqlState.invalidParameterValue, `NUMERIC scale ${t.scale} must be between 0 and precision ${t.precision}`)
      }
    }
    return t
  }

  private bindAExpr(a: N, scope: Scope, ctx: AggContext | null): Expr {
    const op = a.name ? stringValue(a.name[a.name.length - 1]) : ''
    const pos = locOf(a)
    switch (a.kind) {
      case 'AEXPR_OP': {
        if (!a.lexpr) {
          const r = this.bindExpr(a.rexpr, scope, ctx)
          if (op === '+') return this.unaryPlus(r, pos)
          if (op === '-') return this.negate(r, pos)
          if (op === '~') return this.operatorCall(op, 'bitnot', [r], pos)
          throw new NotImplementedError(`prefix operator ${op} is not supported`, pos)
        }
        if (nodeTag(a.lexpr) === 'RowExpr' && nodeTag(a.rexpr) === 'SubLink' && nodeBody<N>(a.rexpr).subLinkType === 'EXPR_SUBLINK') {
          // (a, b) op (SELECT x, y …): PostgreSQL's ROWCOMPARE sublink
          const sub = nodeBody<N>(a.rexpr)
          return this.bindSubLink({ ...sub, subLinkType: 'ROWCOMPARE_SUBLINK', testexpr: a.lexpr, operName: a.name, location: a.location }, scope, ctx)
        }
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        return this.operator(op, l, r, pos)
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        const [cl, cr] = this.unify(l, r, '=')
        return { kind: 'Binary', op: a.kind === 'AEXPR_DISTINCT' ? 'is distinct from' : 'is not distinct from', left: cl, right: cr, type: T.bool }
      }
      case 'AEXPR_NULLIF': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        return this.nullif(l, r)
      }
      case 'AEXPR_IN': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const list = (nodeBody<N>(a.rexpr).items ?? (a.rexpr as N[])) as N[]
        const items = (Array.isArray(a.rexpr) ? a.rexpr : list).map((x: N) => this.bindExpr(x, scope, ctx))
        const t = commonType([exprTypeOrNull(l), ...items.map(exprTypeOrNull)], 'IN')
        return { kind: 'InList', arg: this.coerce(l, t), list: items.map((x: Expr) => this.coerce(x, t)), negated: op === '<>', type: T.bool }
      }
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        const fn = a.kind === 'AEXPR_LIKE' ? 'like' : 'ilike'
        const negated = op.startsWith('!')
        let args = [l, r]
        if (r.kind === 'Call' && r.fn === 'like_escape') args = [l, ...r.args]
        const call = this.call(fn, args, pos)
        return negated ? { kind: 'Not', arg: call, type: T.bool } : call
      }
      case 'AEXPR_SIMILAR': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        const call = this.call('textregexeq', [l, r], pos)
        return op === '!~' ? { kind: 'Not', arg: call, type: T.bool } : call
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM': {
        const x = this.bindExpr(a.lexpr, scope, ctx)
        const [lo, hi] = (nodeBody<N>(a.rexpr).items ?? a.rexpr).map((n: N) => this.bindExpr(n, scope, ctx)) as [Expr, Expr]
        const between = (p: Expr, q: Expr): Expr => and([this.comparison('>=', x, p), this.comparison('<=', x, q)])
        let e = between(lo, hi)
        if (a.kind === 'AEXPR_BETWEEN_SYM' || a.kind === 'AEXPR_NOT_BETWEEN_SYM') e = { kind: 'Or', args: [e, between(hi, lo)], type: T.bool }
        return a.kind.startsWith('AEXPR_NOT') ? { kind: 'Not', arg: e, type: T.bool } : e
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL': {
        const l = this.bindExpr(a.lexpr, scope, ctx)
        const r = this.bindExpr(a.rexpr, scope, ctx)
        if (r.kind === 'Array' || (r.kind === 'Literal' && r.type.id === 'array')) {
          const items: Expr[] =
            r.kind === 'Array' ? [...r.elements] : ((r.value ?? []) as Value[]).map((v) => lit(v, (r.type as { element: SqlType }).element))
          if (r.kind === 'Literal' && r.value === null) return lit(null, T.bool)
          if (a.kind === 'AEXPR_OP_ANY' && op === '=') {
            if (items.length === 0) return lit(false, T.bool)
            const t = commonType([exprTypeOrNull(l), ...items.map(exprTypeOrNull)], 'IN')
            return { kind: 'InList', arg: this.coerce(l, t), list: items.map((x) => this.coerce(x, t)), negated: false, type: T.bool }
          }
          const parts = items.map((x) => this.operator(op, l, x, pos))
          if (parts.length === 0) return lit(a.kind === 'AEXPR_OP_ALL', T.bool)
          return parts.length === 1 ? parts[0]! : { kind: a.kind === 'AEXPR_OP_ANY' ? 'Or' : 'And', args: parts, type: T.bool }
        }
        return { kind: 'Call', fn: a.kind === 'AEXPR_OP_ANY' ? '__any' : '__all', args: [lit(op, T.text), l, r.type.id === 'array' ? r : this.coerce(r, arrayType(l.type))], type: T.bool, volatility: 'immutable' }
      }
      default:
        throw new NotImplementedError(`operator kind ${a.kind} is not supported`, pos)
    }
  }

  /** Prefix +: numbers only; an untyped operand is taken as float8 (the numeric category's preferred type). */
  private unaryPlus(r: Expr, pos?: number): Expr {
    if (r.type.id === 'unknown' || r.type.id === 'null') return this.coerce(r, T.float8, false, pos)
    if (!isNumeric(r.type)) throw planError(SqlState.undefinedFunction, `operator does not exist: + ${typeName(r.type)}`, pos)
    return r
  }

  private negate(r: Expr, pos?: number): Expr {
    if (r.kind === 'Literal' && typeof r.value === 'number') return lit(-r.value === 0 ? 0 : -r.value, r.type.id === 'int4' && r.value === -2147483648 ? T.int8 : r.type)
    if (r.kind === 'Literal' && typeof r.value === 'string' && r.type.id === 'numeric') {
      return lit(r.value.startsWith('-') ? r.value.slice(1) : '-' + r.value, r.type)
    }
    // prefix - has numeric and interval candidates, so an untyped operand is ambiguous
    if (r.type.id === 'unknown' || r.type.id === 'null') {
      throw new PlanError(SqlState.ambiguousFunction, 'operator is not unique: - unknown', {
        ...(pos !== undefined ? { position: pos } : {}),
        hint: 'Could not choose a best candidate operator. You might need to add explicit type casts.',
      })
    }
    if (r.type.id === 'interval') return this.call('interval_um', [r], pos)
    if (!isNumeric(r.type)) throw planError(SqlState.undefinedFunction, `operator does not exist: - ${typeName(r.type)}`, pos)
    const zero = r.type.id === 'numeric' ? lit('0', numericType(null, 0)) : lit(0, r.type)
    return { kind: 'Binary', op: '-', left: zero, right: r, type: r.type.id === 'numeric' && r.type.scale !== null ? numericType(null, r.type.scale) : r.type }
  }

  /** Resolves a binary operator by name over two bound operands. */
  operator(op: string, l: Expr, r: Expr, pos?: number): Expr {
    switch (op) {
      case '=':
      case '<>':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.comparison(op === '!=' ? '<>' : op, l, r, pos)
      case '+':
      case '-':
      case '*':
      case '/':
      case '%':
        return this.arithmetic(op, l, r, pos)
      case '||': {
        // PostgreSQL's anycompatiblearray || anycompatiblearray / anycompatible (an untyped side is an array)
        if (l.type.id === 'array' || r.type.id === 'array') {
          const fn = l.type.id !== 'array' && exprTypeOrNull(l) !== null ? 'array_prepend' : r.type.id !== 'array' && exprTypeOrNull(r) !== null ? 'array_append' : 'array_cat'
          try {
            return this.call(fn, [l, r], pos)
          } catch (e) {
            // element types without a common type: PostgreSQL finds no || operator for the pair
            if (e instanceof PlanError && e.code === SqlState.datatypeMismatch) {
              throw new PlanError(SqlState.undefinedFunction, `operator does not exist: ${typeName(l.type)} || ${typeName(r.type)}`, {
                ...(pos !== undefined ? { position: pos } : {}),
                hint: 'No operator matches the given name and argument types. You might need to add explicit type casts.',
              })
            }
            throw e
          }
        }
        return this.call('textcat', [this.toText(l), this.toText(r)], pos)
      }
      case '~~':
        return this.call('like', [l, r], pos)
      case '!~~':
        return { kind: 'Not', arg: this.call('like', [l, r], pos), type: T.bool }
      case '~~*':
        return this.call('ilike', [l, r], pos)
      case '!~~*':
        return { kind: 'Not', arg: this.call('ilike', [l, r], pos), type: T.bool }
      case '~':
        return this.call('textregexeq', [l, r], pos)
      case '!~':
        return { kind: 'Not', arg: this.call('textregexeq', [l, r], pos), type: T.bool }
      case '~*':
        return this.call('texticregexeq', [l, r], pos)
      case '!~*':
        return { kind: 'Not', arg: this.call('texticregexeq', [l, r], pos), type: T.bool }
      case '^':
        return this.call('power', [l, r], pos)
      case '&':
        return this.operatorCall(op, 'bitand', [l, r], pos)
      case '|':
        return this.operatorCall(op, 'bitor', [l, r], pos)
      case '#':
        return this.operatorCall(op, 'bitxor', [l, r], pos)
      case '<<':
        return this.operatorCall(op, 'bitshiftleft', [l, r], pos)
      case '>>':
        return this.operatorCall(op, 'bitshiftright', [l, r], pos)
      case '^@':
        return this.operatorCall(op, 'starts_with', [l, r], pos)
      default:
        throw planError(SqlState.undefinedFunction, `operator does not exist: ${typeName(l.type)} ${op} ${typeName(r.type)}`, pos)
    }
  }

  private toText(e: Expr): Expr {
    if (isString(e.type)) return e
    return this.coerce(e, T.text, true)
  }

  /** Two operands brought to one comparable type (PostgreSQL's operator resolution, simplified). */
  unify(l: Expr, r: Expr, op: string, pos?: number): [Expr, Expr] {
    const lt = l.type
    const rt = r.type
    const lu = lt.id === 'unknown' || lt.id === 'null'
    const ru = rt.id === 'unknown' || rt.id === 'null'
    if (lu && ru) return [this.coerce(l, T.text), this.coerce(r, T.text)]
    if (lu) return [this.coerce(l, rt.id === 'bpchar' ? T.text : rt), rt.id === 'bpchar' ? this.coerce(r, T.text) : r]
    if (ru) return [lt.id === 'bpchar' ? this.coerce(l, T.text) : l, this.coerce(r, lt.id === 'bpchar' ? T.text : lt)]
    if (typeEquals(lt, rt)) return [l, r]
    const cl = typeCategory(lt)
    const cr = typeCategory(rt)
    if (cl === 'N' && cr === 'N') {
      const t = widerNumeric(lt, rt)
      const target = t.id === 'numeric' ? (t.scale === null ? T.numeric : numericType(null, t.scale)) : t
      return [this.coerce(l, target.id === lt.id && target.id !== 'numeric' ? lt : target), this.coerce(r, target.id === rt.id && target.id !== 'numeric' ? rt : target)]
    }
    if (cl === 'S' && cr === 'S') return [this.coerce(l, T.text), this.coerce(r, T.text)]
    if (cl === 'D' && cr === 'D') {
      const t = lt.id === 'timestamptz' || rt.id === 'timestamptz' ? T.timestamptz : T.timestamp
      return [this.coerce(l, t), this.coerce(r, t)]
    }
    if (lt.id === rt.id) return [l, r]
    throw planError(SqlState.undefinedFunction, `operator does not exist: ${typeName(lt)} ${op} ${typeName(rt)}`, pos)
  }

  /** A comparison with operand types unified. */
  comparison(op: string, l: Expr, r: Expr, pos?: number): Expr {
    const [cl, cr] = this.unify(l, r, op, pos)
    return { kind: 'Binary', op: op as BinaryOp, left: cl, right: cr, type: T.bool }
  }

  private arithmetic(op: '+' | '-' | '*' | '/' | '%', l: Expr, r: Expr, pos?: number): Expr {
    let lt = l.type
    let rt = r.type
    // untyped literals take the other side's type (a string literal next to a date is a date, etc.)
    if ((lt.id === 'unknown' || lt.id === 'null') && rt.id !== 'unknown' && rt.id !== 'null') {
      const target = rt.id === 'date' && op === '-' && l.kind === 'Literal' ? T.date : (rt.id === 'date' || rt.id === 'timestamp' || rt.id === 'timestamptz') && op !== '-' ? T.interval : rt
      l = this.coerce(l, target)
      lt = l.type
    } else if ((rt.id === 'unknown' || rt.id === 'null') && lt.id !== 'unknown' && lt.id !== 'null') {
      const target = isTemporalLike(lt) ? (op === '-' && lt.id === 'date' ? T.int4 : T.interval) : lt.id === 'interval' && (op === '*' || op === '/') ? T.float8 : lt
      r = this.coerce(r, target)
      rt = r.type
    } else if ((lt.id === 'unknown' || lt.id === 'null') && (rt.id === 'unknown' || rt.id === 'null')) {
      throw planError(SqlState.undefinedFunction, `operator is not unique: unknown ${op} unknown`, pos)
    }
    const numType = arithmeticType(op, lt, rt)
    if (numType) {
      const castTo = (e: Expr): Expr => {
        if (numType.id === 'numeric') return e.type.id === 'numeric' ? e : this.coerce(e, numericType(null, 0))
        return this.coerce(e, numType)
      }
      return { kind: 'Binary', op, left: castTo(l), right: castTo(r), type: numType }
    }
    const fn = temporalOperator(op, lt, rt)
    if (fn) {
      const args = fn.swap ? [r, l] : [l, r]
      return { kind: 'Call', fn: fn.name, args: args.map((a, i) => (fn.cast?.[i] ? this.coerce(a, fn.cast[i]!) : a)), type: fn.type, volatility: 'immutable' }
    }
    throw planError(SqlState.undefinedFunction, `operator does not exist: ${typeName(lt)} ${op} ${typeName(rt)}`, pos)
  }

  /**
   * Casts an expression to a type. Implicit coercions (explicit = false) check PostgreSQL's implicit
   * cast rules; untyped literals may become any type.
   */
  coerce(e: Expr, to: SqlType, explicit = false, pos?: number): Expr {
    if (typeEquals(e.type, to)) return e
    const reg = e.kind === 'Param' ? undefined : regCast(e, to, this.env.catalog)
    if (reg) return typeEquals(reg.type, to) ? reg : this.coerce(reg, to, explicit, pos)
    if (e.kind === 'Param' && e.type.id === 'unknown') {
      this.env.paramTypes[e.index - 1] = to
      return { ...e, type: to }
    }
    if (e.type.id === 'null') return lit(null, to)
    if (!explicit && e.type.id !== 'unknown' && !implicitCastOk(e.type, to)) {
      throw planError(SqlState.datatypeMismatch, `cannot cast type ${typeName(e.type)} to ${typeName(to)}`, pos)
    }
    if (explicit && !explicitCastOk(e.type, to)) {
      throw planError('42846', `cannot cast type ${typeName(e.type)} to ${typeName(to)}`, pos)
    }
    return { kind: 'Cast', arg: e, type: to }
  }

  /**
   * `(record).field`: a field of information_schema._pg_expandarray() in the select list, or of a
   * FROM subquery's record column; Flint has no other composite values.
   */
  private bindFieldSelection(arg: N, field: string, scope: Scope, ctx: AggContext | null): Expr {
    const at = leftmostLocation(arg)
    if (isExpandArrayCall(arg)) return this.bindSetFunction('_pg_expandarray', nodeBody<N>(arg), scope, ctx, at, field)
    this.selectingField = nodeTag(arg) === 'ColumnRef'
    const e = this.bindExpr(arg, scope, ctx)
    this.selectingField = false
    if (e.kind === 'OuterRef' && this.recordColumns.has(e.id)) throw new NotImplementedError('field selection on a record column of an enclosing query is not supported', at)
    const record = e.kind === 'Column' ? this.recordColumns.get(e.id) : undefined
    if (!record) {
      if (e.type.id !== 'unknown' && e.type.id !== 'null') throw planError(SqlState.wrongObjectType, `column notation .${field} applied to type ${typeName(e.type)}, which is not a composite type`, at)
      throw new NotImplementedError('field selection is only supported on _pg_expandarray() records', at)
    }
    const f = record.get(field)
    if (!f) throw planError(SqlState.undefinedColumn, `could not identify column "${field}" in record data type`, at)
    return colOf(f)
  }

  /** `arr[i]` (one subscript per one-dimensional array; subscripts start at 1): the element, NULL when out of range. */
  private bindSubscripts(b: N, scope: Scope, ctx: AggContext | null): Expr {
    const indirection = b.indirection as N[]
    if (indirection.length === 1 && nodeTag(indirection[0]) === 'String') return this.bindFieldSelection(b.arg, stringValue(indirection[0]), scope, ctx)
    let e = this.bindExpr(b.arg, scope, ctx)
    const at = leftmostLocation(b.arg)
    // int2vector/oidvector catalog columns (pg_index.indkey, …) are subscripted from 0 like PostgreSQL's
    const zeroBased = e.kind === 'Column' && ZERO_BASED_CATALOG_VECTORS.has(e.name) && nodeTag(b.arg) === 'ColumnRef'
    for (const ind of b.indirection as N[]) {
      if (nodeTag(ind) !== 'A_Indices') throw new NotImplementedError('field selection is not supported', at)
      const sub = nodeBody<N>(ind)
      if (sub.is_slice) throw new NotImplementedError('array slices are not supported', at)
      if (e.type.id !== 'array') throw planError(SqlState.datatypeMismatch, `cannot subscript type ${typeName(e.type)} because it does not support subscripting`, at)
      if (e.type.element.id === 'array') throw new NotImplementedError('subscripts of multidimensional arrays are not supported', at)
      const index = this.bindExpr(sub.uidx, scope, ctx)
      // PostgreSQL coerces the subscript to integer by assignment: exact and approximate numbers round
      if (!['int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'null', 'unknown'].includes(index.type.id)) {
        throw planError(SqlState.datatypeMismatch, 'array subscript must have type integer', leftmostLocation(sub.uidx))
      }
      const subscript = this.coerce(index, T.int4, true)
      const fromOne: Expr = zeroBased ? { kind: 'Binary', op: '+', left: subscript, right: lit(1, T.int4), type: T.int4 } : subscript
      e = { kind: 'Call', fn: '__array_subscript', args: [e, fromOne], type: e.type.element, volatility: 'immutable' }
    }
    return e
  }

  private bindCase(c: N, scope: Scope, ctx: AggContext | null): Expr {
    const operand = c.arg ? this.bindExpr(c.arg, scope, ctx) : null
    const whens: { when: Expr; then: Expr }[] = []
    for (const w of c.args as N[]) {
      const wb = nodeBody<N>(w)
      const cond = operand ? this.comparison('=', operand, this.bindExpr(wb.expr, scope, ctx)) : this.bindPredicate(wb.expr, scope, ctx, 'CASE/WHEN')
      whens.push({ when: cond, then: this.bindExpr(wb.result, scope, ctx) })
    }
    const otherwise = c.defresult ? this.bindExpr(c.defresult, scope, ctx) : lit(null, T.null)
    const t = commonType([...whens.map((w) => exprTypeOrNull(w.then)), exprTypeOrNull(otherwise)], 'CASE')
    return {
      kind: 'Case',
      whens: whens.map((w) => ({ when: w.when, then: this.coerce(w.then, t) })),
      otherwise: this.coerce(otherwise, t),
      type: t,
    }
  }

  private bindSubLink(s: N, scope: Scope, ctx: AggContext | null): Expr {
    const inner = new Scope(scope)
    const plan = this.bindSelect(nodeBody<N>(s.subselect), inner)
    const outerRefs = [...collectOuterRefs(plan)]
    switch (s.subLinkType) {
      case 'EXISTS_SUBLINK':
        return { kind: 'Subquery', subKind: 'exists', plan, outerRefs, type: T.bool }
      case 'EXPR_SUBLINK': {
        if (plan.fields.length !== 1) throw planError(SqlState.syntaxError, 'subquery must return only one column')
        const t = plan.fields[0]!.type
        return { kind: 'Subquery', subKind: 'scalar', plan, outerRefs, type: t.id === 'unknown' ? T.text : t }
      }
      case 'ANY_SUBLINK':
      case 'ALL_SUBLINK':
      case 'ROWCOMPARE_SUBLINK': {
        const op = s.operName ? stringValue(s.operName[s.operName.length - 1]) : '='
        const pos = locOf(s)
        if (nodeTag(s.testexpr) === 'RowExpr' || s.subLinkType === 'ROWCOMPARE_SUBLINK') return this.rowSubLink(s, plan, outerRefs, op, scope, ctx, pos)
        if (plan.fields.length !== 1) throw planError(SqlState.syntaxError, plan.fields.length > 1 ? 'subquery has too many columns' : 'subquery has too few columns', pos)
        const test = this.bindExpr(s.testexpr, scope, ctx)
        const f = plan.fields[0]!
        const probe = COMPARISONS.has(op) ? this.comparison(op, test, colOf(f), pos) : this.operator(op, test, colOf(f), pos)
        if (probe.type.id !== 'bool') throw planError(SqlState.datatypeMismatch, `row comparison operator must yield type boolean, not type ${typeName(probe.type)}`, pos)
        if (probe.kind !== 'Binary') throw new NotImplementedError(`operator ${op} with ANY/ALL subquery`, pos)
        const sub = this.castPlan(plan, [probe.right.type])
        return {
          kind: 'Subquery',
          subKind: s.subLinkType === 'ANY_SUBLINK' ? 'any' : 'all',
          plan: sub,
          testExpr: probe.left,
          op: probe.op,
          outerRefs,
          type: T.bool,
        }
      }
      case 'ARRAY_SUBLINK': {
        if (plan.fields.length !== 1) throw planError(SqlState.syntaxError, 'subquery must return only one column')
        const t = plan.fields[0]!.type
        return { kind: 'Subquery', subKind: 'array', plan, outerRefs, type: arrayType(t.id === 'unknown' ? T.text : t) }
      }
      default:
        throw new NotImplementedError(`subquery kind ${s.subLinkType} is not supported`)
    }
  }

  /**
   * row(a, b) op ANY / ALL (SELECT x, y …), and row(a, b) op (SELECT x, y …) (at most one row):
   * the test row is a `__row` call of its elements, each brought to the type of its subquery
   * column; op is a comparison, applied to rows as PostgreSQL does (exec/subqueries.ts).
   */
  private rowSubLink(s: N, plan: LogicalPlan, outerRefs: number[], op: string, scope: Scope, ctx: AggContext | null, pos?: number): Expr {
    const cmp = op === '!=' ? '<>' : op
    if (!COMPARISONS.has(cmp)) throw new NotImplementedError(`row comparison with operator ${op} is not supported`, pos)
    const elems = nodeTag(s.testexpr) === 'RowExpr' ? ((nodeBody<N>(s.testexpr).args ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx)) : [this.bindExpr(s.testexpr, scope, ctx)]
    if (elems.length !== plan.fields.length) {
      throw planError(SqlState.syntaxError, elems.length < plan.fields.length ? 'subquery has too many columns' : 'subquery has too few columns', pos)
    }
    const pairs = elems.map((e, k) => this.unify(e, colOf(plan.fields[k]!), cmp, pos))
    const sub = this.castPlan(plan, pairs.map((p) => p[1].type))
    const row: Expr = { kind: 'Call', fn: '__row', args: pairs.map((p) => p[0]), type: T.text, volatility: 'immutable' }
    return {
      kind: 'Subquery',
      subKind: s.subLinkType === 'ANY_SUBLINK' ? 'any' : s.subLinkType === 'ALL_SUBLINK' ? 'all' : 'row',
      plan: sub,
      testExpr: row,
      op: cmp as BinaryOp,
      outerRefs,
      type: T.bool,
    }
  }

  private bindSqlValueFunction(op: string): Expr {
    const call = (fn: string, type: SqlType): Expr => ({ kind: 'Call', fn, args: [], type, volatility: 'stable' })
    switch (op) {
      case 'SVFOP_CURRENT_DATE':
        return { kind: 'Cast', arg: call('now', T.timestamptz), type: T.date }
      case 'SVFOP_CURRENT_TIMESTAMP':
      case 'SVFOP_CURRENT_TIMESTAMP_N':
        return call('now', T.timestamptz)
      case 'SVFOP_LOCALTIMESTAMP':
      case 'SVFOP_LOCALTIMESTAMP_N':
        return { kind: 'Cast', arg: call('now', T.timestamptz), type: T.timestamp }
      case 'SVFOP_CURRENT_TIME':
      case 'SVFOP_CURRENT_TIME_N':
      case 'SVFOP_LOCALTIME':
      case 'SVFOP_LOCALTIME_N':
        return { kind: 'Cast', arg: call('now', T.timestamptz), type: T.time }
      case 'SVFOP_CURRENT_ROLE':
      case 'SVFOP_CURRENT_USER':
      case 'SVFOP_USER':
      case 'SVFOP_SESSION_USER':
        return lit(this.env.user, T.name)
      case 'SVFOP_CURRENT_CATALOG':
        return lit(this.env.database, T.name)
      case 'SVFOP_CURRENT_SCHEMA':
        return lit('public', T.name)
      default:
        throw new NotImplementedError(`${op} is not supported`)
    }
  }

  private bindFuncCall(f: N, scope: Scope, ctx: AggContext | null): Expr {
    const names = (f.funcname as N[]).map((n) => stringValue(n))
    const name = names[names.length - 1]!.toLowerCase()
    const pos = locOf(f)
    if (f.over) return this.bindWindowCall(name, f, scope, ctx, pos)
    if (AGGREGATES.has(name) && (names.length === 1 || names[0] === 'pg_catalog')) return this.bindAggregate(name, f, scope, ctx, pos)
    if (WINDOW_FUNCTIONS.has(name)) throw planError('42809', `window function ${name} requires an OVER clause`, pos)
    if (f.agg_star) throw planError(SqlState.wrongObjectType, `${name}(*) specified, but ${name} is not an aggregate function`, pos)
    if (f.agg_distinct || f.agg_order || f.agg_filter) {
      throw planError(SqlState.wrongObjectType, `DISTINCT specified, but ${name} is not an aggregate function`, pos)
    }
    if (SET_RETURNING_FUNCTIONS.has(name) && lookupFunctions(name).length === 0) return this.bindSetFunction(name, f, scope, ctx, pos)
    const args = ((f.args ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx))
    switch (name) {
      case 'coalesce':
      case 'greatest':
      case 'least': {
        const t = commonType(args.map(exprTypeOrNull), name.toUpperCase())
        return { kind: 'Call', fn: name, args: args.map((a) => this.coerce(a, t)), type: t, volatility: 'immutable' }
      }
      case 'nullif':
        return this.nullif(args[0]!, args[1]!)
      case 'pg_typeof':
        // the type's name, as a regtype value prints
        return lit(typeName(args[0]!.type.id === 'unknown' ? T.unknown : args[0]!.type), T.text)
      case 'extract':
        return this.call('extract', args, pos)
      case 'like_escape':
        return { kind: 'Call', fn: 'like_escape', args, type: T.text, volatility: 'immutable' }
      case 'nextval':
      case 'currval':
      case 'setval':
        if (args.length > 0) args[0] = this.sequenceArg(args[0]!, pos)
        break
    }
    // a call of a type's name with one argument and no such function is a cast: date('2021-03-01')
    if (args.length === 1 && lookupFunctions(name).length === 0) {
      const t = typeFromName(name, [], 0)
      if (t && t.id !== 'array') return this.coerce(args[0]!, t, true, pos)
    }
    return this.call(name, args, pos)
  }

  /**
   * NULLIF(a, b): the value and type of `a` (PostgreSQL's rule), NULL where a = b compared in their
   * common type. Arguments: a, then a and b brought to that type.
   */
  /** A sequence function's regclass argument as the sequence's OID (a constant: the sequence is resolved now). */
  private sequenceArg(arg: Expr, pos?: number): Expr {
    const e = this.coerce(arg, T.regclass, true, pos)
    if (e.kind !== 'Literal') throw new NotImplementedError('the sequence of nextval/currval/setval must be a constant', pos)
    if (e.value === null) return lit(null, T.int8)
    const rel = [...this.env.catalog.relations.values()].find((r) => relationOid(r) === e.value)
    if (rel?.kind !== 'sequence') throw planError(SqlState.wrongObjectType, `"${rel ? relationName(rel) : String(e.value)}" is not a sequence`)
    return lit(rel.oid, T.int8)
  }

  private nullif(a: Expr, b: Expr): Expr {
    const [ca, cb] = this.unify(a, b, '=')
    // the value is `a` as the chosen = operator takes it: promoted unless = exists for both types as they are
    const keepsType = a.type.id === b.type.id || CROSS_TYPE_EQUALS.has(`${a.type.id}>${b.type.id}`) || b.type.id === 'unknown' || b.type.id === 'null'
    // a promoted value is plain numeric: the = operator takes numeric without a scale
    const promoted = ca.type.id === 'numeric' && a.type.id !== 'unknown' && a.type.id !== 'null' ? this.coerce(a, T.numeric) : ca
    const value = a.type.id === 'unknown' || a.type.id === 'null' ? ca : keepsType ? a : promoted
    return { kind: 'Call', fn: 'nullif', args: [value, ca, cb], type: value.type.id === 'unknown' ? T.text : value.type, volatility: 'immutable' }
  }

  /** An operator a registry function implements: PostgreSQL's "operator does not exist" when no overload fits. */
  private operatorCall(op: string, fn: string, args: Expr[], pos?: number): Expr {
    // PostgreSQL first tries an untyped operand as the other operand's type
    const untyped = (e: Expr): boolean => e.type.id === 'unknown' || e.type.id === 'null'
    if (args.length === 2 && untyped(args[0]!) !== untyped(args[1]!)) {
      const known = untyped(args[0]!) ? args[1]! : args[0]!
      const typed = args.map((a) => (untyped(a) ? known.type : a.type))
      if (lookupFunctions(fn).some((f) => f.resolve(typed) && !f.resolve(typed)!.ambiguous)) args = args.map((a) => (untyped(a) ? this.coerce(a, known.type) : a))
    }
    const argTypes = args.map((a) => (a.type.id === 'unknown' || a.type.id === 'null' ? null : a.type))
    if (!lookupFunctions(fn).some((f) => f.resolve(argTypes))) {
      const shown = args.map((a) => (a.type.id === 'null' ? 'unknown' : typeName(a.type)))
      const sig = shown.length === 1 ? `${op} ${shown[0]}` : `${shown[0]} ${op} ${shown[1]}`
      throw planError(SqlState.undefinedFunction, `operator does not exist: ${sig}`, pos)
    }
    return this.call(fn, args, pos)
  }

  /** A registry function call with argument types resolved and cast. */
  call(name: string, args: Expr[], pos?: number): Expr {
    const candidates = lookupFunctions(name)
    const argTypes = args.map((a) => (a.type.id === 'unknown' || a.type.id === 'null' ? null : a.type))
    for (const fn of candidates) {
      const r = fn.resolve(argTypes)
      if (!r) continue
      if (r.ambiguous) {
        const sig = args.map((a) => (a.type.id === 'unknown' || a.type.id === 'null' ? 'unknown' : typeName(a.type))).join(', ')
        throw new PlanError(SqlState.ambiguousFunction, `function ${name}(${sig}) is not unique`, {
          ...(pos !== undefined ? { position: pos } : {}),
          hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
        })
      }
      const cast = args.map((a, i) => (r.args[i] ? this.coerce(a, r.args[i]!, true) : a))
      return { kind: 'Call', fn: name, args: cast, type: r.ret, volatility: fn.volatility }
    }
    const sig = args.map((a) => (a.type.id === 'unknown' ? 'unknown' : typeName(a.type))).join(', ')
    throw planError(SqlState.undefinedFunction, `function ${name}(${sig}) does not exist`, pos)
  }

  private bindAggregate(name: string, f: N, scope: Scope, ctx: AggContext | null, pos?: number): Expr {
    // (where this level allows no aggregates, one over outer columns only may still belong to an outer level: addAggregate checks)
    if (!ctx) throw planError(SqlState.groupingError, 'aggregate functions are not allowed in this context', pos)
    if (ctx.insideAgg) throw planError(SqlState.groupingError, 'aggregate function calls cannot be nested', pos)
    if (name === 'count' && !f.agg_star && !f.args?.length) throw planError(SqlState.wrongObjectType, 'count(*) must be used to call a parameterless aggregate function', pos)
    ctx.insideAgg = true
    // a set-returning function in the arguments is refused as such, even inside CASE or COALESCE
    const outerSrfBan = this.srfBan
    this.srfBan = null
    let args: Expr[]
    let orderBy: SortKey[] = []
    let filter: Expr | null = null
    try {
      args = f.agg_star ? [] : ((f.args ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx))
      if (f.agg_within_group) {
        // percentile_cont(0.5) WITHIN GROUP (ORDER BY x): the ordered values become arguments
        orderBy = (f.agg_order as N[]).map((s) => {
          const sb = nodeBody<N>(s)
          return this.sortKey(this.bindExpr(sb.node, scope, ctx), sb)
        })
        args = [...args, ...orderBy.map((k) => k.expr)]
      } else if (f.agg_order) {
        orderBy = (f.agg_order as N[]).map((s) => {
          const sb = nodeBody<N>(s)
          return this.sortKey(this.bindExpr(sb.node, scope, ctx), sb)
        })
      }
      if (f.agg_filter) filter = this.banWindows(ctx, 'FILTER', () => this.bindPredicate(f.agg_filter, scope, ctx, 'FILTER'))
    } finally {
      ctx.insideAgg = false
      this.srfBan = outerSrfBan
    }
    const fn = canonicalAggregate(name)
    let call: AggregateCall
    if (ORDERED_SET_AGGREGATES.has(fn)) {
      if (!f.agg_within_group) throw planError(SqlState.wrongObjectType, `WITHIN GROUP is required for ordered-set aggregate ${name}`, pos)
      resolveAggregate(fn, args.map(exprTypeOrNull), pos)
      if (args[0]!.type.id === 'array') throw new NotImplementedError(`${fn} with an array of fractions is not supported yet`, pos)
      const key = args[args.length - 1]!
      const fraction = args.slice(0, -1).map((a) => this.coerce(a, T.float8))
      const ret = fn === 'percentile_cont' ? (key.type.id === 'interval' ? T.interval : T.float8) : key.type
      const keyArg = fn === 'percentile_cont' && key.type.id !== 'interval' ? this.coerce(key, T.float8) : key
      call = { fn, args: [...fraction, keyArg], distinct: false, filter, orderBy, type: ret }
    } else {
      const r = resolveAggregate(name, args.map(exprTypeOrNull), pos)
      const cast = args.map((a, i) => this.coerce(a, r.args[i] ?? a.type, true))
      call = { fn, args: cast, distinct: !!f.agg_distinct, filter, orderBy, type: r.ret }
    }
    const level = this.outerAggregateLevel(call, scope, pos)
    if (level) return { kind: 'OuterRef', id: this.addAggregate(level.ctx, outerCall(call, level.scope), pos), name: fn, type: call.type }
    return { kind: 'Column', id: this.addAggregate(ctx, call, pos), name: fn, type: call.type }
  }

  /** Adds an aggregate call to a query level (once per distinct call) and returns its output id. */
  private addAggregate(ctx: AggContext, call: AggregateCall, pos?: number): number {
    if (ctx.disallow !== null) throw planError(SqlState.groupingError, `aggregate functions are not allowed in ${ctx.disallow}`, pos)
    const key = exprKeyOf(call)
    const existing = ctx.aggs.find((a) => a.key === key)
    if (existing) return existing.id
    const id = this.newId()
    ctx.aggs.push({ call, id, key })
    return id
  }

  /**
   * The enclosing query level an aggregate belongs to when its arguments reference only outer
   * columns (PostgreSQL's rule: the nearest level whose columns it uses), or null for this level.
   * `SELECT (SELECT sum(t.x)) FROM t` sums t.x in the outer query.
   */
  private outerAggregateLevel(call: AggregateCall, scope: Scope, pos?: number): { scope: Scope; ctx: AggContext } | null {
    const exprs = [...call.args, ...(call.filter ? [call.filter] : []), ...call.orderBy.map((k) => k.expr)]
    let local = false
    const outer = new Set<number>()
    for (const e of exprs) {
      visitExpr(e, (x) => {
        if (x.kind === 'Column') local = true
        else if (x.kind === 'OuterRef') outer.add(x.id)
        else if (x.kind === 'Subquery') for (const id of x.outerRefs) outer.add(id)
      })
    }
    if (local || outer.size === 0) return null
    let s: Scope | null = scope
    while (s) {
      if (s.allFieldIds().some((id) => outer.has(id))) break
      s = s.parent
    }
    // references to this level itself (through a nested subquery) keep the aggregate here
    if (!s || s === scope) return null
    const ctx = this.levelAggs.get(s)
    if (!ctx) throw planError(SqlState.groupingError, 'aggregate functions are not allowed in FROM clause of their own query level', pos)
    if (ctx.insideAgg) throw planError(SqlState.groupingError, 'aggregate function calls cannot be nested', pos)
    return { scope: s, ctx }
  }

  /** Per query level (its FROM scope), the aggregates and windows of its SELECT (absent while binding FROM). */
  private readonly levelAggs = new WeakMap<Scope, AggContext>()

  /** Binds with window functions banned; `where` names the place for PostgreSQL's message. */
  private banWindows<R>(ctx: AggContext, where: string, bind: () => R): R {
    const saved = ctx.windowsBanned
    ctx.windowsBanned = where
    try {
      return bind()
    } finally {
      ctx.windowsBanned = saved
    }
  }

  private bindWindowCall(name: string, f: N, scope: Scope, ctx: AggContext | null, pos?: number): Expr {
    if (!ctx || ctx.disallow !== null) throw planError(SqlState.windowingError, `window functions are not allowed in ${ctx?.disallow ?? 'this context'}`, pos)
    if (ctx.windowsBanned === NESTED_WINDOW) throw planError(SqlState.windowingError, 'window function calls cannot be nested', pos)
    if (ctx.windowsBanned !== null) throw planError(SqlState.windowingError, `window functions are not allowed in ${ctx.windowsBanned}`, pos)
    if (ctx.insideAgg) throw planError(SqlState.groupingError, 'aggregate function calls cannot contain window function calls', pos)
    if (ORDERED_SET_AGGREGATES.has(name)) throw planError(SqlState.wrongObjectType, `OVER is not supported for ordered-set aggregate ${name}`, pos)
    if (f.agg_order) throw planError(SqlState.featureNotSupported, 'aggregate ORDER BY is not implemented for window functions', pos)
    if (f.agg_distinct) throw planError(SqlState.featureNotSupported, 'DISTINCT is not implemented for window functions', pos)
    const def = resolveOver(f.over, ctx.windowDefs)
    const args = this.banWindows(ctx, NESTED_WINDOW, () => (f.agg_star ? [] : ((f.args ?? []) as N[]).map((a) => this.bindExpr(a, scope, ctx))))
    const [partitionBy, orderBy] = this.banWindows(ctx, 'window definitions', () => [
      ((def.partitionClause ?? []) as N[]).map((p) => this.bindExpr(p, scope, ctx)),
      ((def.orderClause ?? []) as N[]).map((s) => {
        const sb = nodeBody<N>(s)
        return this.sortKey(this.bindExpr(sb.node, scope, ctx), sb)
      }),
    ] as const)
    const filter = f.agg_filter ? this.banWindows(ctx, 'FILTER', () => this.bindPredicate(f.agg_filter, scope, ctx, 'FILTER')) : null
    let type: SqlType
    let castArgs = args
    if (AGGREGATES.has(name)) {
      const r = resolveAggregate(name, args.map(exprTypeOrNull), pos)
      castArgs = args.map((a, i) => this.coerce(a, r.args[i] ?? a.type, true))
      type = r.ret
      name = canonicalAggregate(name)
    } else if (WINDOW_FUNCTIONS.has(name)) {
      if (f.agg_filter) throw planError(SqlState.featureNotSupported, 'FILTER is not implemented for non-aggregate window functions', pos)
      // lag/lead(anycompatible, integer, anycompatible): the value and the default share a type
      const argTypes = args.map(exprTypeOrNull)
      if ((name === 'lag' || name === 'lead') && args.length === 3 && (argTypes[0] || argTypes[2])) argTypes[0] = commonType([argTypes[0]!, argTypes[2]!], name)
      type = resolveWindowFunction(name, argTypes, pos)
      if ((name === 'lag' || name === 'lead') && args.length >= 2) {
        castArgs = [this.coerce(args[0]!, type), this.coerce(args[1]!, T.int4), ...(args[2] ? [this.coerce(args[2], type)] : [])]
      }
      if (name === 'ntile' || name === 'nth_value') castArgs = name === 'ntile' ? [this.coerce(args[0]!, T.int4)] : [args[0]!, this.coerce(args[1]!, T.int4)]
    } else {
      throw planError(SqlState.wrongObjectType, `OVER specified, but ${name} is not a window function nor an aggregate function`, pos)
    }
    const frame = this.bindFrame(def, scope, ctx, orderBy)
    const call: WindowCall = { fn: name, args: castArgs, partitionBy, orderBy, frame, filter, type }
    const key = exprKeyOf(call)
    const existing = ctx.windows.find((w) => w.key === key)
    if (existing) return { kind: 'Column', id: existing.id, name, type }
    const id = this.newId()
    ctx.windows.push({ call, id, key })
    return { kind: 'Column', id, name, type }
  }

  private bindFrame(def: WindowSpec, scope: Scope, ctx: AggContext, orderBy: SortKey[]): WindowCall['frame'] {
    const o = def.frameOptions
    // frame option bits from PostgreSQL's parsenodes.h
    const NONDEFAULT = 0x1
    const RANGE = 0x2
    const ROWS = 0x4
    const GROUPS = 0x8
    const START_UNBOUNDED_PRECEDING = 0x20
    const END_UNBOUNDED_PRECEDING = 0x40
    const START_UNBOUNDED_FOLLOWING = 0x80
    const END_UNBOUNDED_FOLLOWING = 0x100
    const START_CURRENT_ROW = 0x200
    const END_CURRENT_ROW = 0x400
    const START_OFFSET_PRECEDING = 0x800
    const END_OFFSET_PRECEDING = 0x1000
    const START_OFFSET_FOLLOWING = 0x2000
    const END_OFFSET_FOLLOWING = 0x4000
    const EXCLUDE_CURRENT_ROW = 0x8000
    const EXCLUDE_GROUP = 0x10000
    const EXCLUDE_TIES = 0x20000
    if (!(o & NONDEFAULT)) {
      return {
        mode: 'range',
        start: { kind: 'unbounded_preceding' },
        end: orderBy.length ? { kind: 'current_row' } : { kind: 'unbounded_following' },
        exclude: 'no_others',
      }
    }
    const mode = o & ROWS ? 'rows' : o & GROUPS ? 'groups' : 'range'
    void RANGE
    const modeName = mode.toUpperCase()
    if (mode === 'groups' && orderBy.length === 0) throw planError(SqlState.windowingError, 'GROUPS mode requires an ORDER BY clause')
    const hasOffset = (o & (START_OFFSET_PRECEDING | END_OFFSET_PRECEDING | START_OFFSET_FOLLOWING | END_OFFSET_FOLLOWING)) !== 0
    if (mode === 'range' && hasOffset && orderBy.length !== 1) {
      throw planError(SqlState.windowingError, 'RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column')
    }
    const offset = (n: N | undefined): Expr | undefined => {
      if (!n) return undefined
      const saved = ctx.disallow
      ctx.disallow = `window ${modeName}`
      let e: Expr
      try {
        e = this.bindExpr(n, scope, ctx)
      } finally {
        ctx.disallow = saved
      }
      const at = locOf(nodeBody<N>(n))
      if (columnIds(e).size > 0) throw planError(SqlState.invalidColumnReference, `argument of ${modeName} must not contain variables`, at)
      return mode === 'range' ? this.rangeOffset(e, orderBy[0]!.expr.type, at) : this.rowsOffset(e, modeName, at)
    }
    const bound = (unbPre: number, unbFol: number, cur: number, offPre: number, offFol: number, off: N | undefined): FrameBound => {
      if (o & unbPre) return { kind: 'unbounded_preceding' }
      if (o & unbFol) return { kind: 'unbounded_following' }
      if (o & cur) return { kind: 'current_row' }
      if (o & offPre) return { kind: 'preceding', offset: offset(off)! }
      if (o & offFol) return { kind: 'following', offset: offset(off)! }
      return { kind: 'current_row' }
    }
    const start = bound(START_UNBOUNDED_PRECEDING, START_UNBOUNDED_FOLLOWING, START_CURRENT_ROW, START_OFFSET_PRECEDING, START_OFFSET_FOLLOWING, def.startOffset)
    const end = bound(END_UNBOUNDED_PRECEDING, END_UNBOUNDED_FOLLOWING, END_CURRENT_ROW, END_OFFSET_PRECEDING, END_OFFSET_FOLLOWING, def.endOffset)
    const exclude = o & EXCLUDE_CURRENT_ROW ? 'current_row' : o & EXCLUDE_GROUP ? 'group' : o & EXCLUDE_TIES ? 'ties' : 'no_others'
    return { mode, start, end, exclude }
  }

  /** A ROWS or GROUPS offset: a bigint (assignment cast, as PostgreSQL's coerce_to_specific_type). */
  private rowsOffset(e: Expr, modeName: string, pos?: number): Expr {
    if (e.type.id !== 'unknown' && e.type.id !== 'null' && !isNumeric(e.type)) {
      throw planError(SqlState.datatypeMismatch, `argument of ${modeName} must be type bigint, not type ${typeName(e.type)}`, pos)
    }
    return this.coerce(e, T.int8, true, pos)
  }

  /**
   * A RANGE offset for an ORDER BY column of type `col`: PostgreSQL's in_range support, for the
   * numeric types Flint compares numerically (an untyped offset takes the column's type).
   */
  private rangeOffset(e: Expr, col: SqlType, pos?: number): Expr {
    const datetime = col.id === 'date' || col.id === 'timestamp' || col.id === 'timestamptz'
    if (!isNumeric(col) && !datetime) {
      if (['time', 'timetz', 'interval'].includes(col.id)) throw new NotImplementedError(`RANGE with offset PRECEDING/FOLLOWING for column type ${typeName(col)} is not supported yet`)
      throw planError(SqlState.featureNotSupported, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${typeName(col)}`, pos)
    }
    if (e.type.id === 'unknown' || e.type.id === 'null') return this.coerce(e, datetime ? T.interval : col, false, pos)
    // integer columns take integer offsets; float columns float8; numeric columns numeric; dates and timestamps intervals
    const target = datetime ? (e.type.id === 'interval' ? T.interval : null) : isInteger(col) ? (isInteger(e.type) ? e.type : null) : col.id === 'numeric' ? T.numeric : T.float8
    if (!target || !implicitCastOk(e.type, target)) {
      throw new PlanError(SqlState.featureNotSupported, `RANGE with offset PRECEDING/FOLLOWING is not supported for column type ${typeName(col)} and offset type ${typeName(e.type)}`, {
        ...(pos !== undefined ? { position: pos } : {}),
        hint: 'Cast the offset value to an appropriate type.',
      })
    }
    return this.coerce(e, target, false, pos)
  }
}

// ───────────────────────────── helpers ─────────────────────────────

/** A column expression for a field. */
export const colOf = (f: Field): Expr => ({ kind: 'Column', id: f.id, name: f.name, type: f.type })

/** A stable structural key of an expression (for matching GROUP BY and ORDER BY expressions). */
export const exprKey = (e: Expr): string => jsonKey(e)
const exprKeyOf = (x: unknown): string => jsonKey(x)

/** The comparison operators (they apply to rows too). */
const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '<=', '>', '>='])

/** An aggregate call moved to the query level of `scope`: its references to that level become plain columns. */
function outerCall(call: AggregateCall, scope: Scope): AggregateCall {
  const ids = new Set(scope.allFieldIds())
  const fix = (e: Expr): Expr => mapExpr(e, (x) => (x.kind === 'OuterRef' && ids.has(x.id) ? colOf(x) : x))
  return { ...call, args: call.args.map(fix), filter: call.filter ? fix(call.filter) : null, orderBy: call.orderBy.map((k) => ({ ...k, expr: fix(k.expr) })) }
}

const exprTypeOrNull = (e: Expr): SqlType | null => (e.type.id === 'unknown' || e.type.id === 'null' ? null : e.type)
const untypedAsNull = (t: SqlType): SqlType | null => (t.id === 'unknown' || t.id === 'null' ? null : t)

function sourceOf(f: Field): { source?: { tableOid: number; columnNumber: number } } {
  return f.tableOid !== undefined && f.columnNumber !== undefined ? { source: { tableOid: f.tableOid, columnNumber: f.columnNumber } } : {}
}

function locOf(b: N): number | undefined {
  return typeof b?.location === 'number' && b.location >= 0 ? b.location + 1 : undefined
}

/** Position of the leftmost token of an expression node (a cast's operand comes before its `::`). */
function leftmostLocation(node: N): number | undefined {
  const b = nodeBody<N>(node)
  return nodeTag(node) === 'TypeCast' ? (leftmostLocation(b.arg) ?? locOf(b)) : locOf(b)
}

/** Prefix of a stored definition kept as PostgreSQL's raw parse tree in JSON (views, defaults). */
export const STORED_TREE = '/*flint-tree*/'

/** The raw tree of a stored definition (JSON form) or of SQL text. */
export function storedTree(text: string): Node {
  if (text.startsWith(STORED_TREE)) return JSON.parse(text.slice(STORED_TREE.length)) as Node
  return parseSql(text)[0]!.node
}

/** The integer value of an A_Const node (or undefined). */
/** PostgreSQL's = operators between two different types (pg_operator), which compare without promoting either side. */
const CROSS_TYPE_EQUALS: ReadonlySet<string> = new Set(
  'date>timestamp date>timestamptz float4>float8 float8>float4 int2>int4 int2>int8 int4>int2 int4>int8 int8>int2 int8>int4 name>text text>name timestamp>date timestamp>timestamptz timestamptz>date timestamptz>timestamp'.split(' '),
)


/** The integer value of an integer literal node, or undefined. */
export function constInt(node: N): number | undefined {
  if (!node || nodeTag(node) !== 'A_Const') return undefined
  const c = nodeBody<N>(node)
  if (c.ival !== undefined) return c.ival.ival ?? 0
  return undefined
}

/** The constant value of a bound expression if it is a literal (possibly under casts of literals). */
export function constantValue(e: Expr): Value | undefined {
  if (e.kind === 'Literal') return e.value
  if (e.kind === 'Cast' && e.arg.kind === 'Literal') {
    const v = e.arg.value
    if (v === null) return null
    if (e.type.id === 'int4' || e.type.id === 'int8' || e.type.id === 'int2' || e.type.id === 'float8') {
      const n = Number(v)
      return Number.isFinite(n) ? n : undefined
    }
    if (e.type.id === 'text' || e.type.id === 'varchar') return String(v)
    return undefined
  }
  return undefined
}

function normalizeNumericLiteral(text: string, scale: number): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text)
  if (!m) return text
  const exp = Number(m[4] ?? 0)
  let digits = (m[2] ?? '') + (m[3] ?? '')
  let pointPos = (m[2] ?? '').length + exp
  if (pointPos < 0) {
    digits = '0'.repeat(-pointPos) + digits
    pointPos = 0
  }
  while (digits.length < pointPos) digits += '0'
  let intPart = digits.slice(0, pointPos).replace(/^0+(?=\d)/, '') || '0'
  let frac = digits.slice(pointPos)
  frac = frac.padEnd(scale, '0').slice(0, scale)
  if (intPart === '') intPart = '0'
  return (m[1] === '-' ? '-' : '') + intPart + (scale > 0 ? '.' + frac : '')
}

function intervalUnit(mask: number): string | undefined {
  const units: [number, string][] = [
    [4, 'years'],
    [2, 'months'],
    [8, 'days'],
    [1024, 'hours'],
    [2048, 'minutes'],
    [4096, 'seconds'],
  ]
  // the least significant unit named by the mask wins (YEAR TO MONTH → months)
  let found: string | undefined
  for (const [bit, name] of units) if (mask & bit) found = name
  return found
}

function typeOutputName(t: SqlType, tn: N): string {
  const names = (tn.names as N[]).map((n) => stringValue(n)).filter((n) => n !== 'pg_catalog')
  const last = names[names.length - 1] ?? typeName(t)
  const map: Record<string, string> = {
    int4: 'int4',
    int8: 'int8',
    int2: 'int2',
    float8: 'float8',
    float4: 'float4',
    bool: 'bool',
    numeric: 'numeric',
    varchar: 'varchar',
    bpchar: 'bpchar',
    timestamp: 'timestamp',
    timestamptz: 'timestamptz',
    interval: 'interval',
  }
  return map[last] ?? last
}

function sqlValueFunctionName(op: string): string {
  const m: Record<string, string> = {
    SVFOP_CURRENT_DATE: 'current_date',
    SVFOP_CURRENT_TIME: 'current_time',
    SVFOP_CURRENT_TIME_N: 'current_time',
    SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
    SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
    SVFOP_LOCALTIME: 'localtime',
    SVFOP_LOCALTIME_N: 'localtime',
    SVFOP_LOCALTIMESTAMP: 'localtimestamp',
    SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
    SVFOP_CURRENT_ROLE: 'current_role',
    SVFOP_CURRENT_USER: 'current_user',
    SVFOP_USER: 'current_user',
    SVFOP_SESSION_USER: 'session_user',
    SVFOP_CURRENT_CATALOG: 'current_catalog',
    SVFOP_CURRENT_SCHEMA: 'current_schema',
  }
  return m[op] ?? '?column?'
}

function groupFieldName(e: Expr, i: number): string {
  return e.kind === 'Column' ? e.name : `__group${i}`
}

function findUnique(fields: readonly Field[], name: string, side: string): Field {
  const m = fields.filter((f) => f.name === name)
  if (m.length === 0) throw planError(SqlState.undefinedColumn, `column "${name}" specified in USING clause does not exist in ${side} table`)
  if (m.length > 1) throw planError(SqlState.ambiguousColumn, `common column name "${name}" appears more than once in ${side} table`)
  return m[0]!
}

function fieldsEqual(a: readonly Field[], b: readonly Field[]): boolean {
  return a.length === b.length && a.every((f, i) => f.name === b[i]!.name && f.relation === b[i]!.relation && f.id === b[i]!.id)
}

/** PostgreSQL's limits on grouping sets: the sets of one GROUP BY, and the elements of one CUBE. */
const MAX_GROUPING_SETS = 4096
const MAX_CUBE_ELEMENTS = 12

/**
 * The grouping columns a GROUP BY element stands for: a parenthesised row `(a, (b, c))` (not
 * `ROW(a, b)`) is its elements, flattened, as in PostgreSQL; anything else is itself.
 */
function implicitRowItems(n: N): N[] {
  if (nodeTag(n) !== 'RowExpr') return [n]
  const row = nodeBody<N>(n)
  if (row.row_format !== 'COERCE_IMPLICIT_CAST') return [n]
  return ((row.args ?? []) as N[]).flatMap(implicitRowItems)
}

/** Gives a plan new output names/relations (ids and types unchanged). */
function renameFields(plan: LogicalPlan, fields: readonly Field[]): LogicalPlan {
  return { ...plan, fields } as LogicalPlan
}

/** PostgreSQL types Flint does not have: naming one is 0A000, not "type does not exist". */
const UNSUPPORTED_TYPES = new Set(['timetz', 'money', 'inet', 'cidr', 'macaddr', 'macaddr8', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle', 'xml', 'bit', 'varbit', 'tsvector', 'tsquery', 'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange', 'pg_lsn', 'txid_snapshot'])

const isTemporalLike = (t: SqlType): boolean => t.id === 'date' || t.id === 'timestamp' || t.id === 'timestamptz' || t.id === 'time' || t.id === 'interval'

/** The internal function implementing a date/time arithmetic operator, if any. */
function temporalOperator(
  op: string,
  l: SqlType,
  r: SqlType,
): { name: string; type: SqlType; swap?: boolean; cast?: (SqlType | undefined)[] } | undefined {
  const L = l.id
  const R = r.id
  const isInt = (id: string): boolean => id === 'int2' || id === 'int4' || id === 'int8'
  if (L === 'date' && isInt(R) && (op === '+' || op === '-')) return { name: op === '+' ? 'date_pli' : 'date_mii', type: T.date, cast: [undefined, T.int4] }
  if (isInt(L) && R === 'date' && op === '+') return { name: 'date_pli', type: T.date, swap: true, cast: [undefined, T.int4] }
  if (L === 'date' && R === 'date' && op === '-') return { name: 'date_mi', type: T.int4 }
  const ts = (id: string): boolean => id === 'timestamp' || id === 'timestamptz' || id === 'date'
  if (ts(L) && R === 'interval' && (op === '+' || op === '-')) {
    const t = L === 'timestamptz' ? T.timestamptz : T.timestamp
    return { name: op === '+' ? 'timestamp_pl_interval' : 'timestamp_mi_interval', type: t, cast: [t, undefined] }
  }
  if (L === 'interval' && ts(R) && op === '+') {
    const t = R === 'timestamptz' ? T.timestamptz : T.timestamp
    return { name: 'timestamp_pl_interval', type: t, swap: true, cast: [t, undefined] }
  }
  if (ts(L) && ts(R) && op === '-' && !(L === 'date' && R === 'date')) {
    const t = L === 'timestamptz' || R === 'timestamptz' ? T.timestamptz : T.timestamp
    return { name: 'timestamp_mi', type: T.interval, cast: [t, t] }
  }
  if (L === 'interval' && R === 'interval' && (op === '+' || op === '-')) return { name: op === '+' ? 'interval_pl' : 'interval_mi', type: T.interval }
  if (L === 'interval' && isNumeric(r) && (op === '*' || op === '/')) return { name: op === '*' ? 'interval_mul' : 'interval_div', type: T.interval, cast: [undefined, T.float8] }
  if (isNumeric(l) && R === 'interval' && op === '*') return { name: 'interval_mul', type: T.interval, swap: true, cast: [undefined, T.float8] }
  if (L === 'date' && R === 'time' && op === '+') return { name: 'date_pl_time', type: T.timestamp }
  if (L === 'time' && R === 'interval' && (op === '+' || op === '-')) return { name: op === '+' ? 'time_pl_interval' : 'time_mi_interval', type: T.time }
  if (L === 'interval' && R === 'time' && op === '+') return { name: 'time_pl_interval', type: T.time, swap: true }
  if (L === 'time' && R === 'time' && op === '-') return { name: 'time_mi_time', type: T.interval }
  return undefined
}

/** PostgreSQL's implicit (and assignment-free) casts between the types Flint has. */
export function implicitCastOk(from: SqlType, to: SqlType): boolean {
  if (typeEquals(from, to)) return true
  const f = from.id
  const t = to.id
  const cf = typeCategory(from)
  const ct = typeCategory(to)
  if (cf === 'N' && ct === 'N') {
    const rank: Record<string, number> = { int2: 1, int4: 2, int8: 3, numeric: 4, float4: 5, float8: 6, oid: 2, regclass: 2, regtype: 2, regproc: 2 }
    if (f === 'numeric' && t === 'numeric') return true
    return (rank[f] ?? 0) <= (rank[t] ?? 0)
  }
  if (cf === 'S' && ct === 'S') return true
  if (f === 'date' && (t === 'timestamp' || t === 'timestamptz')) return true
  if (f === 'timestamp' && t === 'timestamptz') return true
  if (f === 'array' && t === 'array') return implicitCastOk((from as { element: SqlType }).element, (to as { element: SqlType }).element)
  return false
}

/** Whether an explicit cast exists (PostgreSQL's pg_cast entries plus I/O conversion through a string type). */
export function explicitCastOk(from: SqlType, to: SqlType): boolean {
  return from.id === 'unknown' || canCast(from, to, 'explicit')
}


/** Re-export for statement binding. */
export { conjuncts, columnIds, mapPlanExprs }
