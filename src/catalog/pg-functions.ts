/**
 * The catalog and session functions clients call (version(), current_schemas(), current_setting(),
 * format_type(), pg_get_expr(), pg_get_indexdef(), pg_table_is_visible(), pg_size_pretty(), …)
 * and the array helpers their catalog queries use. Importing this module registers them.
 *
 * Session values come from EvalContext.session/settings, catalog contents from the catalog
 * digest in CatalogEvalContext.catalog; a function that needs one of them and does not get it
 * fails with XX000 rather than answering wrongly.
 */
import { readFileSync } from 'node:fs'
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import { arrayType, T, type SqlType } from '../common/types.js'
import { valueAt, vectorFromValues, type Value } from '../common/value.js'
import type { Vector } from '../common/vector.js'
import { formatValue } from '../kernels/format.js'
import { lookupFunctions, registerFunctions, type EvalContext, type ScalarFunction, type SessionEffect } from '../kernels/registry.js'
import { commonType } from '../binder/coerce.js'
import { AGGREGATES, WINDOW_FUNCTIONS } from '../binder/functions.js'
import { constraintDefinition, indexDefinition, modelRelation, type CatalogDigest } from './catalog-digest.js'
import {
  formatType,
  functionByOid,
  NAMESPACE_OIDS,
  oidOfType as oidOf,
  OWNER_OID,
  regclassIn,
  regclassOut,
  regnamespaceOut,
  regprocOut,
  regtypeOut,
  splitQualifiedName,
  systemRelationList,
  typeInfoByOid,
  typeOidFromName,
} from './catalog-oids.js'
import type { CatalogState } from './catalog.js'

/** The evaluation context with the catalog digest the catalog functions read. */
export interface CatalogEvalContext extends EvalContext {
  readonly catalog?: CatalogDigest
}

/** Flint's version (package.json). */
export const FLINT_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
  } catch {
    return '0.0.0'
  }
})()

/** version(): PostgreSQL's format, which SQLAlchemy and others parse for the major version. */
export function versionString(serverVersion: string): string {
  return `PostgreSQL ${serverVersion} (Flint ${FLINT_VERSION}) on ${process.arch === 'x64' ? 'x86_64' : process.arch}-pc-${process.platform}, compiled by TypeScript, 64-bit`
}

const needs = (what: string, fn: string): never => {
  throw execError('XX000', `${fn}() needs the ${what}, which this statement's evaluation context does not carry`)
}
const sessionOf = (ctx: EvalContext, fn: string): NonNullable<EvalContext['session']> => ctx.session ?? needs('session', fn)
const settingsOf = (ctx: EvalContext, fn: string): ReadonlyMap<string, string> => ctx.settings ?? needs('session settings', fn)
const digestOf = (ctx: EvalContext, fn: string): CatalogDigest => (ctx as CatalogEvalContext).catalog ?? needs('catalog', fn)

/** Parameter kinds of catalog functions: 'oid' takes any OID-like or integer value; '*' anything. */
type P = 'oid' | 'regclass' | 'int4' | 'int8' | 'text' | 'bool' | '*'

const OIDISH = new Set(['oid', 'regclass', 'regtype', 'regproc', 'int2', 'int4', 'int8'])
const STRINGS = new Set(['text', 'varchar', 'bpchar', 'name', 'char'])

function accepts(a: SqlType | null, p: P): boolean {
  if (a === null || a.id === 'null' || a.id === 'unknown' || p === '*') return true
  switch (p) {
    case 'oid':
    case 'regclass':
      return OIDISH.has(a.id)
    case 'int4':
    case 'int8':
      return a.id === 'int2' || a.id === 'int4' || a.id === 'int8' || a.id === 'oid'
    case 'text':
      return STRINGS.has(a.id)
    case 'bool':
      return a.id === 'bool'
  }
}

