"""`lerum-flow internkontroll` as a user types it: a plan's year, its status at 80 columns and in JSON,
what the revisorer see of it in `audit`, and refusals that exit 1 and record nothing."""

from __future__ import annotations

import json
import re

import pytest
from e2e.cli_world import Cli
from e2e.test_cli_language import WORDS_IN_BOTH, field_names_in_the_code, keys_of

WIDTH = {"COLUMNS": "80"}
FULL_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def human(cli: Cli, *args: str) -> str:
    """The command's text output at 80 columns; it must succeed and fit."""
    result = cli(*args, env=WIDTH)
    assert result.exit_code == 0, result.output
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80]
    assert too_wide == [], "\n".join(too_wide)
    return result.stdout


@pytest.fixture
def plan(cli: Cli) -> str:
    """KS's plan for 2028: drafted by the kommundirektör, two chosen risks and one not, a control for
    each chosen one, adopted by KS's decision; a clean control in March."""
    plan = cli.record("internkontroll", "plan", "--organ", "ks", "--year", "2028", "--as", "kommundirektor",
                      "--date", "2027-11-20")  # fmt: skip
    for title, probability, consequence, chosen in (
        ("Felaktiga utbetalningar av försörjningsstöd till fel mottagare", "3", "4", "--choose"),
        ("Jäv vid upphandling", "2", "4", "--choose"),
        ("Obehörig åtkomst till personakter", "1", "2", "--no-choose"),
    ):
        cli.record("internkontroll", "risk", plan, "--as", "kommundirektor", "--title", title,
                   "--probability", probability, "--consequence", consequence, chosen,
                   "--date", "2027-11-20")  # fmt: skip
    for risk, owner in (("1", "larande"), ("2", "internt-stod")):
        cli.record("internkontroll", "control", plan, "--as", "kommundirektor", "--risk", risk,
                   "--title", f"Kontroll av risk {risk}", "--owner", owner,
                   "--method", "Stickprov på tjugo ärenden per kvartal", "--frequency", "kvartal",
                   "--date", "2027-11-21")  # fmt: skip
    beslut = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2028/5",
                        "--paragraf", "§ 4", "--title", "Internkontrollplan 2028",
                        "--date", "2028-01-20")  # fmt: skip
    cli.record("internkontroll", "adopt", plan, "--beslut", beslut, "--as", "ks")
    cli.record("internkontroll", "result", plan, "--control", "1", "--outcome", "utan_anmarkning",
               "--as", "larande", "--date", "2028-03-31")  # fmt: skip
    return plan


def test_a_brist_becomes_a_deviation_and_the_status_shows_the_year_against_its_deadlines(
    cli: Cli, plan: str
) -> None:
    """The brist's deviation lies with the kommundirektör; the delår is reported; status shows both."""
    brist = human(cli, "internkontroll", "result", plan, "--control", "2", "--outcome", "brist",
                  "--comment", "Två jävsdeklarationer saknas.", "--action", "Påminn och följ upp.",
                  "--as", "internt-stod", "--date", "2028-06-30")  # fmt: skip
    assert "Bristen öppnade avvikelse" in brist
    assert "Ligger hos Kommundirektör (kommundirektor)" in brist
    cli.record("internkontroll", "report", plan, "--period", "delar", "--summary", "En brist; åtgärd pågår.",
               "--as", "ks", "--date", "2028-10-15")  # fmt: skip

    status = human(cli, "internkontroll", "status", "2028", "--plan", plan[:8])

    assert "Frister: plan senast 2028-01-31, delår senast 2028-10-31" in status
    assert "3 risker, 2 kontroller" in status
    assert "2 utförda, 1 brist" in status
    assert "2028-10-15" in status
    assert "KS:s bedömning: saknas (senast 2029-03-31)." in status
    assert "3×4=12" in status
    assert "hos kommundirektor" in status
    assert not FULL_ID.search(status)

    answer = json.loads(cli("--json", "internkontroll", "status", "2028", "--plan", plan).stdout)
    assert answer["frister"] == {"plan": "2028-01-31", "delar": "2028-10-31", "helar": "2029-02-28",
                                 "bedomning": "2029-03-31"}  # fmt: skip
    assert answer["saknade_planer"] == []
    [row] = answer["planer"]
    assert (row["id"], row["status"], row["antagen"], row["brister"]) == (plan, "antagen", "2028-01-20", 1)
    [_, found] = answer["plan"]["resultat"]
    assert (found["utfall"], found["avvikelse"]["niva"]) == ("brist", "kommundirektor")


