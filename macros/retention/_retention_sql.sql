{#- The SQL of cohortwise.retention (see retention.sql for the semantics and the cost). -#}

{#- a UTC timestamp column's calendar period in the reporting zone, as a whole number -#}
{% macro _calendar_period_index(d, timestamp_column, is_local_date=false) -%}
    {%- set local = timestamp_column if is_local_date else cohortwise.to_local_timestamp(timestamp_column, d.timezone) -%}
    {%- if d.period == 'day' -%}
        {{ return(cohortwise.day_number(local)) }}
    {%- elif d.period == 'week' -%}
        {{ return(cohortwise.int_div(cohortwise.day_number(local) ~ ' + ' ~ d.week_offset, 7)) }}
    {%- endif -%}
    {{ return('cast((' ~ cohortwise.date_part('year', local) ~ ' - 1900) * 12 + ' ~ cohortwise.date_part('month', local)
        ~ ' - 1 as ' ~ dbt.type_bigint() ~ ')') }}
{%- endmacro %}

{#- the first day of a period, from its number -#}
{% macro _calendar_period_start(d, index_expression) -%}
    {%- set base = "cast('1900-01-01' as date)" -%}
    {%- if d.period == 'day' -%}
        {%- set start = dbt.dateadd('day', index_expression, base) -%}
    {%- elif d.period == 'week' -%}
        {%- set start = dbt.dateadd('day', index_expression ~ ' * 7 - ' ~ d.week_offset, base) -%}
    {%- else -%}
        {%- set start = dbt.dateadd('month', index_expression, base) -%}
    {%- endif -%}
    {{ return('cast(' ~ start ~ ' as date)') }}
{%- endmacro %}

{#-
    Whether the retention can read fct_daily_activity instead of every event: calendar periods in
    the project time zone, the entity kept there, and start / return events chosen by name only
    (no property filter, no event-property breakdown).
-#}
{% macro _retention_reads_daily_activity(d) -%}
    {{ return(var('cohortwise__analyses_read_daily_activity', true)
        and d.boundaries == 'calendar'
        and d.timezone == cohortwise._timezone_argument(none)
        and d.entity in cohortwise._daily_activity_entities()
        and not d.start_event.where and not d.return_event.where
        and not (d.breakdown and d.breakdown.kind == 'event_property')) }}
{%- endmacro %}

{% macro _retention_sql(definition, incremental=none) -%}
    {%- set d = definition.public -%}
    {%- set bounds = definition.range -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set rolling = d.boundaries == 'rolling' -%}
    {%- set daily = cohortwise._retention_reads_daily_activity(d) -%}
    {#- both refs on every path, so that dbt records the same dependencies whatever the vars -#}
    {%- set events_relation = ref('cohortwise', 'fct_events') -%}
    {%- set activity_relation = ref('cohortwise', 'fct_daily_activity') -%}
    {%- set days_relation = ref('cohortwise', 'fct_entity_days') -%}
    {%- set entity_literal = cohortwise.literal(d.entity) -%}
    {#- an incremental run joins every source to the entities it recomputes (see _retention_incremental) -#}
    {%- set recomputed_join = '' -%}
    {%- if incremental is not none -%}
        {%- set recomputed_join = '\n    inner join recomputed_entities\n        on {}.{} = recomputed_entities.recomputed_entity_id' -%}
    {%- endif %}
{%- if incremental is not none %}
{%- set start_or_return = '(' ~ cohortwise._event_condition(d.start_event) ~ ' or ' ~ cohortwise._event_condition(d.return_event) ~ ')' %}

{#- the entities with a start or return event in the recomputed days (an empty table: from the range start) #}
with recomputed_entities as (

    select distinct
        {%- if daily %}
        entity_id as recomputed_entity_id
    from {{ activity_relation }} as activity
    where
        entity_type = {{ entity_literal }}
        {#- a UTC day's events fall on that day or the one before in any time zone #}
        and activity_date >= coalesce(
            cast({{ dbt.dateadd('day', -1, incremental.first_day) }} as date), cast({{ bounds.local_from }} as date))
        and {{ start_or_return }}
        {%- else %}
        {{ d.entity }} as recomputed_entity_id
    from {{ events_relation }} as fct_events
    where
        {{ d.entity }} is not null
        and event_at >= coalesce(cast({{ incremental.first_day }} as {{ cohortwise.data_type('timestamp') }}), {{ bounds.utc_from }})
        and {{ start_or_return }}
        {%- endif %}

    union

    {#- and those whose rows reach the recomputed days: the period after an entity's last return (or
        after period 0 without one) ends on or after the day before first_day, so an event deleted
        from those days (a start, a return) can change its rows #}
    select entity_id as recomputed_entity_id
    from {{ this }}
    where
        {%- if rolling %}
        cast({{ cohortwise.timestamp_add('second', '(coalesce(last_return_period, 0) + 1) * ' ~ d.period_seconds, 'cohort_started_at') }} as date)
        {%- else %}
        cast({{ dbt.dateadd(d.period, '(coalesce(last_return_period, 0) + 1)', 'cohort_period') }} as date)
        {%- endif %}
            >= cast({{ dbt.dateadd('day', -1, incremental.first_day) }} as date)

),
{%- endif %}

{%- if daily %}
{%- set local_index = cohortwise._calendar_period_index(d, 'activity_date', is_local_date=true) %}
{#- the per-entity daily aggregate: days are already calendar days of the project time zone -#}
{{ 'with ' if incremental is none }}start_days as (

    select
        entity_id,
        activity_date,
        first_event_at
    from {{ activity_relation }} as activity
    {{- recomputed_join.format('activity', 'entity_id') }}
    where
        entity_type = {{ entity_literal }}
        and {{ cohortwise._event_condition(d.start_event) }}
        {{ cohortwise._cohort_filter(d.cohorts, 'entity_id', 'activity') }}

),

memberships as (

    select
        entity_id,
        cast(null as {{ text_type }}) as breakdown_value,
        {%- if d.cohort_mode == 'recurring' %}
        {{ local_index }} as cohort_index,
        {{ cohortwise._calendar_period_start(d, local_index) }} as cohort_period,
        min(first_event_at) as cohort_started_at
    from start_days
    group by entity_id, {{ local_index }}
        {%- else %}
        {%- set first_index = cohortwise._calendar_period_index(d, 'min(activity_date)', is_local_date=true) %}
        {{ first_index }} as cohort_index,
        {{ cohortwise._calendar_period_start(d, first_index) }} as cohort_period,
        min(first_event_at) as cohort_started_at
    from start_days
    group by entity_id
        {%- endif %}

),
{%- else %}
{#- fct_events is read where needed (twice; three times in an incremental run), not through an import
    CTE: DuckDB would materialize a copy of it -#}
{{ 'with ' if incremental is none }}start_events as (

    select
        fct_events.{{ d.entity }} as entity_id,
        event_id,
        event_at,
        {{ cohortwise._event_breakdown_expression(d.breakdown) }} as breakdown_value,
        {{ cohortwise._calendar_period_index(d, 'event_at') }} as period_index
    from {{ events_relation }} as fct_events
    {{- recomputed_join.format('fct_events', d.entity) }}
    where
        {{ d.entity }} is not null
        and {{ cohortwise._event_condition(d.start_event) }}
        {{ cohortwise._cohort_filter(d.cohorts, d.entity, 'fct_events') }}

),

ranked_starts as (

    select
        *,
        row_number() over (
            partition by entity_id{{ ', period_index' if d.cohort_mode == 'recurring' }}
            order by event_at asc, event_id asc
        ) as start_rank
    from start_events

),

memberships as (

    select
        entity_id,
        breakdown_value,
        period_index as cohort_index,
        {{ cohortwise._calendar_period_start(d, 'period_index') }} as cohort_period,
        event_at as cohort_started_at
    from ranked_starts
    where start_rank = 1

),

{%- endif %}

in_range as (

    select * from memberships
    where
        cohort_period >= cast({{ bounds.local_from }} as date)
        and cohort_period < cast({{ bounds.local_to }} as date)

),

{%- if daily %}

{%- set any_event = d.return_event.event == '*' %}
{#- any event: the active days; one row per entity and day already, so daily periods need no grouping -#}
return_periods as (

    select
        entity_id,
        {{ local_index }} as period_index,
        {{ 'last_event_at' if any_event and d.period == 'day' else 'max(last_event_at)' }} as last_at
    from {{ days_relation if any_event else activity_relation }} as activity
    {{- recomputed_join.format('activity', 'entity_id') }}
    where
        entity_type = {{ entity_literal }}
        and activity_date >= cast({{ bounds.local_from }} as date)
        {%- if not any_event %}
        and {{ cohortwise._event_condition(d.return_event) }}
        {%- endif %}
    {%- if not (any_event and d.period == 'day') %}
    group by entity_id, {{ local_index }}
    {%- endif %}

),

last_returns as (

    select
        entity_id,
        max(last_at) as last_return_at
    from return_periods
    group by entity_id

),
{%- else %}
return_events as (

    select
        fct_events.{{ d.entity }} as entity_id,
        event_at,
        {{ cohortwise._calendar_period_index(d, 'event_at') }} as period_index
    from {{ events_relation }} as fct_events
    {{- recomputed_join.format('fct_events', d.entity) }}
    where
        {{ d.entity }} is not null
        and event_at >= {{ bounds.utc_from }}
        and {{ cohortwise._event_condition(d.return_event) }}

),

last_returns as (

    select
        entity_id,
        max(event_at) as last_return_at
    from return_events
    group by entity_id

),

{%- endif %}
{%- if rolling %}

{#- rolling: each return event meets the memberships whose t0 is at most (periods + 1) periods before it -#}
retained as (

    select distinct
        memberships.entity_id,
        memberships.cohort_index,
        cast(floor({{ cohortwise.seconds_between('memberships.cohort_started_at', 'returns.event_at') }}
            / {{ d.period_seconds }}) as {{ dbt.type_bigint() }}) as period_number
    from in_range as memberships
    inner join return_events as returns
        on memberships.entity_id = returns.entity_id
        and returns.event_at >= memberships.cohort_started_at
        and returns.event_at < {{ cohortwise.timestamp_add(
            'second', (d.periods + 1) * d.period_seconds, 'memberships.cohort_started_at') }}

),
{%- else %}

{#- calendar: one row per entity and period, then at most periods + 1 memberships per row -#}
{%- if not daily %}

return_periods as (

    select
        entity_id,
        period_index,
        max(event_at) as last_at
    from return_events
    group by entity_id, period_index

),
{%- endif %}

retained as (

    select
        memberships.entity_id,
        memberships.cohort_index,
        returns.period_index - memberships.cohort_index as period_number
    from in_range as memberships
    inner join return_periods as returns
        on memberships.entity_id = returns.entity_id
        and returns.period_index >= memberships.cohort_index
        and returns.period_index <= memberships.cohort_index + {{ d.periods }}
        and (returns.period_index > memberships.cohort_index or returns.last_at >= memberships.cohort_started_at)

),
{%- endif %}

members as (

    select
        memberships.*,
        case
            when last_returns.last_return_at >= memberships.cohort_started_at then
            {%- if rolling %}
                cast(floor({{ cohortwise.seconds_between('memberships.cohort_started_at', 'last_returns.last_return_at') }}
                    / {{ d.period_seconds }}) as {{ dbt.type_bigint() }})
            {%- else %}
                {{ cohortwise._calendar_period_index(d, 'last_returns.last_return_at') }} - memberships.cohort_index
            {%- endif %}
        end as last_return_period
    from in_range as memberships
    left join last_returns
        on memberships.entity_id = last_returns.entity_id

),

rows_by_period as (

    select
        members.entity_id,
        members.breakdown_value,
        members.cohort_period,
        0 as period_number,
        {{ cohortwise.as_boolean('first_period.entity_id is not null') }} as is_retained,
        members.cohort_started_at,
        members.last_return_period
    from members
    left join retained as first_period
        on members.entity_id = first_period.entity_id
        and members.cohort_index = first_period.cohort_index
        and first_period.period_number = 0
    union all
    select
        members.entity_id,
        members.breakdown_value,
        members.cohort_period,
        later.period_number,
        {{ cohortwise.bool_literal(true) }} as is_retained,
        members.cohort_started_at,
        members.last_return_period
    from members
    inner join retained as later
        on members.entity_id = later.entity_id
        and members.cohort_index = later.cohort_index
        and later.period_number between 1 and {{ d.periods }}

),

final as (

    select
        rows_by_period.entity_id,
        {%- if d.breakdown and d.breakdown.kind == 'user_attribute' %}
        cast(users.{{ adapter.quote(d.breakdown.name) }} as {{ text_type }}) as breakdown_value,
        {%- else %}
        rows_by_period.breakdown_value,
        {%- endif %}
        rows_by_period.cohort_period,
        rows_by_period.period_number,
        rows_by_period.is_retained,
        rows_by_period.cohort_started_at,
        rows_by_period.last_return_period
    from rows_by_period
    {%- if d.breakdown and d.breakdown.kind == 'user_attribute' %}
    left join {{ ref('cohortwise', 'dim_users') }} as users
        on rows_by_period.entity_id = users.user_id
    {%- endif %}

)
{%- if incremental is none %}

select * from final
{%- else %}

{#- every recomputed entity: one left without a cohort gets one row with no cohort, which the post-hook deletes #}
{{ cohortwise._every_recomputed_entity(['breakdown_value', 'cohort_period', 'period_number', 'is_retained',
    'cohort_started_at', 'last_return_period']) }}
{%- endif %}
{%- endmacro %}
