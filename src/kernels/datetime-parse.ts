/**
 * Text input of date, time, timestamp, timestamptz and interval values, following PostgreSQL 15's
 * datetime parser (ISO 8601 and the common non-ISO forms with DateStyle = ISO, MDY) and its errors.
 */
import { execError, NotImplementedError, SqlState } from '../common/errors.js'
import type { IntervalValue } from '../common/value.js'
import {
  DATE_END_DAYS,
  DATE_MIN_DAYS,
  DATE_NEG_INF,
  DATE_POS_INF,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  isTimeZoneName,
  localToUtc,
  splitTimestamp,
  TS_END_MICROS,
  TS_MIN_MICROS,
  UNIX_EPOCH_JDATE,
  USECS_PER_DAY,
  USECS_PER_HOUR,
  USECS_PER_MINUTE,
  USECS_PER_SEC,
  utcToLocal,
  zoneAbbreviations,
} from './datetime.js'

/** What the datetime parser needs from the session: 'now' and the TimeZone. */
export interface DateTimeParseContext {
  /** Session TimeZone (default 'UTC'). */
  readonly timezone?: string
  /** Current transaction time in microseconds since the epoch (for 'now', 'today'). */
  readonly now?: number
}

type TokenKind = 'number' | 'date' | 'time' | 'string' | 'tz' | 'special'
interface Token {
  readonly kind: TokenKind
  readonly text: string
}

const syntaxError = (typeName: string, input: string): Error =>
  execError(SqlState.invalidDatetimeFormat, `invalid input syntax for type ${typeName}: "${input}"`)
const rangeError = (input: string): Error => execError(SqlState.datetimeFieldOverflow, `date/time field value out of range: "${input}"`)

/** Rounds half to even, as C's rint() in the default rounding mode. */
export function rint(x: number): number {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isAlpha = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))

/** Splits datetime text into fields the way PostgreSQL's ParseDateTime does; null on bad characters. */
function tokenize(input: string): Token[] | null {
  const s = input
  const out: Token[] = []
  let i = 0
  const n = s.length
  while (i < n) {
    const c = s[i]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === ',') {
      i++
      continue
    }
    const start = i
    if (isDigit(c)) {
      while (isDigit(s[i])) i++
      const next = s[i]
      if (next === ':') {
        while (isDigit(s[i]) || s[i] === ':' || s[i] === '.') i++
        out.push({ kind: 'time', text: s.slice(start, i) })
      } else if (next === '-' || next === '/' || next === '.') {
        const delim = next
        i++
        if (isDigit(s[i])) {
          while (isDigit(s[i])) i++
          if (s[i] === delim) {
            while (isDigit(s[i]) || s[i] === delim) i++
            out.push({ kind: 'date', text: s.slice(start, i) })
          } else if (delim === '.') out.push({ kind: 'number', text: s.slice(start, i) })
          else out.push({ kind: 'date', text: s.slice(start, i) })
        } else if (isAlpha(s[i])) {
          while (isAlpha(s[i]) || isDigit(s[i]) || s[i] === delim) i++
          out.push({ kind: 'date', text: s.slice(start, i).toLowerCase() })
        } else if (delim === '.') out.push({ kind: 'number', text: s.slice(start, i) })
        else return null
      } else out.push({ kind: 'number', text: s.slice(start, i) })
    } else if (c === '.' && isDigit(s[i + 1])) {
      i++
      while (isDigit(s[i])) i++
      out.push({ kind: 'number', text: s.slice(start, i) })
    } else if (isAlpha(c)) {
      while (isAlpha(s[i])) i++
      if (s[i] === '/' || s[i] === '_') {
        while (isAlpha(s[i]) || isDigit(s[i]) || s[i] === '/' || s[i] === '_' || s[i] === '-' || s[i] === '+') i++
        out.push({ kind: 'tz', text: s.slice(start, i) })
      } else {
        const word = s.slice(start, i).toLowerCase()
        // a month name glued to a date: jan-05-2024
        if ((s[i] === '-' || s[i] === '/' || s[i] === '.') && isDigit(s[i + 1]) && monthNames.has(word)) {
          const delim = s[i]!
          while (isAlpha(s[i]) || isDigit(s[i]) || s[i] === delim) i++
          out.push({ kind: 'date', text: s.slice(start, i).toLowerCase() })
        } else out.push({ kind: 'string', text: word })
      }
    } else if (c === '+' || c === '-') {
      i++
      while (s[i] === ' ') i++
      if (isDigit(s[i])) {
        const numStart = i
        while (isDigit(s[i]) || s[i] === ':' || s[i] === '.') i++
        out.push({ kind: 'tz', text: c + s.slice(numStart, i) })
      } else if (isAlpha(s[i])) {
        const wStart = i
        while (isAlpha(s[i])) i++
        out.push({ kind: 'special', text: c + s.slice(wStart, i).toLowerCase() })
      } else return null
    } else return null
  }
  return out
}