def test_the_revisorer_see_the_plan_its_results_and_the_deviation_in_audit(cli: Cli, plan: str) -> None:
    """`audit history` names the events in Swedish; `audit as-of` shows the plan as it stood that day."""
    cli.record("internkontroll", "result", plan, "--control", "2", "--outcome", "brist",
               "--comment", "Attest saknas.", "--action", "Ny rutin.", "--as", "internt-stod",
               "--date", "2028-06-30")  # fmt: skip

    history = human(cli, "audit", "history", plan)
    assert "internkontrollplan" in history
    assert "upprättad" in history
    assert "kontroll utförd" in history
    before = human(cli, "audit", "as-of", "2028-05-01")
    after = human(cli, "audit", "as-of", "2028-07-01")
    assert "Internkontrollplaner: 1." in before
    assert "brist" not in before
    assert "brist" in after
    assert "Öppna avvikelser: 1." in after

    as_of = json.loads(cli("--json", "audit", "as-of", "2028-07-01").stdout)
    [planned] = as_of["internkontroll"]["planer"]
    assert [r["utfall"] for r in planned["resultat"]] == ["utan_anmarkning", "brist"]
    assert planned["resultat"][1]["avvikelse"]["id"] == as_of["avvikelser"][0]["id"]
    one = json.loads(cli("--json", "audit", "as-of", "2028-07-01", "--id", plan).stdout)
    assert [a["id"] for a in one["avvikelser"]] == [as_of["avvikelser"][0]["id"]]


def test_ks_assesses_the_year_and_a_missing_plan_is_named(cli: Cli, plan: str) -> None:
    """KS's assessment after the year, by its decision; status names KS's plan as missing for 2029."""
    beslut = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2029/9",
                        "--paragraf", "§ 9", "--title", "Bedömning av intern kontroll 2028",
                        "--date", "2029-03-20")  # fmt: skip
    cli.record("internkontroll", "assess", "--year", "2028", "--assessment", "delvis",
               "--text", "En brist kvarstår.", "--beslut", beslut, "--as", "ks")  # fmt: skip

    assert "KS:s bedömning 2029-03-20: delvis" in human(cli, "internkontroll", "status", "2028")
    missing = json.loads(cli("--json", "internkontroll", "status", "2029").stdout)
    assert missing["saknade_planer"] == ["ks"]
    assert "Saknas: plan för ks" in human(cli, "internkontroll", "status", "2029")


@pytest.mark.parametrize(
    ("args", "field", "rule"),
    [
        (["result", "{plan}", "--control", "2", "--outcome", "brist", "--comment", "Saknas.",
          "--as", "internt-stod", "--date", "2028-06-30"], "action", "brist_beskrivs"),
        (["result", "{plan}", "--control", "1", "--outcome", "klar", "--as", "larande",
          "--date", "2028-06-30"], "outcome", "ogiltigt_varde"),
        (["result", "{plan}", "--control", "1", "--outcome", "utan_anmarkning", "--as", "internt-stod",
          "--date", "2028-06-30"], "as", "kontrollens_agare"),
        (["risk", "{plan}", "--title", "Sen risk", "--probability", "2", "--consequence", "1",
          "--as", "kommundirektor"], "internkontrollplan", "endast_utkast"),
        (["report", "{plan}", "--period", "helar", "--summary", "Tidigt.", "--as", "ks",
          "--date", "2028-06-30"], "date", "perioden_pagar"),
        (["plan", "--organ", "kommundirektor", "--year", "2028", "--as", "kommundirektor"], "organ",
         "antar_internkontrollplan"),
        (["result", "{plan}", "--control", "1", "--outcome", "utan_anmarkning", "--as", "revisorer"], "as",
         "revisorer_laser"),
        (["status", "2028", "--plan", "0000"], "plan", "okant_id"),
        (["status", "2028", "--plan", "{plan}", "--date", "31/8"], "date", "datum"),
    ],
    ids=["brist-utan-atgard", "okant-utfall", "inte-agaren", "antagen-plan", "perioden-pagar",
         "inget-organ", "revisorer", "okand-plan", "statusdag"],
)  # fmt: skip
def test_a_refusal_exits_1_naming_the_option_and_records_nothing(
    cli: Cli, plan: str, args: list[str], field: str, rule: str
) -> None:
    before = cli.event_count()
    result = cli("--json", "internkontroll", *(a.replace("{plan}", plan) for a in args))

    assert result.exit_code == 1, result.output
    refusal = json.loads(result.stdout)
    assert (refusal["falt"], refusal["regel"]) == (field, rule)
    assert cli.event_count() == before

    text = cli("internkontroll", *(a.replace("{plan}", plan) for a in args))
    assert text.exit_code == 1
    assert f"regel: {rule}" in text.stderr


