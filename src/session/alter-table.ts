/**
 * ALTER TABLE and the table/column forms of ALTER … RENAME: each statement builds one new catalog
 * state (all sub-commands apply together or not at all), which the session publishes like other
 * DDL (privately until COMMIT inside a transaction).
 */
import { execError, ExecutionError, NotImplementedError, planError, SqlState } from '../common/errors.js'
import { relationKey, splitRelationKey, withRelation, type CatalogState, type ColumnDef, type Relation, type TableDef, type TableEntry } from '../catalog/catalog.js'
import { STORED_TREE, storedTree, type Binder } from '../binder/binder.js'
import { Scope } from '../binder/scope.js'
import { evaluate, type EvalEnv } from '../kernels/eval.js'
import { isNull, type Batch } from '../common/vector.js'
import { col, lit, type Expr } from '../logical/expr.js'
import { nodeBody, nodeTag, stringValue, type Node } from '../sql/parse.js'
import type { StatementResult } from './api.js'
import { duplicateKey, toShared } from './table-data.js'
import { bindCheck, chooseConstraintName } from './constraints.js'
import { referencingForeignKeys } from './foreign-keys.js'
import { checkDefault, relationNamesIn } from './session.js'
import { canCast } from '../kernels/cast.js'
import { T, typeName, type SqlType } from '../common/types.js'
import { valueAt } from '../common/value.js'
import type { Field } from '../logical/plan.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = any

/** What ALTER TABLE needs from the session running it. */
export interface AlterTableContext {
  /** A binder over `state`. */
  binder(state: CatalogState): Binder
  /** The evaluation environment of expressions over `state` (defaults, with its sequences). */
  evalEnv(state: CatalogState): EvalEnv
  /** The catalog key a name refers to (see Session.relationKeyOf). */
  relationKeyOf(state: CatalogState, rv: { schemaname?: string; relname: string }, creating: boolean): string
  notice(code: string, message: string): void
  /** A fresh object id (new constraints). */
  allocateOid(): number
}

/** The result of an ALTER statement: the new state and the command tag. */
export interface AlterOutcome {
  readonly state: CatalogState
  readonly result: StatementResult
}

const done = (state: CatalogState): AlterOutcome => ({ state, result: { kind: 'command', tag: 'ALTER TABLE' } })

/** The table an ALTER statement names (null with IF EXISTS when it does not exist, after a notice). */
function targetTable(ctx: AlterTableContext, state: CatalogState, rv: N, missingOk: boolean): { key: string; rel: TableEntry } | null {
  const key = ctx.relationKeyOf(state, rv, false)
  const rel = state.relations.get(key)
  if (!rel) {
    if (missingOk) {
      ctx.notice('00000', `relation "${rv.relname}" does not exist, skipping`)
      return null
    }
    throw planError(SqlState.undefinedTable, `relation "${rv.relname}" does not exist`)
  }
  if (rel.kind !== 'table') throw planError(SqlState.wrongObjectType, `"${rv.relname}" is not a table`)
  if (rel.def.external) throw new NotImplementedError(`table "${rv.relname}" is read-only (backed by files)`)
  return { key, rel }
}

type ViewEntry = Extract<Relation, { kind: 'view' }>

/** Views whose stored query reads the table (by name); ALTERs that would change what they read refuse them. */
function viewsReading(state: CatalogState, table: string): { key: string; view: ViewEntry }[] {
  const out: { key: string; view: ViewEntry }[] = []
  for (const [key, rel] of state.relations) {
    if (rel.kind === 'view' && mentionsRelation(storedTree(rel.sql), table)) out.push({ key, view: rel })
  }
  return out
}

/** Views reading the table's column (null: reading it with `*`). */
const viewsReadingColumn = (state: CatalogState, table: string, column: string | null): { key: string; view: ViewEntry }[] =>
  viewsReading(state, table).filter((v) => mentionsColumn(storedTree(v.view.sql), column))

