/**
 * The optimizer: an ordered list of rules, each a pure plan → plan function, applied once in order.
 */
import { InternalError } from '../common/errors.js'
import { mapChildren, type Expr } from '../logical/expr.js'
import type { LogicalPlan } from '../logical/plan.js'
import { mapPlanExprs } from '../logical/tree.js'
import type { OptimizerContext, OptimizerRule } from './rule.js'
import { decorrelateSubqueries } from './rules/decorrelate-subqueries.js'
import { pruneColumns } from './rules/prune-columns.js'
import { foldConstants } from './rules/fold-constants.js'
import { pushDownFilter } from './rules/push-down-filter.js'
import { pushDownLimit } from './rules/push-down-limit.js'
import { reorderJoins } from './rules/reorder-joins.js'
import { simplifyExpressions } from './rules/simplify-expressions.js'

/** The rules, in the order they run. */
export const RULES: readonly OptimizerRule[] = [
  // first: later rules see literals, not casts of literals
  foldConstants,
  // before pushdown: exposes join keys hidden in ORs
  simplifyExpressions,
  // before pushdown: correlated conditions must still sit in the subquery's WHERE, not in its scans
  decorrelateSubqueries,
  pushDownFilter,
  // after pushdown: WHERE conditions now sit in the joins they connect
  reorderJoins,
  // after push_down_filter: a limit must not pass a filter, and filters have settled by now
  pushDownLimit,
  // last: after filters moved, so columns only filters used are still read
  pruneColumns,
]

/** Optimises a logical plan and the plans of its subqueries. */
export function optimize(plan: LogicalPlan, ctx: OptimizerContext, disabled: ReadonlySet<string> = new Set()): LogicalPlan {
  // subqueries first: their plans are optimised on their own
  const inner = (e: Expr): Expr => {
    if (e.kind === 'Subquery') return { ...mapChildren(e, inner), plan: optimize(e.plan, ctx, disabled) } as Expr
    return mapChildren(e, inner)
  }
  let p = mapPlanExprs(plan, inner)
  for (const rule of RULES) {
    if (disabled.has(rule.name)) continue
    try {
      p = rule.rewrite(p, ctx)
    } catch (e) {
      if (e instanceof Error && 'code' in e) throw e
      throw new InternalError(`optimizer rule '${rule.name}' failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return p
}
