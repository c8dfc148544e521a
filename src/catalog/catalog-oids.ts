/**
 * Object identifiers of the virtual catalog and the name ↔ OID lookups behind the reg* types:
 * PostgreSQL's fixed OIDs for namespaces, catalog relations and built-in types, and the OIDs Flint
 * derives for objects it has no catalog rows of its own for (primary-key indexes and constraints,
 * column defaults, functions). Nothing here imports the binder, so the binder may import it.
 */
import { planError, SqlState } from '../common/errors.js'
import { arrayType, T, typeFromName, typeName, typeOid, type SqlType, type TypeId } from '../common/types.js'
import { functionNames } from '../kernels/registry.js'
import { relationKey, splitRelationKey, tableIndexes, type CatalogState, type Relation } from './catalog.js'

/** OIDs of the three schemas Flint has (PostgreSQL 15's values). */
export const NAMESPACE_OIDS: Readonly<Record<string, number>> = { pg_catalog: 11, public: 2200, information_schema: 13207 }

/** OID of the bootstrap superuser; every object belongs to it. */
export const OWNER_OID = 10
/** OID Flint's single database reports (PostgreSQL's `postgres` database). */
export const DATABASE_OID = 5
/** pg_am OIDs of heap tables and btree indexes. */
export const HEAP_AM_OID = 2
/** pg_am OID of btree. */
export const BTREE_AM_OID = 403
/** OID of the default collation. */
export const DEFAULT_COLLATION_OID = 100

const INDEX_OID_BASE = 0x40000000
const CONSTRAINT_OID_BASE = 0x80000000
const ATTRDEF_OID_BASE = 0xc0000000
const FUNCTION_OID_BASE = 0x30000000

/** OID of the index that backs a table's primary key. */
export const pkIndexOid = (tableOid: number): number => INDEX_OID_BASE + tableOid
/** OID of a table's primary-key constraint. */
export const pkConstraintOid = (tableOid: number): number => CONSTRAINT_OID_BASE + tableOid
/** OID of a column default (pg_attrdef.oid); attnum is 1-based. */
export const attrdefOid = (tableOid: number, attnum: number): number => ATTRDEF_OID_BASE + ((tableOid - 16384) * 1600 + attnum)
/** The table a primary-key index or constraint OID belongs to, or undefined. */
export function pkOwner(oid: number): { kind: 'index' | 'constraint'; tableOid: number } | undefined {
  if (oid >= CONSTRAINT_OID_BASE && oid < ATTRDEF_OID_BASE) return { kind: 'constraint', tableOid: oid - CONSTRAINT_OID_BASE }
  if (oid >= INDEX_OID_BASE && oid < CONSTRAINT_OID_BASE) return { kind: 'index', tableOid: oid - INDEX_OID_BASE }
  return undefined
}

/** The name PostgreSQL gives a table's primary-key index and constraint. */
export const pkName = (table: string): string => `${table}_pkey`

/**
 * A function's OID: a hash of its name (stable across threads and runs, whatever order the
 * function modules registered in), in a range no other catalog object uses.
 */
export function functionOid(name: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0
  return FUNCTION_OID_BASE + (h & 0x0fffffff)
}

/** The name of the function with this OID (registry functions, aggregates and window functions). */
export function functionByOid(oid: number, extraNames: Iterable<string> = []): string | undefined {
  for (const n of functionNames()) if (functionOid(n) === oid) return n
  for (const n of extraNames) if (functionOid(n) === oid) return n
  return undefined
}

/** PostgreSQL's pg_type attributes of a Flint type. */
export interface TypeInfo {
  readonly oid: number
  readonly name: string
  readonly type: SqlType
  readonly len: number
  readonly byval: boolean
  readonly category: string
  readonly preferred: boolean
  readonly align: string
  readonly storage: string
  readonly collation: number
  readonly arrayOid: number
  /** 'p' for the pseudo-type unknown, 'b' otherwise. */
  readonly typtype: string
}

