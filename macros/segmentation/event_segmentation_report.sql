{#-
    cohortwise.event_segmentation_report: the long table of an event segmentation model, ready for a
    line chart — one row per time bucket x event x segment x group value:

        {{ cohortwise.event_segmentation_report('segmentation_engagement') }}

    Every bucket of the date range is present for every event and segment (and every group value
    seen for the event in the range), with zeros where nothing happened. Columns:
    bucket_start (first day of the calendar bucket; the first and last bucket may be cut by the
    range), granularity, event_label, segment_label, group_value (null without group_by), events,
    people, adoption (people / active_entities; null when no entity of the segment was active),
    engagement (events / people; null without people), dau (average daily people over the
    bucket's elapsed days in the range), wau / mau (distinct entities with the event in the 7 / 30
    days ending on the bucket's last elapsed day), active_entities (the adoption denominator),
    elapsed_days, is_complete (the whole calendar bucket lies in the range and has ended by today,
    the computation day in the analysis' time zone).
-#}
{% macro event_segmentation_report(segmentation_model) -%}
    {{ config(meta={'cohortwise': {'analysis': 'event_segmentation_report', 'segmentation_model': segmentation_model}}) }}
    {{ cohortwise.table_grants('report') }}
    {%- set source = ref(segmentation_model) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ source) }}
    {%- endif -%}
    {%- set d = cohortwise._analysis_definition(segmentation_model, 'event_segmentation') -%}
    {{ return(cohortwise._segmentation_report_sql(source, d)) }}
{%- endmacro %}

{% macro _segmentation_report_sql(source, d) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set bounds = cohortwise._segmentation_range(d.date_range, d.timezone, d) -%}
    {%- set dates = cohortwise._segmentation_dates(bounds) -%}
    {%- set today = 'cast(' ~ cohortwise.local_day_start(0, d.timezone) ~ ' as date)' -%}
    {%- set entity_group = d.group_by and d.group_by.kind != 'event_property' -%}
    {%- set series_key = ['event_label', 'segment_label', 'group_value'] -%}
with activity as (

    select * from {{ source }}

),

numbers as (

    {{ cohortwise._numbers(d.max_days + 30) }}

),

{#- every day the report looks at: 29 days before the range (rolling metrics) to its end #}
calendar_days as (

    select
        numbers.n - 29 as day_offset,
        cast({{ dbt.dateadd('day', 'numbers.n - 29', dates.from) }} as date) as day_date
    from numbers

),

range_days as (

    select
        day_date,
        {{ cohortwise._calendar_period_index(d, 'day_date', is_local_date=true) }} as bucket_index
    from calendar_days
    where
        day_offset >= 0
        and day_date < {{ dates.to }}

),

buckets as (

    select
        bucket_index,
        {{ cohortwise._calendar_period_start(d, 'bucket_index') }} as bucket_start,
        {{ cohortwise._calendar_period_start(d, 'bucket_index + 1') }} as next_bucket_start,
        min(day_date) as first_day,
        sum(case when day_date <= {{ today }} then 1 else 0 end) as elapsed_days,
        max(case when day_date <= {{ today }} then day_date end) as last_elapsed_day
    from range_days
    group by bucket_index

),

series as (
    {%- if d.group_by %}

    select distinct event_label, group_value
    from activity
    where event_label is not null and {{ cohortwise.is_true('is_in_range') }}
    {%- else %}
    {%- for spec in d.events %}

    select
        cast({{ cohortwise.literal(spec.label) }} as {{ text_type }}) as event_label,
        cast(null as {{ text_type }}) as group_value
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}
    {%- endif %}

),

segments as (
    {%- for segment in d.segments %}

    select cast({{ cohortwise.literal(segment.label) }} as {{ text_type }}) as segment_label
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}

),

grid as (

    select
        buckets.bucket_start,
        buckets.next_bucket_start,
        buckets.first_day,
        buckets.elapsed_days,
        buckets.last_elapsed_day,
        series.event_label,
        segments.segment_label,
        series.group_value
    from buckets
    cross join series
    cross join segments

),

counted as (

    select
        event_label,
        segment_label,
        group_value,
        bucket_start,
        sum(event_count) as events,
        count(distinct entity_id) as people,
        count(*) as entity_days
    from activity
    where event_label is not null and {{ cohortwise.is_true('is_in_range') }}
    group by event_label, segment_label, group_value, bucket_start

),

active as (

    select
        segment_label,
        group_value,
        bucket_start,
        count(distinct entity_id) as active_entities
    from activity
    where event_label is null and {{ cohortwise.is_true('is_in_range') }}
    group by segment_label, group_value, bucket_start

),

