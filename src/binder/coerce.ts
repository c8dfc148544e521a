/**
 * PostgreSQL's type resolution, in the parts the binder needs: the result type of arithmetic, the
 * common type of UNION/CASE/COALESCE branches, and implicit casts of operands.
 */
import { planError, SqlState } from '../common/errors.js'
import { isInteger, isNumeric, numericType, T, typeCategory, typeEquals, typeName, type SqlType } from '../common/types.js'

/** Rank of the numeric types in PostgreSQL's implicit promotion order. */
const numericRank: Partial<Record<SqlType['id'], number>> = { int2: 1, int4: 2, int8: 3, numeric: 4, float4: 5, float8: 6 }

/** The wider of two numeric types (int2 < int4 < int8 < numeric < float4 < float8). */
export function widerNumeric(a: SqlType, b: SqlType): SqlType {
  const ra = numericRank[a.id] ?? 0
  const rb = numericRank[b.id] ?? 0
  if (a.id === 'numeric' && b.id === 'numeric') {
    if (a.scale === null || b.scale === null) return T.numeric
    return numericType(null, Math.max(a.scale, b.scale))
  }
  if (a.id === 'numeric' && isInteger(b)) return a.scale === null ? T.numeric : numericType(null, a.scale)
  if (b.id === 'numeric' && isInteger(a)) return b.scale === null ? T.numeric : numericType(null, b.scale)
  return ra >= rb ? a : b
}

/**
 * The common type of a set of expressions (UNION branches, CASE results, COALESCE/IN arguments),
 * following PostgreSQL's select_common_type: untyped literals take the others' type (text if all
 * are untyped); types must be of one category; within a category the preferred/wider type wins.
 * `null` entries stand for untyped literals (string literals and NULL).
 */
export function commonType(types: readonly (SqlType | null)[], context: string): SqlType {
  const typed = types.filter((t): t is SqlType => t !== null && t.id !== 'null')
  if (typed.length === 0) return T.text
  let result = typed[0]!
  for (const t of typed.slice(1)) {
    if (typeEquals(t, result)) continue
    const ca = typeCategory(result)
    const cb = typeCategory(t)
    if (ca === 'N' && cb === 'N') result = widerNumeric(result, t)
    else if (ca === 'S' && cb === 'S') result = result.id === t.id && result.id === 'varchar' ? { id: 'varchar', length: null } : T.text
    else if (ca === 'D' && cb === 'D') result = result.id === 'timestamptz' || t.id === 'timestamptz' ? T.timestamptz : result.id === 'time' || t.id === 'time' ? mismatch(result, t, context) : T.timestamp
    else if (ca === cb && result.id === t.id) continue
    else mismatch(result, t, context)
  }
  if (result.id === 'numeric') {
    // PostgreSQL's common type is plain numeric, whose values keep their own scales (3 stays 3 next
    // to 1.50): a static scale is kept only when every branch has that same scale
    const scales = typed.map((t) => (t.id === 'numeric' ? t.scale : isInteger(t) ? 0 : null))
    const same = scales.every((x) => x !== null && x === scales[0])
    if (!same) result = T.numeric
    else if (!typed.every((t) => typeEquals(t, result))) result = numericType(null, result.scale)
  }
  if ((result.id === 'varchar' || result.id === 'bpchar') && !typed.every((t) => typeEquals(t, result))) {
    result = result.id === 'bpchar' ? T.text : { id: 'varchar', length: null }
  }
  return result
}

function mismatch(a: SqlType, b: SqlType, context: string): never {
  throw planError(SqlState.datatypeMismatch, `${context} types ${typeName(a)} and ${typeName(b)} cannot be matched`)
}

/** The result type of `l op r` for + - * / % on numeric operands, or undefined if not numeric. */
export function arithmeticType(op: string, l: SqlType, r: SqlType): SqlType | undefined {
  if (!isNumeric(l) || !isNumeric(r)) return undefined
  // PostgreSQL has no % for float4/float8 (and a float never casts implicitly to numeric)
  if (op === '%' && (l.id === 'float4' || l.id === 'float8' || r.id === 'float4' || r.id === 'float8')) return undefined
  if (l.id === 'numeric' || r.id === 'numeric') {
    if (l.id === 'float4' || l.id === 'float8' || r.id === 'float4' || r.id === 'float8') return T.float8
    const sl = l.id === 'numeric' ? l.scale : 0
    const sr = r.id === 'numeric' ? r.scale : 0
    if (sl === null || sr === null || op === '/') return T.numeric
    if (op === '*') return numericType(null, sl + sr)
    return numericType(null, Math.max(sl, sr))
  }
  if (l.id === 'float8' || r.id === 'float8') return T.float8
  if (l.id === 'float4' || r.id === 'float4') return l.id === 'float4' && r.id === 'float4' ? T.float4 : T.float8
  // integers: the wider of the two (int2 op int2 stays int2, as PostgreSQL's int2pl)
  return (numericRank[l.id] ?? 0) >= (numericRank[r.id] ?? 0) ? l : r
}