function mentionsRelation(node: unknown, table: string): boolean {
  if (Array.isArray(node)) return node.some((x) => mentionsRelation(x, table))
  if (!node || typeof node !== 'object') return false
  const rv = (node as { RangeVar?: { relname?: string } }).RangeVar
  if (rv?.relname === table) return true
  return Object.values(node).some((v) => mentionsRelation(v, table))
}

/** Whether a stored query names the column (or selects `*`, which reads every column; null: whether it selects `*`). */
function mentionsColumn(node: unknown, column: string | null): boolean {
  if (Array.isArray(node)) return node.some((x) => mentionsColumn(x, column))
  if (!node || typeof node !== 'object') return false
  for (const [k, v] of Object.entries(node)) {
    if (k === 'ColumnRef') {
      const fields = ((v as { fields?: Node[] }).fields ?? [])
      const last = fields[fields.length - 1]
      if (last && (nodeTag(last) === 'A_Star' || stringValue(last) === column)) return true
    } else if (mentionsColumn(v, column)) return true
  }
  return false
}

/** Whether a raw parse tree holds a subquery. */
function containsSubquery(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(containsSubquery)
  if (!node || typeof node !== 'object') return false
  return Object.entries(node).some(([k, v]) => k === 'SubLink' || containsSubquery(v))
}

/** A stored expression with column references to `from` renamed to `to`. */
function renameInTree(sql: string, from: string, to: string): string {
  const rename = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rename)
    if (!node || typeof node !== 'object') return node
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      if (k === 'ColumnRef') {
        const fields = [...(((v as { fields?: Node[] }).fields ?? []) as Node[])]
        const last = fields[fields.length - 1]
        if (last && nodeTag(last) === 'String' && stringValue(last) === from) fields[fields.length - 1] = { String: { sval: to } } as unknown as Node
        out[k] = { ...(v as object), fields }
      } else out[k] = rename(v)
    }
    return out
  }
  return STORED_TREE + JSON.stringify(rename(storedTree(sql)))
}

/** Whether a stored expression reads the column. */
const exprReads = (sql: string, column: string): boolean => mentionsColumn(storedTree(sql), column)

/** The working table of one ALTER TABLE statement: its definition and rows as the sub-commands leave them. */
interface Working {
  def: TableDef
  data: TableEntry['data']
  state: CatalogState
}

function columnIndex(def: TableDef, name: string): number {
  const i = def.columns.findIndex((c) => c.name === name)
  if (i < 0) throw planError(SqlState.undefinedColumn, `column "${name}" of relation "${def.name}" does not exist`)
  return i
}

const withColumn = (def: TableDef, i: number, c: ColumnDef): TableDef => ({ ...def, columns: def.columns.map((x, k) => (k === i ? c : x)) })

/** 23502 when column `i` holds a NULL. */
function checkNoNulls(w: Working, i: number): void {
  for (const chunk of w.data.chunks) {
    const v = chunk.columns[i]!
    for (let r = 0; r < chunk.numRows; r++) {
      if (isNull(v, r)) throw execError(SqlState.notNullViolation, `column "${w.def.columns[i]!.name}" of relation "${w.def.name}" contains null values`)
    }
  }
}

/** The default of a new or altered column as stored text, after checking it binds to the column's type. */
function defaultSqlOf(binder: Binder, raw: N, c: ColumnDef): string {
  checkDefault(binder, raw, c.type)
  return STORED_TREE + JSON.stringify(raw)
}

