/**
 * SQL text from PostgreSQL raw parse trees, for what the catalog shows as source text: column
 * defaults (pg_attrdef.adbin through pg_get_expr, information_schema.columns.column_default) and
 * view definitions (pg_get_viewdef, pg_views, information_schema.views).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { typeName, type SqlType } from '../common/types.js'
import { nodeBody, nodeTag, stringValue, type Node } from '../sql/parse.js'
import { quoteIdent } from './catalog-oids.js'

type N = any

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** The type name of a column without its modifiers, as PostgreSQL writes the cast of a default. */
function bareTypeName(t: SqlType): string {
  if (t.id === 'numeric') return 'numeric'
  if (t.id === 'varchar') return 'character varying'
  if (t.id === 'bpchar') return 'bpchar'
  return typeName(t)
}

/** A column default as pg_get_expr prints it: string constants carry a cast to the column's type. */
export function deparseDefault(node: Node, columnType: SqlType): string {
  if (nodeTag(node) === 'A_Const') {
    const c = nodeBody<N>(node)
    if (c.sval !== undefined) return `${lit(c.sval.sval ?? '')}::${bareTypeName(columnType)}`
  }
  return deparseExpr(node, true)
}

const SVF: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'CURRENT_DATE',
  SVFOP_CURRENT_TIME: 'CURRENT_TIME',
  SVFOP_CURRENT_TIME_N: 'CURRENT_TIME',
  SVFOP_CURRENT_TIMESTAMP: 'CURRENT_TIMESTAMP',
  SVFOP_CURRENT_TIMESTAMP_N: 'CURRENT_TIMESTAMP',
  SVFOP_LOCALTIME: 'LOCALTIME',
  SVFOP_LOCALTIME_N: 'LOCALTIME',
  SVFOP_LOCALTIMESTAMP: 'LOCALTIMESTAMP',
  SVFOP_LOCALTIMESTAMP_N: 'LOCALTIMESTAMP',
  SVFOP_CURRENT_ROLE: 'CURRENT_ROLE',
  SVFOP_CURRENT_USER: 'CURRENT_USER',
  SVFOP_USER: 'USER',
  SVFOP_SESSION_USER: 'SESSION_USER',
  SVFOP_CURRENT_CATALOG: 'CURRENT_CATALOG',
  SVFOP_CURRENT_SCHEMA: 'CURRENT_SCHEMA',
}

function typeNameText(tn: N): string {
  const names = ((tn.names ?? []) as N[]).map((n) => stringValue(n)).filter((n) => n !== 'pg_catalog')
  const mods = ((tn.typmods ?? []) as N[]).map((m) => deparseExpr(m, false))
  const base: Record<string, string> = {
    int4: 'integer',
    int8: 'bigint',
    int2: 'smallint',
    float8: 'double precision',
    float4: 'real',
    bool: 'boolean',
    varchar: 'character varying',
    bpchar: 'character',
    timestamp: 'timestamp without time zone',
    timestamptz: 'timestamp with time zone',
    time: 'time without time zone',
  }
  const name = names.length === 1 ? (base[names[0]!] ?? names[0]!) : names.map(quoteIdent).join('.')
  const arr = ((tn.arrayBounds ?? []) as N[]).map(() => '[]').join('')
  return `${name}${mods.length ? `(${mods.join(',')})` : ''}${arr}`
}

