/**
 * Differential testing of Flint against PostgreSQL on random queries: seeded random tables are
 * created identically in both engines, random analyst-style queries (expressions with NULLs,
 * joins, grouping, set operations, subqueries, windows, CTEs) run on both, and the results are
 * compared as PostgreSQL text values (floats with a relative tolerance, unordered results as
 * multisets). Each mismatch is reduced to a smaller query that still shows it.
 *
 *   tsx test/random-queries.ts --pg postgres://… [--seed N] [--queries N] [--per-dataset N]
 *       [--out FILE] [--no-reduce] [--parallel-threshold N] [--verbose]
 */
import { writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { formatValue } from '../src/kernels/format.js'
import type { Session } from '../src/session/api.js'
import { Engine } from '../src/session/engine.js'

// ---------------------------------------------------------------------------------------------
// random numbers

/** A small seeded pseudo-random generator (mulberry32). */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty array. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!
  }

  /** The elements of xs in a random order. */
  shuffle<T>(xs: readonly T[]): T[] {
    const out = xs.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }
}

// ---------------------------------------------------------------------------------------------
// types and data sets

/** The column types the generator uses. */
export type Ty = 'int4' | 'int8' | 'numeric' | 'float8' | 'text' | 'bool' | 'date'
/** Type categories: values of one category can be compared, unioned and coalesced. */
export type Cat = 'num' | 'text' | 'bool' | 'date'

const SQL_TYPE: Record<Ty, string> = { int4: 'integer', int8: 'bigint', numeric: 'numeric(10,2)', float8: 'double precision', text: 'text', bool: 'boolean', date: 'date' }
const CAST_TYPE: Record<Ty, string> = { ...SQL_TYPE, numeric: 'numeric' }
const NUM_RANK: Partial<Record<Ty, number>> = { int4: 0, int8: 1, numeric: 2, float8: 3 }
const ALL_TYS: readonly Ty[] = ['int4', 'int8', 'numeric', 'float8', 'text', 'bool', 'date']

function catOf(t: Ty): Cat {
  return t === 'text' || t === 'bool' || t === 'date' ? t : 'num'
}

function numJoin(a: Ty, b: Ty): Ty {
  if (catOf(a) !== 'num') return b
  if (catOf(b) !== 'num') return a
  return NUM_RANK[a]! >= NUM_RANK[b]! ? a : b
}

/** A generated table: its name, columns and rows as SQL literals. */
export interface TableDef {
  readonly name: string
  readonly cols: readonly { readonly name: string; readonly ty: Ty }[]
  readonly rows: readonly (readonly string[])[]
}

const TEXTS = ['', 'a', 'A', 'ab', 'aB', 'Ab', 'abc', 'b', 'B', 'ba', 'x', 'X y', 'hello', 'Hello', 'a_c', 'a%c', ' a', 'a ', 'zZ', 'é']
const FLOATS = ['0.1', '0.3', '1e-07', '12345.678', '-2.5e+15', '3.141592653589793']

function literalValue(rng: Rng, ty: Ty): string {
  switch (ty) {
    case 'int4':
      return String(rng.chance(0.8) ? rng.int(-5, 20) : rng.int(-1000, 1000))
    case 'int8':
      return String(rng.int(-50, 50))
    case 'numeric':
      return (rng.chance(0.6) ? rng.int(-40, 40) * 25 / 100 : rng.int(-100000, 100000) / 100).toFixed(2)
    case 'float8':
      return rng.chance(0.85) ? String(rng.int(-80, 80) / 8) : rng.pick(FLOATS)
    case 'text':
      return `'${rng.pick(TEXTS)}'`
    case 'bool':
      return rng.chance(0.5) ? 'true' : 'false'
    case 'date': {
      const d = new Date(Date.UTC(2000, 0, 1) + (rng.chance(0.9) ? rng.int(0, 60) : rng.int(-4000, 9000)) * 86400000)
      return `'${d.toISOString().slice(0, 10)}'`
    }
  }
}

/** Random tables t0..t(n-1): an `id` key and 3–6 columns of random types, ~20% NULLs, duplicates. */
export function generateTables(rng: Rng): TableDef[] {
  const n = rng.int(2, 4)
  const tables: TableDef[] = []
  for (let t = 0; t < n; t++) {
    const tys: Ty[] = ['int4', rng.pick(['text', 'int4', 'numeric'] as const)]
    for (let k = rng.int(1, 4); k > 0; k--) tys.push(rng.pick(ALL_TYS))
    const cols = [{ name: 'id', ty: 'int4' as Ty }, ...rng.shuffle(tys).map((ty, i) => ({ name: `c${i}`, ty }))]
    const nrows = rng.pick([0, 1, 2, 3, 5, rng.int(3, 30), rng.int(3, 30), rng.int(30, 200)])
    const nullRate = rng.pick([0, 0.2, 0.2, 0.2, 0.5])
    const ids = rng.shuffle(Array.from({ length: nrows }, (_, i) => i + 1))
    const rows: string[][] = []
    for (let r = 0; r < nrows; r++) {
      // a small pool per column makes duplicates (and duplicate rows) common
      const row = [String(ids[r])]
      for (const c of cols.slice(1)) {
        if (rng.chance(nullRate)) row.push('NULL')
        else if (r > 0 && rng.chance(0.3)) row.push(rows[rng.int(0, r - 1)]![row.length]!)
        else row.push(literalValue(rng, c.ty))
      }
      rows.push(row)
    }
    tables.push({ name: `t${t}`, cols, rows })
  }
  return tables
}

