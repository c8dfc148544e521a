/**
 * LIKE / ILIKE over UTF-8 bytes. A pattern is compiled once (cached by text, escape and case
 * mode) into a matcher: exact, prefix, suffix, contains and %-separated segment patterns run as
 * byte searches; patterns with `_` use PostgreSQL's MatchText algorithm on bytes, where `_`
 * consumes one whole UTF-8 character. ILIKE folds ASCII on the fly and lower-cases non-ASCII rows.
 */
import { execError, ExecutionError, SqlState } from '../../common/errors.js'
import { T } from '../../common/types.js'
import { decodeUtf8, encodeUtf8, type Vector } from '../../common/vector.js'
import type { ScalarFunction } from '../registry.js'
import { argsValidity, mapToString, sameBytes, valid } from './build.js'
import { defineFunction, sig, type Kernel } from './signature.js'

/** A compiled LIKE pattern. */
export interface LikeMatcher {
  /** True when bytes[a, b) matches. */
  match(bytes: Uint8Array, a: number, b: number): boolean
  /**
   * Case-sensitive patterns that start with `%`: sets out[i] = 1 for every matching row of a
   * whole utf8 column, finding the first literal with one native search over all the bytes.
   */
  scanAll?(bytes: Uint8Array, offsets: Int32Array, n: number, out: Uint8Array): void
}

type Token = { k: 'lit'; b: Uint8Array } | { k: 'any' } | { k: 'pct' } | { k: 'badesc' }

const fold = new Uint8Array(256)
for (let c = 0; c < 256; c++) fold[c] = c >= 0x41 && c <= 0x5a ? c + 32 : c

/** Lower-cases per character, keeping characters whose lower case is not one character. */
function lowerChars(s: string): string {
  let out = ''
  for (const ch of s) {
    const m = ch.toLowerCase()
    out += [...m].length === 1 ? m : ch
  }
  return out
}

function tokenize(pattern: string, escape: string | null): Token[] {
  const toks: Token[] = []
  let lit = ''
  const flush = (): void => {
    if (lit.length > 0) toks.push({ k: 'lit', b: encodeUtf8(lit) })
    lit = ''
  }
  const cps = [...pattern]
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!
    if (escape !== null && c === escape) {
      if (i + 1 >= cps.length) {
        flush()
        toks.push({ k: 'badesc' })
        break
      }
      lit += cps[++i]!
    } else if (c === '%') {
      flush()
      if (toks[toks.length - 1]?.k !== 'pct') toks.push({ k: 'pct' })
    } else if (c === '_') {
      flush()
      toks.push({ k: 'any' })
    } else lit += c
  }
  flush()
  return toks
}

const eqAt = (t: Uint8Array, k: number, p: Uint8Array, ci: boolean): boolean => {
  const m = p.length
  if (ci) {
    for (let j = 0; j < m; j++) if (fold[t[k + j]!] !== p[j]) return false
  } else for (let j = 0; j < m; j++) if (t[k + j] !== p[j]) return false
  return true
}

/** Leftmost index ≥ a where p occurs within [a, b), or -1. */
function find(t: Uint8Array, a: number, b: number, p: Uint8Array, ci: boolean): number {
  const m = p.length
  if (m === 0) return a
  const last = b - m
  const first = p[0]!
  if (ci) {
    for (let k = a; k <= last; k++) if (fold[t[k]!] === first && eqAt(t, k, p, true)) return k
    return -1
  }
  const second = m > 1 ? p[1]! : -1
  for (let k = a; k <= last; k++) {
    if (t[k] !== first) continue
    if (m > 1 && t[k + 1] !== second) continue
    let j = 2
    while (j < m && t[k + j] === p[j]) j++
    if (j >= m) return k
  }
  return -1
}

const nextChar = (t: Uint8Array, k: number, b: number): number => {
  k++
  while (k < b && (t[k]! & 0xc0) === 0x80) k++
  return k
}

const escapeEndError = (): ExecutionError =>
  execError(SqlState.invalidEscapeSequence, 'LIKE pattern must not end with escape character')

