{#-
    cohortwise.funnel: one row per entity that entered a conversion funnel (DESIGN.md 3.1).

    A model file calls it once; the definition is stored in the model's meta (`cohortwise.funnel`),
    where cohortwise.funnel_report and the runner's drill-down read it.

        {{ cohortwise.funnel(
            steps=['view_item', 'add_to_cart', {'event': 'place_order', 'name': 'Order'}, 'pay_order'],
            window='1 day',
            date_range={'from': '2024-01-01', 'to': '2024-04-01'},
            breakdown={'event_property': 'platform'},
        ) }}

    Semantics. An entity's events are ordered by (event_at, event_id). A chain is a sequence of
    distinct events e1 < ... < ek matching steps 1..k with event_at(ek) - event_at(e1) <= window; it
    enters at e1, which must lie in the date range (later steps may fall after it). step_reached is
    the longest chain (ClickHouse windowFunnel); the reported chain is the one reaching it with the
    earliest entry, each later step the earliest event that keeps it reaching that far. Every step-1
    event in range starts an attempt, whose furthest step is the longest chain entering there.
    `strict`: no other event of the entity between consecutive steps. Exclusion {event, between:
    [i, j]}: a chain is invalid when such an event lies between its step i and step j (a shorter
    chain that does not reach step j stays valid). hold_constant: all events of a chain share the
    same non-null value of that property.

    How it runs, and what it costs. Events are filtered once (the steps' events in the date range
    plus the window). For a fixed entry the earliest next event always reaches furthest, so for every
    event row a window function gives the position of the next event of each step after it
    (`min(position) over (... rows between 1 following and unbounded following)`), and each entry's
    chain is followed step by step with one equality join per step on (entity, position), which is
    unique: nothing is joined to more than one row, so no row blow-up. Without exclusions, and with
    one exclusion range, the pointers are running counts (_funnel_counted_chain,
    _funnel_counted_exclusion_chain): a step-i event is a valid start when its earliest chain reaches
    step j with the same running count of excluded events, and one more running count finds the
    first valid start after each step-(i-1) event. With several exclusion ranges each entity's
    events are split into segments at the excluded events; the same pointers within a segment give,
    for every step-i event, how far it gets inside its segment, and a further window finds the first
    such start after the chain's step i-1. Strict mode needs no joins at all: the candidates are the
    next events, read with lead(). Cost: O(E x S) for E events and S steps (S window columns, S - 1
    one-to-one joins over the entries), plus the same again inside each exclusion's range. A funnel
    that only adds a cohort filter or a user-attribute breakdown to another funnel model can read
    that model's rows instead (base=..., see _funnel_from_base): one join, no events.
-#}
{% macro funnel(
    steps,
    date_range,
    window='1 day',
    entity='user_id',
    breakdown=none,
    cohorts=none,
    mode='ordered',
    exclusions=none,
    hold_constant=none,
    timezone=none,
    base=none
) -%}
    {%- set definition = cohortwise._funnel_definition(
        steps, date_range, window, entity, breakdown, cohorts, mode, exclusions, hold_constant, timezone) -%}
    {{ config(meta={'cohortwise': {'analysis': 'funnel', 'funnel': definition.public}}) }}
    {#- used only when the model is materialized incremental (see _funnel_incremental) -#}
    {{ config(**cohortwise._incremental_by_entity('entity_id')) }}
    {{ config(post_hook='delete from {{ this }} where entered_at is null') }}
    {{ cohortwise.table_grants('detail') }}
    {%- set incremental = cohortwise._funnel_incremental(definition.public) -%}
    {%- if base is not none -%}
        {{ return(cohortwise._funnel_from_base(definition.public, base)) }}
    {%- endif -%}
    {{ return(cohortwise._funnel_sql(definition, incremental)) }}
{%- endmacro %}


{#-
    base: the name of another funnel model with the same steps, window, date range, time zone,
    entity, mode, exclusions and hold_constant, that filters by no cohort. Each entity's row does
    not depend on a cohort filter (it keeps or drops whole entities) nor on a user-attribute
    breakdown (a column read from dim_users), so this funnel's rows are the base's rows of the
    entities its cohort filter keeps, with the breakdown's column: a join instead of a second
    computation of the same chains (at 10 M events 0.1 s instead of 4.7 s). The base must have the
    same event-property breakdown, or none when this funnel has none; checked at compile time.
-#}
{% macro _funnel_from_base(d, base) -%}
    {%- if base is not string or base | trim == '' -%}
        {{ cohortwise._argument_error('base', 'must name another funnel model; got ' ~ (base | string)) }}
    {%- endif -%}
    {%- if config.get('materialized') == 'incremental' -%}
        {{ cohortwise._argument_error('base', "a funnel read from a base is a join of the base's rows: materialize it as a table or view, not incremental") }}
    {%- endif -%}
    {%- set base_relation = ref(base) -%}
    {%- set users_relation = ref('cohortwise', 'dim_users') -%}
    {%- set n = d.steps | length -%}
    {%- if execute -%}
        {%- do cohortwise._check_funnel_base(d, base) -%}
    {%- endif -%}
    {%- set by_attribute = d.breakdown and d.breakdown.kind == 'user_attribute' -%}
select
    base.entity_id,
    {%- if by_attribute %}
    cast(users.{{ adapter.quote(d.breakdown.name) }} as {{ cohortwise.data_type('text') }}) as breakdown_value,
    {%- else %}
    base.breakdown_value,
    {%- endif %}
    {%- for column in cohortwise._funnel_columns(n)[1:] %}
    base.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
from {{ base_relation }} as base
{%- if by_attribute %}
left join {{ users_relation }} as users
    on base.entity_id = users.user_id
{%- endif %}
where
    base.entered_at is not null
    {{ cohortwise._cohort_filter(d.cohorts, 'entity_id', 'base') }}
{%- endmacro %}

{#- the columns of a funnel model after entity_id, in order -#}
{% macro _funnel_columns(n) -%}
    {%- set columns = ['breakdown_value', 'entered_at', 'step_reached'] -%}
    {%- for k in range(1, n + 1) %}{%- do columns.append('step_' ~ k ~ '_at') -%}{%- endfor %}
    {%- for k in range(1, n + 1) %}{%- do columns.append('step_' ~ k ~ '_attempts') -%}{%- endfor %}
    {%- do columns.append('last_entered_at') -%}
    {%- do columns.append('is_window_open') -%}
    {{ return(columns) }}
{%- endmacro %}

{#- a base funnel must compute the same rows per entity (see _funnel_from_base) -#}
{% macro _check_funnel_base(d, base) -%}
    {%- set found = namespace(definition=none) -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' and node.name == base -%}
        {%- set found.definition = ((node.config.meta or {}).get('cohortwise') or {}).get('funnel') -%}
    {%- endfor -%}
    {%- if found.definition is none -%}
        {{ cohortwise._argument_error('base', "model '" ~ base ~ "' is not a funnel (no meta.cohortwise.funnel)") }}
    {%- endif -%}
    {%- set other = found.definition -%}
    {%- set ours_steps = [] -%}
    {%- for step in d.steps %}{%- do ours_steps.append([step.event, step.where]) -%}{%- endfor %}
    {%- set base_steps = [] -%}
    {%- for step in other.steps %}{%- do base_steps.append([step.event, step.where]) -%}{%- endfor %}
    {%- set differing = [] -%}
    {%- if ours_steps != base_steps -%} {%- do differing.append('steps') -%} {%- endif -%}
    {%- for key in ['window_seconds', 'date_range', 'timezone', 'entity', 'mode', 'exclusions', 'hold_constant'] -%}
        {%- if d[key] != other[key] -%} {%- do differing.append(key) -%} {%- endif -%}
    {%- endfor -%}
    {%- if differing -%}
        {{ cohortwise._argument_error('base', "funnel '" ~ base ~ "' differs in " ~ differing | join(', ')
            ~ '; a base must have the same steps, window, date range, time zone, entity, mode, exclusions and hold_constant') }}
    {%- endif -%}
    {%- if other.cohorts['in'] or other.cohorts['not_in'] -%}
        {{ cohortwise._argument_error('base', "funnel '" ~ base ~ "' filters by cohort; a base must keep every entity") }}
    {%- endif -%}
    {%- if not (d.breakdown and d.breakdown.kind == 'user_attribute') and d.breakdown != other.breakdown -%}
        {%- set described = [] -%}
        {%- for spec in [other.breakdown, d.breakdown] -%}
            {%- do described.append((spec.kind | replace('_', ' ') ~ " '" ~ spec.name ~ "'") if spec else 'nothing') -%}
        {%- endfor -%}
        {{ cohortwise._argument_error('base', "funnel '" ~ base ~ "' breaks down by " ~ described[0]
            ~ ', this funnel by ' ~ described[1] ~ '; a base must give the same breakdown_value unless this funnel'
            ~ ' breaks down by a user attribute') }}
    {%- endif -%}
{%- endmacro %}


{#-
    An incremental funnel (`{{ config(materialized='incremental') }}` in the model file) recomputes,
    on each run, only the entities whose result can have changed: every entity with an event of the
    funnel from `first_day` minus the window on, where `first_day` is the newest entry day already
    in the table minus `cohortwise__lookback_days` (the days the event-level models recompute), and
    every entity whose latest attempt entered since then (last_entered_at: its events there may have
    been deleted, and with them that attempt). Each one's row is computed again from all of its
    events, so it is exactly what a full rebuild gives; every other entity's events, and so its row, are the same
    as before (its window closed before the recomputed days, so is_window_open stays false), and the
    new rows replace the old ones by entity (delete+insert; merge on BigQuery).

    Not incremental, a compile error: a cohort filter or a user-attribute breakdown (cohort members
    and user attributes change without any new event of the entity), and a `last_days` date range
    (entries leave it as days pass; `since` only grows, like the events). A recomputed entity left
    without any entry (its events deleted from the raw days recomputed) is written with no entry,
    so that its old row goes, and the post-hook (on every materialization; a no-op on a table)
    deletes that row. A change of the definition needs a `--full-refresh`.

    Returns none on a full build, else {'first_day': SQL date, null when the table is empty}.
-#}
{% macro _funnel_incremental(d) -%}
    {%- if config.get('materialized') != 'incremental' -%}
        {{ return(none) }}
    {%- endif -%}
    {{ cohortwise._refuse_incremental_by_entity(d, 'funnel', 'entries') }}
    {%- if not cohortwise.is_incremental_run() -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return({'first_day': cohortwise._incremental_first_day(this, 'cast(entered_at as date)')}) }}
{%- endmacro %}


{#- validates every argument and returns {'public': what meta stores, ...what the SQL needs} -#}
{% macro _funnel_definition(steps, date_range, window, entity, breakdown, cohorts, mode, exclusions, hold_constant, timezone) -%}
    {%- if steps is string or steps is mapping or steps is not iterable -%}
        {{ cohortwise._argument_error('steps', 'must be a list of 2 to 20 steps') }}
    {%- endif -%}
    {%- if steps | length < 2 or steps | length > 20 -%}
        {{ cohortwise._argument_error('steps', 'must have 2 to 20 steps; got ' ~ steps | length) }}
    {%- endif -%}
    {%- set specs = [] -%}
    {%- for step in steps -%}
        {%- do specs.append(cohortwise._event_spec(step, 'steps[' ~ loop.index0 ~ ']')) -%}
    {%- endfor -%}
    {%- set window_seconds = cohortwise._duration_seconds(window, 'window') -%}
    {%- set zone = cohortwise._timezone_argument(timezone) -%}
    {%- set range = cohortwise._date_range(date_range, 'date_range', zone) -%}
    {%- if entity not in ('user_id', 'device_id', 'account_id') -%}
        {{ cohortwise._argument_error('entity', "must be user_id, device_id or account_id; got " ~ (entity | string)) }}
    {%- endif -%}
    {%- if mode not in ('ordered', 'strict') -%}
        {{ cohortwise._argument_error('mode', "must be 'ordered' or 'strict'; got " ~ (mode | string)) }}
    {%- endif -%}

    {%- set breakdown_spec = cohortwise._breakdown_argument(breakdown, entity) -%}
    {%- set cohort_spec = cohortwise._cohorts_argument(cohorts) -%}

    {%- if hold_constant is not none and (hold_constant is not string or hold_constant | trim == '') -%}
        {{ cohortwise._argument_error('hold_constant', 'must be a property name; got ' ~ (hold_constant | string)) }}
    {%- endif -%}

    {%- set exclusion_specs = [] -%}
    {%- for exclusion in exclusions or [] -%}
        {%- set path = 'exclusions[' ~ loop.index0 ~ ']' -%}
        {%- if mode == 'strict' -%}
            {{ cohortwise._argument_error(path, 'strict mode allows no other event between steps: exclusions have no effect there') }}
        {%- endif -%}
        {%- if exclusion is not mapping -%}
            {{ cohortwise._argument_error(path, "must be {'event': ..., 'between': [i, j]}") }}
        {%- endif -%}
        {%- set between = exclusion.get('between', [1, specs | length]) -%}
        {%- if between is string or between is not iterable or between | length != 2
            or between[0] is not number or between[1] is not number
            or between[0] < 1 or between[1] > specs | length or between[0] >= between[1] -%}
            {{ cohortwise._argument_error(path ~ '.between', 'must be [i, j] with 1 <= i < j <= ' ~ specs | length ~ '; got '
                ~ (between | string)) }}
        {%- endif -%}
        {%- set event_spec = cohortwise._event_spec({'event': exclusion.get('event'), 'where': exclusion.get('where', [])}, path) -%}
        {%- for step in specs -%}
            {%- if step.event == event_spec.event -%}
                {{ cohortwise._argument_error(path ~ '.event', "'" ~ event_spec.event ~ "' is also step " ~ loop.index
                    ~ ' of the funnel; an exclusion must be another event') }}
            {%- endif -%}
        {%- endfor -%}
        {%- set ns = namespace(merged=false) -%}
        {%- for existing in exclusion_specs -%}
            {%- if existing.first == between[0] | int and existing.last == between[1] | int -%}
                {%- do existing.events.append(event_spec) -%}
                {%- set ns.merged = true -%}
            {%- elif between[0] | int < existing.last and existing.first < between[1] | int -%}
                {{ cohortwise._argument_error(path ~ '.between', 'overlaps the exclusion between steps ' ~ existing.first
                    ~ ' and ' ~ existing.last ~ '; give overlapping exclusions the same steps') }}
            {%- endif -%}
        {%- endfor -%}
        {%- if not ns.merged -%}
            {%- do exclusion_specs.append({'first': between[0] | int, 'last': between[1] | int, 'events': [event_spec]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set exclusion_specs = exclusion_specs | sort(attribute='first') -%}

    {%- set public = {
        'steps': specs, 'window_seconds': window_seconds, 'date_range': date_range, 'timezone': zone,
        'entity': entity, 'breakdown': breakdown_spec, 'cohorts': cohort_spec, 'mode': mode,
        'exclusions': exclusion_specs, 'hold_constant': hold_constant,
    } -%}
    {{ return({'public': public, 'range': range}) }}
{%- endmacro %}
