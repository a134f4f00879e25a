"""The auditors' integrity tools: seal the event log with a hash chain, verify it, export evidence.

`seal` extends a SHA-256 chain over the stored rows and records a checkpoint;
`verify` recomputes it and names every event that was changed, removed,
inserted or moved since; `evidence` decodes the events in force on a date.
"""

from lerum_flow.integrity.checkpoint_file import CheckpointFile
from lerum_flow.integrity.checkpoint_file import read as read_checkpoint_file
from lerum_flow.integrity.checkpoint_file import write as write_checkpoint_file
from lerum_flow.integrity.checkpoints import Checkpoint, chain_problems
from lerum_flow.integrity.evidence import (
    Evidence,
    EvidenceRequest,
    evidence,
)
from lerum_flow.integrity.evidence_files import WRITERS as EVIDENCE_WRITERS
from lerum_flow.integrity.findings import Finding, Kind
from lerum_flow.integrity.opening import open_stores, seal_path
from lerum_flow.integrity.sealing import SealOutcome, seal
from lerum_flow.integrity.stores import EventLog, SealStore
from lerum_flow.integrity.verification import Report, verify

__all__ = [
    "EVIDENCE_WRITERS",
    "Checkpoint",
    "CheckpointFile",
    "EventLog",
    "Evidence",
    "EvidenceRequest",
    "Finding",
    "Kind",
    "Report",
    "SealOutcome",
    "SealStore",
    "chain_problems",
    "evidence",
    "open_stores",
    "read_checkpoint_file",
    "seal",
    "seal_path",
    "verify",
    "write_checkpoint_file",
]