const target = (a: SqlType | null, p: P): SqlType => {
  if (p === '*') return a === null || a.id === 'null' || a.id === 'unknown' ? T.text : a
  return p === 'oid' ? T.oid : p === 'regclass' ? T.regclass : T[p]
}

/** A row-at-a-time kernel: the arguments of one row (NULL-free unless `nulls`) → the result value. */
type RowFn = (args: Value[], ctx: EvalContext) => Value

interface Decl {
  readonly params: readonly P[]
  readonly ret: SqlType
  readonly fn: RowFn
  /** When set, the function sees NULL arguments (otherwise a NULL argument gives NULL). */
  readonly nulls?: boolean
  /** When set, any number of trailing '*' arguments. */
  readonly variadic?: boolean
}

/** Declares a function from row-at-a-time overloads (catalog functions run over few rows). */
function rowFunction(name: string, decls: readonly Decl[], volatility: ScalarFunction['volatility'] = 'stable'): ScalarFunction {
  const pick = (argTypes: readonly (SqlType | null)[]): Decl | undefined =>
    decls.find((d) => (d.variadic ? argTypes.length >= d.params.length : argTypes.length === d.params.length) && argTypes.every((a, i) => accepts(a, d.params[i] ?? '*')))
  return {
    name,
    volatility,
    resolve(argTypes) {
      const d = pick(argTypes)
      if (!d) return undefined
      return { args: argTypes.map((a, i) => target(a, d.params[i] ?? '*')), ret: d.ret }
    },
    evaluate(args: readonly Vector[], n: number, ret: SqlType, ctx: EvalContext): Vector {
      const d = pick(args.map((a) => a.type))!
      const out: Value[] = new Array(n)
      const row: Value[] = new Array(args.length)
      for (let i = 0; i < n; i++) {
        let hasNull = false
        for (let k = 0; k < args.length; k++) {
          row[k] = valueAt(args[k]!, i)
          if (row[k] === null) hasNull = true
        }
        out[i] = hasNull && !d.nulls ? null : d.fn(row, ctx)
      }
      return vectorFromValues(ret, out)
    },
  }
}

const num = (v: Value | undefined): number => Number(v)
const str = (v: Value | undefined): string => String(v)

/** Whether a schema users created exists, per the statement's catalog digest. */
const userSchema =
  (ctx: EvalContext) =>
  (schema: string): boolean =>
    (ctx as CatalogEvalContext).catalog?.schemas?.includes(schema) ?? false

/** The search path as schemas that exist (built-in ones, or those `exists` accepts), pg_catalog first when `implicit`. */
export function searchPath(settings: ReadonlyMap<string, string> | undefined, user: string | undefined, implicit: boolean, exists: (schema: string) => boolean = () => false): string[] {
  const raw = settings?.get('search_path') ?? '"$user", public'
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => (s === '"$user"' || s === '$user' ? (user ?? '') : (splitQualifiedName(s)[0] ?? '')))
    .filter((s) => Object.hasOwn(NAMESPACE_OIDS, s) || exists(s))
  const out = implicit && !names.includes('pg_catalog') ? ['pg_catalog', ...names] : names
  return [...new Set(out)]
}

/** PostgreSQL's pg_size_pretty: bytes, kB, MB, GB, TB, PB with halves rounded away from zero. */
export function sizePretty(bytes: number): string {
  const units = ['kB', 'MB', 'GB', 'TB', 'PB']
  let size = bytes
  if (Math.abs(size) < 10 * 1024 - 0.5) return `${size} bytes`
  size = size / 512
  for (let u = 0; u < units.length; u++) {
    const half = size < 0 ? -Math.round(-size) : Math.round(size)
    const v = size < 0 ? -Math.floor((-half + 1) / 2) : Math.floor((half + 1) / 2)
    if (Math.abs(v) < 10 * 1024 - 0.5 || u === units.length - 1) return `${v} ${units[u]}`
    size = size / 1024
  }
  return `${bytes} bytes`
}

