/**
 * POSIX regular expressions (PostgreSQL's ARE flavour) translated to JavaScript RegExp, and the
 * functions over them: ~ ~* !~ !~*, regexp_replace / _match / _like / _count / _substr /
 * _split_to_array, substring(text from pattern), SIMILAR TO (similar_to_escape and the
 * substring(… similar … escape …) form).
 *
 * Known differences: JavaScript picks the first alternative that matches where POSIX picks the
 * longest (`ab|abc` against `abc`), which changes extracted/replaced text, never whether a row matches.
 */
import { execError, ExecutionError, SqlState } from '../../common/errors.js'
import { arrayType, T } from '../../common/types.js'
import { toStrings, type Vector } from '../../common/vector.js'
import type { ScalarFunction } from '../registry.js'
import { argsValidity, mapToNumber, mapToString, sameBytes, valid } from './build.js'
import { defineFunction, sig, type Kernel } from './signature.js'
import { substringKernel, textArrayVector } from './string.js'

/** Options a PostgreSQL flags string sets. */
export interface RegexOptions {
  readonly icase: boolean
  readonly global: boolean
  /** `.` and negated brackets do not match a newline. */
  readonly newlineDot: boolean
  /** `^` and `$` match at newlines. */
  readonly newlineAnchor: boolean
  readonly expanded: boolean
  readonly literal: boolean
}

const defaultOptions: RegexOptions = {
  icase: false,
  global: false,
  newlineDot: false,
  newlineAnchor: false,
  expanded: false,
  literal: false,
}

/** Parses a regexp function's flags argument; `allowGlobal` false rejects 'g' as regexp_match does. */
export function parseFlags(flags: string, fn?: string): RegexOptions {
  const o = { ...defaultOptions }
  for (const f of flags) {
    switch (f) {
      case 'g':
        if (fn !== undefined) {
          throw new ExecutionError(SqlState.invalidParameterValue, `${fn}() does not support the "global" option`, {
            hint: fn === 'regexp_match' ? 'Use the regexp_matches function instead.' : 'Use the regexp_replace function instead.',
          })
        }
        o.global = true
        break
      case 'i':
        o.icase = true
        break
      case 'c':
        o.icase = false
        break
      case 'n':
      case 'm':
        o.newlineDot = true
        o.newlineAnchor = true
        break
      case 'p':
        o.newlineDot = true
        o.newlineAnchor = false
        break
      case 'w':
        o.newlineDot = false
        o.newlineAnchor = true
        break
      case 's':
        o.newlineDot = false
        o.newlineAnchor = false
        break
      case 'x':
        o.expanded = true
        break
      case 'q':
        o.literal = true
        break
      case 't':
      case 'e':
        break
      default:
        throw execError(SqlState.invalidParameterValue, `invalid regular expression option: "${f}"`)
    }
  }
  return o
}

const invalid = (what: string): ExecutionError => execError(SqlState.invalidRegularExpression, `invalid regular expression: ${what}`)

const syntaxChars = new Set('^$\\.*+?()[]{}|/-')
/** A literal character as JavaScript (u mode) source. */
const lit = (c: string): string => {
  if (syntaxChars.has(c)) return '\\' + c
  const cp = c.codePointAt(0)!
  if (cp < 0x20 || cp === 0x7f) return `\\u{${cp.toString(16)}}`
  return c
}

const classNames: Record<string, string> = {
  alnum: '\\p{L}\\p{Nd}',
  alpha: '\\p{L}',
  blank: ' \\t',
  cntrl: '\\p{Cc}',
  digit: '0-9',
  graph: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}',
  lower: '\\p{Ll}',
  print: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Zs}',
  punct: '\\p{P}\\p{S}',
  space: '\\s',
  upper: '\\p{Lu}',
  xdigit: '0-9A-Fa-f',
  word: '\\p{L}\\p{Nd}_',
}
const wordClass = '[\\p{L}\\p{Nd}_]'

