{#-
    ID cohorts: a list of ids (a seed, or a table the runner's import-ids writes) with optional
    property columns, validated against the entities cohortwise knows.

        -- models/cohorts/cohort_test_users.sql        (meta.cohortwise.type: id)
        {{ cohortwise.id_cohort(ref('ids_test_users'), id_column='user_id', properties=['note']) }}
        -- models/quarantine/quarantine_cohort_test_users.sql
        {{ cohortwise.id_cohort_rejected(ref('ids_test_users'), entity='user_id', id_column='user_id', properties=['note']) }}

    A row is rejected with a reason: blank_id (null or only spaces), duplicate_id (the id, trimmed,
    is given again: the copy that needed no trimming, then the smallest, is kept), unknown_id (no such user in
    dim_users, or no event with that device / account id). id_cohort holds the accepted rows
    (entity_id, computed_at, properties); id_cohort_rejected the others with rejection_reason, so
    every input row is in exactly one of the two.
-#}
{% macro id_cohort(ids, id_column='id', properties=[]) -%}
    {{- cohortwise.table_grants('cohort') -}}
    {%- set settings = cohortwise._this_cohort('id') if execute else {'entity': 'user_id'} -%}
    {%- set checked = cohortwise._id_cohort_arguments(id_column, properties) -%}
with {{ cohortwise._id_cohort_rows(ids, settings.entity, id_column, checked) }}

select
    entity_id,
    {{ cohortwise.computed_at() }} as computed_at
    {%- for property in checked %},
    {{ adapter.quote(property) }}
    {%- endfor %}
from validated
where rejection_reason is null
{%- endmacro %}

{% macro id_cohort_rejected(ids, entity='user_id', id_column='id', properties=[]) -%}
    {{- cohortwise.table_grants('detail') -}}
    {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
        {{ cohortwise._argument_error('entity', 'must be user_id, device_id or account_id; got ' ~ (entity | string)) }}
    {%- endif -%}
    {%- set checked = cohortwise._id_cohort_arguments(id_column, properties) -%}
with {{ cohortwise._id_cohort_rows(ids, entity, id_column, checked) }}

select
    id_as_given,
    entity_id,
    {%- for property in checked %}
    {{ adapter.quote(property) }},
    {%- endfor %}
    rejection_reason,
    {{ cohortwise.computed_at() }} as checked_at
from validated
where rejection_reason is not null
{%- endmacro %}

{% macro _id_cohort_arguments(id_column, properties) -%}
    {%- if id_column is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', id_column) -%}
        {{ cohortwise._argument_error('id_column', 'must be a column name; got ' ~ (id_column | string)) }}
    {%- endif -%}
    {%- if properties is string or properties is mapping or properties is not iterable -%}
        {{ cohortwise._argument_error('properties', 'must be a list of column names') }}
    {%- endif -%}
    {%- for property in properties -%}
        {%- if property is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', property)
            or property in ('entity_id', 'computed_at', 'rejection_reason', 'id_as_given', id_column) -%}
            {{ cohortwise._argument_error('properties[' ~ loop.index0 ~ ']', 'must be a column name other than the id and '
                ~ 'entity_id, computed_at, rejection_reason, id_as_given; got ' ~ (property | string)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(properties | list) }}
{%- endmacro %}

{#- the CTEs up to `validated`: every input row with its trimmed id and its rejection reason (null when accepted) -#}
{% macro _id_cohort_rows(ids, entity, id_column, properties) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set trimmed = cohortwise._raw_id(id_column) -%}
given as (

    select
        cast({{ adapter.quote(id_column) }} as {{ text_type }}) as id_as_given,
        {{ trimmed }} as entity_id
        {%- for property in properties %},
        {{ adapter.quote(property) }}
        {%- endfor %}
    from {{ ids }}

),

known as (

    {%- if entity == 'user_id' %}
    select user_id as entity_id from {{ ref('cohortwise', 'dim_users') }}
    {%- else %}
    select distinct {{ entity }} as entity_id
    from {{ ref('cohortwise', 'fct_events') }}
    where {{ entity }} is not null
    {%- endif %}

),

numbered as (

    select
        given.*,
        row_number() over (
            partition by given.entity_id
            order by
                case when given.id_as_given = given.entity_id then 0 else 1 end,
                given.id_as_given
            {%- for property in properties %}, given.{{ adapter.quote(property) }}{% endfor %}
        ) as occurrence
    from given

),

validated as (

    select
        numbered.id_as_given,
        numbered.entity_id,
        {%- for property in properties %}
        numbered.{{ adapter.quote(property) }},
        {%- endfor %}
        case
            when numbered.entity_id is null then 'blank_id'
            when numbered.occurrence > 1 then 'duplicate_id'
            when not exists (select 1 from known where known.entity_id = numbered.entity_id) then 'unknown_id'
        end as rejection_reason
    from numbered

)
{%- endmacro %}
