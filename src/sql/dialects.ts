/**
 * Other SQL dialects (Spark, Hive, MySQL, BigQuery, Trino): the text is parsed with node-sql-parser in
 * that dialect, the tree is rewritten into PostgreSQL's terms (identifier case, literals, types,
 * operators, functions, NULL ordering), and printed as PostgreSQL SQL, which then takes the normal
 * path. This is the only module that loads node-sql-parser. Whatever cannot be translated faithfully
 * raises NotImplementedError (0A000) naming the construct; it is never passed on with other meaning.
 */
import { createRequire } from 'node:module'
import type { AST, Option, Parser } from 'node-sql-parser'
import { EngineError, NotImplementedError, ParseError, planError, SqlState } from '../common/errors.js'
import { nodeTag, parseSql, type ParsedStatement } from './parse.js'

/** The source dialects translateToPostgres accepts. */
export type Dialect = 'spark' | 'hive' | 'mysql' | 'mariadb' | 'bigquery' | 'trino'

/** Every accepted dialect name, in the order shown to users. */
export const DIALECTS: readonly Dialect[] = ['spark', 'hive', 'mysql', 'mariadb', 'bigquery', 'trino']

const ALIASES: Record<string, Dialect | null> = {
  postgresql: null,
  postgres: null,
  pg: null,
  spark: 'spark',
  sparksql: 'spark',
  spark_sql: 'spark',
  databricks: 'spark',
  hive: 'hive',
  hiveql: 'hive',
  mysql: 'mysql',
  mariadb: 'mariadb',
  bigquery: 'bigquery',
  trino: 'trino',
  presto: 'trino',
}

/**
 * The dialect a `flint.dialect` setting (or `--dialect` option) names: null for PostgreSQL itself;
 * an unknown name raises 22023.
 */
export function dialectFromSetting(value: string): Dialect | null {
  const key = value.trim().toLowerCase()
  if (key === '' || key === 'default') return null
  const d = ALIASES[key]
  if (d === undefined) {
    throw planError(SqlState.invalidParameterValue, `invalid value for parameter "flint.dialect": "${value}"`, undefined)
  }
  return d
}

/** Statements that keep PostgreSQL's syntax in every dialect, so that a session can always switch back. */
const SESSION_STATEMENTS = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt'])

/** A statement ready for the PostgreSQL path; `translated` when its text is a translation. */
export interface DialectStatement extends ParsedStatement {
  readonly translated: boolean
}

/**
 * Parses text for a session whose `flint.dialect` setting is `setting`. For PostgreSQL that is
 * parseSql. For another dialect, SET/SHOW/RESET and transaction control are read as PostgreSQL (so
 * a session can always switch back, even from an unknown dialect name) and every other statement is
 * translated first; the texts of those statements are their PostgreSQL translations.
 */
export function parseForDialect(sql: string, setting: string): DialectStatement[] {
  let pg: ParsedStatement[] | null
  let dialect: Dialect | null
  try {
    dialect = dialectFromSetting(setting)
  } catch (e) {
    // an unknown dialect name: only the statements that can change it back may run
    const stmts = parseSql(sql)
    if (stmts.every((s) => SESSION_STATEMENTS.has(nodeTag(s.node)))) return stmts.map((s) => ({ ...s, translated: false }))
    throw e
  }
  if (dialect === null) return parseSql(sql).map((s) => ({ ...s, translated: false }))
  try {
    pg = parseSql(sql)
  } catch {
    pg = null
  }
  const translate = (text: string): DialectStatement[] => parseSql(translateToPostgres(text, dialect)).map((s) => ({ ...s, translated: true }))
  if (pg === null) return translate(sql)
  return pg.flatMap((s) => (SESSION_STATEMENTS.has(nodeTag(s.node)) ? [{ ...s, translated: false }] : translate(s.text)))
}

// ───────────────────────────── parsers ─────────────────────────────

/** node-sql-parser grammars tried for each dialect, in order (Spark falls back to MySQL's lexically alike grammar). */
const GRAMMARS: Record<Dialect, readonly string[]> = {
  spark: ['hive', 'mysql'],
  hive: ['hive', 'mysql'],
  mysql: ['mysql'],
  mariadb: ['mariadb'],
  bigquery: ['bigquery'],
  trino: ['trino'],
}

const require = createRequire(import.meta.url)
const parsers = new Map<string, Parser>()

/** The parser for one grammar; each grammar's build is loaded on first use (~15 ms). */
function parserFor(grammar: string): Parser {
  let p = parsers.get(grammar)
  if (!p) {
    const mod = require(`node-sql-parser/build/${grammar}`) as { Parser: new () => Parser }
    p = new mod.Parser()
    parsers.set(grammar, p)
  }
  return p
}

interface PegError {
  message: string
  found?: string | null
  location?: { start: { offset: number } }
}

// AST nodes are node-sql-parser's loosely shaped objects
type N = any

/**
 * Translates one or more statements of `dialect` into PostgreSQL SQL text. Syntax errors raise
 * ParseError (42601) with a position; valid constructs without a faithful translation raise
 * NotImplementedError (0A000).
 */
export function translateToPostgres(sql: string, dialect: Dialect): string {
  const grammars = GRAMMARS[dialect]
  if (!grammars) throw planError(SqlState.invalidParameterValue, `unknown SQL dialect "${String(dialect)}"`)
  let ast: AST | AST[] | undefined
  let failure: PegError | undefined
  for (const g of grammars) {
    try {
      ast = parserFor(g).astify(sql, { database: g } as Option)
      break
    } catch (e) {
      const pe = e as PegError
      if (!pe.location) throw new ParseError(`could not parse ${dialect} SQL: ${pe.message}`)
      if (!failure || (failure.location && pe.location.start.offset > failure.location.start.offset)) failure = pe
    }
  }
  if (ast === undefined) throw syntaxError(sql, dialect, failure!)
  const stmts = (Array.isArray(ast) ? ast : [ast]).filter((s) => s !== null && s !== undefined)
  const tr = new Translator(dialect)
  const out = stmts.map((s) => tr.statement(s as N))
  const printer = parserFor(grammars[0]!)
  try {
    return out.map((s) => printer.sqlify(s as AST, { database: 'postgresql' })).join(';\n')
  } catch (e) {
    if (e instanceof EngineError) throw e
    throw new NotImplementedError(`cannot translate this ${dialect} statement: ${e instanceof Error ? e.message : String(e)}`)
  }
}