def test_a_number_that_is_not_a_number_is_a_usage_error(cli: Cli, plan: str) -> None:
    result = cli("internkontroll", "risk", plan, "--title", "R", "--probability", "hög", "--consequence", "1",
                 "--as", "kommundirektor")  # fmt: skip
    assert result.exit_code == 2


def test_every_json_key_of_the_internkontroll_reads_is_swedish(cli: Cli, plan: str) -> None:
    """The plan's rows, risks, controls, results and their deviations are said in Swedish in --json."""
    cli.record("internkontroll", "result", plan, "--control", "2", "--outcome", "brist",
               "--comment", "Saknas.", "--action", "Rutin.", "--as", "internt-stod",
               "--date", "2028-06-30")  # fmt: skip
    english = field_names_in_the_code() - WORDS_IN_BOTH
    for read in (
        ["internkontroll", "status", "2028", "--plan", plan],
        ["audit", "history", plan],
        ["audit", "as-of", "2028-07-01"],
    ):
        result = cli("--json", *read)
        assert result.exit_code == 0, (read, result.output)
        assert keys_of(json.loads(result.stdout)) & english == set(), read


ENHET = "enhetschef-solgarden"


def test_a_control_handed_over_is_performed_by_the_owner_of_the_day_and_frees_the_old_owner(cli: Cli) -> None:
    """KS's plan for 2028: control 1 owned by an established unit, control 2 by the sector. KS hands both
    over to internt stöd from 2028-07-01: the sector's results before the day and internt stöd's from
    it are recorded, the wrong one is refused; the unit, refused discontinuation from that day while it
    owned the control, is discontinued from it once the control is handed over; status and audit show
    the owner of the day."""
    cli.record("organisation", "establish", "--as", "vard-och-omsorg", "--id", ENHET, "--name",
               "Enhetschef, Solgården", "--kind", "chef", "--parent", "vard-och-omsorg",
               "--date", "2027-11-01")  # fmt: skip
    plan = cli.record("internkontroll", "plan", "--organ", "ks", "--year", "2028", "--as", "kommundirektor",
                      "--date", "2027-11-20")  # fmt: skip
    for risk, owner in (("1", ENHET), ("2", "larande")):
        cli.record("internkontroll", "risk", plan, "--as", "kommundirektor", "--title", f"Risk {risk}",
                   "--probability", "3", "--consequence", "4", "--date", "2027-11-20")  # fmt: skip
        cli.record("internkontroll", "control", plan, "--as", "kommundirektor", "--risk", risk,
                   "--title", f"Kontroll {risk}", "--owner", owner, "--method", "Stickprov",
                   "--frequency", "kvartal", "--date", "2027-11-20")  # fmt: skip
    adopted_by = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer",
                            "KS 2028/5", "--paragraf", "§ 4", "--title", "Internkontrollplan 2028",
                            "--date", "2028-01-20")  # fmt: skip
    cli.record("internkontroll", "adopt", plan, "--beslut", adopted_by, "--as", "ks")
    cli.record("internkontroll", "result", plan, "--control", "2", "--outcome", "utan_anmarkning",
               "--as", "larande", "--date", "2028-03-31")  # fmt: skip
    discontinue = ["organisation", "discontinue", "--as", "vard-och-omsorg", "--id", ENHET,
                   "--reason", "Enheten läggs ned.", "--date", "2028-07-01"]  # fmt: skip
    before = cli.event_count()
    owning = cli(*discontinue)
    assert owning.exit_code == 1, owning.output
    assert "regel: agda_kontroller" in owning.stderr
    assert cli.event_count() == before

    handed_by = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer",
                           "KS 2028/40", "--paragraf", "§ 40", "--title", "Nya kontrollägare",
                           "--date", "2028-06-15")  # fmt: skip
    for control in ("1", "2"):
        said = human(cli, "internkontroll", "handover", plan, "--control", control, "--owner", "internt-stod",
                     "--from", "2028-07-01", "--beslut", handed_by, "--as", "ks")  # fmt: skip
        assert f"Kontroll {control} lämnades över till internt-stod från 2028-07-01." in " ".join(
            said.split()
        )

    result = ["internkontroll", "result", plan, "--control", "2", "--outcome", "utan_anmarkning"]
    late = "Utförd före överlämnandet, registrerad efter."
    cli.record(*result, "--as", "internt-stod", "--date", "2028-07-15")
    cli.record(*result, "--as", "larande", "--date", "2028-06-30", "--rattelse", late)
    for wrong, on, extra in (
        ("larande", "2028-07-20", []),
        ("internt-stod", "2028-06-29", ["--rattelse", late]),
    ):
        before = cli.event_count()
        refused = cli("--json", *result, "--as", wrong, "--date", on, *extra)
        assert refused.exit_code == 1, refused.output
        assert (json.loads(refused.stdout)["regel"], json.loads(refused.stdout)["falt"]) == (
            "kontrollens_agare",
            "as",
        )
        assert cli.event_count() == before
    assert cli(*discontinue).exit_code == 0

    assert "kontroll överlämnad" in human(cli, "audit", "history", plan)
    status = json.loads(
        cli("--json", "internkontroll", "status", "2028", "--plan", plan, "--date", "2028-07-01").stdout
    )
    assert [c["agare"] for c in status["plan"]["kontroller"]] == ["internt-stod", "internt-stod"]
    assert [
        (h["kontroll"], h["overlamnas_fran"], h["beslut_id"]) for h in status["plan"]["overlamningar"]
    ] == [
        (1, "2028-07-01", handed_by),
        (2, "2028-07-01", handed_by),
    ]
    assert keys_of(status) & (field_names_in_the_code() - WORDS_IN_BOTH) == set()
    shown = human(cli, "internkontroll", "status", "2028", "--plan", plan)
    assert "Överlämnade kontroller (2)" in shown
    assert not FULL_ID.search(shown)
    for day, owners in (("2028-06-30", [ENHET, "larande"]), ("2028-07-01", ["internt-stod", "internt-stod"])):
        [planned] = json.loads(cli("--json", "audit", "as-of", day).stdout)["internkontroll"]["planer"]
        assert [c["agare"] for c in planned["kontroller"]] == owners


