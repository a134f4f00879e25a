"""Temporal workflows and their activities: the yearly cycle and the escalation of deviations."""