// ───────────────────────────── syntax errors ─────────────────────────────

/** Valid source forms that node-sql-parser's grammars cannot parse, recognised by their tokens. */
const UNSUPPORTED_FORMS: { tokens: string[]; name: string }[] = [
  { tokens: ['lateral', 'view'], name: 'LATERAL VIEW' },
  { tokens: ['<=>'], name: 'the null-safe equality operator <=>' },
  { tokens: ['nulls', 'first'], name: 'NULLS FIRST' },
  { tokens: ['nulls', 'last'], name: 'NULLS LAST' },
  { tokens: ['distribute', 'by'], name: 'DISTRIBUTE BY' },
  { tokens: ['sort', 'by'], name: 'SORT BY' },
  { tokens: ['cluster', 'by'], name: 'CLUSTER BY' },
  { tokens: ['tablesample'], name: 'TABLESAMPLE' },
  { tokens: ['pivot'], name: 'PIVOT' },
  { tokens: ['unpivot'], name: 'UNPIVOT' },
  { tokens: ['transform', '('], name: 'TRANSFORM' },
  { tokens: ['->'], name: 'lambda functions (->)' },
  { tokens: ['filter', '(', 'where'], name: 'aggregate FILTER clauses' },
  { tokens: ['grouping', 'sets'], name: 'GROUPING SETS' },
  { tokens: ['rollup'], name: 'ROLLUP' },
  { tokens: ['cube'], name: 'CUBE' },
  { tokens: ['qualify'], name: 'QUALIFY' },
  { tokens: ['is', 'not', 'distinct', 'from'], name: 'IS NOT DISTINCT FROM' },
  { tokens: ['is', 'distinct', 'from'], name: 'IS DISTINCT FROM' },
  { tokens: ['semi', 'join'], name: 'SEMI JOIN' },
  { tokens: ['anti', 'join'], name: 'ANTI JOIN' },
  { tokens: ['range', 'between'], name: 'RANGE window frames' },
  { tokens: ['insert', 'overwrite'], name: 'INSERT OVERWRITE' },
  { tokens: ['as', 'boolean', ')'], name: 'CAST to BOOLEAN' },
  { tokens: ['div'], name: 'the DIV operator' },
  ...['sum', 'avg', 'min', 'max', 'collect_list', 'collect_set', 'stddev', 'variance'].map((f) => ({ tokens: [f, '(', 'distinct'], name: `${f.toUpperCase()}(DISTINCT …)` })),
  { tokens: ['regexp'], name: 'the REGEXP operator' },
]

interface Token {
  readonly text: string
  readonly offset: number
}

/** Splits SQL text into lower-cased words and symbols, skipping literals, quoted names and comments. */
function tokenize(sql: string): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < sql.length) {
    const c = sql[i]!
    if (/\s/.test(c)) i++
    else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end < 0 ? sql.length : end + 2
    } else if (c === "'" || c === '"' || c === '`') {
      const start = i++
      while (i < sql.length && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1
      i++
      out.push({ text: c === '`' ? 'ident' : 'literal', offset: start })
    } else if (/[A-Za-z_0-9]/.test(c)) {
      const start = i
      while (i < sql.length && /[A-Za-z_0-9$]/.test(sql[i]!)) i++
      out.push({ text: sql.slice(start, i).toLowerCase(), offset: start })
    } else {
      const three = sql.slice(i, i + 3)
      const two = sql.slice(i, i + 2)
      const sym = three === '<=>' ? three : ['->', '=>', '<=', '>=', '<>', '!=', '==', '||', '::'].includes(two) ? two : c
      out.push({ text: sym, offset: i })
      i += sym.length
    }
  }
  return out
}

