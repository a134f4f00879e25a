"""The worker's Prometheus metrics, in a registry of their own (several workers may share a test process).

Counters count what this process did (Prometheus sums them over the
replicas); gauges are sampled from the store (`worker_sampling`), so every
replica reports the same store-wide figure: alert on `max`, not `sum`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector


class WorkerMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.commands = Counter(
            "lerum_flow_commands",
            "Activities (process steps) this worker completed, by kind.",
            ["kind"],
            registry=self.registry,
        )
        self.refusals = Counter(
            "lerum_flow_refusals",
            "Process steps refused for good by a rule (nothing recorded), by kind and rule.",
            ["kind", "rule"],
            registry=self.registry,
        )
        self.errors = Counter(
            "lerum_flow_activity_errors",
            "Process steps that failed and will be retried (conflict, database, Temporal), by kind.",
            ["kind", "error"],
            registry=self.registry,
        )
        self.deadlines_missed = Counter(
            "lerum_flow_deadlines_missed",
            "Deadlines this worker recorded as missed: kvittens (acknowledgement), beslut, rapport.",
            ["deadline"],
            registry=self.registry,
        )
        self.relay_lag = Gauge(
            "lerum_flow_relay_lag_events",
            "Events recorded that the relay has not yet handed on to the workflows.",
            registry=self.registry,
        )
        self.projection_lag = Gauge(
            "lerum_flow_projection_lag_events",
            "Events recorded that a view has not yet taken in, by view.",
            ["view"],
            registry=self.registry,
        )
        self.leader = Gauge(
            "lerum_flow_leader",
            "1 while this replica leads the role (relay: follows the log); exactly one replica per store.",
            ["role"],
            registry=self.registry,
        )
        self.leader.labels(role="relay").set(0)
        self.escalations_waiting = Gauge(
            "lerum_flow_escalations_waiting",
            "Open deviations waiting for a level to acknowledge them (from the avvikelse view).",
            registry=self.registry,
        )
        self.sample_failures = Counter(
            "lerum_flow_store_sample_failures",
            "Samplings of the store (lags, waiting escalations) that failed: the database did not answer.",
            registry=self.registry,
        )
        self.last_sample = Gauge(
            "lerum_flow_store_last_sample_timestamp_seconds",
            "When the store was last sampled successfully (Unix time).",
            registry=self.registry,
        )

    def by_kommun(self, kommuner: Mapping[str, WorkerMetrics]) -> None:
        """Serve, in place of this process's own figures, each municipality's with a `kommun` label.

        For a fleet (`worker --alla-kommuner`): every figure is some municipality's, and one
        municipality's lag or leader must not hide behind another's under the same series.
        `kommuner` is read at each scrape, so municipalities added later are served too.
        """
        for collector in list(self.registry._collector_to_names):  # the registry has no public listing
            self.registry.unregister(collector)
        self.registry.register(_KommunCollector(kommuner))


class _KommunCollector(Collector):
    def __init__(self, kommuner: Mapping[str, WorkerMetrics]) -> None:
        self.kommuner = kommuner

    def collect(self) -> Iterator[Metric]:
        families: dict[str, Metric] = {}
        for kod, metrics in sorted(self.kommuner.items()):
            for family in metrics.registry.collect():
                merged = families.setdefault(
                    family.name, Metric(family.name, family.documentation, family.type, family.unit)
                )
                for sample in family.samples:
                    merged.samples.append(sample._replace(labels={"kommun": kod, **sample.labels}))
        yield from families.values()
