"""The runner's cohort operations: what is due, refreshing it with checks, and the status table."""
