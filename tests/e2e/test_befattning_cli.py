"""`lerum-flow organisation discontinue` as a user types it: a position established under a sector is
discontinued from a day once nothing hangs on it; every refusal is in Swedish and records nothing."""

from __future__ import annotations

import json
from uuid import uuid4

import pytest
from e2e.cli_world import PERSON, Cli, uppdrag_to_kommundirektor

SECTOR = "vard-och-omsorg"
CHEF = "enhetschef-solgarden"
MEDARBETARE = "underskoterska-solgarden"


@pytest.fixture
def unit(cli: Cli) -> Cli:
    """A chef under the sector with a medarbetare under the chef, both from 2027-01-10."""
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", CHEF, "--name", "Enhetschef, Solgården",
        "--kind", "chef", "--parent", SECTOR, "--date", "2027-01-10",
    )  # fmt: skip
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", MEDARBETARE, "--name", "Undersköterska",
        "--kind", "medarbetare", "--parent", CHEF, "--date", "2027-01-10",
    )  # fmt: skip
    return cli


def discontinue(code: str, *extra: str, date: str = "2027-06-01", as_: str = SECTOR) -> list[str]:
    return [
        "organisation", "discontinue", "--as", as_, "--id", code, "--reason", "Enheten läggs ned.",
        "--date", date, *extra,
    ]  # fmt: skip


def vacate(code: str, *, by: str) -> list[str]:
    """The holder of `code` holds it for the last time the day before 2027-06-01."""
    return [
        "forordnande", "end", PERSON, "--position", code, "--as", by, "--valid-until", "2027-05-31",
        "--reason", "Slutar.", "--date", "2027-03-20",
    ]  # fmt: skip


def assert_refused(cli: Cli, args: list[str], rule: str, says: str) -> None:
    """Refused with `says` and `rule`, as text and as --json, and nothing recorded."""
    before = cli.event_count()
    as_text = cli(*args)
    as_json = cli("--json", *args)
    assert as_text.exit_code == 1, as_text.output
    assert says in " ".join(as_text.stderr.split())
    assert f"regel: {rule}" in as_text.stderr
    assert as_json.exit_code == 1, as_json.output
    assert json.loads(as_json.stdout)["regel"] == rule
    assert cli.event_count() == before


def test_a_position_is_discontinued_once_the_position_below_it_is(unit: Cli) -> None:
    """The chef with a medarbetare below it is refused; the medarbetare is discontinued, then the
    chef, each saying from which day it is gone."""
    assert_refused(
        unit,
        discontinue(CHEF),
        "befattningar_under",
        f"har befattningar under sig som inte är avvecklade den dagen: {MEDARBETARE}",
    )

    first = unit(*discontinue(MEDARBETARE))
    second = unit(*discontinue(CHEF))

    assert first.exit_code == 0, first.output
    assert f"Befattningen '{MEDARBETARE}' avvecklades; den finns inte från 2027-06-01." in first.stdout
    assert second.exit_code == 0, second.output
    assert f"Befattningen '{CHEF}' avvecklades; den finns inte från 2027-06-01." in second.stdout


def test_a_discontinued_position_is_refused_again_but_a_retried_command_is_recorded_once(unit: Cli) -> None:
    """The same --command-id again is answered 'already recorded'; a new command is refused."""
    command_id = str(uuid4())
    recorded = unit.record(*discontinue(MEDARBETARE, "--command-id", command_id))
    before = unit.event_count()

    retried = unit("--json", *discontinue(MEDARBETARE, "--command-id", command_id))

    assert retried.exit_code == 0, retried.output
    assert json.loads(retried.stdout)["registrerad"] is False
    assert unit.event_count() == before
    assert unit.events(recorded) == ["Befattning.Established", "Befattning.Discontinued"]
    assert_refused(unit, discontinue(MEDARBETARE, date="2027-07-01"), "avvecklad", "är redan avvecklad")


def test_a_held_position_is_not_discontinued(unit: Cli) -> None:
    """Someone appointed to the medarbetare keeps it from being discontinued while the term lasts."""
    unit.appoint(CHEF, by=SECTOR, on="2027-01-10")
    unit.appoint(MEDARBETARE, by=CHEF, on="2027-01-10")

    assert_refused(unit, discontinue(MEDARBETARE), "innehas", "innehas den dagen eller senare av")


@pytest.mark.parametrize(
    ("args", "rule", "says"),
    [
        (discontinue("enhetschef-finns-inte"), "okand_befattning", "'enhetschef-finns-inte' finns inte"),
        (discontinue(SECTOR, as_="kommundirektor"), "fast_befattning", "ingår i styrmodellens fasta del"),
        (discontinue(MEDARBETARE, as_="samhallsbyggnad"), "organisation_ovanifran", "står inte över"),
        (discontinue(MEDARBETARE, date="2027-13-01"), "datum", "'2027-13-01' är inget datum som finns"),
        (discontinue(MEDARBETARE, date="2027-01-10"), "datumordning", "ska ligga efter den"),
    ],
    ids=["okand", "fast", "ovanifran", "datum", "samma-dag"],
)
def test_a_discontinuation_that_cannot_be_is_refused_in_swedish_and_records_nothing(
    unit: Cli, args: list[str], rule: str, says: str
) -> None:
    """An unknown or fixed position, a position not below the actor, a date that is none or is the
    day it was established: each refused, naming what is wrong."""
    assert_refused(unit, args, rule, says)