type Row = [TypeId, number, string, number, boolean, string, boolean, string, string, number, number]
// id, oid, typname, typlen, byval, category, preferred, align, storage, collation, array oid (PostgreSQL 15's pg_type)
const BASE_TYPES: Row[] = [
  ['bool', 16, 'bool', 1, true, 'B', true, 'c', 'p', 0, 1000],
  ['bytea', 17, 'bytea', -1, false, 'U', false, 'i', 'x', 0, 1001],
  ['char', 18, 'char', 1, true, 'Z', false, 'c', 'p', 0, 1002],
  ['name', 19, 'name', 64, false, 'S', false, 'c', 'p', 950, 1003],
  ['int8', 20, 'int8', 8, true, 'N', false, 'd', 'p', 0, 1016],
  ['int2', 21, 'int2', 2, true, 'N', false, 's', 'p', 0, 1005],
  ['int4', 23, 'int4', 4, true, 'N', false, 'i', 'p', 0, 1007],
  ['regproc', 24, 'regproc', 4, true, 'N', false, 'i', 'p', 0, 1008],
  ['text', 25, 'text', -1, false, 'S', true, 'i', 'x', 100, 1009],
  ['oid', 26, 'oid', 4, true, 'N', true, 'i', 'p', 0, 1028],
  ['json', 114, 'json', -1, false, 'U', false, 'i', 'x', 0, 199],
  ['float4', 700, 'float4', 4, true, 'N', false, 'i', 'p', 0, 1021],
  ['float8', 701, 'float8', 8, true, 'N', true, 'd', 'p', 0, 1022],
  ['unknown', 705, 'unknown', -2, false, 'X', false, 'c', 'p', 0, 0],
  ['bpchar', 1042, 'bpchar', -1, false, 'S', false, 'i', 'x', 100, 1014],
  ['varchar', 1043, 'varchar', -1, false, 'S', false, 'i', 'x', 100, 1015],
  ['date', 1082, 'date', 4, true, 'D', false, 'i', 'p', 0, 1182],
  ['time', 1083, 'time', 8, true, 'D', false, 'd', 'p', 0, 1183],
  ['timestamp', 1114, 'timestamp', 8, true, 'D', false, 'd', 'p', 0, 1115],
  ['timestamptz', 1184, 'timestamptz', 8, true, 'D', true, 'd', 'p', 0, 1185],
  ['interval', 1186, 'interval', 16, false, 'T', true, 'd', 'p', 0, 1187],
  ['numeric', 1700, 'numeric', -1, false, 'N', false, 'i', 'm', 0, 1231],
  ['regclass', 2205, 'regclass', 4, true, 'N', false, 'i', 'p', 0, 2210],
  ['regtype', 2206, 'regtype', 4, true, 'N', false, 'i', 'p', 0, 2211],
  ['uuid', 2950, 'uuid', 16, false, 'U', false, 'c', 'p', 0, 2951],
]

const baseType = (id: TypeId): SqlType => {
  if (id === 'numeric') return T.numeric
  if (id === 'varchar' || id === 'bpchar') return { id, length: null }
  return (T as Record<string, SqlType>)[id]!
}

/** Every type Flint has, with its array type, as pg_type rows would describe them. */
export const TYPES: readonly TypeInfo[] = (() => {
  const out: TypeInfo[] = []
  for (const [id, oid, name, len, byval, category, preferred, align, storage, collation, arrayOid] of BASE_TYPES) {
    const type = baseType(id)
    out.push({ oid, name, type, len, byval, category, preferred, align, storage, collation, arrayOid, typtype: id === 'unknown' ? 'p' : 'b' })
    if (arrayOid !== 0) {
      out.push({ oid: arrayOid, name: `_${name}`, type: arrayType(type), len: -1, byval: false, category: 'A', preferred: false, align: align === 'd' ? 'd' : 'i', storage: 'x', collation, arrayOid: 0, typtype: 'b' })
    }
  }
  return out
})()

const typesByOid = new Map(TYPES.map((t) => [t.oid, t]))

/** The pg_type description of a type OID. */
export const typeInfoByOid = (oid: number): TypeInfo | undefined => typesByOid.get(oid)

/** The element OID of an array type OID (0 for other types). */
export function typeElementOid(t: TypeInfo): number {
  return t.type.id === 'array' ? (TYPES.find((x) => x.arrayOid === t.oid)?.oid ?? 0) : 0
}

/** format_type(oid, typmod): the SQL name of a type with its modifier, as PostgreSQL prints it. */
export function formatType(oid: number, typmod: number | null): string {
  if (oid === 0) return '-'
  const info = typesByOid.get(oid)
  if (!info) return '???'
  const withMod = (t: SqlType): SqlType => {
    if (typmod === null || typmod < 0) return t
    if (t.id === 'numeric') return { id: 'numeric', precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff }
    if (t.id === 'varchar' || t.id === 'bpchar') return { id: t.id, length: typmod - 4 }
    if (t.id === 'array') return arrayType(withMod(t.element))
    return t
  }
  const t = withMod(info.type)
  if (typmod === null && (t.id === 'bpchar' || (t.id === 'array' && t.element.id === 'bpchar'))) return t.id === 'array' ? 'character[]' : 'character'
  return typeName(t)
}

