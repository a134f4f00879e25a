"""The governance event store read as a log by the projections, followable (pages: `lerum_flow.log_pages`).

`GovernanceLog` is an Application named like `Governance` (so it reads the same
store with the same settings and tracks positions under the same name) and
decoding events the same way, without needing a styrmodell. Its recorder
polls (see `lerum_flow.subscription`), so it can be followed on SQLite too.
"""

from __future__ import annotations

from eventsourcing.persistence import ApplicationRecorder, Transcoder
from eventsourcing.utils import Environment, EnvType

from lerum_flow.application import Governance
from lerum_flow.opening import opened
from lerum_flow.persistence import governance_transcoder
from lerum_flow.record_ids import RecordLog
from lerum_flow.subscription import polling_recorder_env

# Measured with `lerum-flow bench` (read figures): pages of 10 (the notification log's
# default) read 3-4 times slower than pages of a hundred or more. A page is also one
# transaction per view: a rebuild of a mandate period (348k events, SQLite) took 24 s
# with pages of 1,000 and 17.5 s with 10,000 (commits and their WAL checkpoints).
DEFAULT_PAGE_SIZE = 10_000


class GovernanceLog(RecordLog):
    name = Governance.name

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        environment = super().construct_env(name, env)
        return Environment(environment.name, polling_recorder_env(environment))

    def construct_recorder(self) -> ApplicationRecorder:
        return opened(super().construct_recorder)

    def construct_transcoder(self) -> Transcoder:
        return governance_transcoder(self)
