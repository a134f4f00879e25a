"""`lerum-flow audit seal | verify | checkpoint export` as a user types them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
import typer
from integration.test_integrity_history import SEEDED, OpenStore, opened_stores, record_history
from integration.test_integrity_tampering import drop_triggers
from typer.testing import CliRunner, Result

from lerum_flow.cli import main as cli_main
from lerum_flow.cli.audit_integrity import register


@pytest.fixture
def open_store() -> Iterator[OpenStore]:
    yield from opened_stores()


def integrity_cli() -> typer.Typer:
    """The root command and an `audit` group holding these commands, as main.py composes them."""
    root = typer.Typer()
    root.callback()(cli_main.root)
    audit = typer.Typer()
    register(audit)
    root.add_typer(audit, name="audit")
    return root


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(integrity_cli(), ["--database-url", url, *args], prog_name="lerum-flow")


def alter_state(url: str, position: int) -> None:
    """What someone with write access could do: edit one stored event (here, harmless whitespace)."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection, connection:
            # The seal made the store append-only; someone with the file can undo that first.
            drop_triggers(connection)
            (state,) = connection.execute(
                "SELECT state FROM stored_events WHERE rowid = ?", (position,)
            ).fetchone()
            connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state + b" ", position))
        return
    with psycopg.connect(url, autocommit=True) as postgres:
        postgres.execute(
            "UPDATE governance_events SET state = state || '\\x20'::bytea WHERE notification_id = %s",
            (position,),
        )


def test_seal_then_verify_says_intact_and_exits_0(database_url: str, open_store: OpenStore) -> None:
    """After a seal, verify confirms every event and exits 0."""
    record_history(open_store(database_url).app, uppdrag=2)

    sealed = run(database_url, "audit", "seal")
    verified = run(database_url, "audit", "verify")

    assert sealed.exit_code == 0, sealed.output
    assert f"kontrollpunkt 1 vid position {SEEDED + 10}" in sealed.stdout
    assert verified.exit_code == 0, verified.output
    assert f"Intakt: {SEEDED + 10} händelser stämmer" in verified.stdout


def test_verify_names_an_altered_event_and_exits_1(database_url: str, open_store: OpenStore) -> None:
    """An event edited in the database after the seal is named by position and aggregate."""
    record_history(open_store(database_url).app, uppdrag=2)
    run(database_url, "audit", "seal")
    alter_state(database_url, 3)

    result = run(database_url, "--json", "audit", "verify")

    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["intakt"] is False
    assert [(f["typ"], f["position"]) for f in report["avvikelser"]] == [("andrad", 3)]
    assert report["avvikelser"][0]["meddelande"].startswith("händelse 3 har ändrats (aggregat ")


