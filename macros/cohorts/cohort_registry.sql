{#-
    cohortwise.cohort_registry: one row per cohort model of the dbt graph (a model whose
    meta.cohortwise has a type) with its settings, description and file checksum, and its last
    computation from cohort_computations (a view: current as soon as a cohort is recomputed).
    The last computation is the last one recorded (what the cohort's table holds, also after a
    recomputation of the past with cohortwise__as_of). Every cohort's settings are validated here, and a cohort without the two recording post-hooks
    is a compile error, so none goes missing from the history.
-#}
{% macro cohort_registry() -%}
    {%- set computations = ref('cohortwise', 'cohort_computations') -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set rows = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values() | sort(attribute='name') -%}
            {%- if node.resource_type == 'model' -%}
                {%- set settings = cohortwise._cohort_settings(node) -%}
                {%- if settings is not none -%}
                    {%- set hooks = [] -%}
                    {%- for hook in node.config.get('post-hook', []) or [] -%}
                        {%- do hooks.append(hook.sql if hook is mapping else hook | string) -%}
                    {%- endfor -%}
                    {%- for required in ('record_cohort_members', 'record_cohort_computation') -%}
                        {%- if required not in hooks | join(' ') -%}
                            {{ exceptions.raise_compiler_error("cohortwise: in model '" ~ node.name ~ "': a cohort needs the post-hook"
                                ~ ' "{{ cohortwise.' ~ required ~ '() }}" (set it on the folder of your cohort models in dbt_project.yml)') }}
                        {%- endif -%}
                    {%- endfor -%}
                    {%- do rows.append({'settings': settings, 'node': node}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
with cohorts as (
    {%- for row in rows %}
    {%- set settings = row.settings %}

    select
        {{ cohortwise.literal(settings.name) }} as cohort_name,
        {{ cohortwise.literal(settings.type) }} as cohort_type,
        {{ cohortwise.literal(settings.entity) }} as entity_type,
        {{ cohortwise.literal(settings.timezone) }} as timezone,
        {{ cohortwise.literal(settings.refresh.schedule) }} as refresh_schedule,
        cast({{ cohortwise.literal(settings.refresh.at) }} as {{ text_type }}) as refresh_at,
        cast({{ cohortwise.literal(settings.refresh.weekday) }} as {{ text_type }}) as refresh_weekday,
        cast({{ cohortwise.literal(settings.owner) }} as {{ text_type }}) as owner,
        cast({{ cohortwise.literal(row.node.description or none) }} as {{ text_type }}) as description,
        cast({{ cohortwise.literal(settings.mode) }} as {{ text_type }}) as result_mode,
        cast({{ cohortwise.literal(tojson(settings.source, sort_keys=true) if settings.source is not none else none) }} as {{ text_type }}) as result_source,
        cast({{ cohortwise.literal(settings.size_change_threshold) }} as {{ cohortwise.data_type('float') }}) as size_change_threshold,
        {{ cohortwise.literal(cohortwise._cohort_definition_checksum(row.node)) }} as definition_checksum,
        {{ cohortwise.literal(row.node.relation_name | replace('"', '') | replace('`', '')) }} as relation_name
    {{ 'union all' if not loop.last }}
    {%- else %}

    select
        {%- for column in ['cohort_name', 'cohort_type', 'entity_type', 'timezone', 'refresh_schedule', 'refresh_at',
            'refresh_weekday', 'owner', 'description', 'result_mode', 'result_source'] %}
        cast(null as {{ text_type }}) as {{ column }},
        {%- endfor %}
        cast(null as {{ cohortwise.data_type('float') }}) as size_change_threshold,
        cast(null as {{ text_type }}) as definition_checksum,
        cast(null as {{ text_type }}) as relation_name
    from (select 1 as placeholder) as no_rows
    where 1 = 0
    {%- endfor %}

),

computations as (

    select
        cohort_name,
        computed_at,
        members,
        row_number() over (partition by cohort_name order by recorded_at desc, computed_at desc) as recency
    from {{ computations }}

)

select
    cohorts.*,
    latest.computed_at as last_computed_at,
    latest.members,
    previous.computed_at as previous_computed_at,
    previous.members as previous_members
from cohorts
left join computations as latest
    on
        cohorts.cohort_name = latest.cohort_name
        and latest.recency = 1
left join computations as previous
    on
        cohorts.cohort_name = previous.cohort_name
        and previous.recency = 2
{%- endmacro %}
