{#-
    Grants by role. The var cohortwise__roles names who may read what:
      analyst    every table and view of the project
      operations + the cohort tables (members, history, registry, saved snapshots)
      bi_reader  only the rpt_* report tables
    Each role is a list of grantees as the warehouse spells them (PostgreSQL / SQL Server role
    names, Redshift `group:x` / `role:x` / users, BigQuery `user:a@b.c`, `group:...`,
    `serviceAccount:...`). Empty lists (the default) grant nothing and leave existing grants alone.

    dbt applies the grants when it materializes a model: every model sets its `grants` config through
    cohortwise.table_grants(kind) - the analysis and cohort macros call it for their models (so a report
    is readable by the BI reader wherever it lives), every other model of the project calls it in its
    file. (Not from dbt_project.yml: the project's own vars are not visible there.)
-#}

{#- The grantees of one kind of table: 'detail' (per-entity and pipeline tables), 'cohort', 'report' -#}
{% macro grantees(kind) -%}
    {%- set roles = cohortwise._validated_roles() -%}
    {%- set extra = {'detail': [], 'cohort': roles.operations, 'report': roles.bi_reader} -%}
    {%- if kind not in extra -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "grantees: unknown table kind '" ~ kind
            ~ "' (expected detail, cohort or report)") }}
    {%- endif -%}
    {{ return((roles.analyst + extra[kind]) | unique | list) }}
{%- endmacro %}

{#- The privilege that lets a grantee read a table: select; roles/bigquery.dataViewer on BigQuery -#}
{% macro grant_privilege() -%}
    {{ return(var('cohortwise__grant_privilege', none)
        or ('roles/bigquery.dataViewer' if target.type == 'bigquery' else 'select')) }}
{%- endmacro %}

{#- The `grants` config of one kind of table; {} when no role is configured for it -#}
{% macro grant_config(kind) -%}
    {%- set found = cohortwise.grantees(kind) -%}
    {{ return({cohortwise.grant_privilege(): found} if found else {}) }}
{%- endmacro %}

{#- Called by the analysis and cohort macros: sets the model's grants for its kind of table -#}
{% macro table_grants(kind) -%}
    {%- set grants = cohortwise.grant_config(kind) -%}
    {%- if grants -%}
        {{ config(grants=grants) }}
    {%- endif -%}
{%- endmacro %}

{#- cohortwise__roles, checked: a mapping of the three roles to lists of safe grantee names -#}
{% macro _validated_roles() -%}
    {%- set configured = var('cohortwise__roles', {}) -%}
    {%- if configured is none -%} {%- set configured = {} -%} {%- endif -%}
    {%- if configured is not mapping -%}
        {{ exceptions.raise_compiler_error("cohortwise: var cohortwise__roles must be a mapping of analyst, "
            ~ "operations and bi_reader to lists of grantees, not " ~ configured) }}
    {%- endif -%}
    {%- set unknown = configured.keys() | reject('in', ['analyst', 'operations', 'bi_reader']) | list -%}
    {%- if unknown -%}
        {{ exceptions.raise_compiler_error("cohortwise: var cohortwise__roles: unknown role '" ~ unknown[0]
            ~ "' (expected analyst, operations, bi_reader)") }}
    {%- endif -%}
    {%- set roles = {} -%}
    {%- for role in ['analyst', 'operations', 'bi_reader'] -%}
        {%- set grantees = configured.get(role) or [] -%}
        {%- if grantees is string -%} {%- set grantees = [grantees] -%} {%- endif -%}
        {%- if grantees is not iterable or grantees is mapping -%}
            {{ exceptions.raise_compiler_error("cohortwise: var cohortwise__roles." ~ role
                ~ " must be a list of grantees, not " ~ grantees) }}
        {%- endif -%}
        {%- for grantee in grantees -%}
            {%- if grantee is not string
                or not modules.re.fullmatch('[A-Za-z0-9_][A-Za-z0-9_.@:+$/-]*', grantee)
                or '--' in grantee -%}
                {{ exceptions.raise_compiler_error("cohortwise: var cohortwise__roles." ~ role
                    ~ ": grantee " ~ (grantee | tojson) ~ " is not a plain name (letters, digits and _ . @ : + $ / -,"
                    ~ " e.g. analyst, group:analysts, user:ana@example.com)") }}
            {%- endif -%}
        {%- endfor -%}
        {%- do roles.update({role: grantees | list}) -%}
    {%- endfor -%}
    {{ return(roles) }}
{%- endmacro %}

{#-
    Run by the project's on-run-end hook: lets every configured role into the schemas the run built
    (PostgreSQL and Redshift check schema usage before table grants). Nothing elsewhere, and nothing
    when no role is configured.
-#}
{% macro grant_schema_usage(schemas) -%}
    {{ return(adapter.dispatch('grant_schema_usage', 'cohortwise')(schemas)) }}
{%- endmacro %}

{% macro default__grant_schema_usage(schemas) -%}
    {{ return('') }}
{%- endmacro %}

{% macro postgres__grant_schema_usage(schemas) -%}
    {{ return(cohortwise._schema_usage_statements(schemas, false)) }}
{%- endmacro %}

{% macro redshift__grant_schema_usage(schemas) -%}
    {{ return(cohortwise._schema_usage_statements(schemas, true)) }}
{%- endmacro %}

{#- `grant usage on schema` for every configured grantee; Redshift spells group:x / role:x as `group x` / `role x` -#}
{% macro _schema_usage_statements(schemas, prefixed_grantees) -%}
    {%- set roles = cohortwise._validated_roles() -%}
    {%- set spelled = [] -%}
    {%- for grantee in (roles.analyst + roles.operations + roles.bi_reader) | unique -%}
        {%- set prefix, _, name = grantee.partition(':') -%}
        {%- if prefixed_grantees and name and prefix in ['group', 'role'] -%}
            {%- do spelled.append(prefix ~ ' ' ~ name) -%}
        {%- elif prefixed_grantees and name and prefix == 'user' -%}
            {%- do spelled.append(name) -%}
        {%- else -%}
            {%- do spelled.append(grantee) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for schema in (schemas | sort) if spelled -%}
        {%- do statements.append('grant usage on schema ' ~ adapter.quote(schema) ~ ' to ' ~ spelled | join(', ')) -%}
    {%- endfor -%}
    {{ return(statements | join(';\n')) }}
{%- endmacro %}

{#-
    For the offline warehouse check (dbt compile renders no grants): the statements dbt would run to
    apply every model's grants, each after a line `-- cohortwise:grant <unique_id>`, then the schema
    usage statements of the on-run-end hook after `-- cohortwise:grant on-run-end`.
-#}
{% macro _grant_statements() -%}
    {%- if not execute -%} {{ return('') }} {%- endif -%}
    {%- set schemas = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') if node.resource_type == 'model' -%}
        {%- if node.schema not in schemas -%} {%- do schemas.append(node.schema) -%} {%- endif -%}
        {%- if node.config.get('grants') %}
            {%- set relation = api.Relation.create(database=node.database, schema=node.schema,
                identifier=node.alias, type='view' if node.config.materialized == 'view' else 'table') -%}
            {%- for statement in get_dcl_statement_list(relation, node.config.grants, get_grant_sql) %}
-- cohortwise:grant {{ node.unique_id }}
{{ statement }}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set usage = cohortwise.grant_schema_usage(schemas) -%}
    {%- for statement in usage.split(';\n') if statement.strip() %}
-- cohortwise:grant on-run-end
{{ statement }}
    {%- endfor -%}
{%- endmacro %}
