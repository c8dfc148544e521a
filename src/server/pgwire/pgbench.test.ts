/**
 * pgbench (libpq) against the server over the real engine: its initialisation (DROP/CREATE TABLE
 * with fillfactor, COPY … FROM STDIN WITH (FREEZE ON), VACUUM), the TPC-B-like transactions over
 * the simple protocol and the select-only ones over named prepared statements, then the balances
 * the transactions must leave consistent. The primary-key step of `pgbench -i` (ALTER TABLE … ADD
 * PRIMARY KEY) is left out: Flint has no ALTER TABLE.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import pg from 'pg'
import { startRealServer, type RealServer } from './testing/real-engine.js'

const PGBENCH = '/usr/bin/pgbench'

describe('pgwire with pgbench (real engine)', function () {
  this.timeout(120_000)
  let target: RealServer

  function pgbench(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(PGBENCH, ['-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres', ...args, 'postgres'], { timeout: 100_000 }, (err, stdout, stderr) => {
        resolve({ code: err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1, stdout, stderr })
      })
    })
  }

  before(async function () {
    if (!existsSync(PGBENCH)) {
      console.log('      (skipped: /usr/bin/pgbench is not installed)')
      this.skip()
    }
    target = await startRealServer()
  })

  after(async () => {
    await target?.close()
  })

  it('initialises, runs TPC-B and select-only transactions, and leaves the balances consistent', async () => {
    const init = await pgbench(['-i', '-s', '1', '-I', 'dtgvp'])
    assert.equal(init.code, 0, init.stderr)
    assert.match(init.stderr, /done in .* \(drop tables .*, create tables .*, client-side generate .*, vacuum .*, primary keys .*\)/)
    const tpcb = await pgbench(['-n', '-t', '10'])
    assert.equal(tpcb.code, 0, tpcb.stderr)
    assert.match(tpcb.stdout, /number of transactions actually processed: 10\/10\n/)
    assert.match(tpcb.stdout, /number of failed transactions: 0 /)
    const selects = await pgbench(['-n', '-S', '-M', 'prepared', '-t', '10'])
    assert.equal(selects.code, 0, selects.stderr)
    assert.match(selects.stdout, /number of transactions actually processed: 10\/10\n/)
    const client = new pg.Client({ host: '127.0.0.1', port: target.port, user: 'postgres', database: 'postgres' })
    await client.connect()
    try {
      const r = await client.query(`select (select count(*)::int from pgbench_history) as history,
        (select count(*)::int from pgbench_accounts) as accounts,
        (select sum(abalance) from pgbench_accounts) = (select sum(delta) from pgbench_history) as accounts_balance,
        (select sum(tbalance) from pgbench_tellers) = (select sum(delta) from pgbench_history) as tellers_balance,
        (select sum(bbalance) from pgbench_branches) = (select sum(delta) from pgbench_history) as branches_balance`)
      assert.deepEqual(r.rows, [{ history: 10, accounts: 100000, accounts_balance: true, tellers_balance: true, branches_balance: true }])
    } finally {
      await client.end()
    }
  })
})