function addColumn(ctx: AlterTableContext, w: Working, cmd: N, schema: string): void {
  const e = nodeBody<N>(cmd.def)
  if (w.def.columns.some((c) => c.name === e.colname)) {
    if (cmd.missing_ok) {
      ctx.notice('42701', `column "${e.colname}" of relation "${w.def.name}" already exists, skipping`)
      return
    }
    throw planError(SqlState.duplicateColumn, `column "${e.colname}" of relation "${w.def.name}" already exists`)
  }
  // a view's `*` stands for the columns it had when created; Flint re-expands it on each use
  const starViews = viewsReadingColumn(w.state, w.def.name, null)
  if (starViews.length) throw new NotImplementedError(`adding a column to table "${w.def.name}", which view "${starViews[0]!.view.name}" reads with *, is not supported`)
  const binder = ctx.binder(w.state)
  const typeNames = ((e.typeName?.names ?? []) as N[]).map(stringValue)
  if (['serial', 'serial4', 'serial2', 'smallserial', 'serial8', 'bigserial'].includes(typeNames[typeNames.length - 1] ?? '')) {
    throw new NotImplementedError('ALTER TABLE … ADD COLUMN of a serial column is not supported')
  }
  const type = binder.resolveTypeName(e.typeName)
  let column: ColumnDef = { name: e.colname, type, notNull: !!e.is_not_null, defaultSql: null }
  const keyAndChecks: N[] = []
  for (const c of (e.constraints ?? []) as N[]) {
    const con = nodeBody<N>(c)
    if (con.contype === 'CONSTR_NOTNULL') column = { ...column, notNull: true }
    else if (con.contype === 'CONSTR_NULL') column = { ...column, notNull: false }
    else if (con.contype === 'CONSTR_DEFAULT') column = { ...column, defaultSql: defaultSqlOf(binder, con.raw_expr, column) }
    else if (['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK'].includes(con.contype)) keyAndChecks.push(con.contype === 'CONSTR_CHECK' ? con : { ...con, keys: [{ String: { sval: e.colname } }] })
    else throw new NotImplementedError(`ALTER TABLE … ADD COLUMN with a ${String(con.contype).replace('CONSTR_', '')} constraint is not supported`)
  }
  // existing rows take the default (evaluated per row, as volatile defaults are) or NULL
  const expr = column.defaultSql === null ? lit(null, type) : binder.coerce(binder.bindExpr(storedTree(column.defaultSql), new Scope(null), null), type, true)
  const env = ctx.evalEnv(w.state)
  const chunks = w.data.chunks.map((chunk): Batch => ({ numRows: chunk.numRows, columns: [...chunk.columns, toShared(evaluate(expr, { numRows: chunk.numRows, columns: [] }, env))] }))
  w.def = { ...w.def, columns: [...w.def.columns, column] }
  w.data = { ...w.data, chunks }
  if (column.notNull) checkNoNulls(w, w.def.columns.length - 1)
  for (const con of keyAndChecks) addConstraint(ctx, w, con, schema)
}

function dropColumn(ctx: AlterTableContext, w: Working, cmd: N, tableKey: string): void {
  const name: string = cmd.name
  const i = w.def.columns.findIndex((c) => c.name === name)
  if (i < 0) {
    if (cmd.missing_ok) {
      ctx.notice('00000', `column "${name}" of relation "${w.def.name}" does not exist, skipping`)
      return
    }
    throw planError(SqlState.undefinedColumn, `column "${name}" of relation "${w.def.name}" does not exist`)
  }
  const dependents = viewsReadingColumn(w.state, w.def.name, name)
  if (dependents.length) {
    if (cmd.behavior !== 'DROP_CASCADE') {
      throw new ExecutionError(SqlState.dependentObjectsStillExist, `cannot drop column ${name} of table ${w.def.name} because other objects depend on it`, {
        detail: dependents.map((v) => `view ${v.view.name} depends on column ${name} of table ${w.def.name}`).join('\n'),
        hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
      })
    }
    for (const v of dependents) {
      ctx.notice('00000', `drop cascades to view ${v.view.name}`)
      w.state = withRelation(w.state, v.key, undefined)
    }
  }
  // indexes and constraints over the column go with it; the others' column numbers shift
  const remap = (cols: readonly number[]): number[] | null => (cols.includes(i) ? null : cols.map((c) => (c > i ? c - 1 : c)))
  const def = w.def
  const primaryKey = def.primaryKey && def.primaryKey.length ? remap(def.primaryKey) : null
  const uniques = (def.uniques ?? []).flatMap((u) => {
    const columns = remap(u.columns)
    return columns ? [{ ...u, columns }] : []
  })
  const indexes = (def.indexes ?? []).flatMap((x) => {
    const columns = remap(x.columns)
    return columns ? [{ ...x, columns }] : []
  })
  const checks = (def.checks ?? []).filter((c) => !exprReads(c.exprSql, name))
  w.def = { ...def, columns: def.columns.filter((_, k) => k !== i), primaryKey, uniques, checks, indexes }
  w.data = { ...w.data, chunks: w.data.chunks.map((chunk) => ({ numRows: chunk.numRows, columns: chunk.columns.filter((_, k) => k !== i) })) }
  // a serial column's sequence goes with it
  for (const [key, rel] of w.state.relations) {
    if (rel.kind === 'sequence' && rel.ownedBy?.table === tableKey && rel.ownedBy.column === name) w.state = withRelation(w.state, key, undefined)
  }
}

