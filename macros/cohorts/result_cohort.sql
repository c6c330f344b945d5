{#-
    Result cohorts: the entities behind one number of an analysis (DESIGN.md 3.5).

    Dynamic: re-applies the drill-down on every build, so the cohort follows the analysis.
        {{ cohortwise.result_cohort('funnel_purchase', {'drill': 'dropped', 'step': 2}) }}
        {{ cohortwise.result_cohort('retention_daily', {'cohort_period': '2024-03-01', 'period_number': 7}) }}
        {{ cohortwise.result_cohort('segmentation_engagement', {'event': 'pay_order', 'bucket': '2024-03-04',
                                                                'segment': 'Android'}) }}
    The drill keys are the arguments of cohortwise.funnel_drilldown, retention_drilldown or
    event_segmentation_drilldown; the members are exactly the drill-down's entities.

    Static: a frozen list of ids (the snapshot table the runner's save-cohort writes, or a seed)
    with a column entity_id; meta.cohortwise.source records the drill-down it came from.
        {{ cohortwise.static_result_cohort(ref('snapshot_cart_not_ordered_20240331')) }}
-#}
{% macro result_cohort(analysis_model, drill) -%}
    {{- cohortwise.table_grants('cohort') -}}
    {%- if not execute -%}
        {{ return(cohortwise._drilldown_select(analysis_model, drill, none)) }}
    {%- endif -%}
    {%- set settings = cohortwise._this_cohort('result') -%}
    {%- if settings.mode != 'dynamic' -%}
        {{ exceptions.raise_compiler_error("cohortwise: in model '" ~ model.name ~ "': meta.cohortwise.mode must be dynamic for"
            ~ ' cohortwise.result_cohort (a static result cohort calls cohortwise.static_result_cohort)') }}
    {%- endif -%}
    {{ return(cohortwise._result_members(cohortwise._drilldown_select(analysis_model, drill, settings.entity))) }}
{%- endmacro %}

{#-
    cohortwise.result_snapshot: the frozen ids behind a static result cohort. Its model is
    incremental with full_refresh false: the first build stores the drill-down's entities (and when),
    later builds add nothing, so the list never changes.
        {{ config(materialized='incremental', full_refresh=false) }}
        {{ cohortwise.result_snapshot('funnel_purchase', {'drill': 'dropped', 'step': 2}) }}
-#}
{% macro result_snapshot(analysis_model, drill) -%}
    {{- cohortwise.table_grants('cohort') -}}
    {%- set drilled = cohortwise._drilldown_select(analysis_model, drill, none) -%}
    {%- if not execute -%} {{ return(drilled) }} {%- endif -%}
    {#- frozen: after the first build, which stored the ids, nothing is added -#}
    {{ return(cohortwise._result_members(drilled, 'saved_at', cohortwise.is_incremental_run())) }}
{%- endmacro %}

{#- the drill-down select of an analysis model for a mapping of its drill-down arguments (entity checked when given) -#}
{% macro _drilldown_select(analysis_model, drill, entity) -%}
    {%- if analysis_model is not string or not modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', analysis_model) -%}
        {{ cohortwise._argument_error('analysis_model', 'must be the name of an analysis model; got ' ~ (analysis_model | string)) }}
    {%- endif -%}
    {%- if drill is not mapping -%}
        {{ cohortwise._argument_error('drill', 'must be a mapping of drill-down arguments; got ' ~ (drill | string)) }}
    {%- endif -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ ref(analysis_model) ~ ' cross join ' ~ ref('cohortwise', 'dim_users')) }}
    {%- endif -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.name == analysis_model -%}
            {%- set analysis = (node.config.meta or {}).get('cohortwise', {}).get('analysis') -%}
            {%- set definition = (node.config.meta or {}).get('cohortwise', {}).get(analysis, {}) -%}
            {%- if analysis not in ('funnel', 'retention', 'event_segmentation') -%}
                {{ cohortwise._argument_error('analysis_model', "'" ~ analysis_model ~ "' is not a funnel, retention or event segmentation model") }}
            {%- endif -%}
            {%- if entity is not none and definition.entity != entity -%}
                {{ cohortwise._argument_error('analysis_model', "'" ~ analysis_model ~ "' counts " ~ definition.entity
                    ~ '; this cohort holds ' ~ entity) }}
            {%- endif -%}
            {%- set arguments = {
                'funnel': ['drill', 'step'],
                'retention': ['cohort_period', 'period_number'],
                'event_segmentation': ['event', 'bucket', 'segment', 'group'],
            }[analysis] -%}
            {%- for key in drill -%}
                {%- if key not in arguments -%}
                    {{ cohortwise._argument_error('drill', "unknown key '" ~ key ~ "' for a " ~ analysis ~ ' drill-down; expected '
                        ~ arguments | join(', ')) }}
                {%- endif -%}
            {%- endfor -%}
            {%- if analysis == 'funnel' -%}
                {{ return(cohortwise.funnel_drilldown(analysis_model, drill.get('drill', 'converted'), drill.get('step'))) }}
            {%- elif analysis == 'retention' -%}
                {{ return(cohortwise.retention_drilldown(analysis_model, drill.get('cohort_period'), drill.get('period_number'))) }}
            {%- endif -%}
            {{ return(cohortwise.event_segmentation_drilldown(analysis_model, drill.get('event'), drill.get('bucket'),
                drill.get('segment'), drill.get('group'))) }}
        {%- endif -%}
    {%- endfor -%}
    {{ cohortwise._argument_error('analysis_model', "no model named '" ~ analysis_model ~ "'") }}
{%- endmacro %}

{% macro static_result_cohort(ids) -%}
    {{- cohortwise.table_grants('cohort') -}}
    {%- if execute -%}
        {%- set settings = cohortwise._this_cohort('result') -%}
        {%- if settings.mode != 'static' -%}
            {{ exceptions.raise_compiler_error("cohortwise: in model '" ~ model.name ~ "': meta.cohortwise.mode must be static for"
                ~ ' cohortwise.static_result_cohort') }}
        {%- endif -%}
    {%- endif -%}
    {{ return(cohortwise._result_members('select * from ' ~ ids)) }}
{%- endmacro %}

{#- distinct entity ids of a drill-down select with the computation time; none at all when `frozen` -#}
{% macro _result_members(select_sql, time_column='computed_at', frozen=false) -%}
select distinct
    cast(drilled.entity_id as {{ cohortwise.data_type('text') }}) as entity_id,
    {{ cohortwise.computed_at() }} as {{ time_column }}
from (
    {{ select_sql | indent(4) }}
) as drilled
where
    drilled.entity_id is not null
    {%- if frozen %}
    and 1 = 0
    {%- endif %}
{%- endmacro %}
