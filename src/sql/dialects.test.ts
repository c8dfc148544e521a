import assert from 'node:assert/strict'
import { EngineError } from '../common/errors.js'
import { dialectFromSetting, parseForDialect, translateToPostgres, type Dialect } from './dialects.js'
import { initParser, nodeTag } from './parse.js'

const spark = (sql: string): string => translateToPostgres(sql, 'spark')

/** The select list of a one-statement translation. */
const cols = (sql: string, dialect: Dialect = 'spark'): string => {
  const out = translateToPostgres(sql, dialect)
  const m = /^SELECT (.*?)(?: FROM "t")?$/s.exec(out)
  assert.ok(m, out)
  return m[1]!
}

const fails = (sql: string, code: string, pattern: RegExp, dialect: Dialect = 'spark'): EngineError => {
  let caught: unknown
  try {
    translateToPostgres(sql, dialect)
  } catch (e) {
    caught = e
  }
  assert.ok(caught instanceof EngineError, `expected ${code} for ${sql}, got ${String(caught)}`)
  assert.equal(caught.code, code, caught.message)
  assert.match(caught.message, pattern)
  return caught
}

describe('dialect translation', () => {
  before(() => initParser())

  describe('names and literals', () => {
    it('folds unquoted and backquoted identifiers, keeping string literals', () => {
      assert.equal(
        spark("SELECT `Sales`.`Region` AS `Zone`, Amount, 'Keep Case' FROM Db.`Sales` WHERE `Region` = 'North' ORDER BY Zone LIMIT 5"),
        `SELECT "sales"."region" AS "zone", "amount", 'Keep Case' FROM "db"."sales" WHERE "region" = 'North' ORDER BY "zone" ASC NULLS FIRST LIMIT 5`,
      )
      assert.equal(cols('select `Weird Name` from t'), '"weird name"')
    })

    it('reads double-quoted text and backslash escapes as string literals', () => {
      assert.equal(cols(`select "Mixed", 'It\\'s', 'a''b', 'tab\\there' from t`), `'Mixed', 'It''s', 'a''b', 'tab\there'`)
    })

    it('keeps parameters and maps MySQL ? placeholders to $n', () => {
      assert.equal(spark('select a from t where a = $1 and b = $2'), 'SELECT "a" FROM "t" WHERE "a" = $1 AND "b" = $2')
      assert.equal(translateToPostgres('select a from t where a = ? and b = ?', 'mysql'), 'SELECT "a" FROM "t" WHERE "a" = $1 AND "b" = $2')
    })

    it('makes the source NULL ordering explicit', () => {
      assert.equal(spark('select a from t order by a, b desc'), 'SELECT "a" FROM "t" ORDER BY "a" ASC NULLS FIRST, "b" DESC NULLS LAST')
      assert.match(cols('select row_number() over (partition by b order by c desc) from t'), /PARTITION BY "b" ORDER BY "c" DESC NULLS LAST/)
      assert.equal(translateToPostgres('select a from t order by a desc', 'trino'), 'SELECT "a" FROM "t" ORDER BY "a" DESC NULLS LAST')
    })

    it('translates statements of several kinds', () => {
      assert.equal(spark('insert into T select * from U'), 'INSERT INTO "t" SELECT * FROM "u"')
      assert.equal(
        spark('with Cte as (select A from T) select * from Cte where A in (select A from U) union all select B from V'),
        'WITH "cte" AS (SELECT "a" FROM "t") SELECT * FROM "cte" WHERE "a" IN (SELECT "a" FROM "u") UNION ALL SELECT "b" FROM "v"',
      )
    })
  })

  describe('functions and operators', () => {
    it('maps NULL functions and conditionals', () => {
      assert.equal(cols("select nvl(a, 'x'), ifnull(a, 0), nvl2(a, 1, 2), if(a > 1, 'y', 'n'), isnull(a), isnotnull(a) from t"),
        `coalesce("a", 'x'), coalesce("a", 0), CASE WHEN ("a" IS NOT NULL) THEN 1 ELSE 2 END, CASE WHEN "a" > 1 THEN 'y' ELSE 'n' END, ("a" IS NULL), ("a" IS NOT NULL)`)
    })

    it('maps date arithmetic and parts', () => {
      assert.equal(cols('select date_add(d, 3), date_sub(d, 2), datediff(a, b) from t'),
        '(CAST("d" AS DATE) + 3), (CAST("d" AS DATE) - 2), (CAST("a" AS DATE) - CAST("b" AS DATE))')
      assert.equal(cols('select year(d), month(d), day(d), dayofweek(d) from t'),
        'CAST(EXTRACT(YEAR FROM CAST("d" AS DATE)) AS INTEGER), CAST(EXTRACT(MONTH FROM CAST("d" AS DATE)) AS INTEGER), CAST(EXTRACT(DAY FROM CAST("d" AS DATE)) AS INTEGER), (CAST(EXTRACT(DOW FROM CAST("d" AS DATE)) AS INTEGER) + 1)')
      assert.equal(cols("select to_date(s), to_date(s, 'dd/MM/yyyy'), current_date(), current_date, current_timestamp() from t"),
        `CAST("s" AS DATE), to_date("s", 'DD/MM/YYYY'), CURRENT_DATE, CURRENT_DATE, CURRENT_TIMESTAMP`)
      assert.equal(cols("select date_format(ts, 'yyyy-MM HH:mm'), trunc(d, 'MM'), interval 3 day from t"),
        `to_char(CAST("ts" AS TIMESTAMP), 'YYYY-MM HH24:MI'), CAST(date_trunc('month', CAST("d" AS TIMESTAMP)) AS DATE), INTERVAL '3 day'`)
    })

    it('maps collections and strings', () => {
      assert.equal(cols('select collect_list(x), collect_set(y), size(collect_list(x)) from t'),
        'ARRAY_AGG("x") FILTER (WHERE ("x" IS NOT NULL)), ARRAY_AGG(DISTINCT "y") FILTER (WHERE ("y" IS NOT NULL)), cardinality(ARRAY_AGG("x") FILTER (WHERE ("x" IS NOT NULL)))')
      assert.equal(cols("select substr(s, 2, 3), substr(s, -2), concat_ws('-', a, b), concat(a, 'x', n), instr(s, 'a') from t"),
        `substr("s", 2, 3), substr("s", ((length("s") + -2) + 1)), concat_ws('-', "a", "b"), ((CAST("a" AS TEXT) || 'x') || CAST("n" AS TEXT)), strpos("s", 'a')`)
      assert.equal(spark("select a from t where s rlike '^a' and not s like 'b%'"), `SELECT "a" FROM "t" WHERE "s" ~ '^a' AND NOT "s" LIKE 'b%'`)
    })

    it('maps casts and type names', () => {
      assert.equal(cols('select cast(x as string), cast(x as int), cast(x as bigint), cast(x as double), cast(x as decimal(10,2)), cast(x as decimal), int(y), string(y) from t'),
        'CAST("x" AS TEXT), CAST("x" AS INTEGER), CAST("x" AS BIGINT), CAST("x" AS DOUBLE PRECISION), CAST("x" AS NUMERIC(10, 2)), CAST("x" AS NUMERIC(10)), CAST("y" AS INTEGER), CAST("y" AS TEXT)')
      assert.equal(cols('select cast(x as boolean) from t'), 'CAST("x" AS BOOLEAN)')
      assert.equal(cols('select x == 1 from t'), '"x" = 1')
    })

    it('keeps division fractional and rounding half away from zero', () => {
      assert.equal(cols('select a / b, round(x, 1), log(x), mod(a, 3) from t'),
        'CAST("a" AS DOUBLE PRECISION) / "b", round(CAST("x" AS NUMERIC), 1), ln("x"), ("a" % 3)')
    })

    it('maps MySQL functions and operators', () => {
      assert.equal(
        translateToPostgres("select ifnull(a, 1), now(), curdate(), group_concat(distinct a order by b separator ';'), a || b, a div b, date_add(d, interval 2 day) from t limit 2, 3", 'mysql'),
        `SELECT coalesce("a", 1), CURRENT_TIMESTAMP, CURRENT_DATE, STRING_AGG(DISTINCT CAST("a" AS TEXT), ';' ORDER BY "b" ASC NULLS FIRST), "a" OR "b", div("a", "b"), ("d" + INTERVAL '2 day') FROM "t" LIMIT 3 OFFSET 2`,
      )
      assert.equal(cols("select date_format(d, '%Y-%m-%d'), length(s), group_concat(a) from t", 'mysql'),
        `to_char(CAST("d" AS TIMESTAMP), 'YYYY-MM-DD'), octet_length("s"), STRING_AGG(CAST("a" AS TEXT), ',')`)
    })

    it('maps Trino and BigQuery forms', () => {
      assert.equal(cols("select date_add('day', 3, d), date_diff('day', a, b), \"Col\" from t", 'trino'),
        `("d" + (3 * INTERVAL '1 day')), (CAST("b" AS DATE) - CAST("a" AS DATE)), "col"`)
      assert.equal(translateToPostgres('select date_trunc(d, month), countif(x > 1), "s" from `proj.ds.T`', 'bigquery'),
        `SELECT CAST(date_trunc('month', "d") AS DATE), COUNT(CASE WHEN "x" > 1 THEN 1 END), 's' FROM "proj"."ds"."t"`)
    })
  })

  describe('errors', () => {
    it('reports constructs without a translation as 0A000, naming them', () => {
      fails('select * from t lateral view explode(arr) e as x', '0A000', /LATERAL VIEW/)
      fails('select a <=> b from t', '0A000', /<=>/)
      fails('select sum(distinct a) from t', '0A000', /SUM\(DISTINCT/)
      fails('select explode(arr) from t', '0A000', /function explode/)
      fails('select first(x) from t', '0A000', /function first/)
      fails('select array(1, 2)', '0A000', /array/)
      fails('select cast(x as binary) from t', '0A000', /type BINARY/)
      fails('create table t (a int)', '0A000', /CREATE statements/)
      fails("select regexp_replace(s, '(a)', '$1') from t", '0A000', /regexp_replace/)
      assert.equal(fails('select a from t distribute by a', '0A000', /DISTRIBUTE BY/).position, 17)
    })

    it('reports syntax errors as 42601 with a short message and position', () => {
      const e = fails('select a from t wher b = 1', '42601', /^syntax error at or near "b" \(spark dialect\)$/)
      assert.equal(e.position, 22)
      fails('select a from', '42601', /syntax error/)
      fails('select (a from t', '42601', /^syntax error at or near/)
    })
  })

  describe('settings', () => {
    it('reads flint.dialect values', () => {
      assert.equal(dialectFromSetting('PostgreSQL'), null)
      assert.equal(dialectFromSetting('spark'), 'spark')
      assert.equal(dialectFromSetting('Presto'), 'trino')
      assert.throws(() => dialectFromSetting('cobol'), (e: EngineError) => e.code === '22023')
    })

    it('keeps SET, SHOW and RESET in PostgreSQL syntax', () => {
      const stmts = parseForDialect("SET flint.dialect = 'postgresql'; SHOW flint.dialect; RESET ALL", 'spark')
      assert.ok(stmts.every((s) => !s.translated))
      assert.deepEqual(stmts.map((s) => nodeTag(s.node)), ['VariableSetStmt', 'VariableShowStmt', 'VariableSetStmt'])
      const mixed = parseForDialect("select nvl(a, 1) from t; set flint.dialect = 'postgresql'", 'spark')
      assert.deepEqual(mixed.map((s) => s.text), ['SELECT coalesce("a", 1) FROM "t"', "set flint.dialect = 'postgresql'"])
      assert.deepEqual(parseForDialect('select `A` from T', 'hive').map((s) => [s.text, s.translated]), [['SELECT "a" FROM "t"', true]])
      assert.deepEqual(parseForDialect('select "A" from T', 'PostgreSQL').map((s) => [s.text, s.translated]), [['select "A" from T', false]])
      assert.equal(parseForDialect('RESET flint.dialect', 'cobol').length, 1)
      assert.throws(() => parseForDialect('select 1', 'cobol'), (e: EngineError) => e.code === '22023')
    })
  })
})
