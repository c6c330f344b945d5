"""Errors the runner reports as one clear line and a non-zero exit."""

from __future__ import annotations


class CohortwiseError(Exception):
    """A problem the user can fix (bad input, configuration); exit code 2."""

    exit_code = 2
