{#- Our own test accounts, imported from seeds/cohort_ids/ids_test_users.csv; excluded from analyses. -#}
{{ cohortwise.id_cohort(ref('ids_test_users'), id_column='user_id', properties=['note']) }}
