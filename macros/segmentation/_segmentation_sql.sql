{#- The SQL of cohortwise.event_segmentation (see event_segmentation.sql for the semantics). -#}

{#-
    Whether the segmentation can read the daily per-entity aggregates instead of every event: the
    project time zone, an entity kept there, events chosen by name only and no event-property group.
-#}
{% macro _segmentation_reads_daily_activity(d) -%}
    {%- set ns = namespace(by_name=true) -%}
    {%- for spec in d.events -%}
        {%- if spec.where -%}{%- set ns.by_name = false -%}{%- endif -%}
    {%- endfor -%}
    {{ return(var('cohortwise__analyses_read_daily_activity', true)
        and ns.by_name
        and d.timezone == cohortwise._timezone_argument(none)
        and d.entity in cohortwise._daily_activity_entities()
        and not (d.group_by and d.group_by.kind == 'event_property')) }}
{%- endmacro %}

{#- the local dates [from, to) of a segmentation range, and the first day rolling metrics read -#}
{% macro _segmentation_dates(bounds) -%}
    {%- set from_date = 'cast(' ~ bounds.local_from ~ ' as date)' -%}
    {{ return({
        'from': from_date,
        'to': 'cast(' ~ bounds.local_to ~ ' as date)',
        'lookback': 'cast(' ~ dbt.dateadd('day', -29, from_date) ~ ' as date)',
    }) }}
{%- endmacro %}

{#- the whole numbers 0 .. count - 1, as a select of one column `n` -#}
{% macro _numbers(count) -%}
    {%- set ns = namespace(width=1) -%}
    {%- for _ in range(6) -%}
        {%- if 10 ** ns.width < count -%}{%- set ns.width = ns.width + 1 -%}{%- endif -%}
    {%- endfor -%}
    {%- set terms = [] -%}
    {%- for k in range(ns.width) -%}{%- do terms.append('d' ~ k ~ '.digit * ' ~ 10 ** k) -%}{%- endfor -%}
select {{ terms | join(' + ') }} as n
from {% for k in range(ns.width) -%}
    (select 0 as digit union all select 1 union all select 2 union all select 3 union all select 4
        union all select 5 union all select 6 union all select 7 union all select 8 union all select 9) as d{{ k }}
    {{- ' cross join ' if not loop.last }}
{%- endfor %}
where {{ terms | join(' + ') }} < {{ count }}
{%- endmacro %}

{% macro _segmentation_sql(definition) -%}
    {%- set d = definition.public -%}
    {%- set dates = cohortwise._segmentation_dates(definition.range) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set daily = cohortwise._segmentation_reads_daily_activity(d) -%}
    {%- set group = d.group_by -%}
    {%- set needs_users = (group and group.kind == 'user_attribute') -%}
    {#- every relation on every path, so that dbt records the same dependencies whatever the vars -#}
    {%- set events_relation = ref('cohortwise', 'fct_events') -%}
    {%- set activity_relation = ref('cohortwise', 'fct_daily_activity') -%}
    {%- set days_relation = ref('cohortwise', 'fct_entity_days') -%}
    {%- set users_relation = ref('cohortwise', 'dim_users') -%}
    {%- set null_text = 'cast(null as ' ~ text_type ~ ')' -%}

with
{%- if daily %}
{%- set entity_literal = cohortwise.literal(d.entity) %}
{#- the daily aggregates: days are already calendar days of the project time zone #}
scoped as (
    {%- for spec in d.events %}

    select
        entity_id,
        activity_date,
        cast({{ cohortwise.literal(spec.label) }} as {{ text_type }}) as event_label,
        {{ null_text }} as group_value,
        event_count
    from {{ days_relation if spec.event == '*' else activity_relation }}
    where
        entity_type = {{ entity_literal }}
        {%- if spec.event != '*' %}
        and event_name = {{ cohortwise.literal(spec.event) }}
        {%- endif %}
        and activity_date >= {{ dates.lookback }}
        and activity_date < {{ dates.to }}

    union all
    {%- endfor %}

    {#- activity rows (event_label null): the denominators of adoption #}
    select
        entity_id,
        activity_date,
        {{ null_text }} as event_label,
        {{ null_text }} as group_value,
        event_count
    from {{ days_relation }}
    where
        entity_type = {{ entity_literal }}
        and activity_date >= {{ dates.from }}
        and activity_date < {{ dates.to }}

),
{%- else %}
{%- set local_date = 'cast(' ~ cohortwise.to_local_timestamp('event_at', d.timezone) ~ ' as date)' %}
{%- set utc_lookback = cohortwise.timestamp_add('day', -30, definition.range.utc_from) %}
{#- the event property of an event-property group; null for the other groups (read per entity below) #}
{%- set group_expression = cohortwise._event_breakdown_expression(group) %}
scoped as (
    {%- for spec in d.events %}

    select
        entity_id,
        activity_date,
        cast({{ cohortwise.literal(spec.label) }} as {{ text_type }}) as event_label,
        group_value,
        count(*) as event_count
    from (
        select
            {{ d.entity }} as entity_id,
            {{ local_date }} as activity_date,
            {{ group_expression }} as group_value
        from {{ events_relation }} as fct_events
        where
            {{ d.entity }} is not null
            and event_at >= {{ utc_lookback }}
            and event_at < {{ definition.range.utc_to }}
            and {{ cohortwise._event_condition(spec) }}
    ) as matched
    where
        activity_date >= {{ dates.lookback }}
        and activity_date < {{ dates.to }}
    group by entity_id, activity_date, group_value

    union all
    {%- endfor %}

    select
        entity_id,
        activity_date,
        {{ null_text }} as event_label,
        {{ null_text }} as group_value,
        count(*) as event_count
    from (
        select
            {{ d.entity }} as entity_id,
            {{ local_date }} as activity_date
        from {{ events_relation }} as fct_events
        where
            {{ d.entity }} is not null
            and event_at >= {{ definition.range.utc_from }}
            and event_at < {{ definition.range.utc_to }}
    ) as active
    where
        activity_date >= {{ dates.from }}
        and activity_date < {{ dates.to }}
    group by entity_id, activity_date

),
{%- endif %}

{#- the group each row belongs to: an event property (read above), a user attribute or cohorts #}
grouped as (
    {%- if group and group.kind == 'cohort' %}
    {%- for cohort in group.cohorts %}

    select
        scoped.entity_id,
        scoped.activity_date,
        scoped.event_label,
        cast({{ cohortwise.literal(cohort) }} as {{ text_type }}) as group_value,
        scoped.event_count
    from scoped
    where scoped.entity_id in (select cohort.entity_id from {{ ref(cohort) }} as cohort)
    {{- '\n\n    union all' if not loop.last }}
    {%- endfor %}
    {%- elif needs_users %}

    select
        scoped.entity_id,
        scoped.activity_date,
        scoped.event_label,
        coalesce(cast(users.{{ adapter.quote(group.name) }} as {{ text_type }}), '(none)') as group_value,
        scoped.event_count
    from scoped
    left join {{ users_relation }} as users
        on scoped.entity_id = users.user_id
    {%- elif group %}

    select
        entity_id,
        activity_date,
        event_label,
        case when event_label is not null then coalesce(group_value, '(none)') end as group_value,
        event_count
    from scoped
    {%- else %}

    select * from scoped
    {%- endif %}

),

{#- one copy of each row per segment its entity is in #}
segmented as (
    {%- for segment in d.segments %}

    select
        grouped.entity_id,
        grouped.activity_date,
        grouped.event_label,
        cast({{ cohortwise.literal(segment.label) }} as {{ text_type }}) as segment_label,
        grouped.group_value,
        grouped.event_count
    from grouped
    {%- if segment.where %}
    left join {{ users_relation }} as users
        on grouped.entity_id = users.user_id
    {%- endif %}
    where
        1 = 1
        {%- for condition in segment.where %}
        and {{ cohortwise._user_condition(condition, 'users') }}
        {%- endfor %}
        {{ cohortwise._cohort_filter({'in': segment.in_cohort, 'not_in': segment.not_in_cohort}, 'entity_id', 'grouped') }}
    {{- '\n\n    union all' if not loop.last }}
    {%- endfor %}

),

final as (

    select
        entity_id,
        event_label,
        segment_label,
        group_value,
        activity_date,
        {{ cohortwise._calendar_period_start(d, cohortwise._calendar_period_index(d, 'activity_date', is_local_date=true)) }}
            as bucket_start,
        {{ cohortwise.as_boolean('activity_date >= ' ~ dates.from) }} as is_in_range,
        event_count
    from segmented

)

select * from final
{%- endmacro %}
