import assert from 'node:assert/strict'
import pg from 'pg'
import { EngineError } from '../common/errors.js'
import { formatValue } from '../kernels/format.js'
import type { Session, StatementResult } from '../session/api.js'
import { Engine } from '../session/engine.js'
import { startServer, type RunningServer } from '../server/pgwire/server.js'

/** Spark SQL queries and the PostgreSQL queries that mean the same. */
const QUERIES: { name: string; spark: string; postgres: string }[] = [
  {
    name: 'aggregation by a backquoted mixed-case column, NULL group first',
    spark: 'SELECT `Region`, count(*) AS N, sum(Amount) AS Total FROM Sales GROUP BY `Region` ORDER BY `Region`',
    postgres: 'SELECT region, count(*) AS n, sum(amount) AS total FROM sales GROUP BY region ORDER BY region NULLS FIRST',
  },
  {
    name: 'nvl and if inside aggregates',
    spark: 'SELECT Product, sum(nvl(Qty, 0)) AS q, sum(if(Amount > 100, 1, 0)) AS big FROM Sales GROUP BY Product ORDER BY Product',
    postgres: 'SELECT product, sum(coalesce(qty, 0)) AS q, sum(CASE WHEN amount > 100 THEN 1 ELSE 0 END) AS big FROM sales GROUP BY product ORDER BY product',
  },
  {
    name: 'collect_list and collect_set skip NULLs',
    spark: 'SELECT Customer, collect_list(Qty) AS qs, collect_set(Region) AS regions FROM Sales GROUP BY Customer ORDER BY Customer',
    postgres:
      'SELECT customer, array_agg(qty) FILTER (WHERE qty IS NOT NULL) AS qs, array_agg(DISTINCT region) FILTER (WHERE region IS NOT NULL) AS regions FROM sales GROUP BY customer ORDER BY customer',
  },
  {
    name: 'date_add and datediff',
    spark: 'SELECT customer, date_add(min(sold_on), 30) AS due, datediff(max(sold_on), min(sold_on)) AS span, date_sub(max(sold_on), 1) AS eve FROM sales GROUP BY customer ORDER BY customer',
    postgres: 'SELECT customer, min(sold_on) + 30 AS due, max(sold_on) - min(sold_on) AS span, max(sold_on) - 1 AS eve FROM sales GROUP BY customer ORDER BY customer',
  },
  {
    name: 'CASE buckets grouped by ordinal',
    spark: "SELECT CASE WHEN amount >= 100 THEN 'big' WHEN amount >= 10 THEN 'mid' ELSE 'small' END AS bucket, count(1) AS n FROM sales GROUP BY 1 ORDER BY 1",
    postgres: "SELECT CASE WHEN amount >= 100 THEN 'big' WHEN amount >= 10 THEN 'mid' ELSE 'small' END AS bucket, count(1) AS n FROM sales GROUP BY 1 ORDER BY 1",
  },
  {
    name: 'window functions',
    spark:
      'SELECT customer, sold_on, row_number() OVER (PARTITION BY customer ORDER BY sold_on DESC) AS rn, sum(amount) OVER (PARTITION BY customer) AS cust_total, rank() OVER (ORDER BY qty DESC) AS qty_rank FROM sales ORDER BY customer, rn',
    postgres:
      'SELECT customer, sold_on, row_number() OVER (PARTITION BY customer ORDER BY sold_on DESC) AS rn, sum(amount) OVER (PARTITION BY customer) AS cust_total, rank() OVER (ORDER BY qty DESC NULLS LAST) AS qty_rank FROM sales ORDER BY customer, rn',
  },
  {
    name: 'derived table filtered by a scalar subquery',
    spark: 'SELECT * FROM (SELECT region, sum(amount) AS total FROM sales GROUP BY region) t WHERE total > (SELECT avg(amount) FROM sales) ORDER BY total DESC',
    postgres: 'SELECT * FROM (SELECT region, sum(amount) AS total FROM sales GROUP BY region) t WHERE total > (SELECT avg(amount) FROM sales) ORDER BY total DESC NULLS LAST',
  },
  {
    name: 'IN and EXISTS subqueries',
    spark:
      "SELECT DISTINCT Customer FROM Sales s WHERE Product IN (SELECT Product FROM Products WHERE Category = 'toys') AND EXISTS (SELECT 1 FROM Sales s2 WHERE s2.Customer = s.Customer AND s2.Qty > 2) ORDER BY Customer",
    postgres:
      "SELECT DISTINCT customer FROM sales s WHERE product IN (SELECT product FROM products WHERE category = 'toys') AND EXISTS (SELECT 1 FROM sales s2 WHERE s2.customer = s.customer AND s2.qty > 2) ORDER BY customer",
  },
  {
    name: 'join with backquoted qualified names and round',
    spark: 'SELECT p.`Category`, round(sum(s.`Amount`), 1) AS total FROM `Sales` s JOIN `Products` p ON s.Product = p.Product GROUP BY p.`Category` ORDER BY total DESC',
    postgres: 'SELECT p.category, round(sum(s.amount), 1) AS total FROM sales s JOIN products p ON s.product = p.product GROUP BY p.category ORDER BY total DESC NULLS LAST',
  },
  {
    name: 'year, month, cast as string and concat',
    spark: "SELECT concat(cast(year(sold_on) AS string), '-', cast(month(sold_on) AS string)) AS ym, count(*) AS n FROM sales GROUP BY 1 ORDER BY 1",
    postgres: "SELECT extract(year FROM sold_on)::int::text || '-' || extract(month FROM sold_on)::int::text AS ym, count(*) AS n FROM sales GROUP BY 1 ORDER BY 1",
  },
  {
    name: 'rlike, substr and upper',
    spark: "SELECT upper(substr(customer, 1, 3)) AS c3, count(*) AS n FROM sales WHERE customer rlike '^[a-m]' GROUP BY 1 ORDER BY 1",
    postgres: "SELECT upper(substr(customer, 1, 3)) AS c3, count(*) AS n FROM sales WHERE customer ~ '^[a-m]' GROUP BY 1 ORDER BY 1",
  },
  {
    name: 'fractional division of integers',
    spark: 'SELECT region, sum(qty) / count(*) AS avg_qty FROM sales WHERE region IS NOT NULL GROUP BY region ORDER BY region',
    postgres: 'SELECT region, sum(qty)::float8 / count(*) AS avg_qty FROM sales WHERE region IS NOT NULL GROUP BY region ORDER BY region',
  },
  {
    name: 'CTE with nvl2 and to_date',
    spark: "WITH firsts AS (SELECT customer, min(sold_on) AS first_day FROM sales GROUP BY customer) SELECT customer, nvl2(first_day, 'yes', 'no') AS has, first_day >= to_date('2024-02-01') AS late FROM firsts ORDER BY customer",
    postgres: "WITH firsts AS (SELECT customer, min(sold_on) AS first_day FROM sales GROUP BY customer) SELECT customer, CASE WHEN first_day IS NOT NULL THEN 'yes' ELSE 'no' END AS has, first_day >= DATE '2024-02-01' AS late FROM firsts ORDER BY customer",
  },
  {
    name: 'descending sort puts NULLs last, with LIMIT',
    spark: 'SELECT customer, qty FROM sales ORDER BY qty DESC, customer LIMIT 4',
    postgres: 'SELECT customer, qty FROM sales ORDER BY qty DESC NULLS LAST, customer LIMIT 4',
  },
]

