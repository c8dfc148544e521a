/**
 * Moves a LIMIT into the scan below it, through projections, so the scan stops reading once it
 * has produced enough rows:
 *
 *   Limit: 10 offset 5                 Limit: 10 offset 5
 *     Projection: a          =>          Projection: a
 *       Scan: t                            Scan: t limit=15
 *
 * Never through filters, joins, aggregates, sorts or DISTINCT (they change which rows come first).
 * The Limit itself stays, since a scan may return its rows from several partitions.
 */
import { transformDown, type LogicalPlan } from '../../logical/plan.js'
import type { OptimizerRule } from '../rule.js'

function withScanLimit(p: LogicalPlan, n: number): LogicalPlan | undefined {
  if (p.kind === 'Scan' && p.filters.length === 0) return { ...p, limit: Math.min(n, p.limit ?? Infinity) }
  if (p.kind === 'Projection') {
    const input = withScanLimit(p.input, n)
    return input ? { ...p, input } : undefined
  }
  return undefined
}

/** The push_down_limit rule. */
export const pushDownLimit: OptimizerRule = {
  name: 'push_down_limit',
  rewrite: (plan) =>
    transformDown(plan, (p) => {
      if (p.kind !== 'Limit' || p.limit === null) return p
      const input = withScanLimit(p.input, p.limit + p.offset)
      return input ? { ...p, input } : p
    }),
}