/** Reads hex digits at s[i..] (at most max); returns [value, next index]. */
function readHex(s: string, i: number, max: number): [number, number] {
  let j = i
  while (j < s.length && j - i < max && /[0-9a-fA-F]/.test(s[j]!)) j++
  if (j === i) throw invalid('invalid escape \\ sequence')
  return [parseInt(s.slice(i, j), 16), j]
}

/** Character escapes shared by both contexts: returns the code point and next index, or undefined. */
function charEscape(s: string, i: number): [number, number] | undefined {
  const c = s[i]!
  switch (c) {
    case 'a':
      return [7, i + 1]
    case 'b':
      return [8, i + 1]
    case 'B':
      return [0x5c, i + 1]
    case 'e':
      return [0x1b, i + 1]
    case 'f':
      return [12, i + 1]
    case 'n':
      return [10, i + 1]
    case 'r':
      return [13, i + 1]
    case 't':
      return [9, i + 1]
    case 'v':
      return [11, i + 1]
    case 'c':
      if (i + 1 >= s.length) throw invalid('invalid escape \\ sequence')
      return [s.charCodeAt(i + 1) & 0x1f, i + 2]
    case 'u':
      return readHex(s, i + 1, 4)
    case 'U':
      return readHex(s, i + 1, 8)
    case 'x':
      return readHex(s, i + 1, 8)
    case '0': {
      let j = i + 1
      while (j < s.length && j - i < 3 && /[0-7]/.test(s[j]!)) j++
      return [parseInt(s.slice(i, j), 8) || 0, j]
    }
    default:
      return undefined
  }
}

/** Translates one bracket expression starting after `[`; returns JS source and the index after `]`. */
function translateBracket(s: string, start: number, o: RegexOptions): [string, number] {
  let i = start
  let negate = false
  if (s[i] === '^') {
    negate = true
    i++
  }
  let out = ''
  let first = true
  const readItem = (): { text: string; cp?: number } => {
    const c = s[i]!
    if (c === '[' && (s[i + 1] === ':' || s[i + 1] === '.' || s[i + 1] === '=')) {
      const kind = s[i + 1]!
      const end = s.indexOf(kind + ']', i + 2)
      if (end < 0) throw invalid('brackets [] not balanced')
      const name = s.slice(i + 2, end)
      i = end + 2
      if (kind === ':') {
        const cls = classNames[name]
        if (cls === undefined) throw invalid('invalid character class')
        return { text: cls }
      }
      const cps = [...name]
      if (cps.length !== 1) throw invalid('invalid collating element')
      return { text: lit(cps[0]!), cp: cps[0]!.codePointAt(0)! }
    }
    if (c === '\\') {
      const e = s[i + 1]
      if (e === undefined) throw invalid('invalid escape \\ sequence')
      if ('dsw'.includes(e)) {
        i += 2
        return { text: e === 'd' ? '0-9' : e === 's' ? '\\s' : '\\p{L}\\p{Nd}_' }
      }
      if ('DSW'.includes(e)) throw invalid('invalid escape \\ sequence')
      const ce = charEscape(s, i + 1)
      if (ce) {
        i = ce[1]
        return { text: lit(String.fromCodePoint(ce[0])), cp: ce[0] }
      }
      if (/[A-Za-z0-9]/.test(e)) throw invalid('invalid escape \\ sequence')
      i += 2
      return { text: lit(e), cp: e.codePointAt(0)! }
    }
    const ch = String.fromCodePoint(s.codePointAt(i)!)
    i += ch.length
    return { text: lit(ch), cp: ch.codePointAt(0)! }
  }
  for (;;) {
    if (i >= s.length) throw invalid('brackets [] not balanced')
    const c = s[i]!
    if (c === ']' && !first) {
      i++
      break
    }
    first = false
    const item = readItem()
    if (s[i] === '-' && s[i + 1] !== undefined && s[i + 1] !== ']' && item.cp !== undefined) {
      i++
      const hi = readItem()
      if (hi.cp === undefined) throw invalid('invalid character range')
      if (hi.cp < item.cp) throw invalid('invalid character range')
      out += item.text + '-' + hi.text
    } else out += item.text
  }
  if (negate && o.newlineDot) out += '\\n'
  return ['[' + (negate ? '^' : '') + out + ']', i]
}