def test_status_shows_each_controls_owner_on_its_day_before_and_after_a_handover_recorded_ahead(
    cli: Cli, plan: str
) -> None:
    """KS hands control 2 over to lärande from 2028-09-01, decided in August: status on a day before
    shows internt stöd, the owner then, in text and JSON, beside the hand-over table that names the
    day; from the day on, lärande."""
    beslut = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer",
                        "KS 2028/42", "--paragraf", "§ 42", "--title", "Ny ägare av kontroll 2",
                        "--date", "2028-08-20")  # fmt: skip
    cli.record("internkontroll", "handover", plan, "--control", "2", "--owner", "larande", "--from",
               "2028-09-01", "--beslut", beslut, "--as", "ks")  # fmt: skip
    status = ["internkontroll", "status", "2028", "--plan", plan]
    for on, owner in (("2028-08-31", "internt-stod"), ("2028-09-01", "larande"), ("2028-12-31", "larande")):
        answer = json.loads(cli("--json", *status, "--date", on).stdout)["plan"]
        assert [(c["nummer"], c["agare"]) for c in answer["kontroller"]] == [(1, "larande"), (2, owner)]
        assert [(h["kontroll"], h["agare"]) for h in answer["overlamningar"]] == [(2, "larande")]
        shown = human(cli, *status, "--date", on)
        controls = shown[shown.index("Kontroller") : shown.index("Överlämnade kontroller")]
        assert owner in controls
        assert ("internt-stod" in controls) == (owner == "internt-stod")


