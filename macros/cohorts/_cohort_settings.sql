{#-
    Cohort settings (DESIGN.md 3.5) live in the model's meta:
        meta: {cohortwise: {type: behavioral, entity: user_id, timezone: Asia/Shanghai,
                            refresh: {schedule: daily, at: "02:00"}, owner: growth-team}}
    type: behavioral | sql | id | result; entity: user_id (default) | device_id | account_id;
    timezone: IANA name (default the project's); refresh.schedule: daily (at HH:MM), hourly
    (at :MM), weekly (on a weekday, at HH:MM: {schedule: weekly, weekday: monday, at: '03:00'}) or manual (default); owner: free text.
    A result cohort adds mode (static | dynamic) and source (the drill-down it came from).
-#}

{#- the cohort settings of a graph node (or the model being compiled), validated; none if it is no cohort -#}
{% macro _cohort_settings(node=none) -%}
    {%- set node = node if node is not none else model -%}
    {%- set meta = (node.config.meta if node.config is defined and node.config.meta else none) or node.get('meta') or {} -%}
    {%- set settings = meta.get('cohortwise') -%}
    {%- if settings is none or (settings is mapping and 'analysis' in settings) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set where = "in model '" ~ node.name ~ "': meta.cohortwise" -%}
    {%- if settings is not mapping -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ' must be a mapping; got ' ~ (settings | string)) }}
    {%- endif -%}
    {%- set known = ['type', 'entity', 'timezone', 'refresh', 'owner', 'mode', 'source', 'size_change_threshold'] -%}
    {%- for key in settings -%}
        {%- if key not in known -%}
            {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ": unknown key '" ~ key ~ "'; expected one of "
                ~ known | join(', ')) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set cohort_type = settings.get('type') -%}
    {%- if cohort_type not in ('behavioral', 'sql', 'id', 'result') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.type must be behavioral, sql, id or result; got '
            ~ (cohort_type | string)) }}
    {%- endif -%}
    {%- set entity = settings.get('entity', 'user_id') -%}
    {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.entity must be user_id, device_id or account_id; got '
            ~ (entity | string)) }}
    {%- endif -%}
    {%- set zone = settings.get('timezone') or var('cohortwise__timezone', 'UTC') -%}
    {%- if zone is not string or zone not in cohortwise._windows_zones() -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".timezone must be an IANA time zone name such as 'Asia/Shanghai'; got "
            ~ (zone | string)) }}
    {%- endif -%}
    {%- set refresh = cohortwise._cohort_refresh(settings.get('refresh'), where ~ '.refresh', cohort_type) -%}
    {%- set owner = settings.get('owner') -%}
    {%- if owner is not none and (owner is not string or owner | trim == '') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.owner must be a name; got ' ~ (owner | string)) }}
    {%- endif -%}
    {%- set threshold = settings.get('size_change_threshold') -%}
    {%- if threshold is not none and (threshold is not number or threshold is sameas true or threshold is sameas false or threshold <= 0) -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.size_change_threshold must be a fraction > 0 (0.5 = 50%); got '
            ~ (threshold | string)) }}
    {%- endif -%}
    {%- set mode = settings.get('mode') -%}
    {%- if cohort_type == 'result' and mode not in ('static', 'dynamic') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.mode must be static or dynamic for a result cohort; got '
            ~ (mode | string)) }}
    {%- elif cohort_type != 'result' and (mode is not none or settings.get('source') is not none) -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ': mode and source belong to result cohorts only') }}
    {%- endif -%}
    {%- set source = settings.get('source') -%}
    {%- if cohort_type == 'result' and mode == 'static' and source is not mapping -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".source must record the drill-down a static result cohort came from,"
            ~ " e.g. {analysis: funnel_purchase, drill: dropped, step: 2}") }}
    {%- endif -%}
    {{ return({'name': node.name, 'type': cohort_type, 'entity': entity, 'timezone': zone, 'refresh': refresh,
        'owner': owner, 'mode': mode, 'source': source, 'size_change_threshold': threshold}) }}
{%- endmacro %}

