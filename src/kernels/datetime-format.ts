/**
 * to_char / to_date / to_timestamp template formatting (PostgreSQL's formatting.c) for the common
 * patterns: date/time fields (YYYY, MM, DD, HH24, MI, SS, MS, US, Month, Day, AM, Q, WW, IW, DDD,
 * J, TZ, …) with the FM/TH modifiers, and numeric templates (9 0 . , D G S MI PL SG PR FM).
 */
import { formatDecimal, rescale, type Decimal } from '../common/decimal.js'
import { execError, SqlState } from '../common/errors.js'
import {
  dayOfWeek,
  daysFromCivil,
  daysInMonth,
  formatOffset,
  isoWeek,
  splitTimestamp,
  timestampToFields,
  UNIX_EPOCH_JDATE,
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
} from './datetime.js'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII']

/** Date/time template keywords, longest first so that prefixes match correctly. */
const KEYWORDS = [
  'A.D.', 'A.M.', 'AD', 'AM', 'B.C.', 'BC', 'CC', 'DAY', 'DDD', 'DD', 'DY', 'Day', 'Dy', 'D', 'FX', 'HH12', 'HH24', 'HH', 'IDDD',
  'ID', 'IW', 'IYYY', 'IYY', 'IY', 'I', 'J', 'MI', 'MM', 'MONTH', 'MON', 'MS', 'Month', 'Mon', 'OF', 'P.M.', 'PM', 'Q', 'RM',
  'SSSSS', 'SSSS', 'SS', 'TZH', 'TZM', 'TZ', 'US', 'WW', 'W', 'Y,YYY', 'YYYY', 'YYY', 'YY', 'Y', 'a.d.', 'a.m.', 'ad', 'am',
  'b.c.', 'bc', 'cc', 'day', 'ddd', 'dd', 'dy', 'd', 'fx', 'hh24', 'hh12', 'hh', 'iddd', 'id', 'iw', 'iyyy', 'iyy', 'iy', 'i', 'j',
  'mi', 'mm', 'month', 'mon', 'ms', 'of', 'p.m.', 'pm', 'q', 'rm', 'sssss', 'ssss', 'ss', 'tzh', 'tzm', 'tz', 'us', 'ww', 'w',
  'y,yyy', 'yyyy', 'yyy', 'yy', 'y',
].sort((a, b) => b.length - a.length)

type Node = { kind: 'literal'; text: string } | { kind: 'field'; key: string; fm: boolean; th: '' | 'TH' | 'th' }

function parseTemplate(fmt: string): Node[] {
  const out: Node[] = []
  let i = 0
  while (i < fmt.length) {
    const c = fmt[i]!
    if (c === '"') {
      let text = ''
      i++
      while (i < fmt.length && fmt[i] !== '"') {
        if (fmt[i] === '\\' && i + 1 < fmt.length) i++
        text += fmt[i]
        i++
      }
      i++
      out.push({ kind: 'literal', text })
      continue
    }
    if (c === '\\' && i + 1 < fmt.length) {
      out.push({ kind: 'literal', text: fmt[i + 1]! })
      i += 2
      continue
    }
    let fm = false
    let j = i
    if (fmt.slice(j, j + 2).toUpperCase() === 'FM') {
      fm = true
      j += 2
    }
    const key = KEYWORDS.find((k) => fmt.startsWith(k, j)) ?? KEYWORDS.find((k) => fmt.slice(j, j + k.length).toUpperCase() === k.toUpperCase() && /^[A-Z]/.test(k) && k.length > 1 && !/[a-z]/.test(k))
    if (key === undefined) {
      out.push({ kind: 'literal', text: fm ? fmt.slice(i, j) : c })
      i = fm ? j : i + 1
      continue
    }
    j += key.length
    let th: '' | 'TH' | 'th' = ''
    if (fmt.startsWith('TH', j)) th = 'TH'
    else if (fmt.startsWith('th', j)) th = 'th'
    if (th !== '') j += 2
    out.push({ kind: 'field', key, fm, th })
    i = j
  }
  return out
}

