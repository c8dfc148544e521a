/**
 * FOREIGN KEY constraints: resolving REFERENCES at CREATE TABLE and checking every constraint whose
 * referencing or referenced table a statement changed, at the end of the statement (PostgreSQL's
 * non-deferred behaviour, MATCH SIMPLE: a key holding a NULL is not checked).
 */
import { execError, NotImplementedError, PlanError, planError, SqlState } from '../common/errors.js'
import { withRelation, type CatalogState, type ColumnDef, type ForeignKeyConstraint, type TableDef, type TableEntry } from '../catalog/catalog.js'
import type { Batch, Vector } from '../common/vector.js'
import { typeName, type SqlType } from '../common/types.js'
import { vectorFromValues } from '../common/value.js'
import { concatBatches, take, takeBatch } from '../kernels/eval.js'
import { formatValue } from '../kernels/format.js'
import { rowKeys } from '../operators/keys.js'
import { chooseConstraintName } from './constraints.js'

/** A FOREIGN KEY as written: referencing column names, the referenced table and columns (none: its primary key), and PostgreSQL's codes. */
export interface ForeignKeySpec {
  readonly name: string | null
  readonly columns: readonly string[]
  readonly refColumns: readonly string[]
  readonly matchType: string
  readonly onUpdate: string
  readonly onDelete: string
  /** ON DELETE SET NULL (columns…): not supported. */
  readonly setNullColumns: boolean
}

const NUMERIC = new Set(['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'])
const STRING = new Set(['text', 'varchar', 'bpchar', 'name'])

/** Whether PostgreSQL has an equality operator between the two types (roughly: the same type category). */
function comparable(a: SqlType, b: SqlType): boolean {
  return a.id === b.id || (NUMERIC.has(a.id) && NUMERIC.has(b.id)) || (STRING.has(a.id) && STRING.has(b.id))
}

const columnIndexIn = (columns: readonly ColumnDef[], name: string): number => {
  const i = columns.findIndex((c) => c.name === name)
  if (i < 0) throw planError(SqlState.undefinedColumn, `column "${name}" referenced in foreign key constraint does not exist`)
  return i
}

/**
 * Resolves a FOREIGN KEY of table `table` (columns `columns`) referencing `ref` (catalog key
 * `refKey`; the table itself when self-referencing): the referenced columns must be its primary key
 * or a UNIQUE constraint (42830) of comparable types (42804). `taken` holds the table's constraint names.
 */
export function resolveForeignKey(spec: ForeignKeySpec, table: string, columns: readonly ColumnDef[], ref: TableDef, refKey: string, taken: Set<string>, oid: number): ForeignKeyConstraint {
  if (spec.matchType !== 's') throw new NotImplementedError('MATCH FULL foreign keys are not supported')
  if (spec.setNullColumns) throw new NotImplementedError('column lists of ON DELETE SET NULL / SET DEFAULT are not supported')
  const cols = spec.columns.map((n) => columnIndexIn(columns, n))
  let refCols: number[]
  if (spec.refColumns.length === 0) {
    if (!ref.primaryKey?.length) throw planError(SqlState.invalidForeignKey, `there is no primary key for referenced table "${ref.name}"`)
    refCols = [...ref.primaryKey]
  } else {
    refCols = spec.refColumns.map((n) => columnIndexIn(ref.columns, n))
    const sameSet = (key: readonly number[]) => key.length === refCols.length && key.every((k) => refCols.includes(k))
    const keys = [ref.primaryKey ?? [], ...(ref.uniques ?? []).map((u) => u.columns), ...(ref.indexes ?? []).filter((i) => i.unique).map((i) => i.columns)]
    if (new Set(refCols).size !== refCols.length || !keys.some(sameSet)) throw planError(SqlState.invalidForeignKey, `there is no unique constraint matching given keys for referenced table "${ref.name}"`)
  }
  if (cols.length !== refCols.length) throw planError(SqlState.invalidForeignKey, 'number of referencing and referenced columns for foreign key disagree')
  const name = spec.name ?? chooseConstraintName(table, spec.columns, 'fkey', taken)
  cols.forEach((c, i) => {
    const from = columns[c]!
    const to = ref.columns[refCols[i]!]!
    if (!comparable(from.type, to.type)) {
      throw new PlanError(SqlState.datatypeMismatch, `foreign key constraint "${name}" cannot be implemented`, { detail: `Key columns "${from.name}" and "${to.name}" are of incompatible types: ${typeName(from.type)} and ${typeName(to.type)}.` })
    }
    if (from.type.id !== to.type.id) throw new NotImplementedError(`foreign keys between columns of types ${typeName(from.type)} and ${typeName(to.type)} are not supported`)
  })
  return { name, oid, columns: cols, refTable: refKey, refColumns: refCols, onUpdate: spec.onUpdate, onDelete: spec.onDelete }
}

