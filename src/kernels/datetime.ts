/**
 * Calendar and clock math on Flint's raw date/time representations (see common/types.ts):
 * date = days since 1970-01-01 (Int32, ±2^31 sentinels for ±infinity), timestamp/timestamptz =
 * microseconds since 1970-01-01 00:00 (±Infinity for ±infinity), time = microseconds since midnight,
 * interval = (months, days, microseconds). Proleptic Gregorian calendar with astronomical years
 * (year 0 = 1 BC), time zones through Intl with per-zone offset caches.
 */
import { addDecimal, divDecimal, formatDecimal } from '../common/decimal.js'
import { execError, SqlState } from '../common/errors.js'

/** Microseconds in a second. */
export const USECS_PER_SEC = 1_000_000
/** Microseconds in a minute. */
export const USECS_PER_MINUTE = 60_000_000
/** Microseconds in an hour. */
export const USECS_PER_HOUR = 3_600_000_000
/** Microseconds in a day. */
export const USECS_PER_DAY = 86_400_000_000
/** The date value that means -infinity. */
export const DATE_NEG_INF = -2147483648
/** The date value that means infinity. */
export const DATE_POS_INF = 2147483647
/** Julian day number of 1970-01-01. */
export const UNIX_EPOCH_JDATE = 2440588
/** Days since 1970 of PostgreSQL's earliest date, 4714-11-24 BC (Julian day 0). */
export const DATE_MIN_DAYS = -UNIX_EPOCH_JDATE

/** Days since 1970-01-01 of a proleptic Gregorian date (astronomical year: 0 = 1 BC). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** Year (astronomical), month (1-12) and day of a day number. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

/** Days since 1970 of PostgreSQL's end of dates (5874898-01-01, exclusive). */
export const DATE_END_DAYS = daysFromCivil(5874898, 1, 1)
/** First timestamp PostgreSQL accepts (4714-11-24 00:00 BC). */
export const TS_MIN_MICROS = DATE_MIN_DAYS * USECS_PER_DAY
/** End of PostgreSQL's timestamp range (294277-01-01 00:00, exclusive). */
export const TS_END_MICROS = daysFromCivil(294277, 1, 1) * USECS_PER_DAY

/** True in leap years (astronomical numbering). */
export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
/** Days in a month of a year. */
export const daysInMonth = (y: number, m: number): number => (m === 2 && isLeapYear(y) ? 29 : monthDays[m - 1]!)

/** True when a date value is one of the infinities. */
export const isInfiniteDate = (d: number): boolean => d === DATE_NEG_INF || d === DATE_POS_INF

/** Splits microseconds since the epoch into a day number and microseconds into that day. */
export function splitTimestamp(t: number): { days: number; time: number } {
  const days = Math.floor(t / USECS_PER_DAY)
  return { days, time: t - days * USECS_PER_DAY }
}

/** Broken-down timestamp. `year` is astronomical (0 = 1 BC). */
export interface DateTimeFields {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  micros: number
}

/** Breaks microseconds since the epoch into calendar fields. */
export function timestampToFields(t: number): DateTimeFields {
  const { days, time } = splitTimestamp(t)
  const [year, month, day] = civilFromDays(days)
  const us = Math.round(time)
  const hour = Math.floor(us / USECS_PER_HOUR)
  const minute = Math.floor((us % USECS_PER_HOUR) / USECS_PER_MINUTE)
  const second = Math.floor((us % USECS_PER_MINUTE) / USECS_PER_SEC)
  return { year, month, day, hour, minute, second, micros: us % USECS_PER_SEC }
}

/** Microseconds since the epoch of calendar fields (no range checks). */
export const fieldsToTimestamp = (f: DateTimeFields): number =>
  daysFromCivil(f.year, f.month, f.day) * USECS_PER_DAY + f.hour * USECS_PER_HOUR + f.minute * USECS_PER_MINUTE + f.second * USECS_PER_SEC + f.micros

// ---------------------------------------------------------------------------------------------
// Time zones

interface Zone {
  /** Fixed offset in seconds east of UTC, or null for a zone with rules. */
  readonly fixed: number | null
  readonly fmt: Intl.DateTimeFormat | null
  readonly cache: Map<number, number>
}

const zones = new Map<string, Zone>()