function alterColumnDefault(ctx: AlterTableContext, w: Working, cmd: N): void {
  const i = columnIndex(w.def, cmd.name)
  const c = w.def.columns[i]!
  w.def = withColumn(w.def, i, { ...c, defaultSql: cmd.def ? defaultSqlOf(ctx.binder(w.state), cmd.def, c) : null })
}

function setNotNull(w: Working, cmd: N, notNull: boolean): void {
  const i = columnIndex(w.def, cmd.name)
  if (!notNull && w.def.primaryKey?.includes(i)) throw planError('42P16', `column "${cmd.name}" is in a primary key`)
  w.def = withColumn(w.def, i, { ...w.def.columns[i]!, notNull })
  if (notNull) checkNoNulls(w, i)
}

/** The table's columns as a scope (column i as field id i), for USING expressions. */
function columnScope(def: TableDef): Scope {
  const scope = new Scope(null)
  const fields: Field[] = def.columns.map((c, i) => ({ id: i, name: c.name, type: c.type, relation: def.name }))
  scope.add({ alias: def.name, fields })
  return scope
}

/** 23514 when an existing row makes the CHECK constraint false (as ADD CONSTRAINT and ALTER … TYPE validate). */
function validateCheck(ctx: AlterTableContext, w: Working, check: { name: string; exprSql: string }): void {
  const { expr } = bindCheck(ctx.binder(w.state), w.def.name, w.def.columns, check.exprSql)
  const env = ctx.evalEnv(w.state)
  for (const chunk of w.data.chunks) {
    const result = evaluate(expr, chunk, env)
    for (let r = 0; r < chunk.numRows; r++) {
      if (!isNull(result, r) && result.values[r] === 0) {
        throw execError(SqlState.checkViolation, `check constraint "${check.name}" of relation "${w.def.name}" is violated by some row`)
      }
    }
  }
}

/** 23505 when existing rows duplicate a new or rewritten key (as PostgreSQL's index build reports it). */
function validateKey(w: Working, name: string, columns: readonly number[]): void {
  const duplicate = duplicateKey(w.def, w.data, columns)
  if (duplicate !== null) throw execError(SqlState.uniqueViolation, `could not create unique index "${name}"`, `${duplicate} is duplicated.`)
}

/** The table's primary key, UNIQUE constraints and unique indexes with their names. */
function keysOf(def: TableDef): { name: string; columns: readonly number[] }[] {
  const pk = def.primaryKey?.length ? [{ name: `${def.name}_pkey`, columns: def.primaryKey }] : []
  return [...pk, ...(def.uniques ?? []), ...(def.indexes ?? []).filter((i) => i.unique)]
}