def test_a_position_a_delegering_is_in_force_to_is_not_discontinued_until_it_is_revoked(unit: Cli) -> None:
    """KS's delegering to the medarbetare keeps it, naming the delegering; revoked from the day, the
    medarbetare is discontinued."""
    ordning = unit.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning",
        "--date", "2026-12-14",
    )  # fmt: skip
    delegering = unit.record(
        "delegering", "grant", "--as", "ks", "--to", MEDARBETARE, "--matter", "upphandling",
        "--beslut", ordning, "--valid-from", "2027-02-01",
    )  # fmt: skip

    assert_refused(
        unit,
        discontinue(MEDARBETARE),
        "delegering_galler",
        f"har delegeringar som gäller den dagen eller senare: {delegering} (upphandling)",
    )
    unit.record(
        "delegering", "revoke", delegering, "--as", "ks", "--reason", "Enheten läggs ned.",
        "--valid-from", "2027-06-01",
    )  # fmt: skip
    assert unit(*discontinue(MEDARBETARE)).exit_code == 0


def test_a_position_an_avvikelse_is_open_at_is_not_discontinued(unit: Cli) -> None:
    """The medarbetare's avvikelse lies with the chef: once the medarbetare is gone and the chef no
    longer held, the chef is still refused, naming the avvikelse."""
    unit.appoint(CHEF, by=SECTOR, on="2027-01-10")
    unit.appoint(MEDARBETARE, by=CHEF, on="2027-01-10")
    avvikelse = unit.record(
        "avvikelse", "report", "--as", MEDARBETARE, "--about", "handelse", "--ref", "nattbemanning",
        "--severity", "avvikelse", "--category", "verksamhet", "--description", "Bemanningen räcker inte.",
        "--date", "2027-03-01",
    )  # fmt: skip
    unit.record(*vacate(MEDARBETARE, by=CHEF))
    unit.record(*discontinue(MEDARBETARE))
    unit.record(*vacate(CHEF, by=SECTOR))

    assert_refused(
        unit,
        discontinue(CHEF),
        "oppna_avvikelser",
        f"har öppna avvikelser på sin nivå: {avvikelse} (verksamhet)",
    )


def test_a_position_is_not_established_under_one_discontinued_from_a_later_day(unit: Cli) -> None:
    """The chef is discontinued from 2027-06-01: a position placed under it from the day before would
    outlive it, refused naming the day."""
    unit.record(*discontinue(MEDARBETARE))
    unit.record(*discontinue(CHEF))
    establish = [
        "organisation", "establish", "--as", SECTOR, "--id", "praktikant-solgarden", "--name", "Praktikant",
        "--kind", "medarbetare", "--parent", CHEF, "--date", "2027-05-31",
    ]  # fmt: skip

    assert_refused(unit, establish, "overlever_befattningen", f"'{CHEF}' avvecklas från 2027-06-01")


def test_a_term_on_a_position_discontinued_from_a_later_day_must_end_before_it(unit: Cli) -> None:
    """Appointed without an end to the medarbetare discontinued from 2027-06-01: refused in Swedish,
    nothing recorded; ending 2027-05-31, recorded."""
    unit.appoint(CHEF, by=SECTOR, on="2027-01-10")
    unit.record(*discontinue(MEDARBETARE))
    appoint = [
        "forordnande", "appoint", "p-ny", "--position", MEDARBETARE, "--valid-from", "2027-02-01",
        "--date", "2027-02-01", "--as", CHEF,
    ]  # fmt: skip

    assert_refused(unit, appoint, "overlever_befattningen", "förordnandet skulle finnas kvar")
    assert unit(*appoint, "--valid-until", "2027-05-31").exit_code == 0


def test_an_uppdrag_to_a_position_discontinued_from_a_later_day_must_be_due_before_it(unit: Cli) -> None:
    """The sector breaks its uppdrag down to the chef discontinued from 2027-06-01: without a due date,
    or due that day, refused in Swedish naming the chef and the day, nothing recorded; due
    2027-05-31, issued."""
    to_director = uppdrag_to_kommundirektor(unit)
    unit.record("uppdrag", "accept", to_director, "--as", "kommundirektor", "--date", "2027-01-11")
    to_sector = unit.record(
        "uppdrag", "issue", "--as", "kommundirektor", "--to", SECTOR, "--part-of", to_director,
        "--title", "Solgården", "--due", "2027-12-31", "--date", "2027-01-12",
    )  # fmt: skip
    unit.record("uppdrag", "accept", to_sector, "--as", SECTOR, "--date", "2027-01-13")
    unit.record(*discontinue(MEDARBETARE))
    unit.record(*discontinue(CHEF))
    issue = [
        "uppdrag", "issue", "--as", SECTOR, "--to", CHEF, "--part-of", to_sector, "--title", "Avveckling",
        "--date", "2027-02-01",
    ]  # fmt: skip
    says = f"Befattningen '{CHEF}' avvecklas från 2027-06-01; uppdraget skulle finnas kvar"

    assert_refused(unit, issue, "overlever_befattningen", says)
    assert_refused(
        unit, [*issue, "--due", "2027-06-01"], "overlever_befattningen", "ett sista datum före dess"
    )
    assert unit(*issue, "--due", "2027-05-31").exit_code == 0