/** An expression's SQL text; `top` leaves the outermost operator without parentheses. */
export function deparseExpr(node: Node | undefined, top = false): string {
  if (node === undefined || node === null) return ''
  const tag = nodeTag(node)
  const b = nodeBody<N>(node)
  const paren = (s: string): string => (top ? s : `(${s})`)
  switch (tag) {
    case 'A_Const':
      if (b.isnull) return 'NULL'
      if (b.ival !== undefined) return String(b.ival.ival ?? 0)
      if (b.fval !== undefined) return String(b.fval.fval)
      if (b.boolval !== undefined) return b.boolval.boolval ? 'true' : 'false'
      if (b.sval !== undefined) return lit(b.sval.sval ?? '')
      if (b.bsval !== undefined) return `B'${String(b.bsval.bsval).slice(1)}'`
      return 'NULL'
    case 'Integer':
      return String(b.ival ?? 0)
    case 'Float':
      return String(b.fval)
    case 'String':
      return lit(b.sval ?? '')
    case 'TypeCast':
      return `${deparseExpr(b.arg, false)}::${typeNameText(b.typeName)}`
    case 'ColumnRef':
      return ((b.fields ?? []) as N[]).map((f) => (nodeTag(f) === 'A_Star' ? '*' : quoteIdent(stringValue(f)))).join('.')
    case 'ParamRef':
      return `$${b.number}`
    case 'SQLValueFunction':
      return SVF[b.op] ?? 'CURRENT_TIMESTAMP'
    case 'FuncCall': {
      const names = ((b.funcname ?? []) as N[]).map((n) => stringValue(n)).filter((n) => n !== 'pg_catalog')
      const args = b.agg_star ? '*' : ((b.args ?? []) as N[]).map((a) => deparseExpr(a, true)).join(', ')
      const order = b.agg_order ? ` ORDER BY ${(b.agg_order as N[]).map(deparseSortBy).join(', ')}` : ''
      let s = `${names.join('.')}(${b.agg_distinct ? 'DISTINCT ' : ''}${args}${order})`
      if (b.agg_filter) s += ` FILTER (WHERE ${deparseExpr(b.agg_filter, true)})`
      if (b.over) s += ` OVER (${deparseWindow(b.over)})`
      return s
    }
    case 'A_Expr': {
      const op = ((b.name ?? []) as N[]).map((n) => stringValue(n)).join('.')
      switch (b.kind) {
        case 'AEXPR_OP':
          if (b.lexpr === undefined) return paren(`${op} ${deparseExpr(b.rexpr, false)}`)
          return paren(`${deparseExpr(b.lexpr, false)} ${op} ${deparseExpr(b.rexpr, false)}`)
        case 'AEXPR_OP_ANY':
        case 'AEXPR_OP_ALL':
          return paren(`${deparseExpr(b.lexpr, false)} ${op} ${b.kind === 'AEXPR_OP_ANY' ? 'ANY' : 'ALL'} (${deparseExpr(b.rexpr, true)})`)
        case 'AEXPR_IN': {
          const list = Array.isArray(b.rexpr) ? (b.rexpr as N[]).map((x) => deparseExpr(x, true)).join(', ') : deparseExpr(b.rexpr, true)
          return paren(`${deparseExpr(b.lexpr, false)} ${op === '<>' ? 'NOT IN' : 'IN'} (${list})`)
        }
        case 'AEXPR_LIKE':
          return paren(`${deparseExpr(b.lexpr, false)} ${op === '!~~' ? 'NOT LIKE' : 'LIKE'} ${deparseExpr(b.rexpr, false)}`)
        case 'AEXPR_ILIKE':
          return paren(`${deparseExpr(b.lexpr, false)} ${op === '!~~*' ? 'NOT ILIKE' : 'ILIKE'} ${deparseExpr(b.rexpr, false)}`)
        case 'AEXPR_BETWEEN':
        case 'AEXPR_NOT_BETWEEN': {
          const [lo, hi] = b.rexpr as N[]
          return paren(`${deparseExpr(b.lexpr, false)} ${b.kind === 'AEXPR_NOT_BETWEEN' ? 'NOT ' : ''}BETWEEN ${deparseExpr(lo, false)} AND ${deparseExpr(hi, false)}`)
        }
        case 'AEXPR_DISTINCT':
          return paren(`${deparseExpr(b.lexpr, false)} IS DISTINCT FROM ${deparseExpr(b.rexpr, false)}`)
        case 'AEXPR_NOT_DISTINCT':
          return paren(`${deparseExpr(b.lexpr, false)} IS NOT DISTINCT FROM ${deparseExpr(b.rexpr, false)}`)
        case 'AEXPR_NULLIF':
          return `NULLIF(${deparseExpr(b.lexpr, true)}, ${deparseExpr(b.rexpr, true)})`
        default:
          return paren(`${deparseExpr(b.lexpr, false)} ${op} ${deparseExpr(b.rexpr, false)}`)
      }
    }
    case 'BoolExpr': {
      const args = ((b.args ?? []) as N[]).map((a) => deparseExpr(a, false))
      if (b.boolop === 'NOT_EXPR') return paren(`NOT ${args[0]}`)
      return paren(args.join(b.boolop === 'AND_EXPR' ? ' AND ' : ' OR '))
    }
    case 'NullTest':
      return paren(`${deparseExpr(b.arg, false)} ${b.nulltesttype === 'IS_NULL' ? 'IS NULL' : 'IS NOT NULL'}`)
    case 'BooleanTest': {
      const m: Record<string, string> = { IS_TRUE: 'IS TRUE', IS_NOT_TRUE: 'IS NOT TRUE', IS_FALSE: 'IS FALSE', IS_NOT_FALSE: 'IS NOT FALSE', IS_UNKNOWN: 'IS UNKNOWN', IS_NOT_UNKNOWN: 'IS NOT UNKNOWN' }
      return paren(`${deparseExpr(b.arg, false)} ${m[b.booltesttype] ?? 'IS TRUE'}`)
    }
    case 'CaseExpr': {
      let s = 'CASE'
      if (b.arg) s += ` ${deparseExpr(b.arg, false)}`
      for (const w of (b.args ?? []) as N[]) {
        const wb = nodeBody<N>(w)
        s += ` WHEN ${deparseExpr(wb.expr, true)} THEN ${deparseExpr(wb.result, true)}`
      }
      if (b.defresult) s += ` ELSE ${deparseExpr(b.defresult, true)}`
      return `${s} END`
    }
    case 'CoalesceExpr':
      return `COALESCE(${((b.args ?? []) as N[]).map((a) => deparseExpr(a, true)).join(', ')})`
    case 'MinMaxExpr':
      return `${b.op === 'IS_GREATEST' ? 'GREATEST' : 'LEAST'}(${((b.args ?? []) as N[]).map((a) => deparseExpr(a, true)).join(', ')})`
    case 'A_ArrayExpr':
      return `ARRAY[${((b.elements ?? []) as N[]).map((a) => deparseExpr(a, true)).join(', ')}]`
    case 'CollateClause':
      return `${deparseExpr(b.arg, false)} COLLATE ${((b.collname ?? []) as N[]).map((n) => quoteIdent(stringValue(n))).join('.')}`
    case 'A_Indirection': {
      let s = deparseExpr(b.arg, false)
      for (const i of (b.indirection ?? []) as N[]) {
        if (nodeTag(i) === 'A_Indices') {
          const ib = nodeBody<N>(i)
          s += ib.is_slice ? `[${deparseExpr(ib.lidx, true)}:${deparseExpr(ib.uidx, true)}]` : `[${deparseExpr(ib.uidx, true)}]`
        } else if (nodeTag(i) === 'A_Star') s += '.*'
        else s += `.${quoteIdent(stringValue(i))}`
      }
      return s
    }
    case 'SubLink': {
      const q = `(${deparseSelect(b.subselect)})`
      switch (b.subLinkType) {
        case 'EXISTS_SUBLINK':
          return `EXISTS ${q}`
        case 'ANY_SUBLINK':
          return paren(`${deparseExpr(b.testexpr, false)} ${b.operName ? ((b.operName as N[]).map(stringValue).join('') + ' ANY') : 'IN'} ${q}`)
        case 'ALL_SUBLINK':
          return paren(`${deparseExpr(b.testexpr, false)} ${((b.operName ?? []) as N[]).map(stringValue).join('')} ALL ${q}`)
        case 'ARRAY_SUBLINK':
          return `ARRAY${q}`
        default:
          return q
      }
    }
    case 'RowExpr':
      return `ROW(${((b.args ?? []) as N[]).map((a) => deparseExpr(a, true)).join(', ')})`
    case 'SelectStmt':
      return `(${deparseSelect(node)})`
    default:
      return `/* ${tag} */`
  }
}

