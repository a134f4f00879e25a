"""The figures of a report: pure functions of a `ReportRecord`, each cell with the records behind it."""
