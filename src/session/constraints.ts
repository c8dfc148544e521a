/**
 * Table constraints beyond NOT NULL and the primary key: PostgreSQL's generated constraint names,
 * CHECK expressions bound against a table's columns, and their enforcement on new rows.
 */
import { execError, planError, SqlState } from '../common/errors.js'
import type { ColumnDef, TableDef } from '../catalog/catalog.js'
import type { Batch } from '../common/vector.js'
import type { Expr } from '../logical/expr.js'
import type { Field } from '../logical/plan.js'
import { Scope } from '../binder/scope.js'
import { storedTree, type Binder } from '../binder/binder.js'
import { evaluate, type EvalEnv } from '../kernels/eval.js'
import { formatValue } from '../kernels/format.js'
import { T, typeName } from '../common/types.js'

/**
 * PostgreSQL's ChooseConstraintName: `<table>_<columns…>_<suffix>`, numbered (…1, …2) when the
 * name is taken; `taken` receives the chosen name.
 */
export function chooseConstraintName(table: string, columns: readonly string[], suffix: string, taken: Set<string>): string {
  const base = [table, ...columns, suffix].join('_')
  let name = base
  for (let n = 1; taken.has(name); n++) name = `${base}${n}`
  taken.add(name)
  return name
}

/** The scope of a CHECK expression: the table's columns, column i as field id i. */
function tableScope(table: string, columns: readonly ColumnDef[]): Scope {
  const scope = new Scope(null)
  const fields: Field[] = columns.map((c, i) => ({ id: i, name: c.name, type: c.type, relation: table }))
  scope.add({ alias: table, fields })
  return scope
}

/** Field ids (column indices) an expression reads, in first-use order. */
function columnsOf(e: Expr, out: number[] = []): number[] {
  if (e.kind === 'Column') {
    if (!out.includes(e.id)) out.push(e.id)
    return out
  }
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && 'kind' in x) columnsOf(x as Expr, out)
    if (v && typeof v === 'object' && !Array.isArray(v) && 'kind' in v && typeof (v as { kind: unknown }).kind === 'string') columnsOf(v as Expr, out)
  }
  return out
}

/** Whether a raw parse tree holds a node of one of the tags. */
function containsNode(node: unknown, tags: readonly string[]): boolean {
  if (Array.isArray(node)) return node.some((x) => containsNode(x, tags))
  if (!node || typeof node !== 'object') return false
  return Object.entries(node).some(([k, v]) => tags.includes(k) || containsNode(v, tags))
}

/**
 * Binds a CHECK expression against a table's columns (at CREATE TABLE and on each use): a boolean
 * without subqueries, aggregates or window functions (PostgreSQL's errors otherwise). Returns the
 * expression and the columns it reads.
 */
export function bindCheck(binder: Binder, table: string, columns: readonly ColumnDef[], exprSql: string): { expr: Expr; columns: number[] } {
  const tree = storedTree(exprSql)
  if (containsNode(tree, ['SubLink'])) throw planError(SqlState.featureNotSupported, 'cannot use subquery in check constraint')
  let expr: Expr
  try {
    expr = binder.bindExpr(tree, tableScope(table, columns), null)
  } catch (e) {
    if (e instanceof Error && /aggregate functions are not allowed/.test(e.message)) throw planError(SqlState.groupingError, 'aggregate functions are not allowed in check constraints')
    if (e instanceof Error && /window functions are not allowed/.test(e.message)) throw planError(SqlState.windowingError, 'window functions are not allowed in check constraints')
    throw e
  }
  if (expr.type.id === 'unknown') expr = binder.coerce(expr, T.bool, false)
  if (expr.type.id !== 'bool') throw planError(SqlState.datatypeMismatch, `argument of CHECK must be type boolean, not type ${typeName(expr.type)}`)
  return { expr, columns: columnsOf(expr) }
}

/**
 * 23514 when a row of `rows` (all columns of the table) makes a CHECK constraint false; constraints
 * are tried in name order, as PostgreSQL does.
 */
export function enforceChecks(binder: Binder, def: TableDef, rows: Batch, env: EvalEnv): void {
  if (!def.checks?.length || rows.numRows === 0) return
  const ordered = [...def.checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const check of ordered) {
    const { expr } = bindCheck(binder, def.name, def.columns, check.exprSql)
    const result = evaluate(expr, rows, env)
    const values = result.values
    const validity = result.validity
    for (let r = 0; r < rows.numRows; r++) {
      if (values[r] !== 0 || (validity && !((validity[r >> 3]! >> (r & 7)) & 1))) continue
      const row = rows.columns.map((v) => formatValue(v, r) ?? 'null').join(', ')
      throw execError(SqlState.checkViolation, `new row for relation "${def.name}" violates check constraint "${check.name}"`, `Failing row contains (${row}).`)
    }
  }
}