const ENCODINGS: Record<number, string> = { 0: 'SQL_ASCII', 6: 'UTF8', 8: 'LATIN1', 16: 'LATIN9', 24: 'WIN1252' }

/** The relation sizes the size functions report, from the digest. */
function relationBytes(ctx: EvalContext, oid: number, which: 'main' | 'table' | 'indexes' | 'total', fn: string): number | null {
  const digest = digestOf(ctx, fn)
  const rel = modelRelation(digest, oid)
  if (!rel) return systemRelationList().some((s) => s.oid === oid) ? 0 : null
  const indexes = digest.relations.filter((r) => r.kind === 'i' && r.tableOid === oid).reduce((s, r) => s + r.bytes, 0)
  if (which === 'indexes') return indexes
  if (which === 'total') return rel.bytes + indexes
  return rel.bytes
}

/** The signature PostgreSQL would describe a registry function by: the overload untyped arguments pick, 0 to 4 arguments. */
function probeSignature(name: string): { args: SqlType[]; ret: SqlType } | undefined {
  for (const f of lookupFunctions(name)) {
    for (let k = 0; k <= 4; k++) {
      const r = f.resolve(new Array<SqlType | null>(k).fill(null))
      if (r) return { args: [...r.args], ret: r.ret }
    }
  }
  return undefined
}

const functionName = (oid: number): string | undefined => functionByOid(oid, [...AGGREGATES, ...WINDOW_FUNCTIONS])

const regName = (typeId: string, oid: number, digest: CatalogDigest | undefined): string => {
  if (typeId === 'regtype') return regtypeOut(oid)
  if (typeId === 'regproc') return regprocOut(oid)
  if (typeId === 'regnamespace') return regnamespaceOut(oid)
  return digest ? regclassOut(digestState(digest), oid) : String(oid)
}

/** A catalog state stand-in built from a digest (names and OIDs only), for regclass output. */
function digestState(digest: CatalogDigest): CatalogState {
  const relations = new Map<string, never>()
  const state = { relations } as unknown as CatalogState
  for (const r of digest.relations) {
    if (r.kind === 'i' || r.kind === 'S') continue
    relations.set(r.name, (r.kind === 'v' ? { kind: 'view', oid: r.oid, name: r.name } : { kind: 'table', def: { oid: r.oid, name: r.name, primaryKey: r.primaryKey ? r.primaryKey.attnums : null, uniques: (r.uniques ?? []).map((u) => ({ name: u.name, columns: [], oid: u.constraintOid, indexOid: u.indexOid })), indexes: (r.indexes ?? []).map((i) => ({ name: i.name, columns: [], oid: i.indexOid, unique: i.unique })) } }) as never)
  }
  return state
}

/** JSON text of one value, as json_build_object writes it. */
function jsonValue(v: Vector, i: number): string {
  const x = valueAt(v, i)
  if (x === null) return 'null'
  const t = v.type.id
  if (t === 'bool') return x ? 'true' : 'false'
  if (t === 'int2' || t === 'int4' || t === 'int8' || t === 'float4' || t === 'float8' || t === 'numeric' || t === 'oid') {
    const s = formatValue(v, i) ?? 'null'
    return /^-?\d/.test(s) ? s : JSON.stringify(s)
  }
  if (t === 'json') return String(x)
  return JSON.stringify(formatValue(v, i) ?? '')
}

const jsonBuildObject: ScalarFunction = {
  name: 'json_build_object',
  volatility: 'stable',
  // values go through formatValue, exact for both int8 layouts
  wideInt8: true,
  resolve(argTypes) {
    if (argTypes.length % 2 !== 0) return undefined
    return { args: argTypes.map((a) => (a === null || a.id === 'null' || a.id === 'unknown' ? T.text : a)), ret: T.json }
  },
  evaluate(args, n, ret) {
    const out: Value[] = []
    for (let i = 0; i < n; i++) {
      const parts: string[] = []
      for (let k = 0; k < args.length; k += 2) {
        const key = valueAt(args[k]!, i)
        if (key === null) throw execError(SqlState.invalidParameterValue, 'null value not allowed for object key')
        parts.push(`${JSON.stringify(formatValue(args[k]!, i))} : ${jsonValue(args[k + 1]!, i)}`)
      }
      out.push(`{${parts.join(', ')}}`)
    }
    return vectorFromValues(ret, out)
  },
}

