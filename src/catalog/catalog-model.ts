/**
 * The relations of a catalog state as the system catalogs describe them: OIDs, kinds, columns
 * with their types and default expressions as text, primary keys with their index and
 * constraint, estimated sizes. Both pg_catalog and information_schema are generated from this
 * model, and the catalog functions (pg_get_indexdef, pg_relation_size, …) read its digest.
 */
import { T, typeLen, typeMod, type SqlType } from '../common/types.js'
import type { Batch } from '../common/vector.js'
import { Binder, storedTree } from '../binder/binder.js'
import { nodeBody, stringValue, type Node } from '../sql/parse.js'
import { splitRelationKey, type CatalogState, type ColumnDef, type ForeignKeyConstraint, type Relation, type TableEntry } from './catalog.js'
import { NAMESPACE_OIDS, oidOfType, pkConstraintOid, pkIndexOid, pkName, quoteIdent, relationName, relationOid } from './catalog-oids.js'
import { deparseDefault, deparseExpr, deparseSelect } from './deparse.js'
import type { CatalogDigest, ModelCheck, ModelColumn, ModelForeignKey, ModelIndex, ModelKey, ModelRelation } from './catalog-digest.js'
import { lookupSystemTable } from './system-tables.js'

const cache = new WeakMap<CatalogState, ModelRelation[]>()
const lightCache = new WeakMap<CatalogState, CatalogDigest>()

/** The model of every relation of a catalog state (user tables, their primary-key indexes, views), by OID. */
export function catalogModel(state: CatalogState): readonly ModelRelation[] {
  let m = cache.get(state)
  if (!m) {
    m = buildModel(state, true)
    cache.set(state, m)
  }
  return m
}

/** The digest of a catalog state for the catalog functions (views without their columns: it binds nothing). */
export function catalogDigest(state: CatalogState): CatalogDigest {
  let d = lightCache.get(state)
  if (!d) {
    d = { relations: cache.get(state) ?? buildModel(state, false), schemas: [...(state.schemas?.keys() ?? [])] }
    lightCache.set(state, d)
  }
  return d
}

function batchBytes(b: Batch): number {
  let n = 0
  for (const c of b.columns) {
    n += c.values.byteLength + (c.offsets?.byteLength ?? 0) + (c.validity?.byteLength ?? 0)
    if (c.child) n += c.child.values.byteLength + (c.child.offsets?.byteLength ?? 0)
  }
  return n
}

function buildModel(state: CatalogState, viewColumnsToo: boolean): ModelRelation[] {
  const out: ModelRelation[] = []
  const rels = [...state.relations].sort(([, a], [, b]) => relationOid(a) - relationOid(b))
  for (const [key, rel] of rels) {
    const schema = splitRelationKey(key).schema
    const ns = { schema, namespace: NAMESPACE_OIDS[schema] ?? state.schemas?.get(schema) ?? 0 }
    if (rel.kind === 'table') {
      const def = rel.def
      const columns: ModelColumn[] = def.columns.map((c, i) => ({
        name: c.name,
        type: c.type,
        attnum: i + 1,
        notNull: c.notNull,
        defaultText: c.defaultSql === null ? null : defaultText(c.defaultSql, c.type),
      }))
      const pk = def.primaryKey && def.primaryKey.length > 0 ? def.primaryKey : null
      const bytes = rel.data.chunks.reduce((s, b) => s + batchBytes(b), 0)
      const primaryKey = pk ? { attnums: pk.map((i) => i + 1), indexOid: pkIndexOid(def.oid), constraintOid: pkConstraintOid(def.oid), name: pkName(def.name) } : null
      const uniques: ModelKey[] = (def.uniques ?? []).map((u) => ({ attnums: u.columns.map((i) => i + 1), indexOid: u.indexOid, constraintOid: u.oid, name: u.name }))
      const checks: ModelCheck[] = (def.checks ?? []).map((c) => ({ constraintOid: c.oid, name: c.name, ...checkText(c.exprSql, def.columns) }))
      const indexes: ModelIndex[] = (def.indexes ?? []).map((i) => ({ attnums: i.columns.map((c) => c + 1), indexOid: i.oid, name: i.name, unique: i.unique }))
      const foreignKeys = (def.foreignKeys ?? []).map((fk) => foreignKeyModel(state, fk))
      out.push({ oid: def.oid, name: def.name, ...ns, kind: 'r', columns, primaryKey, uniques, checks, indexes, ...(foreignKeys.length ? { foreignKeys } : {}), tableOid: 0, viewDefinition: null, bytes, rowCount: rel.data.rowCount, external: def.external !== null })
      // each key constraint's index
      for (const key of [...(primaryKey ? [primaryKey, ...uniques] : uniques), ...indexes]) {
        const keyCols = key.attnums.map((a, k) => ({ name: def.columns[a - 1]!.name, type: def.columns[a - 1]!.type, attnum: k + 1, notNull: key === primaryKey, defaultText: null }))
        const keyBytes = Math.ceil(rel.data.rowCount * (16 + keyCols.reduce((s, c) => s + Math.max(4, typeLen(c.type)), 0)))
        out.push({ oid: key.indexOid, name: key.name, ...ns, kind: 'i', columns: keyCols, primaryKey: null, tableOid: def.oid, viewDefinition: null, bytes: keyBytes, rowCount: 0, external: false })
      }
    } else if (rel.kind === 'sequence') {
      const columns: ModelColumn[] = [
        { name: 'last_value', type: T.int8, attnum: 1, notNull: true, defaultText: null },
        { name: 'log_cnt', type: T.int8, attnum: 2, notNull: true, defaultText: null },
        { name: 'is_called', type: T.bool, attnum: 3, notNull: true, defaultText: null },
      ]
      out.push({ oid: rel.oid, name: rel.name, ...ns, kind: 'S', columns, primaryKey: null, tableOid: 0, viewDefinition: null, bytes: 8192, rowCount: 1, external: false })
    } else {
      out.push({ oid: rel.oid, name: rel.name, ...ns, kind: 'v', columns: viewColumnsToo ? viewColumns(state, rel) : [], primaryKey: null, tableOid: 0, viewDefinition: viewText(rel.sql), bytes: 0, rowCount: 0, external: false })
    }
  }
  return out
}