/** PostgreSQL's MatchText over tokens: 1 match, 0 no match, -1 abort (no later start can match). */
function matchTokens(t: Uint8Array, ti: number, b: number, toks: readonly Token[], pi: number, ci: boolean): number {
  while (pi < toks.length && ti < b) {
    const tok = toks[pi]!
    if (tok.k === 'lit') {
      if (tok.b.length > b - ti || !eqAt(t, ti, tok.b, ci)) return 0
      ti += tok.b.length
      pi++
    } else if (tok.k === 'any') {
      ti = nextChar(t, ti, b)
      pi++
    } else if (tok.k === 'badesc') {
      throw escapeEndError()
    } else {
      pi++
      while (pi < toks.length && toks[pi]!.k === 'any') {
        if (ti >= b) return -1
        ti = nextChar(t, ti, b)
        pi++
      }
      if (pi >= toks.length) return 1
      const next = toks[pi]!
      if (next.k === 'lit') {
        for (;;) {
          const k = find(t, ti, b, next.b, ci)
          if (k < 0) return -1
          const r = matchTokens(t, k + next.b.length, b, toks, pi + 1, ci)
          if (r !== 0) return r
          ti = nextChar(t, k, b)
        }
      }
      while (ti < b) {
        const r = matchTokens(t, ti, b, toks, pi, ci)
        if (r !== 0) return r
        ti = nextChar(t, ti, b)
      }
      return -1
    }
  }
  if (ti < b) return 0
  while (pi < toks.length && toks[pi]!.k === 'pct') pi++
  return pi >= toks.length ? 1 : -1
}

/** Compiles a LIKE pattern (escape null = none; ci = ILIKE, pattern already lower-cased). */
function compile(pattern: string, escape: string | null, ci: boolean): LikeMatcher {
  const toks = tokenize(ci ? lowerChars(pattern) : pattern, escape)
  const simple = toks.every((t) => t.k === 'lit' || t.k === 'pct')
  if (simple) {
    const lits = toks.filter((t): t is { k: 'lit'; b: Uint8Array } => t.k === 'lit').map((t) => t.b)
    const startPct = toks[0]?.k === 'pct'
    const endPct = toks.length > 0 && toks[toks.length - 1]!.k === 'pct'
    if (lits.length === 0) {
      if (toks.length === 0) return { match: (_t, a, b) => a === b }
      return { match: () => true }
    }
    if (lits.length === 1) {
      const p = lits[0]!
      const m = p.length
      if (!startPct && !endPct) return { match: (t, a, b) => b - a === m && eqAt(t, a, p, ci) }
      if (!startPct) return { match: (t, a, b) => b - a >= m && eqAt(t, a, p, ci) }
      if (!endPct) return { match: (t, a, b) => b - a >= m && eqAt(t, b - m, p, ci) }
      // %p%: the general path below, which can scan a whole column natively
    }
    const first = lits[0]!
    const last = lits[lits.length - 1]!
    const middle = lits.slice(startPct ? 0 : 1, endPct ? lits.length : lits.length - 1)
    /** Matches the middle literals from index `from`, leftmost first, within [lo, hi). */
    const middleFrom = (t: Uint8Array, lo: number, hi: number, from: number): boolean => {
      for (let k = from; k < middle.length; k++) {
        const p = middle[k]!
        const at = find(t, lo, hi, p, ci)
        if (at < 0) return false
        lo = at + p.length
      }
      return true
    }
    const matcher: LikeMatcher = {
      match(t, a, b) {
        let lo = a
        let hi = b
        if (!startPct) {
          if (hi - lo < first.length || !eqAt(t, lo, first, ci)) return false
          lo += first.length
        }
        if (!endPct) {
          if (hi - lo < last.length || !eqAt(t, hi - last.length, last, ci)) return false
          hi -= last.length
        }
        return middleFrom(t, lo, hi, 0)
      },
    }
    if (startPct && !ci && middle.length > 0) {
      const needle = Buffer.from(middle[0]!)
      const m = needle.length
      matcher.scanAll = (bytes, offsets, n, out) => {
        const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length)
        const stop = offsets[n]!
        let pos = offsets[0]!
        let row = 0
        while (pos < stop) {
          // the first literal, found natively across row boundaries; the rest within the row
          const hit = buf.indexOf(needle, pos)
          if (hit < 0 || hit + m > stop) break
          while (offsets[row + 1]! <= hit) row++
          const end = offsets[row + 1]!
          if (hit + m > end) {
            pos = hit + 1
            continue
          }
          let hi = end
          let ok = true
          if (!endPct) {
            ok = hi - (hit + m) >= last.length && eqAt(bytes, hi - last.length, last, false)
            hi -= last.length
          }
          if (ok && middleFrom(bytes, hit + m, hi, 1)) out[row] = 1
          pos = end
        }
      }
    }
    return matcher
  }
  return { match: (t, a, b) => matchTokens(t, a, b, toks, 0, ci) === 1 }
}