/** The statements that create and fill the tables. */
export function tableDdl(tables: readonly TableDef[]): string[] {
  const out: string[] = []
  for (const t of tables) {
    out.push(`CREATE TABLE ${t.name} (${t.cols.map((c) => `${c.name} ${SQL_TYPE[c.ty]}`).join(', ')})`)
    for (let i = 0; i < t.rows.length; i += 100) {
      out.push(`INSERT INTO ${t.name} VALUES ${t.rows.slice(i, i + 100).map((r) => `(${r.join(', ')})`).join(', ')}`)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// query trees: every part of a query is a node, so that a mismatch can be reduced node by node

/** A node of a generated query: text, a sequence of parts, or a separated list. */
export type QNode = string | Seq | List

/** A sequence of parts; `ty` marks an expression, `opt` a removable clause, `frozen` a part kept as is. */
export interface Seq {
  k: 'seq'
  parts: QNode[]
  ty?: Ty
  opt?: boolean
  frozen?: boolean
  /** An ORDER BY that orders the result totally (the result is compared in order). */
  ordered?: boolean
}

/** A list whose items can be removed down to `min` items. */
export interface List {
  k: 'list'
  items: QNode[]
  sep: string
  min: number
}

function seq(parts: QNode[], extra: Omit<Seq, 'k' | 'parts'> = {}): Seq {
  return { k: 'seq', parts, ...extra }
}

function ex(ty: Ty, ...parts: QNode[]): Seq {
  return { k: 'seq', parts, ty }
}

/** The SQL text of a node. */
export function render(n: QNode): string {
  if (typeof n === 'string') return n
  if (n.k === 'list') return n.items.map(render).join(n.sep)
  return n.parts.map(render).join('')
}

/** Whether the query's result is totally ordered (has a top-level total ORDER BY). */
export function isOrdered(n: QNode): boolean {
  if (typeof n === 'string' || n.k === 'list') return false
  if (n.ordered) return true
  // only the top level's tail: the last part of the outermost sequence
  return n.parts.some((p) => typeof p !== 'string' && p.k === 'seq' && p.ordered === true)
}

// ---------------------------------------------------------------------------------------------
// the query generator

interface Col {
  ref: string
  ty: Ty
}

interface Rel {
  /** FROM text (table name, CTE name or parenthesized query). */
  source: QNode
  alias: string
  cols: Col[]
  /** Columns that together are unique and never NULL (a key). */
  key: string[] | null
  /** Estimated row count. */
  rows: number
}

interface Ctx {
  cols: Col[]
  /** Columns of enclosing queries (for correlation). */
  outer: Col[]
  /** In a grouped query: the grouping expressions usable outside aggregates. */
  groupKeys: Seq[] | null
  depth: number
  sub: boolean
}

/** Source of relations (base tables and CTEs) for the generator. */
interface RelSource {
  name: string
  cols: { name: string; ty: Ty }[]
  key: string[] | null
  rows: number
}

/** Generates random queries over a set of tables. */
export class QueryGen {
  private aliasNo = 0
  private ctes: RelSource[] = []

  constructor(
    private readonly rng: Rng,
    private readonly tables: readonly TableDef[],
  ) {}

  private alias(prefix: string): string {
    return `${prefix}${this.aliasNo++}`
  }

  private sources(): RelSource[] {
    return [...this.tables.map((t) => ({ name: t.name, cols: t.cols.map((c) => ({ name: c.name, ty: c.ty })), key: ['id'], rows: t.rows.length })), ...this.ctes]
  }

  private baseRel(prefix: string): Rel {
    const s = this.rng.pick(this.sources())
    const alias = this.alias(prefix)
    return { source: s.name, alias, cols: s.cols.map((c) => ({ ref: `${alias}.${c.name}`, ty: c.ty })), key: s.key?.map((k) => `${alias}.${k}`) ?? null, rows: s.rows }
  }

  // --- literals -------------------------------------------------------------------------------

  private literal(ty: Ty): Seq {
    const r = this.rng
    if (r.chance(0.05)) return ex(ty, `CAST(NULL AS ${CAST_TYPE[ty]})`)
    switch (ty) {
      case 'int4': {
        const v = r.chance(0.9) ? r.int(-3, 10) : r.int(-100, 100)
        return ex(ty, v < 0 ? `(${v})` : String(v))
      }
      case 'int8':
        return ex(ty, `CAST(${r.int(-20, 20)} AS bigint)`)
      case 'numeric': {
        const v = (r.int(-400, 400) / 100).toFixed(r.pick([1, 2, 2, 3]))
        return ex(ty, v.startsWith('-') ? `(${v})` : v)
      }
      case 'float8':
        return ex(ty, `CAST(${r.chance(0.8) ? String(r.int(-40, 40) / 4) : r.pick(FLOATS)} AS double precision)`)
      case 'text':
        return ex(ty, `'${r.pick(TEXTS)}'`)
      case 'bool':
        return ex(ty, r.pick(['TRUE', 'FALSE']))
      case 'date':
        return ex(ty, `DATE ${literalValue(r, 'date')}`)
    }
  }

  private pickTy(cat: Cat): Ty {
    return cat === 'num' ? this.rng.pick(['int4', 'int4', 'int8', 'numeric', 'float8'] as const) : cat
  }

  // --- expressions ----------------------------------------------------------------------------

  private leaf(cat: Cat, ctx: Ctx): Seq {
    const r = this.rng
    if (ctx.groupKeys) {
      const keys = ctx.groupKeys.filter((k) => catOf(k.ty!) === cat)
      if (keys.length && r.chance(0.7)) return r.pick(keys)
      if (r.chance(0.6)) return this.aggregate(cat, ctx)
      return this.literal(this.pickTy(cat))
    }
    const cols = ctx.cols.filter((c) => catOf(c.ty) === cat)
    const outer = ctx.outer.filter((c) => catOf(c.ty) === cat)
    if (outer.length && r.chance(0.15)) {
      const c = r.pick(outer)
      return ex(c.ty, c.ref)
    }
    if (cols.length && r.chance(0.8)) {
      const c = r.pick(cols)
      return ex(c.ty, c.ref)
    }
    return this.literal(this.pickTy(cat))
  }

  /** An expression of category `cat`. */
  expr(cat: Cat, ctx: Ctx): Seq {
    // constant predicates are rarely worth it: without boolean columns, prefer a comparison
    const leafy = cat !== 'bool' || ctx.groupKeys !== null || ctx.cols.some((c) => c.ty === 'bool')
    if (ctx.depth <= 0 || (leafy && this.rng.chance(0.35))) return this.leaf(cat, ctx)
    const c: Ctx = { ...ctx, depth: ctx.depth - 1 }
    switch (cat) {
      case 'num':
        return this.numExpr(c)
      case 'text':
        return this.textExpr(c)
      case 'bool':
        return this.boolExpr(c)
      case 'date':
        return this.dateExpr(c)
    }
  }

  private common(cat: Cat, ctx: Ctx): Seq | null {
    const r = this.rng
    switch (r.int(0, 9)) {
      case 0: {
        const whens: QNode[] = []
        let ty: Ty | null = null
        for (let i = r.int(1, 2); i > 0; i--) {
          const v = this.expr(cat, ctx)
          ty = ty ? numJoin(ty, v.ty!) : v.ty!
          whens.push(' WHEN ', this.expr('bool', ctx), ' THEN ', v)
        }
        if (r.chance(0.7)) {
          const e = this.expr(cat, ctx)
          ty = numJoin(ty!, e.ty!)
          whens.push(' ELSE ', e)
        }
        return ex(ty!, 'CASE', ...whens, ' END')
      }
      case 1: {
        const a = this.expr(cat, ctx)
        const b = this.expr(cat, ctx)
        return ex(numJoin(a.ty!, b.ty!), 'COALESCE(', a, ', ', b, ')')
      }
      case 2: {
        const a = this.expr(cat, ctx)
        return ex(a.ty!, 'NULLIF(', a, ', ', this.expr(cat, ctx), ')')
      }
      case 3: {
        if (cat === 'bool') return null
        const a = this.expr(cat, ctx)
        const b = this.expr(cat, ctx)
        return ex(numJoin(a.ty!, b.ty!), r.pick(['GREATEST(', 'LEAST(']), a, ', ', b, ')')
      }
      case 4:
        return ctx.sub ? this.scalarSubquery(cat, ctx) : null
      default:
        return null
    }
  }

  private numExpr(ctx: Ctx): Seq {
    const r = this.rng
    const common = r.chance(0.3) ? this.common('num', ctx) : null
    if (common) return common
    switch (r.int(0, 11)) {
      case 0:
      case 1:
      case 2: {
        const a = this.expr('num', ctx)
        const b = this.expr('num', ctx)
        return ex(numJoin(a.ty!, b.ty!), '(', a, r.pick([' + ', ' - ', ' * ']), b, ')')
      }
      case 3: {
        const a = this.expr('num', ctx)
        const b = this.expr('num', ctx)
        const safe = r.chance(0.9)
        return ex(numJoin(a.ty!, b.ty!), '(', a, ' / ', safe ? seq(['NULLIF(', b, ', 0)']) : b, ')')
      }
      case 4: {
        const a = this.expr('num', ctx)
        const b = this.expr('num', ctx)
        if (a.ty === 'float8' || b.ty === 'float8') return ex(numJoin(a.ty!, b.ty!), '(', a, ' - ', b, ')')
        return ex(numJoin(a.ty!, b.ty!), '(', a, ' % NULLIF(', b, ', 0))')
      }
      case 5: {
        const a = this.expr('num', ctx)
        return ex(a.ty!, r.pick(['abs(', '(- ']), a, ')')
      }
      case 6: {
        const a = this.expr('num', ctx)
        if (a.ty === 'float8') return ex('float8', r.pick(['round(', 'floor(', 'ceil(', 'trunc(']), a, ')')
        return ex('numeric', 'round(', a, `, ${r.int(0, 2)})`)
      }
      case 7:
        if (r.chance(0.3)) return ex('int4', 'strpos(', this.expr('text', ctx), `, '${r.pick(['a', 'b', '', 'B'])}')`)
        return ex('int4', 'length(', this.expr('text', ctx), ')')
      case 8: {
        const a = this.expr('num', ctx)
        const to = r.pick(['int4', 'int8', 'numeric', 'float8'] as const)
        return ex(to, 'CAST(', a, ` AS ${CAST_TYPE[to]})`)
      }
      case 9:
        return ex('int4', '(', this.expr('date', ctx), ' - ', this.expr('date', ctx), ')')
      case 10:
        return ex('numeric', 'EXTRACT(', r.pick(['DAY', 'MONTH', 'YEAR', 'DOW']), ' FROM ', this.expr('date', ctx), ')')
      default:
        return this.leaf('num', ctx)
    }
  }

  private textExpr(ctx: Ctx): Seq {
    const r = this.rng
    const common = r.chance(0.3) ? this.common('text', ctx) : null
    if (common) return common
    switch (r.int(0, 8)) {
      case 0:
        return ex('text', r.pick(['lower(', 'upper(']), this.expr('text', ctx), ')')
      case 1:
        return ex('text', '(', this.expr('text', ctx), ' || ', this.expr('text', ctx), ')')
      case 2:
        return ex('text', 'substr(', this.expr('text', ctx), `, ${r.int(-1, 3)}, ${r.int(0, 3)})`)
      case 3:
        return ex('text', 'CAST(', this.expr(r.pick(['num', 'num', 'date', 'bool'] as const), ctx), ' AS text)')
      case 4:
        return ex('text', 'concat(', this.expr('text', ctx), ', ', this.expr('num', ctx), ')')
      case 5:
        return ex('text', r.pick(['left(', 'right(']), this.expr('text', ctx), `, ${r.int(-2, 3)})`)
      case 6:
        if (r.chance(0.3)) return ex('text', r.pick(['trim(', 'ltrim(', 'rtrim(']), this.expr('text', ctx), ')')
        return ex('text', 'replace(', this.expr('text', ctx), r.pick([", 'a', 'X')", ", '', 'X')", ", 'A', '')"]))
      default:
        return this.leaf('text', ctx)
    }
  }

  private dateExpr(ctx: Ctx): Seq {
    const r = this.rng
    const common = r.chance(0.3) ? this.common('date', ctx) : null
    if (common) return common
    if (r.chance(0.5)) {
      const ints = ctx.groupKeys ? [] : ctx.cols.filter((c) => c.ty === 'int4')
      const n = ints.length && r.chance(0.5) ? r.pick(ints).ref : String(r.int(0, 40))
      return ex('date', '(', this.expr('date', ctx), r.pick([' + ', ' - ']), n, ')')
    }
    return this.leaf('date', ctx)
  }

  private boolExpr(ctx: Ctx): Seq {
    const r = this.rng
    const common = r.chance(0.1) ? this.common('bool', ctx) : null
    if (common) return common
    const anyCat = (): Cat => r.pick(['num', 'num', 'num', 'text', 'text', 'date', 'bool'] as const)
    switch (r.int(0, 14)) {
      case 0:
      case 1:
      case 2: {
        const c = anyCat()
        return ex('bool', '(', this.expr(c, ctx), r.pick([' = ', ' <> ', ' < ', ' <= ', ' > ', ' >= ']), this.expr(c, ctx), ')')
      }
      case 3:
      case 4:
        return ex('bool', '(', this.expr('bool', ctx), r.pick([' AND ', ' OR ']), this.expr('bool', ctx), ')')
      case 5:
        return ex('bool', '(NOT ', this.expr('bool', ctx), ')')
      case 6:
        return ex('bool', '(', this.expr(anyCat(), ctx), r.pick([' IS NULL', ' IS NOT NULL']), ')')
      case 7: {
        const c = anyCat()
        return ex('bool', '(', this.expr(c, ctx), r.pick([' IS DISTINCT FROM ', ' IS NOT DISTINCT FROM ']), this.expr(c, ctx), ')')
      }
      case 8: {
        const c = r.pick(['num', 'text', 'date'] as const)
        const ty = this.pickTy(c)
        const items: QNode[] = []
        for (let i = r.int(1, 4); i > 0; i--) items.push(r.chance(0.1) ? 'NULL' : this.literal(ty))
        return ex('bool', '(', this.expr(c, ctx), r.pick([' IN (', ' NOT IN (']), { k: 'list', items, sep: ', ', min: 1 }, '))')
      }
      case 9: {
        const c = r.pick(['num', 'num', 'text', 'date'] as const)
        return ex('bool', '(', this.expr(c, ctx), r.pick([' BETWEEN ', ' NOT BETWEEN ', ' BETWEEN SYMMETRIC ']), this.expr(c, ctx), ' AND ', this.expr(c, ctx), ')')
      }
      case 10: {
        const pat = r.pick(['a%', '%b', '_', '%', 'A%', '%a%', '_b%', 'a\\_c', '%\\%%', '', 'ab', 'h_llo'])
        return ex('bool', '(', this.expr('text', ctx), r.pick([' LIKE ', ' NOT LIKE ', ' ILIKE ', ' NOT ILIKE ']), `'${pat}')`)
      }
      case 11:
        return ex('bool', '(', this.expr('bool', ctx), r.pick([' IS TRUE', ' IS NOT TRUE', ' IS FALSE', ' IS NOT FALSE', ' IS UNKNOWN', ' IS NOT UNKNOWN']), ')')
      case 12:
      case 13:
        if (ctx.sub && !ctx.groupKeys) return this.predicateSubquery(ctx)
        return this.leaf('bool', ctx)
      default:
        return this.leaf('bool', ctx)
    }
  }

  // --- aggregates ------------------------------------------------------------------------------

  private aggregate(cat: Cat, ctx: Ctx): Seq {
    const r = this.rng
    // no outer columns: an aggregate of only outer columns belongs to the outer query
    const rowCtx: Ctx = { ...ctx, outer: [], groupKeys: null, depth: Math.min(ctx.depth, 2), sub: false }
    const filter = (): QNode => (r.chance(0.1) ? seq([' FILTER (WHERE ', this.expr('bool', rowCtx), ')']) : '')
    if (cat === 'num') {
      switch (r.int(0, 6)) {
        case 0:
          return ex('int8', 'count(*)', filter())
        case 1:
          return ex('int8', 'count(', r.chance(0.4) ? 'DISTINCT ' : '', this.expr(r.pick(['num', 'text', 'date', 'bool'] as const), rowCtx), ')', filter())
        case 2:
        case 3: {
          const a = this.expr('num', rowCtx)
          const ty: Ty = a.ty === 'int4' ? 'int8' : a.ty === 'int8' ? 'numeric' : a.ty!
          return ex(ty, 'sum(', r.chance(0.1) ? 'DISTINCT ' : '', a, ')', filter())
        }
        case 4: {
          const a = this.expr('num', rowCtx)
          return ex(a.ty === 'float8' ? 'float8' : 'numeric', 'avg(', a, ')', filter())
        }
        default: {
          const a = this.expr('num', rowCtx)
          if (r.chance(0.15)) return ex(a.ty === 'float8' ? 'float8' : 'numeric', r.pick(['stddev_samp(', 'stddev_pop(', 'var_samp(', 'var_pop(']), a, ')', filter())
          return ex(a.ty!, r.pick(['min(', 'max(']), a, ')', filter())
        }
      }
    }
    if (cat === 'bool') return ex('bool', r.pick(['bool_and(', 'bool_or(']), this.expr('bool', rowCtx), ')', filter())
    if (cat === 'text' && r.chance(0.25)) {
      // ordered by the aggregated value itself: ties are equal strings, so the result is deterministic
      const a = this.expr('text', rowCtx)
      return ex('text', seq(['string_agg(', a, `, '${r.pick([',', '', ' | '])}' ORDER BY `, a, r.pick(['', ' DESC']), ')'], { frozen: true }), filter())
    }
    const a = this.expr(cat, rowCtx)
    return ex(a.ty!, r.pick(['min(', 'max(']), a, ')', filter())
  }

  // --- subqueries ------------------------------------------------------------------------------

  private subCtx(ctx: Ctx, rel: Rel): Ctx {
    return { cols: rel.cols, outer: [...ctx.cols, ...ctx.outer], groupKeys: null, depth: 2, sub: false }
  }

  /** A correlation condition between an inner relation and the outer columns, or a plain filter. */
  private subWhere(ctx: Ctx, rel: Rel, inner: Ctx): QNode {
    const r = this.rng
    const parts: QNode[] = []
    if (r.chance(0.7)) {
      const cands = rel.cols.flatMap((ic) => ctx.cols.filter((oc) => catOf(oc.ty) === catOf(ic.ty)).map((oc) => [ic, oc] as const))
      if (cands.length) {
        const [ic, oc] = r.pick(cands)
        parts.push(seq([ic.ref, r.pick([' = ', ' = ', ' < ', ' <> ']), oc.ref]))
      }
    }
    if (!parts.length || r.chance(0.4)) parts.push(this.expr('bool', inner))
    return seq([' WHERE ', { k: 'list', items: parts, sep: ' AND ', min: 1 }], { opt: true })
  }

  private scalarSubquery(cat: Cat, ctx: Ctx): Seq {
    const rel = this.baseRel('s')
    const inner = this.subCtx(ctx, rel)
    if (this.rng.chance(0.2) && rel.key) {
      // a lookup by key returns at most one row
      const cols = rel.cols.filter((c) => catOf(c.ty) === cat)
      const ints = ctx.cols.filter((c) => c.ty === 'int4')
      if (cols.length && ints.length) {
        const c = this.rng.pick(cols)
        return ex(c.ty, seq(['(SELECT ', c.ref, ' FROM ', rel.source, ' ', rel.alias, ' WHERE ', rel.key[0]!, ' = ', this.rng.pick(ints).ref, ')'], { frozen: true }))
      }
    }
    const agg = this.aggregate(cat, { ...inner, groupKeys: [] })
    return ex(agg.ty!, '(SELECT ', agg, ' FROM ', rel.source, ' ', rel.alias, this.subWhere(ctx, rel, inner), ')')
  }

  private predicateSubquery(ctx: Ctx): Seq {
    const r = this.rng
    const rel = this.baseRel('s')
    const inner = this.subCtx(ctx, rel)
    const where = this.subWhere(ctx, rel, inner)
    if (r.chance(0.45)) return ex('bool', r.pick(['EXISTS (', 'NOT EXISTS (']), 'SELECT 1 FROM ', rel.source, ' ', rel.alias, where, ')')
    const ic = r.pick(rel.cols)
    const lhs = this.expr(catOf(ic.ty), { ...ctx, depth: 1, sub: false })
    if (r.chance(0.2) && catOf(ic.ty) !== 'bool') {
      return ex('bool', '(', lhs, r.pick([' = ', ' < ', ' >= ', ' <> ']), r.pick(['ANY', 'ALL']), ' (SELECT ', ic.ref, ' FROM ', rel.source, ' ', rel.alias, where, '))')
    }
    return ex('bool', '(', lhs, r.pick([' IN ', ' NOT IN ']), '(SELECT ', ic.ref, ' FROM ', rel.source, ' ', rel.alias, where, '))')
  }

  // --- FROM -------------------------------------------------------------------------------------

  private relation(): Rel {
    if (this.rng.chance(0.12)) {
      const alias = this.alias('d')
      const sel = this.select({ kind: this.rng.pick(['simple', 'group'] as const), outer: [], named: true, depth: 1 })
      return { source: seq(['(', sel.node, ')']), alias, cols: sel.tys.map((ty, i) => ({ ref: `${alias}.o${i}`, ty })), key: null, rows: 200 }
    }
    return this.baseRel('a')
  }

  private from(maxRels: number): { node: QNode; rels: Rel[] } {
    const r = this.rng
    const first = this.relation()
    const rels = [first]
    const parts: QNode[] = [' FROM ', first.source, ' ', first.alias]
    const n = r.chance(0.45) ? 1 : r.chance(0.75) ? 2 : 3
    for (let i = 1; i < Math.min(n, maxRels); i++) {
      const rel = this.relation()
      // keep products of non-equi joins small
      const small = rels.reduce((p, x) => p * Math.max(x.rows, 1), rel.rows) <= 10_000
      const prevCols = rels.flatMap((x) => x.cols)
      if (!small && !rel.cols.some((c) => prevCols.some((p) => catOf(p.ty) === catOf(c.ty)))) break
      const kind = r.pick(['JOIN', 'JOIN', 'LEFT JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN', ...(small ? (['CROSS JOIN'] as const) : [])] as const)
      const prev = rels.flatMap((x) => x.cols)
      const joinCtx: Ctx = { cols: [...prev, ...rel.cols], outer: [], groupKeys: null, depth: 1, sub: false }
      let on: QNode = ''
      if (kind !== 'CROSS JOIN') {
        const pairs = rel.cols.flatMap((c) => prev.filter((p) => catOf(p.ty) === catOf(c.ty)).map((p) => [p, c] as const))
        const conds: QNode[] = []
        const equi = kind === 'FULL JOIN' || !small || r.chance(0.8)
        for (let k = pairs.length ? (r.chance(0.8) ? 1 : 2) : 0; k > 0; k--) {
          const [p, c] = r.pick(pairs)
          conds.push(seq([p.ref, equi ? ' = ' : r.pick([' < ', ' <> ', ' >= ']), c.ref]))
        }
        if (kind !== 'FULL JOIN' && ((!conds.length && small) || r.chance(0.2))) conds.push(this.expr('bool', joinCtx))
        if (!conds.length) conds.push('TRUE')
        on = seq([' ON ', { k: 'list', items: conds, sep: ' AND ', min: 1 }])
      }
      rels.push(rel)
      parts.push(seq([' ', kind, ' ', rel.source, ' ', rel.alias, on]))
    }
    return { node: seq(parts), rels }
  }

  // --- SELECT -----------------------------------------------------------------------------------

  /** One SELECT; `cats` fixes the output columns' categories (for set operations). */
  select(opts: { kind: 'simple' | 'group' | 'window'; outer: Col[]; cats?: Cat[]; named?: boolean; depth?: number }): { node: Seq; tys: Ty[] } {
    const r = this.rng
    const { node: fromNode, rels } = this.from(opts.named ? 2 : 3)
    const cols = rels.flatMap((x) => x.cols)
    const depth = opts.depth ?? 3
    const ctx: Ctx = { cols, outer: opts.outer, groupKeys: null, depth, sub: !opts.named }
    const ncols = opts.cats?.length ?? r.int(1, 4)
    const cats: Cat[] = opts.cats ?? Array.from({ length: ncols }, () => r.pick(['num', 'num', 'num', 'text', 'text', 'date', 'bool'] as const))
    const where = r.chance(0.6) ? seq([' WHERE ', this.expr('bool', ctx)], { opt: true }) : ''
    const items: Seq[] = []
    let tail: QNode[] = []
    let distinct = ''
    if (opts.kind === 'group') {
      const keys: Seq[] = []
      for (let k = r.pick([0, 1, 1, 2, 2, 3]); k > 0; k--) {
        const c = r.pick(cols)
        const e = r.chance(0.8) ? null : this.expr(r.pick(['num', 'text'] as const), { ...ctx, depth: 1, sub: false })
        // a bare constant in GROUP BY would be a column position
        keys.push(e && /[a-z]\d*\.[a-z]/.test(render(e)) ? e : ex(c.ty, c.ref))
      }
      const gctx: Ctx = { ...ctx, groupKeys: keys, sub: false }
      for (const c of cats) items.push(this.expr(c, gctx))
      const sets = keys.length && r.chance(0.12) ? r.pick(['ROLLUP', 'CUBE']) : null
      const groupBy = sets ? seq([` GROUP BY ${sets}(`, { k: 'list', items: keys, sep: ', ', min: keys.length }, ')'], { frozen: true }) : seq([' GROUP BY ', { k: 'list', items: keys, sep: ', ', min: keys.length }], { frozen: true })
      tail = [keys.length ? groupBy : '', r.chance(0.3) ? seq([' HAVING ', this.expr('bool', gctx)], { opt: true }) : '']
    } else {
      for (const c of cats) items.push(this.expr(c, ctx))
      if (opts.kind === 'window') {
        const keyed = rels.every((x) => x.key !== null)
        for (let k = r.int(1, 2); k > 0; k--) {
          const { node, ty } = this.windowCall(ctx, rels, keyed)
          items.splice(r.int(0, items.length), 0, ex(ty, node))
        }
      }
      if (r.chance(0.1)) distinct = 'DISTINCT '
    }
    const outItems: QNode[] = items.map((it, i) => (opts.named ? seq([it, ` AS o${i}`]) : it))
    const list: List = { k: 'list', items: outItems, sep: ', ', min: opts.named || opts.cats ? outItems.length : 1 }
    return { node: seq(['SELECT ', distinct, list, fromNode, where, ...tail]), tys: items.map((it) => it.ty!) }
  }

  private windowCall(ctx: Ctx, rels: Rel[], keyed: boolean): { node: QNode; ty: Ty } {
    const r = this.rng
    const rowCtx: Ctx = { ...ctx, depth: 1, sub: false }
    const parts: QNode[] = []
    for (let k = r.pick([0, 1, 1, 2]); k > 0; k--) parts.push(this.expr(r.pick(['num', 'text', 'date', 'bool'] as const), rowCtx))
    const partition = parts.length ? seq(['PARTITION BY ', { k: 'list', items: parts, sep: ', ', min: 1 }]) : ''
    const dir = (): string => r.pick(['', ' DESC', ' NULLS FIRST', ' DESC NULLS LAST'])
    const orderKey = (): QNode => seq([this.expr(r.pick(['num', 'text', 'date'] as const), rowCtx), dir()])
    // a total order: any keys, then every relation's key
    const total = (): QNode => seq(['ORDER BY ', orderKey(), ...rels.flatMap((x) => x.key!.map((k) => `, ${k}${dir()}`))], { frozen: true })
    const over = (order: QNode, frame = ''): QNode => seq([' OVER (', partition, partition && order ? ' ' : '', order, frame, ')'])
    const pick = r.int(0, keyed ? 10 : 6)
    const arg = (): Seq => this.expr('num', rowCtx)
    switch (pick) {
      case 0:
        return { node: seq([r.pick(['rank()', 'dense_rank()']), over(seq(['ORDER BY ', orderKey()]))]), ty: 'int8' }
      case 1: {
        const a = arg()
        return { node: seq(['sum(', a, ')', over(r.chance(0.5) ? seq(['ORDER BY ', orderKey()]) : '')]), ty: a.ty === 'int4' ? 'int8' : a.ty === 'int8' ? 'numeric' : a.ty! }
      }
      case 2:
        return { node: seq(['count(*)', over(r.chance(0.5) ? seq(['ORDER BY ', orderKey()]) : '')]), ty: 'int8' }
      case 3: {
        const a = arg()
        return { node: seq([r.pick(['min(', 'max(']), a, ')', over('')]), ty: a.ty! }
      }
      case 4: {
        const a = arg()
        return { node: seq(['avg(', a, ')', over('')]), ty: a.ty === 'float8' ? 'float8' : 'numeric' }
      }
      case 5:
        return { node: seq(['count(', arg(), ')', over('')]), ty: 'int8' }
      case 6:
        return { node: seq([r.pick(['percent_rank()', 'cume_dist()']), over(seq(['ORDER BY ', orderKey()]))]), ty: 'float8' }
      case 9:
        return { node: seq([`ntile(${r.int(1, 4)})`, over(total())]), ty: 'int4' }
      case 10:
        return { node: seq(['row_number()', over(total())]), ty: 'int8' }
      case 7: {
        const a = arg()
        return { node: seq([r.pick(['lag(', 'lead(', 'first_value(']), a, ')', over(total())]), ty: a.ty! }
      }
      default: {
        const a = arg()
        const frame = r.pick([' ROWS BETWEEN 1 PRECEDING AND CURRENT ROW', ' ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', ' ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING'])
        return { node: seq(['sum(', a, ')', over(total(), frame)]), ty: a.ty === 'int4' ? 'int8' : a.ty === 'int8' ? 'numeric' : a.ty! }
      }
    }
  }

  /** A whole query: optional CTEs, a SELECT or set operation, optional ORDER BY / LIMIT / OFFSET. */
  query(): Seq {
    const r = this.rng
    this.aliasNo = 0
    this.ctes = []
    const parts: QNode[] = []
    if (r.chance(0.15)) {
      const defs: QNode[] = []
      for (let i = r.int(1, 2); i > 0; i--) {
        const sel = this.select({ kind: r.pick(['simple', 'group'] as const), outer: [], named: true, depth: 2 })
        const name = `w${this.ctes.length}`
        defs.push(seq([`${name} AS (`, sel.node, ')']))
        this.ctes.push({ name, cols: sel.tys.map((ty, k) => ({ name: `o${k}`, ty })), key: null, rows: 200 })
      }
      parts.push('WITH ', { k: 'list', items: defs, sep: ', ', min: defs.length }, ' ')
    }
    const kind = r.pick(['simple', 'simple', 'simple', 'group', 'group', 'window', 'setop'] as const)
    let ncols: number
    if (kind === 'setop') {
      const left = this.select({ kind: r.pick(['simple', 'group'] as const), outer: [] })
      const cats = left.tys.map(catOf)
      const right = this.select({ kind: r.pick(['simple', 'group'] as const), outer: [], cats })
      const op = r.pick(['UNION', 'UNION ALL', 'INTERSECT', 'INTERSECT ALL', 'EXCEPT', 'EXCEPT ALL'])
      parts.push(seq(['(', left.node, `) ${op} (`, right.node, ')'], { frozen: false }))
      ncols = cats.length
    } else {
      const sel = this.select({ kind, outer: [] })
      parts.push(sel.node)
      ncols = sel.tys.length
    }
    const order = r.next()
    if (order < 0.35) {
      // ORDER BY every output column (in some order, directions): a total order on the result
      const positions = r.shuffle(Array.from({ length: ncols }, (_, i) => i + 1))
      const keys = positions.map((p) => `${p}${r.pick(['', ' ASC', ' DESC', ' NULLS FIRST', ' DESC NULLS LAST', ' ASC NULLS FIRST'])}`).join(', ')
      const limit = r.chance(0.5) ? ` LIMIT ${r.int(0, 12)}` : ''
      const offset = r.chance(0.3) ? ` OFFSET ${r.int(0, 5)}` : ''
      parts.push(seq([` ORDER BY ${keys}${limit}${offset}`], { opt: true, ordered: true, frozen: true }))
    } else if (order < 0.45) {
      parts.push(seq([` ORDER BY ${r.int(1, ncols)}${r.pick(['', ' DESC', ' NULLS FIRST'])}`], { opt: true }))
    }
    return seq(parts)
  }
}

// ---------------------------------------------------------------------------------------------
// running and comparing

/** A query's outcome on one engine: rows of PostgreSQL text values, or an error. */
export type Outcome = { ok: true; rows: (string | null)[][]; ncols: number; floatCols: boolean[] } | { ok: false; code: string; message: string }

interface Target {
  run(sql: string): Promise<Outcome>
}

async function flintTarget(session: Session): Promise<Target> {
  return {
    async run(sql) {
      try {
        let out: Outcome = { ok: true, rows: [], ncols: 0, floatCols: [] }
        for await (const r of session.executeSimple(sql)) {
          if (r.kind !== 'rows') continue
          const rows: (string | null)[][] = []
          for (const b of r.batches) for (let i = 0; i < b.numRows; i++) rows.push(b.columns.map((c) => formatValue(c, i)))
          out = { ok: true, rows, ncols: r.columns.length, floatCols: r.columns.map((c) => c.type.id === 'float8' || c.type.id === 'float4') }
        }
        return out
      } catch (e) {
        const err = e as { code?: string; message?: string }
        return { ok: false, code: typeof err.code === 'string' ? err.code : 'JS', message: String(err.message ?? e) }
      }
    },
  }
}

interface PgClient {
  query(q: unknown): Promise<{ rows: unknown[][]; fields: { dataTypeID: number }[] }>
  end(): Promise<void>
}

async function pgTarget(client: PgClient): Promise<Target> {
  return {
    async run(sql) {
      try {
        const res = await client.query({ text: sql, rowMode: 'array', types: { getTypeParser: () => (v: string) => v } })
        return { ok: true, rows: res.rows.map((r) => r.map((v) => (v === null ? null : String(v)))), ncols: res.fields.length, floatCols: res.fields.map((f) => f.dataTypeID === 700 || f.dataTypeID === 701) }
      } catch (e) {
        const err = e as { code?: string; message?: string }
        return { ok: false, code: err.code ?? 'JS', message: String(err.message ?? e) }
      }
    },
  }
}

/** The outcome, or a TIMEOUT error after `ms` milliseconds. */
async function withTimeout(p: Promise<Outcome>, ms: number): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined
  const t = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, code: 'TIMEOUT', message: `no answer in ${ms} ms` }), ms)
  })
  try {
    return await Promise.race([p, t])
  } finally {
    clearTimeout(timer)
  }
}

