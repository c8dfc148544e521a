/**
 * Python and Java clients against the server over the real engine: psycopg2 (parameters, COPY),
 * SQLAlchemy (connect-time queries, inspector over pg_catalog) and pgJDBC (PreparedStatement,
 * DatabaseMetaData over pg_catalog, SSLRequest, binary results, fetch size, cancel), from the Debian packages python3-psycopg2,
 * python3-sqlalchemy, libpostgresql-jdbc-java and openjdk-17-jdk-headless. Each part skips with
 * the missing package named. Set PGWIRE_ORACLE_PORT to run the same checks against PostgreSQL 15.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRealServer, type RealServer } from './testing/real-engine.js'

const PYTHON = '/usr/bin/python3'
const JAVAC = '/usr/bin/javac'
const JAVA = '/usr/bin/java'
const JDBC_JAR = '/usr/share/java/postgresql.jar'

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function run(cmd: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: 40000, env: { ...process.env, PGCONNECT_TIMEOUT: '5' } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1
      resolve({ code, stdout, stderr })
    })
  })
}

/** True when the Python modules import with the system interpreter. */
async function pythonHas(modules: string): Promise<boolean> {
  if (!existsSync(PYTHON)) return false
  return (await run(PYTHON, ['-c', `import ${modules}`], tmpdir())).code === 0
}

/** Writes a Python script to `dir` and runs it with the arguments; skips the test when the modules are missing. */
async function runPython(ctx: Mocha.Context, modules: string, packages: string, dir: string, script: string, args: readonly string[]): Promise<Run> {
  if (!(await pythonHas(modules))) {
    console.log(`      (skipped: ${packages} is not installed)`)
    ctx.skip()
  }
  const file = join(dir, `script_${Math.random().toString(36).slice(2, 8)}.py`)
  await writeFile(file, script)
  return run(PYTHON, [file, ...args], dir)
}

const suffix = Math.random().toString(36).slice(2, 8)

const PSYCOPG2_SCRIPT = `
import io, json, sys, decimal, datetime
import psycopg2
port, table = int(sys.argv[1]), sys.argv[2]
conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres')
out = {}
cur = conn.cursor()
cur.execute(f'create table {table} (id integer primary key, name varchar(10), amount numeric(8,2), d date)')
cur.executemany(f'insert into {table} values (%s, %s, %s, %s)', [(1, "alpha", decimal.Decimal("1.50"), datetime.date(2024, 1, 2)), (2, "it's", None, None)])
conn.commit()
cur.execute(f'select id, name, amount, d from {table} where id >= %s order by id', (1,))
out['rows'] = [[r[0], r[1], None if r[2] is None else str(r[2]), None if r[3] is None else r[3].isoformat()] for r in cur.fetchall()]
out['types'] = [c.type_code for c in cur.description]
buf = io.StringIO()
cur.copy_expert(f'copy (select id, name from {table} order by id) to stdout with csv', buf)
out['copy_out'] = buf.getvalue()
cur.copy_expert(f'copy {table} (id, name) from stdin', io.StringIO('3\\tgamma\\n'))
conn.commit()
cur.execute(f'select count(*) from {table}')
out['count'] = cur.fetchone()[0]
cur.execute(f'drop table {table}')
conn.commit()
conn.close()
print(json.dumps(out))
`

const PSYCOPG2_SESSION_SCRIPT = `
import json, sys, threading, time
import psycopg2, psycopg2.errors
conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='postgres', dbname='postgres')
out = {}
cur = conn.cursor()
out['status'] = [conn.get_transaction_status()]
cur.execute('select 1')
out['status'].append(conn.get_transaction_status())
try:
    cur.execute('select * from no_such_table_py')
except psycopg2.errors.UndefinedTable as e:
    out['error'] = [type(e).__name__, e.pgcode]
out['status'].append(conn.get_transaction_status())
conn.rollback()
cur.execute('drop table if exists no_such_table_py')
out['notices'] = conn.notices[:]
conn.commit()
named = conn.cursor(name='big')
named.itersize = 2000
named.execute('select g from generate_series(1, 5000) g')
total = [0, 0]
for (g,) in named:
    total[0] += 1
    total[1] += g
named.close()
conn.commit()
out['named_cursor'] = total
cur.execute('select 1 as a; select 2 as b')
out['multi'] = cur.fetchall()
cur.execute('prepare plus_one(int) as select $1 + 1')
cur.execute('execute plus_one(41)')
out['prepared'] = cur.fetchone()[0]
cur.execute('deallocate plus_one')
conn.commit()
def cancel():
    time.sleep(0.7)
    conn.cancel()
threading.Thread(target=cancel).start()
try:
    cur.execute('select sum(g) from generate_series(1, 2000000000) g')
    out['cancel'] = 'not cancelled'
except psycopg2.errors.QueryCanceled as e:
    out['cancel'] = e.pgcode
conn.rollback()
cur.execute('select 3')
out['after'] = cur.fetchone()[0]
conn.close()
print(json.dumps(out))
`