/** ALTER COLUMN c [SET DATA] TYPE t [USING expr]: rewrites the column and re-validates its constraints. */
function alterColumnType(ctx: AlterTableContext, w: Working, cmd: N): void {
  const i = columnIndex(w.def, cmd.name)
  const old = w.def.columns[i]!
  const views = viewsReadingColumn(w.state, w.def.name, old.name)
  if (views.length) {
    throw new ExecutionError(SqlState.featureNotSupported, 'cannot alter type of a column used by a view or rule', { detail: `rule _RETURN on view ${views[0]!.view.name} depends on column "${old.name}"` })
  }
  const e = nodeBody<N>(cmd.def)
  const binder = ctx.binder(w.state)
  const type = binder.resolveTypeName(e.typeName)
  const shown = typeName(type)
  if (old.defaultSql !== null && !canCast(old.type, type, 'assignment')) {
    throw planError(SqlState.datatypeMismatch, `default for column "${old.name}" cannot be cast automatically to type ${shown}`)
  }
  let expr
  // whether the rewrite assigns (casts) the value to the new type, rather than the USING expression yielding it
  let assigned = false
  if (e.raw_default) {
    if (containsSubquery(e.raw_default)) throw new NotImplementedError('cannot use subquery in transform expression')
    const using = binder.bindExpr(e.raw_default, columnScope(w.def), null)
    if (using.type.id !== 'unknown' && !canCast(using.type, type, 'assignment')) {
      throw new ExecutionError(SqlState.datatypeMismatch, `result of USING clause for column "${old.name}" cannot be cast automatically to type ${shown}`, { hint: 'You might need to add an explicit cast.' })
    }
    expr = binder.coerce(using, type, true)
    if (expr !== using) assigned = true
  } else {
    assigned = true
    if (!canCast(old.type, type, 'assignment')) {
      throw new ExecutionError(SqlState.datatypeMismatch, `column "${old.name}" cannot be cast automatically to type ${shown}`, { hint: `You might need to specify "USING ${old.name}::${shown}".` })
    }
    expr = binder.coerce(col(i, old.name, old.type), type, true)
  }
  const env = ctx.evalEnv(w.state)
  const chunks = w.data.chunks.map((chunk): Batch => {
    if (assigned) checkStringLength(expr, type, chunk, env)
    const v = toShared(evaluate(expr, chunk, env))
    return { numRows: chunk.numRows, columns: chunk.columns.map((c, k) => (k === i ? v : c)) }
  })
  w.def = withColumn(w.def, i, { ...old, type })
  w.data = { ...w.data, chunks }
  if (old.notNull) checkNoNulls(w, i)
  for (const key of keysOf(w.def)) if (key.columns.includes(i)) validateKey(w, key.name, key.columns)
  for (const check of w.def.checks ?? []) if (exprReads(check.exprSql, old.name)) validateCheck(ctx, w, check)
}

/**
 * 22001 when a value is too long for the new varchar(n)/char(n) type: the rewrite is an assignment,
 * which PostgreSQL refuses where an explicit cast would truncate (extra spaces alone are dropped).
 */
function checkStringLength(expr: Expr, type: SqlType, chunk: Batch, env: EvalEnv): void {
  if ((type.id !== 'varchar' && type.id !== 'bpchar') || type.length === null || expr.kind !== 'Cast') return
  const text = evaluate({ ...expr, type: T.text }, chunk, env)
  for (let r = 0; r < chunk.numRows; r++) {
    const v = valueAt(text, r)
    if (typeof v !== 'string') continue
    const chars = [...v]
    if (chars.length > type.length && chars.slice(type.length).some((c) => c !== ' ')) {
      throw execError(SqlState.stringDataRightTruncation, `value too long for type ${type.id === 'varchar' ? 'character varying' : 'character'}(${type.length})`)
    }
  }
}

/** The constraint names of a table (its key constraints' and CHECKs'). */
const constraintNames = (def: TableDef): string[] => [...(def.primaryKey?.length ? [`${def.name}_pkey`] : []), ...(def.uniques ?? []).map((u) => u.name), ...(def.checks ?? []).map((c) => c.name)]