/** An array function over an array argument (any element type) and integer/other arguments. */
function arrayFunction(name: string, arity: number, ret: SqlType | ((el: SqlType) => SqlType), fn: (arr: readonly Value[], rest: Value[]) => Value): ScalarFunction {
  return {
    name,
    volatility: 'immutable',
    resolve(argTypes) {
      if (argTypes.length !== arity) return undefined
      const a = argTypes[0]
      if (!a || a.id !== 'array') return undefined
      const el = a.element
      const rest = argTypes.slice(1).map((t) => (name === 'array_position' ? el : t === null || t.id === 'null' || t.id === 'unknown' ? T.int4 : t))
      if (name !== 'array_position' && !rest.every((t) => t.id === 'int4' || t.id === 'int2' || t.id === 'int8')) return undefined
      return { args: [a, ...rest.map((t) => (name === 'array_position' ? t : T.int4))], ret: typeof ret === 'function' ? ret(el) : ret }
    },
    evaluate(args, n, retType) {
      const out: Value[] = []
      for (let i = 0; i < n; i++) {
        const arr = valueAt(args[0]!, i) as readonly Value[] | null
        const rest = args.slice(1).map((v) => valueAt(v, i))
        out.push(arr === null || (name !== 'array_position' && rest.some((r) => r === null)) ? null : fn(arr, rest))
      }
      return vectorFromValues(retType, out)
    },
  }
}

/**
 * array_cat(array, array), array_append(array, element), array_prepend(element, array): the
 * functions of `||` on arrays, over one-dimensional arrays of any element type (the common type of
 * both sides). A NULL array counts as empty; array_cat of two NULLs is NULL.
 */
function arrayConcatenation(name: 'array_cat' | 'array_append' | 'array_prepend'): ScalarFunction {
  const arrayArgs = name === 'array_cat' ? [true, true] : name === 'array_append' ? [true, false] : [false, true]
  return {
    name,
    volatility: 'immutable',
    resolve(argTypes) {
      if (argTypes.length !== 2) return undefined
      const elements: (SqlType | null)[] = []
      for (let k = 0; k < 2; k++) {
        const t = argTypes[k]!
        const untyped = t === null || t.id === 'null' || t.id === 'unknown'
        if (!untyped && (t.id === 'array') !== arrayArgs[k]) return undefined
        elements.push(untyped ? null : t.id === 'array' ? t.element : t)
      }
      if (elements.every((e) => e === null)) return undefined
      const el = commonType(elements, name)
      if (el.id === 'array') throw new NotImplementedError('concatenation of multidimensional arrays is not supported')
      const ret = arrayType(el)
      return { args: arrayArgs.map((isArray) => (isArray ? ret : el)), ret }
    },
    evaluate(args, n, ret) {
      const out: Value[] = new Array(n)
      for (let i = 0; i < n; i++) {
        const a = valueAt(args[0]!, i)
        const b = valueAt(args[1]!, i)
        if (name === 'array_cat') out[i] = a === null && b === null ? null : [...((a ?? []) as Value[]), ...((b ?? []) as Value[])]
        else if (name === 'array_append') out[i] = [...((a ?? []) as Value[]), b]
        else out[i] = [a, ...((b ?? []) as Value[])]
      }
      return vectorFromValues(ret, out)
    },
  }
}

const sameValue = (a: Value, b: Value): boolean => (typeof a === 'object' || typeof b === 'object' ? JSON.stringify(a) === JSON.stringify(b) : a === b)

