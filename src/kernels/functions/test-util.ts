/**
 * Test support for the function library: a case is a function call with typed literal arguments
 * and the text PostgreSQL 15 printed for it (or the SQLSTATE it raised). `runCase` resolves and
 * evaluates the call the way the binder and executor do; `caseSql` gives the same call as SQL.
 */
import assert from 'node:assert/strict'
import { EngineError } from '../../common/errors.js'
import { arrayType, charType, layoutOf, numericType, T, typeFromName, type SqlType } from '../../common/types.js'
import { jsonKey, vectorFromValues, type Value } from '../../common/value.js'
import { formatValue } from '../format.js'
import { lookupFunctions, type EvalContext } from '../registry.js'

/** A typed literal argument: [type name as in SQL ('unknown' = untyped literal), value]. */
export type Arg = readonly [string, Value]

/** An expected error: its SQLSTATE. */
export interface ExpectedError {
  readonly error: string
}

/** One call and its PostgreSQL result text. */
export interface Case {
  readonly fn: string
  readonly args: readonly Arg[]
  readonly expect: string | null | ExpectedError
  /** SQL to run in PostgreSQL when the call is not a plain function call there. */
  readonly sql?: string
}

/** Declares a case. */
export const c = (fn: string, args: readonly Arg[], expect: Case['expect'], sql?: string): Case =>
  sql === undefined ? { fn, args, expect } : { fn, args, expect, sql }

/** An expected SQLSTATE. */
export const E = (code: string): ExpectedError => ({ error: code })

/** Shorthands for argument literals. */
export const t = (v: string | null): Arg => ['text', v]
/** An int4 literal. */
export const i4 = (v: number | null): Arg => ['int4', v]
/** An int8 literal. */
export const i8 = (v: number | bigint | null): Arg => ['int8', v]
/** A float8 literal. */
export const f8 = (v: number | string | null): Arg => ['float8', v]
/** A numeric literal written as text to keep its scale. */
export const num = (v: string | null): Arg => ['numeric', v]
/** An untyped literal. */
export const u = (v: string | null): Arg => ['unknown', v]

/** The SqlType of a test type name. */
export function typeOf(name: string): SqlType | null {
  if (name === 'unknown') return null
  if (name.endsWith('[]')) return arrayType(typeOf(name.slice(0, -2)) ?? T.text)
  const m = /^(\w+)\((\d+)(?:,(\d+))?\)$/.exec(name)
  if (m) {
    if (m[1] === 'numeric') return numericType(Number(m[2]), Number(m[3] ?? 0))
    return charType(m[1] === 'varchar' ? 'varchar' : 'bpchar', Number(m[2]))
  }
  const ty = typeFromName(name)
  if (ty === undefined) throw new Error(`unknown test type ${name}`)
  return ty
}

const ctx: EvalContext = { now: 0, timezone: 'UTC' }

function coerce(v: Value, type: SqlType): Value {
  if (v === null) return null
  if (type.id === 'array') return (v as Value[]).map((e) => coerce(e, (type as { element: SqlType }).element))
  if (type.id === 'bool') return v === true || v === 't' || v === 'true'
  if (type.id === 'numeric') return String(v)
  if (type.id === 'date') return Date.parse(`${String(v)}T00:00:00Z`) / 86400000
  const layout = layoutOf(type)
  if (layout === 'utf8') return String(v)
  if (typeof v === 'bigint') return type.id === 'int8' ? v : Number(v)
  return Number(v)
}

/** Resolves and evaluates a case over `rows` copies of its arguments; returns each row's text. */
export function runCaseRows(cs: Case, rows = 1): (string | null)[] {
  const argTypes = cs.args.map(([ty]) => typeOf(ty))
  let res
  let fn
  for (const f of lookupFunctions(cs.fn)) {
    res = f.resolve(argTypes)
    if (res) {
      fn = f
      break
    }
  }
  if (!res || !fn) throw new Error(`no resolution for ${cs.fn}(${cs.args.map((a) => a[0]).join(', ')})`)
  const vecs = cs.args.map(([, v], k) => {
    const ty = res.args[k]!
    return vectorFromValues(ty, new Array<Value>(rows).fill(coerce(v, ty)))
  })
  const out = fn.evaluate(vecs, rows, res.ret, ctx)
  const texts: (string | null)[] = []
  for (let i = 0; i < rows; i++) texts.push(formatValue(out, i, ctx))
  return texts
}

/** Runs a case: the result text, or `{ error: SQLSTATE }` when it raised. */
export function runCase(cs: Case): string | null | ExpectedError {
  try {
    return runCaseRows(cs)[0]!
  } catch (e) {
    if (e instanceof EngineError) return { error: e.code }
    throw e
  }
}

const sqlLiteral = ([ty, v]: Arg): string => {
  if (ty === 'unknown') return v === null ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`
  if (v === null) return `NULL::${ty}`
  if (Array.isArray(v)) {
    const el = (e: Value): string => (e === null ? 'NULL' : typeof e === 'string' ? `'${e.replace(/'/g, "''")}'` : String(e))
    return `ARRAY[${v.map(el).join(',')}]::${ty}`
  }
  return `'${String(v).replace(/'/g, "''")}'::${ty}`
}

/** The case as PostgreSQL SQL (a one-column SELECT; read its value in text format). */
export function caseSql(cs: Case): string {
  if (cs.sql !== undefined) return `select ${cs.sql}`
  return `select ${cs.fn}(${cs.args.map(sqlLiteral).join(', ')})`
}

/** Declares one mocha test per case, comparing Flint's result text with PostgreSQL's. */
export function itCases(cases: readonly Case[]): void {
  for (const cs of cases) {
    const label = `${cs.fn}(${cs.args.map(([ty, v]) => `${jsonKey(v)}::${ty}`).join(', ')})`
    it(`${label} → ${jsonKey(cs.expect)}`, () => {
      assert.deepEqual(runCase(cs), cs.expect)
    })
  }
}