const monthNames = new Map<string, number>()
;['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].forEach((m, k) => {
  monthNames.set(m, k + 1)
  monthNames.set(m.slice(0, 3), k + 1)
})
monthNames.set('sept', 9)
const dayNames = new Set(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sun', 'mon', 'tue', 'tues', 'wed', 'wednes', 'thu', 'thur', 'thurs', 'fri', 'sat'])

/** What a datetime string decoded to. */
interface Decoded {
  special: 'epoch' | 'infinity' | '-infinity' | 'now' | 'today' | 'tomorrow' | 'yesterday' | null
  year: number | null
  month: number | null
  day: number | null
  /** Seconds-of-day fields. */
  hour: number | null
  minute: number
  second: number
  micros: number
  /** Zone offset in seconds east of UTC, or a zone name. */
  tz: number | string | null
  julian: number | null
}

function parseTimeField(text: string, d: Decoded): boolean {
  const parts = text.split(':')
  if (parts.length < 2 || parts.length > 3) return false
  const h = parts[0]!
  const m = parts[1]!
  if (!/^\d+$/.test(h) || !/^\d+(\.\d*)?$/.test(m)) return false
  d.hour = Number(h)
  if (parts.length === 2 && m.includes('.')) {
    // mm:ss.fff is not valid for datetimes; PG reads h:m.frac as hours:minutes with fraction seconds
    const mv = Number(m)
    d.minute = Math.floor(mv)
    const secFrac = (mv - d.minute) * 60
    d.second = Math.floor(secFrac)
    d.micros = rint((secFrac - d.second) * 1e6)
    return true
  }
  d.minute = Number(m)
  if (parts.length === 3) {
    const sec = parts[2]!
    if (!/^\d+(\.\d*)?$/.test(sec)) return false
    const dot = sec.indexOf('.')
    d.second = Number(dot < 0 ? sec : sec.slice(0, dot))
    d.micros = dot < 0 ? 0 : rint(Number('0' + sec.slice(dot)) * 1e6)
  }
  return true
}

/** Parses a numeric zone offset `+05`, `-0530`, `+05:30`, `-04:56:02` to seconds east. */
function parseOffset(text: string): number | null {
  const sign = text[0] === '-' ? -1 : 1
  const body = text.slice(1)
  let h: number
  let m = 0
  let s = 0
  if (body.includes(':')) {
    const p = body.split(':')
    if (p.length > 3 || p.some((x) => !/^\d+$/.test(x))) return null
    h = Number(p[0])
    m = Number(p[1] ?? 0)
    s = Number(p[2] ?? 0)
  } else if (/^\d{1,2}$/.test(body)) h = Number(body)
  else if (/^\d{3,4}$/.test(body)) {
    h = Number(body.slice(0, body.length - 2))
    m = Number(body.slice(-2))
  } else if (/^\d{5,6}$/.test(body)) {
    h = Number(body.slice(0, body.length - 4))
    m = Number(body.slice(-4, -2))
    s = Number(body.slice(-2))
  } else return null
  if (h > 15 || m > 59 || s > 59) return NaN
  return sign * (h * 3600 + m * 60 + s)
}

function decode(input: string, typeName: string): Decoded {
  const tokens = tokenize(input)
  if (tokens === null || tokens.length === 0) throw syntaxError(typeName, input)
  const d: Decoded = { special: null, year: null, month: null, day: null, hour: null, minute: 0, second: 0, micros: 0, tz: null, julian: null }
  let bc = false
  let ampm: 'am' | 'pm' | null = null
  let yearDigits = 4
  let monthFromName = false
  let expectJulian = false
  const pendingNumbers: string[] = []
  const bad = (): Error => syntaxError(typeName, input)
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!
    switch (tok.kind) {
      case 'date': {
        if (d.year !== null) throw bad()
        const delim = tok.text.includes('-') ? '-' : tok.text.includes('/') ? '/' : '.'
        const parts = tok.text.split(delim)
        if (parts.length !== 3 || parts.some((p) => p === '')) throw bad()
        const nameIdx = parts.findIndex((p) => !/^\d+$/.test(p))
        if (nameIdx >= 0) {
          const mon = monthNames.get(parts[nameIdx]!)
          if (mon === undefined || parts.filter((p) => !/^\d+$/.test(p)).length > 1) throw bad()
          d.month = mon
          const nums = parts.filter((_, j) => j !== nameIdx)
          if (nameIdx === 1) {
            // 2024-jan-05 or 05-jan-2024
            if (nums[0]!.length >= 3) {
              d.year = Number(nums[0])
              yearDigits = nums[0]!.length
              d.day = Number(nums[1])
            } else {
              d.day = Number(nums[0])
              d.year = Number(nums[1])
              yearDigits = nums[1]!.length
            }
          } else if (nameIdx === 0) {
            d.day = Number(nums[0])
            d.year = Number(nums[1])
            yearDigits = nums[1]!.length
          } else {
            d.year = Number(nums[0])
            yearDigits = nums[0]!.length
            d.day = Number(nums[1])
          }
        } else if (parts[0]!.length >= 3) {
          d.year = Number(parts[0])
          yearDigits = parts[0]!.length
          d.month = Number(parts[1])
          d.day = Number(parts[2])
        } else {
          // DateStyle MDY
          d.month = Number(parts[0])
          d.day = Number(parts[1])
          d.year = Number(parts[2])
          yearDigits = parts[2]!.length
        }
        break
      }
      case 'time':
        if (d.hour !== null || !parseTimeField(tok.text, d)) throw bad()
        break
      case 'number': {
        if (expectJulian) {
          d.julian = Number(tok.text)
          expectJulian = false
          break
        }
        const text = tok.text
        const prev = tokens[k - 1]
        if (text.includes('.')) {
          // yyyymmdd.hhmmss-style is not supported; a bare decimal after a date is an error
          throw bad()
        }
        if (d.year === null && d.month === null && (text.length === 8 || text.length === 6) && !monthFromName) {
          const yl = text.length - 4
          d.year = Number(text.slice(0, yl))
          yearDigits = yl
          d.month = Number(text.slice(yl, yl + 2))
          d.day = Number(text.slice(yl + 2))
        } else if (prev !== undefined && prev.kind === 'string' && prev.text === 't' && d.hour === null && (text.length === 6 || text.length === 4)) {
          d.hour = Number(text.slice(0, 2))
          d.minute = Number(text.slice(2, 4))
          d.second = text.length === 6 ? Number(text.slice(4, 6)) : 0
        } else pendingNumbers.push(text)
        break
      }
      case 'tz': {
        if (tok.text[0] === '+' || tok.text[0] === '-') {
          if (d.hour === null && d.year === null && pendingNumbers.length === 0) throw bad()
          const off = parseOffset(tok.text)
          if (off === null) throw bad()
          if (Number.isNaN(off)) throw execError('22009', `time zone displacement out of range: "${input}"`)
          if (d.tz !== null) throw bad()
          d.tz = off
        } else {
          if (d.tz !== null || !isTimeZoneName(tok.text)) throw execError(SqlState.invalidParameterValue, `time zone "${tok.text.toLowerCase()}" not recognized`)
          d.tz = tok.text
        }
        break
      }
      case 'special':
        if (tok.text === '-infinity' && tokens.length === 1) d.special = '-infinity'
        else if (tok.text === '+infinity' && tokens.length === 1) d.special = 'infinity'
        else throw bad()
        break
      case 'string': {
        const w = tok.text
        const mon = monthNames.get(w)
        if (mon !== undefined) {
          if (d.month !== null) throw bad()
          d.month = mon
          monthFromName = true
        } else if (dayNames.has(w)) {
          // day of week: ignored
        } else if (w === 'am' || w === 'pm' || w === 'a' || w === 'p') {
          ampm = w[0] === 'a' ? 'am' : 'pm'
        } else if (w === 'bc' || w === 'ad') bc = w === 'bc'
        else if (w === 't') {
          // ISO 8601 date/time separator
        } else if (w === 'j') expectJulian = true
        else if (w === 'epoch' || w === 'infinity' || w === 'now' || w === 'today' || w === 'tomorrow' || w === 'yesterday') {
          if (d.special !== null) throw bad()
          if ((w === 'epoch' || w === 'infinity') && tokens.length !== 1) throw bad()
          d.special = w
        } else if (w === 'allballs') {
          d.hour = 0
        } else if (w === 'z' || w === 'zulu' || zoneAbbreviations.has(w)) {
          if (d.tz !== null) throw bad()
          d.tz = zoneAbbreviations.get(w)!
        } else if (/^j\d+$/.test(w)) {
          d.julian = Number(w.slice(1))
        } else {
          // a full zone name without '/' (e.g. 'UTC', 'Japan')
          const original = input.match(new RegExp(`\\b${w}\\b`, 'i'))?.[0] ?? w
          if (d.tz === null && isTimeZoneName(original)) d.tz = original
          else throw bad()
        }
        break
      }
    }
  }
  if (expectJulian) throw bad()
  // leftover plain numbers: day and year around a month name
  for (const text of pendingNumbers) {
    const v = Number(text)
    if (d.month !== null && d.day === null && text.length <= 2 && !(d.year === null && v > 31)) d.day = v
    else if (d.year === null) {
      d.year = v
      yearDigits = text.length
    } else if (d.day === null && d.month !== null && text.length <= 2) d.day = v
    else throw bad()
  }
  if (d.julian !== null) {
    if (d.year !== null) throw bad()
    const days = d.julian - UNIX_EPOCH_JDATE
    const ymd = civilFromDays(days)
    d.year = ymd[0]
    d.month = ymd[1]
    d.day = ymd[2]
    yearDigits = 4
    bc = false
  }
  if (d.year !== null) {
    if (bc) {
      if (d.year <= 0) throw rangeError(input)
      d.year = 1 - d.year
    } else if (yearDigits <= 2 && d.julian === null) d.year += d.year < 70 ? 2000 : 1900
    else if (d.year === 0) throw rangeError(input)
  }
  if (ampm !== null) {
    if (d.hour === null) throw bad()
    if (d.hour > 12) throw rangeError(input)
    if (ampm === 'am' && d.hour === 12) d.hour = 0
    else if (ampm === 'pm' && d.hour !== 12) d.hour += 12
  }
  return d
}

