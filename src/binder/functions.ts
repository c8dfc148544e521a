/**
 * Aggregate and window function signatures known to the binder: which names aggregate, and the
 * result type of each for its argument types (PostgreSQL's pg_aggregate rules).
 */
import { PlanError, planError, SqlState } from '../common/errors.js'
import { arrayType, isInteger, isNumeric, isString, numericType, T, typeName, type SqlType } from '../common/types.js'

/** Names of the aggregate functions Flint implements. */
export const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'bool_and',
  'bool_or',
  'every',
  'string_agg',
  'array_agg',
  'stddev',
  'stddev_samp',
  'stddev_pop',
  'variance',
  'var_samp',
  'var_pop',
  'covar_pop',
  'covar_samp',
  'corr',
  'regr_slope',
  'regr_intercept',
  'regr_count',
  'regr_r2',
  'regr_avgx',
  'regr_avgy',
  'regr_sxx',
  'regr_syy',
  'regr_sxy',
  'percentile_cont',
  'percentile_disc',
  'mode',
  'bit_and',
  'bit_or',
  'bit_xor',
  'any_value',
])

/** Aggregates that take their ordered values from WITHIN GROUP (ORDER BY …). */
export const ORDERED_SET_AGGREGATES = new Set(['percentile_cont', 'percentile_disc', 'mode'])

/** The aggregate an alias stands for (every = bool_and, stddev = stddev_samp, variance = var_samp). */
export const canonicalAggregate = (name: string): string =>
  name === 'every' ? 'bool_and' : name === 'stddev' ? 'stddev_samp' : name === 'variance' ? 'var_samp' : name

/** Window-only functions (ranking and navigation). */
export const WINDOW_FUNCTIONS = new Set([
  'row_number',
  'rank',
  'dense_rank',
  'percent_rank',
  'cume_dist',
  'ntile',
  'lag',
  'lead',
  'first_value',
  'last_value',
  'nth_value',
])

const signature = (name: string, args: readonly (SqlType | null)[]): string => `${name}(${args.map((a) => typeName(a ?? T.unknown)).join(', ')})`

const undefinedAgg = (name: string, args: readonly (SqlType | null)[], pos?: number): never => {
  throw new PlanError(SqlState.undefinedFunction, `function ${signature(name, args)} does not exist`, {
    position: pos,
    hint: 'No function matches the given name and argument types. You might need to add explicit type casts.',
  })
}

const ambiguousAgg = (name: string, args: readonly (SqlType | null)[], pos?: number): never => {
  throw new PlanError(SqlState.ambiguousFunction, `function ${signature(name, args)} is not unique`, {
    position: pos,
    hint: 'Could not choose a best candidate function. You might need to add explicit type casts.',
  })
}

/**
 * The argument types an aggregate wants (casts the binder applies) and its result type.
 * `args` are the bound argument types, null for an untyped literal (NULL or a quoted string),
 * which takes the type of the only candidate, or of the preferred one where all candidates are
 * of one category (float8, text), as PostgreSQL's func_select_candidate does; where candidates
 * span categories (sum's numbers and interval) the call is ambiguous.
 */
