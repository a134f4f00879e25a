"""Checkpoints and the auditors' checkpoint file: no checkpoint can be altered alone."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from lerum_flow.integrity.checkpoint_file import HASH_FIELD, content_hash, read, write
from lerum_flow.integrity.checkpoints import Checkpoint, chain_problems, checkpoint_hash, trusted


def three() -> list[Checkpoint]:
    checkpoints: list[Checkpoint] = []
    for number in (1, 2, 3):
        checkpoints.append(
            Checkpoint.after(
                checkpoints[-1] if checkpoints else None,
                position=100 * number,
                event_count=99 * number,
                link=f"{number:064x}",
                sealed_at=f"2027-04-0{number}T12:00:00+00:00",
            )
        )
    return checkpoints


def reasons(checkpoints: list[Checkpoint]) -> list[tuple[int, str]]:
    return [(problem.number, problem.reason) for problem in chain_problems(checkpoints)]


def test_an_unaltered_chain_of_checkpoints_has_no_problems() -> None:
    """Checkpoints made one after another chain correctly and are all trusted."""
    checkpoints = three()
    assert reasons(checkpoints) == []
    assert trusted(checkpoints, []) == checkpoints


def test_a_checkpoint_with_an_altered_field_is_named() -> None:
    """Any field changed without its hash makes that checkpoint, and only it, untrusted."""
    checkpoints = three()
    checkpoints[1] = dataclasses.replace(checkpoints[1], position=201)
    problems = chain_problems(checkpoints)
    assert reasons(checkpoints) == [(2, "har ändrats")]
    assert [c.number for c in trusted(checkpoints, problems)] == [1, 3]


def test_a_checkpoint_rewritten_with_a_new_hash_is_named_by_its_successor() -> None:
    """Recomputing the altered checkpoint's hash breaks the next checkpoint's link to it."""
    checkpoints = three()
    old = checkpoints[0]
    link = "f" * 64
    rehashed = checkpoint_hash(old.number, old.position, old.event_count, link, old.sealed_at, old.previous)
    checkpoints[0] = dataclasses.replace(old, link=link, hash=rehashed)
    assert reasons(checkpoints) == [(1, "har ändrats")]


def test_a_checkpoint_removed_from_the_middle_is_named_missing() -> None:
    """A gap in the numbering names the missing checkpoint."""
    checkpoints = three()
    del checkpoints[1]
    assert reasons(checkpoints) == [(2, "saknas")]


def test_a_link_that_is_not_a_sha256_is_not_trusted_even_with_a_matching_hash() -> None:
    """A forged checkpoint cannot smuggle in a link the verifier could not use."""
    checkpoint = Checkpoint.after(None, position=1, event_count=1, link="xyz", sealed_at="2027-04-01")
    assert not checkpoint.is_self_consistent


def test_the_checkpoint_file_reads_back_what_was_written(tmp_path: Path) -> None:
    """Export and import give the same checkpoints and no problems."""
    path = tmp_path / "kontrollpunkter.json"
    write(path, three(), exported_at="2027-04-04T12:00:00+00:00", store="test")

    found = read(path)

    assert (found.checkpoints, found.problems) == (three(), [])


def test_an_edited_checkpoint_file_fails_its_content_hash(tmp_path: Path) -> None:
    """Editing any value without recomputing the content hash makes the whole file untrusted."""
    path = tmp_path / "kontrollpunkter.json"
    write(path, three(), exported_at="2027-04-04T12:00:00+00:00", store="test")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exporterad"] = "2027-04-05T12:00:00+00:00"
    path.write_text(json.dumps(data), encoding="utf-8")

    assert read(path).problems == ["har ändrats: innehållshashen stämmer inte"]


def test_an_edited_file_with_a_recomputed_content_hash_still_fails_the_checkpoint_chain(
    tmp_path: Path,
) -> None:
    """The content hash is no secret; the checkpoints' own chain names the edited one."""
    path = tmp_path / "kontrollpunkter.json"
    write(path, three(), exported_at="2027-04-04T12:00:00+00:00", store="test")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kontrollpunkter"][2]["position"] = "300"
    data[HASH_FIELD] = content_hash({k: v for k, v in data.items() if k != HASH_FIELD})
    path.write_text(json.dumps(data), encoding="utf-8")

    found = read(path)

    assert found.problems == []
    assert reasons(found.checkpoints) == [(3, "har ändrats")]