function checkDateFields(d: Decoded, input: string): number {
  const y = d.year!
  const m = d.month!
  const day = d.day!
  if (m < 1 || m > 12 || day < 1 || day > daysInMonth(y, m)) throw rangeError(input)
  return daysFromCivil(y, m, day)
}

function timeOfDay(d: Decoded, input: string): number {
  if (d.hour === null) return 0
  const h = d.hour
  if (h < 0 || h > 24 || d.minute > 59 || d.second > 60 || (h === 24 && (d.minute > 0 || d.second > 0 || d.micros > 0))) throw rangeError(input)
  return h * USECS_PER_HOUR + d.minute * USECS_PER_MINUTE + d.second * USECS_PER_SEC + d.micros
}

function nowMicros(ctx: DateTimeParseContext | undefined): number {
  return ctx?.now ?? Date.now() * 1000
}

function todayLocal(ctx: DateTimeParseContext | undefined): number {
  const local = utcToLocal(nowMicros(ctx), ctx?.timezone ?? 'UTC')
  return splitTimestamp(local).days
}

/** Parses date text (`2024-01-05`, `20240105`, `January 5, 2024`, `1/5/2024`, `epoch`, `infinity`, …) to days since 1970. */
export function parseDate(input: string, ctx?: DateTimeParseContext): number {
  const d = decode(input, 'date')
  switch (d.special) {
    case 'epoch':
      return 0
    case 'infinity':
      return DATE_POS_INF
    case '-infinity':
      return DATE_NEG_INF
    case 'now':
    case 'today':
      return todayLocal(ctx)
    case 'tomorrow':
      return todayLocal(ctx) + 1
    case 'yesterday':
      return todayLocal(ctx) - 1
    case null:
      break
  }
  if (d.year === null || d.month === null || d.day === null) throw syntaxError('date', input)
  const days = checkDateFields(d, input)
  timeOfDay(d, input)
  if (days < DATE_MIN_DAYS || days >= DATE_END_DAYS) throw execError(SqlState.datetimeFieldOverflow, `date out of range: "${input}"`)
  return days
}