function ordinal(n: number, upper: boolean): string {
  const a = Math.abs(n) % 100
  let s = 'th'
  if (a < 11 || a > 13) {
    const d = a % 10
    s = d === 1 ? 'st' : d === 2 ? 'nd' : d === 3 ? 'rd' : 'th'
  }
  return upper ? s.toUpperCase() : s
}

function casedName(name: string, key: string, fm: boolean, width: number): string {
  const text = key === key.toUpperCase() ? name.toUpperCase() : key[1] === key[1]!.toLowerCase() && key[0] === key[0]!.toUpperCase() ? name : name.toLowerCase()
  return fm ? text : text.padEnd(width, ' ')
}

/** Inputs of a to_char call on a date/time value. */
interface TimeParts {
  /** Local microseconds since the epoch. */
  readonly local: number
  /** Zone offset in seconds (timestamptz) or null. */
  readonly offset: number | null
  /** Zone abbreviation for TZ (timestamptz), or null. */
  readonly zone: string | null
}

/** to_char(timestamp|timestamptz|date, template). */
export function toCharTimestamp(parts: TimeParts, fmt: string): string {
  const f = timestampToFields(parts.local)
  const { days } = splitTimestamp(parts.local)
  const year = f.year > 0 ? f.year : 1 - f.year
  let out = ''
  for (const node of parseTemplate(fmt)) {
    if (node.kind === 'literal') {
      out += node.text
      continue
    }
    const { key, fm } = node
    const num = (v: number, width: number): string => {
      const neg = v < 0
      const s = String(Math.abs(v))
      const body = fm ? s : s.padStart(width, '0')
      return (neg ? '-' : '') + body + (node.th !== '' ? ordinal(v, node.th === 'TH') : '')
    }
    const U = key.toUpperCase()
    switch (U) {
      case 'HH':
      case 'HH12':
        out += num(f.hour % 12 === 0 ? 12 : f.hour % 12, 2)
        break
      case 'HH24':
        out += num(f.hour, 2)
        break
      case 'MI':
        out += num(f.minute, 2)
        break
      case 'SS':
        out += num(f.second, 2)
        break
      case 'MS':
        out += num(Math.floor(f.micros / 1000), 3)
        break
      case 'US':
        out += num(f.micros, 6)
        break
      case 'SSSS':
      case 'SSSSS':
        out += num(f.hour * 3600 + f.minute * 60 + f.second, 0)
        break
      case 'AM':
      case 'PM':
        out += key === U ? (f.hour < 12 ? 'AM' : 'PM') : f.hour < 12 ? 'am' : 'pm'
        break
      case 'A.M.':
      case 'P.M.':
        out += key === U ? (f.hour < 12 ? 'A.M.' : 'P.M.') : f.hour < 12 ? 'a.m.' : 'p.m.'
        break
      case 'Y,YYY':
        out += `${Math.floor(year / 1000)},${String(year % 1000).padStart(3, '0')}`
        break
      case 'YYYY':
        out += num(year, 4)
        break
      case 'YYY':
        out += num(year % 1000, 3)
        break
      case 'YY':
        out += num(year % 100, 2)
        break
      case 'Y':
        out += num(year % 10, 1)
        break
      case 'IYYY':
      case 'IYY':
      case 'IY':
      case 'I': {
        const iyAstro = isoWeek(days).isoYear
        const iy = iyAstro > 0 ? iyAstro : 1 - iyAstro
        const w = U.length
        out += num(w === 4 ? iy : iy % 10 ** w, w)
        break
      }
      case 'BC':
      case 'AD':
        out += key === U ? (f.year <= 0 ? 'BC' : 'AD') : f.year <= 0 ? 'bc' : 'ad'
        break
      case 'B.C.':
      case 'A.D.':
        out += key === U ? (f.year <= 0 ? 'B.C.' : 'A.D.') : f.year <= 0 ? 'b.c.' : 'a.d.'
        break
      case 'MONTH':
        out += casedName(MONTHS[f.month - 1]!, key, fm, 9)
        break
      case 'MON':
        out += casedName(MONTHS[f.month - 1]!.slice(0, 3), key, true, 3)
        break
      case 'MM':
        out += num(f.month, 2)
        break
      case 'DAY':
        out += casedName(DAYS[dayOfWeek(days)]!, key, fm, 9)
        break
      case 'DY':
        out += casedName(DAYS[dayOfWeek(days)]!.slice(0, 3), key, true, 3)
        break
      case 'DDD':
        out += num(days - daysFromCivil(f.year, 1, 1) + 1, 3)
        break
      case 'IDDD': {
        const { week } = isoWeek(days)
        const isoDow = dayOfWeek(days) === 0 ? 7 : dayOfWeek(days)
        out += num((week - 1) * 7 + isoDow, 3)
        break
      }
      case 'DD':
        out += num(f.day, 2)
        break
      case 'D':
        out += num(dayOfWeek(days) + 1, 1)
        break
      case 'ID':
        out += num(dayOfWeek(days) === 0 ? 7 : dayOfWeek(days), 1)
        break
      case 'W':
        out += num(Math.floor((f.day - 1) / 7) + 1, 1)
        break
      case 'WW':
        out += num(Math.floor((days - daysFromCivil(f.year, 1, 1)) / 7) + 1, 2)
        break
      case 'IW':
        out += num(isoWeek(days).week, 2)
        break
      case 'CC': {
        const cc = f.year > 0 ? Math.floor((f.year + 99) / 100) : -Math.floor((99 - (f.year - 1)) / 100)
        out += num(cc, 2)
        break
      }
      case 'J':
        out += num(days + UNIX_EPOCH_JDATE, 0)
        break
      case 'Q':
        out += num(Math.floor((f.month - 1) / 3) + 1, 0)
        break
      case 'RM': {
        const r = ROMAN[f.month - 1]!
        const t = key === U ? r : r.toLowerCase()
        out += fm ? t : t.padEnd(4, ' ')
        break
      }
      case 'TZ':
        out += parts.zone === null ? '' : key === U ? parts.zone.toUpperCase() : parts.zone.toLowerCase()
        break
      case 'OF':
        out += parts.offset === null ? '' : formatOffset(parts.offset)
        break
      case 'TZH':
        out += parts.offset === null ? '' : (parts.offset < 0 ? '-' : '+') + String(Math.floor(Math.abs(parts.offset) / 3600)).padStart(2, '0')
        break
      case 'TZM':
        out += parts.offset === null ? '' : String(Math.floor((Math.abs(parts.offset) % 3600) / 60)).padStart(2, '0')
        break
      case 'FX':
        break
      default:
        out += key
    }
  }
  return out
}

