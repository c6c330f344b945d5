{#- The rows of seeds/cohort_ids/ids_test_users.csv that cohort_test_users did not accept, with the reason. -#}
{{ cohortwise.id_cohort_rejected(ref('ids_test_users'), entity='user_id', id_column='user_id', properties=['note']) }}
