/**
 * Name scopes of the binder: the relations visible in a FROM clause, with their columns, and the
 * enclosing query's scope for correlated references.
 */
import { planError, SqlState } from '../common/errors.js'
import type { Field } from '../logical/plan.js'

/** One relation of a FROM clause (a table, subquery, function or join alias). */
export interface ScopeRelation {
  /** The alias it can be qualified with (lower case), or null for an unaliased join / subquery. */
  readonly alias: string | null
  readonly fields: readonly Field[]
  /** Columns hidden from unqualified lookup and `*` (right-hand USING columns). */
  readonly hidden?: ReadonlySet<number>
  /** For a catalog table, view or sequence: which one, and whether the FROM item aliased it. */
  readonly catalog?: CatalogIdentity
}

/** The catalog relation behind a FROM item, and whether the FROM item gave it an alias. */
export interface CatalogIdentity {
  /** A user relation's OID, or a system table's `schema.name`. */
  readonly id: RelationId
  readonly aliased: boolean
}

/** Identifies a catalog relation: a user relation's OID, or a system table's `schema.name`. */
export type RelationId = number | string

/** A table qualifier of a column reference: `t.c` (schema null) or `s.t.c`, with the relation the name means (when one exists). */
export interface RelationQualifier {
  readonly schema: string | null
  readonly name: string
  /** The catalog relation the qualifier names, by the search path when unqualified (undefined when none). */
  readonly id: RelationId | undefined
}

/** True when two FROM items may share a name: both unaliased catalog relations, different ones (PostgreSQL's rule). */
function mayShareName(a: ScopeRelation, b: ScopeRelation): boolean {
  return a.catalog !== undefined && b.catalog !== undefined && !a.catalog.aliased && !b.catalog.aliased && a.catalog.id !== b.catalog.id
}

/** The names visible at one query level. */
export class Scope {
  readonly relations: ScopeRelation[] = []
  /** USING / NATURAL merged columns: name → field that unqualified references resolve to. */
  readonly merged = new Map<string, Field>()
  /** Field ids of this scope referenced from inner subqueries (for correlation). */
  readonly referencedFromInner = new Set<number>()

  constructor(readonly parent: Scope | null = null) {}

  /** Adds a relation; errors on a duplicate name (42712) unless both are distinct unaliased catalog relations. */
  add(rel: ScopeRelation): void {
    if (rel.alias !== null && this.relations.some((r) => r.alias === rel.alias && !mayShareName(r, rel))) {
      throw planError('42712', `table name "${rel.alias}" specified more than once`)
    }
    this.relations.push(rel)
  }

  /** Every visible field in order (for `*`), skipping hidden USING duplicates. */
  allFields(): Field[] {
    const out: Field[] = []
    const seenMerged = new Set<string>()
    for (const m of this.merged.values()) {
      out.push(m)
      seenMerged.add(m.name)
    }
    for (const r of this.relations) {
      for (const f of r.fields) {
        if (r.hidden?.has(f.id)) continue
        if (seenMerged.has(f.name) && this.merged.get(f.name)?.id !== f.id && this.isMergedSource(f)) continue
        if (this.merged.get(f.name)?.id === f.id) continue
        out.push(f)
      }
    }
    return out
  }

  private readonly mergedSources = new Set<number>()
  /** Marks a field as one side of a USING column (hidden from `*` behind the merged column). */
  markMergedSource(id: number): void {
    this.mergedSources.add(id)
  }
  /** Takes over another scope's USING columns and their hidden sources (a join's columns moving outward). */
  adoptMerged(from: Scope): void {
    for (const [name, f] of from.merged) this.merged.set(name, f)
    for (const id of from.mergedSources) this.mergedSources.add(id)
  }
  private isMergedSource(f: Field): boolean {
    return this.mergedSources.has(f.id)
  }

  /**
   * Resolves a column name, optionally qualified; returns the field or undefined when not found
   * here. Errors 42702 when ambiguous and 42P01 when the qualifier names no relation.
   */
  resolve(name: string, qualifier: RelationQualifier | null, position?: number): Field | undefined {
    if (qualifier !== null) return this.relation(qualifier, position)?.fields.find((x) => x.name === name)
    const m = this.merged.get(name)
    if (m) return m
    let found: Field | undefined
    for (const r of this.relations) {
      for (const f of r.fields) {
        if (f.name !== name || r.hidden?.has(f.id)) continue
        if (found && found.id !== f.id) {
          throw planError(SqlState.ambiguousColumn, `column reference "${name}" is ambiguous`, position)
        }
        found = f
      }
    }
    return found
  }

  /** The ids of every column of this level, hidden ones included. */
  allFieldIds(): number[] {
    return [...this.merged.values(), ...this.relations.flatMap((r) => r.fields)].map((f) => f.id)
  }

  /**
   * The relation a qualifier names at this level: `s.t` only an unaliased catalog relation s.t,
   * `t` the relation whose name (alias or table name) is t; 42P09 when several are.
   */
  relation(q: RelationQualifier, position?: number): ScopeRelation | undefined {
    const rels =
      q.schema === null
        ? this.relations.filter((r) => r.alias === q.name)
        : this.relations.filter((r) => q.id !== undefined && r.catalog?.id === q.id && !r.catalog.aliased)
    if (rels.length > 1) throw planError('42P09', `table reference "${q.name}" is ambiguous`, position)
    return rels[0]
  }
}
