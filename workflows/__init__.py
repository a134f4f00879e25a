"""Temporal workflows and their activities: one package per process (årshjul, mandatperiod,
uppföljning, eskalering), and what they share."""
