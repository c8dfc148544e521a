/**
 * Protocol edge cases with a raw client (pg-protocol serialize/parse) against the server over the
 * Session test double, where timing and results must be exact: pipelining, PortalSuspended,
 * skip-until-Sync, malformed messages, cancel, COPY, notices, disconnects.
 */
import assert from 'node:assert/strict'
import net from 'node:net'
import { serialize } from 'pg-protocol'
import { startServer, type RunningServer } from './server.js'
import { FakeEngine } from './testing/fake-engine.js'
import { codes, RawClient, type RawMessage } from './testing/raw-client.js'
import type { AuthConfig } from './auth.js'

const tags = (ms: readonly RawMessage[]): string[] => ms.filter((m) => m.name === 'commandComplete').map((m) => m['text'] as string)
const errorOf = (ms: readonly RawMessage[]): RawMessage => {
  const e = ms.find((m) => m.name === 'error')
  assert.ok(e, `expected an ErrorResponse in ${codes(ms)}`)
  return e
}
const rows = (ms: readonly RawMessage[]): (string | null)[][] => ms.filter((m) => m.name === 'dataRow').map((m) => m['fields'] as (string | null)[])

/** Builds a typed message by hand (for malformed ones). */
const message = (type: string, body: Buffer): Buffer => {
  const head = Buffer.alloc(5)
  head[0] = type.charCodeAt(0)
  head.writeInt32BE(body.length + 4, 1)
  return Buffer.concat([head, body])
}

