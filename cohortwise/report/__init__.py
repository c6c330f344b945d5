"""`cohortwise report`: charts (PNG) and one self-contained HTML page from the materialized report tables."""
