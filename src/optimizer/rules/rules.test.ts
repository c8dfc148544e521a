import assert from 'node:assert/strict'
import { Catalog, withRelation, type CatalogState } from '../../catalog/catalog.js'
import { T } from '../../common/types.js'
import { Binder } from '../../binder/binder.js'
import { formatPlan } from '../../logical/display.js'
import type { LogicalPlan } from '../../logical/plan.js'
import { initParser, nodeBody, parseSql } from '../../sql/parse.js'
import type { OptimizerRule } from '../rule.js'
import { decorrelateSubqueries } from './decorrelate-subqueries.js'
import { foldConstants } from './fold-constants.js'
import { pruneColumns } from './prune-columns.js'
import { pushDownFilter } from './push-down-filter.js'
import { pushDownLimit } from './push-down-limit.js'
import { reorderJoins } from './reorder-joins.js'
import { simplifyExpressions } from './simplify-expressions.js'

/** A catalog with tables a(x, y, z), b(x, w) and c(w, v). */
function catalog(): CatalogState {
  const cat = new Catalog()
  let state = cat.snapshot()
  const table = (name: string, cols: string[]): void => {
    state = withRelation(state, name, {
      kind: 'table',
      def: { oid: cat.allocateOid(), name, columns: cols.map((c) => ({ name: c, type: T.int4, notNull: false, defaultSql: null })), primaryKey: null, external: null },
      data: { chunks: [], rowCount: 0 },
    })
  }
  table('a', ['x', 'y', 'z'])
  table('b', ['x', 'w'])
  table('c', ['w', 'v'])
  return state
}

let binder: Binder
function bind(sql: string): LogicalPlan {
  binder = new Binder({ catalog: catalog(), fileSchemas: new Map(), paramTypes: [], user: 'u', database: 'd' })
  return binder.bindSelect(nodeBody(parseSql(sql)[0]!.node))
}

/** Applies rules in order (the optimizer's own order) and returns the plan text. */
function apply(sql: string, ...rules: OptimizerRule[]): string {
  let p = bind(sql)
  const ctx = { newId: () => binder.newId(), evaluateConstant: () => 42 }
  for (const r of rules) p = r.rewrite(p, ctx)
  return formatPlan(p).trimEnd()
}