/** The catalog, session and array functions of this module. */
export const catalogFunctions: ScalarFunction[] = [
  rowFunction('version', [{ params: [], ret: T.text, fn: (_a, ctx) => versionString(ctx.settings?.get('server_version') ?? '15.0') }]),
  rowFunction('current_schema', [{ params: [], ret: T.name, fn: (_a, ctx) => searchPath(ctx.settings, ctx.session?.user, false, userSchema(ctx))[0] ?? null }]),
  rowFunction('current_schemas', [{ params: ['bool'], ret: arrayType(T.name), fn: (a, ctx) => searchPath(ctx.settings, ctx.session?.user, a[0] === true, userSchema(ctx)) }]),
  rowFunction('current_database', [{ params: [], ret: T.name, fn: (_a, ctx) => sessionOf(ctx, 'current_database').database }]),
  rowFunction('current_catalog', [{ params: [], ret: T.name, fn: (_a, ctx) => sessionOf(ctx, 'current_catalog').database }]),
  rowFunction('current_setting', [
    { params: ['text'], ret: T.text, fn: (a, ctx) => setting(ctx, str(a[0]), false) },
    { params: ['text', 'bool'], ret: T.text, fn: (a, ctx) => setting(ctx, str(a[0]), a[1] === true) },
  ]),
  rowFunction(
    'format_type',
    [{ params: ['oid', 'int4'], ret: T.text, nulls: true, fn: (a) => (a[0] === null ? null : formatType(num(a[0]), a[1] === null || a[1] === undefined ? null : num(a[1]))) }],
    'stable',
  ),
  rowFunction('pg_get_expr', [
    { params: ['text', 'oid'], ret: T.text, fn: (a) => a[0] ?? null },
    { params: ['text', 'oid', 'bool'], ret: T.text, fn: (a) => a[0] ?? null },
  ]),
  rowFunction('pg_table_is_visible', [{ params: ['oid'], ret: T.bool, fn: (a, ctx) => tableVisible(ctx, num(a[0])) }]),
  rowFunction('pg_type_is_visible', [{ params: ['oid'], ret: T.bool, fn: (a) => (typeInfoByOid(num(a[0])) ? true : null) }]),
  rowFunction('pg_function_is_visible', [{ params: ['oid'], ret: T.bool, fn: (a) => (functionName(num(a[0])) !== undefined ? true : null) }]),
  rowFunction(
    'set_config',
    [{ params: ['text', 'text', 'bool'], ret: T.text, nulls: true, fn: (a, ctx) => setConfig(ctx, a[0] ?? null, a[1] ?? null, a[2] === true) }],
    'volatile',
  ),
  rowFunction('pg_backend_pid', [{ params: [], ret: T.int4, fn: (_a, ctx) => sessionOf(ctx, 'pg_backend_pid').pid }]),
  rowFunction('txid_current', [{ params: [], ret: T.int8, fn: (_a, ctx) => sessionOf(ctx, 'txid_current').xid }], 'volatile'),
  rowFunction('pg_cancel_backend', [{ params: ['int4'], ret: T.bool, fn: (a, ctx) => signalBackend(ctx, num(a[0]), false) }], 'volatile'),
  rowFunction(
    'pg_terminate_backend',
    [
      { params: ['int4'], ret: T.bool, fn: (a, ctx) => signalBackend(ctx, num(a[0]), true) },
      { params: ['int4', 'int8'], ret: T.bool, fn: (a, ctx) => signalBackend(ctx, num(a[0]), true) },
    ],
    'volatile',
  ),
  rowFunction('pg_get_userbyid', [{ params: ['oid'], ret: T.name, fn: (a, ctx) => (num(a[0]) === OWNER_OID ? sessionOf(ctx, 'pg_get_userbyid').user : `unknown (OID=${num(a[0])})`) }]),
  rowFunction('pg_encoding_to_char', [{ params: ['int4'], ret: T.name, fn: (a) => ENCODINGS[num(a[0])] ?? '' }], 'immutable'),
  rowFunction('pg_char_to_encoding', [{ params: ['text'], ret: T.int4, fn: (a) => Number(Object.entries(ENCODINGS).find(([, v]) => v === str(a[0]).toUpperCase())?.[0] ?? -1) }], 'immutable'),
  // Flint keeps no comments: pg_description is empty, so every description is NULL
  rowFunction('obj_description', [
    { params: ['oid'], ret: T.text, nulls: true, fn: () => null },
    { params: ['oid', 'text'], ret: T.text, nulls: true, fn: () => null },
  ]),
  rowFunction('col_description', [{ params: ['oid', 'int4'], ret: T.text, nulls: true, fn: () => null }]),
  rowFunction('shobj_description', [{ params: ['oid', 'text'], ret: T.text, nulls: true, fn: () => null }]),
  // Flint has no privileges: every session may do everything
  ...['has_table_privilege', 'has_schema_privilege', 'has_database_privilege', 'has_column_privilege', 'has_function_privilege', 'has_sequence_privilege', 'has_any_column_privilege'].map((name) =>
    rowFunction(name, [
      { params: ['*', '*'], ret: T.bool, fn: () => true },
      { params: ['*', '*', '*'], ret: T.bool, fn: () => true },
      { params: ['*', '*', '*', '*'], ret: T.bool, fn: () => true },
    ]),
  ),
  rowFunction('pg_has_role', [
    { params: ['*', '*'], ret: T.bool, fn: () => true },
    { params: ['*', '*', '*'], ret: T.bool, fn: () => true },
  ]),
  rowFunction('pg_get_constraintdef', [
    { params: ['oid'], ret: T.text, fn: (a, ctx) => constraintDefinition(digestOf(ctx, 'pg_get_constraintdef'), num(a[0])) },
    { params: ['oid', 'bool'], ret: T.text, fn: (a, ctx) => constraintDefinition(digestOf(ctx, 'pg_get_constraintdef'), num(a[0]), a[1] === true) },
  ]),
  // Flint has no triggers (pg_trigger is empty): no definition to print
  rowFunction('pg_get_triggerdef', [
    { params: ['oid'], ret: T.text, fn: () => null },
    { params: ['oid', 'bool'], ret: T.text, fn: () => null },
  ]),
  rowFunction('pg_get_indexdef', [
    { params: ['oid'], ret: T.text, fn: (a, ctx) => indexDefinition(digestOf(ctx, 'pg_get_indexdef'), num(a[0])) },
    { params: ['oid', 'int4', 'bool'], ret: T.text, fn: (a, ctx) => indexDefinition(digestOf(ctx, 'pg_get_indexdef'), num(a[0]), num(a[1])) },
  ]),
  rowFunction('pg_get_viewdef', [
    { params: ['oid'], ret: T.text, fn: (a, ctx) => viewDefinition(ctx, a[0]!) },
    { params: ['oid', 'bool'], ret: T.text, fn: (a, ctx) => viewDefinition(ctx, a[0]!) },
    { params: ['oid', 'int4'], ret: T.text, fn: (a, ctx) => viewDefinition(ctx, a[0]!) },
    { params: ['text'], ret: T.text, fn: (a, ctx) => viewDefinition(ctx, a[0]!) },
    { params: ['text', 'bool'], ret: T.text, fn: (a, ctx) => viewDefinition(ctx, a[0]!) },
  ]),
  rowFunction('pg_get_statisticsobjdef_columns', [{ params: ['oid'], ret: T.text, fn: () => null }]),
  // Flint has no sequences (serial and identity columns are rejected), so no column owns one
  rowFunction('pg_get_serial_sequence', [{ params: ['text', 'text'], ret: T.text, fn: () => null }]),
  rowFunction('pg_relation_is_publishable', [{ params: ['regclass'], ret: T.bool, fn: (a, ctx) => modelRelation(digestOf(ctx, 'pg_relation_is_publishable'), num(a[0]))?.kind === 'r' }]),
  rowFunction('pg_relation_size', [
    { params: ['regclass'], ret: T.int8, fn: (a, ctx) => relationBytes(ctx, num(a[0]), 'main', 'pg_relation_size') },
    { params: ['regclass', 'text'], ret: T.int8, fn: (a, ctx) => (str(a[1]) === 'main' ? relationBytes(ctx, num(a[0]), 'main', 'pg_relation_size') : 0) },
  ]),
  rowFunction('pg_table_size', [{ params: ['regclass'], ret: T.int8, fn: (a, ctx) => relationBytes(ctx, num(a[0]), 'table', 'pg_table_size') }]),
  rowFunction('pg_indexes_size', [{ params: ['regclass'], ret: T.int8, fn: (a, ctx) => relationBytes(ctx, num(a[0]), 'indexes', 'pg_indexes_size') }]),
  rowFunction('pg_total_relation_size', [{ params: ['regclass'], ret: T.int8, fn: (a, ctx) => relationBytes(ctx, num(a[0]), 'total', 'pg_total_relation_size') }]),
  rowFunction('pg_database_size', [{ params: ['*'], ret: T.int8, fn: (_a, ctx) => digestOf(ctx, 'pg_database_size').relations.reduce((s, r) => s + r.bytes, 0) }]),
  rowFunction('pg_size_pretty', [{ params: ['int8'], ret: T.text, fn: (a) => sizePretty(num(a[0])) }], 'immutable'),
  rowFunction('pg_postmaster_start_time', [{ params: [], ret: T.timestamptz, fn: () => Math.round((Date.now() - process.uptime() * 1000) / 1000) * 1000 * 1000 }]),
  rowFunction('pg_is_in_recovery', [{ params: [], ret: T.bool, fn: () => false }]),
  rowFunction('pg_get_function_result', [{ params: ['oid'], ret: T.text, fn: (a) => functionText(num(a[0]), 'result') }]),
  rowFunction('pg_get_function_arguments', [{ params: ['oid'], ret: T.text, fn: (a) => functionText(num(a[0]), 'arguments') }]),
  rowFunction('pg_get_function_identity_arguments', [{ params: ['oid'], ret: T.text, fn: (a) => functionText(num(a[0]), 'arguments') }]),
  rowFunction('to_regclass', [{ params: ['text'], ret: T.regclass, fn: (a, ctx) => toRegclass(ctx, str(a[0])) }]),
  rowFunction('to_regtype', [{ params: ['text'], ret: T.regtype, fn: (a) => typeOidOrNull(str(a[0])) }]),
  // reg* output by name, for the binder's casts of reg* values to text
  rowFunction('__reg_name', [{ params: ['oid', 'text'], ret: T.text, fn: (a, ctx) => regName(str(a[1]), num(a[0]), (ctx as CatalogEvalContext).catalog) }]),
  {
    ...rowFunction('__regclass_name', [{ params: ['oid', '*', '*'], ret: T.text, fn: (a) => regclassFromLists(num(a[0]), a[1] as readonly Value[], a[2] as readonly Value[]) }]),
    resolve(argTypes) {
      if (argTypes.length !== 3) return undefined
      return { args: [T.oid, arrayType(T.int8), arrayType(T.text)], ret: T.text }
    },
  },
  jsonBuildObject,
  arrayFunction('array_upper', 2, T.int4, (arr, [d]) => (num(d) === 1 && arr.length > 0 ? arr.length : null)),
  arrayFunction('array_lower', 2, T.int4, (arr, [d]) => (num(d) === 1 && arr.length > 0 ? 1 : null)),
  arrayFunction('array_length', 2, T.int4, (arr, [d]) => (num(d) === 1 && arr.length > 0 ? arr.length : null)),
  // arr[i] (the binder's subscript): elements from 1, NULL out of range
  arrayFunction('__array_subscript', 2, (el) => el, (arr, [i]) => arr[num(i) - 1] ?? null),
  arrayConcatenation('array_cat'),
  arrayConcatenation('array_append'),
  arrayConcatenation('array_prepend'),
  arrayFunction('cardinality', 1, T.int4, (arr) => arr.length),
  arrayFunction('array_position', 2, T.int4, (arr, [x]) => {
    const k = arr.findIndex((e) => e !== null && x !== null && x !== undefined && sameValue(e, x))
    return k < 0 ? null : k + 1
  }),
]