{#- refresh: {schedule: daily|hourly|weekly|manual, at: 'HH:MM' (hourly: ':MM'), weekday (weekly)} -#}
{% macro _cohort_refresh(refresh, where, cohort_type) -%}
    {%- if refresh is none -%}
        {{ return({'schedule': 'manual', 'at': none, 'weekday': none}) }}
    {%- endif -%}
    {%- if refresh is not mapping -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ " must be {schedule: daily, at: 'HH:MM'}; got " ~ (refresh | string)) }}
    {%- endif -%}
    {%- for key in refresh -%}
        {%- if key not in ('schedule', 'at', 'weekday') -%}
            {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ": unknown key '" ~ key ~ "'; expected schedule, at, weekday") }}
        {%- endif -%}
    {%- endfor -%}
    {%- set schedule = refresh.get('schedule', 'manual') -%}
    {%- if schedule not in ('daily', 'hourly', 'weekly', 'manual') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.schedule must be daily, hourly, weekly or manual; got '
            ~ (schedule | string)) }}
    {%- endif -%}
    {%- if schedule != 'manual' and cohort_type not in ('behavioral', 'sql', 'result') -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ': an ' ~ cohort_type ~ ' cohort changes only when it is'
            ~ ' re-imported; its schedule must be manual') }}
    {%- endif -%}
    {%- set at = refresh.get('at') -%}
    {%- set weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] -%}
    {%- if schedule in ('daily', 'weekly') -%}
        {%- set at = '00:00' if at is none else at -%}
        {%- if at is not string or not modules.re.match('^([01][0-9]|2[0-3]):[0-5][0-9]$', at) -%}
            {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".at must be a time 'HH:MM' (24 h, in the cohort's time zone); got "
                ~ (at | string)) }}
        {%- endif -%}
    {%- elif schedule == 'hourly' -%}
        {%- set at = ':00' if at is none else at -%}
        {%- if at is not string or not modules.re.match('^:[0-5][0-9]$', at) -%}
            {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".at must be the minute past each hour ':MM'; got " ~ (at | string)) }}
        {%- endif -%}
    {%- elif at is not none -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".at needs a daily, hourly or weekly schedule") }}
    {%- endif -%}
    {%- set weekday = refresh.get('weekday') -%}
    {%- if schedule == 'weekly' and weekday not in weekdays -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ '.weekday must be a weekday name in lower case; got ' ~ (weekday | string)) }}
    {%- elif schedule != 'weekly' and weekday is not none -%}
        {{ exceptions.raise_compiler_error('cohortwise: ' ~ where ~ ".weekday needs a weekly schedule") }}
    {%- endif -%}
    {{ return({'schedule': schedule, 'at': at, 'weekday': weekday}) }}
{%- endmacro %}

{#-
    The computation time of this run, as a UTC timestamp constant: the `cohortwise__as_of` var when
    set, else the time the dbt invocation started (the same value in every model and hook of a run).
-#}
{% macro computed_at() -%}
    {%- set as_of = var('cohortwise__as_of', none) -%}
    {%- if as_of is not none -%}
        {{ return(cohortwise.current_timestamp_utc()) }}
    {%- endif -%}
    {{ return(cohortwise._run_started_at()) }}
{%- endmacro %}

{#- the start of this dbt invocation (UTC) as a timestamp constant -#}
{% macro _run_started_at() -%}
    {{ return('cast(' ~ cohortwise.literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) ~ ' as '
        ~ cohortwise.data_type('timestamp') ~ ')') }}
{%- endmacro %}

{#- the settings of the cohort model being compiled: a compile error when its meta does not declare one -#}
{% macro _this_cohort(expected_type) -%}
    {%- set settings = cohortwise._cohort_settings() -%}
    {%- if settings is none -%}
        {{ exceptions.raise_compiler_error("cohortwise: in model '" ~ model.name ~ "': a cohort needs meta.cohortwise"
            ~ " {type: " ~ (expected_type or 'behavioral | sql | id | result') ~ ", entity: ..., timezone: ...} in its properties"
            ~ " (every model of a cohort folder is a cohort: its post-hooks record it)") }}
    {%- endif -%}
    {%- if expected_type is not none and settings.type != expected_type -%}
        {{ exceptions.raise_compiler_error("cohortwise: in model '" ~ model.name ~ "': meta.cohortwise.type is '"
            ~ settings.type ~ "' but the model calls the " ~ expected_type ~ ' cohort macro') }}
    {%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#-
    A cohort's definition checksum: md5 of dbt's checksum of the model file and of its
    meta.cohortwise as sorted JSON, so that editing the rules or the settings (time zone, entity)
    changes it. The runner computes the same from the manifest to find edited cohorts.
-#}
{% macro _cohort_definition_checksum(node) -%}
    {%- set meta = (node.config.meta if node.config is defined and node.config.meta else none) or node.get('meta') or {} -%}
    {{ return(local_md5(node.checksum.checksum ~ tojson(meta.get('cohortwise'), sort_keys=true))) }}
{%- endmacro %}