/** Translates a PostgreSQL regular expression to JavaScript source (u mode). */
export function translateRegex(pattern: string, opts: RegexOptions): { source: string; flags: string } {
  let o = opts
  let s = pattern
  if (s.startsWith('***=')) o = { ...o, literal: true }
  if (s.startsWith('***=') || s.startsWith('***:')) s = s.slice(4)
  if (!o.literal && s.startsWith('(?')) {
    const end = s.indexOf(')')
    const inner = s.slice(2, end)
    if (end > 0 && /^[bceimnpqstwx]+$/.test(inner)) {
      o = { ...o, ...parseFlags(inner), global: o.global }
      s = s.slice(end + 1)
    }
  }
  let flags = 'u'
  if (o.icase) flags += 'i'
  if (!o.newlineDot) flags += 's'
  if (o.newlineAnchor) flags += 'm'
  if (o.literal) return { source: [...s].map(lit).join(''), flags }
  let out = ''
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (o.expanded) {
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
        i++
        continue
      }
      if (c === '#') {
        while (i < s.length && s[i] !== '\n') i++
        continue
      }
    }
    switch (c) {
      case '\\': {
        const e = s[i + 1]
        if (e === undefined) throw invalid('invalid escape \\ sequence')
        if ('dDsS'.includes(e)) {
          out += e === 'd' ? '[0-9]' : e === 'D' ? '[^0-9]' : '\\' + e
          i += 2
        } else if (e === 'w' || e === 'W') {
          out += e === 'w' ? wordClass : '[^\\p{L}\\p{Nd}_]'
          i += 2
        } else if (e === 'm') {
          out += `(?<!${wordClass})(?=${wordClass})`
          i += 2
        } else if (e === 'M') {
          out += `(?<=${wordClass})(?!${wordClass})`
          i += 2
        } else if (e === 'y') {
          out += `(?:(?<!${wordClass})(?=${wordClass})|(?<=${wordClass})(?!${wordClass}))`
          i += 2
        } else if (e === 'Y') {
          out += `(?:(?<=${wordClass})(?=${wordClass})|(?<!${wordClass})(?!${wordClass}))`
          i += 2
        } else if (e === 'A') {
          out += '(?<![\\s\\S])'
          i += 2
        } else if (e === 'Z') {
          out += '(?![\\s\\S])'
          i += 2
        } else if (e >= '1' && e <= '9') {
          let j = i + 1
          while (j < s.length && /[0-9]/.test(s[j]!)) j++
          out += '\\' + s.slice(i + 1, j)
          i = j
        } else {
          const ce = charEscape(s, i + 1)
          if (ce) {
            out += lit(String.fromCodePoint(ce[0]))
            i = ce[1]
          } else if (/[A-Za-z0-9]/.test(e)) throw invalid('invalid escape \\ sequence')
          else {
            out += lit(e)
            i += 2
          }
        }
        break
      }
      case '[': {
        const [src, next] = translateBracket(s, i + 1, o)
        out += src
        i = next
        break
      }
      case '.':
        out += o.newlineDot ? '[^\\n]' : '.'
        i++
        break
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(i))
        if (m) {
          if (Number(m[1]) > 255 || (m[3] !== undefined && m[3] !== '' && Number(m[3]) > 255)) {
            throw invalid('invalid repetition count(s)')
          }
          if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) throw invalid('invalid repetition count(s)')
          out += m[0]
          i += m[0].length
        } else {
          out += '\\{'
          i++
        }
        break
      }
      case '(': {
        if (s[i + 1] === '?') {
          const m = /^\(\?(:|=|!|<=|<!)/.exec(s.slice(i))
          if (!m) throw invalid('quantifier operand invalid')
          out += m[0]
          i += m[0].length
        } else {
          out += '('
          i++
        }
        break
      }
      case '}':
      case ']':
      case '/':
      case '-':
        out += '\\' + c
        i++
        break
      case '^':
      case '$':
      case '*':
      case '+':
      case '?':
      case '|':
      case ')':
        out += c
        i++
        break
      default: {
        const ch = String.fromCodePoint(s.codePointAt(i)!)
        out += lit(ch)
        i += ch.length
      }
    }
  }
  return { source: out, flags }
}

