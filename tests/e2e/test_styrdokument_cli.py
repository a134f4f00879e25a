"""`lerum-flow styrdokument` as a user types it: decisions recorded first, documents adopted on them,
the register, the tree and what is due read back, at 80 columns and as Swedish JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from e2e.cli_world import Cli
from e2e.test_cli_language import WORDS_IN_BOTH, field_names_in_the_code, keys_of
from e2e.test_tables_cli import human, short_ids


@dataclass(frozen=True)
class Documents:
    policy: str
    riktlinje: str


def decision(cli: Cli, organ: str, number: int, on: str, title: str) -> str:
    return cli.record(
        "beslut", "take", "--organ", organ, "--kind", "ovrigt",
        "--diarienummer", f"{organ.upper()} 2027/{number}", "--paragraf", f"§ {number}",
        "--title", title, "--date", on,
    )  # fmt: skip


@pytest.fixture
def docs(cli: Cli) -> Documents:
    """KF's inköpspolicy and, typed with the policy's short id from the register, KS's riktlinje under it."""
    policy_beslut = decision(cli, "kf", 12, "2027-02-15", "Inköpspolicy")
    cli.record(
        "styrdokument", "adopt", "--as", "kf", "--beslut", policy_beslut, "--type", "policy",
        "--title", "Inköpspolicy", "--owner", "kommundirektor",
    )  # fmt: skip
    (policy,) = short_ids(human(cli, "styrdokument", "register", "--type", "policy"))
    riktlinje_beslut = decision(cli, "ks", 40, "2027-04-10", "Riktlinje för direktupphandling")
    riktlinje = cli.record(
        "styrdokument", "adopt", "--as", "ks", "--beslut", riktlinje_beslut[:8], "--type", "riktlinje",
        "--title", "Riktlinje för direktupphandling med krav på hållbarhet och lokala leverantörer",
        "--owner", "kommundirektor", "--parent", policy,
    )  # fmt: skip
    return Documents(policy, riktlinje)


