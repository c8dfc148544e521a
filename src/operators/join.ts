/**
 * Joins. Hash join: a hash table on the right input's keys, probed by each left row; NULL keys never
 * match. Nested-loop join: every pair tested (cross joins, non-equi conditions). Both support inner,
 * left, right, full, semi, anti (optionally NULL-aware for NOT IN) and single (a scalar subquery:
 * more than one match raises 21000).
 */
import { execError, SqlState } from '../common/errors.js'
import { vectorFromValues, type Value } from '../common/value.js'
import { T } from '../common/types.js'
import { isNull, type Batch, type Vector } from '../common/vector.js'
import type { Expr } from '../logical/expr.js'
import { concatBatches, evaluate, take, trueIndices, type EvalEnv } from '../kernels/eval.js'
import type { HashJoinExec, NestedLoopJoinExec, PhysicalField } from '../physical/plan.js'
import { rowKeys } from './keys.js'

/** Gathers left rows `li` and right rows `ri` (-1 = NULL row) side by side. */
function pairBatch(left: Batch, right: Batch, li: ArrayLike<number>, ri: ArrayLike<number>, rightFields: readonly PhysicalField[]): Batch {
  const n = li.length
  const cols: Vector[] = []
  for (const c of left.columns) cols.push(takeNullable(c, li))
  if (right.columns.length === 0 && rightFields.length > 0) {
    for (const f of rightFields) cols.push(vectorFromValues(f.type, new Array<Value>(n).fill(null)))
  } else for (const c of right.columns) cols.push(takeNullable(c, ri))
  return { numRows: n, columns: cols }
}

function takeNullable(c: Vector, idx: ArrayLike<number>): Vector {
  let hasMissing = false
  for (let k = 0; k < idx.length; k++) if (idx[k]! < 0) {
    hasMissing = true
    break
  }
  if (!hasMissing) return take(c, idx)
  const safe = Int32Array.from(idx as ArrayLike<number>, (x) => (x < 0 ? 0 : x))
  const v = c.length === 0 ? vectorFromValues(c.type, new Array<Value>(idx.length).fill(null)) : take(c, safe)
  const validity = new Uint8Array((idx.length + 7) >> 3)
  for (let k = 0; k < idx.length; k++) if (idx[k]! >= 0 && !isNull(v, k)) validity[k >> 3]! |= 1 << (k & 7)
  return { ...v, validity }
}

/**
 * The environment a join condition is evaluated in over a batch of candidate pairs: it gives
 * correlated subqueries of the condition their values for those pairs.
 */
export type ConditionEnv = (pairs: Batch) => Promise<EvalEnv>

/** Runs a hash join over fully materialised inputs. */
export async function hashJoin(node: HashJoinExec, leftIn: readonly Batch[], rightIn: readonly Batch[], env: EvalEnv, condEnv?: ConditionEnv): Promise<Batch[]> {
  const left = concatBatches(node.left.fields.map((f) => f.type), leftIn)
  const right = concatBatches(node.right.fields.map((f) => f.type), rightIn)
  const rk = rowKeys(node.rightKeys.map((e) => evaluate(e, right, env)), right.numRows)
  const table = new Map<number | string, number[]>()
  let rightHasNullKey = false
  for (let j = 0; j < right.numRows; j++) {
    if (rk.hasNull[j]) {
      rightHasNullKey = true
      continue
    }
    const k = rk.keys[j]!
    const list = table.get(k)
    if (list) list.push(j)
    else table.set(k, [j])
  }
  const lk = rowKeys(node.leftKeys.map((e) => evaluate(e, left, env)), left.numRows)
  const li: number[] = []
  const ri: number[] = []
  for (let i = 0; i < left.numRows; i++) {
    if (lk.hasNull[i]) continue
    const m = table.get(lk.keys[i]!)
    if (m) for (const j of m) {
      li.push(i)
      ri.push(j)
    }
  }
  return finishJoin(node.joinType, node.residual, left, right, li, ri, condEnv ?? (async () => env), node, {
    nullAware: node.nullAware,
    rightHasNullKey,
    leftNullKey: lk.hasNull,
  })
}

/** Runs a nested-loop join over fully materialised inputs. */
export async function nestedLoopJoin(node: NestedLoopJoinExec, leftIn: readonly Batch[], rightIn: readonly Batch[], env: EvalEnv, condEnv?: ConditionEnv): Promise<Batch[]> {
  const left = concatBatches(node.left.fields.map((f) => f.type), leftIn)
  const right = concatBatches(node.right.fields.map((f) => f.type), rightIn)
  const li: number[] = []
  const ri: number[] = []
  const total = left.numRows * right.numRows
  if (total > 50_000_000) throw execError('54000', `nested-loop join of ${left.numRows} × ${right.numRows} rows is too large`)
  for (let i = 0; i < left.numRows; i++) for (let j = 0; j < right.numRows; j++) {
    li.push(i)
    ri.push(j)
  }
  // every pair is tested, so a NULL-aware anti join needs only the pairs whose condition was NULL
  return finishJoin(node.joinType, node.on, left, right, li, ri, condEnv ?? (async () => env), node, { nullAware: !!node.nullAware, rightHasNullKey: false, leftNullKey: null })
}

