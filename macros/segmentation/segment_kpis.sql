{#-
    cohortwise.segment_kpis: monthly KPIs of user segments for BI (DESIGN.md 3.4), one row per
    segment dimension x segment value x month:

        {{ cohortwise.segment_kpis(months={'from': '2024-01-01', 'to': '2024-04-01'}) }}

    Who is counted. A user belongs to a month once it has signed up (signed_up_at, else its first
    event) before the month ends. Months are calendar months of the project time zone; `months`
    selects those overlapping [from, to).

    Segment dimensions (band edges are lower edges, included in their band; from vars):
    - all: every user ('All users'), the baseline;
    - signup_month: the month the user signed up ('YYYY-MM-01');
    - spend_band: the user's spend in the month (cohortwise__spend_band_edges);
    - accounts: distinct accounts the user has used up to the month's end (cohortwise__account_band_edges);
    - activity_level: days the user was active in the month (cohortwise__activity_band_edges).

    KPIs: users; active_users (with an event in the month); avg_active_minutes_per_active_day (the
    active users' session minutes / their active days); spend (sum of cohortwise__spend_property
    over cohortwise__spend_events, in the data's currency); spend_per_user (spend / users);
    accounts_per_user; events_per_active_user. Session minutes: the gaps between a user's
    consecutive events that are at most cohortwise__session_timeout_minutes long (a longer gap
    ends the session), each counted on the day of the event that ends it; a lone event is 0.
    Every band value appears in every month (zeros, null ratios); signup months as they occur.

    Reads the events twice, narrowly: the session gaps order only (user, time), spend reads the spend
    events alone; events and active days per user-month come from fct_entity_days when it keeps
    users (cohortwise__daily_activity_entities) and cohortwise__analyses_read_daily_activity is on,
    from the events otherwise.
-#}
{% macro segment_kpis(months) -%}
    {%- set settings = cohortwise._segment_kpi_settings(months) -%}
    {{ config(meta={'cohortwise': {'analysis': 'segment_kpis', 'segment_kpis': settings}}) }}
    {{ cohortwise.table_grants('report') }}
    {{ return(cohortwise._segment_kpis_sql(settings)) }}
{%- endmacro %}

{#- a list of increasing numbers from a var -#}
{% macro _band_edges(var_name, default) -%}
    {%- set edges = var(var_name, default) -%}
    {%- if edges is string or edges is mapping or edges is not iterable or edges | length == 0 -%}
        {{ cohortwise._raise_var_error(var_name, 'must be a non-empty list of increasing numbers') }}
    {%- endif -%}
    {%- for edge in edges -%}
        {%- if edge is not number or edge is sameas true or edge is sameas false
            or (not loop.first and edge <= edges[loop.index0 - 1]) -%}
            {{ cohortwise._raise_var_error(var_name, 'must be a non-empty list of increasing numbers; got ' ~ (edges | string)) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(edges) }}
{%- endmacro %}

{#-
    The bands of a list of lower edges: [{'lower', 'upper', 'label'}], lower included, upper
    excluded (none: unbounded). Counts (whole numbers) read '0', '1-4', '15+'; amounts '0-100',
    '500+'. Below the first edge: a band of its own for counts when the first edge is above 0,
    for amounts when it is above 0 too.
-#}
{% macro _bands(edges, whole_numbers) -%}
    {%- set bands = [] -%}
    {%- if edges[0] > 0 -%}
        {%- if whole_numbers -%}
            {%- set label = '0' if edges[0] == 1 else '0-' ~ ((edges[0] - 1) | int) -%}
        {%- else -%}
            {%- set label = 'below ' ~ edges[0] -%}
        {%- endif -%}
        {%- do bands.append({'lower': none, 'upper': edges[0], 'label': label}) -%}
    {%- endif -%}
    {%- for edge in edges -%}
        {%- set upper = edges[loop.index0 + 1] if not loop.last else none -%}
        {%- if upper is none -%}
            {%- set label = edge ~ '+' -%}
        {%- elif whole_numbers and upper - 1 == edge -%}
            {%- set label = edge | string -%}
        {%- elif whole_numbers -%}
            {%- set label = edge ~ '-' ~ ((upper - 1) | int) -%}
        {%- else -%}
            {%- set label = edge ~ '-' ~ upper -%}
        {%- endif -%}
        {%- do bands.append({'lower': edge, 'upper': upper, 'label': label}) -%}
    {%- endfor -%}
    {{ return(bands) }}
{%- endmacro %}

{% macro _segment_kpi_settings(months) -%}
    {%- if months is not mapping or months.keys() | list | sort != ['from', 'to'] -%}
        {{ cohortwise._argument_error('months', "must be {'from': 'YYYY-MM-DD', 'to': 'YYYY-MM-DD'}; got " ~ (months | string)) }}
    {%- endif -%}
    {%- do cohortwise._check_date(months['from'], 'months.from') -%}
    {%- do cohortwise._check_date(months['to'], 'months.to') -%}
    {%- if months['from'] >= months['to'] -%}
        {{ cohortwise._argument_error('months', "'from' must be before 'to' (to is excluded)") }}
    {%- endif -%}
    {%- set first = modules.datetime.date.fromisoformat(months['from']).replace(day=1) -%}
    {%- set end = modules.datetime.date.fromisoformat(months['to']) -%}
    {%- set starts = [] -%}
    {%- set ns = namespace(month=first) -%}
    {%- for _ in range(1200) -%}
        {%- if ns.month < end -%}
            {%- do starts.append(ns.month.isoformat()) -%}
            {%- set ns.month = (ns.month + modules.datetime.timedelta(days=32)).replace(day=1) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set spend_events = var('cohortwise__spend_events', []) or [] -%}
    {%- if spend_events is string or spend_events is mapping -%}
        {{ cohortwise._raise_var_error('cohortwise__spend_events', 'must be a list of event names') }}
    {%- endif -%}
    {%- for name in spend_events -%}
        {%- if name is not string or name | trim == '' -%}
            {{ cohortwise._raise_var_error('cohortwise__spend_events', 'must be a list of event names; got ' ~ (name | string)) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set spend_property = var('cohortwise__spend_property', 'amount') -%}
    {%- if spend_property is not string or spend_property | trim == '' -%}
        {{ cohortwise._raise_var_error('cohortwise__spend_property', 'must be a property name') }}
    {%- endif -%}
    {%- set timeout = var('cohortwise__session_timeout_minutes', 30) -%}
    {%- if timeout is not number or timeout is sameas true or timeout <= 0 -%}
        {{ cohortwise._raise_var_error('cohortwise__session_timeout_minutes', 'must be a positive number of minutes; got '
            ~ (timeout | string)) }}
    {%- endif -%}
    {{ return({
        'months': starts,
        'spend_events': spend_events,
        'spend_property': spend_property,
        'session_timeout_seconds': timeout * 60,
        'spend_bands': cohortwise._bands(cohortwise._band_edges('cohortwise__spend_band_edges', [0, 100, 500]), false),
        'account_bands': cohortwise._bands(cohortwise._band_edges('cohortwise__account_band_edges', [1, 2, 3]), true),
        'activity_bands': cohortwise._bands(cohortwise._band_edges('cohortwise__activity_band_edges', [1, 5, 15]), true),
        'timezone': cohortwise._timezone_argument(none),
    }) }}
{%- endmacro %}

{#- the band label of a numeric SQL expression -#}
{% macro _band_case(expression, bands) -%}
    {%- set whens = [] -%}
    {%- for band in bands -%}
        {%- if band.upper is not none -%}
            {%- do whens.append('when ' ~ expression ~ ' < ' ~ band.upper ~ ' then ' ~ cohortwise.literal(band.label)) -%}
        {%- else -%}
            {%- do whens.append('else ' ~ cohortwise.literal(band.label)) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('case ' ~ whens | join(' ') ~ ' end') }}
{%- endmacro %}

{% macro _segment_kpis_sql(s) -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set timestamp_type = cohortwise.data_type('timestamp') -%}
    {%- set float_type = cohortwise.data_type('float') -%}
    {%- set bigint = dbt.type_bigint() -%}
    {%- set first_month = cohortwise.literal(s.months[0]) -%}
    {%- set end_month = (modules.datetime.date.fromisoformat(s.months[-1]) + modules.datetime.timedelta(days=32)).replace(day=1).isoformat() -%}
    {%- set month_of = cohortwise._month_start('activity_date') -%}
    {#- the events of the months, one day of margin each side for the time zone -#}
    {%- set months_events = 'event_at >= ' ~ cohortwise.timestamp_add('day', -1, 'cast(' ~ first_month ~ ' as ' ~ timestamp_type ~ ')')
        ~ ' and event_at < ' ~ cohortwise.timestamp_add('day', 1, 'cast(' ~ cohortwise.literal(end_month) ~ ' as ' ~ timestamp_type ~ ')') -%}
    {%- set local_date = 'cast(' ~ cohortwise.to_local_timestamp('event_at', s.timezone) ~ ' as date)' -%}
    {%- set spend_expression = cohortwise._property_expression(s.spend_property, 'numeric') -%}
    {%- set events_relation = ref('cohortwise', 'fct_events') -%}
    {%- set users_relation = ref('cohortwise', 'dim_users') -%}
    {%- set reads_days = var('cohortwise__analyses_read_daily_activity', true) and 'user_id' in cohortwise._daily_activity_entities() -%}
    {#- every ref on every path, so that dbt records the same dependencies whatever the vars -#}
    {%- set days_relation = ref('cohortwise', 'fct_entity_days') -%}
    {#- segment dimension, the user-month column it bands, its bands #}
    {%- set band_dimensions = [
        ('spend_band', 'spend', s.spend_bands),
        ('accounts', 'accounts', s.account_bands),
        ('activity_level', 'active_days', s.activity_bands),
    ] -%}
with months as (
    {%- for month in s.months %}

    select cast({{ cohortwise.literal(month) }} as date) as month_start
    {{- '\n    union all' if not loop.last }}
    {%- endfor %}

),

{#-
    The active seconds: each event's gap since the user's previous event (the events of the months,
    one day of margin each side for the time zone), only the two columns the ordering needs
#}
gaps as (

    select
        user_id,
        event_at,
        {{ cohortwise.seconds_between(
            'lag(event_at) over (partition by user_id order by event_at)', 'event_at') }} as seconds_since_previous
    from {{ events_relation }} as fct_events
    where
        user_id is not null
        and {{ months_events }}

),

local_gaps as (

    select
        user_id,
        {{ local_date }} as activity_date,
        seconds_since_previous
    from gaps

),

month_seconds as (

    select
        user_id,
        {{ month_of }} as month_start,
        {%- if not reads_days %}
        count(*) as events,
        count(distinct activity_date) as active_days,
        {%- endif %}
        sum(case when seconds_since_previous <= {{ s.session_timeout_seconds }} then seconds_since_previous else 0 end)
            as active_seconds
    from local_gaps
    where
        activity_date >= cast({{ first_month }} as date)
        and activity_date < cast({{ cohortwise.literal(end_month) }} as date)
    group by user_id, {{ month_of }}

),

{#- events and active days per user and month: from the users' active days (the same local days) when
    fct_entity_days keeps them and analyses read it (cohortwise__analyses_read_daily_activity) #}
month_days as (
    {%- if reads_days %}

    select
        entity_id as user_id,
        {{ month_of }} as month_start,
        sum(event_count) as events,
        count(*) as active_days
    from {{ days_relation }} as fct_entity_days
    where
        entity_type = 'user_id'
        and activity_date >= cast({{ first_month }} as date)
        and activity_date < cast({{ cohortwise.literal(end_month) }} as date)
    group by entity_id, {{ month_of }}
    {%- else %}

    select user_id, month_start, events, active_days
    from month_seconds
    {%- endif %}

),
{%- if s.spend_events %}

{#- spend, from the spend events alone #}
spend_events as (

    select
        user_id,
        {{ local_date }} as activity_date,
        coalesce(cast({{ spend_expression }} as {{ float_type }}), 0) as spend
    from {{ events_relation }} as fct_events
    where
        user_id is not null
        and event_name in ({% for name in s.spend_events %}{{ cohortwise.literal(name) }}{{ ', ' if not loop.last }}{% endfor %})
        and {{ months_events }}

),

month_spend as (

    select
        user_id,
        {{ month_of }} as month_start,
        sum(spend) as spend
    from spend_events
    where
        activity_date >= cast({{ first_month }} as date)
        and activity_date < cast({{ cohortwise.literal(end_month) }} as date)
    group by user_id, {{ month_of }}

),
{%- endif %}

user_months as (

    select
        month_days.user_id,
        month_days.month_start,
        month_days.events,
        month_days.active_days,
        coalesce(month_seconds.active_seconds, 0) as active_seconds,
        {%- if s.spend_events %}
        coalesce(month_spend.spend, 0) as spend
        {%- else %}
        cast(0 as {{ float_type }}) as spend
        {%- endif %}
    from month_days
    left join month_seconds
        on
            month_days.user_id = month_seconds.user_id
            and month_days.month_start = month_seconds.month_start
    {%- if s.spend_events %}
    left join month_spend
        on
            month_days.user_id = month_spend.user_id
            and month_days.month_start = month_spend.month_start
    {%- endif %}

),

{#- the month each of a user's accounts was first used (over all time) #}
first_account_use as (

    select
        user_id,
        account_id,
        {{ cohortwise._month_start('cast(' ~ cohortwise.to_local_timestamp('min(event_at)', s.timezone) ~ ' as date)') }}
            as month_start
    from {{ events_relation }} as fct_events
    where user_id is not null and account_id is not null
    group by user_id, account_id

),

users as (

    select
        user_id,
        {{ cohortwise._month_start('cast(' ~ cohortwise.to_local_timestamp('coalesce(signed_up_at, first_seen_at)', s.timezone) ~ ' as date)') }}
            as signup_month
    from {{ users_relation }}
    where coalesce(signed_up_at, first_seen_at) is not null

),

{#- every user in every month from its sign-up month on #}
population as (

    select
        users.user_id,
        users.signup_month,
        months.month_start
    from users
    inner join months
        on users.signup_month <= months.month_start

),

account_counts as (

    select
        population.user_id,
        population.month_start,
        count(first_account_use.account_id) as accounts
    from population
    left join first_account_use
        on
            population.user_id = first_account_use.user_id
            and first_account_use.month_start <= population.month_start
    group by population.user_id, population.month_start

),

user_month_facts as (

    select
        population.user_id,
        population.month_start,
        population.signup_month,
        coalesce(user_months.events, 0) as events,
        coalesce(user_months.active_days, 0) as active_days,
        coalesce(user_months.active_seconds, 0) as active_seconds,
        coalesce(user_months.spend, 0) as spend,
        account_counts.accounts
    from population
    inner join account_counts
        on
            population.user_id = account_counts.user_id
            and population.month_start = account_counts.month_start
    left join user_months
        on
            population.user_id = user_months.user_id
            and population.month_start = user_months.month_start

),

segmented as (

    select
        cast('all' as {{ text_type }}) as segment_dimension,
        cast('All users' as {{ text_type }}) as segment_value,
        user_month_facts.*
    from user_month_facts

    union all

    select
        cast('signup_month' as {{ text_type }}) as segment_dimension,
        cast(signup_month as {{ text_type }}) as segment_value,
        user_month_facts.*
    from user_month_facts
    {%- for dimension, column, bands in band_dimensions %}

    union all

    select
        cast({{ cohortwise.literal(dimension) }} as {{ text_type }}) as segment_dimension,
        cast({{ cohortwise._band_case(column, bands) }} as {{ text_type }}) as segment_value,
        user_month_facts.*
    from user_month_facts
    {%- endfor %}

),

{#- every band in every month, so that BI shows empty bands as zeros #}
grid as (

    select distinct segment_dimension, segment_value, month_start
    from segmented
    where segment_dimension in ('all', 'signup_month')
    {%- for dimension, _, bands in band_dimensions %}
    {%- for band in bands %}

    union all

    select
        cast({{ cohortwise.literal(dimension) }} as {{ text_type }}) as segment_dimension,
        cast({{ cohortwise.literal(band.label) }} as {{ text_type }}) as segment_value,
        month_start
    from months
    {%- endfor %}
    {%- endfor %}

),

aggregated as (

    select
        segment_dimension,
        segment_value,
        month_start,
        count(*) as users,
        sum(case when events > 0 then 1 else 0 end) as active_users,
        sum(active_seconds) as active_seconds,
        sum(active_days) as active_days,
        sum(spend) as spend,
        sum(accounts) as accounts,
        sum(events) as events
    from segmented
    group by segment_dimension, segment_value, month_start

),

final as (

    select
        grid.segment_dimension,
        grid.segment_value,
        grid.month_start,
        cast(coalesce(aggregated.users, 0) as {{ bigint }}) as users,
        cast(coalesce(aggregated.active_users, 0) as {{ bigint }}) as active_users,
        {{ cohortwise.safe_divide('aggregated.active_seconds / 60.0', 'aggregated.active_days') }} as avg_active_minutes_per_active_day,
        cast(coalesce(aggregated.spend, 0) as {{ float_type }}) as spend,
        {{ cohortwise.safe_divide('aggregated.spend', 'aggregated.users') }} as spend_per_user,
        {{ cohortwise.safe_divide('aggregated.accounts', 'aggregated.users') }} as accounts_per_user,
        {{ cohortwise.safe_divide('aggregated.events', 'aggregated.active_users') }} as events_per_active_user
    from grid
    left join aggregated
        on
            grid.segment_dimension = aggregated.segment_dimension
            and grid.segment_value = aggregated.segment_value
            and grid.month_start = aggregated.month_start

)

select * from final
{%- endmacro %}

{#- the first day of a local date's month (through the calendar helpers every warehouse passes) -#}
{% macro _month_start(date_expression) -%}
    {%- set month = {'period': 'month', 'timezone': 'UTC', 'week_offset': 0} -%}
    {{ return(cohortwise._calendar_period_start(month, cohortwise._calendar_period_index(month, date_expression, is_local_date=true))) }}
{%- endmacro %}
