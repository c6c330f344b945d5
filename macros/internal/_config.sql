{#-
    Reading and validating the project vars of DESIGN.md section 2. Every value that names a column
    is checked to be a plain identifier, so that vars can never inject SQL.
-#}

{% macro _raise_var_error(var_name, message) -%}
    {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ "var '" ~ var_name ~ "': " ~ message) }}
{%- endmacro %}

{% macro _check_identifier(value, var_name) -%}
    {%- if value is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', value) -%}
        {{ cohortwise._raise_var_error(var_name, "'" ~ (value | string)
            ~ "' is not a plain column name (letters, digits and underscores, not starting with a digit)") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{#- canonical column name -> raw column name (or none when the raw relation lacks it) -#}
{% macro _column_mapping(relation_kind) -%}
    {%- set defaults = {
        'events': {'event_id': 'event_id', 'user_id': 'user_id', 'device_id': 'device_id',
                   'account_id': 'account_id', 'event_name': 'event_name', 'event_time': 'event_time',
                   'loaded_at': 'loaded_at', 'properties': 'properties'},
        'users': {'user_id': 'user_id', 'signed_up_at': 'signed_up_at', 'updated_at': 'updated_at',
                  'properties': 'properties'},
    }[relation_kind] -%}
    {%- set required = {'events': ['event_id', 'event_name', 'event_time'], 'users': ['user_id']}[relation_kind] -%}
    {%- set var_name = 'cohortwise__' ~ relation_kind ~ '_columns' -%}
    {%- set overrides = var(var_name, {}) or {} -%}
    {%- if overrides is not mapping -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a mapping of canonical column name to raw column name') }}
    {%- endif -%}
    {%- set mapping = {} -%}
    {%- for canonical, raw in defaults.items() -%}
        {%- do mapping.update({canonical: raw}) -%}
    {%- endfor -%}
    {%- for canonical, raw in overrides.items() -%}
        {%- if canonical not in defaults -%}
            {{ cohortwise._raise_var_error(var_name, "unknown column '" ~ canonical ~ "'; expected one of "
                ~ defaults.keys() | list | join(', ')) }}
        {%- endif -%}
        {%- if raw is none and canonical in required -%}
            {{ cohortwise._raise_var_error(var_name, "column '" ~ canonical ~ "' is required and cannot be null") }}
        {%- endif -%}
        {%- if raw is not none -%}
            {%- do cohortwise._check_identifier(raw, var_name) -%}
        {%- endif -%}
        {%- do mapping.update({canonical: raw}) -%}
    {%- endfor -%}
    {{ return(mapping) }}
{%- endmacro %}

{% macro _time_type(relation_kind) -%}
    {%- set var_name = 'cohortwise__' ~ relation_kind ~ '_time_type' -%}
    {%- set value = var(var_name, 'text') -%}
    {%- if value not in ('text', 'timestamp', 'timestamptz') -%}
        {{ cohortwise._raise_var_error(var_name, "must be text, timestamp or timestamptz; got '" ~ (value | string) ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{% macro _user_attributes() -%}
    {%- set var_name = 'cohortwise__user_attributes' -%}
    {%- set attributes = var(var_name, []) or [] -%}
    {%- if attributes is string or attributes is mapping -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a list of column names') }}
    {%- endif -%}
    {%- set reserved = cohortwise._column_mapping('users').keys() | list
        + ['signed_up_at_raw', 'first_seen_at', 'last_seen_at', 'events_count', 'devices_count',
           'accounts_count', 'has_profile', 'quarantine_reason'] -%}
    {%- for attribute in attributes -%}
        {%- do cohortwise._check_identifier(attribute, var_name) -%}
        {%- if attribute in reserved -%}
            {{ cohortwise._raise_var_error(var_name, "'" ~ attribute ~ "' clashes with a column cohortwise defines") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(attributes) }}
{%- endmacro %}

{#- name -> cohortwise type name, validated -#}
{% macro _promoted_properties() -%}
    {%- set var_name = 'cohortwise__promoted_properties' -%}
    {%- set promoted = var(var_name, {}) or {} -%}
    {%- if promoted is not mapping -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a mapping of property name to type') }}
    {%- endif -%}
    {%- set reserved = cohortwise._column_mapping('events').keys() | list + ['event_at', 'event_time_raw', 'quarantine_reason'] -%}
    {%- set types = ['text', 'numeric', 'integer', 'float', 'boolean', 'timestamp'] -%}
    {%- for name, type_name in promoted.items() -%}
        {%- do cohortwise._check_identifier(name, var_name) -%}
        {%- if name in reserved -%}
            {{ cohortwise._raise_var_error(var_name, "'" ~ name ~ "' clashes with a canonical event column") }}
        {%- endif -%}
        {%- if type_name not in types -%}
            {{ cohortwise._raise_var_error(var_name, "type of '" ~ name ~ "' must be one of " ~ types | join(', ')
                ~ "; got '" ~ (type_name | string) ~ "'") }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(promoted) }}
{%- endmacro %}

{#- the tolerance as whole seconds -#}
{% macro _future_tolerance_seconds() -%}
    {%- set var_name = 'cohortwise__future_tolerance_hours' -%}
    {%- set value = var(var_name, 24) -%}
    {%- if value is not number or value is sameas true or value is sameas false or value < 0 -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a number of hours >= 0; got ' ~ (value | string)) }}
    {%- endif -%}
    {{ return((value * 3600) | round | int) }}
{%- endmacro %}

{#- days of events an incremental run recomputes before the newest loaded day (late arrivals) -#}
{% macro _lookback_days() -%}
    {%- set var_name = 'cohortwise__lookback_days' -%}
    {%- set value = var(var_name, 3) -%}
    {%- if value is not number or value is sameas true or value is sameas false or value < 0 or value != value | int -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a whole number of days >= 0; got ' ~ (value | string)) }}
    {%- endif -%}
    {{ return(value | int) }}
{%- endmacro %}

{#- the entity columns fct_daily_activity keeps a row per day for -#}
{% macro _daily_activity_entities() -%}
    {%- set var_name = 'cohortwise__daily_activity_entities' -%}
    {%- set value = var(var_name, ['user_id']) -%}
    {%- if value is string or value is mapping or value is not iterable or value | length == 0 -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a non-empty list of user_id, device_id, account_id; got ' ~ (value | string)) }}
    {%- endif -%}
    {%- for entity in value -%}
        {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
            {{ cohortwise._raise_var_error(var_name, 'must list only user_id, device_id or account_id; got ' ~ (entity | string)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(value | unique | list) }}
{%- endmacro %}

{#-
    The incremental config of an event-level model, per warehouse: delete+insert of whole days on
    DuckDB, PostgreSQL, Redshift and SQL Server; on BigQuery the same days as partitions
    (insert_overwrite). `day_column` is a date column of the model.
-#}
{% macro _incremental_by_day(day_column) -%}
    {%- if target.type == 'bigquery' -%}
        {{ return({'materialized': 'incremental', 'incremental_strategy': 'insert_overwrite',
            'partition_by': {'field': day_column, 'data_type': 'date'}, 'on_schema_change': 'fail'}) }}
    {%- endif -%}
    {{ return({'materialized': 'incremental', 'incremental_strategy': 'delete+insert',
        'unique_key': day_column, 'on_schema_change': 'fail'}) }}
{%- endmacro %}

{#-
    The incremental config of a model whose rows are replaced by entity (an incremental funnel,
    int_user_activity): delete+insert of the recomputed entities' rows, merge on BigQuery (whose
    dbt adapter has no delete+insert; `unique_key` must then be unique per row).
-#}
{% macro _incremental_by_entity(unique_key) -%}
    {%- if target.type == 'bigquery' -%}
        {{ return({'incremental_strategy': 'merge', 'unique_key': unique_key, 'on_schema_change': 'fail'}) }}
    {%- endif -%}
    {{ return({'incremental_strategy': 'delete+insert', 'unique_key': unique_key, 'on_schema_change': 'fail'}) }}
{%- endmacro %}

{#-
    The last select of an incremental run by entity: every entity of `recomputed_entities` with the
    rows `final` gives it (final holds only those entities), and one row of nulls in `columns` (the
    final columns after entity_id) for an entity final gives none (its events deleted from the raw
    days recomputed), so that delete+insert replaces its old rows; the analysis' post-hook deletes
    those rows.
-#}
{% macro _every_recomputed_entity(columns) -%}
select
    recomputed_entities.recomputed_entity_id as entity_id,
    {%- for column in columns %}
    final.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from recomputed_entities
left join final
    on recomputed_entities.recomputed_entity_id = final.entity_id
{%- endmacro %}

{#-
    The arguments an analysis incremental by entity (a funnel, a retention) cannot take, refused at
    compile time: each changes rows without any new event of the entity, which is all an incremental
    run looks at. `analysis` names it in the error; `leaving` says what leaves a last_days range.
-#}
{% macro _refuse_incremental_by_entity(d, analysis, leaving) -%}
    {%- if d.cohorts['in'] or d.cohorts.not_in -%}
        {{ cohortwise._argument_error('cohorts', 'an incremental ' ~ analysis ~ ' cannot filter by cohort (members change'
            ~ ' without new events of the entity); materialize it as a table') }}
    {%- endif -%}
    {%- if d.breakdown and d.breakdown.kind == 'user_attribute' -%}
        {{ cohortwise._argument_error('breakdown', 'an incremental ' ~ analysis ~ ' cannot break down by a user attribute'
            ~ ' (attributes change without new events of the entity); materialize it as a table') }}
    {%- endif -%}
    {%- if 'last_days' in d.date_range -%}
        {{ cohortwise._argument_error('date_range', 'an incremental ' ~ analysis ~ ' needs a fixed start ({from, to} or'
            ~ ' {since}): with last_days, ' ~ leaving ~ ' leave the range as days pass; materialize it as a table') }}
    {%- endif -%}
{%- endmacro %}

{#-
    The first day an incremental run recomputes: the newest day of `relation` minus the lookback.
    `day_expression` is a date column, or an expression of one (null for rows that do not count).

    When the run executes against the warehouse the day is looked up once and written into the SQL
    as a literal: a constant bound lets the warehouse skip old blocks (DuckDB zone maps, partition
    pruning) and filter the raw rows before parsing them, where a subquery bound makes it parse and
    project every row first (measured at 10 M events: the audit's refresh 10.7 s with the subquery).
    An offline compile cannot look anything up and keeps the subquery, which means the same.
-#}
{% macro _incremental_first_day(relation, day_expression) -%}
    {%- set first_day = 'select cast(' ~ dbt.dateadd('day', -cohortwise._lookback_days(), 'max(' ~ day_expression ~ ')')
        ~ ' as date) as first_day from ' ~ relation -%}
    {%- if not execute or var('cohortwise__offline_compile', false) -%}
        {{ return('(' ~ first_day ~ ')') }}
    {%- endif -%}
    {%- set value = run_query(first_day).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return('cast(null as date)') }}
    {%- endif -%}
    {%- set day = (value | string)[:10] -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', day) -%}
        {{ exceptions.raise_compiler_error(cohortwise._error_prefix() ~ 'the newest day of ' ~ relation
            ~ " is not a date: '" ~ (value | string) ~ "'") }}
    {%- endif -%}
    {{ return('cast(' ~ cohortwise.literal(day) ~ ' as date)') }}
{%- endmacro %}
