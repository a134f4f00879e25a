"""The positions below one on a day: the fixed chain's and those established by then, as the break-down
form offers them."""

from __future__ import annotations

from datetime import timedelta

from unit.governance_world import STAFFED_FROM, governance, send
from unit.memory_lookups import positions_in_memory


def test_a_sector_has_below_it_the_positions_established_by_the_day_nearest_first() -> None:
    app = governance()
    later = STAFFED_FROM + timedelta(days=100)
    send(app, "establish_befattning", "larande", code="chef-forskola", name="Förskolechef", kind="chef",
         parent="larande", established_on=STAFFED_FROM)  # fmt: skip
    send(app, "establish_befattning", "larande", code="m-anna", name="Förskollärare", kind="medarbetare",
         parent="chef-forskola", established_on=later)  # fmt: skip

    view = positions_in_memory(app)

    before = [p.id for p in app.positions_below("larande", later - timedelta(days=1), established=view)]
    after = [p.id for p in app.positions_below("larande", later, established=view)]

    assert before == ["chef-forskola"]
    assert after == ["chef-forskola", "m-anna"]
    assert [p.id for p in app.positions_below("chef-forskola", later, established=view)] == ["m-anna"]
    assert app.positions_below("m-anna", later, established=view) == []


def test_a_position_above_the_sectors_has_every_sector_below_it_and_none_above() -> None:
    app = governance()

    below = {
        p.id
        for p in app.positions_below("kommundirektor", STAFFED_FROM, established=positions_in_memory(app))
    }

    assert "larande" in below
    assert "kommundirektor" not in below
    assert "ks" not in below
    assert all(app.is_above("kommundirektor", code) for code in below)
