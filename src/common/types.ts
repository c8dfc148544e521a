/**
 * SQL data types, their PostgreSQL OIDs and names, and the Arrow memory layout that holds each.
 *
 * Layouts (all Arrow-compatible buffers, offset 0, validity as an LSB-first bitmap, 1 = valid):
 * - bool: Uint8Array of 0/1 (Arrow Uint8; one byte a value keeps kernels branch-free)
 * - int2 / int4: Int16Array / Int32Array
 * - int8: Float64Array holding integers exactly while every value is within ±2^53 (the fast path),
 *   else ("wide") a BigInt64Array of the exact 64-bit values; common/int8.ts is the one home of both
 * - oid, reg*: Float64Array holding integers exactly
 * - float4 / float8: Float32Array / Float64Array
 * - numeric(p,s) with a static scale: Float64Array of unscaled integers (value × 10^s), exact while
 *   |unscaled| ≤ 2^53; results that exceed it are held as decimal text (the varying layout below)
 * - numeric without a static scale: Utf8 decimal text (exact, arbitrary precision, per-value scale)
 * - text, varchar, bpchar, name, "char", json: Utf8 (Int32Array offsets + Uint8Array bytes)
 * - date: Int32Array days since 1970-01-01 (Arrow Date32)
 * - timestamp / timestamptz: Float64Array microseconds since 1970-01-01 00:00 (UTC for timestamptz)
 * - time: Float64Array microseconds since midnight
 * - interval: Float64Array, three values a row: months, days, microseconds (Arrow FixedSizeList<3>)
 * - array: Arrow List layout: Int32Array offsets + a child vector
 */

/** Identifies a SQL type; the rest of a SqlType's fields depend on it. */
export type TypeId =
  | 'null'
  | 'unknown'
  | 'bool'
  | 'int2'
  | 'int4'
  | 'int8'
  | 'float4'
  | 'float8'
  | 'numeric'
  | 'text'
  | 'varchar'
  | 'bpchar'
  | 'name'
  | 'char'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'timestamptz'
  | 'interval'
  | 'oid'
  | 'regclass'
  | 'regtype'
  | 'regproc'
  | 'json'
  | 'bytea'
  | 'uuid'
  | 'array'

/** A SQL type. Parameterised types carry their modifiers. */
export type SqlType =
  | { readonly id: Exclude<TypeId, 'numeric' | 'varchar' | 'bpchar' | 'array'> }
  | { readonly id: 'numeric'; readonly precision: number | null; readonly scale: number | null }
  | { readonly id: 'varchar' | 'bpchar'; readonly length: number | null }
  | { readonly id: 'array'; readonly element: SqlType }

/** Frequently used types. */
export const T = {
  null: { id: 'null' },
  unknown: { id: 'unknown' },
  bool: { id: 'bool' },
  int2: { id: 'int2' },
  int4: { id: 'int4' },
  int8: { id: 'int8' },
  float4: { id: 'float4' },
  float8: { id: 'float8' },
  numeric: { id: 'numeric', precision: null, scale: null },
  text: { id: 'text' },
  name: { id: 'name' },
  char: { id: 'char' },
  date: { id: 'date' },
  time: { id: 'time' },
  timestamp: { id: 'timestamp' },
  timestamptz: { id: 'timestamptz' },
  interval: { id: 'interval' },
  oid: { id: 'oid' },
  regclass: { id: 'regclass' },
  regtype: { id: 'regtype' },
  regproc: { id: 'regproc' },
  json: { id: 'json' },
  bytea: { id: 'bytea' },
  uuid: { id: 'uuid' },
} as const satisfies Record<string, SqlType>

/** numeric(p, s); `precision` null means unconstrained precision with a static scale. */
export const numericType = (precision: number | null, scale: number | null): SqlType => ({ id: 'numeric', precision, scale })
/** varchar(n) / bpchar(n). */
export const charType = (id: 'varchar' | 'bpchar', length: number | null): SqlType => ({ id, length })
/** element[] */
export const arrayType = (element: SqlType): SqlType => ({ id: 'array', element })

/** The physical layout family that holds a type's values. */
export type Layout = 'u8' | 'i16' | 'i32' | 'f32' | 'f64' | 'utf8' | 'interval' | 'list'

/** Which buffer layout a type uses (see the module comment). */
export function layoutOf(t: SqlType): Layout {
  switch (t.id) {
    case 'null':
    case 'bool':
      return 'u8'
    case 'int2':
      return 'i16'
    case 'int4':
    case 'date':
      return 'i32'
    case 'float4':
      return 'f32'
    case 'int8':
    case 'float8':
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      return 'f64'
    case 'numeric':
      return t.scale === null ? 'utf8' : 'f64'
    case 'unknown':
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'char':
    case 'json':
    case 'bytea':
    case 'uuid':
      return 'utf8'
    case 'interval':
      return 'interval'
    case 'array':
      return 'list'
  }
}

