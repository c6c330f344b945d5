{#- Time arguments shared by the analyses: durations and date ranges, validated. -#}

{#- a duration ('30 minutes', '1 day', '2 weeks' or a number of seconds) as whole seconds -#}
{% macro _duration_seconds(value, argument, minimum=1, maximum=31622400) -%}
    {%- set units = {'second': 1, 'minute': 60, 'hour': 3600, 'day': 86400, 'week': 604800} -%}
    {%- if value is number and value is not sameas true and value is not sameas false -%}
        {%- set seconds = value -%}
    {%- elif value is string and modules.re.match('^\\s*[0-9]+\\s+(second|minute|hour|day|week)s?\\s*$', value) -%}
        {%- set parts = value.split() -%}
        {%- set seconds = (parts[0] | int) * units[parts[1].rstrip('s')] -%}
    {%- else -%}
        {{ cohortwise._argument_error(argument, "must be a number of seconds or a text like '30 minutes', '1 day',"
            ~ " '2 weeks'; got " ~ (value | string)) }}
    {%- endif -%}
    {%- if seconds != (seconds | int) or seconds < minimum or seconds > maximum -%}
        {{ cohortwise._argument_error(argument, 'must be a whole number of seconds from ' ~ minimum ~ ' to ' ~ maximum
            ~ ' (366 days); got ' ~ (value | string)) }}
    {%- endif -%}
    {{ return(seconds | int) }}
{%- endmacro %}

{% macro _check_date(value, argument) -%}
    {%- if value is not string or not modules.re.match('^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$', value) -%}
        {{ cohortwise._argument_error(argument, "must be a date 'YYYY-MM-DD'; got " ~ (value | string)) }}
    {%- endif -%}
{%- endmacro %}

{#-
    A date range of calendar days in the reporting time zone, [from, to):
        {'from': '2024-03-01', 'to': '2024-04-01'}   absolute (to excluded)
        {'last_days': 30}                            the last 30 days, today included
        {'since': '2024-03-01'}                      from that day through today
    Returns SQL for the local bounds (compare with to_local_timestamp values) and a slightly wider
    UTC range (one day either side: no zone is more than 14 hours off) to prune events cheaply.
-#}
{% macro _date_range(spec, argument, timezone) -%}
    {%- if spec is not mapping -%}
        {{ cohortwise._argument_error(argument, "must be {'from': ..., 'to': ...}, {'last_days': N} or {'since': ...}") }}
    {%- endif -%}
    {%- set now = cohortwise.current_timestamp_utc() -%}
    {%- set ts = cohortwise.data_type('timestamp') -%}
    {%- if spec.keys() | list | sort == ['from', 'to'] -%}
        {%- do cohortwise._check_date(spec['from'], argument ~ '.from') -%}
        {%- do cohortwise._check_date(spec['to'], argument ~ '.to') -%}
        {%- if spec['from'] >= spec['to'] -%}
            {{ cohortwise._argument_error(argument, "'from' must be before 'to' (to is excluded); got "
                ~ spec['from'] ~ ' .. ' ~ spec['to']) }}
        {%- endif -%}
        {{ return({
            'local_from': cohortwise.local_timestamp_literal(spec['from']),
            'local_to': cohortwise.local_timestamp_literal(spec['to']),
            'utc_from': cohortwise.timestamp_add('day', -1, 'cast(' ~ cohortwise.literal(spec['from']) ~ ' as ' ~ ts ~ ')'),
            'utc_to': cohortwise.timestamp_add('day', 1, 'cast(' ~ cohortwise.literal(spec['to']) ~ ' as ' ~ ts ~ ')'),
        }) }}
    {%- elif spec.keys() | list == ['last_days'] -%}
        {%- set days = spec['last_days'] -%}
        {%- if days is not number or days is sameas true or days != (days | int) or days < 1 or days > 3660 -%}
            {{ cohortwise._argument_error(argument ~ '.last_days', 'must be a whole number of days from 1 to 3660; got '
                ~ (days | string)) }}
        {%- endif -%}
        {{ return({
            'local_from': cohortwise.local_day_start(1 - days, timezone),
            'local_to': cohortwise.local_day_start(1, timezone),
            'utc_from': cohortwise.timestamp_add('day', -(days + 1), now),
            'utc_to': cohortwise.timestamp_add('day', 2, now),
        }) }}
    {%- elif spec.keys() | list == ['since'] -%}
        {%- do cohortwise._check_date(spec['since'], argument ~ '.since') -%}
        {{ return({
            'local_from': cohortwise.local_timestamp_literal(spec['since']),
            'local_to': cohortwise.local_day_start(1, timezone),
            'utc_from': cohortwise.timestamp_add('day', -1, 'cast(' ~ cohortwise.literal(spec['since']) ~ ' as ' ~ ts ~ ')'),
            'utc_to': cohortwise.timestamp_add('day', 2, now),
        }) }}
    {%- endif -%}
    {{ cohortwise._argument_error(argument, "must be {'from': ..., 'to': ...}, {'last_days': N} or {'since': ...}; got "
        ~ (spec | string)) }}
{%- endmacro %}

{% macro _timezone_argument(timezone, argument='timezone') -%}
    {%- set zone = timezone if timezone is not none else var('cohortwise__timezone', 'UTC') -%}
    {%- if zone is not string or zone not in cohortwise._windows_zones() -%}
        {{ cohortwise._argument_error(argument, "must be an IANA time zone name such as 'Europe/Berlin'; got "
            ~ (zone | string)) }}
    {%- endif -%}
    {{ return(zone) }}
{%- endmacro %}

{#- first_day_of_week validated, as the offset the calendar helpers add to a day number (1900-01-01 is a Monday) -#}
{% macro _week_offset(first_day_of_week, argument='first_day_of_week') -%}
    {%- set weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] -%}
    {%- if first_day_of_week not in weekdays -%}
        {{ cohortwise._argument_error(argument, 'must be a weekday name in lower case; got ' ~ (first_day_of_week | string)) }}
    {%- endif -%}
    {{ return((7 - weekdays.index(first_day_of_week)) % 7) }}
{%- endmacro %}
