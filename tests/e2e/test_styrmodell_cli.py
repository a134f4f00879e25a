"""`lerum-flow styrmodell` as a user runs it: the template, problems by line and column, the store's model."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from e2e.cli_world import PERSON, Cli
from unit.governance_world import TERM_ENDS
from unit.styrmodell_versions import NORRVIK, norrvik, write_reorganised_norrvik

from lerum_flow.application import Governance
from lerum_flow.settings import Settings
from lerum_flow.staffing import Seat, record_plan, staffing_plan
from lerum_flow.styrmodell import shipped_styrmodell_path

LERUM = shipped_styrmodell_path("lerum")
BEGUN = date(2027, 6, 15)


@pytest.fixture
def norrvik_cli(tmp_path: Path) -> Cli:
    """The CLI on a store taken into use with Norrvik's model on BEGUN: its first write, the staffing
    (LERUM_FLOW_PERSON holds Norrvik's chain, KF's as its sekreterare), records the model from that day."""
    cli = Cli(data_dir=tmp_path / "data")
    app = Governance(norrvik(), env=Settings(data_dir=cli.data_dir).eventsourcing_env("governance"))
    try:
        cast = [Seat(p.id, PERSON) for p in app.styrkedja if p.parent is not None]
        root = Seat(app.styrkedja.root().id, PERSON)
        record_plan(app, staffing_plan(cast, app.position, on=BEGUN, until=TERM_ENDS, introduce=root))
    finally:
        app.close()
    return cli


def norrvik_budget(cli: Cli, *given: str, number: int = 1, date: str = "2027-06-15") -> list[str]:
    return [
        *given, "beslut", "take", "--organ", "kf", "--kind", "budget", "--diarienummer", f"KF 2027/{number}",
        "--paragraf", f"§ {number}", "--title", f"Budget {number}", "--date", date,
    ]  # fmt: skip


def test_init_writes_a_template_that_validates(cli: Cli, tmp_path: Path) -> None:
    """The commented template is a valid styrmodell as it is."""
    template = tmp_path / "kommun.toml"

    written = cli("styrmodell", "init", str(template))
    checked = cli("styrmodell", "validate", str(template))

    assert written.exit_code == 0, written.output
    assert template.read_text(encoding="utf-8").startswith("# Styrmodell")
    assert checked.exit_code == 0, checked.output
    assert "Styrmodellen är giltig: Exempelkommun" in checked.stdout


def test_init_does_not_overwrite_a_file_without_force(cli: Cli, tmp_path: Path) -> None:
    """An existing file is kept unless --force is given."""
    existing = tmp_path / "styrmodell.toml"
    existing.write_text("# min egen\n", encoding="utf-8")

    refused = cli("--json", "styrmodell", "init", str(existing))
    forced = cli("styrmodell", "init", str(existing), "--force")

    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["regel"] == "filen_finns"
    assert forced.exit_code == 0, forced.output
    assert existing.read_text(encoding="utf-8") != "# min egen\n"


def test_validate_names_each_problem_by_line_column_and_block_in_file_order(cli: Cli, tmp_path: Path) -> None:
    """An unknown key at the top, then the chair KS names (line 72) before the chair's own 'under'
    (line 78), although the reference check finds the latter first."""
    text = LERUM.read_text(encoding="utf-8").replace('under = "ks"\n', 'under = "kss"\n', 1)
    text = text.replace("avvikelsekategorier = [", "okand = 1\navvikelsekategorier = [", 1)
    broken = tmp_path / "trasig.toml"
    broken.write_text(text, encoding="utf-8")
    lines = text.splitlines()

    as_json = cli("--json", "styrmodell", "validate", str(broken))
    as_text = cli("styrmodell", "validate", str(broken))

    problems = json.loads(as_json.stdout)["problem"]
    assert as_json.exit_code == 1
    assert [p["plats"] for p in problems] == ["okand", "befattning[7].ordforande", "befattning[8].under"]
    assert [p["rad"] for p in problems] == sorted(p["rad"] for p in problems)
    under = problems[2]
    assert lines[under["rad"] - 1][under["kolumn"] - 1 :].startswith('under = "kss"')
    assert under["block"] == "befattning 'ks-ordforande'"
    assert f"rad {under['rad']}, kolumn 1" in as_text.stderr


def test_a_store_begun_with_norrvik_uses_norrvik_without_styrmodell(norrvik_cli: Cli) -> None:
    """Later commands without --styrmodell work by the store's model, not silently by Lerum's."""
    cli = norrvik_cli
    cli.record(*norrvik_budget(cli, "--styrmodell", str(NORRVIK)))

    shown = json.loads(cli("--json", "styrmodell", "show").stdout)
    organ = cli.record(
        "beslut", "take", "--organ", "byn", "--kind", "verksamhetsplan", "--diarienummer", "BYN 1",
        "--paragraf", "§ 1", "--title", "Plan", "--date", "2027-06-20",
    )  # fmt: skip

    assert shown["kommunkod"] == "9999"
    assert shown["version"]["kommun"] == "Norrviks kommun"
    assert organ


def test_lerums_file_against_norrviks_store_is_refused_and_records_nothing(norrvik_cli: Cli) -> None:
    """The refusal names both models; the store is left as it was."""
    cli = norrvik_cli
    cli.record(*norrvik_budget(cli, "--styrmodell", str(NORRVIK)))
    before = cli.event_count()

    refused = cli("--json", *norrvik_budget(cli, "--styrmodell", str(LERUM), number=2))

    answer = json.loads(refused.stdout)
    assert refused.exit_code == 1
    assert (answer["fel"], answer["falt"], answer["regel"]) == ("fel_lage", "styrmodell", "annan_styrmodell")
    assert "Norrviks kommun" in answer["meddelande"]
    assert "Lerums kommun" in answer["meddelande"]
    assert cli.event_count() == before


def test_a_reorganisation_from_1_january_is_seen_by_show_and_as_of(norrvik_cli: Cli, tmp_path: Path) -> None:
    """After `adopt --from 2028-01-01`, the day before has the old model and the day itself the new."""
    cli = norrvik_cli
    cli.record(*norrvik_budget(cli, "--styrmodell", str(NORRVIK)))
    merged = write_reorganised_norrvik(tmp_path)

    adopted = cli("styrmodell", "adopt", str(merged), "--from", "2028-01-01", "--as", "kf")
    before = json.loads(cli("--json", "styrmodell", "show", "--as-of", "2027-12-31").stdout)
    after = json.loads(cli("--json", "styrmodell", "show", "--as-of", "2028-01-01").stdout)
    audit_before = json.loads(cli("--json", "audit", "as-of", "2027-12-31").stdout)
    audit_after = json.loads(cli("--json", "audit", "as-of", "2028-01-01").stdout)

    assert adopted.exit_code == 0, adopted.output
    assert "byn" in {p["id"] for p in before["styrkedja"]}
    assert "sbn" in {p["id"] for p in after["styrkedja"]}
    assert [v["galler_fran"] for v in after["versioner"]] == ["2027-06-15", "2028-01-01"]
    assert audit_before["styrmodell"]["galler_fran"] == "2027-06-15"
    assert audit_after["styrmodell"]["galler_fran"] == "2028-01-01"
    assert audit_after["styrmodell"]["sha256"] == after["version"]["sha256"]


def test_authority_on_a_day_uses_the_model_in_force_then(norrvik_cli: Cli, tmp_path: Path) -> None:
    """The byggnadsnämnd held bygglov before the merger; its successor holds it after."""
    cli = norrvik_cli
    cli.record(*norrvik_budget(cli, "--styrmodell", str(NORRVIK)))
    cli.record(
        "styrmodell", "adopt", str(write_reorganised_norrvik(tmp_path)), "--from", "2028-01-01", "--as", "kf"
    )

    before = json.loads(cli("--json", "audit", "authority", "kf", "--as-of", "2027-12-31").stdout)
    after = json.loads(cli("--json", "audit", "authority", "kf", "--as-of", "2028-01-02").stdout)

    holders_before = {a["beslutsomrade"]: a["innehavare"] for a in before["beslutanderatt"]}
    holders_after = {a["beslutsomrade"]: a["innehavare"] for a in after["beslutanderatt"]}
    successor = json.loads(cli("--json", "audit", "authority", "sbn", "--as-of", "2028-01-02").stdout)
    assert holders_before["bygglov"] == "byn"
    assert holders_after["bygglov"] == "sbn"
    assert {a["beslutsomrade"] for a in successor["beslutanderatt"]} == {"bygglov", "bygglov_principiellt"}


def test_show_lists_the_beslutsomraden_and_which_may_never_be_delegated(cli: Cli) -> None:
    """Goals and quality may never be delegated (KL 6 kap. 38 §), nor fullmäktige's own matters."""
    text = cli("styrmodell", "show")
    areas = {a["kod"]: a for a in json.loads(cli("--json", "styrmodell", "show").stdout)["beslutsomraden"]}

    assert text.exit_code == 0, text.output
    assert "Beslutsområden" in text.stdout
    assert areas["vilja_och_mal"]["delegerbart"] is False
    assert "KL 6 kap. 38 §" in areas["kvalitetskrav"]["ej_delegerbart_enligt"]
    assert "KL 5 kap. 1 §" in areas["ansvarsfrihet"]["ej_delegerbart_enligt"]
    assert areas["upphandling"]["delegerbart"] is True


def test_show_on_a_fresh_data_dir_creates_no_store(tmp_path: Path) -> None:
    """Looking at the default model does not create an event store (this data dir is not staffed)."""
    cli = Cli(data_dir=tmp_path / "data")
    shown = cli("styrmodell", "show")

    assert shown.exit_code == 0, shown.output
    assert "Inte registrerad i lagret" in shown.stdout
    assert not cli.data_dir.exists() or not any(cli.data_dir.iterdir())