function parseTs(input: string, withZone: boolean, ctx: DateTimeParseContext | undefined): number {
  const typeName = withZone ? 'timestamp with time zone' : 'timestamp'
  const d = decode(input, typeName)
  const tz = ctx?.timezone ?? 'UTC'
  const fromLocal = (local: number): number => (withZone ? localToUtc(local, tz) : local)
  switch (d.special) {
    case 'epoch':
      return 0
    case 'infinity':
      return Infinity
    case '-infinity':
      return -Infinity
    case 'now':
      if (withZone) return nowMicros(ctx)
      return utcToLocal(nowMicros(ctx), tz)
    case 'today':
    case 'tomorrow':
    case 'yesterday': {
      const base = todayLocal(ctx) + (d.special === 'tomorrow' ? 1 : d.special === 'yesterday' ? -1 : 0)
      return fromLocal(base * USECS_PER_DAY + timeOfDay(d, input))
    }
    case null:
      break
  }
  if (d.year === null || d.month === null || d.day === null) throw syntaxError(typeName, input)
  const days = checkDateFields(d, input)
  const time = timeOfDay(d, input)
  const local = days * USECS_PER_DAY + time
  let t: number
  if (!withZone) t = local
  else if (d.tz === null) t = localToUtc(local, tz)
  else if (typeof d.tz === 'number') t = local - d.tz * USECS_PER_SEC
  else t = localToUtc(local, d.tz)
  if (t < TS_MIN_MICROS || t >= TS_END_MICROS) throw execError(SqlState.datetimeFieldOverflow, `timestamp out of range: "${input}"`)
  if (!Number.isSafeInteger(t) && !exactMicros(days, time, t, local)) {
    throw new NotImplementedError(`timestamp "${input}" is not supported: Flint keeps timestamps to the microsecond only within 2^53 microseconds of 1970`)
  }
  return t
}

