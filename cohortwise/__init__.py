"""cohortwise: product analytics in the warehouse (dbt project + runner)."""

__version__ = "0.1.0"
