/**
 * The optimizer: an ordered list of rules, each a pure plan → plan function, applied once in order.
 */
import { InternalError } from '../common/errors.js'
import type { LogicalPlan } from '../logical/plan.js'
import type { OptimizerRule } from './rule.js'
import { decorrelateSubqueries } from './rules/decorrelate-subqueries.js'
import { pruneColumns } from './rules/prune-columns.js'
import { pushDownFilter } from './rules/push-down-filter.js'

/** The rules, in the order they run. */
export const RULES: readonly OptimizerRule[] = [
  // first: correlated conditions must still sit in the subquery's WHERE, not pushed into its scans
  decorrelateSubqueries,
  pushDownFilter,
  // last: after filters moved, so columns only filters used are still read
  pruneColumns,
]

/** Optimises a logical plan; `newId` allocates column ids for rules that add columns. */
export function optimize(plan: LogicalPlan, newId: () => number, disabled: ReadonlySet<string> = new Set()): LogicalPlan {
  let p = plan
  for (const rule of RULES) {
    if (disabled.has(rule.name)) continue
    try {
      p = rule.rewrite(p, { newId })
    } catch (e) {
      if (e instanceof Error && 'code' in e) throw e
      throw new InternalError(`optimizer rule '${rule.name}' failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return p
}
