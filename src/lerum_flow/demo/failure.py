"""A simulation that broke off: where it was, and what broke it."""

from __future__ import annotations


class SimulationFailed(Exception):  # noqa: N818 - reads as what happened, like ScenarioBroken
    """The simulation stopped on an error; `where` says in Swedish how far it had come."""

    def __init__(self, where: str, cause: Exception) -> None:
        super().__init__(f"Simuleringen avbröts {where}: {type(cause).__name__}: {cause}")
        self.where = where
        self.cause = cause