const SQLALCHEMY_SCRIPT = `
import json, sys
from sqlalchemy import MetaData, Table, create_engine, inspect, text
port, table = int(sys.argv[1]), sys.argv[2]
engine = create_engine(f'postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres')
out = {}
with engine.begin() as c:
    c.execute(text(f"create table {table} (id integer primary key, code varchar(10) not null default 'x', price numeric(10,2), made date, note text)"))
    c.execute(text(f'create view {table}_v as select id, code from {table}'))
    c.execute(text(f'create table {table}_pk (a integer, b text, c integer, primary key (c, a))'))
out['server_version_info'] = list(engine.dialect.server_version_info[:1])
insp = inspect(engine)
out['tables'] = table in insp.get_table_names()
out['views'] = f'{table}_v' in insp.get_view_names()
out['schemas'] = [s for s in insp.get_schema_names() if s in ('public', 'information_schema')]
out['has_table'] = [insp.has_table(table), insp.has_table(table + '_missing')]
out['columns'] = [[col['name'], str(col['type']), col['nullable'], col['default']] for col in insp.get_columns(table)]
pk = insp.get_pk_constraint(f'{table}_pk')
out['pk'] = [pk['name'] == f'{table}_pk_pkey', pk['constrained_columns']]
out['autoload_pk'] = [c.name for c in Table(table, MetaData(), autoload_with=engine).primary_key.columns]
with engine.begin() as c:
    c.execute(text(f'drop table {table}_pk'))
    c.execute(text(f'drop view {table}_v'))
    c.execute(text(f'drop table {table}'))
print(json.dumps(out))
`

