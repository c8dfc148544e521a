/**
 * Real clients (node-postgres, postgres.js, psql/libpq) against the server over the Session test
 * double, for what does not depend on the engine's SQL: every authentication method, and cancelling
 * a statement that runs for a controlled time.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import pg from 'pg'
import postgres from 'postgres'
import type { AuthMethod } from './auth.js'
import { startServer, type RunningServer } from './server.js'
import { FakeEngine } from './testing/fake-engine.js'

const PSQL = '/usr/bin/psql'
const users = { alice: 'sécret', bob: 'hunter2' }

/** Runs psql; resolves with its exit code, stdout and stderr. */
function psql(port: number, user: string, password: string | null, sql: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '5' }
    if (password !== null) env['PGPASSWORD'] = password
    else delete env['PGPASSWORD']
    execFile(PSQL, ['-X', '-w', '-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'flint', '-At', '-c', sql], { env, timeout: 20000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1
      resolve({ code, stdout, stderr })
    })
  })
}

describe('pgwire authentication with real clients', function () {
  for (const method of ['password', 'md5', 'scram-sha-256'] as AuthMethod[]) {
    describe(method, () => {
      let server: RunningServer
      before(async () => {
        server = await startServer({ engine: new FakeEngine(), host: '127.0.0.1', port: 0, auth: { method, users } })
      })
      after(async () => server.close())

      it('node-postgres logs in with the right password only', async () => {
        const ok = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'alice', password: 'sécret', database: 'flint' })
        await ok.connect()
        assert.deepEqual((await ok.query('select 7 as n')).rows, [{ n: 7 }])
        await ok.end()
        const bad = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'alice', password: 'nope', database: 'flint' })
        await assert.rejects(bad.connect(), { code: '28P01', message: 'password authentication failed for user "alice"' })
        const unknown = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'zed', password: 'x', database: 'flint' })
        await assert.rejects(unknown.connect(), { code: '28P01' })
      })

      it('postgres.js logs in with the right password only', async () => {
        const sql = postgres({ host: '127.0.0.1', port: server.port, user: 'bob', password: 'hunter2', database: 'flint', fetch_types: false, max: 1 })
        try {
          const rows = await sql.unsafe('select 3 as n')
          assert.deepEqual([...rows], [{ n: 3 }])
        } finally {
          await sql.end()
        }
        const bad = postgres({ host: '127.0.0.1', port: server.port, user: 'bob', password: 'wrong', database: 'flint', fetch_types: false, max: 1 })
        try {
          await assert.rejects(bad.unsafe('select 1'), { code: '28P01' })
        } finally {
          await bad.end()
        }
      })

      it('psql logs in with the right password only', async function () {
        if (!existsSync(PSQL)) this.skip()
        const ok = await psql(server.port, 'alice', 'sécret', 'select 5')
        assert.equal(ok.stderr, '')
        assert.equal(ok.stdout, '5\n')
        assert.equal(ok.code, 0)
        const bad = await psql(server.port, 'alice', 'wrong', 'select 5')
        assert.equal(bad.code, 2)
        assert.match(bad.stderr, /password authentication failed for user "alice"/)
        const none = await psql(server.port, 'alice', null, 'select 5')
        assert.equal(none.code, 2)
        assert.match(none.stderr, /no password supplied/)
      })
    })
  }

  describe('trust', () => {
    it('lets every client in without a password', async function () {
      const server = await startServer({ engine: new FakeEngine(), host: '127.0.0.1', port: 0, auth: { method: 'trust' } })
      try {
        const c = new pg.Client({ host: '127.0.0.1', port: server.port, user: 'anyone', database: 'flint' })
        await c.connect()
        assert.deepEqual((await c.query('select 1 as one')).rows, [{ one: 1 }])
        await c.end()
        if (existsSync(PSQL)) {
          const r = await psql(server.port, 'anyone', null, 'select 1')
          assert.equal(r.stdout, '1\n')
        }
      } finally {
        await server.close()
      }
    })
  })

  describe('cancel', () => {
    let server: RunningServer
    let engine: FakeEngine
    before(async () => {
      engine = new FakeEngine()
      server = await startServer({ engine, host: '127.0.0.1', port: 0, auth: { method: 'trust' } })
    })
    after(async () => server.close())

    it('node-postgres Client#cancel stops the running query with 57014', async () => {
      const config = { host: '127.0.0.1', port: server.port, user: 'u', database: 'flint' }
      const client = new pg.Client(config)
      await client.connect()
      try {
        const t0 = Date.now()
        const query = new pg.Query('select pg_sleep(10)')
        const running = new Promise((resolve, reject) => {
          query.on('end', resolve)
          query.on('error', reject)
        })
        client.query(query)
        await new Promise((r) => setTimeout(r, 100))
        const canceller = new pg.Client(config) as pg.Client & { cancel(c: pg.Client, q: pg.Query): void }
        canceller.cancel(client, query)
        await assert.rejects(running, { code: '57014', message: 'canceling statement due to user request' })
        assert.ok(Date.now() - t0 < 5000)
        assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }])
      } finally {
        await client.end()
      }
    })

    it('postgres.js query.cancel() stops the running query with 57014', async () => {
      const sql = postgres({ host: '127.0.0.1', port: server.port, user: 'u', database: 'flint', fetch_types: false, max: 1 })
      try {
        const q = sql.unsafe('select pg_sleep(10)')
        const outcome = q.then(
          () => null,
          (e: unknown) => e,
        )
        await new Promise((r) => setTimeout(r, 100))
        await q.cancel()
        const err = (await outcome) as { code?: string } | null
        assert.equal(err?.code, '57014')
        assert.deepEqual([...(await sql.unsafe('select 2 as two'))], [{ two: 2 }])
      } finally {
        await sql.end()
      }
    })
  })
})