/**
 * Whether a timestamp beyond ±2^53 microseconds (about years 1685 and 2255) is exact in a double:
 * the local value days·86400·10^6 + time must be, and a time zone offset (whole seconds) keeps a
 * whole-second value exact below 2^59.
 */
function exactMicros(days: number, time: number, t: number, local: number): boolean {
  if (BigInt(days) * BigInt(USECS_PER_DAY) + BigInt(time) !== BigInt(local)) return false
  return t === local || (local % USECS_PER_SEC === 0 && Math.abs(t) < 2 ** 59)
}

/** Parses timestamp text (a zone in the text is ignored, as PostgreSQL does) to microseconds. */
export const parseTimestamp = (input: string, ctx?: DateTimeParseContext): number => parseTs(input, false, ctx)

/** Parses timestamptz text to UTC microseconds (no zone in the text = the session TimeZone). */
export const parseTimestamptz = (input: string, ctx?: DateTimeParseContext): number => parseTs(input, true, ctx)

/** Parses time text (`10:00`, `10:00:00.5`, `10am`, `allballs`; a date or zone is ignored) to microseconds since midnight. */
export function parseTime(input: string, ctx?: DateTimeParseContext): number {
  const d = decode(input, 'time')
  if (d.special === 'now') return splitTimestamp(utcToLocal(nowMicros(ctx), ctx?.timezone ?? 'UTC')).time
  if (d.special !== null) throw syntaxError('time', input)
  if (d.hour === null) throw syntaxError('time', input)
  if (d.year !== null && d.month !== null && d.day !== null) checkDateFields(d, input)
  return timeOfDay(d, input)
}

