/**
 * The scalar function registry: every SQL function the binder can call, looked up by lower-case name.
 * A function resolves its argument types (PostgreSQL's overload rules, simplified) and evaluates
 * over whole vectors.
 */
import type { SqlType } from '../common/types.js'
import type { Vector } from '../common/vector.js'
import type { SequenceEnv } from '../common/sequence.js'

/** What a kernel may need from the running statement. */
export interface EvalContext {
  /** Statement start time, microseconds since the epoch (now(), current_timestamp). */
  readonly now: number
  /** Session TimeZone setting (IANA name or 'UTC'). */
  readonly timezone: string
  /** Session settings, for current_setting() and friends. */
  readonly settings?: ReadonlyMap<string, string>
  /** Extra per-session values (current_user, current_database, …). */
  readonly session?: SessionInfo
  /**
   * Where functions with effects on sessions (set_config, pg_cancel_backend) record them; the
   * session applies them once the statement succeeded. Absent where such effects make no sense.
   */
  readonly effects?: SessionEffect[]
  /** The sequences nextval()/currval()/setval() may use, and the session's lastval cells. */
  readonly sequences?: SequenceEnv
}

/** The per-session values a statement's functions may read. */
export interface SessionInfo {
  readonly user: string
  readonly database: string
  readonly schema: string
  /** The backend process id (BackendKeyData pid) of this session. */
  readonly pid: number
  /** The process ids of every open session of the engine (pg_cancel_backend's targets). */
  readonly backends: readonly number[]
  /** The current transaction's id (txid_current). */
  readonly xid: number
}

/** A change to session state that a function asked for while the statement ran. */
export type SessionEffect =
  | { readonly kind: 'setting'; readonly name: string; readonly value: string; readonly local: boolean }
  | { readonly kind: 'signal'; readonly pid: number; readonly terminate: boolean }

/** The argument types to cast to and the result type a function chose. */
export interface Resolution {
  readonly args: readonly SqlType[]
  readonly ret: SqlType
  /** PostgreSQL finds the call ambiguous ("is not unique"); args/ret are the first declared overload's. */
  readonly ambiguous?: boolean
}

/** A scalar SQL function. */
export interface ScalarFunction {
  /** Lower-case SQL name. */
  readonly name: string
  /** immutable functions of constants are folded at plan time; volatile ones (random()) never are. */
  readonly volatility: 'immutable' | 'stable' | 'volatile'
  /**
   * Picks the argument types the binder must cast the arguments to, and the result type; undefined
   * when the function does not take these arguments. An entry of `argTypes` is null for an untyped
   * literal (a string literal or NULL), which may be cast to whatever the function wants.
   */
  resolve(argTypes: readonly (SqlType | null)[]): Resolution | undefined
  /** Whether `evaluate` takes int8 arguments in the wide layout (common/int8.ts); else they are narrowed or 0A000. */
  readonly wideInt8?: boolean
  /** Evaluates over n rows. `args` are already cast to `resolve().args`; every vector has length n. */
  evaluate(args: readonly Vector[], n: number, ret: SqlType, ctx: EvalContext): Vector
}

const registry = new Map<string, ScalarFunction[]>()

/** Adds functions to the registry (several may share a name: they are tried in order). */
export function registerFunctions(fns: readonly ScalarFunction[]): void {
  for (const f of fns) {
    const list = registry.get(f.name)
    if (list) list.push(f)
    else registry.set(f.name, [f])
  }
}

/** The functions registered under a name (lower-case). */
export const lookupFunctions = (name: string): readonly ScalarFunction[] => registry.get(name) ?? []

/** Every registered function name (for pg_proc). */
export const functionNames = (): string[] => [...registry.keys()]
