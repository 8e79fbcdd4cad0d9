"""One error type for bad user input, always naming the field it is about.

The CLI prints ``InputError`` as one line and exits 2; the GUI shows it on the field.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from a user or a file. ``field`` is a dotted path (``fleet[0].count``)."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}" if field else problem)