// ---------------------------------------------------------------------------------------------
// Intervals

type Unit = 'microsecond' | 'millisecond' | 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year' | 'decade' | 'century' | 'millennium'

const unitNames = new Map<string, Unit>()
const addUnits = (u: Unit, names: string[]): void => names.forEach((nm) => unitNames.set(nm, u))
addUnits('microsecond', ['microsecond', 'microseconds', 'microsecon', 'us', 'usec', 'usecs', 'useconds', 'usecond'])
addUnits('millisecond', ['millisecond', 'milliseconds', 'millisecon', 'ms', 'msec', 'msecs', 'mseconds', 'msecond'])
addUnits('second', ['s', 'sec', 'secs', 'second', 'seconds'])
addUnits('minute', ['m', 'min', 'mins', 'minute', 'minutes'])
addUnits('hour', ['h', 'hr', 'hrs', 'hour', 'hours'])
addUnits('day', ['d', 'day', 'days'])
addUnits('week', ['w', 'week', 'weeks'])
addUnits('month', ['mon', 'mons', 'month', 'months'])
addUnits('year', ['y', 'yr', 'yrs', 'year', 'years'])
addUnits('decade', ['dec', 'decs', 'decade', 'decades'])
addUnits('century', ['c', 'cent', 'century', 'centuries'])
addUnits('millennium', ['mil', 'mils', 'millennium', 'millennia', 'millenniums'])

/** Interval parts being accumulated (PG's pg_itm_in). */
interface IntervalAcc {
  months: number
  days: number
  micros: number
}

function addFractSeconds(acc: IntervalAcc, frac: number, scaleSeconds: number): void {
  if (frac === 0) return
  const sec = frac * scaleSeconds
  const whole = Math.trunc(sec)
  acc.micros += whole * USECS_PER_SEC + rint((sec - whole) * 1e6)
}

function addFractDays(acc: IntervalAcc, frac: number, scaleDays: number): void {
  if (frac === 0) return
  const extra = frac * scaleDays
  const whole = Math.trunc(extra)
  acc.days += whole
  addFractSeconds(acc, extra - whole, 86400)
}

