{#- The SQL of cohortwise.funnel (see funnel.sql for the semantics and the cost). -#}
{% macro _funnel_sql(definition, incremental=none) -%}
    {%- set d = definition.public -%}
    {%- set bounds = definition.range -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set partition = 'entity_id, hold_value' if hold else 'entity_id' -%}
    {%- set text_type = cohortwise.data_type('text') -%}
    {%- set window_end = cohortwise.timestamp_add('second', d.window_seconds, 'prev.step_1_at') -%}

{#- fct_events is read where needed (twice; three times in an incremental run), not through an import
    CTE: DuckDB would materialize a copy of it -#}
{%- set matched = [] -%}
{%- for step in d.steps %}{%- do matched.append(cohortwise._event_condition(step)) -%}{%- endfor %}
{%- for exclusion in d.exclusions %}{%- for spec in exclusion.events %}{%- do matched.append(cohortwise._event_condition(spec)) -%}{%- endfor %}{%- endfor %}
with data_end as (

    select max(event_at) as latest_event_at from {{ ref('cohortwise', 'fct_events') }}

),
{%- if incremental is not none -%}
{#- an empty table has no newest day: then every entity of the range is recomputed #}
{%- set recomputed_from = 'coalesce(' ~ cohortwise.timestamp_add(
    'second', -d.window_seconds, 'cast(' ~ incremental.first_day ~ ' as ' ~ cohortwise.data_type('timestamp') ~ ')')
    ~ ', ' ~ bounds.utc_from ~ ')' %}

{#- an incremental run: the entities whose row can have changed (see _funnel_incremental) #}

recomputed_entities as (

    {#- distinct, and joined rather than read by `in`: DuckDB's semi join costs more than the window #}
    select distinct recomputed_entity_id
    from (
        select {{ d.entity }} as recomputed_entity_id
        from {{ ref('cohortwise', 'fct_events') }}
        where
            {{ d.entity }} is not null
            and event_at >= {{ recomputed_from }}
            and event_at < {{ cohortwise.timestamp_add('second', d.window_seconds, bounds.utc_to) }}
            {%- if d.mode == 'ordered' %}
            and ({{ matched | join('\n                or ') }})
            {%- endif %}

        union all

        {#- its latest attempt may have lost events (deleted from the raw days recomputed) #}
        select entity_id as recomputed_entity_id
        from {{ this }}
        where last_entered_at >= {{ recomputed_from }}
    ) as recent

),
{%- endif %}

candidate_events as (

    select
        {{ d.entity }} as entity_id,
        event_id,
        event_at,
        {%- for step in d.steps %}
        case when {{ cohortwise._event_condition(step) }} then 1 else 0 end as is_step_{{ loop.index }},
        {%- endfor %}
        {%- for exclusion in d.exclusions %}
        {%- set conditions = [] -%}
        {%- for spec in exclusion.events -%}{%- do conditions.append(cohortwise._event_condition(spec)) -%}{%- endfor %}
        case when {{ conditions | join(' or ') }} then 1 else 0 end as is_exclusion_{{ loop.index }},
        {%- endfor %}
        {{ cohortwise._event_breakdown_expression(d.breakdown) }} as breakdown_value,
        {%- if hold %}
        cast({{ cohortwise._property_expression(d.hold_constant, 'text') }} as {{ text_type }}) as hold_value
        {%- else %}
        cast(null as {{ text_type }}) as hold_value
        {%- endif %}
    from {{ ref('cohortwise', 'fct_events') }} as fct_events
    {%- if incremental is not none %}
    inner join recomputed_entities
        on fct_events.{{ d.entity }} = recomputed_entities.recomputed_entity_id
    {%- endif %}
    where
        fct_events.{{ d.entity }} is not null
        and event_at >= {{ bounds.utc_from }}
        and event_at < {{ cohortwise.timestamp_add('second', d.window_seconds, bounds.utc_to) }}
        {%- if d.mode == 'ordered' %}
        and ({{ matched | join('\n            or ') }})
        {%- endif %}
        {{ cohortwise._cohort_filter(d.cohorts, d.entity, 'fct_events') }}

),

{% if d.mode == 'strict' -%}
{{ cohortwise._funnel_strict_chain(d, bounds, partition) }}
{%- elif not d.exclusions -%}
{{ cohortwise._funnel_counted_chain(d, bounds, partition) }}
{%- elif d.exclusions | length == 1 -%}
{{ cohortwise._funnel_counted_exclusion_chain(d, bounds, partition) }}
{%- else -%}
{{ cohortwise._funnel_ordered_chain(d, bounds, partition, window_end) }}
{%- endif %}

attempts as (

    select
        entity_id,
        entry_event_id,
        breakdown_value,
        {%- for k in range(1, n + 1) %}
        step_{{ k }}_at,
        {%- endfor %}
        case
            {%- for k in range(n, 1, -1) %}
            when step_{{ k }}_at is not null then {{ k }}
            {%- endfor %}
            else 1
        end as furthest_step
    from chain_{{ n }}

),

{{ cohortwise._funnel_best_attempt(d) }}
{%- if incremental is none %}

select * from final
{%- else %}

{#- every recomputed entity: one left without an entry gets a row with no entry, which the post-hook deletes #}
{{ cohortwise._every_recomputed_entity(cohortwise._funnel_columns(n)) }}
{%- endif %}
{%- endmacro %}


{#- ordered mode: entries, then one one-to-one join per step (see funnel.sql) -#}
{% macro _funnel_ordered_chain(d, bounds, partition, window_end) -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set same_partition = 'step.entity_id = prev.entity_id' ~ (' and step.hold_value = prev.hold_value' if hold else '') -%}
    {%- set following = 'rows between 1 following and unbounded following' -%}
    {%- set local_event_at = cohortwise.to_local_timestamp('event_at', d.timezone) -%}
segmented as (

    select
        *
        {%- for exclusion in d.exclusions %},
        sum(is_exclusion_{{ loop.index }}) over (
            partition by entity_id
            order by event_at asc, event_id asc
            rows between unbounded preceding and current row
        ) as exclusion_{{ loop.index }}_segment
        {%- endfor %}
    from candidate_events

),

positioned as (

    select
        *,
        row_number() over (partition by {{ partition }} order by event_at asc, event_id asc) as event_position
    from segmented
    where
        ({% for k in range(1, n + 1) %}is_step_{{ k }} = 1{{ ' or ' if not loop.last }}{% endfor %})
        {%- if hold %}
        and hold_value is not null
        {%- endif %}

),

step_pointers as (

    select
        *
        {%- for k in range(2, n + 1) %},
        min(case when is_step_{{ k }} = 1 then event_position end) over (
            partition by {{ partition }} order by event_position {{ following }}
        ) as next_step_{{ k }}
        {%- endfor %}
        {%- for exclusion in d.exclusions %}
        {%- set x = loop.index %}
        {%- for k in range(exclusion.first + 1, exclusion.last + 1) %},
        min(case when is_step_{{ k }} = 1 then event_position end) over (
            partition by {{ partition }}, exclusion_{{ x }}_segment order by event_position {{ following }}
        ) as exclusion_{{ x }}_next_step_{{ k }}
        {%- endfor %}
        {%- endfor %}
    from positioned

),

{%- for exclusion in d.exclusions %}
{%- set x = loop.index %}
{%- set i = exclusion.first %}
{%- set j = exclusion.last %}

{#- how far every step-i event gets inside its own segment, up to step j -#}
exclusion_{{ x }}_reach_{{ i }} as (

    select
        entity_id,
        hold_value,
        event_position as start_position,
        event_at as reach_step_{{ i }}_at,
        exclusion_{{ x }}_next_step_{{ i + 1 }} as reach_pointer
    from step_pointers
    where is_step_{{ i }} = 1

),
{%- for k in range(i + 1, j + 1) %}

exclusion_{{ x }}_reach_{{ k }} as (

    select
        prev.entity_id,
        prev.hold_value,
        prev.start_position,
        {%- for m in range(i, k) %}
        prev.reach_step_{{ m }}_at,
        {%- endfor %}
        step.event_at as reach_step_{{ k }}_at,
        {%- if k < j %}
        step.exclusion_{{ x }}_next_step_{{ k + 1 }} as reach_pointer
        {%- else %}
        step.event_position as reach_step_{{ k }}_position,
        {{ ('step.next_step_' ~ (k + 1)) if k < n else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }} as reach_next_pointer
        {%- endif %}
    from exclusion_{{ x }}_reach_{{ k - 1 }} as prev
    inner join step_pointers as step
        on {{ same_partition }}
        and step.event_position = prev.reach_pointer

),
{%- endfor %}

{#- for every event: the first later step-i event that gets to step j inside its segment -#}
exclusion_{{ x }}_starts as (

    select
        step.entity_id,
        step.hold_value,
        step.event_position,
        min(case when complete.start_position is not null then step.event_position end) over (
            partition by {{ partition | replace('entity_id', 'step.entity_id') | replace('hold_value', 'step.hold_value') }}
            order by step.event_position {{ following }}
        ) as first_start_after
    from step_pointers as step
    left join exclusion_{{ x }}_reach_{{ j }} as complete
        on step.entity_id = complete.entity_id
        {%- if hold %}
        and step.hold_value = complete.hold_value
        {%- endif %}
        and step.event_position = complete.start_position

),
{%- endfor %}

chain_1 as (

    select
        entity_id,
        hold_value,
        event_id as entry_event_id,
        breakdown_value,
        event_position as step_1_position,
        event_at as step_1_at,
        {{ ('next_step_2') }} as pointer_after_1
    from step_pointers
    where
        is_step_1 = 1
        and {{ local_event_at }} >= {{ bounds.local_from }}
        and {{ local_event_at }} < {{ bounds.local_to }}

),

{%- set ns = namespace(k=2) %}
{%- for _ in range(n) %}
{%- if ns.k <= n %}
{%- set k = ns.k %}
{%- set exclusion_here = [] %}
{%- for exclusion in d.exclusions %}
{%- if exclusion.first == k or (exclusion.first == 1 and k == 2) %}{%- do exclusion_here.append((loop.index, exclusion)) -%}{%- endif %}
{%- endfor %}
{%- if exclusion_here %}
{%- set x = exclusion_here[0][0] %}
{%- set i = exclusion_here[0][1].first %}
{%- set j = exclusion_here[0][1].last %}
{%- set base = 'chain_' ~ (i if i == 1 else i - 1) %}

{#- steps {{ i }}..{{ j }}: the first start that crosses to step j without an excluded event... -#}
exclusion_{{ x }}_attached as (

    select
        prev.*,
        {%- for m in range(i, j + 1) %}
        complete.reach_step_{{ m }}_at as bounded_step_{{ m }}_at,
        {%- endfor %}
        complete.reach_step_{{ j }}_position as bounded_step_{{ j }}_position,
        complete.reach_next_pointer as bounded_pointer_after_{{ j }}
    from {{ base }} as prev
    {%- if i > 1 %}
    left join exclusion_{{ x }}_starts as starts
        on starts.entity_id = prev.entity_id
        {%- if hold %}
        and starts.hold_value = prev.hold_value
        {%- endif %}
        and starts.event_position = prev.step_{{ i - 1 }}_position
    {%- endif %}
    left join exclusion_{{ x }}_reach_{{ j }} as complete
        on complete.entity_id = prev.entity_id
        {%- if hold %}
        and complete.hold_value = prev.hold_value
        {%- endif %}
        and complete.start_position = {{ 'starts.first_start_after' if i > 1 else 'prev.step_1_position' }}

),
{#- ...or else the earliest events without that constraint, which may only go up to step j - 1 -#}
{%- set loose = namespace(previous='exclusion_' ~ x ~ '_attached', pointer='prev.pointer_after_' ~ (i - 1 if i > 1 else 1)) %}
{%- for m in range(i if i > 1 else 2, j) %}

exclusion_{{ x }}_loose_{{ m }} as (

    select
        prev.*,
        step.event_position as loose_step_{{ m }}_position,
        step.event_at as loose_step_{{ m }}_at,
        step.next_step_{{ m + 1 }} as loose_pointer_after_{{ m }}
    from {{ loose.previous }} as prev
    left join step_pointers as step
        on {{ same_partition }}
        and step.event_position = {{ loose.pointer }}
        and step.event_at <= {{ window_end }}

),
{%- set loose.previous = 'exclusion_' ~ x ~ '_loose_' ~ m %}
{%- set loose.pointer = 'prev.loose_pointer_after_' ~ m %}
{%- endfor %}
{%- set bounded_ok = 'prev.bounded_step_' ~ j ~ '_at is not null and prev.bounded_step_' ~ j ~ '_at <= ' ~ window_end %}

chain_{{ j }} as (

    select
        prev.*,
        {%- for m in range(i if i > 1 else 2, j) %}
        case when {{ bounded_ok }} then prev.bounded_step_{{ m }}_at else prev.loose_step_{{ m }}_at end as step_{{ m }}_at,
        {%- endfor %}
        case when {{ bounded_ok }} then prev.bounded_step_{{ j }}_at end as step_{{ j }}_at,
        case when {{ bounded_ok }} then prev.bounded_step_{{ j }}_position end as step_{{ j }}_position,
        case when {{ bounded_ok }} then prev.bounded_pointer_after_{{ j }} end as pointer_after_{{ j }}
    from {{ loose.previous }} as prev

),
{%- set ns.k = j + 1 %}
{%- else %}

chain_{{ k }} as (

    select
        prev.*,
        step.event_position as step_{{ k }}_position,
        step.event_at as step_{{ k }}_at,
        {{ ('step.next_step_' ~ (k + 1)) if k < n else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }} as pointer_after_{{ k }}
    from chain_{{ k - 1 }} as prev
    left join step_pointers as step
        on {{ same_partition }}
        and step.event_position = prev.pointer_after_{{ k - 1 }}
        and step.event_at <= {{ window_end }}

),
{%- set ns.k = k + 1 %}
{%- endif %}
{%- endif %}
{%- endfor %}
{%- endmacro %}


{#- strict mode: the candidates for steps 2..n are the entry's next events, read with lead() -#}
{% macro _funnel_strict_chain(d, bounds, partition) -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set local_event_at = cohortwise.to_local_timestamp('event_at', d.timezone) -%}
    {%- set window_end = cohortwise.timestamp_add('second', d.window_seconds, 'event_at') -%}
strict_candidates as (

    select
        *
        {%- for m in range(1, n) %},
        lead(is_step_{{ m + 1 }}, {{ m }}) over (partition by entity_id order by event_at asc, event_id asc)
            as following_{{ m }}_is_step_{{ m + 1 }},
        lead(event_at, {{ m }}) over (partition by entity_id order by event_at asc, event_id asc) as following_{{ m }}_at
        {%- if hold %},
        lead(hold_value, {{ m }}) over (partition by entity_id order by event_at asc, event_id asc) as following_{{ m }}_hold
        {%- endif %}
        {%- endfor %}
    from candidate_events

),

chain_{{ n }} as (

    select
        entity_id,
        hold_value,
        event_id as entry_event_id,
        breakdown_value,
        event_at as step_1_at
        {%- for k in range(2, n + 1) %},
        case
            when
                {%- for m in range(1, k) %}
                following_{{ m }}_is_step_{{ m + 1 }} = 1
                and following_{{ m }}_at <= {{ window_end }}
                {%- if hold %}
                and following_{{ m }}_hold = hold_value
                {%- endif %}
                {{- ' and' if not loop.last }}
                {%- endfor %}
                then following_{{ k - 1 }}_at
        end as step_{{ k }}_at
        {%- endfor %}
    from strict_candidates
    where
        is_step_1 = 1
        and {{ local_event_at }} >= {{ bounds.local_from }}
        and {{ local_event_at }} < {{ bounds.local_to }}
        {%- if hold %}
        and hold_value is not null
        {%- endif %}

),
{%- endmacro %}


{#- the chain each entity reports (furthest step, then earliest entry) and its attempts per step -#}
{% macro _funnel_best_attempt(d) -%}
    {{ return(adapter.dispatch('_funnel_best_attempt', 'cohortwise')(d)) }}
{%- endmacro %}

{% macro default___funnel_best_attempt(d) -%}
    {%- set n = d.steps | length -%}
ranked_attempts as (

    select
        *,
        row_number() over (
            partition by entity_id
            order by furthest_step desc, step_1_at asc, entry_event_id asc
        ) as chain_rank,
        {%- for k in range(1, n + 1) %}
        cast(sum(case when furthest_step >= {{ k }} then 1 else 0 end) over (partition by entity_id) as {{ dbt.type_bigint() }})
            as step_{{ k }}_attempts,
        {%- endfor %}
        max(step_1_at) over (partition by entity_id) as last_entered_at
    from attempts

),

ranked as (

    select * from ranked_attempts
    where chain_rank = 1

),

{{ cohortwise._funnel_final(d) }}
{%- endmacro %}

{#- DuckDB: one hash aggregation instead of a window sort over all attempts -#}
{% macro duckdb___funnel_best_attempt(d) -%}
    {%- set n = d.steps | length -%}
ranked as (

    select
        entity_id,
        best.breakdown_value,
        {%- for k in range(1, n + 1) %}
        best.step_{{ k }}_at,
        {%- endfor %}
        best.furthest_step,
        {%- for k in range(1, n + 1) %}
        step_{{ k }}_attempts,
        {%- endfor %}
        last_entered_at
    from (
        select
            entity_id,
            arg_min(
                struct_pack(
                    breakdown_value := breakdown_value,
                    {%- for k in range(1, n + 1) %}
                    step_{{ k }}_at := step_{{ k }}_at,
                    {%- endfor %}
                    furthest_step := furthest_step
                ),
                struct_pack(steps_short := {{ n }} - furthest_step, entered_at := step_1_at, entry_event_id := entry_event_id)
            ) as best,
            {%- for k in range(1, n + 1) %}
            cast(sum(case when furthest_step >= {{ k }} then 1 else 0 end) as {{ dbt.type_bigint() }}) as step_{{ k }}_attempts,
            {%- endfor %}
            max(step_1_at) as last_entered_at
        from attempts
        group by entity_id
    ) as best_attempts

),

{{ cohortwise._funnel_final(d) }}
{%- endmacro %}

{% macro _funnel_final(d) -%}
    {%- set n = d.steps | length -%}
    {%- set text_type = cohortwise.data_type('text') -%}
final as (

    select
        ranked.entity_id,
        {%- if d.breakdown and d.breakdown.kind == 'user_attribute' %}
        cast(users.{{ adapter.quote(d.breakdown.name) }} as {{ text_type }}) as breakdown_value,
        {%- else %}
        ranked.breakdown_value,
        {%- endif %}
        ranked.step_1_at as entered_at,
        ranked.furthest_step as step_reached,
        {%- for k in range(1, n + 1) %}
        ranked.step_{{ k }}_at,
        {%- endfor %}
        {%- for k in range(1, n + 1) %}
        ranked.step_{{ k }}_attempts,
        {%- endfor %}
        ranked.last_entered_at,
        {{ cohortwise.as_boolean(cohortwise.timestamp_add('second', d.window_seconds, 'ranked.step_1_at')
            ~ ' > data_end.latest_event_at') }} as is_window_open
    from ranked
    cross join data_end
    {%- if d.breakdown and d.breakdown.kind == 'user_attribute' %}
    left join {{ ref('cohortwise', 'dim_users') }} as users
        on ranked.entity_id = users.user_id
    {%- endif %}

)
{%- endmacro %}


{#-
    ordered mode without exclusions: counted pointers, then the chains followed backwards.

    One window over the entity's step events counts, for every step k from 2 on, the step-k events
    up to each row (the row itself included). A step-k event's next step-(k+1) event is then the one
    whose own count is one more, found by an equality join on (entity, count). Following those
    pointers from the last step back to step 1, every step-k event learns when the earliest chain it
    starts reaches each later step; entries finally keep the steps inside their window. One sort of
    the step events, n - 1 equality joins whose sides shrink with the step, no join on the entries'
    own chains.
-#}
{% macro _funnel_counted_chain(d, bounds, partition) -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set same_partition = 'next_step.entity_id = step.entity_id' ~ (' and next_step.hold_value = step.hold_value' if hold else '') -%}
    {%- set local_event_at = cohortwise.to_local_timestamp('step.event_at', d.timezone) -%}
{{- cohortwise._funnel_counted_steps(d, partition, 'candidate_events') }}

{#- step {{ n }} events, keyed by their rank among the entity's step-{{ n }} events -#}
reach_{{ n }} as (

    select
        entity_id,
        hold_value,
        step_{{ n }}_count as step_rank,
        event_at as reach_{{ n }}_at
    from counted
    where is_step_{{ n }} = 1

),
{%- for k in range(n - 1, 1, -1) %}

{#- step {{ k }} events: when the earliest chain starting there reaches steps {{ k }}..{{ n }} -#}
reach_{{ k }} as (

    select
        step.entity_id,
        step.hold_value,
        step.step_{{ k }}_count as step_rank,
        step.event_at as reach_{{ k }}_at
        {%- for j in range(k + 1, n + 1) %},
        next_step.reach_{{ j }}_at
        {%- endfor %}
    from counted as step
    left join reach_{{ k + 1 }} as next_step
        on {{ same_partition }}
        and next_step.step_rank = step.step_{{ k + 1 }}_count + 1
    where step.is_step_{{ k }} = 1

),
{%- endfor %}

chain_{{ n }} as (

    select
        step.entity_id,
        step.hold_value,
        step.event_id as entry_event_id,
        step.breakdown_value,
        step.event_at as step_1_at
        {%- for j in range(2, n + 1) %},
        case
            when next_step.reach_{{ j }}_at <= {{ cohortwise.timestamp_add('second', d.window_seconds, 'step.event_at') }}
                then next_step.reach_{{ j }}_at
        end as step_{{ j }}_at
        {%- endfor %}
    from counted as step
    left join reach_2 as next_step
        on {{ same_partition }}
        and next_step.step_rank = step.step_2_count + 1
    where
        step.is_step_1 = 1
        and {{ local_event_at }} >= {{ bounds.local_from }}
        and {{ local_event_at }} < {{ bounds.local_to }}

),
{%- endmacro %}


{#-
    ordered mode with one exclusion range (event E between steps i and j): counted pointers as in
    _funnel_counted_chain, plus what the exclusion changes.

    From a step-i event the earliest events reach step j first, so it reaches step j validly iff its
    greedy chain gets there with no E in between: the running count of E events (per entity, over
    every candidate event) is the same at both ends. Such step-i events are "valid starts". Before
    step i a chain has two continuations: bounded (through the first valid start after its step
    i - 1, then the greedy chain on) and loose (the next step-i event's greedy chain, up to step
    j - 1 only: a chain that does not reach step j may cross E). An entry takes the bounded one when
    its step j lies inside the window, else the loose one. The first valid start after each step-(i-1)
    event comes from one more running count, over those events and the valid starts.
-#}
{% macro _funnel_counted_exclusion_chain(d, bounds, partition) -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set x = d.exclusions[0] -%}
    {%- set i = x.first -%}
    {%- set j = x.last -%}
    {%- set same_partition = 'next_step.entity_id = step.entity_id' ~ (' and next_step.hold_value = step.hold_value' if hold else '') -%}
    {%- set local_event_at = cohortwise.to_local_timestamp('step.event_at', d.timezone) -%}
    {%- set window_end = cohortwise.timestamp_add('second', d.window_seconds, 'step.event_at') -%}
{#- how many excluded events each candidate event has at or before it (over the entity's events):
    in the steps' own window, unless a held property splits the steps' partitions #}
{%- if hold %}
marked as (

    select
        *,
        sum(is_exclusion_1) over (
            partition by entity_id order by event_at asc, event_id asc rows between unbounded preceding and current row
        ) as exclusion_seen
    from candidate_events

),
{{- cohortwise._funnel_counted_steps(d, partition, 'marked', ['exclusion_seen']) }}
{%- else %}
{{- cohortwise._funnel_counted_steps(d, partition, 'candidate_events', [], {'exclusion_seen': 'is_exclusion_1'}) }}
{%- endif %}
{#- steps n .. i: greedy chains; inside the range they carry the E count at their step j #}
{%- for k in range(n, [i, 2] | max - 1, -1) %}

reach_{{ k }} as (

    select
        step.entity_id,
        step.hold_value,
        step.step_{{ k }}_count as step_rank,
        step.event_at as reach_{{ k }}_at
        {%- for m in range(k + 1, n + 1) %},
        next_step.reach_{{ m }}_at
        {%- endfor %}
        {%- if k == j %},
        step.exclusion_seen as end_seen
        {%- elif i < k and k < j %},
        next_step.end_seen
        {%- endif %}
        {%- if k == i %},
        step.event_at,
        step.event_id,
        case
            when next_step.reach_{{ j }}_at is not null and next_step.end_seen = step.exclusion_seen then 1 else 0
        end as is_valid_start
        {%- endif %}
    from counted as step
    {%- if k < n %}
    left join reach_{{ k + 1 }} as next_step
        on {{ same_partition }}
        and next_step.step_rank = step.step_{{ k + 1 }}_count + 1
    {%- endif %}
    where step.is_step_{{ k }} = 1

),
{%- endfor %}
{%- if i >= 2 %}

{#- step-(i-1) events and valid starts in one order: the valid starts seen so far #}
valid_starts as (

    select
        entity_id,
        hold_value,
        event_at,
        event_id,
        0 as is_previous,
        1 as is_valid_start,
        cast(null as {{ cohortwise.data_type('text') }}) as breakdown_value,
        cast(null as {{ dbt.type_bigint() }}) as previous_rank,
        cast(null as {{ dbt.type_bigint() }}) as next_step_count
        {%- for m in range(i, n + 1) %},
        reach_{{ m }}_at as bounded_{{ m }}_at
        {%- endfor %}
    from reach_{{ i }}
    where is_valid_start = 1

    union all

    select
        entity_id,
        hold_value,
        event_at,
        event_id,
        1 as is_previous,
        0 as is_valid_start,
        breakdown_value,
        {{ ('step_' ~ (i - 1) ~ '_count') if i > 2 else 'cast(null as ' ~ dbt.type_bigint() ~ ')' }} as previous_rank,
        step_{{ i }}_count as next_step_count
        {%- for m in range(i, n + 1) %},
        cast(null as {{ cohortwise.data_type('timestamp') }}) as bounded_{{ m }}_at
        {%- endfor %}
    from counted
    where is_step_{{ i - 1 }} = 1

),

valid_counted as (

    select
        *,
        sum(is_valid_start) over (
            partition by {{ partition }}
            order by event_at asc, event_id asc, is_previous asc
            rows between unbounded preceding and current row
        ) as valid_seen
    from valid_starts

),

valid_start_rows as (

    select * from valid_counted
    where is_valid_start = 1

),

{#- step i - 1: the loose continuation (next step-i event) and the bounded one (next valid start) #}
{{ 'entry_steps' if i == 2 else 'reach_' ~ (i - 1) }} as (

    select
        step.entity_id,
        step.hold_value,
        step.event_id,
        step.breakdown_value,
        step.previous_rank as step_rank,
        step.event_at,
        step.event_at as reach_{{ i - 1 }}_at
        {%- for m in range(i, j) %},
        loose.reach_{{ m }}_at as loose_{{ m }}_at
        {%- endfor %}
        {%- for m in range(i, n + 1) %},
        next_step.bounded_{{ m }}_at
        {%- endfor %}
    from valid_counted as step
    left join reach_{{ i }} as loose
        on
            loose.entity_id = step.entity_id
            {%- if hold %}
            and loose.hold_value = step.hold_value
            {%- endif %}
            and loose.step_rank = step.next_step_count + 1
    left join valid_start_rows as next_step
        on {{ same_partition }}
        and next_step.valid_seen = step.valid_seen + 1
    where step.is_previous = 1

),
{%- for k in range(i - 2, 1, -1) %}

reach_{{ k }} as (

    select
        step.entity_id,
        step.hold_value,
        step.step_{{ k }}_count as step_rank,
        step.event_at as reach_{{ k }}_at
        {%- for m in range(k + 1, i) %},
        next_step.reach_{{ m }}_at
        {%- endfor %}
        {%- for m in range(i, j) %},
        next_step.loose_{{ m }}_at
        {%- endfor %}
        {%- for m in range(i, n + 1) %},
        next_step.bounded_{{ m }}_at
        {%- endfor %}
    from counted as step
    left join reach_{{ k + 1 }} as next_step
        on {{ same_partition }}
        and next_step.step_rank = step.step_{{ k + 1 }}_count + 1
    where step.is_step_{{ k }} = 1

),
{%- endfor %}
{%- endif %}

{#- entries: the bounded continuation when its step j is inside the window, else the loose one #}
chain_{{ n }} as (

    select
        step.entity_id,
        step.hold_value,
        step.event_id as entry_event_id,
        step.breakdown_value,
        step.event_at as step_1_at
        {%- for m in range(2, n + 1) %},
        {%- if i == 1 %}
        {#- from the entry itself: its greedy chain, valid when no E lies between it and its step j #}
        {%- set bounded_ok = 'next_step.reach_' ~ j ~ '_at <= ' ~ window_end ~ ' and next_step.end_seen = step.exclusion_seen' %}
        case
            when next_step.reach_{{ m }}_at <= {{ window_end }}
                {%- if m >= j %}
                and {{ bounded_ok }}
                {%- endif %}
                then next_step.reach_{{ m }}_at
        end as step_{{ m }}_at
        {%- else %}
        {%- set prefix = '' if i == 2 else 'next_step.' %}
        {%- set bounded_ok = prefix ~ 'bounded_' ~ j ~ '_at <= ' ~ window_end %}
        {%- if m < i %}
        case when {{ prefix }}reach_{{ m }}_at <= {{ window_end }} then {{ prefix }}reach_{{ m }}_at end as step_{{ m }}_at
        {%- elif m < j %}
        case
            when {{ bounded_ok }} then {{ prefix }}bounded_{{ m }}_at
            when {{ prefix }}loose_{{ m }}_at <= {{ window_end }} then {{ prefix }}loose_{{ m }}_at
        end as step_{{ m }}_at
        {%- else %}
        case
            when {{ bounded_ok }} and {{ prefix }}bounded_{{ m }}_at <= {{ window_end }} then {{ prefix }}bounded_{{ m }}_at
        end as step_{{ m }}_at
        {%- endif %}
        {%- endif %}
        {%- endfor %}
    {%- if i == 2 %}
    from entry_steps as step
    {%- else %}
    from counted as step
    left join reach_2 as next_step
        on {{ same_partition }}
        and next_step.step_rank = step.step_2_count + 1
    {%- endif %}
    where
        {{ local_event_at }} >= {{ bounds.local_from }}
        and {{ local_event_at }} < {{ bounds.local_to }}
        {%- if i != 2 %}
        and step.is_step_1 = 1
        {%- endif %}

),
{%- endmacro %}


{#-
    The step events with, for every step k from 2 on, the running count of the entity's step-k
    events up to each row (the row itself included), all from one window: one sort of the step
    events, whatever the number of steps. Two steps k and k + 1 need only their own events, but a
    window per pair sorts the events of the middle steps twice; the counts are the same, since the
    other rows add nothing to them. `carried` names more columns of `source` to keep; `counted_too`
    maps more running counts (over the same partitions) to the flag they count, over every row of
    `source`: the step rows are then kept after the window.

    Where the warehouse has 128-bit integers (_funnel_packed_count_bits), up to three counts share
    one running sum, each in its own bits, read back after the window with shifts and masks: a third
    of the sums in the window (measured on DuckDB at 10 M events, alternating:
    funnel_purchase 5.3-5.5 -> 4.8-4.9 s, the exclusion funnel 8.5-8.9 -> 8.1-8.6 s; division and
    modulo instead of the bit operations lose it all). Exact while no entity has 2^42 (4.4 trillion)
    step events, more rows than one DuckDB database holds.
-#}
{% macro _funnel_counted_steps(d, partition, source, carried=[], counted_too={}) -%}
    {%- set n = d.steps | length -%}
    {%- set hold = d.hold_constant is not none -%}
    {%- set running = 'partition by ' ~ partition ~ ' order by event_at asc, event_id asc rows between unbounded preceding and current row' -%}
    {%- set any_step -%}
        ({%- for k in range(1, n + 1) %}is_step_{{ k }} = 1{{ ' or ' if not loop.last }}{%- endfor %})
    {%- endset %}
    {%- set counts = [] -%}
    {%- for column, flag in counted_too.items() %}{%- do counts.append([column, flag]) -%}{%- endfor %}
    {%- for k in range(2, n + 1) %}{%- do counts.append(['step_' ~ k ~ '_count', 'is_step_' ~ k]) -%}{%- endfor %}
    {%- set bits = cohortwise._funnel_packed_count_bits() -%}
    {#- as many counts per sum as fit below the sign bit; without packing, one -#}
    {%- set chunks = counts | batch(127 // bits if bits else 1) | list -%}
    {%- set named = 'counted_all_rows' if counted_too else 'counted' -%}
    {%- set packed = bits and counts | length > 1 -%}

{{ 'packed_counts' if packed else named }} as (

    select
        entity_id,
        hold_value,
        event_id,
        event_at,
        breakdown_value,
        {%- for column in carried %}
        {{ column }},
        {%- endfor %}
        {%- for k in range(1, n + 1) %}
        is_step_{{ k }},
        {%- endfor %}
        {%- for chunk in chunks %}
        {%- if chunk | length == 1 %}
        sum({{ chunk[0][1] }}) over ({{ running }}) as {{ chunk[0][0] }}
        {%- else %}
        sum(
            {%- for column, flag in chunk %}
            {{ flag }} * cast('{{ 2 ** (bits * loop.index0) }}' as hugeint){{ ' +' if not loop.last }}
            {%- endfor %}
        ) over ({{ running }}) as packed_{{ chunk[0][0] }}
        {%- endif %}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from {{ source }}
    {%- if not counted_too %}
    where
        {{ any_step }}
        {%- if hold %}
        and hold_value is not null
        {%- endif %}
    {%- endif %}

),
{%- if packed %}

{#- the packed counts read back: `bits` bits each, the chunk's first count lowest #}
{{ named }} as (

    select
        packed_counts.*
        {%- for chunk in chunks if chunk | length > 1 %}
        {%- for column, flag in chunk %},
        cast(
            (packed_counts.packed_{{ chunk[0][0] }} >> {{ bits * loop.index0 }}) & cast('{{ 2 ** bits - 1 }}' as hugeint)
            as {{ dbt.type_bigint() }}
        ) as {{ column }}
        {%- endfor %}
        {%- endfor %}
    from packed_counts

),
{%- endif %}
{%- if counted_too %}

counted as (

    select * from counted_all_rows
    where {{ any_step }}

),
{%- endif %}
{%- endmacro %}


{#- bits per running count when several share one 128-bit running sum (127 // bits of them); none: one sum per count -#}
{% macro _funnel_packed_count_bits() -%}
    {{ return(adapter.dispatch('_funnel_packed_count_bits', 'cohortwise')()) }}
{%- endmacro %}

{% macro default___funnel_packed_count_bits() -%}
    {{ return(none) }}
{%- endmacro %}

{% macro duckdb___funnel_packed_count_bits() -%}
    {{ return(42) }}
{%- endmacro %}