/** PostgreSQL type OIDs, as clients expect them in RowDescription. */
export function typeOid(t: SqlType): number {
  switch (t.id) {
    case 'null':
    case 'unknown':
      return 25 // untyped literals go out as text
    case 'bool':
      return 16
    case 'int2':
      return 21
    case 'int4':
      return 23
    case 'int8':
      return 20
    case 'float4':
      return 700
    case 'float8':
      return 701
    case 'numeric':
      return 1700
    case 'text':
      return 25
    case 'varchar':
      return 1043
    case 'bpchar':
      return 1042
    case 'name':
      return 19
    case 'char':
      return 18
    case 'date':
      return 1082
    case 'time':
      return 1083
    case 'timestamp':
      return 1114
    case 'timestamptz':
      return 1184
    case 'interval':
      return 1186
    case 'oid':
      return 26
    case 'regclass':
      return 2205
    case 'regtype':
      return 2206
    case 'regproc':
      return 24
    case 'json':
      return 114
    case 'bytea':
      return 17
    case 'uuid':
      return 2950
    case 'array':
      return arrayOid(t.element)
  }
}

function arrayOid(element: SqlType): number {
  const table: Partial<Record<TypeId, number>> = {
    bool: 1000,
    int2: 1005,
    int4: 1007,
    int8: 1016,
    float4: 1021,
    float8: 1022,
    numeric: 1231,
    text: 1009,
    varchar: 1015,
    bpchar: 1014,
    name: 1003,
    char: 1002,
    date: 1182,
    timestamp: 1115,
    timestamptz: 1185,
    interval: 1187,
    oid: 1028,
    regtype: 2211,
  }
  return table[element.id] ?? 1009
}

/** Byte length PostgreSQL reports for a type in RowDescription (-1 = variable). */
export function typeLen(t: SqlType): number {
  switch (t.id) {
    case 'bool':
    case 'char':
      return 1
    case 'int2':
      return 2
    case 'int4':
    case 'float4':
    case 'date':
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      return 4
    case 'int8':
    case 'float8':
    case 'timestamp':
    case 'timestamptz':
    case 'time':
      return 8
    case 'interval':
      return 16
    case 'name':
      return 64
    case 'uuid':
      return 16
    default:
      return -1
  }
}

/** The type modifier PostgreSQL reports (atttypmod), -1 when none. */
export function typeMod(t: SqlType): number {
  if (t.id === 'numeric' && t.precision !== null && t.scale !== null) return ((t.precision << 16) | t.scale) + 4
  if ((t.id === 'varchar' || t.id === 'bpchar') && t.length !== null) return t.length + 4
  return -1
}

/** The type's name as format_type() prints it: `integer`, `numeric(15,2)`, `character varying(10)`. */
export function typeName(t: SqlType): string {
  switch (t.id) {
    case 'null':
    case 'unknown':
      return 'unknown'
    case 'bool':
      return 'boolean'
    case 'int2':
      return 'smallint'
    case 'int4':
      return 'integer'
    case 'int8':
      return 'bigint'
    case 'float4':
      return 'real'
    case 'float8':
      return 'double precision'
    case 'numeric':
      return t.precision !== null && t.scale !== null ? `numeric(${t.precision},${t.scale})` : 'numeric'
    case 'varchar':
      return t.length !== null ? `character varying(${t.length})` : 'character varying'
    case 'bpchar':
      return t.length !== null ? `character(${t.length})` : 'bpchar'
    case 'char':
      return '"char"'
    case 'time':
      return 'time without time zone'
    case 'timestamp':
      return 'timestamp without time zone'
    case 'timestamptz':
      return 'timestamp with time zone'
    case 'array':
      return `${typeName(t.element)}[]`
    default:
      return t.id
  }
}

/** The short internal name PostgreSQL uses in pg_type.typname (`int4`, `varchar`, `_int4`). */
export function pgTypeName(t: SqlType): string {
  if (t.id === 'array') return `_${pgTypeName(t.element)}`
  if (t.id === 'null') return 'unknown'
  return t.id
}

/** Structural equality of types, modifiers included. */
export function typeEquals(a: SqlType, b: SqlType): boolean {
  if (a.id !== b.id) return false
  if (a.id === 'numeric' && b.id === 'numeric') return a.precision === b.precision && a.scale === b.scale
  if ((a.id === 'varchar' || a.id === 'bpchar') && (b.id === 'varchar' || b.id === 'bpchar')) return a.length === b.length
  if (a.id === 'array' && b.id === 'array') return typeEquals(a.element, b.element)
  return true
}