/** Applies value × unit to the accumulator with PostgreSQL's spill of fractions into smaller units. */
function applyUnit(acc: IntervalAcc, unit: Unit, value: number): void {
  const val = Math.trunc(value)
  const fval = value - val
  switch (unit) {
    case 'microsecond':
      acc.micros += rint(value)
      break
    case 'millisecond':
      acc.micros += rint(value * 1000)
      break
    case 'second':
      acc.micros += val * USECS_PER_SEC + rint(fval * 1e6)
      break
    case 'minute':
      acc.micros += val * USECS_PER_MINUTE
      addFractSeconds(acc, fval, 60)
      break
    case 'hour':
      acc.micros += val * USECS_PER_HOUR
      addFractSeconds(acc, fval, 3600)
      break
    case 'day':
      acc.days += val
      addFractSeconds(acc, fval, 86400)
      break
    case 'week':
      acc.days += val * 7
      addFractDays(acc, fval, 7)
      break
    case 'month':
      acc.months += val
      addFractDays(acc, fval, 30)
      break
    case 'year':
      acc.months += val * 12 + rint(fval * 12)
      break
    case 'decade':
      acc.months += val * 120 + rint(fval * 120)
      break
    case 'century':
      acc.months += val * 1200 + rint(fval * 1200)
      break
    case 'millennium':
      acc.months += val * 12000 + rint(fval * 12000)
      break
  }
}

const unitMask: Record<Unit, number> = {
  microsecond: 1,
  millisecond: 2,
  second: 4,
  minute: 8,
  hour: 16,
  day: 32,
  week: 32,
  month: 64,
  year: 128,
  decade: 256,
  century: 512,
  millennium: 1024,
}
const TIME_MASK = 1 | 2 | 4 | 8 | 16

/** Parses `h:m[:s[.f]]` (or `m:s.f`) with an optional sign into microseconds; null when malformed. */
function parseIntervalTime(text: string): number | null {
  let sign = 1
  let s = text
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1
    s = s.slice(1)
  }
  const parts = s.split(':')
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^\d*(\.\d*)?$/.test(p) || p === '')) return null
  let h: number
  let m: number
  let sec: number
  if (parts.length === 2 && parts[1]!.includes('.')) {
    h = 0
    m = Number(parts[0])
    sec = Number(parts[1])
  } else {
    if (parts[0]!.includes('.') || parts[1]!.includes('.')) return null
    h = Number(parts[0])
    m = Number(parts[1])
    sec = parts.length === 3 ? Number(parts[2]) : 0
  }
  if (m > 59 || sec >= 60) return NaN
  const wholeSec = Math.trunc(sec)
  return sign * (h * USECS_PER_HOUR + m * USECS_PER_MINUTE + wholeSec * USECS_PER_SEC + rint((sec - wholeSec) * 1e6))
}

function parseIsoInterval(s: string, acc: IntervalAcc): boolean {
  // alternative format P0001-02-03T04:05:06
  const alt = /^p(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?))?$/.exec(s)
  if (alt !== null) {
    applyUnit(acc, 'year', Number(alt[1]))
    applyUnit(acc, 'month', Number(alt[2]))
    applyUnit(acc, 'day', Number(alt[3]))
    if (alt[4] !== undefined) {
      applyUnit(acc, 'hour', Number(alt[4]))
      applyUnit(acc, 'minute', Number(alt[5]))
      applyUnit(acc, 'second', Number(alt[6]))
    }
    return true
  }
  let i = 1
  let inTime = false
  let any = false
  while (i < s.length) {
    if (s[i] === 't') {
      if (inTime) return false
      inTime = true
      i++
      continue
    }
    const m = /^[+-]?(\d+(\.\d*)?|\.\d+)/.exec(s.slice(i))
    if (m === null) return false
    i += m[0].length
    const u = s[i]
    i++
    const v = Number(m[0])
    let unit: Unit
    if (!inTime) {
      if (u === 'y') unit = 'year'
      else if (u === 'm') unit = 'month'
      else if (u === 'w') unit = 'week'
      else if (u === 'd') unit = 'day'
      else return false
    } else if (u === 'h') unit = 'hour'
    else if (u === 'm') unit = 'minute'
    else if (u === 's') unit = 'second'
    else return false
    applyUnit(acc, unit, v)
    any = true
  }
  return any || inTime
}