function floatEq(a: string, b: string): boolean {
  if (a === b) return true
  const x = Number(a)
  const y = Number(b)
  if (Number.isNaN(x) || Number.isNaN(y)) return false
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x === y
  return Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))
}

function rowKey(row: readonly (string | null)[], floatCols: readonly boolean[]): string {
  return JSON.stringify(row.map((v, i) => (v !== null && floatCols[i] && Number.isFinite(Number(v)) ? Number(Number(v).toPrecision(12)) : v)))
}

/** Compares Flint's outcome with PostgreSQL's; returns a description of the difference or null. */
export function compareOutcomes(flint: Outcome, pg: Outcome, ordered: boolean): string | null {
  if (!flint.ok && !pg.ok) return flint.code.slice(0, 2) === pg.code.slice(0, 2) ? null : `error class: flint ${flint.code}, postgresql ${pg.code}`
  if (!flint.ok) return `flint error ${flint.code}`
  if (!pg.ok) return `postgresql error ${pg.code}`
  if (flint.ncols !== pg.ncols) return `column count: flint ${flint.ncols}, postgresql ${pg.ncols}`
  if (flint.rows.length !== pg.rows.length) return `row count: flint ${flint.rows.length}, postgresql ${pg.rows.length}`
  const fc = pg.floatCols
  const diff = (a: (string | null)[][], b: (string | null)[][], how: string): string | null => {
    // a difference only in a numeric's trailing zeros (display scale) is reported only if nothing else differs
    let scaleOnly: string | null = null
    for (let i = 0; i < a.length; i++) {
      for (let j = 0; j < pg.ncols; j++) {
        const x = a[i]![j]!
        const y = b[i]![j]!
        if (x === y) continue
        if (x !== null && y !== null && fc[j] && floatEq(x, y)) continue
        const at = `${how}row ${i} column ${j + 1}: flint ${x === null ? 'NULL' : JSON.stringify(x)}, postgresql ${y === null ? 'NULL' : JSON.stringify(y)}`
        if (x !== null && y !== null && sameNumber(x, y)) scaleOnly ??= `scale: ${at}`
        else return at
      }
    }
    return scaleOnly
  }
  const sort = (rows: (string | null)[][], key: (r: (string | null)[]) => string): (string | null)[][] =>
    rows
      .map((r) => [key(r), r] as const)
      .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .map((x) => x[1])
  const unordered = diff(sort(flint.rows, (r) => rowKey(r, fc)), sort(pg.rows, (r) => rowKey(r, fc)), 'sorted ')
  if (!ordered || unordered !== null) return unordered
  // in order: rows may differ only where ORDER BY ties values of different text (1.0 and 1.00)
  const norm = (rows: (string | null)[][]): (string | null)[][] => rows.map((r) => r.map((v) => (v !== null && /^-?\d+(\.\d+)?$/.test(v) ? String(Number(v)) : v)))
  return diff(norm(flint.rows), norm(pg.rows), '')
}