function deparseSortBy(s: N): string {
  const b = nodeBody<N>(s)
  let out = deparseExpr(b.node, false)
  if (b.sortby_dir === 'SORTBY_DESC') out += ' DESC'
  if (b.sortby_nulls === 'SORTBY_NULLS_FIRST') out += ' NULLS FIRST'
  if (b.sortby_nulls === 'SORTBY_NULLS_LAST') out += ' NULLS LAST'
  return out
}

function deparseWindow(w: N): string {
  const parts: string[] = []
  if (w.refname) parts.push(quoteIdent(w.refname))
  if (w.partitionClause?.length) parts.push(`PARTITION BY ${(w.partitionClause as N[]).map((p) => deparseExpr(p, true)).join(', ')}`)
  if (w.orderClause?.length) parts.push(`ORDER BY ${(w.orderClause as N[]).map(deparseSortBy).join(', ')}`)
  return parts.join(' ')
}

function deparseFrom(n: N): string {
  const tag = nodeTag(n)
  const b = nodeBody<N>(n)
  const alias = (a: N): string => {
    if (!a) return ''
    const cols = ((a.colnames ?? []) as N[]).map((c) => quoteIdent(stringValue(c)))
    return ` ${quoteIdent(a.aliasname)}${cols.length ? `(${cols.join(', ')})` : ''}`
  }
  switch (tag) {
    case 'RangeVar':
      return `${b.schemaname ? `${quoteIdent(b.schemaname)}.` : ''}${quoteIdent(b.relname)}${alias(b.alias)}`
    case 'RangeSubselect':
      return `${b.lateral ? 'LATERAL ' : ''}(${deparseSelect(b.subquery)})${alias(b.alias)}`
    case 'RangeFunction': {
      const fns = ((b.functions ?? []) as N[]).map((l) => deparseExpr(nodeBody<N>(l).items?.[0], true))
      return `${b.lateral ? 'LATERAL ' : ''}${fns.join(', ')}${b.ordinality ? ' WITH ORDINALITY' : ''}${alias(b.alias)}`
    }
    case 'JoinExpr': {
      const kinds: Record<string, string> = { JOIN_INNER: 'JOIN', JOIN_LEFT: 'LEFT JOIN', JOIN_RIGHT: 'RIGHT JOIN', JOIN_FULL: 'FULL JOIN' }
      let kind = kinds[b.jointype] ?? 'JOIN'
      if (b.isNatural) kind = `NATURAL ${kind}`
      else if (b.jointype === 'JOIN_INNER' && !b.quals && !b.usingClause) kind = 'CROSS JOIN'
      let s = `${deparseFrom(b.larg)} ${kind} ${deparseFrom(b.rarg)}`
      if (b.usingClause) s += ` USING (${(b.usingClause as N[]).map((u) => quoteIdent(stringValue(u))).join(', ')})`
      if (b.quals) s += ` ON ${deparseExpr(b.quals, true)}`
      return b.alias ? `(${s})${alias(b.alias)}` : s
    }
    default:
      return `/* ${tag} */`
  }
}