def as_json(cli: Cli, *args: str) -> Any:
    result = cli("--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_register_tree_and_due_list_show_the_documents_in_80_columns(cli: Cli, docs: Documents) -> None:
    """Both documents in the register with their decisions; the riktlinje under the policy in the tree;
    both due for review before 2031-06-30 and neither before 2031."""
    register = human(cli, "styrdokument", "register")
    tree = human(cli, "styrdokument", "tree", docs.policy)
    due = as_json(cli, "styrdokument", "due", "--to", "2031-06-30")

    assert "KF 2027/12 § 12" in register
    assert "KS 2027/40 § 40" in register
    assert tree.index("Inköpspolicy") < tree.index("Riktlinje för")
    assert [d["dokumenttyp"] for d in due["styrdokument"]] == ["policy", "riktlinje"]
    assert [d["provas_senast"] for d in due["styrdokument"]] == ["2031-02-15", "2031-04-10"]
    assert as_json(cli, "styrdokument", "due", "--to", "2030-12-31")["styrdokument"] == []


def test_the_register_filters_by_type_organ_scope_and_status(cli: Cli, docs: Documents) -> None:
    def titles(*args: str) -> list[str]:
        return [d["rubrik"] for d in as_json(cli, "styrdokument", "register", *args)["styrdokument"]]

    assert titles("--type", "riktlinje") == [
        "Riktlinje för direktupphandling med krav på hållbarhet och lokala leverantörer"
    ]
    assert titles("--organ", "kf") == ["Inköpspolicy"]
    assert titles("--scope", "ks", "--status", "gällande") == titles("--type", "riktlinje")
    assert titles("--status", "upphävt") == []


def test_a_revision_and_a_repeal_are_seen_as_of_the_day_asked(cli: Cli, docs: Documents) -> None:
    """Revised in 2028 and repealed in 2029: as of 2027 the old title, as of 2028 the new one, and
    the audit's state of the day lists the documents then in force."""
    revision = decision(cli, "kf", 90, "2028-01-20", "Revidering av inköpspolicy")
    cli.record(
        "styrdokument", "revise", docs.policy, "--as", "kf", "--beslut", revision,
        "--title", "Policy för inköp", "--reason", "Hållbarhetskrav.",
    )  # fmt: skip
    repeal = decision(cli, "kf", 91, "2029-01-20", "Upphävande av inköpspolicy")
    cli.record("styrdokument", "repeal", docs.policy, "--as", "kf", "--beslut", repeal)

    def policy_on(day: str) -> list[tuple[str, str]]:
        found = as_json(cli, "styrdokument", "register", "--type", "policy", "--as-of", day)["styrdokument"]
        return [(d["rubrik"], d["status"]) for d in found]

    assert policy_on("2027-12-31") == [("Inköpspolicy", "gallande")]
    assert policy_on("2028-06-30") == [("Policy för inköp", "gallande")]
    assert policy_on("2029-06-30") == [("Policy för inköp", "upphavt")]
    assert policy_on("2027-01-01") == []
    in_force = as_json(cli, "audit", "as-of", "2027-06-30")["styrdokument"]
    assert [d["dokumenttyp"] for d in in_force] == ["policy", "riktlinje"]
    assert "Styrdokument i kraft (2)" in human(cli, "audit", "as-of", "2027-06-30")
    assert cli.events(docs.policy) == [f"Styrdokument.{e}" for e in ("Adopted", "Revised", "Repealed")]


def test_the_history_of_a_document_is_told_in_swedish(cli: Cli, docs: Documents) -> None:
    history = human(cli, "audit", "history", docs.riktlinje)

    assert "styrdokument antaget" in history


def test_a_document_type_adopted_by_the_wrong_organ_is_refused_naming_the_rule(
    cli: Cli, docs: Documents
) -> None:
    """KF cannot adopt Lerum's riktlinjer; the refusal names the styrmodell's rule and records nothing."""
    beslut = decision(cli, "kf", 50, "2027-05-01", "Riktlinje")
    before = cli.event_count()

    result = cli(
        "--json", "styrdokument", "adopt", "--as", "kf", "--beslut", beslut, "--type", "riktlinje",
        "--title", "Riktlinje", "--owner", "kommundirektor", "--parent", docs.policy,
    )  # fmt: skip

    refusal = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (refusal["regel"], refusal["falt"]) == ("antas_av", "beslut")
    assert "antas_av" in refusal["meddelande"]
    assert cli.event_count() == before


@pytest.mark.parametrize(
    ("args", "rule", "field"),
    [
        (["register", "--type", "manifest"], "okand_dokumenttyp", "type"),
        (["register", "--status", "borta"], "ogiltigt_varde", "status"),
        (["register", "--organ", "nobody"], "okand_befattning", "organ"),
        (["register", "--known-on", "2027-01-01"], "known_on_kraver_as_of", "known-on"),
        (["tree", "ffff0000"], "okant_id", "id"),
        (["due", "--from", "2027-06-01", "--to", "2027-01-01"], "period", "to"),
    ],
    ids=["unknown-type", "unknown-status", "unknown-organ", "known-on-alone", "unknown-root", "period"],
)
def test_a_read_with_bad_input_is_refused(cli: Cli, args: list[str], rule: str, field: str) -> None:
    result = cli("--json", "styrdokument", *args)

    refusal = json.loads(result.stdout)
    assert result.exit_code == 1
    assert (refusal["regel"], refusal["falt"]) == (rule, field)


def test_every_json_key_of_the_document_reads_is_swedish(cli: Cli, docs: Documents) -> None:
    """The rows and events of documents are named in English in the code and in Swedish in --json."""
    english = field_names_in_the_code() - WORDS_IN_BOTH
    for read in (
        ["styrdokument", "register"],
        ["styrdokument", "tree"],
        ["styrdokument", "due"],
        ["audit", "history", docs.riktlinje],
        ["audit", "as-of", "2027-06-30"],
    ):
        assert keys_of(as_json(cli, *read)) & english == set(), read


def revise_policy(cli: Cli, docs: Documents, number: int, on: str, title: str, *options: str) -> None:
    """KF revises the policy on its decision § `number` of `on`, titled `title`, with `options`."""
    beslut = decision(cli, "kf", number, on, title)
    cli.record("styrdokument", "revise", docs.policy, "--as", "kf", "--beslut", beslut, *options)


def policy_on(cli: Cli, day: str) -> tuple[str, str]:
    """The policy's title and owner in the register as of `day`."""
    read = as_json(cli, "styrdokument", "register", "--type", "policy", "--as-of", day)
    (found,) = read["styrdokument"]
    return found["rubrik"], found["agare"]


def test_a_title_revision_dated_before_a_planned_hand_over_keeps_the_owner_of_its_day(
    cli: Cli, docs: Documents
) -> None:
    """The policy handed to KS from 2027-09-01 on a decision of 2027-03-01, then retitled from
    2027-05-01 without an owner (no correction: the policy's dates have run to 2027-03-01 only): the
    kommundirektör owns it up to 2027-08-31 under either title, KS from 2027-09-01."""
    revise_policy(
        cli, docs, 60, "2027-03-01", "Ny ägare av inköpspolicyn",
        "--owner", "ks", "--valid-from", "2027-09-01", "--reason", "KS tar över.",
    )  # fmt: skip
    revise_policy(
        cli, docs, 61, "2027-05-01", "Ny rubrik på inköpspolicyn",
        "--title", "Policy för inköp", "--reason", "Ny rubrik.",
    )  # fmt: skip

    assert policy_on(cli, "2027-04-30") == ("Inköpspolicy", "kommundirektor")
    assert policy_on(cli, "2027-05-01") == ("Policy för inköp", "kommundirektor")
    assert policy_on(cli, "2027-08-31") == ("Policy för inköp", "kommundirektor")
    assert policy_on(cli, "2027-09-01") == ("Policy för inköp", "ks")
    (today,) = as_json(cli, "styrdokument", "register", "--type", "policy")["styrdokument"]
    assert today["agare"] == "ks"


def test_a_hand_over_dated_before_a_planned_retitle_keeps_the_title_of_its_day(
    cli: Cli, docs: Documents
) -> None:
    """The policy retitled from 2027-09-01 on a decision of 2027-03-01, then handed to KS from 2027-05-01
    without a title: 'Inköpspolicy' up to 2027-08-31 under either owner, 'Policy för inköp' from
    2027-09-01."""
    revise_policy(
        cli, docs, 60, "2027-03-01", "Ny rubrik på inköpspolicyn",
        "--title", "Policy för inköp", "--valid-from", "2027-09-01", "--reason", "Ny rubrik.",
    )  # fmt: skip
    revise_policy(
        cli, docs, 61, "2027-05-01", "Ny ägare av inköpspolicyn",
        "--owner", "ks", "--reason", "KS tar över.",
    )  # fmt: skip

    assert policy_on(cli, "2027-04-30") == ("Inköpspolicy", "kommundirektor")
    assert policy_on(cli, "2027-05-01") == ("Inköpspolicy", "ks")
    assert policy_on(cli, "2027-08-31") == ("Inköpspolicy", "ks")
    assert policy_on(cli, "2027-09-01") == ("Policy för inköp", "ks")
    (today,) = as_json(cli, "styrdokument", "register", "--type", "policy")["styrdokument"]
    assert today["rubrik"] == "Policy för inköp"


def test_the_due_list_names_the_owner_and_title_of_the_day_each_review_is_due(
    cli: Cli, docs: Documents
) -> None:
    """The policy handed to KS under a new title from 2031-06-01 on a decision of 2027-03-01, then
    reviewed on 2027-03-10: its review due by 2031-03-10 is the kommundirektör's, of 'Inköpspolicy', as
    its reminder and a missed review's deviation say."""
    revise_policy(
        cli, docs, 60, "2027-03-01", "Ny ägare av inköpspolicyn",
        "--owner", "ks", "--title", "Policy för inköp", "--valid-from", "2031-06-01",
        "--reason", "KS tar över.",
    )  # fmt: skip
    beslut = decision(cli, "kf", 61, "2027-03-10", "Aktualitetsprövning av inköpspolicy")
    cli.record("styrdokument", "review", docs.policy, "--as", "kf", "--beslut", beslut)

    due = as_json(cli, "styrdokument", "due", "--to", "2031-03-31", "--owner", "kommundirektor")

    policy = [d for d in due["styrdokument"] if d["dokumenttyp"] == "policy"]
    assert [(d["provas_senast"], d["agare"], d["rubrik"]) for d in policy] == [
        ("2031-03-10", "kommundirektor", "Inköpspolicy")
    ]


def test_a_review_decided_before_a_revision_decided_ahead_was_decided_needs_its_reason(
    cli: Cli, docs: Documents
) -> None:
    """The policy handed to KS from 2027-09-01 on a decision of 2027-05-01; a review decided on
    2027-03-10, earlier, is refused naming the date order and records nothing, until given as a
    correction with its reason, which it keeps."""
    revise_policy(
        cli, docs, 60, "2027-05-01", "Ny ägare av inköpspolicyn",
        "--owner", "ks", "--valid-from", "2027-09-01", "--reason", "KS tar över.",
    )  # fmt: skip
    beslut = decision(cli, "kf", 61, "2027-03-10", "Aktualitetsprövning av inköpspolicy")
    review = ("styrdokument", "review", docs.policy, "--as", "kf", "--beslut", beslut)
    before = cli.event_count()

    result = cli("--json", *review)

    refusal = json.loads(result.stdout)
    assert result.exit_code == 1
    assert refusal["regel"] == "datumordning"
    assert "daterad 2027-05-01" in refusal["meddelande"]
    assert cli.event_count() == before
    cli.record(*review, "--rattelse", "Prövningen registrerades efter överlämnandet.")
    assert cli.history(docs.policy)[-1]["rattelse"] == "Prövningen registrerades efter överlämnandet."