/** Equal numbers written with different trailing zeros. */
function sameNumber(a: string, b: string): boolean {
  const strip = (s: string): string => (/^-?\d+\.\d*$/.test(s) ? s.replace(/\.?0+$/, '') : s)
  return /^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b) && strip(a) === strip(b)
}

/** A short signature of a difference, for grouping mismatches and for keeping a reduction on the same problem. */
function signature(diff: string, flint: Outcome, pg: Outcome): string {
  if (!flint.ok && pg.ok) return `flint-error ${flint.code} ${flint.message.replace(/\d+/g, 'N').replace(/"[^"]*"/g, 'X').slice(0, 80)}`
  if (flint.ok && !pg.ok) return `postgresql-error ${pg.code}`
  if (!flint.ok && !pg.ok) return `error-class ${flint.code} ${pg.code}`
  return diff.split(':')[0]!.replace(/^sorted /, '').replace(/row \d+ column \d+/, 'values')
}

function showOutcome(o: Outcome, max = 20): string {
  if (!o.ok) return `ERROR ${o.code}: ${o.message}`
  const lines = o.rows.slice(0, max).map((r) => r.map((v) => (v === null ? 'NULL' : v === '' ? '(empty)' : v)).join(' | '))
  if (o.rows.length > max) lines.push(`… ${o.rows.length - max} more rows`)
  return `${o.rows.length} row(s)${lines.length ? '\n    ' + lines.join('\n    ') : ''}`
}