/** A query's SQL text (one line, PostgreSQL's keywords in upper case). */
export function deparseSelect(node: Node): string {
  const b = nodeBody<N>(node)
  const withText = b.withClause
    ? `WITH ${b.withClause.recursive ? 'RECURSIVE ' : ''}${((b.withClause.ctes ?? []) as N[])
        .map((c) => {
          const cb = nodeBody<N>(c)
          const cols = ((cb.aliascolnames ?? []) as N[]).map((x) => quoteIdent(stringValue(x)))
          return `${quoteIdent(cb.ctename)}${cols.length ? `(${cols.join(', ')})` : ''} AS (${deparseSelect(cb.ctequery)})`
        })
        .join(', ')} `
    : ''
  let s: string
  if (b.op && b.op !== 'SETOP_NONE') {
    const ops: Record<string, string> = { SETOP_UNION: 'UNION', SETOP_INTERSECT: 'INTERSECT', SETOP_EXCEPT: 'EXCEPT' }
    s = `${deparseSelect({ SelectStmt: b.larg } as Node)} ${ops[b.op]}${b.all ? ' ALL' : ''} ${deparseSelect({ SelectStmt: b.rarg } as Node)}`
  } else if (b.valuesLists) {
    s = `VALUES ${(b.valuesLists as N[]).map((l) => `(${((nodeBody<N>(l).items ?? []) as N[]).map((x) => deparseExpr(x, true)).join(', ')})`).join(', ')}`
  } else {
    const distinct = b.distinctClause ? (b.distinctClause.length && nodeTag(b.distinctClause[0]) !== undefined && Object.keys(b.distinctClause[0]).length ? `DISTINCT ON (${(b.distinctClause as N[]).map((x) => deparseExpr(x, true)).join(', ')}) ` : 'DISTINCT ') : ''
    const targets = ((b.targetList ?? []) as N[])
      .map((t) => {
        const r = nodeBody<N>(t)
        const e = deparseExpr(r.val, true)
        return r.name ? `${e} AS ${quoteIdent(r.name)}` : e
      })
      .join(', ')
    s = `SELECT ${distinct}${targets}`
    if (b.fromClause?.length) s += ` FROM ${(b.fromClause as N[]).map(deparseFrom).join(', ')}`
    if (b.whereClause) s += ` WHERE ${deparseExpr(b.whereClause, true)}`
    if (b.groupClause?.length) s += ` GROUP BY ${(b.groupClause as N[]).map((g) => deparseExpr(g, true)).join(', ')}`
    if (b.havingClause) s += ` HAVING ${deparseExpr(b.havingClause, true)}`
  }
  if (b.sortClause?.length) s += ` ORDER BY ${(b.sortClause as N[]).map(deparseSortBy).join(', ')}`
  if (b.limitCount) s += ` LIMIT ${deparseExpr(b.limitCount, true)}`
  if (b.limitOffset) s += ` OFFSET ${deparseExpr(b.limitOffset, true)}`
  return withText + s
}