const cache = new Map<string, LikeMatcher>()

/** The cached matcher for a pattern (escape: null for none). */
export function likeMatcher(pattern: string, escape: string | null, ci: boolean): LikeMatcher {
  const key = (ci ? 'i' : 'c') + (escape ?? '') + '\u0000' + pattern
  let m = cache.get(key)
  if (m === undefined) {
    m = compile(pattern, escape, ci)
    if (cache.size >= 512) cache.clear()
    cache.set(key, m)
  }
  return m
}

/** Validates an ESCAPE string: empty (no escape) or one character. */
export function escapeChar(esc: string): string | null {
  const cps = [...esc]
  if (cps.length > 1) {
    throw new ExecutionError(SqlState.invalidEscapeSequence, 'invalid escape string', {
      hint: 'Escape string must be empty or one character.',
    })
  }
  return cps.length === 0 ? null : cps[0]!
}

/** Pads bpchar rows (stored without trailing blanks) to their declared length, as PostgreSQL compares them. */
function paddedBpchar(v: Vector, n: number): Vector {
  const len = v.type.id === 'bpchar' ? v.type.length : null
  if (len === null) return v
  return mapToString([v], n, T.text, (_i, s) => {
    const l = [...s].length
    return l < len ? s + ' '.repeat(len - l) : s
  })
}

/** True when every row of a utf8 vector holds the same bytes (and none is NULL). */
export function isConstantUtf8(v: Vector, n: number): boolean {
  if (n === 0 || v.validity !== null) return false
  const off = v.offsets!
  const a = off[0]!
  const len = off[1]! - a
  for (let i = 1; i <= n; i++) if (off[i] !== a + i * len) return false
  const bytes = v.values as Uint8Array
  const end = off[n]!
  for (let k = a + len; k < end; k++) if (bytes[k] !== bytes[k - len]) return false
  return true
}

function matchRow(m: LikeMatcher, ci: boolean, sb: Uint8Array, a: number, b: number): boolean {
  if (!ci) return m.match(sb, a, b)
  for (let k = a; k < b; k++) {
    if (sb[k]! >= 0x80) {
      const low = encodeUtf8(lowerChars(decodeUtf8(sb, a, b)))
      return m.match(low, 0, low.length)
    }
  }
  return m.match(sb, a, b)
}