// ---------------------------------------------------------------------------------------------
// reduction

/** Every one-step reduction of a query tree (smaller first). */
function* reductions(root: Seq): Generator<Seq> {
  type Path = { parent: Seq | List; index: number }
  const spots: { node: QNode; path: Path }[] = []
  const walk = (n: QNode, path: Path | null): void => {
    if (typeof n === 'string') return
    if (path) spots.push({ node: n, path })
    if (n.k === 'seq' && n.frozen) return
    const kids = n.k === 'seq' ? n.parts : n.items
    kids.forEach((k, i) => walk(k, { parent: n, index: i }))
  }
  walk(root, null)
  const size = (n: QNode): number => render(n).length
  spots.sort((a, b) => size(b.node) - size(a.node))
  const replaceAt = (path: Path, by: QNode | null): Seq => {
    // rebuild the root with one child replaced (or removed, in a list)
    const clone = (n: QNode): QNode => {
      if (typeof n === 'string') return n
      if (n === path.parent) {
        const kids = (n.k === 'seq' ? n.parts : n.items).slice()
        if (by === null) kids.splice(path.index, 1)
        else kids[path.index] = by
        return n.k === 'seq' ? { ...n, parts: kids } : { ...n, items: kids }
      }
      if (n.k === 'seq') return { ...n, parts: n.parts.map(clone) }
      return { ...n, items: n.items.map(clone) }
    }
    return clone(root) as Seq
  }
  for (const { node, path } of spots) {
    if (typeof node === 'string') continue
    if (path.parent.k === 'list' && path.parent.items.length > path.parent.min) yield replaceAt(path, null)
    if (node.k === 'seq' && node.opt) yield replaceAt(path, '')
    if (node.k === 'seq' && node.ty && !node.frozen) {
      // a same-category descendant expression in its place, or a constant
      const subs: Seq[] = []
      const find = (n: QNode): void => {
        if (typeof n === 'string') return
        if (n.k === 'seq' && n !== node && n.ty && catOf(n.ty) === catOf(node.ty!)) {
          subs.push(n)
          return
        }
        if (n.k === 'seq' && n !== node && n.frozen) return
        for (const k of n.k === 'seq' ? n.parts : n.items) find(k)
      }
      find(node)
      for (const s of subs) yield replaceAt(path, s)
      const consts: Record<Cat, string[]> = { num: ['1', '0', 'NULL'], text: ["'a'", 'NULL'], bool: ['TRUE', 'FALSE', 'NULL'], date: ["DATE '2000-01-01'", 'NULL'] }
      if (render(node).length > 4) for (const c of consts[catOf(node.ty)]) yield replaceAt(path, ex(node.ty, c))
    }
  }
}

