{#-
    cohortwise.event_segmentation: how often, and by how many entities, events happen per time
    bucket, segment and group (DESIGN.md 3.3). The model holds one row per entity, event, segment,
    group value and active day (the drill-down table); cohortwise.event_segmentation_report turns
    it into the long report table (rpt_event_segmentation).

        {{ cohortwise.event_segmentation(
            events=['app_open', {'event': 'pay_order', 'name': 'Paid orders',
                                 'where': [{'property': 'amount', 'op': '>=', 'value': 50}]}],
            granularity='week',
            date_range={'relative': 'last_30_days'},
            segments=[{'name': 'US', 'where': [{'attribute': 'country', 'op': '=', 'value': 'US'}]},
                      {'name': 'Not VIPs', 'not_in_cohort': 'cohort_vips'}],
            group_by={'user_attribute': 'plan'},
        ) }}

    Arguments
    - events: 1 to 10 event specifications (an event name, '*' for any event, or a mapping with
      `event`, an optional `name` (its label) and `where` property conditions); labels unique.
    - granularity: day, week (starting on first_day_of_week) or month, calendar buckets in the
      reporting time zone (`timezone`, default the project's).
    - date_range: {'from', 'to'} (to excluded), {'last_days': N}, {'since': date}, or
      {'relative': today | yesterday | last_7_days | last_30_days | this_week | previous_week |
      this_month | previous_month}; relative to the computation time (cohortwise__as_of or now).
    - segments: up to 4, each {'name': label, 'where': [user-attribute conditions],
      'in_cohort': model(s), 'not_in_cohort': model(s)}; an entity is in a segment when all its
      conditions hold, and counts in every segment it is in. None: one segment 'All users'.
      User-attribute conditions are {'attribute', 'op', 'value'} on dim_users columns with the
      operators =, !=, >, >=, <, <=, in, not in, contains, is null, is not null, between.
    - group_by: {'event_property': p}, {'user_attribute': a} or {'cohorts': [models]} (cohort
      comparison: one group per cohort, an entity in several is in each). Missing values group
      as '(none)'.
    - entity: user_id (default), device_id or account_id; user attributes need user_id.

    Metrics (in the report), per event x bucket x segment x group: events (matching events),
    people (distinct entities with one), adoption (people / entities of the segment, and of the
    group when it is an entity's attribute or cohort, active on any event in the bucket),
    engagement (events / people); dau = average daily people over the bucket's elapsed days,
    wau / mau = distinct entities with the event in the 7 / 30 days ending on the bucket's last
    elapsed day (they look back before the date range).

    Cost: linear in events. When the events are chosen by name (no property filter, no
    event-property group) in the project time zone, it reads the daily per-entity aggregates
    (fct_daily_activity, fct_entity_days) instead of the events.
-#}
{% macro event_segmentation(
    events,
    date_range,
    granularity='day',
    segments=none,
    group_by=none,
    entity='user_id',
    first_day_of_week='monday',
    timezone=none
) -%}
    {%- set definition = cohortwise._segmentation_definition(
        events, date_range, granularity, segments, group_by, entity, first_day_of_week, timezone) -%}
    {{ config(meta={'cohortwise': {'analysis': 'event_segmentation', 'event_segmentation': definition.public}}) }}
    {{ cohortwise.table_grants('detail') }}
    {{ return(cohortwise._segmentation_sql(definition)) }}
{%- endmacro %}


{% macro _segmentation_definition(events, date_range, granularity, segments, group_by, entity, first_day_of_week, timezone) -%}
    {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
        {{ cohortwise._argument_error('entity', "must be user_id, device_id or account_id; got " ~ (entity | string)) }}
    {%- endif -%}
    {%- if events is string or events is mapping -%}
        {%- set events = [events] -%}
    {%- endif -%}
    {%- if events is none or events is not iterable or events | length < 1 or events | length > 10 -%}
        {{ cohortwise._argument_error('events', 'must list 1 to 10 events') }}
    {%- endif -%}
    {%- set specs = [] -%}
    {%- set labels = [] -%}
    {%- for event in events -%}
        {%- set spec = cohortwise._event_spec(event, 'events[' ~ loop.index0 ~ ']') -%}
        {%- if spec.label in labels -%}
            {{ cohortwise._argument_error('events[' ~ loop.index0 ~ '].name', "label '" ~ spec.label
                ~ "' is used twice; give each event its own 'name'") }}
        {%- endif -%}
        {%- do labels.append(spec.label) -%}
        {%- do specs.append(spec) -%}
    {%- endfor -%}
    {%- if granularity not in ('day', 'week', 'month') -%}
        {{ cohortwise._argument_error('granularity', "must be day, week or month; got " ~ (granularity | string)) }}
    {%- endif -%}
    {%- set week_offset = cohortwise._week_offset(first_day_of_week) -%}
    {%- set zone = cohortwise._timezone_argument(timezone) -%}
    {%- set calendar = {'period': granularity, 'timezone': zone,
        'week_offset': week_offset} -%}
    {%- set range = cohortwise._segmentation_range(date_range, zone, calendar) -%}
    {%- set segment_specs = cohortwise._segments_argument(segments, entity) -%}
    {%- set group = cohortwise._segmentation_group_argument(group_by, entity) -%}
    {%- set public = {
        'events': specs, 'granularity': granularity, 'date_range': date_range, 'segments': segment_specs,
        'group_by': group, 'entity': entity, 'first_day_of_week': first_day_of_week, 'timezone': zone,
        'period': granularity, 'week_offset': calendar.week_offset, 'max_days': range.max_days,
    } -%}
    {{ return({'public': public, 'range': range}) }}
{%- endmacro %}


{#-
    The date range of a segmentation: what _date_range accepts, plus {'relative': name}. Adds
    max_days, a bound on the number of days in the range known at compile time (the day spine).
-#}
{% macro _segmentation_range(spec, zone, calendar) -%}
    {%- set relative_days = {'today': [0, 1], 'yesterday': [-1, 0], 'last_7_days': [-6, 1], 'last_30_days': [-29, 1]} -%}
    {%- if spec is mapping and spec.keys() | list == ['relative'] -%}
        {%- set name = spec['relative'] -%}
        {%- if name in relative_days -%}
            {%- set days = relative_days[name] -%}
            {{ return({
                'local_from': cohortwise.local_day_start(days[0], zone),
                'local_to': cohortwise.local_day_start(days[1], zone),
                'utc_from': cohortwise.timestamp_add('day', days[0] - 1, cohortwise.current_timestamp_utc()),
                'utc_to': cohortwise.timestamp_add('day', 2, cohortwise.current_timestamp_utc()),
                'max_days': days[1] - days[0],
            }) }}
        {%- elif name in ('this_week', 'previous_week', 'this_month', 'previous_month') -%}
            {%- set unit = name.split('_')[1] -%}
            {%- set shift = -1 if name.startswith('previous') else 0 -%}
            {%- set period = {'period': unit, 'timezone': zone, 'week_offset': calendar.week_offset} -%}
            {%- set today_index = cohortwise._calendar_period_index(period, cohortwise.current_timestamp_utc()) -%}
            {%- set timestamp_type = cohortwise.data_type('timestamp') -%}
            {%- set start = cohortwise._calendar_period_start(period, '(' ~ today_index ~ ' + ' ~ shift ~ ')') -%}
            {%- set end = cohortwise._calendar_period_start(period, '(' ~ today_index ~ ' + ' ~ (shift + 1) ~ ')') -%}
            {{ return({
                'local_from': cohortwise._local_midnight(start),
                'local_to': cohortwise._local_midnight(end),
                'utc_from': cohortwise.timestamp_add('day', -70 if unit == 'month' else -16, cohortwise.current_timestamp_utc()),
                'utc_to': cohortwise.timestamp_add('day', 2, cohortwise.current_timestamp_utc()) if shift == -1
                    else cohortwise.timestamp_add('day', 33 if unit == 'month' else 9, cohortwise.current_timestamp_utc()),
                'max_days': 31 if unit == 'month' else 7,
            }) }}
        {%- endif -%}
        {{ cohortwise._argument_error('date_range.relative', 'must be one of '
            ~ (relative_days.keys() | list + ['this_week', 'previous_week', 'this_month', 'previous_month']) | join(', ')
            ~ '; got ' ~ (name | string)) }}
    {%- endif -%}
    {%- set bounds = cohortwise._date_range(spec, 'date_range', zone) -%}
    {%- if 'from' in spec -%}
        {%- set days = (modules.datetime.date.fromisoformat(spec['to']) - modules.datetime.date.fromisoformat(spec['from'])).days -%}
    {%- elif 'last_days' in spec -%}
        {%- set days = spec['last_days'] | int -%}
    {%- else -%}
        {#- since a date: through today, as of the computation time -#}
        {%- set as_of = var('cohortwise__as_of', none) -%}
        {%- set today = modules.datetime.date.fromisoformat((as_of | string)[:10]) if as_of is not none
            else modules.datetime.date.today() -%}
        {%- set days = (today - modules.datetime.date.fromisoformat(spec['since'])).days + 2 -%}
        {%- if days < 1 -%}
            {{ cohortwise._argument_error('date_range.since', 'is after today (' ~ today ~ ')') }}
        {%- endif -%}
    {%- endif -%}
    {%- if days > 3660 -%}
        {{ cohortwise._argument_error('date_range', 'spans ' ~ days ~ ' days; at most 3660 are supported') }}
    {%- endif -%}
    {%- do bounds.update({'max_days': days}) -%}
    {{ return(bounds) }}
{%- endmacro %}

{#- a local date expression as a local midnight timestamp (comparable with to_local_timestamp) -#}
{% macro _local_midnight(date_expression) -%}
    {{ return(adapter.dispatch('_local_midnight', 'cohortwise')(date_expression)) }}
{%- endmacro %}

{% macro default___local_midnight(date_expression) -%}
    {{ return('cast(' ~ date_expression ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')') }}
{%- endmacro %}

{#- BigQuery: local values are DATETIME -#}
{% macro bigquery___local_midnight(date_expression) -%}
    {{ return('datetime(' ~ date_expression ~ ')') }}
{%- endmacro %}


{#- [{name, where, in_cohort, not_in_cohort}] | none -> normalized segments -#}
{% macro _segments_argument(segments, entity) -%}
    {%- if segments is none or segments == [] -%}
        {{ return([{'label': 'All users' if entity == 'user_id' else 'All ' ~ entity.replace('_id', 's'),
            'where': [], 'in_cohort': [], 'not_in_cohort': []}]) }}
    {%- endif -%}
    {%- if segments is mapping or segments is string or segments is not iterable -%}
        {{ cohortwise._argument_error('segments', "must be a list of {'name': ..., 'where': [...], 'in_cohort': ..., 'not_in_cohort': ...}") }}
    {%- endif -%}
    {%- if segments | length > 4 -%}
        {{ cohortwise._argument_error('segments', 'at most 4 segments; got ' ~ segments | length) }}
    {%- endif -%}
    {%- set normalized = [] -%}
    {%- set labels = [] -%}
    {%- for segment in segments -%}
        {%- set argument = 'segments[' ~ loop.index0 ~ ']' -%}
        {%- if segment is not mapping -%}
            {{ cohortwise._argument_error(argument, "must be a mapping with 'name'") }}
        {%- endif -%}
        {%- for key in segment -%}
            {%- if key not in ('name', 'where', 'in_cohort', 'not_in_cohort') -%}
                {{ cohortwise._argument_error(argument, "unknown key '" ~ key ~ "'; expected name, where, in_cohort, not_in_cohort") }}
            {%- endif -%}
        {%- endfor -%}
        {%- set label = segment.get('name') -%}
        {%- if label is not string or label | trim == '' -%}
            {{ cohortwise._argument_error(argument ~ '.name', 'must be a non-empty display name') }}
        {%- endif -%}
        {%- if label in labels -%}
            {{ cohortwise._argument_error(argument ~ '.name', "'" ~ label ~ "' names two segments") }}
        {%- endif -%}
        {%- do labels.append(label) -%}
        {%- set where = segment.get('where', []) or [] -%}
        {%- if where is mapping or where is string -%}
            {{ cohortwise._argument_error(argument ~ '.where', 'must be a list of user-attribute conditions') }}
        {%- endif -%}
        {%- if where and entity != 'user_id' -%}
            {{ cohortwise._argument_error(argument ~ '.where', 'user attributes need entity user_id (the analysis counts '
                ~ entity ~ ')') }}
        {%- endif -%}
        {%- for condition in where -%}
            {%- do cohortwise._check_user_condition(condition, argument ~ '.where[' ~ loop.index0 ~ ']') -%}
        {%- endfor -%}
        {%- set cohorts = cohortwise._cohorts_argument({'in': segment.get('in_cohort', []) or [],
            'not_in': segment.get('not_in_cohort', []) or []}) -%}
        {%- do normalized.append({'label': label, 'where': where, 'in_cohort': cohorts['in'], 'not_in_cohort': cohorts['not_in']}) -%}
    {%- endfor -%}
    {{ return(normalized) }}
{%- endmacro %}

{#- {'event_property': p} | {'user_attribute': a} | {'cohorts': [models]} | none -> {kind, name, cohorts} -#}
{% macro _segmentation_group_argument(group_by, entity) -%}
    {%- if group_by is mapping and group_by.keys() | list == ['cohorts'] -%}
        {%- set models = group_by['cohorts'] -%}
        {%- set models = [models] if models is string else models -%}
        {%- set spec = cohortwise._cohorts_argument({'in': models}) -%}
        {%- if not spec['in'] -%}
            {{ cohortwise._argument_error('group_by.cohorts', 'must list at least one cohort model') }}
        {%- endif -%}
        {{ return({'kind': 'cohort', 'name': none, 'cohorts': spec['in']}) }}
    {%- endif -%}
    {%- set breakdown = cohortwise._breakdown_argument(group_by, entity) -%}
    {%- if breakdown is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'kind': breakdown.kind, 'name': breakdown.name, 'cohorts': []}) }}
{%- endmacro %}