/** ADD [CONSTRAINT name] PRIMARY KEY / UNIQUE / CHECK, validated against the existing rows. */
function addConstraint(ctx: AlterTableContext, w: Working, con: N, schema: string): void {
  if (con.contype === 'CONSTR_FOREIGN') throw new NotImplementedError('ALTER TABLE … ADD FOREIGN KEY is not supported')
  if (!['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK'].includes(con.contype)) throw new NotImplementedError(`ALTER TABLE … ADD ${String(con.contype).replace('CONSTR_', '')} constraint is not supported`)
  if (con.deferrable || con.initdeferred) throw new NotImplementedError('DEFERRABLE constraints are not supported')
  if (con.skip_validation) throw new NotImplementedError('NOT VALID constraints are not supported')
  if (con.indexname) throw new NotImplementedError('ADD CONSTRAINT … USING INDEX is not supported')
  if (con.nulls_not_distinct || con.including?.length || con.options?.length) throw new NotImplementedError('constraint options are not supported')
  const def = w.def
  if (con.conname && constraintNames(def).includes(con.conname)) throw planError(SqlState.duplicateObject, `constraint "${con.conname}" for relation "${def.name}" already exists`)
  if (con.contype === 'CONSTR_CHECK') {
    const taken = new Set([...relationNamesIn(w.state, schema), ...constraintNames(def)])
    const exprSql = STORED_TREE + JSON.stringify(con.raw_expr)
    const { columns } = bindCheck(ctx.binder(w.state), def.name, def.columns, exprSql)
    const name = con.conname ?? chooseConstraintName(def.name, columns.length === 1 ? [def.columns[columns[0]!]!.name] : [], 'check', taken)
    const check = { name, exprSql, oid: ctx.allocateOid() }
    validateCheck(ctx, w, check)
    w.def = { ...def, checks: [...(def.checks ?? []), check] }
    return
  }
  const names: string[] = (con.keys ?? []).map(stringValue)
  const columns = names.map((n) => columnIndex(def, n))
  if (con.contype === 'CONSTR_PRIMARY') {
    if (def.primaryKey?.length) throw planError('42P16', `multiple primary keys for table "${def.name}" are not allowed`)
    const name = `${def.name}_pkey`
    if ((con.conname && con.conname !== name) || relationNamesIn(w.state, schema).includes(name) || constraintNames(def).includes(name)) {
      throw new NotImplementedError(`a primary key not named "${name}" is not supported`)
    }
    w.def = { ...def, primaryKey: columns, columns: def.columns.map((c, k) => (columns.includes(k) ? { ...c, notNull: true } : c)) }
    for (const k of columns) checkNoNulls(w, k)
    validateKey(w, name, columns)
    return
  }
  const relationNames = relationNamesIn(w.state, schema)
  if (con.conname && relationNames.includes(con.conname)) throw planError(SqlState.duplicateTable, `relation "${con.conname}" already exists`)
  const name = con.conname ?? chooseConstraintName(def.name, names, 'key', new Set([...relationNames, ...constraintNames(def)]))
  w.def = { ...def, uniques: [...(def.uniques ?? []), { name, columns, oid: ctx.allocateOid(), indexOid: ctx.allocateOid() }] }
  validateKey(w, name, columns)
}

/** DROP CONSTRAINT [IF EXISTS] name: a CHECK, UNIQUE or the primary key (its columns stay NOT NULL, as in PostgreSQL). */
function dropConstraint(ctx: AlterTableContext, w: Working, cmd: N): void {
  const def = w.def
  const name: string = cmd.name
  if (def.checks?.some((c) => c.name === name)) w.def = { ...def, checks: def.checks.filter((c) => c.name !== name) }
  else if (def.uniques?.some((u) => u.name === name)) w.def = { ...def, uniques: def.uniques.filter((u) => u.name !== name) }
  else if (def.primaryKey?.length && `${def.name}_pkey` === name) w.def = { ...def, primaryKey: null }
  else if (cmd.missing_ok) ctx.notice('00000', `constraint "${name}" of relation "${def.name}" does not exist, skipping`)
  else throw planError(SqlState.undefinedObject, `constraint "${name}" of relation "${def.name}" does not exist`)
}