const regexCache = new Map<string, RegExp>()

/** A compiled (cached) RegExp for a PostgreSQL pattern and options; 2201B when it does not compile. */
export function compileRegex(pattern: string, opts: RegexOptions = defaultOptions): RegExp {
  const key = `${opts.icase ? 'i' : ''}${opts.newlineDot ? 'd' : ''}${opts.newlineAnchor ? 'a' : ''}${opts.expanded ? 'x' : ''}${opts.literal ? 'q' : ''}\u0000${pattern}`
  let re = regexCache.get(key)
  if (re === undefined) {
    const { source, flags } = translateRegex(pattern, opts)
    checkBalanced(pattern, opts)
    try {
      re = new RegExp(source, flags + 'g')
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e)
      if (/Nothing to repeat/.test(msg)) throw invalid('quantifier operand invalid')
      if (/Unterminated group|Unmatched/.test(msg)) throw invalid('parentheses () not balanced')
      throw invalid(msg.replace(/^Invalid regular expression: /, ''))
    }
    if (regexCache.size >= 256) regexCache.clear()
    regexCache.set(key, re)
  }
  re.lastIndex = 0
  return re
}

/** PostgreSQL's message for unbalanced parentheses comes before other syntax errors. */
function checkBalanced(pattern: string, o: RegexOptions): void {
  if (o.literal || pattern.startsWith('***=')) return
  let depth = 0
  let inBracket = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (inBracket) {
      if (c === ']') inBracket = false
      continue
    }
    if (c === '[') {
      inBracket = true
      if (pattern[i + 1] === '^') i++
      if (pattern[i + 1] === ']') i++
    } else if (c === '(') depth++
    else if (c === ')') {
      depth--
      if (depth < 0) throw invalid('parentheses () not balanced')
    }
  }
  if (depth !== 0) throw invalid('parentheses () not balanced')
}

// ---------------------------------------------------------------- kernels

/** Per-row regex lookup that recompiles only when the pattern or flags change. */
function regexAt(pat: Vector, pats: (string | null)[], flags: (string | null)[] | null, fn?: string): (i: number) => RegExp {
  let last: RegExp | null = null
  let lastRow = -1
  let lastFlags: string | null = null
  return (i) => {
    const f = flags ? flags[i] ?? '' : ''
    if (last === null || f !== lastFlags || !sameBytes(pat, i, lastRow)) {
      last = compileRegex(pats[i]!, parseFlags(f, fn))
      lastRow = i
      lastFlags = f
    }
    last.lastIndex = 0
    return last
  }
}

function regexMatchKernel(icase: boolean, negate: boolean): Kernel {
  return (args, n, ret) => {
    const s = toStrings(args[0]!)
    const p = args[1]!
    const get = regexAt(p, toStrings(p), null)
    const out = new Uint8Array(n)
    const bm = argsValidity(args, n)
    const opts: RegexOptions = { ...defaultOptions, icase }
    let last: RegExp | null = null
    let lastRow = -1
    for (let i = 0; i < n; i++) {
      if (!valid(bm, i)) continue
      let re: RegExp
      if (icase) {
        if (last === null || !sameBytes(p, i, lastRow)) {
          last = compileRegex(toStrings(p)[i]!, opts)
          lastRow = i
        }
        re = last
        re.lastIndex = 0
      } else re = get(i)
      out[i] = re.test(s[i]!) !== negate ? 1 : 0
    }
    return { type: ret, length: n, values: out, validity: bm }
  }
}

const regexpLikeKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  const get = regexAt(args[1]!, toStrings(args[1]!), args[2] ? toStrings(args[2]) : null, 'regexp_like')
  return mapToNumber(args, n, ret, new Uint8Array(n), (i) => (get(i).test(s[i]!) ? 1 : 0))
}

/** Expands a PostgreSQL replacement string (\1-\9, \&, \\) for one match. */
function expandReplacement(rep: string, m: RegExpExecArray): string {
  if (!rep.includes('\\')) return rep
  let out = ''
  for (let k = 0; k < rep.length; k++) {
    const c = rep[k]!
    if (c !== '\\' || k + 1 >= rep.length) {
      out += c
      continue
    }
    const e = rep[k + 1]!
    if (e >= '1' && e <= '9') {
      out += m[Number(e)] ?? ''
      k++
    } else if (e === '&') {
      out += m[0]
      k++
    } else if (e === '\\') {
      out += '\\'
      k++
    } else out += c
  }
  return out
}

/** UTF-16 index of code point position `cp` (0-based) in s. */
function cpToIndex(s: string, cp: number): number {
  let idx = 0
  for (let k = 0; k < cp && idx < s.length; k++) idx += (s.codePointAt(idx)! > 0xffff ? 2 : 1)
  return idx
}

const regexpReplaceKernel: Kernel = (args, n, ret) => {
  // (s, pattern, replacement[, flags]) or (s, pattern, replacement, start[, N[, flags]])
  const flagsIdx = args.length === 4 && args[3]!.offsets !== undefined ? 3 : args.length === 6 ? 5 : -1
  const startArg = args.length >= 4 && flagsIdx !== 3 ? args[3]! : undefined
  const nArg = args.length >= 5 ? args[4]! : undefined
  const flags = flagsIdx >= 0 ? toStrings(args[flagsIdx]!) : null
  const get = regexAt(args[1]!, toStrings(args[1]!), flags)
  return mapToString(args, n, ret, (i, s, _p, rep) => {
    const re = get(i)
    const f = flags ? flags[i] ?? '' : ''
    let start = 0
    if (startArg) {
      const st = startArg.values[i]!
      if (st <= 0) throw execError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${st}`)
      start = cpToIndex(s, st - 1)
    }
    const nv = nArg ? nArg.values[i]! : 1
    if (nv < 0) throw execError(SqlState.invalidParameterValue, `invalid value for parameter "n": ${nv}`)
    const global = f.includes('g') || nv === 0
    const nth = global ? 0 : nv
    let out = s.slice(0, start)
    let pos = start
    let count = 0
    re.lastIndex = start
    for (;;) {
      const m = re.exec(s)
      if (m === null) break
      count++
      if (global || count === nth) {
        out += s.slice(pos, m.index) + expandReplacement(rep!, m)
        pos = m.index + m[0].length
      }
      if (m[0].length === 0) re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1)
      if (!global && count >= nth) break
      if (re.lastIndex > s.length) break
    }
    return out + s.slice(pos)
  })
}

const textArr = arrayType(T.text)

const regexpMatchKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  const flags = args[2] ? toStrings(args[2]) : null
  const get = regexAt(args[1]!, toStrings(args[1]!), flags, 'regexp_match')
  const bm = argsValidity(args, n)
  const rows: ((string | null)[] | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    if (!valid(bm, i)) {
      rows[i] = null
      continue
    }
    const m = get(i).exec(s[i]!)
    if (m === null) rows[i] = null
    else if (m.length === 1) rows[i] = [m[0]]
    else rows[i] = m.slice(1).map((g) => g ?? null)
  }
  return textArrayVector(rows, ret)
}

/** The pieces regexp_split_to_array returns (zero-length matches at the ends are ignored). */
export function regexSplit(s: string, re: RegExp): string[] {
  const parts: string[] = []
  let prevEnd = 0
  let searchStart = 0
  re.lastIndex = 0
  while (searchStart <= s.length) {
    re.lastIndex = searchStart
    const m = re.exec(s)
    if (m === null) break
    const so = m.index
    const eo = so + m[0].length
    if (so < s.length && eo > prevEnd) {
      parts.push(s.slice(prevEnd, so))
      prevEnd = eo
    }
    searchStart = eo === so ? eo + (so < s.length && s.codePointAt(so)! > 0xffff ? 2 : 1) : eo
  }
  parts.push(s.slice(prevEnd))
  return parts
}

const regexpSplitKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  const flags = args[2] ? toStrings(args[2]) : null
  const get = regexAt(args[1]!, toStrings(args[1]!), flags, 'regexp_split_to_array')
  const bm = argsValidity(args, n)
  const rows: (string[] | null)[] = new Array(n)
  for (let i = 0; i < n; i++) rows[i] = valid(bm, i) ? regexSplit(s[i]!, get(i)) : null
  return textArrayVector(rows, ret)
}

const regexpCountKernel: Kernel = (args, n, ret) => {
  const s = toStrings(args[0]!)
  const flags = args[3] ? toStrings(args[3]) : null
  const get = regexAt(args[1]!, toStrings(args[1]!), flags, 'regexp_count')
  return mapToNumber(args, n, ret, new Int32Array(n), (i) => {
    const str = s[i]!
    const re = get(i)
    const st = args[2] ? args[2].values[i]! : 1
    if (st <= 0) throw execError(SqlState.invalidParameterValue, `invalid value for parameter "start": ${st}`)
    re.lastIndex = cpToIndex(str, st - 1)
    let c = 0
    for (;;) {
      const m = re.exec(str)
      if (m === null) break
      c++
      if (m[0].length === 0) re.lastIndex = m.index + 1
      if (re.lastIndex > str.length) break
    }
    return c
  })
}

/** substring(text from pattern): the first parenthesised group's text, else the whole match, else NULL. */
const substringRegexKernel: Kernel = (args, n, ret) => {
  const get = regexAt(args[1]!, toStrings(args[1]!), null)
  return mapToString(args, n, ret, (i, s) => {
    const m = get(i).exec(s)
    if (m === null) return null
    return m.length > 1 ? m[1] ?? null : m[0]
  })
}

// ---------------------------------------------------------------- SIMILAR TO

/** PostgreSQL's similar_to_escape: the POSIX regex for a SQL SIMILAR TO pattern (escape null = none). */
export function similarToRegex(pattern: string, escape: string | null): string {
  let out = '^(?:'
  let afterEscape = false
  let inClass = false
  let classStart = 0
  let nested = 0
  let nquotes = 0
  for (const c of pattern) {
    if (afterEscape) {
      if (c === '"' && !inClass) {
        if (nquotes === 0) out += '){1,1}?('
        else if (nquotes === 1) out += '){1,1}(?:'
        else {
          throw execError(
            '2200C',
            'SQL regular expression may not contain more than two escape-double-quote separators',
          )
        }
        nquotes++
      } else out += '\\' + c
      afterEscape = false
    } else if (escape !== null && c === escape) afterEscape = true
    else if (inClass) {
      if (c === '\\') out += '\\'
      out += c
      if (c === ']' && nested > 0) nested--
      else if (c === ']' && classStart > 2) inClass = false
      else if (c === '[') {
        nested++
        classStart = 3
      } else if (c === '^' && classStart < 3) classStart++
      else classStart = 3
    } else if (c === '[') {
      out += c
      inClass = true
      classStart = 1
      nested = 0
    } else if (c === '%') out += '.*'
    else if (c === '_') out += '.'
    else if (c === '(') out += '(?:'
    else if (c === '\\' || c === '.' || c === '^' || c === '$') out += '\\' + c
    else out += c
  }
  return out + ')$'
}

/** Validates the escape argument of similar_to_escape / SIMILAR … ESCAPE. */
function similarEscapeChar(e: string): string | null {
  const cps = [...e]
  if (cps.length > 1) {
    throw new ExecutionError(SqlState.invalidEscapeSequence, 'invalid escape string', {
      hint: 'Escape string must be empty or one character.',
    })
  }
  return cps[0] ?? null
}

const similarEscapeKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (_i, p, e) => similarToRegex(p, args.length > 1 ? similarEscapeChar(e!) : '\\'))

/** substring(s similar pattern escape e): the text between the escape-double-quote separators. */
const substringSimilarKernel: Kernel = (args, n, ret) =>
  mapToString(args, n, ret, (_i, s, p, e) => {
    const re = compileRegex(similarToRegex(p!, similarEscapeChar(e!)))
    const m = re.exec(s)
    if (m === null) return null
    return m.length > 1 ? m[1] ?? null : m[0]
  })

// ---------------------------------------------------------------- registration

const b = T.bool

const regexOps = (names: readonly string[], icase: boolean, negate: boolean): ScalarFunction[] =>
  names.map((name) =>
    defineFunction(name, [
      sig(['text', 'text'], b, regexMatchKernel(icase, negate)),
      // the operators keep bpchar padding (bpcharregexeq); the text* functions take text
      ...(name.startsWith('text')
        ? []
        : [sig(['bpchar', 'text'], b, (args, n, ret, ctx) => regexMatchKernel(icase, negate)([padded(args[0]!, n), args[1]!], n, ret, ctx))]),
    ]),
  )

/** bpchar values carry their blank padding into regex matching, as in PostgreSQL. */
function padded(v: Vector, n: number): Vector {
  const len = v.type.id === 'bpchar' ? v.type.length : null
  if (len === null) return v
  return mapToString([v], n, T.text, (_i, s) => {
    const l = [...s].length
    return l < len ? s + ' '.repeat(len - l) : s
  })
}

const text = T.text
const int = T.int4

/** The regular-expression functions and operators. */
export const regexFunctions: ScalarFunction[] = [
  ...regexOps(['textregexeq', '~', 'regexeq'], false, false),
  ...regexOps(['textregexne', '!~'], false, true),
  ...regexOps(['texticregexeq', '~*'], true, false),
  ...regexOps(['texticregexne', '!~*'], true, true),
  defineFunction('regexp_like', [sig(['text', 'text'], b, regexpLikeKernel), sig(['text', 'text', 'text'], b, regexpLikeKernel)]),
  defineFunction('regexp_replace', [
    sig(['text', 'text', 'text'], text, regexpReplaceKernel),
    sig(['text', 'text', 'text', 'text'], text, regexpReplaceKernel),
    sig(['text', 'text', 'text', 'int4'], text, regexpReplaceKernel),
    sig(['text', 'text', 'text', 'int4', 'int4'], text, regexpReplaceKernel),
    sig(['text', 'text', 'text', 'int4', 'int4', 'text'], text, regexpReplaceKernel),
  ]),
  defineFunction('regexp_match', [
    sig(['text', 'text'], textArr, regexpMatchKernel),
    sig(['text', 'text', 'text'], textArr, regexpMatchKernel),
  ]),
  defineFunction('regexp_split_to_array', [
    sig(['text', 'text'], textArr, regexpSplitKernel),
    sig(['text', 'text', 'text'], textArr, regexpSplitKernel),
  ]),
  defineFunction('regexp_count', [
    sig(['text', 'text'], int, regexpCountKernel),
    sig(['text', 'text', 'int4'], int, regexpCountKernel),
    sig(['text', 'text', 'int4', 'text'], int, regexpCountKernel),
  ]),
  defineFunction('similar_to_escape', [sig(['text'], text, similarEscapeKernel), sig(['text', 'text'], text, similarEscapeKernel)]),
  defineFunction('substring', [
    sig(['text', 'int4'], text, substringKernel),
    sig(['text', 'int4', 'int4'], text, substringKernel),
    sig(['text', 'text'], text, substringRegexKernel),
    sig(['text', 'text', 'text'], text, substringSimilarKernel),
  ]),
]