/** Parses a type name as the regtype input does ('int4', 'character varying', 'text[]'); undefined when unknown. */
export function typeOidFromName(text: string): number | undefined {
  let s = text.trim().toLowerCase().replace(/^pg_catalog\./, '').replace(/^"(.*)"$/, '$1')
  let dims = 0
  while (s.endsWith('[]')) {
    s = s.slice(0, -2).trim()
    dims++
  }
  s = s.replace(/\s*\(.*\)$/, '')
  if (s === 'char' && text.includes('"')) s = '"char"'
  const direct = TYPES.find((t) => t.name === s && t.typtype !== 'x')
  let t: SqlType | undefined = direct ? direct.type : typeFromName(s)
  if (t === undefined) return undefined
  for (let i = 0; i < dims; i++) t = arrayType(t)
  return TYPES.find((x) => sameBase(x.type, t!))?.oid
}

function sameBase(a: SqlType, b: SqlType): boolean {
  if (a.id !== b.id) return false
  if (a.id === 'array' && b.id === 'array') return sameBase(a.element, b.element)
  return true
}

/** A catalog relation of the virtual catalog: its OID, schema and kind as pg_class shows it. */
export interface SystemRelationInfo {
  readonly oid: number
  readonly schema: 'pg_catalog' | 'information_schema'
  readonly name: string
  /** 'r' for PostgreSQL's catalog tables, 'v' for its system views. */
  readonly kind: 'r' | 'v'
}

const systemRelations = new Map<string, SystemRelationInfo>()

/** Records the pg_class identity of virtual catalog relations (by `schema.name`). */
export function registerSystemRelations(list: readonly SystemRelationInfo[]): void {
  for (const r of list) systemRelations.set(`${r.schema}.${r.name}`, r)
}

/** Every virtual catalog relation registered, in registration order. */
export const systemRelationList = (): SystemRelationInfo[] => [...systemRelations.values()]

/** Splits a possibly qualified, possibly quoted relation name ('public."T"') into its parts. */
export function splitQualifiedName(text: string): string[] {
  const parts: string[] = []
  let i = 0
  const s = text.trim()
  while (i <= s.length) {
    let part = ''
    if (s[i] === '"') {
      i++
      while (i < s.length) {
        if (s[i] === '"' && s[i + 1] === '"') {
          part += '"'
          i += 2
        } else if (s[i] === '"') {
          i++
          break
        } else part += s[i++]
      }
    } else {
      while (i < s.length && s[i] !== '.') part += s[i++]
      part = part.trim().toLowerCase()
    }
    parts.push(part)
    if (s[i] !== '.') break
    i++
  }
  return parts
}

/** The relation an OID names in a catalog state: a user relation, a primary-key index, or a catalog relation. */
export function relationNameByOid(state: CatalogState, oid: number): { schema: string; name: string } | undefined {
  for (const [key, rel] of state.relations) if (relationOid(rel) === oid) return splitRelationKey(key)
  const pk = pkOwner(oid)
  if (pk?.kind === 'index') {
    for (const [key, rel] of state.relations) if (rel.kind === 'table' && rel.def.oid === pk.tableOid && rel.def.primaryKey) return { schema: splitRelationKey(key).schema, name: pkName(rel.def.name) }
  }
  for (const [key, rel] of state.relations) {
    const index = rel.kind === 'table' ? tableIndexes(rel.def).find((i) => i.oid === oid) : undefined
    if (index) return { schema: splitRelationKey(key).schema, name: index.name }
  }
  for (const r of systemRelations.values()) if (r.oid === oid) return { schema: r.schema, name: r.name }
  return undefined
}

/** The OID of a relation of the catalog. */
export const relationOid = (rel: Relation): number => (rel.kind === 'table' ? rel.def.oid : rel.oid)
/** The name of a relation of the catalog. */
export const relationName = (rel: Relation): string => (rel.kind === 'table' ? rel.def.name : rel.name)

/** regclass input: the OID of a relation named as text, resolved on the search path (pg_catalog, public). */
export function regclassIn(state: CatalogState, text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text)
  const parts = splitQualifiedName(text)
  const name = parts[parts.length - 1]!
  const schema = parts.length > 1 ? parts[parts.length - 2]! : null
  const fromPublic = (): number | undefined => {
    const rel = state.relations.get(name)
    if (rel) return relationOid(rel)
    for (const r of state.relations.values()) if (r.kind === 'table' && r.def.primaryKey && pkName(r.def.name) === name) return pkIndexOid(r.def.oid)
    for (const r of state.relations.values()) {
      const index = r.kind === 'table' ? tableIndexes(r.def).find((i) => i.name === name) : undefined
      if (index) return index.oid
    }
    return undefined
  }
  let oid: number | undefined
  if (schema === null) oid = systemRelations.get(`pg_catalog.${name}`)?.oid ?? fromPublic()
  else if (schema === 'public') oid = fromPublic()
  else oid = systemRelations.get(`${schema}.${name}`)?.oid ?? (state.relations.get(relationKey(schema, name)) && relationOid(state.relations.get(relationKey(schema, name))!))
  if (oid === undefined) throw planError(SqlState.undefinedTable, `relation "${text.trim()}" does not exist`)
  return oid
}

