/**
 * The options of CREATE SEQUENCE / ALTER SEQUENCE (AS, INCREMENT, MINVALUE, MAXVALUE, START,
 * RESTART, CACHE, [NO] CYCLE) applied to a sequence's parameters with PostgreSQL's defaults and
 * checks (22023 for inconsistent values).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { NotImplementedError, planError, SqlState } from '../common/errors.js'
import { typeBounds, type SequenceOptions } from '../common/sequence.js'
import { nodeBody, nodeTag, type Node } from '../sql/parse.js'

type N = any

const TYPE_NAMES: Record<SequenceOptions['type'], string> = { int2: 'smallint', int4: 'integer', int8: 'bigint' }

/** The integer value of a DefElem's argument. */
function integerArg(arg: N): bigint {
  const tag = nodeTag(arg)
  const b = nodeBody<N>(arg)
  if (tag === 'Integer') return BigInt(b.ival ?? 0)
  if (tag === 'Float') return BigInt(b.fval)
  throw planError(SqlState.syntaxError, 'sequence option requires an integer value')
}

/**
 * Applies CREATE/ALTER SEQUENCE options to `base` (null: a new sequence). Returns the parameters
 * and, when RESTART was given, the value the sequence restarts at.
 */
export function applySequenceOptions(defElems: readonly Node[], base: SequenceOptions | null): { options: SequenceOptions; restart: bigint | null } {
  const given = new Map<string, N>()
  for (const d of defElems) {
    const e = nodeBody<N>(d)
    if (given.has(e.defname)) throw planError(SqlState.syntaxError, 'conflicting or redundant options')
    given.set(e.defname, e)
  }
  let type: SequenceOptions['type'] = base?.type ?? 'int8'
  const as = given.get('as')
  if (as) {
    const names: string[] = (nodeBody<N>(as.arg).names as N[]).map((n) => nodeBody<N>(n).sval as string)
    const t = names[names.length - 1]!.toLowerCase()
    const id = t === 'int2' || t === 'smallint' ? 'int2' : t === 'int4' || t === 'integer' || t === 'int' ? 'int4' : t === 'int8' || t === 'bigint' ? 'int8' : null
    if (!id) throw planError(SqlState.invalidParameterValue, 'sequence type must be smallint, integer, or bigint')
    type = id
  }
  const [typeMin, typeMax] = typeBounds(type)
  const has = (k: string): boolean => given.has(k)
  const value = (k: string): bigint | null => (given.get(k)?.arg ? integerArg(given.get(k).arg) : null)
  const increment = value('increment') ?? base?.increment ?? 1n
  if (increment === 0n) throw planError(SqlState.invalidParameterValue, 'INCREMENT must not be zero')
  const ascending = increment > 0n
  // MAXVALUE/MINVALUE: given, NO (the type's default), or kept (re-defaulted when AS or the direction changed)
  const keepBound = (b: bigint | undefined): bigint | undefined => (as || (base && base.increment > 0n !== ascending) ? undefined : b)
  const max = value('maxvalue') ?? (has('maxvalue') ? null : keepBound(base?.max)) ?? (ascending ? typeMax : -1n)
  const min = value('minvalue') ?? (has('minvalue') ? null : keepBound(base?.min)) ?? (ascending ? 1n : typeMin)
  if (max > typeMax || max < typeMin) throw planError(SqlState.invalidParameterValue, `MAXVALUE (${max}) is out of range for sequence data type ${TYPE_NAMES[type]}`)
  if (min > typeMax || min < typeMin) throw planError(SqlState.invalidParameterValue, `MINVALUE (${min}) is out of range for sequence data type ${TYPE_NAMES[type]}`)
  if (min >= max) throw planError(SqlState.invalidParameterValue, `MINVALUE (${min}) must be less than MAXVALUE (${max})`)
  const start = value('start') ?? base?.start ?? (ascending ? min : max)
  if (start < min) throw planError(SqlState.invalidParameterValue, `START value (${start}) cannot be less than MINVALUE (${min})`)
  if (start > max) throw planError(SqlState.invalidParameterValue, `START value (${start}) cannot be greater than MAXVALUE (${max})`)
  const cache = value('cache') ?? base?.cache ?? 1n
  if (cache < 1n) throw planError(SqlState.invalidParameterValue, `CACHE (${cache}) must be greater than zero`)
  const cycleArg = given.get('cycle')
  const cycle = cycleArg ? !!nodeBody<N>(cycleArg.arg).boolval : (base?.cycle ?? false)
  let restart: bigint | null = null
  if (has('restart')) {
    if (!base) throw planError(SqlState.syntaxError, 'option "restart" not recognized')
    restart = value('restart') ?? start
    if (restart < min) throw planError(SqlState.invalidParameterValue, `RESTART value (${restart}) cannot be less than MINVALUE (${min})`)
    if (restart > max) throw planError(SqlState.invalidParameterValue, `RESTART value (${restart}) cannot be greater than MAXVALUE (${max})`)
  }
  for (const k of given.keys()) {
    if (!['as', 'increment', 'minvalue', 'maxvalue', 'start', 'cache', 'cycle', 'restart'].includes(k)) throw new NotImplementedError(`sequence option ${k.replace('_', ' ').toUpperCase()} is not supported`)
  }
  return { options: { increment, min, max, start, cache, cycle, type }, restart }
}
