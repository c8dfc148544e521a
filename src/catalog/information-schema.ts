/**
 * The information_schema views SQLAlchemy, JDBC tools and hand-written queries use (schemata,
 * tables, columns, views, table_constraints, key_column_usage), generated from the catalog state
 * with PostgreSQL 15's columns and spellings.
 */
import { typeName, type SqlType } from '../common/types.js'
import type { Value } from '../common/value.js'
import { NAMESPACE_OIDS, oidOfType, systemRelationList, TYPES } from './catalog-oids.js'
import { catalogDigest, catalogModel } from './catalog-model.js'
import { FK_ACTIONS, referencedKey, tableKeys } from './catalog-digest.js'
import { splitRelationKey } from './catalog.js'
import { defineSystemRelations, type CatalogRelationSpec } from './pg-catalog.js'
import { lookupSystemTable, type SystemTableContext } from './system-tables.js'

/** data_type as information_schema.columns spells it: the type's name without modifiers, 'ARRAY' for arrays. */
export function informationSchemaDataType(t: SqlType): string {
  switch (t.id) {
    case 'array':
      return 'ARRAY'
    case 'numeric':
      return 'numeric'
    case 'varchar':
      return 'character varying'
    case 'bpchar':
      return 'character'
    case 'null':
    case 'unknown':
      return 'text'
    default:
      return typeName(t)
  }
}

/** The numeric, character and datetime facets information_schema.columns reports for a type. */
export function typeFacets(t: SqlType): {
  charMax: number | null
  charOctets: number | null
  precision: number | null
  radix: number | null
  scale: number | null
  datetimePrecision: number | null
} {
  const none = { charMax: null, charOctets: null, precision: null, radix: null, scale: null, datetimePrecision: null }
  switch (t.id) {
    case 'int2':
      return { ...none, precision: 16, radix: 2, scale: 0 }
    case 'int4':
      return { ...none, precision: 32, radix: 2, scale: 0 }
    case 'int8':
      return { ...none, precision: 64, radix: 2, scale: 0 }
    case 'float4':
      return { ...none, precision: 24, radix: 2 }
    case 'float8':
      return { ...none, precision: 53, radix: 2 }
    case 'numeric':
      return { ...none, precision: t.precision, radix: 10, scale: t.scale }
    case 'varchar':
    case 'bpchar':
      return { ...none, charMax: t.length, charOctets: t.length === null ? 1073741824 : t.length * 4 }
    case 'text':
      return { ...none, charOctets: 1073741824 }
    case 'date':
      return { ...none, datetimePrecision: 0 }
    case 'time':
    case 'timestamp':
    case 'timestamptz':
    case 'interval':
      return { ...none, datetimePrecision: 6 }
    default:
      return none
  }
}

const udtName = (t: SqlType): string => TYPES.find((x) => x.oid === oidOfType(t))?.name ?? t.id

interface InfoRelation {
  schema: string
  name: string
  type: 'BASE TABLE' | 'VIEW'
  columns: { name: string; type: SqlType; notNull: boolean; defaultText: string | null }[]
  insertable: boolean
}

function infoRelations(ctx: SystemTableContext): InfoRelation[] {
  const out: InfoRelation[] = []
  for (const r of catalogModel(ctx.state)) {
    if (r.kind === 'i' || r.kind === 'S') continue
    out.push({ schema: r.schema, name: r.name, type: r.kind === 'r' ? 'BASE TABLE' : 'VIEW', columns: [...r.columns], insertable: r.kind === 'r' && !r.external })
  }
  for (const s of systemRelationList()) {
    const t = lookupSystemTable(s.schema, s.name)
    if (!t) continue
    out.push({ schema: s.schema, name: s.name, type: s.kind === 'r' ? 'BASE TABLE' : 'VIEW', columns: t.columns.map((c) => ({ ...c, notNull: false, defaultText: null })), insertable: false })
  }
  return out
}

const yes = (b: boolean): string => (b ? 'YES' : 'NO')