/** regclass output: the relation's name, qualified when it is not on the search path; the number when unknown. */
export function regclassOut(state: CatalogState, oid: number): string {
  const r = relationNameByOid(state, oid)
  if (!r) return String(oid)
  const quoted = quoteIdent(r.name)
  return r.schema === 'information_schema' ? `information_schema.${quoted}` : quoted
}

/** regtype input: the OID of a type named as text (42704 when unknown). */
export function regtypeIn(text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text)
  const oid = typeOidFromName(text)
  if (oid === undefined) throw planError(SqlState.undefinedObject, `type "${text.trim()}" does not exist`)
  return oid
}

/** regtype output: format_type without a modifier; the number when unknown. */
export function regtypeOut(oid: number): string {
  const info = typesByOid.get(oid)
  return info ? formatType(oid, -1) : String(oid)
}

/** The type input/output functions pg_type names (PostgreSQL's OIDs): the array ones, which drivers test typinput against. */
export const TYPE_IO_FUNCTIONS: Readonly<Record<string, number>> = { array_in: 750, array_out: 751 }

/** regproc input: the OID of a function named as text (42883 when unknown). */
export function regprocIn(text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text)
  const parts = splitQualifiedName(text.replace(/\(.*\)\s*$/, ''))
  const name = parts[parts.length - 1]!
  if (Object.hasOwn(TYPE_IO_FUNCTIONS, name)) return TYPE_IO_FUNCTIONS[name]!
  if (!functionNames().includes(name)) throw planError(SqlState.undefinedFunction, `function "${text.trim()}" does not exist`)
  return functionOid(name)
}

/** regproc output: the function's name; '-' for 0 and the number when unknown. */
export function regprocOut(oid: number): string {
  if (oid === 0) return '-'
  return Object.entries(TYPE_IO_FUNCTIONS).find(([, o]) => o === oid)?.[0] ?? functionByOid(oid) ?? String(oid)
}

/** regnamespace input: the OID of a schema (3F000 when unknown). */
export function regnamespaceIn(text: string): number {
  if (/^\s*\d+\s*$/.test(text)) return Number(text)
  const name = splitQualifiedName(text)[0]!
  const oid = NAMESPACE_OIDS[name]
  if (oid === undefined) throw planError(SqlState.invalidSchemaName, `schema "${text.trim()}" does not exist`)
  return oid
}

/** regnamespace output: the schema's name; the number when unknown. */
export function regnamespaceOut(oid: number): string {
  for (const [name, o] of Object.entries(NAMESPACE_OIDS)) if (o === oid) return name
  return String(oid)
}

/** Text output of a reg* value (the type decides how the OID is named). */
export function regOut(state: CatalogState, typeId: 'regclass' | 'regtype' | 'regproc', oid: number): string {
  switch (typeId) {
    case 'regclass':
      return regclassOut(state, oid)
    case 'regtype':
      return regtypeOut(oid)
    case 'regproc':
      return regprocOut(oid)
  }
}

/** Quotes an identifier when PostgreSQL would (quote_ident). */
export function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) && !RESERVED.has(s) ? s : `"${s.replace(/"/g, '""')}"`
}

const RESERVED = new Set(
  ('all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog ' +
    'current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except ' +
    'false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp ' +
    'not null offset on only or order placing primary references returning select session_user some symmetric table then to ' +
    'trailing true union unique user using variadic when where window with').split(' '),
)

/** SqlType of a type OID, for catalog functions; undefined when Flint has no such type. */
export const sqlTypeOfOid = (oid: number): SqlType | undefined => typesByOid.get(oid)?.type

/** The pg_type OID of a SqlType (array types included, with PostgreSQL's array OIDs). */
export function oidOfType(t: SqlType): number {
  if (t.id !== 'array') return typeOid(t)
  return TYPES.find((x) => sameBase(x.type, t))?.oid ?? typeOid(t)
}

/** Every relation OID of a catalog state (and the catalog relations) with the name regclass prints for it. */
export function regclassNames(state: CatalogState): { oids: number[]; names: string[] } {
  const oids: number[] = []
  const names: string[] = []
  for (const rel of state.relations.values()) {
    oids.push(relationOid(rel))
    names.push(quoteIdent(relationName(rel)))
    if (rel.kind === 'table' && rel.def.primaryKey) {
      oids.push(pkIndexOid(rel.def.oid))
      names.push(quoteIdent(pkName(rel.def.name)))
    }
    if (rel.kind === 'table') for (const i of tableIndexes(rel.def)) {
      oids.push(i.oid)
      names.push(quoteIdent(i.name))
    }
  }
  for (const r of systemRelations.values()) {
    oids.push(r.oid)
    names.push(r.schema === 'information_schema' ? `information_schema.${quoteIdent(r.name)}` : quoteIdent(r.name))
  }
  return { oids, names }
}
