{#-
    Post-hooks of every cohort model (set for models/cohorts/ in dbt_project.yml; a root project
    sets the same two hooks on its own cohort folder):
        +post-hook:
          - "{{ cohortwise.record_cohort_members() }}"
          - "{{ cohortwise.record_cohort_computation() }}"
    They append this computation's members to cohort_membership_history and one row (size, time
    zone, local day) to cohort_computations. Both are idempotent per (cohort, computed_at):
    rerunning the same computation (the same cohortwise__as_of) adds nothing. The members hook runs
    first and checks cohort_computations, so a rerun after a failure between the two completes the pair.
-#}
{% macro record_cohort_members() -%}
    {%- set history = ref('cohortwise', 'cohort_membership_history') -%}
    {%- set computations = ref('cohortwise', 'cohort_computations') -%}
    {%- if not execute -%} {{ return('') }} {%- endif -%}
    {{ return(cohortwise._record_members_sql(cohortwise._this_cohort(none), this, history, computations)) }}
{%- endmacro %}

{% macro record_cohort_computation() -%}
    {%- set computations = ref('cohortwise', 'cohort_computations') -%}
    {%- if not execute -%} {{ return('') }} {%- endif -%}
    {{ return(cohortwise._record_computation_sql(cohortwise._this_cohort(none), this, computations,
        cohortwise._cohort_definition_checksum(model))) }}
{%- endmacro %}

{% macro _record_members_sql(settings, members, history, computations) -%}
    {%- set now = cohortwise.computed_at() -%}
insert into {{ history }} (cohort_name, entity_id, computed_at)
select
    {{ cohortwise.literal(settings.name) }},
    cast(members.entity_id as {{ cohortwise.data_type('text') }}),
    {{ now }}
from {{ members }} as members
{{ cohortwise._not_recorded_yet(settings, computations, now) }}
{%- endmacro %}

{% macro _record_computation_sql(settings, members, computations, checksum) -%}
    {%- set now = cohortwise.computed_at() -%}
insert into {{ computations }} (
    cohort_name, cohort_type, entity_type, timezone, computed_at, computed_on, members, recorded_at, definition_checksum
)
select
    {{ cohortwise.literal(settings.name) }},
    {{ cohortwise.literal(settings.type) }},
    {{ cohortwise.literal(settings.entity) }},
    {{ cohortwise.literal(settings.timezone) }},
    {{ now }},
    cast({{ cohortwise.to_local_timestamp(now, settings.timezone) }} as date),
    counted.members,
    {{ cohortwise._run_started_at() }},
    {{ cohortwise.literal(checksum) }}
from (select count(*) as members from {{ members }}) as counted
{{ cohortwise._not_recorded_yet(settings, computations, now) }}
{%- endmacro %}

{#- the guard that makes both recording statements idempotent per (cohort, computed_at) -#}
{% macro _not_recorded_yet(settings, computations, now) -%}
where not exists (
    select 1
    from {{ computations }} as computations
    where
        computations.cohort_name = {{ cohortwise.literal(settings.name) }}
        and computations.computed_at = {{ now }}
)
{%- endmacro %}

{#-
    The two recording statements of every cohort of the graph, for the offline warehouse check
    (dbt compile does not render hooks): blocks headed `-- cohortwise:hook <unique_id> <kind>`.
-#}
{% macro _cohort_recording_statements() -%}
    {%- set history = ref('cohortwise', 'cohort_membership_history') -%}
    {%- set computations = ref('cohortwise', 'cohort_computations') -%}
    {%- if not execute -%} {{ return('') }} {%- endif -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- set settings = cohortwise._cohort_settings(node) if node.resource_type == 'model' else none -%}
        {%- if settings is not none %}
-- cohortwise:hook {{ node.unique_id }} members
{{ cohortwise._record_members_sql(settings, node.relation_name, history, computations) }}
-- cohortwise:hook {{ node.unique_id }} computation
{{ cohortwise._record_computation_sql(settings, node.relation_name, computations,
    cohortwise._cohort_definition_checksum(node)) }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}