const SETUP = [
  'CREATE TABLE sales (region text, product text, customer text, amount numeric(10,2), qty int, sold_on date)',
  `INSERT INTO sales VALUES
    ('north', 'ball', 'alice', 120.50, 3, DATE '2024-01-05'),
    ('north', 'kite', 'bob', 15.00, NULL, DATE '2024-01-20'),
    ('south', 'ball', 'carol', 8.25, 1, DATE '2024-02-02'),
    (NULL, 'lamp', 'alice', 230.00, 2, DATE '2024-03-11'),
    ('south', 'lamp', 'nina', 99.99, 5, DATE '2024-02-28'),
    ('east', 'kite', 'bob', 42.00, 4, DATE '2024-03-01'),
    ('east', 'ball', 'zed', 5.00, 1, DATE '2024-01-31')`,
  'CREATE TABLE products (product text, category text)',
  "INSERT INTO products VALUES ('ball', 'toys'), ('kite', 'toys'), ('lamp', 'home')",
]

async function rowsOf(session: Session, sql: string): Promise<(string | null)[][]> {
  let last: StatementResult | undefined
  for await (const r of session.executeSimple(sql)) last = r
  assert.ok(last && last.kind === 'rows', `no rows from ${sql}`)
  const rows: (string | null)[][] = []
  for (const b of last.batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => formatValue(c, i)))
  return rows
}

async function run(session: Session, sql: string): Promise<void> {
  for await (const _ of session.executeSimple(sql)) void _
}