/** Type categories, as in pg_type.typcategory: they drive implicit-cast resolution. */
export type TypeCategory = 'B' | 'N' | 'S' | 'D' | 'T' | 'U' | 'X' | 'A'

/** pg_type.typcategory of a type. */
export function typeCategory(t: SqlType): TypeCategory {
  switch (t.id) {
    case 'bool':
      return 'B'
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'numeric':
    case 'oid':
    case 'regclass':
    case 'regtype':
    case 'regproc':
      return 'N'
    case 'text':
    case 'varchar':
    case 'bpchar':
    case 'name':
    case 'char':
      return 'S'
    case 'date':
    case 'time':
    case 'timestamp':
    case 'timestamptz':
      return 'D'
    case 'interval':
      return 'T'
    case 'null':
    case 'unknown':
      return 'X'
    case 'array':
      return 'A'
    default:
      return 'U'
  }
}

/** True for the integer types. */
export const isInteger = (t: SqlType): boolean => t.id === 'int2' || t.id === 'int4' || t.id === 'int8'
/** True for every numeric type (integers, floats, numeric). */
export const isNumeric = (t: SqlType): boolean =>
  isInteger(t) || t.id === 'float4' || t.id === 'float8' || t.id === 'numeric'
/** True for the string types. */
export const isString = (t: SqlType): boolean =>
  t.id === 'text' || t.id === 'varchar' || t.id === 'bpchar' || t.id === 'name' || t.id === 'char'
/** True for the date/time types that denote a point in time. */
export const isTemporal = (t: SqlType): boolean => t.id === 'date' || t.id === 'timestamp' || t.id === 'timestamptz'

/**
 * Resolves a type name as written in SQL (after PostgreSQL's parser normalised it, e.g.
 * `pg_catalog.int4`) with its modifiers. Returns undefined for unknown names.
 */
export function typeFromName(rawName: string, mods: readonly number[] = [], arrayBounds = 0): SqlType | undefined {
  const name = rawName.toLowerCase().replace(/^pg_catalog\./, '')
  let t: SqlType | undefined
  switch (name) {
    case 'bool':
    case 'boolean':
      t = T.bool
      break
    case 'int2':
    case 'smallint':
    case 'tinyint':
      t = T.int2
      break
    case 'int4':
    case 'int':
    case 'integer':
    case 'serial':
    case 'serial4':
      t = T.int4
      break
    case 'int8':
    case 'bigint':
    case 'bigserial':
    case 'serial8':
    case 'long':
      t = T.int8
      break
    case 'float4':
    case 'real':
      t = T.float4
      break
    case 'float8':
    case 'double precision':
    case 'double':
      t = T.float8
      break
    case 'float':
      t = mods[0] !== undefined && mods[0] <= 24 ? T.float4 : T.float8
      break
    case 'numeric':
    case 'decimal':
      if (mods.length === 0) t = T.numeric
      else t = numericType(mods[0]!, mods[1] ?? 0)
      break
    case 'text':
    case 'string':
      t = T.text
      break
    case 'varchar':
    case 'character varying':
      t = charType('varchar', mods[0] ?? null)
      break
    case 'bpchar':
    case 'char':
    case 'character':
      t = charType('bpchar', mods[0] ?? (name === 'bpchar' ? null : 1))
      break
    case 'name':
      t = T.name
      break
    case '"char"':
      t = T.char
      break
    case 'date':
      t = T.date
      break
    case 'time':
    case 'time without time zone':
      t = T.time
      break
    case 'timestamp':
    case 'timestamp without time zone':
    case 'datetime':
      t = T.timestamp
      break
    case 'timestamptz':
    case 'timestamp with time zone':
      t = T.timestamptz
      break
    case 'interval':
      t = T.interval
      break
    case 'oid':
      t = T.oid
      break
    case 'regclass':
      t = T.regclass
      break
    case 'regtype':
      t = T.regtype
      break
    case 'regproc':
    case 'regprocedure':
      t = T.regproc
      break
    case 'json':
    case 'jsonb':
      t = T.json
      break
    case 'bytea':
      t = T.bytea
      break
    case 'uuid':
      t = T.uuid
      break
    case 'unknown':
      t = T.text
      break
    default:
      if (name.startsWith('_')) {
        const el = typeFromName(name.slice(1))
        t = el ? arrayType(el) : undefined
      }
  }
  if (t === undefined) return undefined
  for (let i = 0; i < arrayBounds; i++) t = arrayType(t)
  return t
}