/**
 * Finishes a join from its candidate pairs (left row li[k] with right row ri[k]): keeps the pairs
 * whose condition is true and adds what the join type asks for (unmatched rows, semi/anti rows).
 */
export async function finishJoin(
  joinType: HashJoinExec['joinType'],
  cond: HashJoinExec['residual'],
  left: Batch,
  right: Batch,
  liAll: number[],
  riAll: number[],
  condEnv: ConditionEnv,
  node: { readonly left: { readonly fields: readonly PhysicalField[] }; readonly right: { readonly fields: readonly PhysicalField[] }; readonly markTest?: Expr | null },
  nulls: { nullAware: boolean; rightHasNullKey: boolean; leftNullKey: Uint8Array | null },
): Promise<Batch[]> {
  let li: ArrayLike<number> = liAll
  let ri: ArrayLike<number> = riAll
  let unknownLeft: Uint8Array | null = null
  if (cond) {
    const pairs = pairBatch(left, right, liAll, riAll, node.right.fields)
    const m = evaluate(cond, pairs, await condEnv(pairs))
    if (nulls.nullAware || joinType === 'anti') {
      // remember left rows whose condition was NULL (NOT IN treats them as not qualifying)
      unknownLeft = new Uint8Array(left.numRows)
      for (let k = 0; k < liAll.length; k++) if (isNull(m, k)) unknownLeft[liAll[k]!] = 1
    }
    const sel = trueIndices(m, pairs.numRows)
    li = Array.from(sel, (k) => liAll[k]!)
    ri = Array.from(sel, (k) => riAll[k]!)
  }
  const nl = left.numRows
  switch (joinType) {
    case 'inner':
    case 'cross':
      return [pairBatch(left, right, li, ri, node.right.fields)]
    case 'semi':
    case 'anti': {
      const hit = new Uint8Array(nl)
      for (let k = 0; k < li.length; k++) hit[li[k]!] = 1
      const keep: number[] = []
      for (let i = 0; i < nl; i++) {
        if (joinType === 'semi') {
          if (hit[i]) keep.push(i)
          continue
        }
        if (hit[i]) continue
        if (nulls.nullAware && right.numRows > 0 && (nulls.rightHasNullKey || nulls.leftNullKey?.[i] || unknownLeft?.[i])) continue
        keep.push(i)
      }
      return [{ numRows: keep.length, columns: left.columns.map((c) => take(c, keep)) }]
    }
    case 'single': {
      const count = new Int32Array(nl)
      const match = new Int32Array(nl).fill(-1)
      for (let k = 0; k < li.length; k++) {
        const i = li[k]!
        if (++count[i]! > 1) throw execError(SqlState.cardinalityViolation, 'more than one row returned by a subquery used as an expression')
        match[i] = ri[k]!
      }
      return [pairBatch(left, right, Array.from({ length: nl }, (_, i) => i), match, node.right.fields)]
    }
    case 'left':
    case 'right':
    case 'full': {
      const outL: number[] = Array.from(li)
      const outR: number[] = Array.from(ri)
      if (joinType === 'left' || joinType === 'full') {
        const hit = new Uint8Array(nl)
        for (let k = 0; k < li.length; k++) hit[li[k]!] = 1
        for (let i = 0; i < nl; i++) if (!hit[i]) {
          outL.push(i)
          outR.push(-1)
        }
      }
      if (joinType === 'right' || joinType === 'full') {
        const hit = new Uint8Array(right.numRows)
        for (let k = 0; k < ri.length; k++) hit[ri[k]!] = 1
        for (let j = 0; j < right.numRows; j++) if (!hit[j]) {
          outL.push(-1)
          outR.push(j)
        }
      }
      const lcols = left.numRows === 0 ? node.left.fields.map((f) => vectorFromValues(f.type, new Array<Value>(outL.length).fill(null))) : left.columns.map((c) => takeNullable(c, outL))
      const rcols = right.numRows === 0 ? node.right.fields.map((f) => vectorFromValues(f.type, new Array<Value>(outR.length).fill(null))) : right.columns.map((c) => takeNullable(c, outR))
      return [{ numRows: outL.length, columns: [...lcols, ...rcols] }]
    }
    case 'mark': {
      // the mark: true when some pair's test is true, else NULL when some is NULL, else false
      const mark = new Uint8Array(nl)
      const unknown = new Uint8Array(nl)
      if (node.markTest) {
        const pairs = pairBatch(left, right, li, ri, node.right.fields)
        const t = evaluate(node.markTest, pairs, await condEnv(pairs))
        for (let k = 0; k < li.length; k++) {
          if (isNull(t, k)) unknown[li[k]!] = 1
          else if (t.values[k]) mark[li[k]!] = 1
        }
      } else for (let k = 0; k < li.length; k++) mark[li[k]!] = 1
      const validity = new Uint8Array((nl + 7) >> 3)
      for (let i = 0; i < nl; i++) if (mark[i] || !unknown[i]) validity[i >> 3]! |= 1 << (i & 7)
      return [{ numRows: nl, columns: [...left.columns, { type: T.bool, length: nl, values: mark, validity }] }]
    }
  }
}