def test_the_auditors_file_exposes_a_store_resealed_after_tampering(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """Rewriting events and seal together passes the database's own checkpoints, not the auditors' file."""
    record_history(open_store(sqlite_database_url).app, uppdrag=2)
    run(sqlite_database_url, "audit", "seal")
    checkpoints = tmp_path / "kontrollpunkter.json"
    exported = run(sqlite_database_url, "audit", "checkpoint", "export", str(checkpoints))
    alter_state(sqlite_database_url, 3)
    seal_file = Path(sqlite_database_url.removeprefix("sqlite:///")).with_name("governance-integrity.db")
    seal_file.unlink()
    run(sqlite_database_url, "audit", "seal")

    without_file = run(sqlite_database_url, "audit", "verify")
    with_file = run(sqlite_database_url, "--json", "audit", "verify", "--checkpoints", str(checkpoints))

    assert exported.exit_code == 0, exported.output
    assert without_file.exit_code == 0, without_file.output
    assert with_file.exit_code == 1, with_file.output
    kinds = {(f["typ"], f.get("kontrollpunkt")) for f in json.loads(with_file.stdout)["avvikelser"]}
    assert ("kontrollpunkt_andrad", 1) in kinds
    assert ("kedja_bruten", 1) in kinds


def test_with_the_auditors_key_a_store_resealed_after_tampering_names_the_first_altered_event(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """keygen, seal --nyckel, export: a rewrite resealed without the key is named event by event."""
    record_history(open_store(sqlite_database_url).app, uppdrag=2)
    keys = run(sqlite_database_url, "audit", "keygen", str(tmp_path / "revisorer"))
    sealed = run(sqlite_database_url, "audit", "seal", "--nyckel", str(tmp_path / "revisorer.privat.pem"))
    checkpoints = tmp_path / "kontrollpunkter.json"
    run(sqlite_database_url, "audit", "checkpoint", "export", str(checkpoints))
    alter_state(sqlite_database_url, 9)
    seal_file = Path(sqlite_database_url.removeprefix("sqlite:///")).with_name("governance-integrity.db")
    with closing(sqlite3.connect(seal_file)) as seal, seal:
        drop_triggers(seal)
        seal.execute("DELETE FROM integrity_seals")
        seal.execute("DELETE FROM integrity_checkpoints")
    run(sqlite_database_url, "audit", "seal")

    with_file = run(sqlite_database_url, "--json", "audit", "verify", "--checkpoints", str(checkpoints))
    public_key = str(tmp_path / "revisorer.publik.pem")
    with_key = run(sqlite_database_url, "--json", "audit", "verify", "--publik-nyckel", public_key)

    assert keys.exit_code == 0, keys.output
    assert "Nyckelns fingeravtryck:" in keys.stdout
    assert "Kontrollsumma att ange i revisionsrapporten:" in sealed.stdout
    assert json.loads(checkpoints.read_text(encoding="utf-8"))["publik_nyckel"]
    for result in (with_file, with_key):
        assert result.exit_code == 1, result.output
        findings = json.loads(result.stdout)["avvikelser"]
        assert ("forsta_avvikelse", 9) in {(f["typ"], f.get("position")) for f in findings}


def test_a_seal_with_a_file_that_is_not_a_key_is_refused_and_seals_nothing(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """A wrong --nyckel is named in Swedish, exit 1, and no checkpoint is recorded."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)
    not_a_key = tmp_path / "anteckningar.txt"
    not_a_key.write_text("inte en nyckel", encoding="utf-8")

    result = run(sqlite_database_url, "audit", "seal", "--nyckel", str(not_a_key))
    exported = run(sqlite_database_url, "audit", "checkpoint", "export", str(tmp_path / "k.json"))

    assert result.exit_code == 1
    assert "är ingen privat Ed25519-nyckel" in " ".join(result.output.split())
    assert exported.exit_code == 1  # nothing sealed
    assert "Inget är förseglat än" in " ".join(exported.output.split())


def test_a_checkpoint_file_signed_with_another_key_is_named(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """The auditors' public key overrules a checkpoint file carrying someone else's key and signatures."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)
    run(sqlite_database_url, "audit", "keygen", str(tmp_path / "revisorer"))
    run(sqlite_database_url, "audit", "keygen", str(tmp_path / "annan"))
    run(sqlite_database_url, "audit", "seal", "--nyckel", str(tmp_path / "annan.privat.pem"))
    checkpoints = tmp_path / "kontrollpunkter.json"
    run(sqlite_database_url, "audit", "checkpoint", "export", str(checkpoints))
    auditors = str(tmp_path / "revisorer.publik.pem")

    result = run(
        sqlite_database_url,
        "--json",
        "audit",
        "verify",
        "--checkpoints",
        str(checkpoints),
        "--publik-nyckel",
        auditors,
    )

    assert result.exit_code == 1, result.output
    messages = [f["meddelande"] for f in json.loads(result.stdout)["avvikelser"]]
    assert "kontrollpunkt 1 är signerad med en annan nyckel" in messages
    assert "kontrollpunkt 1 är signerad med en annan nyckel (i kontrollpunktsfilen)" in messages


def test_keygen_never_overwrites_a_key(sqlite_database_url: str, tmp_path: Path) -> None:
    """A second keygen to the same name is refused and the first key stays as it was."""
    run(sqlite_database_url, "audit", "keygen", str(tmp_path / "revisorer"))
    before = (tmp_path / "revisorer.privat.pem").read_bytes()

    again = run(sqlite_database_url, "audit", "keygen", str(tmp_path / "revisorer"))

    assert again.exit_code == 1
    assert "skrivs aldrig över" in again.output
    assert (tmp_path / "revisorer.privat.pem").read_bytes() == before


def test_an_edited_checkpoint_file_is_refused_as_evidence(
    sqlite_database_url: str, open_store: OpenStore, tmp_path: Path
) -> None:
    """A checkpoint file changed after export fails its content hash and verify exits 1."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)
    run(sqlite_database_url, "audit", "seal")
    checkpoints = tmp_path / "kontrollpunkter.json"
    run(sqlite_database_url, "audit", "checkpoint", "export", str(checkpoints))
    data = json.loads(checkpoints.read_text(encoding="utf-8"))
    data["kontrollpunkter"][0]["position"] = 14
    checkpoints.write_text(json.dumps(data), encoding="utf-8")

    result = run(sqlite_database_url, "audit", "verify", "--checkpoints", str(checkpoints))

    assert result.exit_code == 1
    assert "kontrollpunktsfilen har ändrats: innehållshashen stämmer inte" in result.stdout


def test_checkpoint_export_before_any_seal_is_refused(
    sqlite_database_url: str, open_store: OpenStore
) -> None:
    """There is nothing to hand the auditors before the first seal; the refusal says what to do."""
    record_history(open_store(sqlite_database_url).app, uppdrag=1)

    result = run(sqlite_database_url, "audit", "checkpoint", "export", "kp.json")

    assert result.exit_code == 1
    assert "kör 'lerum-flow audit seal' först" in result.stderr


def test_verify_of_a_store_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    """Pointing verify at a missing SQLite file refuses instead of creating an empty store."""
    url = f"sqlite:///{tmp_path / 'saknas.db'}"

    result = run(url, "audit", "verify")

    assert result.exit_code == 1
    assert "Det finns inget händelselager" in result.stderr
    assert not (tmp_path / "saknas.db").exists()


@pytest.mark.parametrize("command", ["seal", "verify", "export", "checkpoint"])
def test_every_integrity_command_has_swedish_help(command: str) -> None:
    """Each command explains itself in Swedish."""
    result = CliRunner().invoke(integrity_cli(), ["audit", command, "--help"])

    assert result.exit_code == 0
    assert any(word in result.stdout for word in ("Försegla", "Bevisa", "Exportera", "Kontrollpunkterna"))