/** ALTER TABLE [IF EXISTS] t sub-command, …: every sub-command on one working copy, published together. */
export function alterTable(ctx: AlterTableContext, b: N, state: CatalogState, changed: Set<string>): AlterOutcome {
  if (b.objtype && b.objtype !== 'OBJECT_TABLE') throw new NotImplementedError(`ALTER ${String(b.objtype).replace('OBJECT_', '')} is not supported`)
  const target = targetTable(ctx, state, b.relation, !!b.missing_ok)
  if (!target) return done(state)
  const w: Working = { def: target.rel.def, data: target.rel.data, state }
  for (const c of (b.cmds ?? []) as N[]) {
    const cmd = nodeBody<N>(c)
    if (RESHAPES_KEYS.has(cmd.subtype)) refuseWithForeignKeys(state, target.key, target.rel.def, String(cmd.subtype).replace(/^AT_/, ''))
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        addColumn(ctx, w, cmd, splitRelationKey(target.key).schema)
        break
      case 'AT_DropColumn':
        dropColumn(ctx, w, cmd, target.key)
        break
      case 'AT_ColumnDefault':
        alterColumnDefault(ctx, w, cmd)
        break
      case 'AT_SetNotNull':
        setNotNull(w, cmd, true)
        break
      case 'AT_DropNotNull':
        setNotNull(w, cmd, false)
        break
      case 'AT_AlterColumnType':
        alterColumnType(ctx, w, cmd)
        break
      case 'AT_AddConstraint':
        addConstraint(ctx, w, nodeBody<N>(cmd.def), splitRelationKey(target.key).schema)
        break
      case 'AT_DropConstraint':
        dropConstraint(ctx, w, cmd)
        break
      default:
        throw new NotImplementedError(`ALTER TABLE ${String(cmd.subtype).replace(/^AT_/, '')} is not supported`)
    }
  }
  const next = withRelation(w.state, target.key, { kind: 'table', def: w.def, data: w.data })
  for (const key of new Set([...state.relations.keys(), ...next.relations.keys()])) {
    if (state.relations.get(key) !== next.relations.get(key)) changed.add(key)
  }
  return done(next)
}

/** Sub-commands that move, retype or drop what a foreign key's column indices and keys point at. */
const RESHAPES_KEYS = new Set(['AT_DropColumn', 'AT_AlterColumnType', 'AT_DropConstraint'])

/** 0A000 for an ALTER that foreign keys of or onto the table would not follow (they hold table keys and column indices). */
function refuseWithForeignKeys(state: CatalogState, key: string, def: TableDef, what: string): void {
  if (def.foreignKeys?.length || referencingForeignKeys(state, key).length) {
    throw new NotImplementedError(`ALTER TABLE … ${what} on table "${def.name}", which has or is referenced by foreign keys, is not supported`)
  }
}