// ---------------------------------------------------------------------------------------------
// main

/** One recorded mismatch. */
export interface Mismatch {
  dataset: number
  query: number
  signature: string
  difference: string
  sql: string
  reducedSql: string
  ordered: boolean
  flint: string
  postgresql: string
}

interface Options {
  pg: string
  seed: number
  queries: number
  perDataset: number
  out: string
  reduce: boolean
  parallelThreshold: number | undefined
  verbose: boolean
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    if (i < 0) return undefined
    const a = argv[i]!
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1]
  }
  const pg = get('pg')
  if (!pg) throw new Error('usage: tsx test/random-queries.ts --pg postgres://… [--seed N] [--queries N] [--per-dataset N] [--out FILE] [--no-reduce] [--parallel-threshold N] [--verbose]')
  const pt = get('parallel-threshold')
  return {
    pg,
    seed: Number(get('seed') ?? 1),
    queries: Number(get('queries') ?? 1000),
    perDataset: Number(get('per-dataset') ?? 100),
    out: get('out') ?? 'random-queries-mismatches.json',
    reduce: !argv.includes('--no-reduce'),
    parallelThreshold: pt === undefined ? undefined : Number(pt),
    verbose: argv.includes('--verbose'),
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2))
  const pgMod = (await import('pg')).default
  const client = new pgMod.Client({ connectionString: opts.pg }) as unknown as PgClient & { connect(): Promise<void> }
  await client.connect()
  const schema = `rq_${process.pid}`
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema}; SET statement_timeout = '20s'; SET extra_float_digits = 1`)
  const engine = await Engine.create({ workers: 2, ...(opts.parallelThreshold !== undefined ? { parallelThreshold: opts.parallelThreshold } : {}) })
  const mismatches: Mismatch[] = []
  const bySignature = new Map<string, number>()
  const datasets: { dataset: number; ddl: string[] }[] = []
  let passed = 0
  let failed = 0
  let errorsBoth = 0
  const rng = new Rng(opts.seed)
  let dataset = 0
  try {
    for (let q = 0; q < opts.queries; dataset++) {
      const tables = generateTables(rng)
      const ddl = tableDdl(tables)
      datasets.push({ dataset, ddl })
      const session = engine.createSession({ user: 'rq', database: 'rq' })
      const flint = await flintTarget(session)
      const pg = await pgTarget(client)
      for (const t of ['t0', 't1', 't2', 't3']) {
        await flint.run(`DROP TABLE IF EXISTS ${t}`)
        await pg.run(`DROP TABLE IF EXISTS ${t}`)
      }
      for (const stmt of ddl) {
        const a = await flint.run(stmt)
        const b = await pg.run(stmt)
        if (!a.ok || !b.ok) throw new Error(`setup failed: ${stmt.slice(0, 200)}\n${showOutcome(a)}\n${showOutcome(b)}`)
      }
      const gen = new QueryGen(rng, tables)
      for (let k = 0; k < opts.perDataset && q < opts.queries; k++, q++) {
        const tree = gen.query()
        const sql = render(tree)
        const ordered = isOrdered(tree)
        const fo = await withTimeout(flint.run(sql), 60_000)
        const po = await pg.run(sql)
        const diff = compareOutcomes(fo, po, ordered)
        if (opts.verbose) process.stdout.write(`[${q}] ${diff ? 'FAIL' : 'ok'} ${sql}\n`)
        if (!diff) {
          passed++
          if (!fo.ok) errorsBoth++
          continue
        }
        failed++
        const sig = signature(diff, fo, po)
        const seen = bySignature.get(sig) ?? 0
        bySignature.set(sig, seen + 1)
        let reduced = tree
        let rf = fo
        let rp = po
        let rdiff = diff
        // a query that timed out keeps running, so its reductions would time out too
        if (opts.reduce && seen < 3 && !sig.includes('TIMEOUT')) {
          // greedy: take any one-step reduction that keeps the same kind of mismatch, until none does
          let budget = 400
          let progress = true
          while (progress && budget > 0) {
            progress = false
            for (const cand of reductions(reduced)) {
              if (--budget < 0) break
              const s = render(cand)
              const cf = await withTimeout(flint.run(s), 60_000)
              const cp = await pg.run(s)
              const d = compareOutcomes(cf, cp, isOrdered(cand))
              if (d && signature(d, cf, cp) === sig) {
                reduced = cand
                rf = cf
                rp = cp
                rdiff = d
                progress = true
                break
              }
            }
          }
        }
        const m: Mismatch = { dataset, query: q, signature: sig, difference: rdiff, sql, reducedSql: render(reduced), ordered: isOrdered(reduced), flint: showOutcome(rf), postgresql: showOutcome(rp) }
        mismatches.push(m)
        if (seen < 3) {
          process.stdout.write(`MISMATCH #${q} (dataset ${dataset}): ${rdiff}\n  query:   ${m.reducedSql}\n  flint:   ${m.flint.replace(/\n/g, '\n  ')}\n  postgresql: ${m.postgresql.replace(/\n/g, '\n  ')}\n\n`)
        }
      }
      session.close()
    }
  } finally {
    await client.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined)
    await client.end()
    await engine.close()
  }
  const used = new Set(mismatches.map((m) => m.dataset))
  writeFileSync(opts.out, JSON.stringify({ seed: opts.seed, queries: opts.queries, passed, failed, signatures: Object.fromEntries(bySignature), mismatches, datasets: datasets.filter((d) => used.has(d.dataset)) }, null, 1))
  process.stdout.write(`\nby kind:\n${[...bySignature].sort((a, b) => b[1] - a[1]).map(([s, n]) => `  ${n}\t${s}`).join('\n')}\n`)
  process.stdout.write(`${passed} passed, ${failed} failed (${errorsBoth} of the passes are errors on both engines); mismatches written to ${opts.out}\n`)
  return failed === 0 ? 0 : 1
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    (code) => {
      process.exitCode = code
    },
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`)
      process.exitCode = 2
    },
  )
}