/** Fixed-offset zone abbreviations PostgreSQL's default abbreviation set knows (seconds east of UTC). */
export const zoneAbbreviations: ReadonlyMap<string, number> = new Map([
  ['utc', 0],
  ['gmt', 0],
  ['z', 0],
  ['zulu', 0],
  ['ut', 0],
  ['est', -5 * 3600],
  ['edt', -4 * 3600],
  ['cst', -6 * 3600],
  ['cdt', -5 * 3600],
  ['mst', -7 * 3600],
  ['mdt', -6 * 3600],
  ['pst', -8 * 3600],
  ['pdt', -7 * 3600],
  ['akst', -9 * 3600],
  ['akdt', -8 * 3600],
  ['hst', -10 * 3600],
  ['ast', -4 * 3600],
  ['adt', -3 * 3600],
  ['nst', -(3 * 3600 + 1800)],
  ['ndt', -(2 * 3600 + 1800)],
  ['wet', 0],
  ['west', 3600],
  ['bst', 3600],
  ['cet', 3600],
  ['cest', 7200],
  ['met', 3600],
  ['mest', 7200],
  ['eet', 7200],
  ['eest', 3 * 3600],
  ['msk', 3 * 3600],
  ['ist', 7200],
  ['jst', 9 * 3600],
  ['kst', 9 * 3600],
  ['hkt', 8 * 3600],
  ['sgt', 8 * 3600],
  ['awst', 8 * 3600],
  ['acst', 9 * 3600 + 1800],
  ['acdt', 10 * 3600 + 1800],
  ['aest', 10 * 3600],
  ['aedt', 11 * 3600],
  ['nzst', 12 * 3600],
  ['nzdt', 13 * 3600],
])

function zoneFor(tz: string): Zone {
  const hit = zones.get(tz)
  if (hit) return hit
  let zone: Zone
  const lower = tz.toLowerCase()
  const abbrev = zoneAbbreviations.get(lower)
  if (abbrev !== undefined && !tz.includes('/')) zone = { fixed: abbrev, fmt: null, cache: new Map() }
  else {
    let fmt: Intl.DateTimeFormat
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw execError(SqlState.invalidParameterValue, `time zone "${tz}" not recognized`)
    }
    const resolved = fmt.resolvedOptions().timeZone
    zone = resolved === 'UTC' || resolved === 'Etc/UTC' ? { fixed: 0, fmt: null, cache: new Map() } : { fixed: null, fmt, cache: new Map() }
  }
  zones.set(tz, zone)
  return zone
}

/** Throws 22023 unless `tz` names a time zone Flint knows. */
export function checkTimeZone(tz: string): void {
  zoneFor(tz)
}

/** True when the name is a zone (IANA name or known abbreviation). */
export function isTimeZoneName(tz: string): boolean {
  try {
    zoneFor(tz)
    return true
  } catch {
    return false
  }
}

const MIN_INTL_MS = Date.UTC(1800, 0, 1)
const MAX_INTL_MS = 8.64e15 - 2 * 86400000

function intlOffsetSeconds(fmt: Intl.DateTimeFormat, ms: number): number {
  const parts = fmt.formatToParts(ms)
  let y = 0
  let mo = 0
  let d = 0
  let h = 0
  let mi = 0
  let s = 0
  for (const p of parts) {
    switch (p.type) {
      case 'year':
        y = Number(p.value)
        break
      case 'month':
        mo = Number(p.value)
        break
      case 'day':
        d = Number(p.value)
        break
      case 'hour':
        h = Number(p.value)
        break
      case 'minute':
        mi = Number(p.value)
        break
      case 'second':
        s = Number(p.value)
        break
      default:
        break
    }
  }
  const local = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s
  return local - Math.floor(ms / 1000)
}

/** Offset of a zone from UTC, in seconds east, at an instant (microseconds since the epoch, UTC). */
export function zoneOffset(tz: string, utcMicros: number): number {
  const zone = zoneFor(tz)
  if (zone.fixed !== null) return zone.fixed
  let ms = Math.floor(utcMicros / 1000)
  if (!(ms >= MIN_INTL_MS)) ms = MIN_INTL_MS
  else if (ms > MAX_INTL_MS) ms = MAX_INTL_MS
  const bucket = Math.floor(ms / 3_600_000)
  const cached = zone.cache.get(bucket)
  if (cached !== undefined) return cached
  const fmt = zone.fmt!
  const off = intlOffsetSeconds(fmt, ms)
  const start = bucket * 3_600_000
  if (intlOffsetSeconds(fmt, start) === off && intlOffsetSeconds(fmt, start + 3_599_999) === off) {
    if (zone.cache.size > 200_000) zone.cache.clear()
    zone.cache.set(bucket, off)
  }
  return off
}

/** Local wall-clock microseconds of a UTC instant in a zone. */
export function utcToLocal(utcMicros: number, tz: string): number {
  if (!Number.isFinite(utcMicros)) return utcMicros
  return utcMicros + zoneOffset(tz, utcMicros) * USECS_PER_SEC
}

