/**
 * psql (libpq) against the server over the real engine: -c statements, aligned output, errors with
 * the caret from the error position, \copy in both directions, the \d family over pg_catalog, \l, \dn,
 * \df, \x, \timing and \gdesc. Set PGWIRE_ORACLE_PORT to run the same expectations against PostgreSQL 15.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRealServer, type RealServer } from './testing/real-engine.js'

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

  it('COPY FROM checks UNIQUE and CHECK constraints and loads nothing from a failing copy', async () => {
    const script = `create table ${items}_u (a integer unique, b integer check (b > 0));\ncopy ${items}_u from stdin;\n1\t1\n2\t0\n\\.\ncopy ${items}_u from stdin;\n1\t1\n1\t2\n\\.\nselect count(*) from ${items}_u;\ndrop table ${items}_u;\n`
    const r = await psql(['-At'], script)
    assert.equal(r.stdout, 'CREATE TABLE\n0\nDROP TABLE\n')
    assert.match(r.stderr, new RegExp(`violates check constraint "${items}_u_b_check"[^]*violates unique constraint "${items}_u_a_key"`))
  })

  it('runs PREPARE, EXECUTE and DEALLOCATE', async () => {
    const r = await psql(['-At', '-c', 'prepare twice(int) as select $1 * 2', '-c', 'execute twice(21)', '-c', 'execute twice(5)', '-c', 'deallocate twice'])
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, 'PREPARE\n42\n10\nDEALLOCATE\n')
  })

  it('cancels the running query on SIGINT', async () => {
    const running = new Promise<PsqlRun>((resolve) => {
      const child = execFile(PSQL, ['-X', '-w', '-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres', '-d', 'postgres', '-c', 'select sum(g) from generate_series(1, 2000000000) g'], { timeout: 30000 }, (err, stdout, stderr) => {
        resolve({ code: typeof (err as { code?: unknown } | null)?.code === 'number' ? (err as { code: number }).code : 0, stdout, stderr })
      })
      setTimeout(() => child.kill('SIGINT'), 1000)
    })
    const r = await running
    assert.equal(r.stderr, 'Cancel request sent\nERROR:  canceling statement due to user request\n')
    assert.equal(r.code, 1)
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

    describe('catalog meta-commands', () => {
      const keyed = `${items}_k`
      const constrained = `${items}_c`
      const referenced = `${items}_p`
      const referencing = `${items}_r`

      before(async () => {
        const r = await psql(['-c', `create table ${keyed} (id integer primary key, label varchar(10) not null default 'none', made date)`])
        assert.equal(r.stderr, '')
        const c = await psql(['-c', `create table ${constrained} (a integer unique, b integer check (b > 0), c text, unique (a, c), check (b < c::int), constraint c_not42 check (a <> 42))`])
        assert.equal(c.stderr, '')
        const i = await psql(['-c', `create index on ${constrained} (b, c)`])
        assert.equal(i.stderr, '')
        const f = await psql(['-c', `create table ${referenced} (id integer primary key)`, '-c', `create table ${referencing} (k integer primary key, id integer references ${referenced} on delete cascade, parent integer, foreign key (parent) references ${referencing} (k))`])
        assert.equal(f.stderr, '')
      })

      after(async () => {
        await psql(['-c', `drop table if exists ${keyed}`])
        await psql(['-c', `drop table if exists ${constrained}`])
        await psql(['-c', `drop table if exists ${referencing}, ${referenced}`])
      })

      it('\\dt lists the table', async () => {
        const r = await psql(['-At', '-c', '\\dt'])
        assert.equal(r.stderr, '')
        assert.ok(r.stdout.split('\n').includes(`public|${items}|table|postgres`), r.stdout)
      })

      it('\\d lists tables in the aligned format', async () => {
        const r = await psql(['-c', '\\d'])
        assert.equal(r.stderr, '')
        assert.match(r.stdout, /^ +List of relations\n Schema \| +Name +\| Type +\| +Owner +\n-+\+-+\+-+\+-+\n/)
        assert.match(r.stdout, new RegExp(`\\n public \\| ${items} +\\| table \\| postgres\\n`))
      })

      // what psql 15 prints for these tables when talking to PostgreSQL 15 (after the centred title)
      const descriptions: { what: string; command: string; table: () => string; lines: (table: string) => string[] }[] = [
        {
          what: 'describes its columns',
          command: '\\d',
          table: () => items,
          lines: () => [
            ' Column |     Type      | Collation | Nullable | Default ',
            '--------+---------------+-----------+----------+---------',
            ' id     | integer       |           |          | ',
            ' name   | text          |           |          | ',
            ' price  | numeric(10,2) |           |          | ',
          ],
        },
        {
          what: 'shows NOT NULL, defaults and the primary-key index',
          command: '\\d',
          table: () => keyed,
          lines: (t) => [
            ' Column |         Type          | Collation | Nullable |          Default          ',
            '--------+-----------------------+-----------+----------+---------------------------',
            ' id     | integer               |           | not null | ',
            " label  | character varying(10) |           | not null | 'none'::character varying",
            ' made   | date                  |           |          | ',
            'Indexes:',
            `    "${t}_pkey" PRIMARY KEY, btree (id)`,
          ],
        },
        {
          what: 'shows UNIQUE constraints and indexes under Indexes, and CHECK constraints',
          command: '\\d',
          table: () => constrained,
          lines: (t) => [
            ' Column |  Type   | Collation | Nullable | Default ',
            '--------+---------+-----------+----------+---------',
            ' a      | integer |           |          | ',
            ' b      | integer |           |          | ',
            ' c      | text    |           |          | ',
            'Indexes:',
            `    "${t}_a_c_key" UNIQUE CONSTRAINT, btree (a, c)`,
            `    "${t}_a_key" UNIQUE CONSTRAINT, btree (a)`,
            `    "${t}_b_c_idx" btree (b, c)`,
            'Check constraints:',
            '    "c_not42" CHECK (a <> 42)',
            `    "${t}_b_check" CHECK (b > 0)`,
            `    "${t}_check" CHECK (b < c::integer)`,
          ],
        },
        {
          what: 'shows the tables referencing it',
          command: '\\d',
          table: () => referenced,
          lines: (t) => [
            ' Column |  Type   | Collation | Nullable | Default ',
            '--------+---------+-----------+----------+---------',
            ' id     | integer |           | not null | ',
            'Indexes:',
            `    "${t}_pkey" PRIMARY KEY, btree (id)`,
            'Referenced by:',
            `    TABLE "${referencing}" CONSTRAINT "${referencing}_id_fkey" FOREIGN KEY (id) REFERENCES ${t}(id) ON DELETE CASCADE`,
          ],
        },
        {
          what: 'shows its foreign keys, a self-reference too',
          command: '\\d',
          table: () => referencing,
          lines: (t) => [
            ' Column |  Type   | Collation | Nullable | Default ',
            '--------+---------+-----------+----------+---------',
            ' k      | integer |           | not null | ',
            ' id     | integer |           |          | ',
            ' parent | integer |           |          | ',
            'Indexes:',
            `    "${t}_pkey" PRIMARY KEY, btree (k)`,
            'Foreign-key constraints:',
            `    "${t}_id_fkey" FOREIGN KEY (id) REFERENCES ${referenced}(id) ON DELETE CASCADE`,
            `    "${t}_parent_fkey" FOREIGN KEY (parent) REFERENCES ${t}(k)`,
            'Referenced by:',
            `    TABLE "${t}" CONSTRAINT "${t}_parent_fkey" FOREIGN KEY (parent) REFERENCES ${t}(k)`,
          ],
        },
        {
          what: 'adds storage, compression, statistics target, description and the access method',
          command: '\\d+',
          table: () => items,
          lines: () => [
            ' Column |     Type      | Collation | Nullable | Default | Storage  | Compression | Stats target | Description ',
            '--------+---------------+-----------+----------+---------+----------+-------------+--------------+-------------',
            ' id     | integer       |           |          |         | plain    |             |              | ',
            ' name   | text          |           |          |         | extended |             |              | ',
            ' price  | numeric(10,2) |           |          |         | main     |             |              | ',
            'Access method: heap',
          ],
        },
        {
          what: 'with a primary key and a default',
          command: '\\d+',
          table: () => keyed,
          lines: (t) => [
            ' Column |         Type          | Collation | Nullable |          Default          | Storage  | Compression | Stats target | Description ',
            '--------+-----------------------+-----------+----------+---------------------------+----------+-------------+--------------+-------------',
            ' id     | integer               |           | not null |                           | plain    |             |              | ',
            " label  | character varying(10) |           | not null | 'none'::character varying | extended |             |              | ",
            ' made   | date                  |           |          |                           | plain    |             |              | ',
            'Indexes:',
            `    "${t}_pkey" PRIMARY KEY, btree (id)`,
            'Access method: heap',
          ],
        },
      ]
      for (const d of descriptions) {
        it(`${d.command} TABLE ${d.what} as PostgreSQL does`, async () => {
          const table = d.table()
          const r = await psql(['-c', `${d.command} ${table}`])
          assert.equal(r.stderr, '')
          const [title, ...rest] = r.stdout.split('\n')
          assert.equal(title!.trim(), `Table "public.${table}"`, r.stdout)
          assert.deepEqual(rest, [...d.lines(table), '', ''])
        })
      }

      it('\\dv lists views and \\di the primary-key index', async () => {
        const made = await psql(['-c', `create view ${keyed}_v as select id from ${keyed}`])
        assert.equal(made.stderr, '')
        try {
          const views = await psql(['-At', '-c', '\\dv'])
          assert.equal(views.stderr, '')
          assert.ok(views.stdout.split('\n').includes(`public|${keyed}_v|view|postgres`), views.stdout)
          const indexes = await psql(['-At', '-c', '\\di'])
          assert.equal(indexes.stderr, '')
          assert.ok(indexes.stdout.split('\n').includes(`public|${keyed}_pkey|index|postgres|${keyed}`), indexes.stdout)
        } finally {
          await psql(['-c', `drop view ${keyed}_v`])
        }
      })

      it('\\l lists the database', async () => {
        const r = await psql(['-At', '-c', '\\l'])
        assert.equal(r.stderr, '')
        assert.ok(r.stdout.split('\n').some((l) => /^postgres\|postgres\|UTF8\|/.test(l)), r.stdout)
      })

      it('\\dn lists the public schema', async () => {
        const r = await psql(['-At', '-c', '\\dn'])
        assert.equal(r.stderr, '')
        assert.ok(/^public\|/m.test(r.stdout), r.stdout)
        assert.ok(!/^(pg_catalog|information_schema)\|/m.test(r.stdout), r.stdout)
      })

      it('\\df lists no user functions', async () => {
        const r = await psql(['-c', '\\df'])
        assert.equal(r.stderr, '')
        assert.match(r.stdout, /List of functions\n Schema \| Name \| Result data type \| Argument data types \| Type \n-+\+-+\+-+\+-+\+-+\n\(0 rows\)\n/)
      })

      it('\\x prints records vertically', async () => {
        const r = await psql(['-c', '\\x', '-c', `select id, name from ${items} where id = 1`])
        assert.equal(r.stderr, '')
        assert.equal(r.stdout, 'Expanded display is on.\n-[ RECORD 1 ]\nid   | 1\nname | alpha\n\n')
      })

      it('\\timing reports the time of each query', async () => {
        const r = await psql(['-At', '-c', '\\timing on', '-c', 'select 42'])
        assert.equal(r.stderr, '')
        assert.match(r.stdout, /^Timing is on\.\n42\nTime: \d+\.\d{3} ms\n$/)
      })

      it('\\gdesc describes a query without running it', async () => {
        const r = await psql(['-At'], `select id, name, price, 1::bigint as b from ${items} \\gdesc\n`)
        assert.equal(r.stderr, '')
        assert.equal(r.stdout, 'id|integer\nname|text\nprice|numeric(10,2)\nb|bigint\n')
      })
    })
  })
})