const JAVA_PROGRAM = `
import java.sql.*;
import java.math.BigDecimal;

public class FlintJdbcCheck {
  public static void main(String[] args) throws Exception {
    String table = args[1];
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + args[0] + "/postgres", "postgres", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("create table " + table + " (id integer primary key, name varchar(10), amount numeric(8,2), big bigint, d date)");
      }
      try (PreparedStatement p = c.prepareStatement("insert into " + table + " values (?, ?, ?, ?, ?)")) {
        p.setInt(1, 1); p.setString(2, "alpha"); p.setBigDecimal(3, new BigDecimal("12.34")); p.setLong(4, 9000000000L); p.setDate(5, Date.valueOf("2024-01-02"));
        p.executeUpdate();
        p.setInt(1, 2); p.setString(2, "beta"); p.setNull(3, Types.NUMERIC); p.setLong(4, -1L); p.setNull(5, Types.DATE);
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement("select id, name, amount, big, d from " + table + " where id = ?")) {
        p.setInt(1, 1);
        try (ResultSet rs = p.executeQuery()) {
          ResultSetMetaData md = rs.getMetaData();
          while (rs.next()) System.out.println("row " + rs.getInt(1) + " " + rs.getString(2) + " " + rs.getBigDecimal(3) + " " + rs.getLong(4) + " " + rs.getDate(5) + " " + md.getColumnTypeName(3));
        }
      }
      // from the 5th execution pgJDBC uses a named statement and binary results (int4, int8, float8, date, timestamp)
      try (PreparedStatement p = c.prepareStatement("select id, big, amount, d, 1.5::float8 as f, timestamp '2024-01-02 03:04:05' as ts, true as b, name from " + table + " where id = ?")) {
        StringBuilder runs = new StringBuilder("binary");
        for (int k = 0; k < 7; k++) {
          p.setInt(1, 1);
          try (ResultSet rs = p.executeQuery()) {
            rs.next();
            runs.append(" ").append(rs.getInt(1) + "/" + rs.getLong(2) + "/" + rs.getBigDecimal(3) + "/" + rs.getDate(4) + "/" + rs.getDouble(5) + "/" + rs.getTimestamp(6) + "/" + rs.getBoolean(7) + "/" + rs.getString(8));
          }
        }
        System.out.println(runs);
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select id, name from " + table)) {
        ResultSetMetaData md = rs.getMetaData();
        System.out.println("resultset " + md.getTableName(1) + " " + md.isNullable(1) + " " + md.isNullable(2) + " " + md.getColumnTypeName(2));
      }
      try (Statement s = c.createStatement()) {
        System.out.println("empty " + s.execute(""));
        try {
          s.executeQuery("select * from no_such_table_jdbc");
        } catch (SQLException e) {
          System.out.println("error " + e.getSQLState());
        }
      }
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.setFetchSize(1000);
        try (ResultSet rs = s.executeQuery("select g from generate_series(1, 25000) g")) {
          long sum = 0;
          int n = 0;
          while (rs.next()) { sum += rs.getInt(1); n++; }
          System.out.println("fetched " + n + " " + sum);
        }
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        Thread canceller = new Thread(() -> { try { Thread.sleep(700); s.cancel(); } catch (Exception e) { } });
        canceller.start();
        try {
          s.executeQuery("select sum(g) from generate_series(1, 2000000000) g");
          System.out.println("cancel did not stop the query");
        } catch (SQLException e) {
          System.out.println("cancelled " + e.getSQLState());
        }
        canceller.join();
      }
      DatabaseMetaData meta = c.getMetaData();
      System.out.println("product " + meta.getDatabaseProductName() + " " + meta.getDatabaseMajorVersion());
      try (ResultSet rs = meta.getTables(null, "public", table, new String[] {"TABLE"})) {
        while (rs.next()) System.out.println("table " + rs.getString("TABLE_SCHEM") + "." + rs.getString("TABLE_NAME") + " " + rs.getString("TABLE_TYPE"));
      }
      try (ResultSet rs = meta.getSchemas()) {
        StringBuilder names = new StringBuilder("schemas");
        while (rs.next()) names.append(" ").append(rs.getString("TABLE_SCHEM"));
        System.out.println(names);
      }
      try (ResultSet rs = meta.getTypeInfo()) {
        java.util.TreeMap<String, String> types = new java.util.TreeMap<>();
        while (rs.next()) types.put(rs.getString("TYPE_NAME"), rs.getInt("DATA_TYPE") + "/" + rs.getInt("PRECISION") + "/" + rs.getString("LITERAL_PREFIX") + "/" + rs.getBoolean("CASE_SENSITIVE"));
        for (String t : new String[] {"int4", "numeric", "varchar", "timestamptz", "_int4", "_text", "uuid"}) System.out.println("typeinfo " + t + " " + types.get(t));
      }
      try (ResultSet rs = meta.getColumns(null, "public", table, "%")) {
        while (rs.next()) System.out.println("column " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getString("TYPE_NAME") + " " + rs.getInt("DATA_TYPE") + " " + rs.getInt("COLUMN_SIZE") + " " + rs.getString("IS_NULLABLE"));
      }
      try (Statement s = c.createStatement()) {
        s.execute("create table " + table + "_pk (a integer, b text, c integer, primary key (c, a))");
      }
      // getPrimaryKeys selects fields of information_schema._pg_expandarray(indkey) records
      try (ResultSet rs = meta.getPrimaryKeys(null, "public", table + "_pk")) {
        while (rs.next()) System.out.println("pk " + rs.getString("COLUMN_NAME") + " " + rs.getInt("KEY_SEQ") + " " + rs.getString("PK_NAME").equals(table + "_pk_pkey"));
      }
      try (ResultSet rs = meta.getIndexInfo(null, "public", table + "_pk", false, false)) {
        while (rs.next()) System.out.println("index " + rs.getString("INDEX_NAME").equals(table + "_pk_pkey") + " " + rs.getInt("ORDINAL_POSITION") + " " + rs.getString("COLUMN_NAME") + " " + rs.getBoolean("NON_UNIQUE") + " " + rs.getString("ASC_OR_DESC"));
      }
      try (Statement s = c.createStatement()) {
        s.execute("drop table " + table + "_pk");
        s.execute("drop table " + table);
      }
    }
  }
}
`