/**
 * The UTC instant of a local wall-clock time in a zone, resolving transitions as PostgreSQL does:
 * a time skipped by a spring-forward jump uses the offset before it, an ambiguous time after a
 * fall-back uses the offset after it.
 */
export function localToUtc(localMicros: number, tz: string): number {
  if (!Number.isFinite(localMicros)) return localMicros
  const zone = zoneFor(tz)
  if (zone.fixed !== null) return localMicros - zone.fixed * USECS_PER_SEC
  const offBefore = zoneOffset(tz, localMicros - USECS_PER_DAY)
  const offAfter = zoneOffset(tz, localMicros + USECS_PER_DAY)
  if (offBefore === offAfter) {
    const t = localMicros - offBefore * USECS_PER_SEC
    const actual = zoneOffset(tz, t)
    if (actual === offBefore) return t
    const t2 = localMicros - actual * USECS_PER_SEC
    return zoneOffset(tz, t2) === actual ? t2 : t
  }
  const tBefore = localMicros - offBefore * USECS_PER_SEC
  const tAfter = localMicros - offAfter * USECS_PER_SEC
  const beforeValid = zoneOffset(tz, tBefore) === offBefore
  const afterValid = zoneOffset(tz, tAfter) === offAfter
  if (afterValid) return tAfter
  if (beforeValid) return tBefore
  return tBefore
}

/** Abbreviation-free offset text as PostgreSQL prints it: `+00`, `+05:30`, `-04:56:02`. */
export function formatOffset(offsetSeconds: number): string {
  const sign = offsetSeconds < 0 ? '-' : '+'
  const a = Math.abs(offsetSeconds)
  const h = Math.floor(a / 3600)
  const m = Math.floor((a % 3600) / 60)
  const s = a % 60
  let out = sign + pad2(h)
  if (m !== 0 || s !== 0) out += ':' + pad2(m)
  if (s !== 0) out += ':' + pad2(s)
  return out
}

// ---------------------------------------------------------------------------------------------
// Text output

/** Two-digit zero padding. */
export const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n))

function padYear(y: number): string {
  const s = String(y)
  return s.length >= 4 ? s : '0'.repeat(4 - s.length) + s
}

/** `YYYY-MM-DD` of a day number (with ` BC` for years before 1). */
export function formatDate(days: number): string {
  if (days === DATE_NEG_INF) return '-infinity'
  if (days === DATE_POS_INF) return 'infinity'
  const [y, m, d] = civilFromDays(days)
  const bc = y <= 0
  return padYear(bc ? 1 - y : y) + '-' + pad2(m) + '-' + pad2(d) + (bc ? ' BC' : '')
}

/** `SS[.ffffff]` with trailing fractional zeros trimmed. */
function formatSeconds(sec: number, micros: number): string {
  let out = pad2(sec)
  if (micros !== 0) {
    let f = String(micros).padStart(6, '0')
    let end = f.length
    while (end > 0 && f.charCodeAt(end - 1) === 48) end--
    f = f.slice(0, end)
    out += '.' + f
  }
  return out
}

/** `HH:MM:SS[.ffffff]` of microseconds since midnight. */
export function formatTime(micros: number): string {
  const us = Math.round(micros)
  const h = Math.floor(us / USECS_PER_HOUR)
  const m = Math.floor((us % USECS_PER_HOUR) / USECS_PER_MINUTE)
  const s = Math.floor((us % USECS_PER_MINUTE) / USECS_PER_SEC)
  return pad2(h) + ':' + pad2(m) + ':' + formatSeconds(s, us % USECS_PER_SEC)
}