export function resolveAggregate(name: string, args: readonly (SqlType | null)[], pos?: number): { args: SqlType[]; ret: SqlType } {
  const arity = (n: number): void => {
    if (args.length !== n) undefinedAgg(name, args, pos)
  }
  const a0 = args[0]
  switch (name) {
    case 'count':
      if (args.length > 1) return undefinedAgg(name, args, pos)
      return { args: args.map((a) => a ?? T.text), ret: T.int8 }
    case 'sum':
      arity(1)
      if (!a0) return ambiguousAgg(name, args, pos)
      if (a0.id === 'int2' || a0.id === 'int4') return { args: [a0], ret: T.int8 }
      if (a0.id === 'int8') return { args: [a0], ret: T.numeric }
      if (a0.id === 'numeric') return { args: [a0], ret: a0.scale === null ? T.numeric : numericType(null, a0.scale) }
      if (a0.id === 'float4' || a0.id === 'float8' || a0.id === 'interval') return { args: [a0], ret: a0 }
      return undefinedAgg(name, args, pos)
    case 'avg':
      arity(1)
      if (!a0) return ambiguousAgg(name, args, pos)
      if (isInteger(a0) || a0.id === 'numeric') return { args: [a0], ret: T.numeric }
      if (a0.id === 'float4' || a0.id === 'float8') return { args: [a0], ret: T.float8 }
      if (a0.id === 'interval') return { args: [a0], ret: T.interval }
      return undefinedAgg(name, args, pos)
    case 'min':
    case 'max':
    case 'any_value': {
      arity(1)
      // an untyped argument is taken as text (the string category wins among min's candidates)
      const t = a0 ?? T.text
      if (t.id === 'bool' && name !== 'any_value') return undefinedAgg(name, args, pos)
      return { args: [t], ret: t }
    }
    case 'bool_and':
    case 'bool_or':
    case 'every':
      arity(1)
      if (a0 && a0.id !== 'bool') return undefinedAgg(name, args, pos)
      return { args: [T.bool], ret: T.bool }
    case 'bit_and':
    case 'bit_or':
    case 'bit_xor':
      arity(1)
      if (!a0) return ambiguousAgg(name, args, pos)
      if (!isInteger(a0)) return undefinedAgg(name, args, pos)
      return { args: [a0], ret: a0 }
    case 'string_agg':
      arity(2)
      if ((a0 && !isString(a0)) || (args[1] && !isString(args[1]))) return undefinedAgg(name, args, pos)
      return { args: [T.text, T.text], ret: T.text }
    case 'array_agg':
      arity(1)
      if (!a0) return ambiguousAgg(name, args, pos)
      return { args: [a0], ret: arrayType(a0) }
    case 'stddev':
    case 'stddev_samp':
    case 'stddev_pop':
    case 'variance':
    case 'var_samp':
    case 'var_pop': {
      arity(1)
      const t = a0 ?? T.float8
      if (!isNumeric(t)) return undefinedAgg(name, args, pos)
      return { args: [t], ret: t.id === 'float4' || t.id === 'float8' ? T.float8 : T.numeric }
    }
    case 'covar_pop':
    case 'covar_samp':
    case 'corr':
    case 'regr_slope':
    case 'regr_intercept':
    case 'regr_r2':
    case 'regr_avgx':
    case 'regr_avgy':
    case 'regr_sxx':
    case 'regr_syy':
    case 'regr_sxy':
    case 'regr_count':
      arity(2)
      if (args.some((a) => a && !isNumeric(a))) return undefinedAgg(name, args, pos)
      return { args: [T.float8, T.float8], ret: name === 'regr_count' ? T.int8 : T.float8 }
    case 'percentile_cont':
    case 'percentile_disc': {
      // one fraction, then the ordered value (percentile_cont interpolates numbers or intervals)
      arity(2)
      const [fraction, key] = args
      if (fraction && !isNumeric(fraction) && fraction.id !== 'array') return undefinedAgg(name, args, pos)
      // an untyped fraction (double precision or an array of them) is taken as the key's type: resolved only for numeric keys
      if (!fraction && !(key && isNumeric(key))) return ambiguousAgg(name, args, pos)
      if (name === 'percentile_cont' && key && !isNumeric(key) && key.id !== 'interval') return undefinedAgg(name, args, pos)
      return { args: [...args].map((a) => a ?? T.text), ret: T.float8 }
    }
    case 'mode':
      arity(1)
      return { args: [a0 ?? T.text], ret: a0 ?? T.text }
    default:
      return undefinedAgg(name, args, pos)
  }
}

/** How many arguments each window-only function takes (PostgreSQL's pg_proc entries). */
const WINDOW_ARITY: Record<string, readonly [number, number]> = {
  row_number: [0, 0],
  rank: [0, 0],
  dense_rank: [0, 0],
  percent_rank: [0, 0],
  cume_dist: [0, 0],
  ntile: [1, 1],
  lag: [1, 3],
  lead: [1, 3],
  first_value: [1, 1],
  last_value: [1, 1],
  nth_value: [2, 2],
}

/** Whether a type converts implicitly to integer (the type of ntile's and lag's counts). */
const isInt4Compatible = (t: SqlType): boolean => t.id === 'int2' || t.id === 'int4'

/** Functions that, given arguments, are PostgreSQL's hypothetical-set aggregates. */
const HYPOTHETICAL_SET = new Set(['rank', 'dense_rank', 'percent_rank', 'cume_dist'])

/**
 * Result type of a window-only function for its argument types (null = an untyped NULL or
 * literal). The value argument of lag/lead/first_value/last_value/nth_value is polymorphic, so
 * it must have a type.
 */
export function resolveWindowFunction(name: string, args: readonly (SqlType | null)[], pos?: number): SqlType {
  const [min, max] = WINDOW_ARITY[name] ?? [0, -1]
  const shown = args.map((a) => a ?? T.unknown)
  if (args.length < min || args.length > max) {
    if (HYPOTHETICAL_SET.has(name)) throw planError(SqlState.wrongObjectType, `WITHIN GROUP is required for ordered-set aggregate ${name}`, pos)
    return undefinedAgg(name, shown, pos)
  }
  switch (name) {
    case 'row_number':
    case 'rank':
    case 'dense_rank':
      return T.int8
    case 'ntile':
      if (args[0] && !isInt4Compatible(args[0])) return undefinedAgg(name, shown, pos)
      return T.int4
    case 'percent_rank':
    case 'cume_dist':
      return T.float8
    default: {
      const value = args[0]
      if (!value) throw planError(SqlState.datatypeMismatch, 'could not determine polymorphic type because input has type unknown', pos)
      if ((name === 'lag' || name === 'lead' || name === 'nth_value') && args[1] && !isInt4Compatible(args[1])) return undefinedAgg(name, shown, pos)
      return value
    }
  }
}