const effectsOf = (ctx: EvalContext, fn: string): SessionEffect[] => ctx.effects ?? needs('session effects', fn)

/** set_config(name, value, is_local): records the change for the session and returns the new value. */
function setConfig(ctx: EvalContext, name: Value, value: Value, local: boolean): string {
  if (name === null) throw execError(SqlState.invalidParameterValue, 'SET requires parameter name')
  if (value === null) throw execError(SqlState.featureNotSupported, 'set_config with a NULL value is not supported')
  effectsOf(ctx, 'set_config').push({ kind: 'setting', name: str(name), value: str(value), local })
  return str(value)
}

/** pg_cancel_backend / pg_terminate_backend: true when the pid is a session of this engine (the session then signals it). */
function signalBackend(ctx: EvalContext, pid: number, terminate: boolean): boolean {
  effectsOf(ctx, terminate ? 'pg_terminate_backend' : 'pg_cancel_backend').push({ kind: 'signal', pid, terminate })
  return sessionOf(ctx, terminate ? 'pg_terminate_backend' : 'pg_cancel_backend').backends.includes(pid)
}

function setting(ctx: EvalContext, name: string, missingOk: boolean): Value {
  const key = name.toLowerCase()
  // a set_config earlier in this statement already counts
  let v: string | undefined
  for (const e of ctx.effects ?? []) if (e.kind === 'setting' && e.name.toLowerCase() === key) v = e.value
  v ??= settingsOf(ctx, 'current_setting').get(key)
  if (v === undefined) {
    if (missingOk) return null
    throw execError(SqlState.undefinedObject, `unrecognized configuration parameter "${name}"`)
  }
  return v
}

