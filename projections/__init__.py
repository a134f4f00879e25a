"""Read models built from the governance event log, and the auditor's as-of replay."""
