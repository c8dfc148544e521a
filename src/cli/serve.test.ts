import assert from 'node:assert/strict'
import { EventEmitter } from 'node:events'
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
})
