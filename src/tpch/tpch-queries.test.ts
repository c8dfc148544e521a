import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Engine } from '../session/engine.js'
import { checkTpchQueries, flintResultRows } from './harness.js'
import { writeDataset } from './write.js'

describe('TPC-H through Flint (SF 0.01, answers compared with DuckDB)', function () {
  this.timeout(300_000)
  let dir: string
  let engine: Engine

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flint-tpch-'))
    await writeDataset({ sf: 0.01, out: dir, formats: ['parquet'] })
    engine = await Engine.create({ tpchDir: dir, workers: 2 })
  })

  after(async () => {
    await engine?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers all 22 queries as DuckDB does', async () => {
    const session = engine.createSession({ user: 'tpch', database: 'tpch' })
    const checks = await checkTpchQueries(
      async (sql) => {
        let rows: ReturnType<typeof flintResultRows> = []
        for await (const r of session.executeSimple(sql)) if (r.kind === 'rows') rows = flintResultRows(r)
        return rows
      },
      { dataDir: dir },
    )
    session.close()
    const failed = checks.filter((c) => !c.ok).map((c) => `${c.query}: ${c.problems.slice(0, 3).join('; ')}`)
    assert.deepEqual(failed, [])
    assert.equal(checks.length, 22)
  })
})