/**
 * Parses interval text: PostgreSQL's verbose form (`1 day 2 hours`, `-1 year +3 mons`, `@ 1 day
 * ago`, fractional units spilling into smaller ones), times (`10:00:00`, `1 2:03:04`), SQL
 * standard year-month (`1-2`) and ISO 8601 (`P1Y2M3DT4H5M6S`).
 */
export function parseInterval(input: string): IntervalValue {
  const bad = (): Error => syntaxError('interval', input)
  const s = input.trim().toLowerCase()
  if (s.length === 0) throw bad()
  const acc: IntervalAcc = { months: 0, days: 0, micros: 0 }
  if (s[0] === 'p') {
    if (!parseIsoInterval(s, acc)) throw bad()
    return finishInterval(acc, input)
  }
  // split into fields: numbers (with glued units), units, times, year-month
  const fields: string[] = []
  for (const chunk of s.split(/[\s,]+/)) {
    if (chunk === '' || chunk === '@') continue
    const glued = /^([+-]?(?:\d+\.?\d*|\.\d+))([a-z]+)$/.exec(chunk)
    if (glued !== null) fields.push(glued[1]!, glued[2]!)
    else fields.push(chunk.startsWith('@') ? chunk.slice(1) : chunk)
  }
  let ago = false
  let fmask = 0
  let nextUnit: Unit | 'time-day' | null = null
  for (let k = fields.length - 1; k >= 0; k--) {
    const f = fields[k]!
    if (/^[a-z]+$/.test(f)) {
      if (f === 'ago') {
        if (k !== fields.length - 1 || ago) throw bad()
        ago = true
        continue
      }
      const u = unitNames.get(f)
      if (u === undefined || (nextUnit !== null && nextUnit !== 'time-day')) throw bad()
      nextUnit = u
      continue
    }
    if (f.includes(':')) {
      if (nextUnit !== null) throw bad()
      const us = parseIntervalTime(f)
      if (Number.isNaN(us)) throw execError('22015', `interval field value out of range: "${input}"`)
      if (us === null || fmask & TIME_MASK) throw bad()
      fmask |= TIME_MASK
      acc.micros += us
      nextUnit = 'time-day'
      continue
    }
    const ym = /^([+-]?)(\d+)-(\d+)$/.exec(f)
    if (ym !== null) {
      if (nextUnit !== null && nextUnit !== 'time-day') throw bad()
      if (fmask & (unitMask.year | unitMask.month)) throw bad()
      fmask |= unitMask.year | unitMask.month
      const sign = ym[1] === '-' ? -1 : 1
      acc.months += sign * (Number(ym[2]) * 12 + Number(ym[3]))
      nextUnit = null
      continue
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(f)) throw bad()
    const v = Number(f)
    let unit: Unit
    if (nextUnit === null) unit = 'second'
    else if (nextUnit === 'time-day') unit = 'day'
    else unit = nextUnit
    let mask = unitMask[unit]
    if (unit === 'second' && !Number.isInteger(v)) mask |= unitMask.millisecond | unitMask.microsecond
    if (fmask & mask) throw bad()
    fmask |= mask
    applyUnit(acc, unit, v)
    nextUnit = null
  }
  if (nextUnit !== null && nextUnit !== 'time-day') throw bad()
  if (fmask === 0) throw bad()
  if (ago) {
    acc.months = -acc.months
    acc.days = -acc.days
    acc.micros = -acc.micros
  }
  return finishInterval(acc, input)
}

function finishInterval(acc: IntervalAcc, input: string): IntervalValue {
  if (Math.abs(acc.months) > 2147483647 || Math.abs(acc.days) > 2147483647) {
    throw execError(SqlState.datetimeFieldOverflow, `interval field value out of range: "${input}"`)
  }
  if (!Number.isFinite(acc.micros) || Math.abs(acc.micros) > 9.2233720368547758e18) throw execError(SqlState.datetimeFieldOverflow, 'interval out of range')
  return { months: acc.months + 0, days: acc.days + 0, micros: acc.micros + 0 }
}
