{#-
    What the runner needs to know about past computations, as one select (dbt show --inline):
    per cohort its last two recorded computations (recency 1, 2) and the status of its last
    refresh. Empty, with the same columns, before the history tables exist.
-#}
{% macro runner_state() -%}
    {%- set computations = load_relation(ref('cohortwise', 'cohort_computations')) -%}
    {%- set run_log = load_relation(ref('cohortwise', 'cohort_run_log')) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- if computations is none -%}
select
    cast(null as {{ text_type }}) as cohort_name,
    cast(null as {{ cohortwise.data_type('timestamp') }}) as computed_at,
    cast(null as {{ dbt.type_bigint() }}) as members,
    cast(null as {{ text_type }}) as definition_checksum,
    cast(null as {{ dbt.type_bigint() }}) as recency,
    cast(null as {{ text_type }}) as last_status
from (select 1 as placeholder) as no_rows
where 1 = 0
    {%- else -%}
with ranked as (

    select
        cohort_name,
        computed_at,
        members,
        definition_checksum,
        row_number() over (partition by cohort_name order by recorded_at desc, computed_at desc) as recency
    from {{ computations }}

),

statuses as (
    {%- if run_log is none %}

    select
        cast(null as {{ text_type }}) as cohort_name,
        cast(null as {{ text_type }}) as last_status
    from (select 1 as placeholder) as no_rows
    where 1 = 0
    {%- else %}

    select
        cohort_name,
        status as last_status
    from (
        select
            cohort_name,
            status,
            row_number() over (partition by cohort_name order by finished_at desc, run_id desc) as recency
        from {{ run_log }}
    ) as logged
    where recency = 1
    {%- endif %}

)

select
    ranked.cohort_name,
    ranked.computed_at,
    ranked.members,
    ranked.definition_checksum,
    ranked.recency,
    statuses.last_status
from ranked
left join statuses
    on ranked.cohort_name = statuses.cohort_name
where ranked.recency <= 2
    {%- endif %}
{%- endmacro %}

{#- Members and distinct members of cohort models (names checked against the graph), for the runner's checks. -#}
{% macro runner_cohort_sizes(cohorts) -%}
    {%- set selects = [] -%}
    {%- for name in cohorts -%}
        {%- if not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', name | string) -%}
            {{ exceptions.raise_compiler_error('cohortwise.runner_cohort_sizes: not a model name: ' ~ (name | string)) }}
        {%- endif -%}
        {%- do selects.append('select ' ~ cohortwise.literal(name) ~ ' as cohort_name, count(*) as members,'
            ~ ' count(distinct entity_id) as distinct_members from ' ~ ref(name)) -%}
    {%- endfor -%}
    {{ return(selects | join('\nunion all\n')) }}
{%- endmacro %}