describe('pgwire protocol (raw client, session double)', function () {
  let engine: FakeEngine
  let server: RunningServer
  let logLines: string[]
  const clients: RawClient[] = []

  async function start(auth: AuthConfig = { method: 'trust' }): Promise<void> {
    engine = new FakeEngine()
    logLines = []
    server = await startServer({ engine, host: '127.0.0.1', port: 0, auth, log: (l) => logLines.push(l) })
  }
  async function connect(opts: Parameters<typeof RawClient.connect>[1] = {}): Promise<RawClient> {
    const c = await RawClient.connect(server.port, opts)
    clients.push(c)
    return c
  }

  beforeEach(async () => start())
  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.destroy()
    await server.close()
  })

  describe('start-up', () => {
    it('answers SSLRequest with N and reports the parameters clients need', async () => {
      const c = await connect({ sslRequest: true, params: { application_name: 'raw-test' } })
      const p = c.parameters
      assert.match(p.get('server_version')!, /^15\.\d/)
      assert.equal(p.get('client_encoding'), 'UTF8')
      assert.equal(p.get('server_encoding'), 'UTF8')
      assert.match(p.get('DateStyle')!, /^ISO/)
      assert.equal(p.get('integer_datetimes'), 'on')
      assert.equal(p.get('standard_conforming_strings'), 'on')
      assert.equal(p.get('IntervalStyle'), 'postgres')
      assert.equal(p.get('TimeZone'), 'UTC')
      assert.equal(p.get('application_name'), 'raw-test')
      assert.equal(p.get('session_authorization'), 'tester')
      assert.ok(c.processId > 0)
      assert.equal(engine.sessions[0]!.options.user, 'tester')
      assert.equal(engine.sessions[0]!.options.applicationName, 'raw-test')
      assert.ok(logLines.some((l) => l.includes('user=tester')))
    })

    it('answers GSSENCRequest with N', async () => {
      const c = await RawClient.open(server.port)
      clients.push(c)
      const req = Buffer.alloc(8)
      req.writeInt32BE(8)
      req.writeInt32BE(80877104, 4)
      c.socket.write(req)
      const answer = await new Promise<Buffer>((resolve) => c.socket.once('data', resolve))
      assert.equal(answer.toString(), 'N')
      c.startParsing()
      c.send(serialize.startup({ user: 'u', database: 'd' }))
      const ms = await c.until('readyForQuery')
      assert.ok(ms.some((m) => m.name === 'authenticationOk'))
    })

    it('applies startup parameters and options as settings', async () => {
      await connect({ params: { TimeZone: 'Europe/Paris', options: '-c DateStyle=ISO\\,\\ DMY' } })
      assert.equal(engine.sessions[0]!.getSetting('TimeZone'), 'Europe/Paris')
      assert.equal(engine.sessions[0]!.getSetting('DateStyle'), 'ISO, DMY')
    })

    it('rejects a startup parameter the session rejects, as FATAL', async () => {
      await assert.rejects(connect({ params: { fail_setting: 'x' } }), { code: '42704' })
    })

    it('rejects protocol 2.0 and a missing user', async () => {
      const c = await RawClient.open(server.port)
      clients.push(c)
      c.startParsing()
      const pkt = Buffer.alloc(8)
      pkt.writeInt32BE(8)
      pkt.writeInt32BE(2 << 16, 4)
      c.socket.write(pkt)
      const e = await c.next()
      assert.equal(e.name, 'error')
      assert.equal(e['severity'], 'FATAL')
      assert.equal(e['code'], '0A000')
      assert.ok(await c.waitClosed())
      await assert.rejects(RawClient.connect(server.port, { user: '' }), { code: '28000' })
    })
  })

  describe('simple query', () => {
    it('sends RowDescription, DataRow, CommandComplete and ReadyForQuery', async () => {
      const c = await connect()
      c.send(serialize.query('select 42 as answer'))
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), 'TDCZ')
      const fields = ms[0]!['fields'] as { name: string; dataTypeID: number; dataTypeSize: number; dataTypeModifier: number; format: string }[]
      assert.deepEqual(
        fields.map((f) => [f.name, f.dataTypeID, f.dataTypeSize, f.dataTypeModifier, f.format]),
        [['answer', 23, 4, -1, 'text']],
      )
      assert.deepEqual(rows(ms), [['42']])
      assert.deepEqual(tags(ms), ['SELECT 1'])
      assert.equal(ms[3]!['status'], 'I')
    })

    it('stops a multi-statement query at the first error, with one ReadyForQuery', async () => {
      const c = await connect()
      c.send(serialize.query('select 1; select * from nosuch; select 2'))
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), 'TDCEZ')
      const e = errorOf(ms)
      assert.equal(e['code'], '42P01')
      assert.equal(e['severity'], 'ERROR')
      assert.equal(e['message'], 'relation "nosuch" does not exist')
      assert.equal(e['position'], '15')
      assert.ok(logLines.some((l) => l.includes('42P01') && l.includes('select 1; select * from nosuch')))
    })

    it('answers an empty query with EmptyQueryResponse', async () => {
      const c = await connect()
      c.send(serialize.query(''))
      assert.equal(codes(await c.until('readyForQuery')), 'IZ')
      c.send(serialize.query(' ; '))
      assert.equal(codes(await c.until('readyForQuery')), 'IZ')
    })

    it('reports transaction status T and E', async () => {
      const c = await connect()
      c.send(serialize.query('begin'))
      assert.equal((await c.until('readyForQuery')).at(-1)!['status'], 'T')
      c.send(serialize.query('select 1/0'))
      const ms = await c.until('readyForQuery')
      assert.equal(errorOf(ms)['code'], '22012')
      assert.equal(ms.at(-1)!['status'], 'E')
      c.send(serialize.query('select 1'))
      const ms2 = await c.until('readyForQuery')
      assert.equal(errorOf(ms2)['code'], '25P02')
      c.send(serialize.query('rollback'))
      const ms3 = await c.until('readyForQuery')
      assert.deepEqual(tags(ms3), ['ROLLBACK'])
      assert.equal(ms3.at(-1)!['status'], 'I')
    })

    it('forwards notices and parameter status changes', async () => {
      const c = await connect()
      c.send(serialize.query('notice hello there'))
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), 'NCZ')
      assert.equal(ms[0]!['message'], 'hello there')
      assert.equal(ms[0]!['severity'], 'NOTICE')
      c.send(serialize.query("set application_name = 'renamed'"))
      const ms2 = await c.until('readyForQuery')
      assert.equal(codes(ms2), 'SCZ')
      assert.equal(ms2[0]!['parameterName'], 'application_name')
      assert.equal(ms2[0]!['parameterValue'], 'renamed')
    })
  })

  describe('extended query', () => {
    it('runs Parse/Bind/Describe/Execute/Sync with text parameters', async () => {
      const c = await connect()
      c.send(
        serialize.parse({ text: 'select $1::int4 as a, $2::text as b', types: [0, 0] }),
        serialize.describe({ type: 'S' }),
        serialize.bind({ values: ['7', 'x'] }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      )
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '1tT2TDCZ')
      assert.deepEqual(ms[1]!['dataTypeIDs'], [23, 25])
      assert.deepEqual(rows(ms), [['7', 'x']])
    })

    it('decodes binary parameters and encodes binary results', async () => {
      const c = await connect()
      const int8 = Buffer.alloc(8)
      int8.writeBigInt64BE(-5n)
      c.send(
        serialize.parse({ text: 'select $1::int8 as a, $2::float8 as b, $3::text as c' }),
        serialize.bind({ values: [int8, Buffer.from('4004000000000000', 'hex'), 'héllo'], binary: true }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      )
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12TDCZ')
      const formats = (ms[2]!['fields'] as { format: string }[]).map((f) => f.format)
      assert.deepEqual(formats, ['binary', 'binary', 'binary'])
      const raw = ms[3]!['raw'] as Buffer[]
      assert.equal(raw[0]!.toString('hex'), 'fffffffffffffffb')
      assert.equal(raw[1]!.readDoubleBE(0), 2.5)
      assert.equal(raw[2]!.toString('utf8'), 'héllo')
    })

    it('answers pipelined statements in order with one ReadyForQuery per Sync', async () => {
      const c = await connect()
      c.send(
        serialize.parse({ text: 'select 1 as one' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.parse({ name: 's2', text: 'select 2 as two' }),
        serialize.bind({ statement: 's2' }),
        serialize.execute({}),
        serialize.bind({ statement: 's2' }),
        serialize.execute({}),
        serialize.sync(),
        serialize.query('select 3'),
      )
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12DC12DC2DCZ')
      assert.deepEqual(rows(ms), [['1'], ['2'], ['2']])
      assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
    })

    it('suspends a portal at the row limit and resumes it', async () => {
      const c = await connect()
      c.send(
        serialize.parse({ text: 'select g from generate_series(1,5) g' }),
        serialize.bind({}),
        serialize.execute({ rows: 2 }),
        serialize.execute({ rows: 2 }),
        serialize.execute({ rows: 2 }),
        serialize.execute({ rows: 2 }),
        serialize.sync(),
      )
      const ms = await c.until('readyForQuery')
      // as PostgreSQL 15: the tag counts the rows of the last Execute; a finished portal gives 0
      assert.equal(codes(ms), '12DDsDDsDCCZ')
      assert.deepEqual(tags(ms), ['SELECT 1', 'SELECT 0'])
      assert.deepEqual(rows(ms).flat(), ['1', '2', '3', '4', '5'])
      // a limit reached exactly suspends the portal; the next Execute completes it with 0 rows
      c.send(serialize.parse({ text: 'select g from generate_series(1,4) g' }), serialize.bind({}), serialize.execute({ rows: 2 }), serialize.execute({ rows: 2 }), serialize.execute({ rows: 2 }), serialize.sync())
      const ms2 = await c.until('readyForQuery')
      assert.equal(codes(ms2), '12DDsDDsCZ')
      assert.deepEqual(tags(ms2), ['SELECT 0'])
      c.send(serialize.parse({ text: 'select g from generate_series(1,4) g' }), serialize.bind({}), serialize.execute({ rows: 5 }), serialize.sync())
      const ms3 = await c.until('readyForQuery')
      assert.equal(codes(ms3), '12DDDDCZ')
      assert.deepEqual(tags(ms3), ['SELECT 4'])
    })

    it('refuses to run a finished command portal again', async () => {
      const c = await connect()
      c.send(serialize.parse({ text: 'begin' }), serialize.bind({}), serialize.execute({ rows: 1 }), serialize.execute({ rows: 1 }), serialize.sync())
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12CEZ')
      assert.equal(errorOf(ms)['code'], '55000')
      assert.equal(errorOf(ms)['message'], 'portal "" cannot be run')
    })

    it('pages across batch boundaries with Execute + Flush (cursor style)', async () => {
      const c = await connect()
      c.send(serialize.parse({ text: 'select g from generate_series(1,2500) g' }), serialize.bind({ portal: 'C_1' }), serialize.execute({ portal: 'C_1', rows: 1000 }), serialize.flush())
      let seen: string[] = []
      let ms = await c.until('portalSuspended')
      seen = seen.concat(rows(ms).flat() as string[])
      c.send(serialize.execute({ portal: 'C_1', rows: 1000 }), serialize.flush())
      ms = await c.until('portalSuspended')
      seen = seen.concat(rows(ms).flat() as string[])
      c.send(serialize.execute({ portal: 'C_1', rows: 1000 }), serialize.flush())
      ms = await c.until('commandComplete')
      seen = seen.concat(rows(ms).flat() as string[])
      assert.deepEqual(tags(ms), ['SELECT 500'])
      assert.equal(seen.length, 2500)
      assert.equal(seen[0], '1')
      assert.equal(seen[1000], '1001')
      assert.equal(seen[2499], '2500')
      c.send(serialize.close({ type: 'P', name: 'C_1' }), serialize.sync())
      assert.equal(codes(await c.until('readyForQuery')), '3Z')
    })

    it('skips messages after an error until Sync', async () => {
      const c = await connect()
      c.send(
        serialize.parse({ text: 'select * from nosuch' }),
        serialize.bind({}),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
        serialize.parse({ text: 'select 5' }),
        serialize.bind({}),
        serialize.execute({}),
        serialize.sync(),
      )
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), 'EZ')
      assert.equal(errorOf(ms)['code'], '42P01')
      assert.deepEqual(rows(await c.until('readyForQuery')), [['5']])
    })

    it('keeps named portals across Sync only inside a transaction block', async () => {
      const c = await connect()
      c.send(serialize.query('begin'))
      await c.until('readyForQuery')
      c.send(serialize.parse({ text: 'select g from generate_series(1,5) g' }), serialize.bind({ portal: 'C_5' }), serialize.execute({ portal: 'C_5', rows: 2 }), serialize.sync())
      let ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12DDsZ')
      assert.equal(ms.at(-1)!['status'], 'T')
      c.send(serialize.execute({ portal: 'C_5', rows: 2 }), serialize.sync())
      ms = await c.until('readyForQuery')
      assert.deepEqual(rows(ms).flat(), ['3', '4'])
      c.send(serialize.query('commit'))
      await c.until('readyForQuery')
      c.send(serialize.execute({ portal: 'C_5', rows: 2 }), serialize.sync())
      ms = await c.until('readyForQuery')
      assert.equal(errorOf(ms)['code'], '34000')
      // outside a block, Sync ends the implicit transaction and its portals
      c.send(serialize.parse({ text: 'select 1' }), serialize.bind({ portal: 'p' }), serialize.sync(), serialize.execute({ portal: 'p' }), serialize.sync())
      ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12Z')
      ms = await c.until('readyForQuery')
      assert.equal(errorOf(ms)['message'], 'portal "p" does not exist')
    })

    it('describes statements and portals (ParameterDescription, RowDescription, NoData)', async () => {
      const c = await connect()
      c.send(serialize.parse({ name: 'q', text: 'select $1::int8 as x', types: [0] }), serialize.parse({ name: 'b', text: 'begin' }), serialize.describe({ type: 'S', name: 'q' }), serialize.describe({ type: 'S', name: 'b' }), serialize.sync())
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '11tTtnZ')
      assert.deepEqual(ms[2]!['dataTypeIDs'], [20])
      assert.deepEqual(ms[4]!['dataTypeIDs'], [])
    })

    it('reports Bind errors as PostgreSQL does', async () => {
      const c = await connect()
      const cases: [Buffer[], string, string][] = [
        [[serialize.parse({ name: 's1', text: 'select $1::int4 as a' }), serialize.bind({ statement: 's1', values: [] })], '08P01', 'bind message supplies 0 parameters, but prepared statement "s1" requires 1'],
        [[serialize.bind({ statement: 'nos' })], '26000', 'prepared statement "nos" does not exist'],
        [[serialize.bind({ statement: '' })], '26000', 'unnamed prepared statement does not exist'],
        [[serialize.parse({ name: 's1', text: 'select 1' })], '42P05', 'prepared statement "s1" already exists'],
        [[serialize.bind({ statement: 's1', values: ['x'] })], '22P02', 'invalid input syntax for type integer: "x"'],
        [[serialize.execute({ portal: 'nop' })], '34000', 'portal "nop" does not exist'],
        [[serialize.parse({ text: 'select 1; select 2' })], '42601', 'cannot insert multiple commands into a prepared statement'],
      ]
      for (const [msgs, code, text] of cases) {
        c.send(...msgs, serialize.sync())
        const ms = await c.until('readyForQuery')
        const e = errorOf(ms)
        assert.equal(e['code'], code, text)
        assert.equal(e['message'], text)
      }
      // result format count that matches neither 1 nor the column count
      const bind = message('B', Buffer.from([0, 0x73, 0x31, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0x31, 0, 2, 0, 0, 0, 0]))
      c.send(bind, serialize.sync())
      assert.equal(errorOf(await c.until('readyForQuery'))['message'], 'bind message has 2 result formats but query has 1 columns')
      c.send(serialize.parse({ text: 'begin' }), serialize.bind({}), serialize.bind({ portal: 'p1' }), serialize.bind({ portal: 'p1' }), serialize.sync())
      assert.equal(errorOf(await c.until('readyForQuery'))['code'], '42P03')
    })

    it('runs empty statements and commands through the extended protocol', async () => {
      const c = await connect()
      c.send(serialize.parse({ text: '' }), serialize.bind({}), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync())
      assert.equal(codes(await c.until('readyForQuery')), '12nIZ')
      c.send(serialize.parse({ text: 'begin' }), serialize.bind({}), serialize.execute({ rows: 1 }), serialize.sync())
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), '12CZ')
      assert.equal(ms.at(-1)!['status'], 'T')
    })
  })

  describe('COPY', () => {
    it('collects CopyData until CopyDone, then copies out', async () => {
      const c = await connect()
      c.send(serialize.query('copy t from stdin'))
      const ms = await c.until('copyInResponse')
      assert.equal(codes(ms), 'G')
      c.send(serialize.copyData(Buffer.from('a\nb')), serialize.copyData(Buffer.from('c\n')), serialize.copyDone())
      const done = await c.until('readyForQuery')
      assert.deepEqual(tags(done), ['COPY 2'])
      assert.deepEqual(engine.tables.get('t'), ['a', 'bc'])
      c.send(serialize.query('copy t to stdout'))
      const out = await c.until('readyForQuery')
      assert.equal(codes(out), 'HddcCZ')
      assert.deepEqual(
        out.filter((m) => m.name === 'copyData').map((m) => (m['chunk'] as Buffer).toString()),
        ['a\n', 'bc\n'],
      )
      assert.deepEqual(tags(out), ['COPY 2'])
    })

    it('fails the COPY with 57014 on CopyFail and ignores stray copy data afterwards', async () => {
      const c = await connect()
      c.send(serialize.query('copy t from stdin'))
      await c.until('copyInResponse')
      c.send(serialize.copyData(Buffer.from('x\n')), serialize.copyFail('client gave up'))
      const ms = await c.until('readyForQuery')
      const e = errorOf(ms)
      assert.equal(e['code'], '57014')
      assert.equal(e['message'], 'COPY from stdin failed: client gave up')
      assert.equal(engine.tables.get('t'), undefined)
      c.send(serialize.copyData(Buffer.from('late\n')), serialize.copyDone(), serialize.query('select 1'))
      assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
    })

    it('rejects other messages during COPY FROM STDIN', async () => {
      const c = await connect()
      c.send(serialize.query('copy t from stdin'))
      await c.until('copyInResponse')
      c.send(serialize.query('select 1'))
      const ms = await c.until('readyForQuery')
      assert.equal(errorOf(ms)['code'], '08P01')
      assert.equal(errorOf(ms)['message'], 'unexpected message type 0x51 during COPY from stdin')
    })

    it('runs COPY FROM STDIN through the extended protocol', async () => {
      const c = await connect()
      c.send(serialize.parse({ text: 'copy u from stdin' }), serialize.bind({}), serialize.execute({}), serialize.flush())
      assert.equal(codes(await c.until('copyInResponse')), '12G')
      c.send(serialize.copyData(Buffer.from('1\n2\n3\n')), serialize.copyDone(), serialize.sync())
      assert.deepEqual(tags(await c.until('readyForQuery')), ['COPY 3'])
    })
  })

  describe('robustness', () => {
    it('closes the connection with FATAL 08P01 on an unknown message type, leaving others alone', async () => {
      const other = await connect()
      const c = await connect()
      c.send(message('z', Buffer.alloc(0)))
      const e = await c.next()
      assert.equal(e.name, 'error')
      assert.equal(e['severity'], 'FATAL')
      assert.equal(e['code'], '08P01')
      assert.equal(e['message'], 'invalid frontend message type 122')
      assert.ok(await c.waitClosed())
      other.send(serialize.query('select 1'))
      assert.equal(codes(await other.until('readyForQuery')), 'TDCZ')
    })

    it('closes the connection with 08P01 on an invalid message length', async () => {
      const c = await connect()
      c.send(Buffer.from([0x51, 0, 0, 0, 2]))
      const e = await c.next()
      assert.equal(e['code'], '08P01')
      assert.ok(await c.waitClosed())
      await new Promise((r) => setTimeout(r, 20))
      assert.equal(engine.sessions[0]!.closed, true)
    })

    it('answers a malformed message body with ERROR 08P01 and stays usable', async () => {
      const c = await connect()
      c.send(message('Q', Buffer.from('select 1')))
      const ms = await c.until('readyForQuery')
      assert.equal(errorOf(ms)['message'], 'invalid string in message')
      c.send(message('D', Buffer.from([0x51, 0])), serialize.sync())
      assert.equal(errorOf(await c.until('readyForQuery'))['message'], 'invalid DESCRIBE message subtype 81')
      c.send(serialize.query('select 1'))
      assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
    })

    it('rejects an oversized startup packet', async () => {
      const c = await RawClient.open(server.port)
      clients.push(c)
      c.startParsing()
      const pkt = Buffer.alloc(8)
      pkt.writeInt32BE(100000)
      pkt.writeInt32BE(196608, 4)
      c.socket.write(pkt)
      assert.equal((await c.next())['code'], '08P01')
      assert.ok(await c.waitClosed())
    })

    it('cancels the running statement on a CancelRequest with the right key only', async () => {
      const c = await connect()
      c.send(serialize.query('select pg_sleep(0.4)'))
      await new Promise((r) => setTimeout(r, 50))
      const wrong = net.connect({ host: '127.0.0.1', port: server.port })
      wrong.write(serialize.cancel(c.processId, c.secretKey ^ 1))
      await new Promise((r) => wrong.once('close', r))
      const ms = await c.until('readyForQuery')
      assert.equal(codes(ms), 'TDCZ')

      c.send(serialize.query('select pg_sleep(10)'))
      await new Promise((r) => setTimeout(r, 50))
      const t0 = Date.now()
      const cancel = net.connect({ host: '127.0.0.1', port: server.port })
      cancel.write(serialize.cancel(c.processId, c.secretKey))
      const reply = await new Promise<Buffer | null>((resolve) => {
        cancel.once('data', resolve)
        cancel.once('close', () => resolve(null))
      })
      assert.equal(reply, null, 'a CancelRequest gets no reply')
      const ms2 = await c.until('readyForQuery')
      assert.ok(Date.now() - t0 < 2000)
      assert.equal(errorOf(ms2)['code'], '57014')
      assert.equal(errorOf(ms2)['message'], 'canceling statement due to user request')
      c.send(serialize.query('select 1'))
      assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
    })

    it('ignores a CancelRequest while idle', async () => {
      const c = await connect()
      const cancel = net.connect({ host: '127.0.0.1', port: server.port })
      cancel.write(serialize.cancel(c.processId, c.secretKey))
      await new Promise((r) => cancel.once('close', r))
      c.send(serialize.query('select 1'))
      assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
    })

    it('cancels and closes the session when the client disconnects mid-query', async () => {
      const c = await connect()
      c.send(serialize.query('select pg_sleep(10)'))
      await new Promise((r) => setTimeout(r, 50))
      c.socket.destroy()
      const s = engine.sessions[0]!
      for (let k = 0; k < 100 && !s.closed; k++) await new Promise((r) => setTimeout(r, 10))
      assert.equal(s.cancelCount, 1)
      assert.equal(s.closed, true)
    })

    it('serves 120 connections at once', async () => {
      const many = await Promise.all(Array.from({ length: 120 }, () => connect()))
      for (const c of many) c.send(serialize.query('select g from generate_series(1,3) g'))
      const results = await Promise.all(many.map((c) => c.until('readyForQuery')))
      for (const ms of results) assert.deepEqual(rows(ms).flat(), ['1', '2', '3'])
      assert.equal(new Set(many.map((c) => c.processId)).size, 120)
      await Promise.all(many.map((c) => c.end()))
    })

    it('closes every connection and session when the server closes', async () => {
      const a = await connect()
      const b = await connect()
      b.send(serialize.query('select pg_sleep(10)'))
      await new Promise((r) => setTimeout(r, 30))
      await server.close()
      assert.ok(await a.waitClosed())
      assert.ok(await b.waitClosed())
      assert.ok(engine.sessions.every((s) => s.closed))
    })
  })

  describe('authentication', () => {
    const users = { alice: 'secret', bob: 'p w' }

    it('accepts cleartext and md5 passwords and rejects wrong ones with 28P01', async () => {
      for (const method of ['password', 'md5'] as const) {
        await server.close()
        await start({ method, users })
        const c = await connect({ user: 'alice', password: 'secret' })
        c.send(serialize.query('select 1'))
        assert.equal(codes(await c.until('readyForQuery')), 'TDCZ')
        await assert.rejects(connect({ user: 'alice', password: 'wrong' }), { code: '28P01', message: 'password authentication failed for user "alice"' })
        await assert.rejects(connect({ user: 'mallory', password: 'secret' }), { code: '28P01' })
        assert.ok(logLines.some((l) => l.includes('authentication failed for user "mallory"')))
      }
    })

    it('refuses unknown roles with 28000 under trust when users are listed', async () => {
      await server.close()
      await start({ method: 'trust', users })
      await connect({ user: 'bob' })
      await assert.rejects(connect({ user: 'mallory' }), { code: '28000', message: 'role "mallory" does not exist' })
    })
  })
})