function formatFields(f: DateTimeFields, offset: string): string {
  const bc = f.year <= 0
  return (
    padYear(bc ? 1 - f.year : f.year) +
    '-' +
    pad2(f.month) +
    '-' +
    pad2(f.day) +
    ' ' +
    pad2(f.hour) +
    ':' +
    pad2(f.minute) +
    ':' +
    formatSeconds(f.second, f.micros) +
    offset +
    (bc ? ' BC' : '')
  )
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` of a timestamp. */
export function formatTimestamp(t: number): string {
  if (t === -Infinity) return '-infinity'
  if (t === Infinity) return 'infinity'
  return formatFields(timestampToFields(t), '')
}

/** A timestamptz in the given zone with its offset: `2024-01-05 10:00:00+00`. */
export function formatTimestamptz(t: number, tz: string): string {
  if (t === -Infinity) return '-infinity'
  if (t === Infinity) return 'infinity'
  const off = zoneOffset(tz, t)
  return formatFields(timestampToFields(t + off * USECS_PER_SEC), formatOffset(off))
}

/** An interval in PostgreSQL's default `postgres` IntervalStyle. */
export function formatInterval(months: number, days: number, micros: number): string {
  const year = Math.trunc(months / 12)
  const mon = months - year * 12
  let out = ''
  let isZero = true
  let isBefore = false
  const part = (value: number, unit: string): void => {
    if (value === 0) return
    out += (isZero ? '' : ' ') + (isBefore && value > 0 ? '+' : '') + value + ' ' + unit + (value !== 1 ? 's' : '')
    isBefore = value < 0
    isZero = false
  }
  part(year, 'year')
  part(mon, 'mon')
  part(days, 'day')
  const us = Math.round(micros)
  if (isZero || us !== 0) {
    const minus = us < 0
    const a = Math.abs(us)
    const h = Math.floor(a / USECS_PER_HOUR)
    const m = Math.floor((a % USECS_PER_HOUR) / USECS_PER_MINUTE)
    const s = Math.floor((a % USECS_PER_MINUTE) / USECS_PER_SEC)
    out += (isZero ? '' : ' ') + (minus ? '-' : isBefore ? '+' : '') + pad2(h) + ':' + pad2(m) + ':' + formatSeconds(s, a % USECS_PER_SEC)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

const timestampOutOfRange = (): Error => execError(SqlState.datetimeFieldOverflow, 'timestamp out of range')
const intervalOutOfRange = (): Error => execError(SqlState.datetimeFieldOverflow, 'interval out of range')

function checkTimestamp(t: number): number {
  if (!(t >= TS_MIN_MICROS && t < TS_END_MICROS)) throw timestampOutOfRange()
  return t
}

/** Adds months to a local timestamp, clamping the day to the month's end (PostgreSQL's rule). */
function addMonths(t: number, months: number): number {
  if (months === 0) return t
  const { days, time } = splitTimestamp(t)
  const [y, m, d] = civilFromDays(days)
  const total = y * 12 + (m - 1) + months
  const ny = Math.floor(total / 12)
  const nm = total - ny * 12 + 1
  const nd = Math.min(d, daysInMonth(ny, nm))
  return daysFromCivil(ny, nm, nd) * USECS_PER_DAY + time
}

/** timestamp + interval: months (clamped to month end), then days, then microseconds. */
export function timestampPlusInterval(t: number, months: number, days: number, micros: number): number {
  if (!Number.isFinite(t)) return t
  return checkTimestamp(addMonths(t, months) + days * USECS_PER_DAY + micros)
}

/** timestamptz + interval: months and days step in local time of `tz`, microseconds in absolute time. */
export function timestamptzPlusInterval(t: number, months: number, days: number, micros: number, tz: string): number {
  if (!Number.isFinite(t)) return t
  let r = t
  if (months !== 0 || days !== 0) r = localToUtc(addMonths(utcToLocal(t, tz), months) + days * USECS_PER_DAY, tz)
  return checkTimestamp(r + micros)
}

/** timestamp - timestamp as PostgreSQL returns it: microseconds justified into days. */
export function timestampDiff(a: number, b: number): [number, number, number] {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw intervalOutOfRange()
  return justifyHours(0, 0, a - b)
}

/** justify_hours: whole 24-hour periods become days. */
export function justifyHours(months: number, days: number, micros: number): [number, number, number] {
  const whole = Math.trunc(micros / USECS_PER_DAY)
  let time = micros - whole * USECS_PER_DAY
  let day = days + whole
  if (day > 0 && time < 0) {
    time += USECS_PER_DAY
    day--
  } else if (day < 0 && time > 0) {
    time -= USECS_PER_DAY
    day++
  }
  return [months, day + 0, time + 0]
}

/** justify_days: whole 30-day periods become months. */
export function justifyDays(months: number, days: number, micros: number): [number, number, number] {
  const whole = Math.trunc(days / 30)
  let day = days - whole * 30
  let month = months + whole
  if (month > 0 && day < 0) {
    day += 30
    month--
  } else if (month < 0 && day > 0) {
    day -= 30
    month++
  }
  return [month + 0, day + 0, micros]
}

/** justify_interval: both justifications with consistent signs. */
export function justifyInterval(months: number, days: number, micros: number): [number, number, number] {
  let month = months
  let day = days
  let time = micros
  if ((day > 0 && time > 0) || (day < 0 && time < 0)) {
    const wm = Math.trunc(day / 30)
    day -= wm * 30
    month += wm
  }
  const wd = Math.trunc(time / USECS_PER_DAY)
  time -= wd * USECS_PER_DAY
  day += wd
  const wm = Math.trunc(day / 30)
  day -= wm * 30
  month += wm
  if (month > 0 && (day < 0 || (day === 0 && time < 0))) {
    day += 30
    month--
  } else if (month < 0 && (day > 0 || (day === 0 && time > 0))) {
    day -= 30
    month++
  }
  if (day > 0 && time < 0) {
    time += USECS_PER_DAY
    day--
  } else if (day < 0 && time > 0) {
    time -= USECS_PER_DAY
    day++
  }
  return [month + 0, day + 0, time + 0]
}

const rint = (x: number): number => {
  const r = Math.round(x)
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
}
const tsRound = (x: number): number => rint(x * 1e6) / 1e6

/** interval × factor with PostgreSQL's cascade of fractional months and days. */
export function intervalMul(months: number, days: number, micros: number, factor: number): [number, number, number] {
  if (Number.isNaN(factor)) throw intervalOutOfRange()
  return intervalScale(months * factor, days * factor, micros * factor)
}

/** interval / factor; 22012 on zero. */
export function intervalDiv(months: number, days: number, micros: number, factor: number): [number, number, number] {
  if (factor === 0) throw execError(SqlState.divisionByZero, 'division by zero')
  if (Number.isNaN(factor)) throw intervalOutOfRange()
  return intervalScale(months / factor, days / factor, micros / factor)
}

function intervalScale(mf: number, df: number, tf: number): [number, number, number] {
  const month = Math.trunc(mf)
  let day = Math.trunc(df)
  if (!Number.isFinite(mf) || !Number.isFinite(df) || Math.abs(mf) > 2147483647 || Math.abs(df) > 2147483647) throw intervalOutOfRange()
  const monthRemainderDays = tsRound((mf - month) * 30)
  let secRemainder = tsRound((df - day + monthRemainderDays - Math.trunc(monthRemainderDays)) * 86400)
  if (Math.abs(secRemainder) >= 86400) {
    const wd = Math.trunc(secRemainder / 86400)
    day += wd
    secRemainder -= wd * 86400
  }
  day += Math.trunc(monthRemainderDays)
  const time = rint(tf + secRemainder * USECS_PER_SEC)
  if (!Number.isFinite(time)) throw intervalOutOfRange()
  return [month + 0, day + 0, time + 0]
}

/** PostgreSQL's interval ordering key (30-day months, 24-hour days), as a BigInt when beyond 2^53. */
export function intervalKey(months: number, days: number, micros: number): number | bigint {
  const k = (months * 30 + days) * USECS_PER_DAY + micros
  if (Math.abs(k) < 2 ** 53) return k
  return (BigInt(months) * 30n + BigInt(days)) * 86_400_000_000n + BigInt(Math.round(micros))
}

/** Three-way interval comparison (PostgreSQL's interval_cmp). */
export function compareIntervals(a: readonly [number, number, number], b: readonly [number, number, number]): number {
  const x = intervalKey(a[0], a[1], a[2])
  const y = intervalKey(b[0], b[1], b[2])
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0
  const bx = BigInt(x)
  const by = BigInt(y)
  return bx < by ? -1 : bx > by ? 1 : 0
}

/** age(a, b): a symbolic years/months/days/time difference with PostgreSQL's borrowing. */
export function age(a: number, b: number): [number, number, number] {
  if (!Number.isFinite(a) || !Number.isFinite(b)) throw intervalOutOfRange()
  const f1 = timestampToFields(a)
  const f2 = timestampToFields(b)
  const neg = a < b
  const s = neg ? -1 : 1
  let us = s * (f1.micros - f2.micros)
  let sec = s * (f1.second - f2.second)
  let min = s * (f1.minute - f2.minute)
  let hour = s * (f1.hour - f2.hour)
  let mday = s * (f1.day - f2.day)
  let mon = s * (f1.month - f2.month)
  let year = s * (f1.year - f2.year)
  while (us < 0) {
    us += USECS_PER_SEC
    sec--
  }
  while (sec < 0) {
    sec += 60
    min--
  }
  while (min < 0) {
    min += 60
    hour--
  }
  while (hour < 0) {
    hour += 24
    mday--
  }
  while (mday < 0) {
    const ref = neg ? f1 : f2
    mday += daysInMonth(ref.year, ref.month)
    mon--
  }
  while (mon < 0) {
    mon += 12
    year--
  }
  const months = s * (year * 12 + mon)
  const days = s * mday
  const micros = s * (((hour * 60 + min) * 60 + sec) * USECS_PER_SEC + us)
  return [months + 0, days + 0, micros + 0]
}

// ---------------------------------------------------------------------------------------------
// date_trunc and extract

/** Normalises a unit name as PostgreSQL's DecodeUnits does (plural and abbreviated forms). */
export function normalizeUnit(raw: string): string | null {
  const u = raw.trim().toLowerCase()
  const table: Record<string, string> = {
    microsecond: 'microseconds', microseconds: 'microseconds', us: 'microseconds', usec: 'microseconds', usecs: 'microseconds', useconds: 'microseconds', usecond: 'microseconds', microsecon: 'microseconds',
    millisecond: 'milliseconds', milliseconds: 'milliseconds', ms: 'milliseconds', msec: 'milliseconds', msecs: 'milliseconds', mseconds: 'milliseconds', msecond: 'milliseconds', millisecon: 'milliseconds',
    second: 'second', seconds: 'second', s: 'second', sec: 'second', secs: 'second',
    minute: 'minute', minutes: 'minute', m: 'minute', min: 'minute', mins: 'minute',
    hour: 'hour', hours: 'hour', h: 'hour', hr: 'hour', hrs: 'hour',
    day: 'day', days: 'day', d: 'day',
    week: 'week', weeks: 'week', w: 'week',
    month: 'month', months: 'month', mon: 'month', mons: 'month',
    quarter: 'quarter', qtr: 'quarter',
    year: 'year', years: 'year', y: 'year', yr: 'year', yrs: 'year',
    decade: 'decade', decades: 'decade', dec: 'decade', decs: 'decade',
    century: 'century', centuries: 'century', c: 'century', cent: 'century',
    millennium: 'millennium', millennia: 'millennium', mil: 'millennium', mils: 'millennium', millenniums: 'millennium',
    epoch: 'epoch', julian: 'julian', j: 'julian', dow: 'dow', isodow: 'isodow', doy: 'doy', isoyear: 'isoyear',
    timezone: 'timezone', timezone_hour: 'timezone_hour', timezone_minute: 'timezone_minute', timezone_m: 'timezone_minute', timezone_h: 'timezone_hour',
  }
  return table[u] ?? null
}

/** Day number of the Monday starting ISO week 1 of an ISO year. */
function isoWeek1Start(isoYear: number): number {
  const jan4 = daysFromCivil(isoYear, 1, 4)
  const dow = (((jan4 + 4) % 7) + 7) % 7 // 0 = Sunday
  return jan4 - ((dow + 6) % 7)
}

/** ISO year and week of a day number. */
export function isoWeek(days: number): { isoYear: number; week: number } {
  const [y] = civilFromDays(days)
  let isoYear = y
  let start = isoWeek1Start(y + 1)
  if (days >= start) isoYear = y + 1
  else {
    start = isoWeek1Start(y)
    if (days < start) {
      isoYear = y - 1
      start = isoWeek1Start(y - 1)
    }
  }
  return { isoYear, week: Math.floor((days - start) / 7) + 1 }
}

/** Day of week of a day number, 0 = Sunday. */
export const dayOfWeek = (days: number): number => (((days + 4) % 7) + 7) % 7

const unitUnsupported = (unit: string, type: string): Error =>
  execError(SqlState.featureNotSupported, `unit "${unit}" not supported for type ${type}`)
const unitUnrecognized = (unit: string, type: string): Error =>
  execError(SqlState.invalidParameterValue, `unit "${unit}" not recognized for type ${type}`)

/** date_trunc on a local timestamp (microseconds); `typeName` is used in error messages. */
export function truncTimestamp(unitText: string, t: number, typeName = 'timestamp without time zone'): number {
  if (!Number.isFinite(t)) return t
  const unit = normalizeUnit(unitText)
  if (unit === null) throw unitUnrecognized(unitText.toLowerCase(), typeName)
  const { days, time } = splitTimestamp(t)
  const [y, m] = civilFromDays(days)
  switch (unit) {
    case 'microseconds':
      return t
    case 'milliseconds':
      return days * USECS_PER_DAY + Math.floor(time / 1000) * 1000
    case 'second':
      return days * USECS_PER_DAY + Math.floor(time / USECS_PER_SEC) * USECS_PER_SEC
    case 'minute':
      return days * USECS_PER_DAY + Math.floor(time / USECS_PER_MINUTE) * USECS_PER_MINUTE
    case 'hour':
      return days * USECS_PER_DAY + Math.floor(time / USECS_PER_HOUR) * USECS_PER_HOUR
    case 'day':
      return days * USECS_PER_DAY
    case 'week':
      return (days - ((dayOfWeek(days) + 6) % 7)) * USECS_PER_DAY
    case 'month':
      return daysFromCivil(y, m, 1) * USECS_PER_DAY
    case 'quarter':
      return daysFromCivil(y, 3 * Math.floor((m - 1) / 3) + 1, 1) * USECS_PER_DAY
    case 'year':
      return daysFromCivil(y, 1, 1) * USECS_PER_DAY
    case 'decade': {
      const ny = y > 0 ? Math.trunc(y / 10) * 10 : -Math.trunc((8 - (y - 1)) / 10) * 10
      return daysFromCivil(ny, 1, 1) * USECS_PER_DAY
    }
    case 'century': {
      const ny = y > 0 ? Math.trunc((y + 99) / 100) * 100 - 99 : -Math.trunc((99 - (y - 1)) / 100) * 100 + 1
      return daysFromCivil(ny, 1, 1) * USECS_PER_DAY
    }
    case 'millennium': {
      const ny = y > 0 ? Math.trunc((y + 999) / 1000) * 1000 - 999 : -Math.trunc((999 - (y - 1)) / 1000) * 1000 + 1
      return daysFromCivil(ny, 1, 1) * USECS_PER_DAY
    }
    default:
      throw unitUnsupported(unitText.toLowerCase(), typeName)
  }
}

/** date_trunc on a timestamptz: truncation in local time of `tz`. */
export function truncTimestamptz(unitText: string, t: number, tz: string): number {
  if (!Number.isFinite(t)) return t
  const unit = normalizeUnit(unitText)
  if (unit === 'microseconds' || unit === 'milliseconds' || unit === 'second' || unit === 'minute' || unit === 'hour') {
    // below a day PostgreSQL keeps the value's own zone offset
    const off = zoneOffset(tz, t) * USECS_PER_SEC
    return truncTimestamp(unitText, t + off, 'timestamp with time zone') - off
  }
  return localToUtc(truncTimestamp(unitText, utcToLocal(t, tz), 'timestamp with time zone'), tz)
}

/**
 * A field of a timestamp as an exact decimal text and its float value: extract() returns the
 * numeric, date_part() the double. `offset` is the zone offset in seconds for timestamptz (null for
 * timestamp). Infinite inputs give ±Infinity for the monotonic fields and NULL (null) otherwise.
 */
export function extractTimestamp(unitText: string, t: number, offset: number | null, typeName: string): string | null {
  const unit = normalizeUnit(unitText)
  if (unit === null) throw unitUnrecognized(unitText.toLowerCase(), typeName)
  if (!Number.isFinite(t)) {
    const monotonic = ['epoch', 'julian', 'year', 'isoyear', 'decade', 'century', 'millennium']
    if (monotonic.includes(unit)) return t > 0 ? 'Infinity' : '-Infinity'
    if (['timezone', 'timezone_hour', 'timezone_minute'].includes(unit) && offset === null) throw unitUnsupported(unitText.toLowerCase(), typeName)
    return null
  }
  const local = offset === null ? t : t + offset * USECS_PER_SEC
  const f = timestampToFields(local)
  const { days, time } = splitTimestamp(local)
  const y = f.year
  const secMicros = f.second * USECS_PER_SEC + f.micros
  const fixed = (v: number, scale: number): string => decimalText(v, scale)
  switch (unit) {
    case 'microseconds':
      return String(secMicros)
    case 'milliseconds':
      return fixed(secMicros, 3)
    case 'second':
      return fixed(secMicros, 6)
    case 'minute':
      return String(f.minute)
    case 'hour':
      return String(f.hour)
    case 'day':
      return String(f.day)
    case 'month':
      return String(f.month)
    case 'quarter':
      return String(Math.floor((f.month - 1) / 3) + 1)
    case 'week':
      return String(isoWeek(days).week)
    case 'year':
      return String(y > 0 ? y : y - 1)
    case 'decade':
      return String(y > 0 ? Math.trunc(y / 10) : -Math.trunc((8 - (y - 1)) / 10))
    case 'century':
      return String(y > 0 ? Math.trunc((y + 99) / 100) : -Math.trunc((99 - (y - 1)) / 100))
    case 'millennium':
      return String(y > 0 ? Math.trunc((y + 999) / 1000) : -Math.trunc((999 - (y - 1)) / 1000))
    case 'dow':
      return String(dayOfWeek(days))
    case 'isodow': {
      const d = dayOfWeek(days)
      return String(d === 0 ? 7 : d)
    }
    case 'doy':
      return String(days - daysFromCivil(y, 1, 1) + 1)
    case 'isoyear': {
      const iy = isoWeek(days).isoYear
      return String(iy > 0 ? iy : iy - 1)
    }
    case 'julian':
      // Julian day plus the fraction of the day
      return formatDecimal(
        addDecimal({ unscaled: BigInt(days + UNIX_EPOCH_JDATE), scale: 0 }, divDecimal({ unscaled: BigInt(Math.round(time)), scale: 0 }, { unscaled: BigInt(USECS_PER_DAY), scale: 0 })),
      )
    case 'epoch':
      return fixed(t, 6)
    case 'timezone':
      if (offset === null) throw unitUnsupported(unitText.toLowerCase(), typeName)
      return String(offset)
    case 'timezone_hour':
      if (offset === null) throw unitUnsupported(unitText.toLowerCase(), typeName)
      return String(Math.trunc(offset / 3600))
    case 'timezone_minute':
      if (offset === null) throw unitUnsupported(unitText.toLowerCase(), typeName)
      return String(Math.trunc((offset % 3600) / 60))
    default:
      throw unitUnsupported(unitText.toLowerCase(), typeName)
  }
}

/** Integer value / 10^scale as decimal text at that scale. */
function decimalText(v: number, scale: number): string {
  const neg = v < 0
  let digits = Math.abs(Math.round(v)).toFixed(0)
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits
  const cut = digits.length - scale
  const out = digits.slice(0, cut) + (scale > 0 ? '.' + digits.slice(cut) : '')
  return neg && /[1-9]/.test(out) ? '-' + out : out
}

/** extract(field from interval) as decimal text. */
export function extractInterval(unitText: string, months: number, days: number, micros: number): string {
  const unit = normalizeUnit(unitText)
  if (unit === null) throw unitUnrecognized(unitText.toLowerCase(), 'interval')
  const year = Math.trunc(months / 12)
  const mon = months - year * 12
  const hour = Math.trunc(micros / USECS_PER_HOUR)
  const rem = micros - hour * USECS_PER_HOUR
  const min = Math.trunc(rem / USECS_PER_MINUTE)
  const secMicros = rem - min * USECS_PER_MINUTE
  switch (unit) {
    case 'microseconds':
      return String(secMicros)
    case 'milliseconds':
      return decimalText(secMicros, 3)
    case 'second':
      return decimalText(secMicros, 6)
    case 'minute':
      return String(min)
    case 'hour':
      return String(hour)
    case 'day':
      return String(days)
    case 'month':
      return String(mon)
    case 'quarter':
      return String(Math.trunc(mon / 3) + 1)
    case 'year':
      return String(year)
    case 'decade':
      return String(Math.trunc(year / 10))
    case 'century':
      return String(Math.trunc(year / 100))
    case 'millennium':
      return String(Math.trunc(year / 1000))
    case 'epoch': {
      // 365.25-day years, 30-day months
      const secs = BigInt(year) * 31557600n + BigInt(mon) * 2592000n + BigInt(days) * 86400n
      const total = secs * 1_000_000n + BigInt(Math.round(micros))
      const neg = total < 0n
      const a = neg ? -total : total
      return (neg ? '-' : '') + (a / 1_000_000n).toString() + '.' + (a % 1_000_000n).toString().padStart(6, '0')
    }
    default:
      throw unitUnsupported(unitText.toLowerCase(), 'interval')
  }
}

/** extract(field from date): PostgreSQL 15's date-specific fields (time fields are errors). */
export function extractDate(unitText: string, days: number): string | null {
  const unit = normalizeUnit(unitText)
  if (unit === null) throw unitUnrecognized(unitText.toLowerCase(), 'date')
  if (['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'timezone', 'timezone_hour', 'timezone_minute'].includes(unit)) {
    throw unitUnsupported(unitText.toLowerCase(), 'date')
  }
  if (isInfiniteDate(days)) return extractTimestamp(unitText, days > 0 ? Infinity : -Infinity, null, 'date')
  if (unit === 'epoch') return String(days * 86400)
  if (unit === 'julian') return String(days + UNIX_EPOCH_JDATE)
  return extractTimestamp(unitText, days * USECS_PER_DAY, null, 'date')
}

/** extract(field from time). */
export function extractTime(unitText: string, micros: number): string {
  const unit = normalizeUnit(unitText)
  if (unit === null) throw unitUnrecognized(unitText.toLowerCase(), 'time without time zone')
  const hour = Math.floor(micros / USECS_PER_HOUR)
  const min = Math.floor((micros % USECS_PER_HOUR) / USECS_PER_MINUTE)
  const secMicros = micros % USECS_PER_MINUTE
  switch (unit) {
    case 'microseconds':
      return String(secMicros)
    case 'milliseconds':
      return decimalText(secMicros, 3)
    case 'second':
      return decimalText(secMicros, 6)
    case 'minute':
      return String(min)
    case 'hour':
      return String(hour)
    case 'epoch':
      return decimalText(micros, 6)
    default:
      throw unitUnsupported(unitText.toLowerCase(), 'time without time zone')
  }
}
