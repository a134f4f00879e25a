"""`lerum-flow audit export`: evidence of the events in force on a date, as known on a date."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from integration.test_integrity_cli import run
from integration.test_integrity_history import (
    SEEDED,
    OpenStore,
    opened_stores,
    record_history,
    record_more,
)
from unit.governance_world import send

from lerum_flow.application import Governance
from lerum_flow.integrity.checkpoint_file import content_hash
from lerum_flow.municipal_time import MUNICIPAL_TIME


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


FAR_FUTURE = "2099-12-31"


def in_force(app: Governance, as_of: date, known_on: date) -> list[int]:
    """The positions the evidence should hold, found through the library's own notification log."""
    positions = []
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        event: Any = app.mapper.to_domain_event(notification)
        known = event.timestamp.astimezone(MUNICIPAL_TIME).date() <= known_on
        if event.effective_on <= as_of and known:
            positions.append(notification.id)
    return positions


def jsonl(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header and the events; the last line (the file's digest) is left out."""
    header, *records, trailer = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert trailer["typ"] == "slut"
    return header, records


def test_csv_evidence_opens_in_swedish_excel(
    database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """UTF-8 with BOM, semicolons, the log position first, ISO dates, and text with ';' kept whole."""
    record_history(open_store(database_url).app, uppdrag=2)
    out = tmp_path / "underlag.csv"

    result = run(
        database_url, "audit", "export", "--as-of", "2027-12-31", "--format", "csv", "--out", str(out)
    )

    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    header, columns, *rows, trailer = csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";")
    described = dict(zip(header[::2], header[1::2], strict=True))
    assert (described["format"], described["position"]) == (
        "lerum-flow/revisionsunderlag/v2",
        str(SEEDED + 10),
    )
    assert described["verktyg"].startswith("lerum-flow ")
    assert trailer[0] == "filhash"
    assert columns[:6] == ["position", "aggregat_id", "version", "händelse", "registrerad", "gäller_från"]
    assert len(rows) == SEEDED + 10
    report = next(row for row in rows if row[3] == "Uppdrag.Reported")
    assert report[5] == "2027-01-30"
    assert report[4].startswith("2027-01-0")
    assert report[4].endswith("+01:00")  # Swedish winter time
    assert report[columns.index("text")] == "Delrapport 0; 1,5 % lägre."


def test_evidence_holds_the_events_in_force_on_a_date_as_known_on_a_date(
    database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """Selection by business date and by recording date together, exactly as the log says."""
    app = open_store(database_url).app
    record_history(app, uppdrag=4)
    out = tmp_path / "underlag.jsonl"

    result = run(
        database_url,
        "audit",
        "export",
        "--as-of",
        "2027-01-15",
        "--known-on",
        "2027-01-05",
        "--format",
        "jsonl",
        "--out",
        str(out),
    )

    header, records = jsonl(out)
    assert result.exit_code == 0, result.output
    expected = in_force(app, date(2027, 1, 15), date(2027, 1, 5))
    assert 0 < len(expected) < SEEDED + 20
    assert [record["position"] for record in records] == expected
    assert (header["per"], header["kant_per"], header["position"]) == (
        "2027-01-15",
        "2027-01-05",
        SEEDED + 20,
    )


def test_evidence_taken_at_a_position_is_reproduced_after_more_events(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """The position in the header is enough to produce the same evidence again later."""
    app = open_store(sqlite_database_url).app
    budget = record_history(app, uppdrag=2)
    first, again = tmp_path / "forsta.jsonl", tmp_path / "igen.jsonl"
    args = ["audit", "export", "--as-of", FAR_FUTURE, "--format", "jsonl"]
    run(sqlite_database_url, *args, "--out", str(first))
    record_more(app, budget, uppdrag=2, first=2)

    result = run(sqlite_database_url, *args, "--position", str(SEEDED + 10), "--out", str(again))

    assert result.exit_code == 0, result.output
    (first_header, first_records), (again_header, again_records) = jsonl(first), jsonl(again)
    assert first_records == again_records
    assert {**first_header, "exporterad": None} == {**again_header, "exporterad": None}


def test_evidence_names_the_seal_it_was_taken_under(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """The header carries the last checkpoint at or before its position, tying the file to the seal."""
    app = open_store(sqlite_database_url).app
    budget = record_history(app, uppdrag=1)
    run(sqlite_database_url, "audit", "seal")
    record_more(app, budget, uppdrag=1, first=1)
    out = tmp_path / "underlag.jsonl"

    run(sqlite_database_url, "audit", "export", "--as-of", FAR_FUTURE, "--format", "jsonl", "--out", str(out))

    header, records = jsonl(out)
    assert (header["position"], header["forseglad_till"], header["kontrollpunkt"]) == (
        SEEDED + 10,
        SEEDED + 5,
        1,
    )
    assert len(header["lank"]) == 64
    assert len(records) == SEEDED + 10


def test_an_unreadable_event_stops_the_export_and_is_named(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """A corrupted event is refused by position, and no partial evidence file is left behind."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)
    with closing(sqlite3.connect(sqlite_database_url.removeprefix("sqlite:///"))) as connection, connection:
        connection.execute("UPDATE stored_events SET state = X'7b7b' WHERE rowid = 7")
    out = tmp_path / "underlag.csv"

    result = run(sqlite_database_url, "audit", "export", "--as-of", FAR_FUTURE, "--out", str(out))

    assert result.exit_code == 1
    assert "Händelse 7 kan inte läsas" in result.stderr
    assert not out.exists()
    assert not list(tmp_path.glob("underlag*"))


def test_an_export_date_that_is_not_a_date_is_refused(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """A mistyped date is refused in Swedish, naming the option and the form expected."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)

    result = run(sqlite_database_url, "audit", "export", "--as-of", "31/12/2027", "--out", "x.csv")

    assert result.exit_code == 1
    assert "skriv ÅÅÅÅ-MM-DD" in result.stderr


def sealed_export(
    url: str, open_store: OpenStore, tmp_path: Path, file_format: str, *extra: str
) -> tuple[Path, Path]:
    """A sealed store, the auditors' checkpoint file and an evidence file taken under that seal."""
    app = open_store(url).app
    budget = record_history(app, uppdrag=1)
    send(
        app,
        "issue_uppdrag",
        "kf",
        recipient="ks",
        title="Skyddad utredning",
        origin_beslut_id=budget,
        issued_on=date(2027, 2, 1),
        due=date(2027, 12, 31),
        secrecy="OSL 21 kap. 1 §",
    )
    run(url, "audit", "seal")
    checkpoints = tmp_path / "kontrollpunkter.json"
    run(url, "audit", "checkpoint", "export", str(checkpoints))
    out = tmp_path / f"underlag.{file_format}"
    exported = run(
        url, "audit", "export", "--as-of", FAR_FUTURE, "--format", file_format, "--out", str(out), *extra
    )
    assert exported.exit_code == 0, exported.output
    return out, checkpoints


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_an_export_verifies_offline_against_the_auditors_checkpoint_file(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path, file_format: str
) -> None:
    """The file's digest, its row count and its checkpoint all agree: exit 0, with no database."""
    out, checkpoints = sealed_export(sqlite_database_url, open_store, tmp_path, file_format)
    Path(sqlite_database_url.removeprefix("sqlite:///")).unlink()  # offline: the store is gone

    result = run(sqlite_database_url, "audit", "verify-export", str(out), "--checkpoints", str(checkpoints))

    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.split())  # the console wraps long lines
    assert f"Oförändrat: {SEEDED + 6} händelser" in said
    assert "bundet till revisorernas kontrollpunkt 1" in said


@pytest.mark.parametrize("file_format", ["csv", "jsonl"])
def test_an_edited_export_is_refused_offline(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path, file_format: str
) -> None:
    """One character changed in one row: the file's digest no longer matches, exit 1."""
    out, checkpoints = sealed_export(sqlite_database_url, open_store, tmp_path, file_format)
    text = out.read_text(encoding="utf-8-sig")
    out.write_text(text.replace("Delrapport 0", "Delrapport 9", 1), encoding="utf-8-sig")

    result = run(
        sqlite_database_url, "--json", "audit", "verify-export", str(out), "--checkpoints", str(checkpoints)
    )

    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["avvikelser"] == [
        "filen har ändrats efter exporten: filhashen stämmer inte med innehållet"
    ]


def test_an_export_bound_to_another_checkpoint_than_the_auditors_is_refused(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """An export from a store resealed after tampering names a checkpoint the auditors never had."""
    out, _ = sealed_export(sqlite_database_url, open_store, tmp_path, "jsonl")
    other = tmp_path / "andra.json"
    data = json.loads((tmp_path / "kontrollpunkter.json").read_text(encoding="utf-8"))
    data["kontrollpunkter"][0]["hash"] = "0" * 64
    data.pop("innehallshash")
    data["innehallshash"] = content_hash(data)
    other.write_text(json.dumps(data), encoding="utf-8")

    result = run(
        sqlite_database_url, "--json", "audit", "verify-export", str(out), "--checkpoints", str(other)
    )

    assert result.exit_code == 1
    assert json.loads(result.stdout)["avvikelser"] == [
        "kontrollpunkt 1 i exporten skiljer sig från revisorernas"
    ]


def test_secret_records_are_masked_with_their_legal_ground_unless_a_right_to_see_is_stated(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """OSL records hide their content by default; --visa-sekretess shows it and says so in the header."""
    masked_file, _ = sealed_export(sqlite_database_url, open_store, tmp_path, "jsonl")
    shown_file = tmp_path / "med_sekretess.jsonl"
    run(
        sqlite_database_url,
        "audit",
        "export",
        "--as-of",
        FAR_FUTURE,
        "--format",
        "jsonl",
        "--out",
        str(shown_file),
        "--visa-sekretess",
    )

    masked_header, masked = jsonl(masked_file)
    shown_header, shown = jsonl(shown_file)
    secret = next(r for r in masked if r["sekretess"])
    revealed = next(r for r in shown if r["sekretess"])
    assert secret["uppgifter"]["title"] == "[sekretess: OSL 21 kap. 1 §]"
    assert "Skyddad utredning" not in masked_file.read_text(encoding="utf-8")
    assert revealed["uppgifter"]["title"] == "Skyddad utredning"
    assert (masked_header["sekretess_visas"], shown_header["sekretess_visas"]) == (False, True)
    assert len(secret["radhash"]) == 64