function likeKernel(ci: boolean, negate: boolean): Kernel {
  return (args, n, ret) => {
    const s = paddedBpchar(args[0]!, n)
    const p = args[1]!
    const e = args[2]
    const bm = argsValidity(args, n)
    const out = new Uint8Array(n)
    const sb = s.values as Uint8Array
    const so = s.offsets!
    const pb = p.values as Uint8Array
    const po = p.offsets!
    if (isConstantUtf8(p, n) && (e === undefined || isConstantUtf8(e, n))) {
      // one pattern for the whole batch: compile once, no per-row pattern checks
      const esc = e === undefined ? '\\' : escapeChar(decodeUtf8(e.values as Uint8Array, e.offsets![0]!, e.offsets![1]!))
      const m = likeMatcher(decodeUtf8(pb, po[0]!, po[1]!), esc, ci)
      if (!ci && m.scanAll !== undefined) m.scanAll(sb, so, n, out)
      else if (!ci) for (let i = 0; i < n; i++) out[i] = m.match(sb, so[i]!, so[i + 1]!) ? 1 : 0
      else for (let i = 0; i < n; i++) out[i] = matchRow(m, true, sb, so[i]!, so[i + 1]!) ? 1 : 0
      if (negate) for (let i = 0; i < n; i++) out[i] = out[i]! ^ 1
      return { type: ret, length: n, values: out, validity: bm }
    }
    let m: LikeMatcher | null = null
    let mRow = -1
    let lastEsc: string | null = null
    const yes = negate ? 0 : 1
    const no = negate ? 1 : 0
    for (let i = 0; i < n; i++) {
      if (!valid(bm, i)) continue
      let esc: string | null = '\\'
      if (e !== undefined) esc = escapeChar(decodeUtf8(e.values as Uint8Array, e.offsets![i]!, e.offsets![i + 1]!))
      if (m === null || esc !== lastEsc || !sameBytes(p, i, mRow)) {
        m = likeMatcher(decodeUtf8(pb, po[i]!, po[i + 1]!), esc, ci)
        mRow = i
        lastEsc = esc
      }
      out[i] = matchRow(m, ci, sb, so[i]!, so[i + 1]!) ? yes : no
    }
    return { type: ret, length: n, values: out, validity: bm }
  }
}

/** like_escape(pattern, escape): rewrites a pattern to use backslash as its escape (PostgreSQL's LIKE … ESCAPE). */
export function likeEscape(pattern: string, escape: string): string {
  const e = escapeChar(escape)
  if (e === null) return pattern.replace(/\\/g, '\\\\')
  if (e === '\\') return pattern
  let out = ''
  let after = false
  for (const c of pattern) {
    if (c === e && !after) {
      out += '\\'
      after = true
    } else if (c === '\\') {
      out += after ? '\\' : '\\\\'
      after = false
    } else {
      out += c
      after = false
    }
  }
  return out
}

const b = T.bool

/** bpchar overloads for the operators (bpcharlike keeps the padding); the text* functions take text only. */
const bp = (name: string, k: Kernel) =>
  name.startsWith('text') ? [] : [sig(['bpchar', 'text'], b, k), sig(['bpchar', 'text', 'text'], b, k)]

/** LIKE, ILIKE and their negations under PostgreSQL's operator-function names too. */
export const likeFunctions: ScalarFunction[] = [
  ...(['like', 'textlike', '~~'] as const).map((name) =>
    defineFunction(name, [
      sig(['text', 'text'], b, likeKernel(false, false)),
      ...bp(name, likeKernel(false, false)),
      sig(['text', 'text', 'text'], b, likeKernel(false, false)),
    ]),
  ),
  ...(['notlike', 'textnlike', '!~~'] as const).map((name) =>
    defineFunction(name, [
      sig(['text', 'text'], b, likeKernel(false, true)),
      ...bp(name, likeKernel(false, true)),
      sig(['text', 'text', 'text'], b, likeKernel(false, true)),
    ]),
  ),
  ...(['ilike', 'texticlike', '~~*'] as const).map((name) =>
    defineFunction(name, [
      sig(['text', 'text'], b, likeKernel(true, false)),
      ...bp(name, likeKernel(true, false)),
      sig(['text', 'text', 'text'], b, likeKernel(true, false)),
    ]),
  ),
  ...(['notilike', 'texticnlike', '!~~*'] as const).map((name) =>
    defineFunction(name, [
      sig(['text', 'text'], b, likeKernel(true, true)),
      ...bp(name, likeKernel(true, true)),
      sig(['text', 'text', 'text'], b, likeKernel(true, true)),
    ]),
  ),
  defineFunction('like_escape', [
    sig(['text', 'text'], T.text, (args, n, ret) => mapToString(args, n, ret, (_i, p, e) => likeEscape(p, e!))),
  ]),
]