const specs: CatalogRelationSpec[] = [
  {
    oid: 13382,
    name: 'schemata',
    kind: 'v',
    columns:
      'catalog_name:name schema_name:name schema_owner:name default_character_set_catalog:name ' +
      'default_character_set_schema:name default_character_set_name:name sql_path:text',
    rows: (ctx) => [...Object.keys(NAMESPACE_OIDS), ...(ctx.state.schemas?.keys() ?? [])].map((n) => [ctx.database, n, ctx.user, null, null, null, null]),
  },
  {
    oid: 13386,
    name: 'sequences',
    kind: 'v',
    columns:
      'sequence_catalog:name sequence_schema:name sequence_name:name data_type:text numeric_precision:int4 numeric_precision_radix:int4 ' +
      'numeric_scale:int4 start_value:text minimum_value:text maximum_value:text increment:text cycle_option:text',
    rows: (ctx) => {
      const out: Value[][] = []
      for (const [key, rel] of ctx.state.relations) {
        if (rel.kind !== 'sequence') continue
        const o = rel.options
        const bits = o.type === 'int2' ? 16 : o.type === 'int4' ? 32 : 64
        const type = o.type === 'int2' ? 'smallint' : o.type === 'int4' ? 'integer' : 'bigint'
        out.push([ctx.database, splitRelationKey(key).schema, rel.name, type, bits, 2, 0, String(o.start), String(o.min), String(o.max), String(o.increment), o.cycle ? 'YES' : 'NO'])
      }
      return out.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2])))
    },
  },
  {
    oid: 13425,
    name: 'tables',
    kind: 'v',
    columns:
      'table_catalog:name table_schema:name table_name:name table_type:text self_referencing_column_name:name ' +
      'reference_generation:text user_defined_type_catalog:name user_defined_type_schema:name user_defined_type_name:name ' +
      'is_insertable_into:text is_typed:text commit_action:text',
    rows: (ctx) => infoRelations(ctx).map((r) => [ctx.database, r.schema, r.name, r.type, null, null, null, null, null, yes(r.insertable), 'NO', null]),
  },
  {
    oid: 13295,
    name: 'columns',
    kind: 'v',
    columns:
      'table_catalog:name table_schema:name table_name:name column_name:name ordinal_position:int4 column_default:text ' +
      'is_nullable:text data_type:text character_maximum_length:int4 character_octet_length:int4 numeric_precision:int4 ' +
      'numeric_precision_radix:int4 numeric_scale:int4 datetime_precision:int4 interval_type:text interval_precision:int4 ' +
      'character_set_catalog:name character_set_schema:name character_set_name:name collation_catalog:name ' +
      'collation_schema:name collation_name:name domain_catalog:name domain_schema:name domain_name:name udt_catalog:name ' +
      'udt_schema:name udt_name:name scope_catalog:name scope_schema:name scope_name:name maximum_cardinality:int4 ' +
      'dtd_identifier:name is_self_referencing:text is_identity:text identity_generation:text identity_start:text ' +
      'identity_increment:text identity_maximum:text identity_minimum:text identity_cycle:text is_generated:text ' +
      'generation_expression:text is_updatable:text',
    rows: (ctx) => {
      const out: Value[][] = []
      for (const r of infoRelations(ctx)) {
        r.columns.forEach((c, i) => {
          const f = typeFacets(c.type)
          out.push([
            ctx.database,
            r.schema,
            r.name,
            c.name,
            i + 1,
            c.defaultText,
            yes(!c.notNull),
            informationSchemaDataType(c.type),
            f.charMax,
            f.charOctets,
            f.precision,
            f.radix,
            f.scale,
            f.datetimePrecision,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            ctx.database,
            'pg_catalog',
            udtName(c.type),
            null,
            null,
            null,
            null,
            String(i + 1),
            'NO',
            'NO',
            null,
            null,
            null,
            null,
            null,
            'NO',
            'NEVER',
            null,
            yes(r.insertable),
          ])
        })
      }
      return out
    },
  },
  {
    oid: 13483,
    name: 'views',
    kind: 'v',
    columns:
      'table_catalog:name table_schema:name table_name:name view_definition:text check_option:text is_updatable:text ' +
      'is_insertable_into:text is_trigger_updatable:text is_trigger_deletable:text is_trigger_insertable_into:text',
    rows: (ctx) =>
      catalogModel(ctx.state)
        .filter((r) => r.kind === 'v')
        .map((r) => [ctx.database, r.schema, r.name, r.viewDefinition, 'NONE', 'NO', 'NO', 'NO', 'NO', 'NO']),
  },
  {
    oid: 13411,
    name: 'table_constraints',
    kind: 'v',
    columns:
      'constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name ' +
      'table_name:name constraint_type:text is_deferrable:text initially_deferred:text enforced:text nulls_distinct:text',
    rows: (ctx) => {
      const out: Value[][] = []
      for (const r of catalogModel(ctx.state)) {
        if (r.kind !== 'r') continue
        for (const key of tableKeys(r)) out.push([ctx.database, r.schema, key.name, ctx.database, r.schema, r.name, key === r.primaryKey ? 'PRIMARY KEY' : 'UNIQUE', 'NO', 'NO', 'YES', key === r.primaryKey ? null : 'YES'])
        for (const c of r.checks ?? []) out.push([ctx.database, r.schema, c.name, ctx.database, r.schema, r.name, 'CHECK', 'NO', 'NO', 'YES', null])
        for (const f of r.foreignKeys ?? []) out.push([ctx.database, r.schema, f.name, ctx.database, r.schema, r.name, 'FOREIGN KEY', 'NO', 'NO', 'YES', null])
        // NOT NULL columns show as CHECK constraints named <namespace oid>_<table oid>_<attnum>_not_null
        for (const c of r.columns) {
          if (c.notNull) out.push([ctx.database, r.schema, `${r.namespace}_${r.oid}_${c.attnum}_not_null`, ctx.database, r.schema, r.name, 'CHECK', 'NO', 'NO', 'YES', null])
        }
      }
      return out
    },
  },
  {
    oid: 13329,
    name: 'key_column_usage',
    kind: 'v',
    columns:
      'constraint_catalog:name constraint_schema:name constraint_name:name table_catalog:name table_schema:name ' +
      'table_name:name column_name:name ordinal_position:int4 position_in_unique_constraint:int4',
    rows: (ctx) => {
      const out: Value[][] = []
      const digest = catalogDigest(ctx.state)
      for (const r of catalogModel(ctx.state)) {
        for (const key of tableKeys(r)) key.attnums.forEach((a, k) => out.push([ctx.database, r.schema, key.name, ctx.database, r.schema, r.name, r.columns[a - 1]!.name, k + 1, null]))
        for (const f of r.foreignKeys ?? []) {
          const ref = referencedKey(digest, f)
          f.attnums.forEach((a, k) => out.push([ctx.database, r.schema, f.name, ctx.database, r.schema, r.name, r.columns[a - 1]!.name, k + 1, ref ? ref.key.attnums.indexOf(f.refAttnums[k]!) + 1 : null]))
        }
      }
      return out
    },
  },
  {
    oid: 13227,
    name: 'information_schema_catalog_name',
    kind: 'v',
    columns: 'catalog_name:name',
    rows: (ctx) => [[ctx.database]],
  },
  {
    oid: 13339,
    name: 'referential_constraints',
    kind: 'v',
    columns:
      'constraint_catalog:name constraint_schema:name constraint_name:name unique_constraint_catalog:name ' +
      'unique_constraint_schema:name unique_constraint_name:name match_option:text update_rule:text delete_rule:text',
    rows: (ctx) => {
      const digest = catalogDigest(ctx.state)
      return catalogModel(ctx.state).flatMap((r) =>
        (r.foreignKeys ?? []).map((f) => {
          const ref = referencedKey(digest, f)
          return [ctx.database, r.schema, f.name, ctx.database, ref?.table.schema ?? null, ref?.key.name ?? null, 'NONE', FK_ACTIONS[f.onUpdate]!, FK_ACTIONS[f.onDelete]!]
        }),
      )
    },
  },
  {
    oid: 13377,
    name: 'routines',
    kind: 'v',
    columns: 'specific_catalog:name specific_schema:name specific_name:name routine_catalog:name routine_schema:name routine_name:name routine_type:text data_type:text',
  },
]

/** The information_schema relations. */
export const informationSchemaTables = defineSystemRelations('information_schema', specs)