{#-
    Rolling actives without a join of every day to every entity: an entity's active day d counts
    it on days d .. min(d + window, its next active day) - 1, so +1 on d and -1 where that ends;
    the running sum of those changes is the number of distinct entities on each day.
#}
active_days as (

    select
        event_label,
        segment_label,
        group_value,
        {{ cohortwise.day_number('activity_date') }} as day_number,
        lead({{ cohortwise.day_number('activity_date') }}) over (
            partition by event_label, segment_label, group_value, entity_id
            order by activity_date
        ) as next_day_number
    from activity
    where event_label is not null

),

changes as (

    select event_label, segment_label, group_value, day_number, 1 as week_change, 1 as month_change
    from active_days

    union all

    select
        event_label,
        segment_label,
        group_value,
        case when next_day_number is null or next_day_number > day_number + 7 then day_number + 7 else next_day_number end,
        -1,
        0
    from active_days

    union all

    select
        event_label,
        segment_label,
        group_value,
        case when next_day_number is null or next_day_number > day_number + 30 then day_number + 30 else next_day_number end,
        0,
        -1
    from active_days

),

daily_changes as (

    select
        event_label,
        segment_label,
        group_value,
        day_number,
        sum(week_change) as week_change,
        sum(month_change) as month_change
    from changes
    group by event_label, segment_label, group_value, day_number

),

rolling as (

    select
        event_label,
        segment_label,
        group_value,
        day_number,
        lead(day_number) over (
            partition by event_label, segment_label, group_value order by day_number
        ) as next_change_day_number,
        sum(week_change) over (
            partition by event_label, segment_label, group_value
            order by day_number rows between unbounded preceding and current row
        ) as weekly_entities,
        sum(month_change) over (
            partition by event_label, segment_label, group_value
            order by day_number rows between unbounded preceding and current row
        ) as monthly_entities
    from daily_changes

),

final as (

    select
        grid.bucket_start,
        cast({{ cohortwise.literal(d.granularity) }} as {{ text_type }}) as granularity,
        grid.event_label,
        grid.segment_label,
        grid.group_value,
        cast(coalesce(counted.events, 0) as {{ dbt.type_bigint() }}) as events,
        cast(coalesce(counted.people, 0) as {{ dbt.type_bigint() }}) as people,
        {{ cohortwise.safe_divide('coalesce(counted.people, 0)', 'active.active_entities') }} as adoption,
        {{ cohortwise.safe_divide('counted.events', 'counted.people') }} as engagement,
        {{ cohortwise.safe_divide('coalesce(counted.entity_days, 0)', 'grid.elapsed_days') }} as dau,
        cast(coalesce(rolling.weekly_entities, 0) as {{ dbt.type_bigint() }}) as wau,
        cast(coalesce(rolling.monthly_entities, 0) as {{ dbt.type_bigint() }}) as mau,
        cast(coalesce(active.active_entities, 0) as {{ dbt.type_bigint() }}) as active_entities,
        cast(grid.elapsed_days as {{ dbt.type_bigint() }}) as elapsed_days,
        {{ cohortwise.as_boolean('grid.first_day = grid.bucket_start and grid.next_bucket_start <= ' ~ dates.to
            ~ ' and grid.next_bucket_start <= ' ~ today) }} as is_complete
    from grid
    left join counted
        on grid.bucket_start = counted.bucket_start
        and {{ cohortwise._same_values('grid', 'counted', series_key) }}
    left join active
        on grid.bucket_start = active.bucket_start
        and grid.segment_label = active.segment_label
        {%- if entity_group %}
        and grid.group_value = active.group_value
        {%- endif %}
    left join rolling
        on {{ cohortwise._same_values('grid', 'rolling', series_key) }}
        and rolling.day_number <= {{ cohortwise.day_number('grid.last_elapsed_day') }}
        and (
            rolling.next_change_day_number is null
            or rolling.next_change_day_number > {{ cohortwise.day_number('grid.last_elapsed_day') }}
        )

)

select * from final
{%- endmacro %}

{#- null-safe equality of several columns of two relations -#}
{% macro _same_values(left, right, columns) -%}
    {%- set conditions = [] -%}
    {%- for column in columns -%}
        {%- do conditions.append('not ' ~ cohortwise.is_distinct_from(left ~ '.' ~ column, right ~ '.' ~ column)) -%}
    {%- endfor -%}
    {{ return(conditions | join('\n        and ')) }}
{%- endmacro %}