def test_a_handover_decided_ahead_leaves_the_earlier_owners_results_before_its_day_ordinary(
    cli: Cli, plan: str
) -> None:
    """KS decides in April that control 2 passes to lärande from 2028-09-01: internt stöd records its
    June and August results without --rattelse, lärande its September one; status and audit show each
    result and the owner of each day."""
    beslut = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer",
                        "KS 2028/43", "--paragraf", "§ 43", "--title", "Ny ägare av kontroll 2",
                        "--date", "2028-04-15")  # fmt: skip
    cli.record("internkontroll", "handover", plan, "--control", "2", "--owner", "larande", "--from",
               "2028-09-01", "--beslut", beslut, "--as", "ks")  # fmt: skip
    result = ["internkontroll", "result", plan, "--control", "2", "--outcome", "utan_anmarkning"]
    for owner, on in (
        ("internt-stod", "2028-06-30"),
        ("internt-stod", "2028-08-31"),
        ("larande", "2028-09-30"),
    ):
        recorded = cli("--json", *result, "--as", owner, "--date", on)
        assert recorded.exit_code == 0, recorded.output

    status = ["--json", "internkontroll", "status", "2028", "--plan", plan]
    for on, owner in (("2028-08-31", "internt-stod"), ("2028-09-01", "larande")):
        answer = json.loads(cli(*status, "--date", on).stdout)["plan"]
        assert [(c["nummer"], c["agare"]) for c in answer["kontroller"]] == [(1, "larande"), (2, owner)]
        assert [(h["kontroll"], h["agare"], h["overlamnas_fran"]) for h in answer["overlamningar"]] == [
            (2, "larande", "2028-09-01")
        ]
        [planned] = json.loads(cli("--json", "audit", "as-of", on).stdout)["internkontroll"]["planer"]
        assert [c["agare"] for c in planned["kontroller"]] == ["larande", owner]
    assert [(r["kontroll"], r["utford"], r["utford_av"]) for r in answer["resultat"]] == [
        (1, "2028-03-31", "larande"),
        (2, "2028-06-30", "internt-stod"),
        (2, "2028-08-31", "internt-stod"),
        (2, "2028-09-30", "larande"),
    ]
    assert "rättelse" not in human(cli, "audit", "history", plan).lower()


def test_a_handover_that_cannot_be_is_refused_naming_the_option_and_records_nothing(
    cli: Cli, plan: str
) -> None:
    """Not by the organ, from a day after the plan's year, or to the owner it already has."""
    beslut = cli.record("beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer",
                        "KS 2028/41", "--paragraf", "§ 41", "--title", "Ny kontrollägare",
                        "--date", "2028-06-15")  # fmt: skip
    handover = ["internkontroll", "handover", plan, "--control", "1", "--beslut", beslut]
    for args, field, rule in (
        (
            ["--owner", "internt-stod", "--from", "2028-07-01", "--as", "kommundirektor"],
            "as",
            "organet_lamnar_over",
        ),
        (["--owner", "internt-stod", "--from", "2029-01-01", "--as", "ks"], "from", "overlamnas_under_aret"),
        (["--owner", "larande", "--from", "2028-07-01", "--as", "ks"], "owner", "samma_agare"),
    ):
        before = cli.event_count()
        refused = cli("--json", *handover, *args)
        assert refused.exit_code == 1, refused.output
        answer = json.loads(refused.stdout)
        assert (answer["falt"], answer["regel"]) == (field, rule)
        assert cli.event_count() == before
        text = cli(*handover, *args)
        assert f"regel: {rule}" in text.stderr
