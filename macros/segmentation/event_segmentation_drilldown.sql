{#-
    cohortwise.event_segmentation_drilldown: the entities behind one value of a segmentation report
    (event x bucket x segment x group), with how often they did the event in the bucket and their
    user attributes (when the analysis counts users), as one select. It carries over the event,
    the bucket's days inside the date range, the segment and the group value:

        {{ cohortwise.event_segmentation_drilldown('segmentation_engagement', event='pay_order',
            bucket='2024-03-04', segment='US', group='pro') }}

    event and segment are labels as in the report (segment defaults to the analysis' only segment;
    group is required when the analysis has group_by, '(none)' for a missing value). The count of
    rows equals the report's `people`; the sum of `events` its `events`.
-#}
{% macro event_segmentation_drilldown(segmentation_model, event, bucket, segment=none, group=none) -%}
    {%- if not execute -%}
        {{ return('select * from ' ~ ref(segmentation_model) ~ ' cross join ' ~ ref('cohortwise', 'dim_users')) }}
    {%- endif -%}
    {%- set d = cohortwise._analysis_definition(segmentation_model, 'event_segmentation') -%}
    {%- set event_labels = d.events | map(attribute='label') | list -%}
    {%- set segment_labels = d.segments | map(attribute='label') | list -%}
    {%- if event not in event_labels -%}
        {{ cohortwise._argument_error('event', "'" ~ (event | string) ~ "' is not an event of " ~ segmentation_model
            ~ '; expected one of ' ~ event_labels | join(', ')) }}
    {%- endif -%}
    {%- do cohortwise._check_date(bucket, 'bucket') -%}
    {%- if segment is none and segment_labels | length == 1 -%}
        {%- set segment = segment_labels[0] -%}
    {%- endif -%}
    {%- if segment not in segment_labels -%}
        {{ cohortwise._argument_error('segment', "'" ~ (segment | string) ~ "' is not a segment of " ~ segmentation_model
            ~ '; expected one of ' ~ segment_labels | join(', ')) }}
    {%- endif -%}
    {%- if d.group_by and group is none -%}
        {{ cohortwise._argument_error('group', segmentation_model ~ ' is grouped: name the group value') }}
    {%- elif not d.group_by and group is not none -%}
        {{ cohortwise._argument_error('group', segmentation_model ~ ' has no group_by') }}
    {%- endif -%}
    {%- if group is not none and group is not string -%}
        {{ cohortwise._argument_error('group', 'must be a text value; got ' ~ (group | string)) }}
    {%- endif -%}
{%- set behind -%}
(
    select
        entity_id,
        sum(event_count) as events,
        count(*) as active_days,
        min(activity_date) as first_active_date,
        max(activity_date) as last_active_date
    from {{ ref(segmentation_model) }}
    where
        event_label = {{ cohortwise.literal(event) }}
        and segment_label = {{ cohortwise.literal(segment) }}
        and bucket_start = cast({{ cohortwise.literal(bucket) }} as date)
        and {{ cohortwise.is_true('is_in_range') }}
        {%- if group is not none %}
        and group_value = {{ cohortwise.literal(group) }}
        {%- endif %}
    group by entity_id
)
{%- endset %}
{{ cohortwise._select_with_user_attributes(behind, 'behind', d.entity) }}
{%- endmacro %}