/** to_char(interval, template): hours may exceed 24; names and dates use the interval's fields. */
export function toCharInterval(months: number, days: number, micros: number, fmt: string): string {
  const year = Math.trunc(months / 12)
  const mon = months - year * 12
  const hour = Math.trunc(micros / USECS_PER_HOUR)
  let rem = micros - hour * USECS_PER_HOUR
  const minute = Math.trunc(rem / USECS_PER_MINUTE)
  rem -= minute * USECS_PER_MINUTE
  const second = Math.trunc(rem / USECS_PER_SEC)
  const us = rem - second * USECS_PER_SEC
  let out = ''
  for (const node of parseTemplate(fmt)) {
    if (node.kind === 'literal') {
      out += node.text
      continue
    }
    const num = (v: number, width: number): string => (v < 0 ? '-' : '') + (node.fm ? String(Math.abs(v)) : String(Math.abs(v)).padStart(width, '0'))
    switch (node.key.toUpperCase()) {
      case 'HH':
      case 'HH12':
        out += num(hour % 12 === 0 ? 12 : hour % 12, 2)
        break
      case 'HH24':
        out += num(hour, 2)
        break
      case 'MI':
        out += num(minute, 2)
        break
      case 'SS':
        out += num(second, 2)
        break
      case 'MS':
        out += num(Math.trunc(us / 1000), 3)
        break
      case 'US':
        out += num(us, 6)
        break
      case 'DD':
        out += num(days, 2)
        break
      case 'MM':
        out += num(mon, 2)
        break
      case 'YYYY':
        out += num(year, 4)
        break
      case 'YY':
        out += num(year % 100, 2)
        break
      default:
        out += node.key
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// to_date / to_timestamp

/** Parses text with a template to local microseconds (to_timestamp) — the date part for to_date. */
export function parseWithTemplate(text: string, fmt: string): { local: number; offset: number | null } {
  const nodes = parseTemplate(fmt)
  let pos = 0
  let year: number | null = null
  let month = 1
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let micros = 0
  let pm: boolean | null = null
  let hour12 = false
  let bc = false
  let doy: number | null = null
  let julian: number | null = null
  let offset: number | null = null
  const bad = (detail?: string): Error =>
    execError(SqlState.invalidDatetimeFormat, `invalid value "${text.slice(pos, pos + 10).split(' ')[0] ?? ''}" for "${detail ?? fmt}"`)
  const skipSpaces = (): void => {
    while (text[pos] === ' ') pos++
  }
  const readInt = (maxDigits: number, key: string): number => {
    skipSpaces()
    let sign = 1
    if (text[pos] === '-' && key !== 'MM' && key !== 'DD') {
      sign = -1
      pos++
    }
    const start = pos
    while (pos < text.length && pos - start < maxDigits && text[pos]! >= '0' && text[pos]! <= '9') pos++
    if (pos === start) throw execError(SqlState.invalidDatetimeFormat, `invalid value "${text.slice(start, start + maxDigits)}" for "${key}"`, `Value must be an integer.`)
    return sign * Number(text.slice(start, pos))
  }
  const readName = (names: string[], abbrev: boolean, key: string): number => {
    skipSpaces()
    const rest = text.slice(pos).toLowerCase()
    for (let k = 0; k < names.length; k++) {
      const nm = abbrev ? names[k]!.slice(0, 3).toLowerCase() : names[k]!.toLowerCase()
      if (rest.startsWith(nm)) {
        pos += nm.length
        return k
      }
    }
    throw execError(SqlState.invalidDatetimeFormat, `invalid value "${text.slice(pos, pos + (abbrev ? 3 : 9)).trim()}" for "${key}"`, `The given value did not match any of the allowed values for this field.`)
  }
  for (let n = 0; n < nodes.length; n++) {
    const node = nodes[n]!
    if (node.kind === 'literal') {
      // literal characters (and separators) consume one input character each, spaces are flexible
      for (const ch of node.text) {
        if (ch === ' ') skipSpaces()
        else if (pos < text.length && !/[0-9a-zA-Z]/.test(text[pos]!)) pos++
        else if (text[pos] === ch) pos++
      }
      continue
    }
    const U = node.key.toUpperCase()
    const nextIsField = nodes[n + 1]?.kind === 'field'
    const width = (w: number): number => (nextIsField ? w : 20)
    switch (U) {
      case 'YYYY':
        year = readInt(nextIsField ? 4 : 9, node.key)
        break
      case 'Y,YYY': {
        const a = readInt(3, node.key)
        if (text[pos] === ',') pos++
        year = a * 1000 + readInt(3, node.key)
        break
      }
      case 'YYY':
      case 'YY':
      case 'Y': {
        const v = readInt(U.length, node.key)
        year = U.length === 2 ? (v < 70 ? 2000 + v : 1900 + v) : U.length === 3 ? (v < 100 ? 2000 + v : 1000 + v) : 2000 + v
        break
      }
      case 'MM':
        month = readInt(width(2), node.key)
        break
      case 'DD':
        day = readInt(width(2), node.key)
        break
      case 'DDD':
        doy = readInt(width(3), node.key)
        break
      case 'HH':
      case 'HH12':
        hour = readInt(width(2), node.key)
        hour12 = true
        break
      case 'HH24':
        hour = readInt(width(2), node.key)
        break
      case 'MI':
        minute = readInt(width(2), node.key)
        break
      case 'SS':
        second = readInt(width(2), node.key)
        break
      case 'MS': {
        skipSpaces()
        const start = pos
        const v = readInt(3, node.key)
        micros += v * 10 ** (3 - (pos - start)) * 1000
        break
      }
      case 'US': {
        skipSpaces()
        const start = pos
        const v = readInt(6, node.key)
        micros += v * 10 ** (6 - (pos - start))
        break
      }
      case 'AM':
      case 'PM':
      case 'A.M.':
      case 'P.M.': {
        skipSpaces()
        const r = text.slice(pos, pos + U.length).toUpperCase()
        if (r === 'AM' || r === 'A.M.') pm = false
        else if (r === 'PM' || r === 'P.M.') pm = true
        else throw bad(node.key)
        pos += U.length
        break
      }
      case 'BC':
      case 'AD':
      case 'B.C.':
      case 'A.D.': {
        skipSpaces()
        const r = text.slice(pos, pos + U.length).toUpperCase()
        bc = r.startsWith('B')
        pos += U.length
        break
      }
      case 'MONTH':
        month = readName(MONTHS, false, node.key) + 1
        break
      case 'MON':
        month = readName(MONTHS, true, node.key) + 1
        break
      case 'DAY':
        readName(DAYS, false, node.key)
        break
      case 'DY':
        readName(DAYS, true, node.key)
        break
      case 'J':
        julian = readInt(20, node.key)
        break
      case 'D':
      case 'ID':
      case 'Q':
      case 'W':
      case 'WW':
      case 'IW':
      case 'CC':
        readInt(width(2), node.key)
        break
      case 'TZH': {
        skipSpaces()
        const sign = text[pos] === '-' ? -1 : 1
        if (text[pos] === '-' || text[pos] === '+') pos++
        offset = sign * readInt(2, node.key) * 3600
        break
      }
      case 'TZM': {
        const m = readInt(2, node.key)
        offset = (offset ?? 0) + Math.sign(offset ?? 1) * m * 60
        break
      }
      default:
        break
    }
  }
  if (hour12) {
    if (hour < 1 || hour > 12) throw execError(SqlState.invalidDatetimeFormat, `hour "${hour}" is invalid for the 12-hour clock`, 'Use the 24-hour clock, or give an hour between 1 and 12.')
    if (pm === true && hour !== 12) hour += 12
    else if (pm === false && hour === 12) hour = 0
  } else if (pm !== null) {
    if (pm && hour < 12) hour += 12
    else if (!pm && hour === 12) hour = 0
  }
  let days: number
  if (julian !== null) days = julian - UNIX_EPOCH_JDATE
  else {
    let y = year ?? 1
    if (bc) y = 1 - y
    if (doy !== null) days = daysFromCivil(y, 1, 1) + doy - 1
    else {
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(y, month)) {
        const mm = String(month).padStart(2, '0')
        const dd = String(day).padStart(2, '0')
        throw execError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`, `${y}-${mm}-${dd}`.length > 0 ? undefined : undefined)
      }
      days = daysFromCivil(y, month, day)
    }
  }
  if (hour > 24 || minute > 59 || second > 59) throw execError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${text}"`)
  return { local: days * USECS_PER_DAY + hour * USECS_PER_HOUR + minute * USECS_PER_MINUTE + second * USECS_PER_SEC + micros, offset }
}

// ---------------------------------------------------------------------------------------------
// to_char(numeric)

/** to_char(number, template) for digit templates: 9 0 . D , G S SG PL MI PR FM (and EEEE-free forms). */
export function toCharNumber(value: Decimal | 'NaN' | 'Infinity' | '-Infinity', fmt: string): string {
  const upper = fmt.toUpperCase()
  const fm = upper.includes('FM')
  let intDigits = 0
  let fracDigits = 0
  let seenPoint = false
  let zeroStart = -1
  for (let k = 0; k < upper.length; k++) {
    const c = upper[k]!
    if (c === '9' || c === '0') {
      if (seenPoint) fracDigits++
      else {
        if (c === '0' && zeroStart < 0) zeroStart = intDigits
        intDigits++
      }
    } else if (c === '.' || c === 'D') seenPoint = true
  }
  const special = typeof value === 'string'
  const neg = !special ? value.unscaled < 0n : value === '-Infinity'
  let digits: string
  let overflow = false
  if (special) overflow = true
  const r = special ? null : rescale(value, fracDigits)
  if (r !== null) {
    const abs = r.unscaled < 0n ? -r.unscaled : r.unscaled
    digits = abs.toString().padStart(fracDigits + 1, '0')
    const intPart = digits.slice(0, digits.length - fracDigits)
    if (intPart.replace(/^0+/, '').length > intDigits) overflow = true
  }
  const intText = overflow || r === null ? '' : formatDecimal({ unscaled: r.unscaled < 0n ? -r.unscaled : r.unscaled, scale: fracDigits }).split('.')[0]!
  const fracText = overflow || r === null || fracDigits === 0 ? '' : formatDecimal({ unscaled: r.unscaled < 0n ? -r.unscaled : r.unscaled, scale: fracDigits }).split('.')[1]!
  // integer digits right-aligned into the template's integer positions
  let out = ''
  let ip = 0
  let fp = 0
  let afterPoint = false
  let signDone = false
  const stripped = upper.replace(/FM/g, '')
  const leadingS = stripped.startsWith('S')
  const pr = upper.includes('PR')
  const hasSignPattern = /MI|PL|SG/.test(upper) || (upper.includes('S') && !leadingS)
  let k = 0
  let leadingDone = false
  const signChar = pr ? (neg ? '<' : ' ') : leadingS ? (neg ? '-' : '+') : neg ? '-' : ' '
  // a zero integer part with no fraction digits still shows its last digit
  const intShown = intText === '0' && zeroStart < 0 && fracDigits > 0 ? ' '.repeat(intDigits) : intText.padStart(intDigits, ' ')
  while (k < upper.length) {
    const two = upper.slice(k, k + 2)
    if (two === 'FM') {
      k += 2
      continue
    }
    if (two === 'PR') {
      k += 2
      continue
    }
    if (two === 'MI' || two === 'PL' || two === 'SG') {
      if (two === 'MI') out += neg ? '-' : fm ? '' : ' '
      else if (two === 'PL') out += neg ? '' : '+'
      else if (two === 'SG') out += neg ? '-' : '+'
      k += 2
      signDone = true
      continue
    }
    const c = upper[k]!
    if (c === 'S') {
      if (!leadingS) out += neg ? '-' : '+'
      signDone = true
      k++
      continue
    }
    if (c === '9' || c === '0') {
      if (overflow) out += '#'
      else if (!afterPoint) {
        let ch = intShown[ip] ?? ' '
        if (ch === ' ' && zeroStart >= 0 && ip >= zeroStart) ch = '0'
        if (!leadingDone && ch !== ' ') {
          if (!hasSignPattern) out += signChar
          leadingDone = true
        }
        if (ch === ' ') {
          if (!fm) out += ' '
        } else out += ch
        ip++
      } else {
        const ch = fracText[fp] ?? '0'
        if (fm && c === '9' && /^0*$/.test(fracText.slice(fp))) {
          fp++
          k++
          continue
        }
        out += ch
        fp++
      }
      k++
      continue
    }
    if (c === '.' || c === 'D') {
      if (!leadingDone) {
        if (!hasSignPattern) out += signChar
        leadingDone = true
      }
      out += overflow ? '#' : '.'
      afterPoint = true
      k++
      continue
    }
    if (c === ',' || c === 'G') {
      if (!leadingDone && !overflow) {
        if (!fm) out += ' '
      } else out += overflow ? '#' : ','
      k++
      continue
    }
    out += fmt[k]
    k++
  }
  if (!leadingDone && !hasSignPattern) out = signChar + out
  if (pr) out += neg ? '>' : fm ? '' : ' '
  void signDone
  if (fm) out = out.replace(/^ +/, '')
  return out
}

