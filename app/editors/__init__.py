"""Scenario editors: each shows part of one scenario and emits a whole new, validated one."""