/** A foreign key as the catalogs describe it (the referenced table exists: dropping it drops the constraint). */
function foreignKeyModel(state: CatalogState, fk: ForeignKeyConstraint): ModelForeignKey {
  const ref = state.relations.get(fk.refTable) as TableEntry
  const { schema } = splitRelationKey(fk.refTable)
  const refAttnums = fk.refColumns.map((i) => i + 1)
  const sameSet = (cols: readonly number[]) => cols.length === fk.refColumns.length && cols.every((c) => fk.refColumns.includes(c))
  const def = ref.def
  const indexOid = def.primaryKey && sameSet(def.primaryKey) ? pkIndexOid(def.oid) : (def.uniques?.find((u) => sameSet(u.columns))?.indexOid ?? def.indexes?.find((i) => i.unique && sameSet(i.columns))?.oid ?? 0)
  return {
    constraintOid: fk.oid,
    name: fk.name,
    attnums: fk.columns.map((i) => i + 1),
    refOid: def.oid,
    refName: schema === 'public' ? quoteIdent(def.name) : `${quoteIdent(schema)}.${quoteIdent(def.name)}`,
    refAttnums,
    refColumnNames: fk.refColumns.map((i) => def.columns[i]!.name),
    indexOid,
    onUpdate: fk.onUpdate,
    onDelete: fk.onDelete,
  }
}

/** A CHECK expression as pg_get_constraintdef prints it (plain and pretty) and the attnums it names. */
function checkText(exprSql: string, columns: readonly ColumnDef[]): { definition: string; prettyDefinition: string; attnums: number[] } {
  const tree = storedTree(exprSql)
  const attnums: number[] = []
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit)
    if (!node || typeof node !== 'object') return
    for (const [k, v] of Object.entries(node)) {
      if (k === 'ColumnRef') {
        const fields = ((v as { fields?: unknown[] }).fields ?? []) as Node[]
        const i = columns.findIndex((c) => c.name === stringValue(fields[fields.length - 1]!))
        if (i >= 0 && !attnums.includes(i + 1)) attnums.push(i + 1)
      } else visit(v)
    }
  }
  visit(tree)
  attnums.sort((a, b) => a - b)
  return { definition: `(${deparseExpr(tree, false)})`, prettyDefinition: `(${deparseExpr(tree, true)})`, attnums }
}

function defaultText(sql: string, type: SqlType): string {
  try {
    return deparseDefault(storedTree(sql), type)
  } catch {
    return sql
  }
}

function viewText(sql: string): string {
  try {
    return ` ${deparseSelect(storedTree(sql))};`
  } catch {
    return sql
  }
}

/** A view's output columns, from binding its query (none when it cannot be bound, e.g. over files). */
function viewColumns(state: CatalogState, view: Extract<Relation, { kind: 'view' }>): ModelColumn[] {
  try {
    const binder = new Binder({
      catalog: state,
      fileSchemas: new Map(),
      paramTypes: [],
      user: '',
      database: '',
      systemTable: (schema, name) => {
        const t = lookupSystemTable(schema, name)
        return t ? { key: `${t.schema}.${t.name}`, columns: t.columns } : undefined
      },
    })
    const plan = binder.bindSelect(nodeBody(storedTree(view.sql)))
    return plan.fields.map((f, i) => ({
      name: view.columnNames?.[i] ?? f.name,
      type: f.type.id === 'unknown' || f.type.id === 'null' ? T.text : f.type,
      attnum: i + 1,
      notNull: false,
      defaultText: null,
    }))
  } catch {
    return []
  }
}

/** The column's pg_attribute.atttypmod. */
export const columnTypmod = (c: ModelColumn): number => typeMod(c.type)
/** The column's pg_attribute.atttypid. */
export const columnTypeOid = (c: ModelColumn): number => oidOfType(c.type)
/** The relation's name as text. */
export const modelName = (r: Relation): string => relationName(r)
