"""Every aggregate of the domain is a kind of record the log's decoders know."""

from __future__ import annotations

import importlib
import pkgutil

import lerum_flow.domain
from lerum_flow.domain.aggregate import GovernanceAggregate
from lerum_flow.domain.records import RECORD_KINDS


def _subclasses(cls: type[GovernanceAggregate]) -> set[type[GovernanceAggregate]]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_aggregate_of_the_domain_is_listed_among_the_records_the_log_holds() -> None:
    for module in pkgutil.iter_modules(lerum_flow.domain.__path__):
        importlib.import_module(f"lerum_flow.domain.{module.name}")
    aggregates = {c for c in _subclasses(GovernanceAggregate) if c.__module__.startswith("lerum_flow.domain")}
    assert aggregates == set(RECORD_KINDS)