/** ALTER TABLE t RENAME [COLUMN] a TO b and ALTER TABLE t RENAME TO u. */
export function renameTable(ctx: AlterTableContext, b: N, state: CatalogState, changed: Set<string>): AlterOutcome {
  const isColumn = b.renameType === 'OBJECT_COLUMN'
  if ((b.renameType !== 'OBJECT_TABLE' && !isColumn) || (isColumn && b.relationType !== 'OBJECT_TABLE')) {
    throw new NotImplementedError(`ALTER ${String(isColumn ? b.relationType : b.renameType).replace('OBJECT_', '')} … RENAME is not supported`)
  }
  const target = targetTable(ctx, state, b.relation, !!b.missing_ok)
  if (!target) return done(state)
  const { key, rel } = target
  const def = rel.def
  const views = viewsReading(state, def.name)
  let next = state
  if (isColumn) {
    const i = columnIndex(def, b.subname)
    if (b.subname === b.newname) return done(state)
    if (def.columns.some((c) => c.name === b.newname)) throw planError(SqlState.duplicateColumn, `column "${b.newname}" of relation "${def.name}" already exists`)
    if (views.length) throw new NotImplementedError(`renaming a column of table "${def.name}", which view "${views[0]!.view.name}" reads, is not supported`)
    const checks = (def.checks ?? []).map((c) => ({ ...c, exprSql: renameInTree(c.exprSql, b.subname, b.newname) }))
    const renamed: TableDef = { ...withColumn(def, i, { ...def.columns[i]!, name: b.newname }), ...(def.checks ? { checks } : {}) }
    next = withRelation(next, key, { ...rel, def: renamed })
    changed.add(key)
    for (const [k, r] of next.relations) {
      if (r.kind === 'sequence' && r.ownedBy?.table === key && r.ownedBy.column === b.subname) {
        next = withRelation(next, k, { ...r, ownedBy: { table: key, column: b.newname } })
        changed.add(k)
      }
    }
    return { state: next, result: { kind: 'command', tag: 'ALTER TABLE' } }
  }
  refuseWithForeignKeys(state, key, def, 'RENAME TO')
  const schema = splitRelationKey(key).schema
  const newKey = relationKey(schema, b.newname)
  if (next.relations.has(newKey)) throw planError(SqlState.duplicateTable, `relation "${b.newname}" already exists`)
  if (views.length) throw new NotImplementedError(`renaming table "${def.name}", which view "${views[0]!.view.name}" reads, is not supported`)
  // the primary key's name is derived from the table's, where PostgreSQL's keeps the old name
  if (def.primaryKey?.length) throw new NotImplementedError(`renaming table "${def.name}", which has a primary key, is not supported`)
  next = withRelation(withRelation(next, key, undefined), newKey, { ...rel, def: { ...def, name: b.newname } })
  changed.add(key)
  changed.add(newKey)
  for (const [k, r] of next.relations) {
    if (r.kind === 'sequence' && r.ownedBy?.table === key) {
      next = withRelation(next, k, { ...r, ownedBy: { ...r.ownedBy, table: newKey } })
      changed.add(k)
    }
  }
  return { state: next, result: { kind: 'command', tag: 'ALTER TABLE' } }
}

/** ALTER TABLE [IF EXISTS] t SET SCHEMA s: the table and its indexes move (tables owning sequences or read by views: 0A000). */
export function setTableSchema(ctx: AlterTableContext, b: N, state: CatalogState, changed: Set<string>): AlterOutcome {
  if (b.objectType !== 'OBJECT_TABLE') throw new NotImplementedError(`ALTER ${String(b.objectType).replace('OBJECT_', '')} … SET SCHEMA is not supported`)
  const target = targetTable(ctx, state, b.relation, !!b.missing_ok)
  if (!target) return done(state)
  const { key, rel } = target
  const schema: string = b.newschema
  if (schema !== 'public' && !state.schemas?.has(schema)) throw planError(SqlState.invalidSchemaName, `schema "${schema}" does not exist`)
  const newKey = relationKey(schema, rel.def.name)
  if (newKey === key) return done(state)
  refuseWithForeignKeys(state, key, rel.def, 'SET SCHEMA')
  const views = viewsReading(state, rel.def.name)
  if (views.length) throw new NotImplementedError(`moving table "${rel.def.name}", which view "${views[0]!.view.name}" reads, is not supported`)
  if ([...state.relations.values()].some((r) => r.kind === 'sequence' && r.ownedBy?.table === key)) {
    throw new NotImplementedError(`moving table "${rel.def.name}", which owns a sequence, is not supported`)
  }
  const taken = relationNamesIn(state, schema)
  const own = [rel.def.name, ...(rel.def.primaryKey?.length ? [`${rel.def.name}_pkey`] : []), ...(rel.def.uniques ?? []).map((u) => u.name), ...(rel.def.indexes ?? []).map((i) => i.name)]
  const clash = own.find((n) => taken.includes(n))
  if (clash !== undefined) throw planError(SqlState.duplicateTable, `relation "${clash}" already exists in schema "${schema}"`)
  changed.add(key)
  changed.add(newKey)
  return done(withRelation(withRelation(state, key, undefined), newKey, rel))
}
