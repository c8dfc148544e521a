/**
 * Declaring function signatures and resolving calls the way PostgreSQL's func_select_candidate does:
 * exact matches first, then preferred types (float8, text) where a conversion is needed, then the
 * category an untyped literal most likely belongs to. Each function is declared as a list of
 * overloads; one ScalarFunction per name holds them all.
 */
import { charType, numericType, T, type SqlType, type TypeCategory } from '../../common/types.js'
import type { Vector } from '../../common/vector.js'
import type { EvalContext, Resolution, ScalarFunction } from '../registry.js'

/** A declared parameter: a concrete type id, `any` ("any"), `anyelement` or `anyarray`, or `text[]`. */
export type Param =
  | 'bool'
  | 'int2'
  | 'int4'
  | 'int8'
  | 'float4'
  | 'float8'
  | 'numeric'
  | 'text'
  | 'bpchar'
  | 'name'
  | 'bytea'
  | 'uuid'
  | 'text[]'
  | 'any'
  | 'anyelement'
  | 'anyarray'

/** The vector kernel of one overload. */
export type Kernel = (args: readonly Vector[], n: number, ret: SqlType, ctx: EvalContext) => Vector

/** One overload: parameters (optionally a variadic tail), result type and kernel. */
export interface Overload {
  readonly params: readonly Param[]
  /** When set, any number (≥ 1) of trailing arguments of this kind follow `params`. */
  readonly variadic?: Param
  /** The result type, or a function of the argument types the binder will cast to. */
  readonly ret: SqlType | ((args: readonly SqlType[]) => SqlType)
  readonly kernel: Kernel
}

type ArgType = SqlType | null

const implicitNumeric: Record<string, readonly string[]> = {
  int2: ['int4', 'int8', 'numeric', 'float4', 'float8'],
  int4: ['int8', 'numeric', 'float4', 'float8'],
  int8: ['numeric', 'float4', 'float8'],
  numeric: ['float4', 'float8'],
  float4: ['float8'],
  oid: ['int8', 'numeric', 'float4', 'float8'],
}
const stringIds = new Set(['text', 'varchar', 'bpchar', 'name', 'char'])

function paramCategory(p: Param): TypeCategory | 'P' {
  switch (p) {
    case 'bool':
      return 'B'
    case 'int2':
    case 'int4':
    case 'int8':
    case 'float4':
    case 'float8':
    case 'numeric':
      return 'N'
    case 'text':
    case 'bpchar':
    case 'name':
      return 'S'
    case 'text[]':
      return 'A'
    case 'bytea':
    case 'uuid':
      return 'U'
    default:
      return 'P'
  }
}

const isPreferred = (p: Param): boolean => p === 'float8' || p === 'text' || p === 'bool'

const normArg = (a: ArgType): ArgType => (a === null || a.id === 'null' || (a.id as string) === 'unknown' ? null : a)

/** True when the argument type equals the parameter type exactly. */
function exactMatch(a: SqlType, p: Param): boolean {
  if (p === 'text[]') return a.id === 'array' && a.element.id === 'text'
  return a.id === p
}

/** True when a value of type `a` converts implicitly to `p` (null = untyped literal). */
export function canCoerce(a: ArgType, p: Param): boolean {
  if (p === 'any') return true
  if (a === null) return p !== 'anyarray' && p !== 'anyelement'
  if (p === 'anyelement') return true
  if (p === 'anyarray') return a.id === 'array'
  if (exactMatch(a, p)) return true
  if (p === 'text[]') return a.id === 'array' && stringIds.has(a.element.id)
  if (p === 'text' || p === 'bpchar' || p === 'name') return stringIds.has(a.id)
  return implicitNumeric[a.id]?.includes(p) === true
}

/** The type the binder casts an argument to for a parameter. */
function targetType(a: ArgType, p: Param): SqlType {
  switch (p) {
    case 'any':
    case 'anyelement':
    case 'anyarray':
      return a ?? T.text
    case 'numeric':
      if (a !== null && a.id === 'numeric') return a
      if (a !== null && (a.id === 'int2' || a.id === 'int4' || a.id === 'int8')) return numericType(null, 0)
      return T.numeric
    case 'bpchar':
      return a !== null && a.id === 'bpchar' ? a : charType('bpchar', null)
    case 'text[]':
      return { id: 'array', element: T.text }
    default:
      return T[p]
  }
}

function paramsFor(o: Overload, nargs: number): Param[] | undefined {
  if (o.variadic === undefined) return nargs === o.params.length ? [...o.params] : undefined
  if (nargs < o.params.length + 1) return undefined
  const ps = [...o.params]
  while (ps.length < nargs) ps.push(o.variadic)
  return ps
}

/** Picks the overload PostgreSQL would pick for these argument types; -1 when none. */
export function selectOverload(overloads: readonly Overload[], rawArgs: readonly ArgType[]): number {
  return chooseOverload(overloads, rawArgs).idx
}

/**
 * The overload for these argument types (-1 when none) and whether PostgreSQL would find the call
 * ambiguous ("is not unique"): several candidates survive every rule, and the first declared is
 * only a fallback.
 */
