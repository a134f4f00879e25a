"""The engine's view look-ups over views built in memory from a test store's log (a store in memory
has no views of its own): what the web and the command line read from the stored views."""

from __future__ import annotations

from lerum_flow.projections.avvikelse import AvvikelseProjection
from lerum_flow.projections.befattning import BefattningProjection
from lerum_flow.projections.delegering import DelegeringProjection
from lerum_flow.projections.forordnande import ForordnandeProjection
from lerum_flow.projections.internkontroll import InternkontrollProjection
from lerum_flow.projections.store import MEMORY_ENV, ViewStore, open_view
from lerum_flow.projections.styrdokument import StyrdokumentProjection
from lerum_flow.projections.uppdrag import UppdragProjection
from lerum_flow.reading import RecordReads
from lerum_flow.view_lookups import ViewPositions, ViewTies


def positions_in_memory(app: RecordReads) -> ViewPositions:
    """The befattning view of `app`'s log, built in memory (with its history) and caught up."""
    projection = open_view(BefattningProjection, dict(MEMORY_ENV))
    ViewStore(app, [projection], owns_log=False).projector().catch_up()
    return ViewPositions(projection.view)


def ties_in_memory(app: RecordReads) -> ViewTies:
    """What hangs on a position, from the views it needs built in memory over `app`'s log; each
    question catches them up first, as with the stored views."""
    chosen = (
        BefattningProjection,
        ForordnandeProjection,
        UppdragProjection,
        DelegeringProjection,
        AvvikelseProjection,
        StyrdokumentProjection,
        InternkontrollProjection,
    )
    assert tuple(p.name for p in chosen) == ViewTies.NAMES
    projections = [open_view(p, dict(MEMORY_ENV)) for p in chosen]
    return ViewTies(ViewStore(app, projections, owns_log=False))