/** The foreign keys (with their referencing table's key) that reference table `key` from another table. */
export function referencingForeignKeys(state: CatalogState, key: string): { table: string; def: TableDef; fk: ForeignKeyConstraint }[] {
  const out: { table: string; def: TableDef; fk: ForeignKeyConstraint }[] = []
  for (const [k, rel] of state.relations) {
    if (rel.kind !== 'table' || k === key) continue
    for (const fk of rel.def.foreignKeys ?? []) if (fk.refTable === key) out.push({ table: k, def: rel.def, fk })
  }
  return out
}

/** All rows of a table as one batch. */
const allRows = (entry: TableEntry): Batch => concatBatches(entry.def.columns.map((c) => c.type), entry.data.chunks)

/** The non-NULL keys of a table's rows over `columns`. */
function keySet(entry: TableEntry, columns: readonly number[]): Set<number | string> {
  const all = allRows(entry)
  const { keys, hasNull } = rowKeys(columns.map((i) => all.columns[i]!), all.numRows)
  const out = new Set<number | string>()
  for (let r = 0; r < all.numRows; r++) if (!hasNull[r]) out.add(keys[r]!)
  return out
}

const tableIn = (state: CatalogState, key: string): TableEntry | undefined => {
  const rel = state.relations.get(key)
  return rel?.kind === 'table' ? rel : undefined
}

/**
 * 23503 when, after a statement took `before` to `after`, a row of a referencing table holds a key
 * (without NULLs) its referenced table lacks: reported against the referenced table when the key
 * was there before the statement (a delete or update removed it), else against the referencing one.
 */
export function checkForeignKeys(before: CatalogState, after: CatalogState): void {
  for (const [key, child] of after.relations) {
    if (child.kind !== 'table' || !child.def.foreignKeys?.length) continue
    const oldChild = tableIn(before, key)
    for (const fk of child.def.foreignKeys) {
      const parent = tableIn(after, fk.refTable)!
      const oldParent = tableIn(before, fk.refTable)
      const childChanged = oldChild?.data !== child.data
      const parentChanged = oldParent?.data !== parent.data
      if (!childChanged && !parentChanged) continue
      const present = keySet(parent, fk.refColumns)
      const rows = allRows(child)
      const cols = fk.columns.map((i) => rows.columns[i]!)
      const { keys, hasNull } = rowKeys(cols, rows.numRows)
      let previous: Set<number | string> | null = null
      for (let r = 0; r < rows.numRows; r++) {
        if (hasNull[r] || present.has(keys[r]!)) continue
        const values = cols.map((v) => formatValue(v, r)).join(', ')
        previous ??= parentChanged && oldParent ? keySet(oldParent, fk.refColumns) : new Set()
        if (!childChanged || previous.has(keys[r]!)) {
          const refNames = fk.refColumns.map((i) => parent.def.columns[i]!.name).join(', ')
          throw execError(SqlState.foreignKeyViolation, `update or delete on table "${parent.def.name}" violates foreign key constraint "${fk.name}" on table "${child.def.name}"`, `Key (${refNames})=(${values}) is still referenced from table "${child.def.name}".`)
        }
        const names = fk.columns.map((i) => child.def.columns[i]!.name).join(', ')
        throw execError(SqlState.foreignKeyViolation, `insert or update on table "${child.def.name}" violates foreign key constraint "${fk.name}"`, `Key (${names})=(${values}) is not present in table "${parent.def.name}".`)
      }
    }
  }
}

/** How a statement changed a table: rows deleted, or rows updated in place (old row r is new row r). */
export type RowChange = 'delete' | 'update'

