"""The årshjul: one budget year of a municipality, from the budget to discharge."""
