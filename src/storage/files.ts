/**
 * File-system helpers shared by the readers and writers: resolving a path, directory or glob to
 * the files of one table, and atomic writes (temporary file in the same directory, fsync, rename).
 */
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs'
import * as fsp from 'node:fs/promises'
import * as path from 'node:path'
import { ExecutionError, SqlState } from '../common/errors.js'

/** Options of `resolveFiles`. */
export interface ResolveOptions {
  /** File name endings a directory contributes (lower case, with the dot); default .parquet and .csv. */
  readonly extensions?: readonly string[]
}

/** 58P01 as PostgreSQL words it for a file that does not exist. */
export const noSuchFile = (p: string): ExecutionError =>
  new ExecutionError(SqlState.undefinedFile, `could not open file "${p}": No such file or directory`)

/** Wraps a file-system error as 58P01 / 58030 with PostgreSQL's wording. */
export function fileError(e: unknown, p: string, action = 'open'): ExecutionError {
  const code = (e as { code?: string }).code
  if (code === 'ENOENT') return noSuchFile(p)
  if (code === 'EISDIR') return new ExecutionError(SqlState.ioError, `could not ${action} file "${p}": Is a directory`)
  if (code === 'EACCES' || code === 'EPERM') return new ExecutionError('42501', `could not ${action} file "${p}": Permission denied`)
  const msg = e instanceof Error ? e.message : String(e)
  return new ExecutionError(SqlState.ioError, `could not ${action} file "${p}": ${msg}`)
}

/** True when the text contains glob syntax (`*`, `?`, `[…]`). */
export const isGlob = (pattern: string): boolean => /[*?[]/.test(pattern)

/**
 * The files a table location names, sorted: a file; a directory (every file with one of the
 * extensions below it, recursively, skipping names starting with `.` or `_`); or a glob
 * (`dir/*.parquet`, `dir/**\/x-*.parquet`). Throws 58P01 when nothing matches.
 */
export async function resolveFiles(pattern: string, opts: ResolveOptions = {}): Promise<string[]> {
  const exts = (opts.extensions ?? ['.parquet', '.csv']).map((e) => e.toLowerCase())
  if (!isGlob(pattern)) {
    let st: fs.Stats
    try {
      st = await fsp.stat(pattern)
    } catch (e) {
      throw fileError(e, pattern)
    }
    if (st.isFile()) return [pattern]
    if (st.isDirectory()) {
      const out: string[] = []
      await walk(pattern, out, (name) => exts.some((x) => name.toLowerCase().endsWith(x)))
      if (out.length === 0) throw noSuchFile(path.join(pattern, `*{${exts.join(',')}}`))
      return out.sort()
    }
    throw noSuchFile(pattern)
  }
  const matches = await globFiles(pattern)
  if (matches.length === 0) throw noSuchFile(pattern)
  return matches
}

async function walk(dir: string, out: string[], keep: (name: string) => boolean): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true })
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name.startsWith('_')) continue
    const full = path.join(dir, e.name)
    if (e.isDirectory()) await walk(full, out, keep)
    else if (e.isFile() && keep(e.name)) out.push(full)
  }
}

/** Files matching a glob: `*` and `?` within a name, `[abc]` classes, `{a,b}`, `**` for any depth. Sorted. */
export async function globFiles(pattern: string): Promise<string[]> {
  const parts = pattern.split(/[\\/]/)
  let k = 0
  while (k < parts.length - 1 && !isGlob(parts[k]!)) k++
  const rootParts = parts.slice(0, k)
  const root = rootParts.length === 0 ? '' : rootParts.join('/') || '/'
  const out = new Set<string>()
  await match(root, parts.slice(k).filter((p) => p !== ''), out)
  return [...out].sort()
}

async function match(dir: string, segs: readonly string[], out: Set<string>): Promise<void> {
  const seg = segs[0]
  if (seg === undefined) return
  const last = segs.length === 1
  let entries: fs.Dirent[]
  try {
    entries = await fsp.readdir(dir === '' ? '.' : dir, { withFileTypes: true })
  } catch {
    return
  }
  const join = (name: string): string => (dir === '' ? name : path.join(dir, name))
  if (seg === '**') {
    // ** matches zero or more directories
    await match(dir, segs.slice(1), out)
    for (const e of entries) {
      if (e.isDirectory() && !e.name.startsWith('.')) await match(join(e.name), segs, out)
    }
    return
  }
  const re = globSegmentRegex(seg)
  for (const e of entries) {
    if (!re.test(e.name)) continue
    if (e.name.startsWith('.') && !seg.startsWith('.')) continue
    const full = join(e.name)
    if (last) {
      if (e.isFile() || (e.isSymbolicLink() && isFileSync(full))) out.add(full)
    } else if (e.isDirectory() || e.isSymbolicLink()) await match(full, segs.slice(1), out)
  }
}

function isFileSync(p: string): boolean {
  try {
    return fs.statSync(p).isFile()
  } catch {
    return false
  }
}

/** A RegExp for one path segment of a glob. */
export function globSegmentRegex(seg: string): RegExp {
  let re = '^'
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!
    if (c === '*') re += '[^/]*'
    else if (c === '?') re += '[^/]'
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2)
      if (end < 0) re += '\\['
      else {
        let cls = seg.slice(i + 1, end)
        if (cls.startsWith('!')) cls = '^' + cls.slice(1)
        re += '[' + cls.replace(/\\/g, '\\\\') + ']'
        i = end
      }
    } else if (c === '{') {
      const end = seg.indexOf('}', i)
      if (end < 0) re += '\\{'
      else {
        re += '(?:' + seg.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')'
        i = end
      }
    } else re += escapeRe(c)
  }
  return new RegExp(re + '$')
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A temporary path next to `target` (same directory, so that rename is atomic). */
export function tempPathFor(target: string): string {
  const dir = path.dirname(target)
  return path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
}

/**
 * Writes a file atomically: `write` fills a temporary file in the same directory through the given
 * handle; the file is fsynced and renamed over `target`. On failure the temporary file is removed.
 */
export async function atomicWrite<R>(target: string, write: (fh: fsp.FileHandle) => Promise<R>): Promise<R> {
  const tmp = tempPathFor(target)
  let fh: fsp.FileHandle
  try {
    fh = await fsp.open(tmp, 'wx')
  } catch (e) {
    throw fileError(e, target, 'open')
  }
  let result: R
  try {
    result = await write(fh)
    await fh.sync()
    await fh.close()
  } catch (e) {
    await fh.close().catch(() => undefined)
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw e
  }
  try {
    await fsp.rename(tmp, target)
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined)
    throw fileError(e, target, 'rename')
  }
  // make the rename durable
  try {
    const dfh = await fsp.open(path.dirname(target), 'r')
    await dfh.sync().catch(() => undefined)
    await dfh.close()
  } catch {
    // directories cannot be opened for fsync on every platform
  }
  return result
}

/** Writes all of `data` through a file handle (loops over short writes). */
export async function writeAll(fh: fsp.FileHandle, data: Uint8Array): Promise<void> {
  let off = 0
  while (off < data.length) {
    const { bytesWritten } = await fh.write(data, off, data.length - off)
    off += bytesWritten
  }
}
