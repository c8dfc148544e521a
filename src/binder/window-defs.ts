/**
 * Named windows (the WINDOW clause) and OVER clauses that reference them, with PostgreSQL's
 * rules (parse_clause.c, transformWindowDefinitions): a window that names another copies its
 * PARTITION BY, may add an ORDER BY only where the other has none, and always has its own frame,
 * which is why the referenced window must not have a frame clause.
 */
import { PlanError, planError, SqlState } from '../common/errors.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type N = any

/** PostgreSQL's FRAMEOPTION_DEFAULTS: RANGE UNBOUNDED PRECEDING AND CURRENT ROW, not written. */
const FRAME_DEFAULTS = 0x2 | 0x20 | 0x400

/** A window specification with any reference to a named window resolved. */
export interface WindowSpec {
  readonly partitionClause: N[] | undefined
  readonly orderClause: N[] | undefined
  readonly frameOptions: number
  readonly startOffset: N | undefined
  readonly endOffset: N | undefined
}

const position = (d: N): number | undefined => (typeof d?.location === 'number' && d.location >= 0 ? d.location + 1 : undefined)

/**
 * Resolves the WINDOW clause in order: each entry may reference only windows defined before it.
 * Raises PostgreSQL's errors for duplicate names, unknown references and illegal copies.
 */
export function resolveWindowClause(defs: readonly N[]): Map<string, WindowSpec> {
  const named = new Map<string, WindowSpec>()
  for (const d of defs) {
    if (named.has(d.name)) throw planError(SqlState.windowingError, `window "${d.name}" is already defined`, position(d))
    named.set(d.name, resolveWindowSpec(d, named))
  }
  return named
}

/**
 * The window an OVER clause denotes: `OVER w` is the named window itself (its frame included);
 * `OVER (w …)` copies w's partitioning and ordering under its own frame.
 */
export function resolveOver(over: N, named: ReadonlyMap<string, WindowSpec>): WindowSpec {
  if (over.name) {
    const w = named.get(over.name)
    if (!w) throw planError(SqlState.undefinedObject, `window "${over.name}" does not exist`, position(over))
    return w
  }
  return resolveWindowSpec(over, named)
}

function resolveWindowSpec(d: N, named: ReadonlyMap<string, WindowSpec>): WindowSpec {
  const own: WindowSpec = {
    partitionClause: d.partitionClause,
    orderClause: d.orderClause,
    frameOptions: d.frameOptions ?? FRAME_DEFAULTS,
    startOffset: d.startOffset,
    endOffset: d.endOffset,
  }
  if (!d.refname) return own
  const ref = named.get(d.refname)
  if (!ref) throw planError(SqlState.undefinedObject, `window "${d.refname}" does not exist`, position(d))
  if (d.partitionClause) throw planError(SqlState.windowingError, `cannot override PARTITION BY clause of window "${d.refname}"`, position(d))
  if (d.orderClause && ref.orderClause) throw planError(SqlState.windowingError, `cannot override ORDER BY clause of window "${d.refname}"`, position(d))
  if (ref.frameOptions !== FRAME_DEFAULTS) {
    const message = `cannot copy window "${d.refname}" because it has a frame clause`
    // a bare OVER (w) gets a hint: OVER w would have used w with its frame
    const bare = !d.name && !d.orderClause && own.frameOptions === FRAME_DEFAULTS
    throw new PlanError(SqlState.windowingError, message, { position: position(d), ...(bare ? { hint: 'Omit the parentheses in this OVER clause.' } : {}) })
  }
  return { ...own, partitionClause: ref.partitionClause, orderClause: d.orderClause ?? ref.orderClause }
}