/** Turns a grammar's syntax error into Flint's: 0A000 for a known unsupported form, else 42601. */
function syntaxError(sql: string, dialect: Dialect, e: PegError): EngineError {
  const tokens = tokenize(sql)
  for (const form of UNSUPPORTED_FORMS) {
    for (let i = 0; i + form.tokens.length <= tokens.length; i++) {
      if (form.tokens.every((t, k) => tokens[i + k]!.text === t)) {
        return new NotImplementedError(`${form.name} cannot be translated from ${dialect} SQL`, tokens[i]!.offset + 1)
      }
    }
  }
  const offset = e.location?.start.offset ?? 0
  const at = tokens.find((t) => t.offset >= offset)
  if (!at || offset >= sql.trimEnd().length) return new ParseError(`syntax error at end of input (${dialect} dialect)`, sql.length)
  const m = /^(`[^`]*`?|'[^']*'?|"[^"]*"?|[A-Za-z_0-9$]+|<=>|->|\S)/.exec(sql.slice(at.offset))
  return new ParseError(`syntax error at or near "${m ? m[0] : e.found ?? ''}" (${dialect} dialect)`, at.offset + 1)
}

// ───────────────────────────── node builders ─────────────────────────────

const fn = (name: string, args: N[]): N => ({ type: 'function', name: { name: [{ type: 'default', value: name }] }, args: { type: 'expr_list', value: args }, over: null })
const keywordFn = (name: string): N => ({ type: 'function', name: { name: [{ type: 'origin', value: name }] }, over: null })
const bin = (operator: string, left: N, right: N): N => ({ type: 'binary_expr', operator, left, right, parentheses: true })
const cast = (expr: N, dataType: N): N => ({ type: 'cast', keyword: 'cast', expr, symbol: 'as', target: [dataType] })
const type = (dataType: string, length?: number, scale?: number): N =>
  length === undefined ? { dataType } : scale === undefined ? { dataType, length, parentheses: true } : { dataType, length, scale, parentheses: true }
const num = (value: number): N => ({ type: 'number', value })
const str = (value: string): N => ({ type: 'single_quote_string', value: value.replace(/'/g, "''") })
const nul = (): N => ({ type: 'null', value: null })
const caseWhen = (branches: [N, N][], otherwise: N | null): N => ({
  type: 'case',
  expr: null,
  args: [...branches.map(([cond, result]) => ({ type: 'when', cond, result })), ...(otherwise ? [{ type: 'else', result: otherwise }] : [])],
})
const isNull = (x: N, not: boolean): N => ({ ...bin(not ? 'IS NOT' : 'IS', x, nul()) })
const extract = (field: string, source: N): N => ({ type: 'extract', args: { field, cast_type: null, source } })
const intervalOf = (n: N, unit: string): N => bin('*', n, { type: 'interval', expr: str(`1 ${unit}`), unit: '' })
const arrayAgg = (x: N, distinct: boolean, over: N): N => ({
  type: 'aggr_func',
  name: 'ARRAY_AGG',
  args: { distinct: distinct ? 'DISTINCT' : null, expr: x, orderby: null, separator: null },
  filter: { keyword: 'filter', parentheses: true, where: isNull(x, true) },
  over: over ?? null,
})

/** A literal's value if the node is a string literal. */
function stringLiteral(n: N): string | undefined {
  return n && (n.type === 'single_quote_string' || n.type === 'string') && typeof n.value === 'string' ? (n.value as string).replace(/''/g, "'") : undefined
}

/** A literal's value if the node is an integer literal. */
function intLiteral(n: N): number | undefined {
  if (n?.type === 'number' && Number.isInteger(Number(n.value))) return Number(n.value)
  if (n?.type === 'unary_expr' && n.operator === '-' && n.expr?.type === 'number' && Number.isInteger(Number(n.expr.value))) return -Number(n.expr.value)
  return undefined
}

/** Decodes backslash escapes and doubled quotes in a Spark/Hive/MySQL string literal's raw text. */
function unescapeLiteral(raw: string, quote: string): string {
  let out = ''
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!
    if (c === '\\' && i + 1 < raw.length) {
      const d = raw[++i]!
      out += d === 'n' ? '\n' : d === 't' ? '\t' : d === 'r' ? '\r' : d === '0' ? '\0' : d === 'b' ? '\b' : d === 'Z' ? '\x1a' : d
    } else if (c === quote && raw[i + 1] === quote) {
      out += c
      i++
    } else out += c
  }
  return out
}

/** Java (Spark) datetime pattern letters and their to_char/to_date counterparts. */
const JAVA_PATTERN: [string, string][] = [
  ['yyyy', 'YYYY'],
  ['yy', 'YY'],
  ['MMMM', 'FMMonth'],
  ['MMM', 'Mon'],
  ['MM', 'MM'],
  ['dd', 'DD'],
  ['HH', 'HH24'],
  ['hh', 'HH12'],
  ['mm', 'MI'],
  ['ss', 'SS'],
  ['SSSSSS', 'US'],
  ['SSS', 'MS'],
  ['a', 'AM'],
  ['EEEE', 'FMDay'],
  ['EEE', 'Dy'],
]

/** MySQL DATE_FORMAT specifiers and their to_char counterparts. */
const MYSQL_PATTERN: Record<string, string> = {
  Y: 'YYYY', y: 'YY', m: 'MM', c: 'FMMM', d: 'DD', e: 'FMDD', H: 'HH24', h: 'HH12', I: 'HH12', i: 'MI', s: 'SS', S: 'SS',
  f: 'US', p: 'AM', M: 'FMMonth', b: 'Mon', W: 'FMDay', a: 'Dy', j: 'DDD', '%': '%',
}

// ───────────────────────────── the translator ─────────────────────────────

class Translator {
  private paramCount = 0

  constructor(private readonly dialect: Dialect) {}

  private get sparkLike(): boolean {
    return this.dialect === 'spark' || this.dialect === 'hive'
  }

  private get mysqlLike(): boolean {
    return this.dialect === 'mysql' || this.dialect === 'mariadb'
  }

  private unsupported(what: string): never {
    throw new NotImplementedError(`${what} cannot be translated from ${this.dialect} SQL`)
  }

  /** Identifiers of these dialects are case-insensitive: fold them as PostgreSQL folds unquoted names. */
  private ident(v: N): N {
    if (typeof v === 'string') return v.toLowerCase()
    if (v && typeof v === 'object' && typeof v.value === 'string') return v.value.toLowerCase()
    if (v && typeof v === 'object' && v.expr && typeof v.expr.value === 'string') return v.expr.value.toLowerCase()
    return v
  }

  /** Splits a BigQuery-style quoted path (`project.dataset.table`) into its parts. */
  private qualifiedName(table: string, db: N, schema: N): N {
    const parts = this.dialect === 'bigquery' && typeof table === 'string' && table.includes('.') ? table.split('.') : [table]
    const out: N = { table: parts[parts.length - 1] }
    if (parts.length === 2) out.db = parts[0]
    else if (parts.length > 2) {
      out.db = parts[parts.length - 3]
      out.schema = parts[parts.length - 2]
    }
    if (db) out.db = db
    if (schema) out.schema = schema
    return out
  }

  statement(s: N): N {
    switch (s.type) {
      case 'select':
        return this.select(s)
      case 'insert':
      case 'replace':
        if (s.type === 'replace' || String(s.prefix ?? '').toLowerCase().includes('overwrite')) this.unsupported('INSERT OVERWRITE / REPLACE')
        if (s.on_duplicate_update) this.unsupported('ON DUPLICATE KEY UPDATE')
        return this.generic({ ...s, table: (s.table as N[]).map((t) => this.fromItem(t)), columns: s.columns?.map((c: N) => this.ident(c)) ?? null })
      case 'update':
      case 'delete':
        return this.generic({ ...s, table: s.table?.map((t: N) => this.fromItem(t)) ?? s.table, from: s.from?.map((t: N) => this.fromItem(t)) ?? s.from })
      default:
        return this.unsupported(`${String(s.type).toUpperCase()} statements`)
    }
  }

  private select(s: N): N {
    const out: N = { ...s }
    if (s.with) {
      out.with = (s.with as N[]).map((w) => ({
        ...w,
        name: { type: 'default', value: this.ident(w.name) },
        columns: w.columns ? (w.columns as N[]).map((c) => this.expr(c)) : w.columns,
        stmt: this.subquery(w.stmt),
      }))
    }
    if (s.options && s.options.length) this.unsupported(`SELECT options ${JSON.stringify(s.options)}`)
    out.columns = s.columns === '*' ? s.columns : (s.columns as N[]).map((c) => ({ ...c, expr: this.expr(c.expr), as: typeof c.as === 'string' ? c.as.toLowerCase() : c.as ? this.expr(c.as) : c.as }))
    if (s.from) out.from = (s.from as N[]).map((f) => this.fromItem(f))
    for (const k of ['where', 'having', 'qualify']) if (s[k]) out[k] = this.expr(s[k])
    if (s.groupby) {
      if (s.groupby.modifiers?.some((m: N) => m)) this.unsupported('GROUP BY modifiers (WITH ROLLUP)')
      out.groupby = { ...s.groupby, columns: s.groupby.columns ? (s.groupby.columns as N[]).map((c) => this.expr(c)) : s.groupby.columns }
    }
    if (s.window) this.unsupported('the WINDOW clause')
    if (s.orderby) out.orderby = this.orderBy(s.orderby)
    if (s.limit) out.limit = this.limit(s.limit)
    if (s.into && (s.into.expr || s.into.type)) this.unsupported('SELECT … INTO')
    if (s._next) out._next = this.select(s._next)
    return out
  }

  private subquery(q: N): N {
    if (q && q.ast) return { ...q, tableList: undefined, columnList: undefined, ast: this.statement(q.ast) }
    if (q && q.type === 'select') return this.select(q)
    return this.expr(q)
  }

  private limit(l: N): N {
    const values = (l.value ?? []) as N[]
    if (this.mysqlLike && l.seperator === ',' && values.length === 2) return { seperator: 'offset', value: [this.expr(values[1]), this.expr(values[0])] }
    return { ...l, value: values.map((v) => this.expr(v)) }
  }

  private orderBy(items: N[]): N[] {
    // PostgreSQL sorts NULLs last ascending and first descending; these dialects differ, so say it
    return items.map((o) => {
      const desc = String(o.type ?? 'ASC').toUpperCase() === 'DESC'
      const nulls = o.nulls ? String(o.nulls).toUpperCase() : this.dialect === 'trino' ? 'NULLS LAST' : desc ? 'NULLS LAST' : 'NULLS FIRST'
      return { ...o, expr: this.expr(o.expr), type: desc ? 'DESC' : 'ASC', nulls }
    })
  }

  private fromItem(f: N): N {
    const out: N = { ...f }
    delete out.surround
    if (f.expr) {
      if (f.expr.ast || f.expr.type === 'select') out.expr = this.subquery(f.expr)
      else if (f.expr.type === 'values') out.expr = this.generic(f.expr)
      else this.unsupported('table functions in FROM')
    } else if (f.type === 'dual') return f
    else if (f.table !== undefined) {
      if (typeof f.table !== 'string' && !(f.table && typeof f.table.value === 'string')) this.unsupported('this FROM item')
      Object.assign(out, this.qualifiedName(this.ident(f.table), f.db ? this.ident(f.db) : f.db, f.schema ? this.ident(f.schema) : f.schema))
    }
    if (f.as) out.as = this.ident(f.as)
    if (f.on) out.on = this.expr(f.on)
    if (f.using) out.using = (f.using as N[]).map((u) => this.ident(u))
    if (f.join) {
      const j = String(f.join).toUpperCase()
      if (!['JOIN', 'INNER JOIN', 'LEFT JOIN', 'LEFT OUTER JOIN', 'RIGHT JOIN', 'RIGHT OUTER JOIN', 'FULL JOIN', 'FULL OUTER JOIN', 'CROSS JOIN'].includes(j)) this.unsupported(j)
    }
    if (f.tablesample || f.temporal_table) this.unsupported('TABLESAMPLE')
    return out
  }

  /** Rewrites any node whose shape is not otherwise handled: every nested value is translated. */
  private generic(n: N): N {
    if (Array.isArray(n)) return n.map((x) => this.expr(x))
    if (n === null || typeof n !== 'object') return n
    const out: N = {}
    for (const [k, v] of Object.entries(n)) {
      if (k === 'tableList' || k === 'columnList' || k === 'loc') continue
      if (k === 'table' || k === 'db' || k === 'schema') out[k] = this.ident(v)
      else out[k] = v !== null && typeof v === 'object' ? (Array.isArray(v) ? v.map((x) => this.expr(x)) : this.expr(v)) : v
    }
    return out
  }

  private expr(n: N): N {
    if (n === null || typeof n !== 'object') return n
    if (Array.isArray(n)) return n.map((x) => this.expr(x))
    if (n.ast) return this.subquery(n)
    switch (n.type) {
      case 'select':
        return this.select(n)
      case 'column_ref':
        return this.columnRef(n)
      case 'double_quote_string':
        return this.dialect === 'trino' ? { type: 'column_ref', table: null, column: this.ident(n.value) } : str(unescapeLiteral(n.value, '"'))
      case 'single_quote_string':
      case 'string':
        return this.sparkLike || this.mysqlLike ? str(unescapeLiteral(n.value, "'")) : str(String(n.value).replace(/''/g, "'"))
      case 'backticks_quote_string':
        return { type: 'column_ref', table: null, column: this.ident(n.value) }
      case 'hex_string':
      case 'full_hex_string':
      case 'bit_string':
      case 'natural_string':
        return this.unsupported(`${n.type.replace(/_/g, ' ')} literals`)
      case 'origin':
        if (n.value === '?') return { type: 'var', name: ++this.paramCount, members: [], quoted: null, prefix: '$' }
        return n
      case 'var':
        if (n.prefix === '$' || n.prefix === ':') return n
        return this.unsupported(`variable ${String(n.prefix ?? '')}${String(n.name)}`)
      case 'interval':
        return this.interval(n)
      case 'binary_expr':
        return this.binary(n)
      case 'unary_expr':
        return { ...n, operator: n.operator === '!' ? 'NOT' : n.operator, expr: this.expr(n.expr) }
      case 'cast':
        return this.cast(n)
      case 'function':
        return this.func(n)
      case 'aggr_func':
        return this.aggregate(n)
      case 'window_func':
        return this.generic({ ...n, over: this.over(n.over) })
      case 'expr_list':
        return { ...n, value: n.value ? this.expr(n.value) : n.value }
      case 'array':
      case 'map':
      case 'struct':
      case 'map_object':
      case 'json':
        return this.unsupported(`${n.type} values`)
      default:
        return this.generic(n)
    }
  }

  private columnRef(n: N): N {
    const col = n.column
    if (typeof col === 'string' && /^\$\d+$/.test(col) && !n.table) return { type: 'var', name: Number(col.slice(1)), members: [], quoted: null, prefix: '$' }
    if (n.array_index?.length || n.subFields?.length) this.unsupported('array and struct subscripts')
    const out: N = { type: 'column_ref', column: col === '*' ? '*' : this.ident(col) }
    Object.assign(out, n.table ? this.qualifiedName(this.ident(n.table), n.db ? this.ident(n.db) : n.db, n.schema ? this.ident(n.schema) : n.schema) : { table: null })
    if (n.parentheses) out.parentheses = true
    return out
  }

  private interval(n: N): N {
    const unit = String(n.unit ?? '').toLowerCase()
    const e = n.expr
    if (!unit) {
      const s = stringLiteral(e)
      if (s === undefined) this.unsupported('this INTERVAL form')
      return { type: 'interval', expr: str(s), unit: '' }
    }
    if (!/^(year|quarter|month|week|day|hour|minute|second|millisecond|microsecond)s?$/.test(unit)) this.unsupported(`INTERVAL unit ${unit.toUpperCase()}`)
    const literal = stringLiteral(e) ?? (e?.type === 'number' ? String(e.value) : undefined)
    if (literal !== undefined && /^\s*-?\d+(\.\d+)?\s*$/.test(literal)) return { type: 'interval', expr: str(`${literal.trim()} ${unit}`), unit: '' }
    if (literal !== undefined) this.unsupported(`INTERVAL '${literal}' ${unit.toUpperCase()}`)
    return intervalOf(this.expr(e), unit)
  }

  private binary(n: N): N {
    const op = String(n.operator).toUpperCase()
    const left = this.expr(n.left)
    const right = this.expr(n.right)
    const keep = (operator: string): N => ({ ...n, operator, left, right })
    switch (op) {
      case '==':
        return keep('=')
      case 'RLIKE':
      case 'REGEXP':
        return keep('~')
      case 'NOT RLIKE':
      case 'NOT REGEXP':
        return keep('!~')
      case '&&':
        return keep('AND')
      case 'XOR':
        return this.unsupported('XOR')
      case '||':
        return this.mysqlLike ? keep('OR') : keep('||')
      case 'DIV':
        return { type: 'function', name: { name: [{ type: 'default', value: 'div' }] }, args: { type: 'expr_list', value: [left, right] }, over: null }
      case '/':
        // Spark, Hive and BigQuery divide in floating point, MySQL in decimal; PostgreSQL truncates integers
        if (this.sparkLike || this.dialect === 'bigquery') return { ...n, left: cast(left, type('DOUBLE PRECISION')), right }
        if (this.mysqlLike) return { ...n, left: cast(left, type('NUMERIC')), right }
        return keep('/')
      case '%':
      case 'MOD':
        return keep('%')
      case '+':
      case '-':
      case '*':
      case '=':
      case '<>':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
      case 'AND':
      case 'OR':
      case 'IS':
      case 'IS NOT':
      case 'IN':
      case 'NOT IN':
      case 'BETWEEN':
      case 'NOT BETWEEN':
      case 'LIKE':
      case 'NOT LIKE':
      case 'ILIKE':
      case 'NOT ILIKE':
      case 'EXISTS':
      case 'NOT EXISTS':
        return keep(op)
      default:
        return this.unsupported(`the operator ${op}`)
    }
  }

  private cast(n: N): N {
    const targets = n.target as N[]
    if (!targets || targets.length !== 1) this.unsupported('this CAST form')
    return { type: 'cast', keyword: 'cast', expr: this.expr(n.expr), symbol: 'as', target: [this.dataType(targets[0])], ...(n.parentheses ? { parentheses: true } : {}) }
  }

  /** Maps a source type name to PostgreSQL's. */
  private dataType(t: N): N {
    const name = String(t.dataType ?? '').toUpperCase()
    const len = typeof t.length === 'number' ? t.length : undefined
    const scale = typeof t.scale === 'number' ? t.scale : undefined
    switch (name) {
      case 'INT':
      case 'INTEGER':
      case 'INT4':
      case 'MEDIUMINT':
        return type('INTEGER')
      case 'BIGINT':
      case 'LONG':
      case 'INT64':
      case 'INT8':
      case 'SIGNED':
        return type('BIGINT')
      case 'SMALLINT':
      case 'SHORT':
      case 'TINYINT':
      case 'BYTE':
        return type('SMALLINT')
      case 'DOUBLE':
      case 'DOUBLE PRECISION':
      case 'FLOAT64':
        return type('DOUBLE PRECISION')
      case 'FLOAT':
        return type(this.sparkLike || this.mysqlLike ? 'REAL' : 'DOUBLE PRECISION')
      case 'REAL':
        return type(this.mysqlLike ? 'DOUBLE PRECISION' : 'REAL')
      case 'STRING':
      case 'TEXT':
        return type('TEXT')
      case 'VARCHAR':
        return len === undefined ? type('TEXT') : type('VARCHAR', len)
      case 'CHAR':
        return this.mysqlLike ? (len === undefined ? type('TEXT') : type('VARCHAR', len)) : len === undefined ? type('CHAR', 1) : type('CHAR', len)
      case 'BOOLEAN':
      case 'BOOL':
        return type('BOOLEAN')
      case 'DECIMAL':
      case 'NUMERIC':
      case 'DEC':
        if (this.dialect === 'bigquery' || this.dialect === 'trino') return len === undefined ? type('NUMERIC') : type('NUMERIC', len, scale ?? 0)
        return type('NUMERIC', len ?? 10, scale ?? 0)
      case 'DATE':
        return type('DATE')
      case 'TIMESTAMP':
        return type(this.dialect === 'bigquery' ? 'TIMESTAMPTZ' : 'TIMESTAMP')
      case 'DATETIME':
        return type('TIMESTAMP')
      default:
        return this.unsupported(`the type ${name}${len !== undefined ? `(${len}${scale !== undefined ? `, ${scale}` : ''})` : ''}`)
    }
  }

  private over(o: N): N {
    if (!o) return o
    if (typeof o === 'string' || (o.as_window_specification && typeof o.as_window_specification !== 'object')) this.unsupported('named windows')
    const spec = o.as_window_specification?.window_specification
    if (!spec) return this.generic(o)
    const frame = spec.window_frame_clause
    if (frame && typeof frame === 'object' && frame.type === 'binary_expr' && String(frame.left?.value ?? '').toLowerCase() === 'range') this.unsupported('RANGE window frames')
    const out: N = { ...spec }
    if (spec.partitionby) out.partitionby = (spec.partitionby as N[]).map((p) => ({ ...p, expr: this.expr(p.expr) }))
    if (spec.orderby) out.orderby = this.orderBy(spec.orderby)
    if (frame) out.window_frame_clause = this.generic(frame)
    return { ...o, as_window_specification: { ...o.as_window_specification, window_specification: out } }
  }

  private aggregate(n: N): N {
    const name = String(n.name).toUpperCase()
    const args = n.args ?? {}
    const over = this.over(n.over)
    if (n.filter) this.unsupported('aggregate FILTER clauses')
    const expr = args.expr ? this.expr(args.expr) : args.expr
    const base = { ...n, args: { ...args, expr, orderby: args.orderby ? this.orderBy(args.orderby) : args.orderby }, over }
    switch (name) {
      case 'COUNT':
      case 'SUM':
      case 'MIN':
      case 'MAX':
      case 'AVG':
        if (args.orderby?.length) this.unsupported(`ORDER BY inside ${name}`)
        return base
      case 'GROUP_CONCAT': {
        if (expr?.type === 'expr_list') this.unsupported('GROUP_CONCAT of several expressions')
        const sep = args.separator?.value ?? (args.separator?.delimiter as N) ?? str(',')
        return {
          type: 'aggr_func',
          name: 'STRING_AGG',
          args: { distinct: args.distinct ?? null, expr: cast(expr, type('TEXT')), orderby: base.args.orderby ?? null, separator: { symbol: ',', delimiter: this.expr(sep) } },
          over,
        }
      }
      case 'ARRAY_AGG':
      case 'STRING_AGG':
        if (this.dialect === 'bigquery' || this.dialect === 'trino') return base
        return this.unsupported(name)
      default:
        return this.func({ type: 'function', name: { name: [{ type: 'default', value: name.toLowerCase() }] }, args: { type: 'expr_list', value: args.expr ? [args.expr] : [] }, over: n.over, distinct: args.distinct })
    }
  }

  private func(n: N): N {
    // BigQuery's grammar puts an unqualified function name under `schema`
    const named = (n.name?.name ?? []) as N[]
    const parts = named.length ? named : n.name?.schema ? [n.name.schema] : []
    if (parts.length !== 1 || (n.name?.schema && named.length)) this.unsupported(`qualified function names`)
    const raw = String(parts[0]!.value)
    const name = raw.toLowerCase()
    const argNodes: N[] = n.args?.value ?? []
    const distinct = !!(n.distinct || n.args?.distinct)
    const over = this.over(n.over)
    const a = argNodes.map((x) => this.expr(x))
    const arity = (...counts: number[]): void => {
      if (!counts.includes(a.length)) this.unsupported(`${name} with ${a.length} argument${a.length === 1 ? '' : 's'}`)
    }
    const same = (): N => ({ type: 'function', name: { name: [{ type: 'default', value: name }] }, args: { type: 'expr_list', value: a }, over })
    const renamed = (to: string): N => ({ ...fn(to, a), over })
    const aggregate = (to: string, x: N): N => ({ type: 'aggr_func', name: to, args: { distinct: distinct ? 'DISTINCT' : null, expr: x, orderby: null, separator: null }, over })
    const toDate = (x: N): N => cast(x, type('DATE'))
    const toTs = (x: N): N => cast(x, type('TIMESTAMP'))
    const asInt = (x: N): N => cast(x, type('INTEGER'))
    if (distinct && !['count', 'sum', 'avg', 'min', 'max', 'collect_set', 'collect_list', 'approx_count_distinct', 'array_agg', 'string_agg'].includes(name)) this.unsupported(`DISTINCT in ${name}`)
    const mysql = this.mysqlLike
    switch (name) {
      // ── kept as they are ──
      case 'exists':
      case 'coalesce':
      case 'nullif':
      case 'greatest':
      case 'least':
      case 'abs':
      case 'sqrt':
      case 'exp':
      case 'ln':
      case 'log10':
      case 'sign':
      case 'lower':
      case 'upper':
      case 'trim':
      case 'ltrim':
      case 'rtrim':
      case 'lpad':
      case 'rpad':
      case 'replace':
      case 'reverse':
      case 'repeat':
      case 'initcap':
      case 'ascii':
      case 'char_length':
      case 'character_length':
      case 'concat_ws':
      case 'row_number':
      case 'rank':
      case 'dense_rank':
      case 'percent_rank':
      case 'cume_dist':
      case 'ntile':
      case 'lag':
      case 'lead':
      case 'first_value':
      case 'last_value':
      case 'nth_value':
      case 'stddev':
      case 'stddev_samp':
      case 'stddev_pop':
      case 'variance':
      case 'var_samp':
      case 'var_pop':
      case 'corr':
      case 'covar_pop':
      case 'covar_samp':
      case 'bool_and':
      case 'bool_or':
        return same()
      case 'count':
      case 'sum':
      case 'min':
      case 'max':
      case 'avg':
        arity(1)
        return aggregate(name.toUpperCase(), a[0])
      case 'mean':
        arity(1)
        return aggregate('AVG', a[0])
      case 'std':
        return renamed('stddev')
      case 'every':
        return renamed('bool_and')
      case 'ceil':
      case 'ceiling':
        return renamed('ceil')
      case 'floor':
        return same()
      case 'pow':
      case 'power':
        return renamed('power')
      case 'mod':
        arity(2)
        return bin('%', a[0], a[1])
      case 'signum':
        return renamed('sign')
      case 'rand':
      case 'random':
        if (a.length) this.unsupported(`${name} with a seed`)
        return fn('random', [])
      case 'round':
        arity(1, 2)
        // these dialects round halves away from zero for every numeric type; PostgreSQL's float round does not
        return fn('round', [cast(a[0], type('NUMERIC')), ...a.slice(1)])
      case 'truncate':
        if (!mysql) this.unsupported(name)
        return renamed('trunc')
      case 'log':
        if (a.length === 1) return fn('ln', a)
        arity(2)
        return this.dialect === 'bigquery' ? fn('log', [a[1], a[0]]) : fn('log', a)
      case 'log2':
        arity(1)
        return fn('log', [num(2), a[0]])
      case 'length':
      case 'len':
        arity(1)
        return mysql ? fn('octet_length', a) : fn('length', a)
      case 'lcase':
        return renamed('lower')
      case 'ucase':
        return renamed('upper')
      case 'left':
      case 'right':
        return same()
      case 'instr':
        arity(2)
        return fn('strpos', a)
      case 'locate':
      case 'position':
        arity(2)
        return fn('strpos', [a[1], a[0]])
      case 'strpos':
        return same()
      case 'substr':
      case 'substring':
        return this.substr(a)
      case 'concat':
        if (a.length === 0) this.unsupported('concat without arguments')
        // NULL if any argument is NULL, as in these dialects (PostgreSQL's concat skips NULLs)
        return a.map((x) => (stringLiteral(x) !== undefined ? x : cast(x, type('TEXT')))).reduce((l, r) => bin('||', l, r))
      case 'regexp_replace':
        arity(3)
        if (stringLiteral(a[2]) === undefined || /[$\\]/.test(stringLiteral(a[2])!)) this.unsupported('regexp_replace with a non-literal replacement or group references')
        return fn('regexp_replace', [...a, str('g')])
      case 'rlike':
      case 'regexp_like':
      case 'regexp':
        arity(2)
        return bin('~', a[0], a[1])
      // ── NULL handling and conditionals ──
      case 'nvl':
      case 'ifnull':
        arity(2)
        return fn('coalesce', a)
      case 'nvl2':
        arity(3)
        return caseWhen([[isNull(a[0], true), a[1]]], a[2])
      case 'if':
      case 'iff':
        arity(3)
        return caseWhen([[a[0], a[1]]], a[2])
      case 'isnull':
        if (a.length === 2 && !mysql) return fn('coalesce', a)
        arity(1)
        return isNull(a[0], false)
      case 'isnotnull':
        arity(1)
        return isNull(a[0], true)
      case 'count_if':
      case 'countif':
        arity(1)
        return aggregate('COUNT', caseWhen([[a[0], num(1)]], null))
      case 'approx_count_distinct':
      case 'approx_distinct':
        arity(1, 2)
        return { type: 'aggr_func', name: 'COUNT', args: { distinct: 'DISTINCT', expr: a[0], orderby: null, separator: null }, over }
      // ── arrays ──
      case 'collect_list':
      case 'collect_set':
        arity(1)
        // these skip NULLs; array_agg keeps them
        return arrayAgg(a[0], name === 'collect_set' || distinct, over)
      case 'size':
      case 'cardinality':
      case 'array_size':
        arity(1)
        return fn('cardinality', a)
      // ── casts written as functions ──
      case 'int':
      case 'bigint':
      case 'smallint':
      case 'tinyint':
      case 'double':
      case 'float':
      case 'string':
      case 'boolean':
      case 'date':
      case 'timestamp':
        arity(1)
        return cast(a[0], this.dataType({ dataType: name }))
      // ── dates and times ──
      case 'current_date':
      case 'curdate':
        arity(0)
        return keywordFn('CURRENT_DATE')
      case 'current_timestamp':
      case 'now':
      case 'localtimestamp':
        if (a.length) this.unsupported(`${name} with arguments`)
        return keywordFn('CURRENT_TIMESTAMP')
      case 'to_date':
        if (a.length === 1) return toDate(a[0])
        arity(2)
        return fn('to_date', [a[0], this.datePattern(a[1])])
      case 'to_timestamp':
        if (a.length === 1) return toTs(a[0])
        arity(2)
        return cast(fn('to_timestamp', [a[0], this.datePattern(a[1])]), type('TIMESTAMP'))
      case 'date_format':
        arity(2)
        return fn('to_char', [toTs(a[0]), this.datePattern(a[1])])
      case 'str_to_date':
        if (!mysql) this.unsupported(name)
        arity(2)
        return fn('to_date', [a[0], this.datePattern(a[1])])
      case 'date_add':
      case 'adddate':
      case 'date_sub':
      case 'subdate':
        return this.dateAdd(name.includes('sub') ? '-' : '+', a, argNodes)
      case 'add_months':
        arity(2)
        return toDate(bin('+', toDate(a[0]), intervalOf(a[1], 'month')))
      case 'datediff':
        arity(2)
        return bin('-', toDate(a[0]), toDate(a[1]))
      case 'date_diff':
        return this.dateDiff(a, argNodes)
      case 'year':
      case 'month':
      case 'day':
      case 'dayofmonth':
      case 'quarter':
      case 'dayofyear':
      case 'weekofyear':
        arity(1)
        return asInt(extract(name === 'dayofmonth' ? 'day' : name === 'dayofyear' ? 'doy' : name === 'weekofyear' ? 'week' : name, toDate(a[0])))
      case 'dayofweek':
        arity(1)
        return bin('+', asInt(extract('dow', toDate(a[0]))), num(1))
      case 'hour':
      case 'minute':
        arity(1)
        return asInt(extract(name, toTs(a[0])))
      case 'second':
        arity(1)
        return asInt(fn('floor', [extract('second', toTs(a[0]))]))
      case 'date_trunc':
      case 'trunc':
        return this.dateTrunc(name, a, argNodes)
      default:
        return this.unsupported(`the function ${name}`)
    }
  }

  private substr(a: N[]): N {
    if (a.length !== 2 && a.length !== 3) this.unsupported(`substr with ${a.length} arguments`)
    const [s, p, len] = a
    const pos = intLiteral(p)
    if (!this.sparkLike && !this.mysqlLike && pos !== undefined && pos > 0) return fn('substr', a)
    if (pos !== undefined && pos > 0) return fn('substr', a)
    // positions count from 1; 0 means 1 and negative positions count from the end
    const from = (q: N): N => fn('substr', [s, q, ...(len !== undefined ? [len] : [])])
    if (pos === 0) return from(num(1))
    if (pos !== undefined) return from(bin('+', bin('+', fn('length', [s]), num(pos)), num(1)))
    return caseWhen([[bin('>', p, num(0)), from(p)], [bin('=', p, num(0)), from(num(1))]], from(bin('+', bin('+', fn('length', [s]), p), num(1))))
  }

  private dateAdd(op: '+' | '-', a: N[], raw: N[]): N {
    if (this.dialect === 'trino') {
      // date_add(unit, value, timestamp)
      if (op === '-' || a.length !== 3) this.unsupported('date_add with these arguments')
      const unit = stringLiteral(a[0])
      if (unit === undefined) this.unsupported('date_add with a non-literal unit')
      return bin('+', a[2], intervalOf(a[1], this.unitName(unit)))
    }
    if (a.length !== 2) this.unsupported(`date_add with ${a.length} arguments`)
    if (raw[1]?.type === 'interval') {
      const plus = bin(op, a[0], a[1])
      // BigQuery's DATE_ADD takes and returns a DATE; MySQL's keeps the time of day of a DATETIME
      return this.dialect === 'bigquery' ? cast(plus, type('DATE')) : plus
    }
    if (this.dialect === 'bigquery') this.unsupported('DATE_ADD without an INTERVAL')
    // Spark/Hive date_add(date, days): the first argument is read as a date
    return bin(op, cast(a[0], type('DATE')), a[1])
  }

  private dateDiff(a: N[], _raw: N[]): N {
    if (this.dialect === 'trino') {
      if (a.length !== 3 || stringLiteral(a[0])?.toLowerCase() !== 'day') this.unsupported('date_diff other than in days')
      return bin('-', cast(a[2], type('DATE')), cast(a[1], type('DATE')))
    }
    if (this.dialect === 'bigquery') {
      const unit = a[2]?.type === 'column_ref' ? String(a[2].column).toLowerCase() : undefined
      if (a.length !== 3 || unit !== 'day') this.unsupported('DATE_DIFF other than in days')
      return bin('-', cast(a[0], type('DATE')), cast(a[1], type('DATE')))
    }
    return this.unsupported('date_diff')
  }

  private unitName(unit: string): string {
    const u = unit.toLowerCase().replace(/s$/, '')
    if (!['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second', 'millisecond'].includes(u)) this.unsupported(`the unit '${unit}'`)
    return u
  }

  private dateTrunc(name: string, a: N[], raw: N[]): N {
    if (a.length !== 2) this.unsupported(`${name} with ${a.length} arguments`)
    const truncUnit = (u: string): string => {
      const k = u.toLowerCase()
      const map: Record<string, string> = {
        year: 'year', yyyy: 'year', yy: 'year', quarter: 'quarter', month: 'month', mon: 'month', mm: 'month', week: 'week',
        day: 'day', dd: 'day', hour: 'hour', minute: 'minute', second: 'second',
      }
      const v = map[k]
      if (!v) this.unsupported(`${name} to '${u}'`)
      return v
    }
    if (this.dialect === 'bigquery') {
      // DATE_TRUNC(date, MONTH)
      const unit = raw[1]?.type === 'origin' ? String(raw[1].value) : raw[1]?.type === 'column_ref' ? String(a[1].column) : stringLiteral(a[1])
      if (unit === undefined) this.unsupported(`${name} with a non-literal unit`)
      return cast(fn('date_trunc', [str(truncUnit(unit)), a[0]]), type('DATE'))
    }
    if (name === 'trunc') {
      if (!this.sparkLike) this.unsupported(name)
      const unit = stringLiteral(a[1])
      if (unit === undefined) this.unsupported('trunc with a non-literal format')
      return cast(fn('date_trunc', [str(truncUnit(unit)), toTimestamp(a[0])]), type('DATE'))
    }
    const unit = stringLiteral(a[0])
    if (unit === undefined) this.unsupported(`${name} with a non-literal unit`)
    return fn('date_trunc', [str(truncUnit(unit)), toTimestamp(a[1])])
  }

  /** Rewrites a Java (Spark/Hive) or MySQL datetime pattern literal as a to_char pattern. */
  private datePattern(p: N): N {
    const s = stringLiteral(p)
    if (s === undefined) this.unsupported('datetime formats that are not literals')
    let out = ''
    if (this.mysqlLike) {
      for (let i = 0; i < s.length; i++) {
        const c = s[i]!
        if (c !== '%') {
          out += /[A-Za-z]/.test(c) ? `"${c}"` : c
          continue
        }
        const spec = MYSQL_PATTERN[s[++i] ?? '']
        if (spec === undefined) this.unsupported(`the format specifier %${s[i] ?? ''}`)
        out += spec
      }
      return str(out)
    }
    if (!this.sparkLike) this.unsupported('datetime format patterns')
    for (let i = 0; i < s.length; ) {
      const c = s[i]!
      if (c === "'") {
        const end = s.indexOf("'", i + 1)
        if (end < 0) this.unsupported('this datetime pattern')
        out += `"${s.slice(i + 1, end)}"`
        i = end + 1
        continue
      }
      if (/[A-Za-z]/.test(c)) {
        let j = i
        while (s[j] === c) j++
        const run = s.slice(i, j)
        const hit = JAVA_PATTERN.find(([k]) => k === run)
        if (!hit) this.unsupported(`the datetime pattern letters '${run}'`)
        out += hit[1]
        i = j
        continue
      }
      out += c
      i++
    }
    return str(out)
  }
}

const toTimestamp = (x: N): N => cast(x, type('TIMESTAMP'))
