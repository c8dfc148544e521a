/**
 * Constant folding: an expression of constants only (no columns, parameters, subqueries, or
 * non-immutable calls) is evaluated once at plan time and replaced by its value, so that scans and
 * row-group pruning see plain literals.
 *
 *   price > CAST(400 AS double precision)    =>    price > 400
 *
 * An expression whose evaluation fails (1/0) is left as it is, to fail at run time only if reached.
 */
import { exprChildren, mapExpr, type Expr } from '../../logical/expr.js'
import { mapPlanExprs } from '../../logical/tree.js'
import type { OptimizerRule } from '../rule.js'

function foldable(e: Expr): boolean {
  switch (e.kind) {
    case 'Literal':
      return true
    case 'Column':
    case 'Param':
    case 'OuterRef':
    case 'Subquery':
      return false
    case 'Call':
      return e.volatility === 'immutable' && !e.fn.startsWith('__') && e.args.every(foldable)
    default:
      return exprChildren(e).every(foldable)
  }
}

/** The fold_constants rule. */
export const foldConstants: OptimizerRule = {
  name: 'fold_constants',
  rewrite: (plan, ctx) => {
    if (!ctx.evaluateConstant) return plan
    const evaluate = ctx.evaluateConstant
    const fold = (e: Expr): Expr => {
      if (e.kind === 'Literal' || !foldable(e)) return e
      try {
        return { kind: 'Literal', value: evaluate(e), type: e.type }
      } catch {
        return e
      }
    }
    // bottom-up: the largest constant subtrees end up as single literals
    return mapPlanExprs(plan, (e) => mapExpr(e, fold))
  },
}
