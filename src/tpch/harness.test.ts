import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tpchCommand } from '../cli/tpch.js'
import type { Cell } from './compare.js'
import { DuckDbOracle } from './duckdb-oracle.js'
import { checkTpchQueries } from './harness.js'
import { loadTpchQueries } from './queries.js'

/** DuckDB answers printed the way a PostgreSQL client receives them (all values as text). */
function asText(rows: readonly (readonly Cell[])[]): string[][] {
  return rows.map((r) => r.map((v) => (v === null ? (null as unknown as string) : typeof v === 'number' ? v.toPrecision(17) : String(v))))
}

/** Runs f with process.stderr captured. */
async function withStderr<T>(f: () => Promise<T>): Promise<{ code: T; err: string }> {
  const saved = process.stderr.write.bind(process.stderr)
  let err = ''
  process.stderr.write = ((s: string) => {
    err += s
    return true
  }) as typeof process.stderr.write
  try {
    return { code: await f(), err }
  } finally {
    process.stderr.write = saved
  }
}

describe('flint tpch command and the oracle harness', function () {
  this.timeout(120000)
  let dir: string
  let other: DuckDbOracle

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-tpch-cli-'))
    const { code, err } = await withStderr(() => tpchCommand(['generate', '--sf', '0.01', '--out', dir, '--format', 'parquet']))
    assert.equal(code, 0)
    assert.match(err, /lineitem\.parquet: [\d,]+ rows/)
    other = await DuckDbOracle.open({ threads: 1 })
    await other.loadParquet(dir)
  })

  after(() => {
    other?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it('writes one Parquet file a table and a manifest', () => {
    for (const t of ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem']) {
      assert.ok(existsSync(join(dir, `${t}.parquet`)), t)
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'tpch.json'), 'utf8')) as { sf: number; rows: Record<string, number> }
    assert.equal(manifest.sf, 0.01)
    assert.equal(manifest.rows['customer'], 1500)
  })

  it('rejects bad arguments with exit code 2', async () => {
    const { code, err } = await withStderr(async () => [
      await tpchCommand(['generate', '--sf', 'abc', '--out', dir]),
      await tpchCommand(['generate', '--sf', '0.01']),
      await tpchCommand(['generate', '--sf', '0.01', '--out', dir, '--format', 'orc']),
      await tpchCommand(['generate', '--scale', '1']),
      await tpchCommand(['frobnicate']),
    ])
    assert.deepEqual(code, [2, 2, 2, 2, 2])
    assert.match(err, /--sf must be a scale factor/)
    assert.match(err, /--out is required/)
    assert.match(err, /--format must be parquet, csv/)
    assert.match(err, /unknown option --scale/)
    assert.match(err, /unknown tpch command "frobnicate"/)
  })

  it('accepts an engine whose answers match DuckDB as PostgreSQL text', async () => {
    const checks = await checkTpchQueries(async (sql) => asText((await other.query(sql)).rows), { dataDir: dir })
    assert.equal(checks.length, 22)
    for (const c of checks) assert.ok(c.ok, `${c.query}: ${c.problems.join('; ')}`)
  })

  it('catches a wrong value, a missing row and an engine error', async () => {
    const queries = loadTpchQueries().filter((q) => q.number === 1 || q.number === 3 || q.number === 5)
    const checks = await checkTpchQueries(
      async (sql) => {
        const rows = asText((await other.query(sql)).rows)
        if (sql.includes('l_returnflag')) rows[0]![2] = String(Number(rows[0]![2]) + 0.01)
        else if (sql.includes('o_shippriority')) rows.pop()
        else throw new Error('boom')
        return rows
      },
      { dataDir: dir, queries },
    )
    assert.deepEqual(
      checks.map((c) => c.ok),
      [false, false, false],
    )
    assert.match(checks[0]!.problems[0]!, /sum_qty/)
    assert.match(checks[1]!.problems[0]!, /expected 10 rows, got 9/)
    assert.deepEqual(checks[2]!.problems, ['boom'])
  })
})