describe('Spark SQL through Flint', () => {
  let engine: Engine
  let pgSession: Session
  let sparkSession: Session
  const expected = new Map<string, (string | null)[][]>()

  before(async () => {
    engine = await Engine.create({ workers: 1 })
    pgSession = engine.createSession({ user: 'test', database: 'flint' })
    for (const s of SETUP) await run(pgSession, s)
    for (const q of QUERIES) expected.set(q.name, await rowsOf(pgSession, q.postgres))
    sparkSession = engine.createSession({ user: 'test', database: 'flint' })
    await run(sparkSession, "SET flint.dialect = 'spark'")
  })

  after(async () => {
    sparkSession?.close()
    pgSession?.close()
    await engine?.close()
  })

  for (const q of QUERIES) {
    it(`in a session: ${q.name}`, async () => {
      const want = expected.get(q.name)!
      assert.ok(want.length > 0, 'the PostgreSQL query returns rows')
      assert.deepEqual(await rowsOf(sparkSession, q.spark), want)
    })
  }

  it('the Spark texts mean something else, or nothing, as PostgreSQL', async () => {
    // a check that the comparisons above exercise the translation
    let differing = 0
    for (const q of QUERIES) {
      try {
        if (JSON.stringify(await rowsOf(pgSession, q.spark)) !== JSON.stringify(expected.get(q.name))) differing++
      } catch {
        differing++
      }
    }
    assert.ok(differing >= 10, `only ${differing} Spark texts differ from PostgreSQL`)
  })

  it('keeps SET/SHOW in PostgreSQL syntax and switches back', async () => {
    const s = engine.createSession({ user: 'test', database: 'flint' })
    try {
      await run(s, "SET flint.dialect = 'spark'")
      assert.deepEqual(await rowsOf(s, 'SHOW flint.dialect'), [['spark']])
      assert.deepEqual(await rowsOf(s, 'select "text"'), [['text']])
      await assert.rejects(rowsOf(s, 'select a from sales lateral view explode(x) e as y'), (e: EngineError) => e.code === '0A000' && /LATERAL VIEW/.test(e.message))
      await assert.rejects(rowsOf(s, 'select from from sales'), (e: EngineError) => e.code === '42601')
      await run(s, "SET flint.dialect = 'postgresql'")
      await assert.rejects(rowsOf(s, 'select "text"'), (e: EngineError) => e.code === '42703')
      await assert.rejects(run(s, "SET flint.dialect = 'cobol'"), (e: EngineError) => e.code === '22023')
      assert.deepEqual(await rowsOf(s, 'SHOW flint.dialect'), [['postgresql']])
      await run(s, "SET flint.dialect = 'spark'")
      await run(s, 'RESET flint.dialect')
      assert.deepEqual(await rowsOf(s, 'select 1'), [['1']])
    } finally {
      s.close()
    }
  })

  describe('over the wire', () => {
    let server: RunningServer
    let client: pg.Client
    let pgClient: pg.Client

    before(async () => {
      server = await startServer({ engine, host: '127.0.0.1', port: 0, auth: { method: 'trust' } })
      client = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'test', database: 'flint' })
      pgClient = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'test', database: 'flint' })
      await client.connect()
      await pgClient.connect()
      await client.query("SET flint.dialect = 'spark'")
    })

    after(async () => {
      await client?.end()
      await pgClient?.end()
      await server?.close()
    })

    const wire = (rows: Record<string, unknown>[]): (string | null)[][] =>
      rows.map((r) => Object.values(r).map((v) => (v === null ? null : String(v))))

    for (const q of QUERIES) {
      it(`simple protocol: ${q.name}`, async () => {
        const viaPg = await pgClient.query({ text: q.postgres, rowMode: 'array' })
        const viaSpark = await client.query({ text: q.spark, rowMode: 'array' })
        assert.ok(viaPg.rows.length > 0)
        assert.deepEqual(viaSpark.rows, viaPg.rows)
      })
    }

    it('extended protocol with parameters', async () => {
      const r = await client.query('SELECT `Customer`, nvl(Qty, 0) AS q FROM Sales WHERE Amount > $1 ORDER BY Customer, q', [50])
      assert.deepEqual(wire(r.rows), [['alice', '2'], ['alice', '3'], ['nina', '5']])
      assert.deepEqual(r.fields.map((f) => f.name), ['customer', 'q'])
      await assert.rejects(client.query('select a <=> b from sales'), (e: { code?: string }) => e.code === '0A000')
    })
  })
})
