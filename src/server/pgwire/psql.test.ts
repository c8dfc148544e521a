/**
 * psql (libpq) against the server over the real engine: -c statements, aligned output, errors with
 * the caret from the error position, \copy in both directions, and (once the engine has pg_catalog)
 * the \d family and \gdesc. Set PGWIRE_ORACLE_PORT to run the same expectations against PostgreSQL 15.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CATALOG_PROBE, engineAccepts, startRealServer, type RealServer } from './testing/real-engine.js'

const PSQL = '/usr/bin/psql'
const suffix = Math.random().toString(36).slice(2, 8)
const items = `ps_items_${suffix}`

interface PsqlRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

describe('pgwire with psql (real engine)', function () {
  let target: RealServer
  let dir: string

  /** Runs psql with the given arguments (after the connection options). */
  function psql(args: readonly string[], input?: string): Promise<PsqlRun> {
    return new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '5', PGAPPNAME: 'psql-test', PAGER: '', PSQL_PAGER: '' }
      delete env['PGTZ']
      const child = execFile(PSQL, ['-X', '-w', '-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres', '-d', 'postgres', ...args], { env, timeout: 30000 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1
        resolve({ code, stdout, stderr })
      })
      if (input !== undefined) child.stdin?.end(input)
    })
  }

  before(async function () {
    if (!existsSync(PSQL)) {
      console.log('      (skipped: /usr/bin/psql is not installed)')
      this.skip()
    }
    target = await startRealServer()
    dir = await mkdtemp(join(tmpdir(), 'flint-psql-'))
  })

  after(async () => {
    if (target?.oracle) await psql(['-c', `drop table if exists ${items}`])
    await target?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('runs several statements in one -c and prints each result', async () => {
    const r = await psql(['-At', '-c', 'select 1; select 2'])
    assert.equal(r.stdout, '1\n2\n')
    assert.equal(r.code, 0)
  })

  it('accepts an empty query', async () => {
    const r = await psql(['-c', ';'])
    assert.equal(r.code, 0)
    assert.equal(r.stdout, '')
    assert.equal(r.stderr, '')
  })

  it('shows errors with a caret at the error position', async () => {
    const r = await psql(['-c', 'select * from no_such_table_psql'])
    assert.equal(r.code, 1)
    assert.equal(r.stderr, 'ERROR:  relation "no_such_table_psql" does not exist\nLINE 1: select * from no_such_table_psql\n                      ^\n')
  })

  it('copies from stdin inside a script', async () => {
    const script = `create table ${items}_s (a integer, b text);\ncopy ${items}_s from stdin;\n5\tfive\n6\t\\N\n\\.\nselect a, b is null as missing from ${items}_s order by a;\ndrop table ${items}_s;\n`
    const r = await psql(['-At', '-v', 'ON_ERROR_STOP=1'], script)
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, 'CREATE TABLE\nCOPY 2\n5|f\n6|t\nDROP TABLE\n')
  })

  it('runs a transaction and reports a failed one', async () => {
    const r = await psql(['-At', '-c', 'begin', '-c', 'select * from no_such_table_psql', '-c', 'select 1', '-c', 'rollback', '-c', 'select 2'])
    assert.match(r.stderr, /ERROR: {2}relation "no_such_table_psql" does not exist/)
    assert.match(r.stderr, /ERROR: {2}current transaction is aborted, commands ignored until end of transaction block/)
    assert.equal(r.stdout, 'BEGIN\nROLLBACK\n2\n')
  })

  describe('over a table', () => {
    before(async () => {
      const r = await psql(['-c', `create table ${items} (id integer, name text, price numeric(10,2))`, '-c', `insert into ${items} values (1, 'alpha', 1.50), (2, 'béta, quoted', -2.25)`])
      assert.equal(r.stderr, '')
      assert.equal(r.stdout, 'CREATE TABLE\nINSERT 0 2\n')
    })

    it('prints aligned tables as PostgreSQL does', async () => {
      const r = await psql(['-c', `select id, name, price from ${items} order by id`])
      assert.equal(r.stdout, ' id |     name     | price \n----+--------------+-------\n  1 | alpha        |  1.50\n  2 | béta, quoted | -2.25\n(2 rows)\n\n')
    })

    it('copies a CSV file in with \\copy and out again', async () => {
      const file = join(dir, 'in.csv')
      await writeFile(file, '3,gamma,3.00\n4,"with ""quotes""",4.25\n')
      const load = await psql(['-c', `\\copy ${items} from '${file}' csv`])
      assert.equal(load.stderr, '')
      assert.equal(load.stdout, 'COPY 2\n')
      const out = await psql(['-c', `\\copy ${items} to stdout csv header`])
      assert.equal(out.stdout, 'id,name,price\n1,alpha,1.50\n2,"béta, quoted",-2.25\n3,gamma,3.00\n4,"with ""quotes""",4.25\n')
      const outFile = join(dir, 'out.txt')
      const q = await psql(['-c', `\\copy (select id, name from ${items} where id > 2 order by id) to '${outFile}'`])
      assert.equal(q.stdout, 'COPY 2\n')
      assert.equal(await readFile(outFile, 'utf8'), '3\tgamma\n4\twith "quotes"\n')
    })

    describe('catalog meta-commands (need pg_catalog in the engine)', () => {
      before(async function () {
        if (!(await engineAccepts(target.engine, CATALOG_PROBE))) {
          console.log('      (skipped: the engine has no pg_catalog yet)')
          this.skip()
        }
      })

      it('\\dt lists the table', async () => {
        const r = await psql(['-At', '-c', '\\dt'])
        assert.equal(r.stderr, '')
        assert.ok(r.stdout.split('\n').includes(`public|${items}|table|postgres`), r.stdout)
      })

      it('\\d TABLE describes its columns', async () => {
        const r = await psql(['-c', `\\d ${items}`])
        assert.equal(r.stderr, '')
        assert.match(r.stdout, new RegExp(`Table "public\\.${items}"`))
        assert.match(r.stdout, /\n id +\| integer +\| +\| +\| *\n/)
        assert.match(r.stdout, /\n name +\| text +\|/)
        assert.match(r.stdout, /\n price +\| numeric\(10,2\) +\|/)
      })

      it('\\gdesc describes a query without running it', async () => {
        const r = await psql(['-At'], `select id, name, price, 1::bigint as b from ${items} \\gdesc\n`)
        assert.equal(r.stderr, '')
        assert.equal(r.stdout, 'id|integer\nname|text\nprice|numeric(10,2)\nb|bigint\n')
      })
    })
  })
})