describe('pgwire with Python and Java clients (real engine)', function () {
  let target: RealServer
  let dir: string

  before(async () => {
    target = await startRealServer()
    dir = await mkdtemp(join(tmpdir(), 'flint-pyjava-'))
  })

  after(async () => {
    await target?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
  })

  it('psycopg2: parameters, types, COPY out and in', async function () {
    const r = await runPython(this, 'psycopg2', 'python3-psycopg2', dir, PSYCOPG2_SCRIPT, [String(target.port), `py_items_${suffix}`])
    assert.equal(r.stderr, '')
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    assert.deepEqual(out['rows'], [
      [1, 'alpha', '1.50', '2024-01-02'],
      [2, "it's", null, null],
    ])
    assert.deepEqual(out['types'], [23, 1043, 1700, 1082])
    assert.equal(out['copy_out'], '1,alpha\n2,it\'s\n')
    assert.equal(out['count'], 3)
  })

  it('psycopg2: transaction status, error classes, notices, named cursors, SQL PREPARE, cancel', async function () {
    const r = await runPython(this, 'psycopg2', 'python3-psycopg2', dir, PSYCOPG2_SESSION_SCRIPT, [String(target.port)])
    assert.equal(r.stderr, '')
    assert.deepEqual(JSON.parse(r.stdout), {
      // idle, in a transaction (psycopg2 sends BEGIN first), in a failed transaction
      status: [0, 2, 3],
      error: ['UndefinedTable', '42P01'],
      notices: ['NOTICE:  table "no_such_table_py" does not exist, skipping\n'],
      named_cursor: [5000, 12502500],
      multi: [[2]],
      prepared: 42,
      cancel: '57014',
      after: 3,
    })
  })

  it('SQLAlchemy: connects and reflects tables, views, columns and primary keys through pg_catalog', async function () {
    const r = await runPython(this, 'sqlalchemy, psycopg2', 'python3-sqlalchemy or python3-psycopg2', dir, SQLALCHEMY_SCRIPT, [String(target.port), `sa_items_${suffix}`])
    assert.equal(r.stderr, '')
    const out = JSON.parse(r.stdout) as Record<string, unknown>
    assert.deepEqual(out['server_version_info'], [15])
    assert.equal(out['tables'], true)
    assert.equal(out['views'], true)
    assert.deepEqual(out['schemas'], ['information_schema', 'public'])
    assert.deepEqual(out['has_table'], [true, false])
    assert.deepEqual(out['columns'], [
      ['id', 'INTEGER', false, null],
      ['code', 'VARCHAR(10)', false, "'x'::character varying"],
      ['price', 'NUMERIC(10, 2)', true, null],
      ['made', 'DATE', true, null],
      ['note', 'TEXT', true, null],
    ])
    // get_pk_constraint runs unnest(indkey) beside generate_subscripts(indkey, 1) in the select list
    assert.deepEqual(out['pk'], [true, ['c', 'a']])
    assert.deepEqual(out['autoload_pk'], ['id'])
  })

  it('pgJDBC: PreparedStatement (binary after 5 runs), ResultSetMetaData, fetch size, cancel, DatabaseMetaData.getTables/getSchemas/getTypeInfo/getColumns/getPrimaryKeys/getIndexInfo', async function () {
    if (!existsSync(JAVAC) || !existsSync(JAVA)) {
      console.log('      (skipped: openjdk-17-jdk-headless is not installed)')
      this.skip()
    }
    if (!existsSync(JDBC_JAR)) {
      console.log('      (skipped: libpostgresql-jdbc-java is not installed)')
      this.skip()
    }
    await writeFile(join(dir, 'FlintJdbcCheck.java'), JAVA_PROGRAM)
    const compiled = await run(JAVAC, ['-cp', JDBC_JAR, '-d', dir, join(dir, 'FlintJdbcCheck.java')], dir)
    assert.equal(compiled.code, 0, compiled.stderr)
    const table = `jdbc_items_${suffix}`
    const r = await run(JAVA, ['-cp', `${JDBC_JAR}:${dir}`, 'FlintJdbcCheck', String(target.port), table], dir)
    assert.equal(r.stderr, '')
    assert.equal(
      r.stdout,
      [
        'row 1 alpha 12.34 9000000000 2024-01-02 numeric',
        `binary${' 1/9000000000/12.34/2024-01-02/1.5/2024-01-02 03:04:05.0/true/alpha'.repeat(7)}`,
        `resultset ${table} 0 1 varchar`,
        'empty false',
        'error 42P01',
        'fetched 25000 312512500',
        'cancelled 57014',
        'product PostgreSQL 15',
        `table public.${table} TABLE`,
        'schemas information_schema pg_catalog public',
        'typeinfo int4 4/0/null/false',
        'typeinfo numeric 2/1000/null/false',
        "typeinfo varchar 12/10485760/'/true",
        "typeinfo timestamptz 93/6/'/false",
        "typeinfo _int4 2003/0/'/false",
        "typeinfo _text 2003/0/'/true",
        "typeinfo uuid 1111/0/'/true",
        'column 1 id int4 4 10 NO',
        'column 2 name varchar 12 10 YES',
        'column 3 amount numeric 2 8 YES',
        'column 4 big int8 -5 19 YES',
        'column 5 d date 91 13 YES',
        'pk c 1 true',
        'pk a 2 true',
        'index true 1 c false A',
        'index true 2 a false A',
        '',
      ].join('\n'),
    )
  })
})