/**
 * pg_table_is_visible: catalog relations live in pg_catalog (always searched) or information_schema
 * (never on the path); user relations (OIDs from 16384) live in public. NULL for an OID the
 * catalog digest, when the statement carries one, does not know.
 */
function tableVisible(ctx: EvalContext, oid: number): boolean | null {
  const sys = systemRelationList().find((s) => s.oid === oid)
  if (sys) return sys.schema === 'pg_catalog'
  if (oid < 16384) return null
  const digest = (ctx as CatalogEvalContext).catalog
  if (digest && !modelRelation(digest, oid)) return null
  return searchPath(ctx.settings, ctx.session?.user, true).includes('public')
}

function viewDefinition(ctx: EvalContext, arg: Value): string | null {
  const digest = digestOf(ctx, 'pg_get_viewdef')
  const rel = typeof arg === 'string' ? digest.relations.find((r) => r.name === splitQualifiedName(arg).pop()) : modelRelation(digest, num(arg))
  return rel?.kind === 'v' ? rel.viewDefinition : null
}

function functionText(oid: number, what: 'result' | 'arguments'): string | null {
  const name = functionName(oid)
  if (name === undefined) return null
  const sig = probeSignature(name)
  if (!sig) return null
  return what === 'result' ? formatType(oidOf(sig.ret), -1) : sig.args.map((a) => formatType(oidOf(a), -1)).join(', ')
}

function toRegclass(ctx: EvalContext, text: string): number | null {
  try {
    return regclassIn(digestState(digestOf(ctx, 'to_regclass')), text)
  } catch {
    return null
  }
}

const typeOidOrNull = (text: string): number | null => typeOidFromName(text) ?? null

function regclassFromLists(oid: number, oids: readonly Value[], names: readonly Value[]): string {
  const k = oids.indexOf(oid)
  return k >= 0 ? String(names[k]) : String(oid)
}

registerFunctions(catalogFunctions)