describe('optimizer rules', () => {
  before(() => initParser())

  describe('fold_constants', () => {
    it('replaces a constant expression by its value', () => {
      assert.match(apply('SELECT x FROM a WHERE y > 40 + 2', foldConstants), /Filter: \(y > 42\)/)
    })
    it('leaves column expressions alone', () => {
      assert.match(apply('SELECT x + 1 FROM a', foldConstants), /\(x \+ 1\)/)
    })
  })

  describe('simplify_expressions', () => {
    it('factors the conjuncts common to every OR branch', () => {
      const text = apply('SELECT a.x FROM a, b WHERE (a.x = b.x AND y = 1) OR (a.x = b.x AND w = 2)', simplifyExpressions)
      assert.match(text, /Filter: \(\(x = x\) AND \(\(y = 1\) OR \(w = 2\)\)\)/)
    })
  })

  describe('push_down_filter', () => {
    it('moves conditions into scans and turns cross joins with equalities into inner joins', () => {
      const text = apply('SELECT a.x FROM a, b WHERE a.x = b.x AND a.y > 1 AND b.w = 3', pushDownFilter)
      assert.equal(
        text,
        ['Projection: x', '  Join: inner on (x = x)', '    Scan: a columns=[x, y, z] filters=[(y > 1)]', '    Scan: b columns=[x, w] filters=[(w = 3)]'].join('\n'),
      )
    })
    it('does not move a WHERE condition into the NULL-supplying side of a left join', () => {
      const text = apply('SELECT a.x FROM a LEFT JOIN b ON a.x = b.x WHERE b.w IS NULL', pushDownFilter)
      assert.match(text, /Filter: w IS NULL\n\s+Join: left/)
    })
  })

  describe('reorder_joins', () => {
    it('joins each relation to one it is connected to instead of forming a cross product', () => {
      const text = apply('SELECT a.x FROM a, c, b WHERE a.x = b.x AND b.w = c.w', pushDownFilter, reorderJoins)
      assert.doesNotMatch(text, /cross/)
      assert.match(text, /Join: inner on \(w = w\)\n\s+Join: inner on \(x = x\)\n\s+Scan: a.*\n\s+Scan: b.*\n\s+Scan: c/)
    })
  })

  describe('decorrelate_subqueries', () => {
    it('turns EXISTS into a semi join and NOT IN into a null-aware anti join', () => {
      assert.match(apply('SELECT x FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x)', decorrelateSubqueries), /Join: semi on \(x = x\)/)
      assert.match(apply('SELECT x FROM a WHERE x NOT IN (SELECT x FROM b)', decorrelateSubqueries), /Join: anti on \(x = x\)/)
    })
    it('turns a correlated scalar aggregate into a left join on a grouped aggregate', () => {
      const text = apply('SELECT x FROM a WHERE y > (SELECT max(w) FROM b WHERE b.x = a.x)', decorrelateSubqueries)
      assert.match(text, /Join: left on \(x = __key0\)/)
      assert.match(text, /Aggregate: groupBy=\[x\] aggr=\[max\(w\)\]/)
    })
    it('turns a LATERAL subquery correlated in its WHERE into a plain join', () => {
      const text = apply('SELECT * FROM a LEFT JOIN LATERAL (SELECT w FROM b WHERE b.x = a.x) s ON s.w > 1', decorrelateSubqueries)
      assert.match(text, /Join: left on \(\(x = x\) AND \(w > 1\)\)/)
      assert.doesNotMatch(text, /lateral/)
    })
    it('turns an inner LATERAL aggregate correlated by equalities into a grouped left join', () => {
      const text = apply('SELECT * FROM a, LATERAL (SELECT count(*) AS n FROM b WHERE b.x = a.x) s', decorrelateSubqueries)
      assert.match(text, /Projection: x, y, z, coalesce\(count, 0\) AS n\n\s+Join: left on \(x = __key0\)/)
      assert.doesNotMatch(text, /lateral/)
    })
    it('keeps a LATERAL join whose right side computes with left columns', () => {
      assert.match(apply('SELECT * FROM a, LATERAL (SELECT sum(w + a.y) FROM b) s', decorrelateSubqueries), /Join: cross lateral/)
      assert.match(apply('SELECT * FROM a, generate_series(1, a.x) g', decorrelateSubqueries), /Join: cross lateral\n.*\n\s+FunctionScan: generate_series\(1, outer\.x\)/)
    })
    it('gives a decorrelated count 0, not NULL, where no group matches', () => {
      const text = apply('SELECT x FROM a WHERE y > (SELECT count(*) FROM b WHERE b.x = a.x)', decorrelateSubqueries)
      assert.match(text, /Filter: \(CAST\(y AS bigint\) > coalesce\(count, 0\)\)/)
      assert.match(text, /Join: left on \(x = __key0\)/)
    })
    it('turns correlated scalar aggregates of the select list into left joins', () => {
      const text = apply('SELECT x, (SELECT sum(w) FROM b WHERE b.x = a.x) + 1 FROM a', decorrelateSubqueries)
      assert.match(text, /Projection: x, \(sum \+ CAST\(1 AS bigint\)\) AS \?column\?/)
      assert.match(text, /Join: left on \(x = __key0\)/)
      assert.doesNotMatch(text, /subquery/)
    })
    it('turns a correlated lookup into a single join (21000 on several matches)', () => {
      const text = apply('SELECT (SELECT w FROM b WHERE b.x = a.x) FROM a', decorrelateSubqueries)
      assert.match(text, /Join: single on \(x = x\)/)
      assert.doesNotMatch(text, /subquery/)
    })
    it('turns correlated EXISTS and ALL used as values into mark joins', () => {
      const text = apply('SELECT x FROM a WHERE y > 1 OR EXISTS (SELECT 1 FROM b WHERE b.x = a.x)', decorrelateSubqueries)
      assert.match(text, /Filter: \(\(y > 1\) OR __mark\)/)
      assert.match(text, /Join: mark on \(x = x\)/)
      const all = apply('SELECT y > ALL (SELECT w FROM b WHERE b.x = a.x) FROM a', decorrelateSubqueries)
      assert.match(all, /NOT __mark/)
      assert.match(all, /Join: mark mark=NOT \(y > w\) on \(x = x\)/)
    })
    it('keeps a correlated subquery under a LIMIT per row', () => {
      assert.match(apply('SELECT (SELECT w FROM b WHERE b.x = a.x LIMIT 1) FROM a', decorrelateSubqueries), /<subquery>/)
    })
    it('leaves a subquery correlated by other than equalities alone', () => {
      assert.match(apply('SELECT (SELECT sum(w) FROM b WHERE b.x < a.x) FROM a', decorrelateSubqueries), /<subquery>/)
    })
  })

  describe('push_down_limit', () => {
    it('gives the scan a row limit through projections', () => {
      assert.match(apply('SELECT x + 1 FROM a LIMIT 3 OFFSET 2', pushDownLimit), /Scan: a columns=\[x, y, z\] limit=5/)
    })
    it('never passes a filter or a sort', () => {
      assert.doesNotMatch(apply('SELECT x FROM a WHERE y > 1 LIMIT 3', pushDownLimit), /limit=/)
      assert.doesNotMatch(apply('SELECT x FROM a ORDER BY y LIMIT 3', pushDownLimit), /limit=/)
    })
  })

  describe('prune_columns', () => {
    it('keeps the left columns a LATERAL right side reads', () => {
      assert.match(apply('SELECT g FROM a, generate_series(1, a.y) g', pruneColumns), /Scan: a columns=\[y\]/)
    })
    it('reads only the columns the query uses', () => {
      const text = apply('SELECT a.x FROM a, b WHERE a.x = b.x AND a.y > 1', pushDownFilter, pruneColumns)
      assert.match(text, /Scan: a columns=\[x, y\]/)
      assert.match(text, /Scan: b columns=\[x\]/)
    })
  })
})
