{#-
    cohortwise.funnel_report: the BI table of a funnel model, one row per breakdown value and step.

        {{ cohortwise.funnel_report('funnel_purchase') }}

    Reads the funnel's definition from that model's meta (it lives in one place) and its per-entity
    rows, and gives per step: entities that reached it, attempts that reached it, conversion from
    step 1 and from the previous step, entities that stopped there (step_reached = step, last step
    excluded), the median seconds from entry and the average seconds from the previous step over the
    entities that reached it. Every step has a row, with zeros when nobody reached it. The median is
    computed with window functions (the middle one or two values), which every warehouse has.
-#}
{% macro funnel_report(funnel_model) -%}
    {%- if funnel_model is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', funnel_model) -%}
        {{ cohortwise._argument_error('funnel_model', 'must be the name of a funnel model; got ' ~ (funnel_model | string)) }}
    {%- endif -%}
    {{ config(meta={'cohortwise': {'analysis': 'funnel_report', 'funnel_model': funnel_model}}) }}
    {{ cohortwise.table_grants('report') }}
    {%- set source = ref(funnel_model) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ source) }}
    {%- endif -%}
    {%- set definition = cohortwise._analysis_definition(funnel_model, 'funnel') -%}
    {{ return(cohortwise._funnel_report_sql(source, definition)) }}
{%- endmacro %}

{#- the definition an analysis macro stored in a model's meta; a compile error when there is none -#}
{% macro _analysis_definition(model_name, analysis) -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == model_name -%}
            {%- set meta = (node.config.meta or {}).get('cohortwise', {}) -%}
            {%- if meta.get('analysis') != analysis or analysis not in meta -%}
                {{ cohortwise._argument_error('funnel_model' if analysis == 'funnel' else 'model',
                    "model '" ~ model_name ~ "' is not a " ~ analysis ~ ' (it does not call cohortwise.' ~ analysis ~ ')') }}
            {%- endif -%}
            {{ return(meta[analysis]) }}
        {%- endif -%}
    {%- endfor -%}
    {{ cohortwise._argument_error('model', "no model named '" ~ model_name ~ "'") }}
{%- endmacro %}

{% macro _funnel_report_sql(source, definition) -%}
    {%- set n = definition.steps | length -%}
    {%- set same_breakdown = '(aggregated.breakdown_value = grid.breakdown_value'
        ~ ' or (aggregated.breakdown_value is null and grid.breakdown_value is null))' -%}
with funnel as (

    select * from {{ source }}

),

steps as (

    {%- for step in definition.steps %}
    select
        {{ loop.index }} as step_number,
        {{ cohortwise.literal(step.label) }} as step_name
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

breakdowns as (

    select distinct breakdown_value from funnel

),

grid as (

    select
        breakdowns.breakdown_value,
        steps.step_number,
        steps.step_name
    from breakdowns
    cross join steps

),

reached as (

    select
        funnel.breakdown_value,
        steps.step_number,
        funnel.step_reached,
        case steps.step_number
            {%- for k in range(1, n + 1) %}
            when {{ k }} then funnel.step_{{ k }}_attempts
            {%- endfor %}
        end as attempts,
        case steps.step_number
            when 1 then 0
            {%- for k in range(2, n + 1) %}
            when {{ k }} then {{ cohortwise.seconds_between('funnel.step_1_at', 'funnel.step_' ~ k ~ '_at') }}
            {%- endfor %}
        end as seconds_from_start,
        case steps.step_number
            {%- for k in range(2, n + 1) %}
            when {{ k }} then {{ cohortwise.seconds_between('funnel.step_' ~ (k - 1) ~ '_at', 'funnel.step_' ~ k ~ '_at') }}
            {%- endfor %}
        end as seconds_from_previous
    from funnel
    inner join steps
        on funnel.step_reached >= steps.step_number

),

ranked as (

    select
        *,
        row_number() over (
            partition by breakdown_value, step_number order by seconds_from_start asc
        ) as seconds_rank,
        count(*) over (partition by breakdown_value, step_number) as reached_count
    from reached

),

aggregated as (

    select
        breakdown_value,
        step_number,
        count(*) as entities,
        cast(sum(attempts) as {{ dbt.type_bigint() }}) as attempts,
        cast(sum(case when step_reached = step_number and step_number < {{ n }} then 1 else 0 end) as {{ dbt.type_bigint() }})
            as dropped_entities,
        avg(
            case when 2 * seconds_rank between reached_count and reached_count + 2 then seconds_from_start end
        ) as median_seconds_from_start,
        avg(seconds_from_previous) as avg_seconds_from_previous
    from ranked
    group by breakdown_value, step_number

),

joined as (

    select
        grid.breakdown_value,
        grid.step_number,
        grid.step_name,
        cast(coalesce(aggregated.entities, 0) as {{ dbt.type_bigint() }}) as entities,
        cast(coalesce(aggregated.attempts, 0) as {{ dbt.type_bigint() }}) as attempts,
        cast(coalesce(aggregated.dropped_entities, 0) as {{ dbt.type_bigint() }}) as dropped_entities,
        aggregated.median_seconds_from_start,
        aggregated.avg_seconds_from_previous
    from grid
    left join aggregated
        on grid.step_number = aggregated.step_number
        and {{ same_breakdown }}

),

final as (

    select
        breakdown_value,
        step_number,
        step_name,
        entities,
        attempts,
        {{ cohortwise.safe_divide(
            'entities',
            'max(case when step_number = 1 then entities end) over (partition by breakdown_value)') }}
            as conversion_from_start,
        {{ cohortwise.safe_divide(
            'entities',
            'lag(entities) over (partition by breakdown_value order by step_number)') }}
            as conversion_from_previous,
        dropped_entities,
        median_seconds_from_start,
        avg_seconds_from_previous
    from joined

)

select * from final
{%- endmacro %}
