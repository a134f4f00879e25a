"""The befattningar of a styrmodell as a styrkedja: references between them and the chain's shape."""

from __future__ import annotations

from collections.abc import Iterator

from lerum_flow.domain.styrkedja import ELECTED, OFFICIALS, ORGANS, PositionKind
from lerum_flow.styrmodell.model import Befattning
from lerum_flow.styrmodell.problems import Problem
from lerum_flow.styrmodell.salvage import Parts
from lerum_flow.validation_messages import close_match


class Chain:
    """The befattningar by id, for following references."""

    def __init__(self, parts: Parts) -> None:
        self.items = parts.befattning.items
        # Whether every befattning in the file is whole: with a broken one, what
        # seems missing (a root, a kind) may be in that one.
        self.complete = parts.befattning.complete
        self.by_id: dict[str, Befattning] = {}
        for _, befattning in self.items:
            self.by_id.setdefault(befattning.id, befattning)
        self.known = frozenset(self.by_id) | parts.ids_in_file
        # Without a list of befattningar there is nothing to check references against.
        self.listed = parts.befattning.listed
        # Whether every `under` leads somewhere: only then can the shape of the
        # chain (who lies directly under whom) be judged.
        self.resolved = self.complete and all(b.under is None or b.under in self.by_id for _, b in self.items)
        # Whether every kind present in the file is known: only then can a
        # missing kind be reported.
        self.kinds: frozenset[PositionKind] | None = None
        if self.complete and parts.nivaer_under.complete:
            self.kinds = frozenset(b.slag for _, b in self.items) | frozenset(
                kind for _, kind in parts.nivaer_under.items
            )

    def get(self, ref: str | None) -> Befattning | None:
        return None if ref is None else self.by_id.get(ref)

    def unknown(self, location: str, ref: str) -> Iterator[Problem]:
        if ref in self.known or not self.listed:
            return
        close = close_match(ref, sorted(self.known))
        hint = f"menade du '{close}'?" if close else f"befintliga: {', '.join(sorted(self.known))}."
        yield Problem(location, f"'{ref}' finns inte bland befattningarna; {hint}")

    def missing_kind(self, location: str, kind: str) -> Iterator[Problem]:
        # A file without fullmäktige already has a problem at its root; saying
        # so again at every reference to the kind would bury it.
        if kind == PositionKind.FULLMAKTIGE:
            return
        if self.kinds is not None and kind not in self.kinds:
            yield Problem(
                location,
                f"Ingen befattning av slaget '{kind}' finns i styrmodellen; "
                f"slag som finns: {', '.join(sorted(self.kinds))}.",
            )


def chain_problems(chain: Chain) -> Iterator[Problem]:
    """Every reference between befattningar that leads nowhere, and every fault in the chain's shape."""
    yield from _reference_problems(chain)
    yield from _root_problems(chain)
    yield from _cycle_problems(chain)
    yield from _chair_problems(chain)
    yield from _placement_problems(chain)


def _reference_problems(chain: Chain) -> Iterator[Problem]:
    for index, befattning in chain.items:
        if befattning.under is not None:
            yield from chain.unknown(f"befattning[{index}].under", befattning.under)


def _root_problems(chain: Chain) -> Iterator[Problem]:
    roots = [(index, b) for index, b in chain.items if b.under is None]
    if not roots:
        # With a broken befattning the missing root may be that one.
        if chain.complete and chain.items:
            yield Problem(
                "befattning",
                "Ingen befattning saknar 'under'; exakt en, av slaget 'fullmaktige', ska vara "
                "roten i styrkedjan.",
            )
    else:
        root_index, root = next(((i, b) for i, b in roots if b.slag is PositionKind.FULLMAKTIGE), roots[0])
        if root.slag is not PositionKind.FULLMAKTIGE:
            yield Problem(
                f"befattning[{root_index}].slag",
                f"'{root.id}' saknar 'under' och är därmed roten, men är av slaget '{root.slag}'; "
                "roten ska vara av slaget 'fullmaktige'.",
            )
        for index, befattning in roots:
            if index != root_index:
                yield Problem(
                    f"befattning[{index}].under",
                    f"Saknas: bara roten '{root.id}' får sakna 'under'; ange vilken befattning "
                    f"'{befattning.id}' ligger under.",
                )
    for index, befattning in chain.items:
        if befattning.slag is PositionKind.FULLMAKTIGE and befattning.under is not None:
            yield Problem(
                f"befattning[{index}].under",
                "Fullmäktige är roten i styrkedjan och ska inte ha 'under'.",
            )


def _cycle_problems(chain: Chain) -> Iterator[Problem]:
    """Each cycle once, at the member that comes first in the file."""
    in_reported_cycle: set[str] = set()
    for index, start in chain.items:
        if start.id in in_reported_cycle or chain.by_id.get(start.id) is not start:
            continue
        path = [start.id]
        current = start
        while (parent := chain.get(current.under)) is not None:
            if parent.id == start.id:
                in_reported_cycle.update(path)
                yield Problem(
                    f"befattning[{index}].under",
                    f"'{start.id}' ligger under sig själv: {' → '.join([*path, start.id])}; "
                    "kedjan uppåt ska sluta i fullmäktige.",
                )
                break
            if parent.id in path:
                break  # leads into a cycle it is not part of; reported from that cycle
            path.append(parent.id)
            current = parent


def _chair_problems(chain: Chain) -> Iterator[Problem]:
    for index, organ in chain.items:
        if organ.ordforande is None:
            continue
        location = f"befattning[{index}].ordforande"
        if organ.slag not in ORGANS:
            yield Problem(location, f"Bara organ har ordförande; '{organ.id}' är av slaget '{organ.slag}'.")
            continue
        chair = chain.get(organ.ordforande)
        if chair is None:
            yield from chain.unknown(location, organ.ordforande)
            continue
        if chair.slag is not PositionKind.FORTROENDEVALD:
            yield Problem(
                location,
                f"'{chair.id}' är av slaget '{chair.slag}'; ordföranden ska vara en befattning "
                "av slaget 'fortroendevald'.",
            )
        if chair.under != organ.id:
            yield Problem(
                location,
                f"'{chair.id}' ligger under '{chair.under}'; ordföranden ska ligga direkt under "
                f"'{organ.id}'.",
            )


def _placement_problems(chain: Chain) -> Iterator[Problem]:
    for index, befattning in chain.items:
        if befattning.ledamoter is not None and befattning.slag not in ORGANS:
            yield Problem(
                f"befattning[{index}].ledamoter",
                f"Bara organ har ledamöter; '{befattning.id}' är av slaget '{befattning.slag}'.",
            )
        parent = chain.get(befattning.under)
        if parent is None:
            continue
        if befattning.slag in ELECTED and parent.slag in OFFICIALS:
            yield Problem(
                f"befattning[{index}].under",
                f"'{befattning.id}' ({befattning.slag}) är politiskt vald och kan inte ligga under "
                f"'{parent.id}' ({parent.slag}), som är tjänsteperson; lägg den under ett organ.",
            )
        if befattning.slag in OFFICIALS and parent.slag is PositionKind.FORTROENDEVALD:
            yield Problem(
                f"befattning[{index}].under",
                f"'{befattning.id}' är tjänsteperson och lyder under ett organ, inte under en "
                f"enskild förtroendevald som '{parent.id}'.",
            )
