"""The governance domain: aggregates, their events, values and refusals. No I/O."""