def kf_decides(cli: Cli, number: int, title: str, on: str) -> str:
    """KF's decision § `number` on `on`: its id."""
    return cli.record(
        "beslut", "take", "--organ", "kf", "--kind", "ovrigt", "--diarienummer", f"KF 2027/{number}",
        "--paragraf", f"§ {number}", "--title", title, "--date", on,
    )  # fmt: skip


def medarbetarens_policy(cli: Cli) -> str:
    """KF's policy, adopted on 2027-02-15 with the medarbetare as its owner: its id."""
    adopted_by = kf_decides(cli, 20, "Lokalpolicy", "2027-02-15")
    return cli.record(
        "styrdokument", "adopt", "--as", "kf", "--beslut", adopted_by, "--type", "policy",
        "--title", "Lokalpolicy", "--owner", MEDARBETARE,
    )  # fmt: skip


def test_a_position_owning_a_styrdokument_in_force_is_discontinued_once_it_is_repealed(unit: Cli) -> None:
    """KF's policy owned by the medarbetare keeps it: refused naming the policy, nothing recorded;
    repealed from 2027-06-01, the medarbetare is discontinued from that day."""
    policy = medarbetarens_policy(unit)

    assert_refused(
        unit,
        discontinue(MEDARBETARE),
        "styrdokument_galler",
        f"äger eller omfattas av styrdokument som gäller 2027-06-01 eller senare: {policy} "
        "('Lokalpolicy', ägare)",
    )
    repeal = kf_decides(unit, 30, "Upphävande av lokalpolicy", "2027-05-20")
    unit.record("styrdokument", "repeal", policy, "--as", "kf", "--beslut", repeal, "--date", "2027-06-01")
    assert unit(*discontinue(MEDARBETARE)).exit_code == 0


def test_a_position_owning_a_styrdokument_until_another_takes_it_over_is_discontinued_from_that_day(
    unit: Cli,
) -> None:
    """KF's policy owned by the medarbetare, handed to the sector from 2027-09-01 by `styrdokument revise
    --owner --valid-from`, keeps the medarbetare from 2027-06-01: refused naming the policy, the day and
    its last day as owner, nothing recorded; from 2027-09-01, discontinued."""
    policy = medarbetarens_policy(unit)
    handed_by = kf_decides(unit, 30, "Ny ägare av lokalpolicy", "2027-05-20")
    unit.record("styrdokument", "revise", policy, "--as", "kf", "--beslut", handed_by, "--owner", SECTOR,
                "--valid-from", "2027-09-01", "--reason", "Sektorn tar över.")  # fmt: skip

    assert_refused(
        unit,
        discontinue(MEDARBETARE),
        "styrdokument_galler",
        f"styrdokument som gäller 2027-06-01 eller senare: {policy} ('Lokalpolicy', ägare till och med "
        "2027-08-31)",
    )
    assert unit(*discontinue(MEDARBETARE, date="2027-09-01")).exit_code == 0


def test_a_position_owning_a_control_is_discontinued_only_from_after_the_plans_year(unit: Cli) -> None:
    """A control of KS's plan for 2027 owned by the medarbetare keeps it from 2027-06-01: refused naming
    the plan's year and the control, nothing recorded; from 2028-01-01, discontinued."""
    plan = unit.record("internkontroll", "plan", "--organ", "ks", "--year", "2027", "--as", "kommundirektor",
                       "--date", "2027-01-20")  # fmt: skip
    unit.record("internkontroll", "risk", plan, "--as", "kommundirektor", "--title", "Felaktig attest",
                "--probability", "3", "--consequence", "4", "--choose", "--date", "2027-01-20")  # fmt: skip
    unit.record("internkontroll", "control", plan, "--as", "kommundirektor", "--risk", "1",
                "--title", "Attestkontroll", "--owner", MEDARBETARE, "--method", "Stickprov",
                "--frequency", "kvartal", "--date", "2027-01-21")  # fmt: skip

    assert_refused(
        unit,
        discontinue(MEDARBETARE),
        "agda_kontroller",
        f"äger kontroller i internkontrollplaner vars år når den dagen: {plan} "
        "(internkontrollplan 2027 för ks, kontroll 1 'Attestkontroll')",
    )
    assert unit(*discontinue(MEDARBETARE, date="2028-01-01")).exit_code == 0