function chooseOverload(overloads: readonly Overload[], rawArgs: readonly ArgType[]): { idx: number; ambiguous: boolean } {
  const pick = (idx: number | undefined): { idx: number; ambiguous: boolean } => ({ idx: idx ?? -1, ambiguous: false })
  const args = rawArgs.map(normArg)
  let cands: { idx: number; ps: Param[] }[] = []
  overloads.forEach((o, idx) => {
    const ps = paramsFor(o, args.length)
    if (ps && ps.every((p, i) => canCoerce(args[i]!, p))) cands.push({ idx, ps })
  })
  if (cands.length <= 1) return pick(cands[0]?.idx)
  // exact matches
  const keepMax = (score: (c: { ps: Param[] }) => number): void => {
    let best = -1
    for (const c of cands) best = Math.max(best, score(c))
    cands = cands.filter((c) => score(c) === best)
  }
  keepMax((c) => c.ps.reduce((s, p, i) => s + (args[i] !== null && exactMatch(args[i]!, p) ? 1 : 0), 0))
  if (cands.length === 1) return pick(cands[0]!.idx)
  // preferred types where a conversion is required
  keepMax((c) => c.ps.reduce((s, p, i) => s + (args[i] !== null && (exactMatch(args[i]!, p) || isPreferred(p)) ? 1 : 0), 0))
  if (cands.length === 1) return pick(cands[0]!.idx)
  // untyped literals: choose a category per position (string if any candidate takes one)
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== null) continue
    const cats = new Set(cands.map((c) => paramCategory(c.ps[i]!)))
    let cat: TypeCategory | 'P'
    if (cats.has('S')) cat = 'S'
    else if (cats.size === 1) cat = [...cats][0]!
    else if (cats.has('P') && cats.size === 2) cat = [...cats].find((c) => c !== 'P')!
    else continue
    const inCat = cands.filter((c) => paramCategory(c.ps[i]!) === cat || paramCategory(c.ps[i]!) === 'P')
    const preferred = inCat.filter((c) => isPreferred(c.ps[i]!))
    cands = preferred.length > 0 ? preferred : inCat
    if (cands.length === 1) return pick(cands[0]!.idx)
  }
  // unknowns with all known args of one type: assume that type
  const known = args.filter((a): a is SqlType => a !== null)
  if (known.length > 0 && known.length < args.length && known.every((k) => k.id === known[0]!.id)) {
    const k = known[0]!
    const fit = cands.filter((c) => c.ps.every((p, i) => args[i] !== null || canCoerce(k, p)))
    if (fit.length >= 1) cands = fit
  }
  if (cands.length === 1) return pick(cands[0]!.idx)
  // still ambiguous: PostgreSQL fails; the first declared stays usable for catalog listings
  return { idx: cands[0]?.idx ?? -1, ambiguous: cands.length > 1 }
}

/** The types the binder must cast the arguments to for an overload. */
function castTargets(o: Overload, args: readonly ArgType[]): SqlType[] {
  const ps = paramsFor(o, args.length)!
  return ps.map((p, i) => targetType(normArg(args[i]!), p))
}

/** Marks a function whose kernels handle int8 arguments in the wide layout (common/int8.ts). */
export const takesWideInt8 = (f: ScalarFunction): ScalarFunction => ({ ...f, wideInt8: true })

/** Declares a SQL function with its overloads. */
export function defineFunction(
  name: string,
  overloads: readonly Overload[],
  volatility: ScalarFunction['volatility'] = 'immutable',
): ScalarFunction {
  const cache = new Map<string, number>()
  const pick = (types: readonly SqlType[]): Overload => {
    const key = types.map(typeKey).join(',')
    let idx = cache.get(key)
    if (idx === undefined) {
      idx = selectOverload(overloads, types)
      cache.set(key, idx)
    }
    const o = overloads[idx]
    if (o === undefined) throw new TypeError(`no overload of ${name} for (${key})`)
    return o
  }
  return {
    name,
    volatility,
    resolve(argTypes): Resolution | undefined {
      const { idx, ambiguous } = chooseOverload(overloads, argTypes)
      const o = overloads[idx]
      if (o === undefined) return undefined
      const args = castTargets(o, argTypes)
      return { args, ret: typeof o.ret === 'function' ? o.ret(args) : o.ret, ...(ambiguous ? { ambiguous } : {}) }
    },
    evaluate(args, n, ret, ctx) {
      return pick(args.map((a) => a.type)).kernel(args, n, ret, ctx)
    },
  }
}

function typeKey(t: SqlType): string {
  return t.id === 'array' ? `${typeKey(t.element)}[]` : t.id
}

/** Shorthand for an overload. */
export const sig = (params: readonly Param[], ret: Overload['ret'], kernel: Kernel): Overload => ({ params, ret, kernel })

/** Shorthand for a variadic overload. */
export const variadicSig = (params: readonly Param[], variadic: Param, ret: Overload['ret'], kernel: Kernel): Overload => ({
  params,
  variadic,
  ret,
  kernel,
})
