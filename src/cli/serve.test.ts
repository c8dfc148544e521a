import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { EventEmitter, once } from 'node:events'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { FakeEngine } from '../server/pgwire/testing/fake-engine.js'
import { parseServeArgs, serveCommand, type ServeEngineOptions } from './serve.js'

describe('flint serve', () => {
  it('parses options with defaults', async () => {
    assert.deepEqual(await parseServeArgs([]), { host: '127.0.0.1', port: 5432, auth: { method: 'trust' }, engine: {} })
    assert.deepEqual(
      await parseServeArgs(['--host', '0.0.0.0', '--port=6543', '--data-dir', '/d', '--workers', '3', '--tpch', '/t', '--demo', '--auth', 'md5', '--user', 'a:b:c', '--user', 'x:y']),
      { host: '0.0.0.0', port: 6543, auth: { method: 'md5', users: { a: 'b:c', x: 'y' } }, engine: { dataDir: '/d', workers: 3, tpchDir: '/t', demo: true } },
    )
  })

  it('reads an auth file and reports usage problems', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'flint-serve-'))
    try {
      const file = join(dir, 'auth.json')
      await writeFile(file, JSON.stringify({ method: 'scram-sha-256', users: { ann: 'pw' } }))
      assert.deepEqual((await parseServeArgs(['--auth-file', file])) as object, {
        host: '127.0.0.1',
        port: 5432,
        auth: { method: 'scram-sha-256', users: { ann: 'pw' } },
        engine: {},
      })
      await writeFile(file, '{"method": "kerberos"}')
      assert.match(((await parseServeArgs(['--auth-file', file])) as { usage: string }).usage, /method must be one of/)
    } finally {
      await rm(dir, { recursive: true })
    }
    assert.deepEqual(await parseServeArgs(['--port', 'x']), { usage: '--port needs an integer' })
    assert.deepEqual(await parseServeArgs(['--auth', 'password']), { usage: '--auth password needs --user NAME:PASSWORD or --auth-file' })
    assert.deepEqual(await parseServeArgs(['--bogus']), { usage: 'unknown option --bogus' })
    assert.deepEqual(await parseServeArgs(['--host']), { usage: '--host needs a value' })
    const errs: string[] = []
    assert.equal(await serveCommand(['--bogus'], { err: (l) => errs.push(l) }), 2)
    assert.match(errs[0]!, /unknown option --bogus/)
  })

  it('serves until SIGTERM, then closes the server and the engine', async () => {
    const fake = new FakeEngine()
    let engineOptions: ServeEngineOptions | undefined
    let engineClosed = false
    const signals = new EventEmitter()
    const lines: string[] = []
    let listening: (line: string) => void = () => {}
    const ready = new Promise<string>((resolve) => (listening = resolve))
    const done = serveCommand(['--port', '0', '--workers', '2', '--demo', '--auth', 'scram-sha-256', '--user', 'ann:s3cret'], {
      createEngine: async (opts) => {
        engineOptions = opts
        return {
          createSession: (o) => fake.createSession(o),
          close: async () => {
            engineClosed = true
          },
        }
      },
      out: (l) => {
        lines.push(l)
        if (l.startsWith('Flint listening on')) listening(l)
      },
      signals,
    })
    const line = await ready
    assert.deepEqual(engineOptions, { workers: 2, demo: true })
    const m = /^Flint listening on 127\.0\.0\.1:(\d+)$/.exec(line)
    assert.ok(m, line)
    const client = new pg.Client({ host: '127.0.0.1', port: Number(m[1]), user: 'ann', password: 's3cret', database: 'flint' })
    await client.connect()
    assert.deepEqual((await client.query('select 1 as one')).rows, [{ one: 1 }])
    const ended = new Promise((resolve) => client.once('end', resolve))
    client.on('error', () => {})
    signals.emit('SIGTERM')
    assert.equal(await done, 0)
    await ended
    assert.equal(engineClosed, true)
    assert.ok(fake.sessions[0]!.closed)
    assert.ok(lines.some((l) => l.includes('user=ann')))
  })

  describe('as a process with --data-dir', function () {
    this.timeout(60_000)
    let dir: string

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'flint-serve-data-'))
    })

    after(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    /** Starts `flint serve` on a free port; resolves once it listens, with its port and output lines. */
    async function startProcess(): Promise<{ port: number; lines: string[]; stop: (signal: NodeJS.Signals) => Promise<number | null> }> {
      const cli = new URL('./flint.ts', import.meta.url).pathname
      const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--workers', '1', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      const lines: string[] = []
      let pending = ''
      const port = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          pending += chunk.toString()
          const parts = pending.split('\n')
          pending = parts.pop()!
          for (const l of parts) {
            lines.push(l)
            const m = /^Flint listening on 127\.0\.0\.1:(\d+)$/.exec(l)
            if (m) resolve(Number(m[1]))
          }
        })
        child.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()))
        child.once('exit', (code) => reject(new Error(`flint serve exited with ${code}: ${lines.join('\n')}`)))
      })
      return {
        port,
        lines,
        async stop(signal) {
          const exited = once(child, 'exit')
          child.kill(signal)
          return ((await exited) as [number | null])[0]
        },
      }
    }

    it('logs connections and failed statements, stops on SIGINT/SIGTERM, and keeps committed tables across restarts', async () => {
      const first = await startProcess()
      const c1 = new pg.Client({ host: '127.0.0.1', port: first.port, user: 'postgres', database: 'postgres', application_name: 'persist-test' })
      await c1.connect()
      await c1.query("create table kept (id integer primary key, name varchar(10) not null default 'none', made date)")
      await c1.query("insert into kept values (1, 'one', '2024-01-02'), (2, 'two', null)")
      await c1.query('create table gone (x integer)')
      await c1.query('drop table gone')
      await assert.rejects(c1.query("insert into kept values (3, 'three', null), (1, 'dup', null)"), { code: '23505' })
      await c1.query('begin')
      await c1.query("insert into kept (id) values (4)")
      await c1.query('rollback')
      await c1.end()
      assert.equal(await first.stop('SIGINT'), 0)
      assert.ok(first.lines.some((l) => / connection 1 \(.*\): user=postgres database=postgres application_name=persist-test pid=\d+$/.test(l)), first.lines.join('\n'))
      assert.ok(first.lines.some((l) => l.includes('ERROR 23505') && l.includes('insert into kept values (3')), first.lines.join('\n'))
      assert.ok(first.lines.includes('SIGINT received, shutting down'))

      const second = await startProcess()
      const c2 = new pg.Client({ host: '127.0.0.1', port: second.port, user: 'postgres', database: 'postgres' })
      await c2.connect()
      assert.deepEqual((await c2.query('select id, name, made::text from kept order by id')).rows, [
        { id: 1, name: 'one', made: '2024-01-02' },
        { id: 2, name: 'two', made: null },
      ])
      await c2.query('insert into kept (id) values (5)')
      assert.deepEqual((await c2.query('select name from kept where id = 5')).rows, [{ name: 'none' }])
      await assert.rejects(c2.query('select * from gone'), { code: '42P01' })
      await c2.end()
      assert.equal(await second.stop('SIGTERM'), 0)
      assert.ok(second.lines.includes('SIGTERM received, shutting down'))
    })
  })
})
