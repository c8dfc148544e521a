/**
 * Casts involving the reg* types, resolved when a statement is bound (the kernels have no catalog):
 * a name literal cast to regclass/regtype/regproc becomes its OID, a reg* value cast to text
 * becomes its name (through a lookup of the statement's catalog), and the types Flint has no
 * type for (regnamespace, regrole) are taken as OIDs in and names out.
 */
import { planError, SqlState } from '../common/errors.js'
import { T, type SqlType } from '../common/types.js'
import type { Expr } from '../logical/expr.js'
import { lit } from '../logical/expr.js'
import type { CatalogState } from './catalog.js'
import { regclassIn, regclassNames, regclassOut, regnamespaceIn, regprocIn, regprocOut, regtypeIn, regtypeOut } from './catalog-oids.js'

const REG = new Set(['regclass', 'regtype', 'regproc'])
const STRING = new Set(['text', 'varchar', 'bpchar', 'name'])

const call = (fn: string, args: Expr[], type: SqlType): Expr => ({ kind: 'Call', fn, args, type, volatility: 'stable' })
const asOid = (e: Expr): Expr => (e.type.id === 'oid' ? e : { kind: 'Cast', arg: e, type: T.oid })

/**
 * The bound form of a cast from `e` to `to` when a reg* type is involved and the catalog decides
 * the result; undefined for every other cast. The result may still need a cast to `to` (it is
 * text when `to` is another string type).
 */
export function regCast(e: Expr, to: SqlType, catalog: CatalogState): Expr | undefined {
  if (REG.has(to.id) && e.kind === 'Literal' && typeof e.value === 'string') {
    const text = e.value
    const oid = to.id === 'regclass' ? regclassIn(catalog, text) : to.id === 'regtype' ? regtypeIn(text) : regprocIn(text)
    return lit(oid, to)
  }
  if (REG.has(e.type.id) && STRING.has(to.id)) {
    if (e.kind === 'Literal' && typeof e.value === 'number') {
      const oid = e.value
      return lit(e.type.id === 'regclass' ? regclassOut(catalog, oid) : e.type.id === 'regtype' ? regtypeOut(oid) : regprocOut(oid), T.text)
    }
    if (e.type.id === 'regclass') {
      const { oids, names } = regclassNames(catalog)
      return call('__regclass_name', [asOid(e), lit(oids, { id: 'array', element: T.int8 }), lit(names, { id: 'array', element: T.text })], T.text)
    }
    return call('__reg_name', [asOid(e), lit(e.type.id, T.text)], T.text)
  }
  return undefined
}

/** The reg* type names Flint has no SqlType for, which casts still accept. */
export function pseudoRegType(typeNames: readonly string[]): 'regnamespace' | 'regrole' | undefined {
  const last = typeNames[typeNames.length - 1]?.toLowerCase()
  return last === 'regnamespace' || last === 'regrole' ? last : undefined
}

/** A cast to regnamespace/regrole: a name literal becomes its OID; any other value, its name. */
export function pseudoRegCast(kind: 'regnamespace' | 'regrole', e: Expr, user: string): Expr {
  if (e.kind === 'Literal' && typeof e.value === 'string') {
    if (kind === 'regnamespace') return lit(regnamespaceIn(e.value), T.oid)
    if (e.value.trim().replace(/^"(.*)"$/, '$1') === user) return lit(10, T.oid)
    if (/^\s*\d+\s*$/.test(e.value)) return lit(Number(e.value), T.oid)
    throw planError(SqlState.undefinedObject, `role "${e.value}" does not exist`)
  }
  if (kind === 'regrole') return call('pg_get_userbyid', [asOid(e)], T.name)
  return call('__reg_name', [asOid(e), lit(kind, T.text)], T.text)
}