/** How the session writes a table's rewritten rows (checking NOT NULL, CHECK and keys) and evaluates a column default (one row). */
export interface ActionHooks {
  readonly rewrite: (def: TableDef, rows: Batch) => TableEntry['data']
  readonly defaultOf: (def: TableDef, column: number) => Vector
}

/**
 * Runs the ON DELETE / ON UPDATE actions (CASCADE, SET NULL, SET DEFAULT) of the foreign keys that
 * reference table `table`, whose rows the statement's `change` took from `old` to those in `state`:
 * referencing rows whose key the change removed are deleted, nulled, defaulted or given the new key,
 * and the changes cascade on. NO ACTION and RESTRICT are left to checkForeignKeys.
 */
export function applyReferentialActions(state: CatalogState, table: string, old: TableEntry, change: RowChange, changed: Set<string>, hooks: ActionHooks): CatalogState {
  const referencing: { key: string; fk: ForeignKeyConstraint }[] = []
  for (const [key, rel] of state.relations) {
    if (rel.kind !== 'table') continue
    for (const fk of rel.def.foreignKeys ?? []) {
      const action = change === 'delete' ? fk.onDelete : fk.onUpdate
      if (fk.refTable === table && action !== 'a' && action !== 'r') referencing.push({ key, fk })
    }
  }
  let next = state
  for (const { key, fk } of referencing) {
    const action = change === 'delete' ? fk.onDelete : fk.onUpdate
    const parent = tableIn(next, table)!
    const after = allRows(parent)
    const present = keySet(parent, fk.refColumns)
    // each removed key, with the row of `after` holding its new value (an update's)
    const before = allRows(old)
    const oldKeys = rowKeys(fk.refColumns.map((i) => before.columns[i]!), before.numRows)
    const removed = new Map<number | string, number>()
    for (let r = 0; r < before.numRows; r++) if (!oldKeys.hasNull[r] && !present.has(oldKeys.keys[r]!)) removed.set(oldKeys.keys[r]!, r)
    if (removed.size === 0) continue
    const child = tableIn(next, key)!
    const rows = allRows(child)
    const { keys, hasNull } = rowKeys(fk.columns.map((i) => rows.columns[i]!), rows.numRows)
    const hits: number[] = []
    for (let r = 0; r < rows.numRows; r++) if (!hasNull[r] && removed.has(keys[r]!)) hits.push(r)
    if (hits.length === 0) continue
    let rewritten: Batch
    if (action === 'c' && change === 'delete') {
      const hit = new Set(hits)
      const kept: number[] = []
      for (let r = 0; r < rows.numRows; r++) if (!hit.has(r)) kept.push(r)
      rewritten = takeBatch(rows, kept)
    } else {
      const columns = [...rows.columns]
      fk.columns.forEach((c, j) => {
        const type = child.def.columns[c]!.type
        const source = action === 'c' ? after.columns[fk.refColumns[j]!]! : action === 'n' ? vectorFromValues(type, [null]) : hooks.defaultOf(child.def, c)
        const both = concatBatches([type], [{ numRows: rows.numRows, columns: [rows.columns[c]!] }, { numRows: source.length, columns: [source] }]).columns[0]!
        const idx = Int32Array.from({ length: rows.numRows }, (_, r) => r)
        for (const r of hits) idx[r] = rows.numRows + (action === 'c' ? removed.get(keys[r]!)! : 0)
        columns[c] = take(both, idx)
      })
      rewritten = { numRows: rows.numRows, columns }
    }
    next = withRelation(next, key, { ...child, data: hooks.rewrite(child.def, rewritten) })
    changed.add(key)
    next = applyReferentialActions(next, key, child, action === 'c' && change === 'delete' ? 'delete' : 'update', changed, hooks)
  }
  return next
}

/** Whether a change of table `table` would run a referential action (CASCADE, SET NULL, SET DEFAULT). */
export function hasReferentialActions(state: CatalogState, table: string): boolean {
  for (const rel of state.relations.values()) {
    if (rel.kind !== 'table') continue
    for (const fk of rel.def.foreignKeys ?? []) if (fk.refTable === table && (!'ar'.includes(fk.onDelete) || !'ar'.includes(fk.onUpdate))) return true
  }
  return false
}
