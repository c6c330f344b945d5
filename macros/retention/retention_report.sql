{#-
    cohortwise.retention_report: the retention table of a retention model, one row per breakdown
    value, cohort period and period number 0..periods:

        {{ cohortwise.retention_report('retention_weekly') }}

    cohort_size counts the cohort's members; retained_entities those that returned in the period
    (criterion on) or in it or later (on_or_after); retention_rate is their share, null while the
    cell is incomplete. A cell is complete once its period has fully elapsed for every member by the
    latest event in the data: with calendar boundaries, the cohort's period + p has ended; with
    rolling ones, the last member's t0 + (p + 1) * len has passed.
-#}
{% macro retention_report(retention_model) -%}
    {{ config(meta={'cohortwise': {'analysis': 'retention_report', 'retention_model': retention_model}}) }}
    {{ cohortwise.table_grants('report') }}
    {%- set source = ref(retention_model) -%}
    {%- set events = ref('cohortwise', 'fct_events') -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ source ~ ' cross join ' ~ events) }}
    {%- endif -%}
    {%- set d = cohortwise._analysis_definition(retention_model, 'retention') -%}
    {{ return(cohortwise._retention_report_sql(source, events, d)) }}
{%- endmacro %}

{% macro _retention_report_sql(source, events, d) -%}
    {%- set same_cell = 'cells.cohort_period = counted.cohort_period and cells.period_number = counted.period_number'
        ~ ' and (cells.breakdown_value = counted.breakdown_value'
        ~ ' or (cells.breakdown_value is null and counted.breakdown_value is null))' -%}
with retention as (

    select * from {{ source }}

),

data_end as (

    select max(event_at) as latest_event_at from {{ events }}

),

period_numbers as (

    {%- for p in range(0, d.periods + 1) %}
    select {{ p }} as period_number
    {{- ' union all' if not loop.last }}
    {%- endfor %}

),

cohorts as (

    select
        breakdown_value,
        cohort_period,
        count(*) as cohort_size,
        max(cohort_started_at) as last_started_at
    from retention
    where period_number = 0
    group by breakdown_value, cohort_period

),

cells as (

    select
        cohorts.breakdown_value,
        cohorts.cohort_period,
        cohorts.cohort_size,
        period_numbers.period_number,
        {%- if d.boundaries == 'rolling' %}
        {{ cohortwise.as_boolean(cohortwise.seconds_between('cohorts.last_started_at', 'data_end.latest_event_at')
            ~ ' >= (period_numbers.period_number + 1) * ' ~ d.period_seconds) }} as is_complete
        {%- else %}
        {%- set cohort_index = cohortwise._calendar_period_index_of_date(d, 'cohorts.cohort_period') %}
        {%- set latest_index = cohortwise._calendar_period_index(d, 'data_end.latest_event_at') %}
        {{ cohortwise.as_boolean(cohort_index ~ ' + period_numbers.period_number < ' ~ latest_index) }} as is_complete
        {%- endif %}
    from cohorts
    cross join period_numbers
    cross join data_end

),

{%- if d.criterion == 'on' %}

counted as (

    select
        breakdown_value,
        cohort_period,
        period_number,
        count(*) as retained_entities
    from retention
    where {{ cohortwise.is_true('is_retained') }}
    group by breakdown_value, cohort_period, period_number

),
{%- else %}

{#- on_or_after: members by their last return period (capped), summed from the last period down -#}
last_periods as (

    select
        breakdown_value,
        cohort_period,
        case when last_return_period > {{ d.periods }} then {{ d.periods }} else last_return_period end as period_number,
        count(*) as members
    from retention
    where period_number = 0 and last_return_period is not null
    group by
        breakdown_value,
        cohort_period,
        case when last_return_period > {{ d.periods }} then {{ d.periods }} else last_return_period end

),

counted as (

    select
        cells.breakdown_value,
        cells.cohort_period,
        cells.period_number,
        sum(last_periods.members) as retained_entities
    from cells
    inner join last_periods
        on cells.cohort_period = last_periods.cohort_period
        and last_periods.period_number >= cells.period_number
        and (cells.breakdown_value = last_periods.breakdown_value
            or (cells.breakdown_value is null and last_periods.breakdown_value is null))
    group by cells.breakdown_value, cells.cohort_period, cells.period_number

),
{%- endif %}

final as (

    select
        cells.breakdown_value,
        cells.cohort_period,
        cast(cells.cohort_size as {{ dbt.type_bigint() }}) as cohort_size,
        cells.period_number,
        cast(coalesce(counted.retained_entities, 0) as {{ dbt.type_bigint() }}) as retained_entities,
        case
            when {{ cohortwise.is_true('cells.is_complete') }}
                then {{ cohortwise.safe_divide('coalesce(counted.retained_entities, 0)', 'cells.cohort_size') }}
        end as retention_rate,
        cells.is_complete
    from cells
    left join counted
        on {{ same_cell }}

)

select * from final
{%- endmacro %}

{#- the period number of a cohort_period date (its first day) -#}
{% macro _calendar_period_index_of_date(d, date_expression) -%}
    {%- if d.period == 'day' -%}
        {{ return(cohortwise.day_number(date_expression)) }}
    {%- elif d.period == 'week' -%}
        {{ return(cohortwise.int_div(cohortwise.day_number(date_expression) ~ ' + ' ~ d.week_offset, 7)) }}
    {%- endif -%}
    {{ return('cast((' ~ cohortwise.date_part('year', date_expression) ~ ' - 1900) * 12 + '
        ~ cohortwise.date_part('month', date_expression) ~ ' - 1 as ' ~ dbt.type_bigint() ~ ')') }}
{%- endmacro %}
