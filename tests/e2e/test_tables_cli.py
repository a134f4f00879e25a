"""Every table at 80 columns with long content, and short ids printed by one command typed into the next."""

from __future__ import annotations

import json
import re
from datetime import date
from uuid import UUID

import pytest
from e2e.cli_world import PERSON, Cli
from unit.governance_world import send

from lerum_flow.application import Governance
from lerum_flow.commands import Command, IssueUppdrag, ReportAvvikelse
from lerum_flow.domain.values import AvvikelseSubject, UppdragKind
from lerum_flow.projections.registers import StateInParts
from lerum_flow.projections.uppdrag import FINISHED
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

WIDTH = {"COLUMNS": "80"}
SHORT_ID = re.compile(r"\b[0-9a-f]{8}(?:-[0-9a-f]{1,4})*\b")
SECTOR = "vard-och-omsorg"
CHEF = "enhetschef-solgarden-hemtjanst-nord"
LONG_TITLE = "Verksamhetsplan 2027 med uppdrag, mål och indikatorer för samtliga sektorer och bolag"
DESCRIPTION = (
    "Nattbemanningen på Solgårdens äldreboende räcker inte när två av tre undersköterskor "
    "är sjuka samtidigt \x1b[2J\u202eoch vikarier kan inte tas in."
)
# At least this wide: what a column needs to show a status, a date, a position code in part.
USEFUL = 6


def human(cli: Cli, *args: str) -> str:
    """The command's text output at 80 columns; it must succeed and fit."""
    result = cli(*args, env=WIDTH)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), "\n".join(line for line in lines if len(line) > 80)
    assert "\x1b" not in result.stdout
    return result.stdout


def column_widths(output: str, *headers: str) -> dict[str, int]:
    """The width of each column of the table whose header line holds `headers`, from where they start."""
    line = next(line for line in output.splitlines() if all(h in line for h in headers))
    starts = [line.index(h) for h in headers]
    ends = [*starts[1:], len(line) + 2]  # Rich pads the header line to the whole table
    return {h: end - start - 2 for h, start, end in zip(headers, starts, ends, strict=True)}


def short_ids(output: str) -> list[str]:
    return SHORT_ID.findall(output)


def resolved(cli: Cli, short: str) -> UUID:
    """The whole id a short one names, as the store answers it."""
    governance = Governance(default_styrmodell(), env=Settings(data_dir=cli.data_dir).eventsourcing_env())
    try:
        return governance.resolve_id(short)
    finally:
        governance.close()


def recorded_before_the_character_rule(cli: Cli, method: str, command: Command) -> None:
    """Record `command` straight through the application, past the edge's validation."""
    governance = Governance(default_styrmodell(), env=Settings(data_dir=cli.data_dir).eventsourcing_env())
    try:
        getattr(governance, method)(command)
    finally:
        governance.close()


@pytest.fixture
def world(cli: Cli) -> Cli:
    """Decisions, a delegation, an uppdrag broken down once and a deviation, all with long texts,
    each recorded with the short ids the tables printed."""
    cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--matter", "verksamhetsplan",
        "--diarienummer", "KS 2026/450", "--paragraf", "§ 201", "--title", LONG_TITLE, "--date", "2026-12-14",
    )  # fmt: skip
    cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning för KS",
        "--date", "2026-12-15",
    )  # fmt: skip
    # From 2026: the decisions the staffing of the chain rests on are older.
    register = human(cli, "beslut", "register", "--from", "2026-01-01")
    plan, ordning = short_ids(register)
    cli.record(
        "delegering", "grant", "--as", "ks", "--to", "kommundirektor", "--matter", "upphandling",
        "--beslut", ordning, "--valid-from", "2027-01-01",
    )  # fmt: skip
    # Control characters are refused at input now; records from before that rule (or
    # imported) can still hold them, and every table must show them harmlessly.
    recorded_before_the_character_rule(
        cli,
        "issue_uppdrag",
        IssueUppdrag.model_construct(
            actor="ks", person=PERSON, command_id=None, secrecy="", kind=UppdragKind.UPPDRAG,
            recipient="kommundirektor", title="Verkställ verksamhetsplanen \x1b[31mi alla sektorer\u202e",
            description="", due=date(2027, 12, 31), origin_beslut_id=resolved(cli, plan), parent_id=None,
            issued_on=date(2027, 1, 10), key="",
        ),
    )  # fmt: skip
    (uppdrag,) = short_ids(human(cli, "uppdrag", "mine", "--as", "kommundirektor"))
    cli.record("uppdrag", "accept", uppdrag, "--as", "kommundirektor", "--date", "2027-01-11")
    cli.record(
        "uppdrag", "issue", "--as", "kommundirektor", "--to", SECTOR, "--part-of", uppdrag,
        "--title", "Bryt ned verksamhetsplanen för vård och omsorg", "--date", "2027-01-12",
    )  # fmt: skip
    cli.record(
        "organisation", "establish", "--as", SECTOR, "--id", CHEF, "--name", "Enhetschef, hemtjänst nord",
        "--kind", "chef", "--parent", SECTOR, "--date", "2027-01-10",
    )  # fmt: skip
    cli.appoint(CHEF, by=SECTOR, on="2027-01-10")
    recorded_before_the_character_rule(
        cli,
        "report_avvikelse",
        ReportAvvikelse.model_construct(
            actor=CHEF, person=PERSON, command_id=None, secrecy="", subject_kind=AvvikelseSubject.UPPDRAG,
            subject_ref=str(resolved(cli, uppdrag)), severity="avvikelse", category="verksamhet",
            description=DESCRIPTION, occurred_on=date(2027, 3, 14), key="",
        ),
    )  # fmt: skip
    return cli


def test_the_beslut_register_fits_80_columns_with_every_column_useful(world: Cli) -> None:
    """Id, date, diarienummer, organ, title and anmälan all keep a useful width; the long title wraps."""
    output = human(world, "beslut", "register")

    widths = column_widths(output, "Id", "Datum", "Diarienr", "Av", "Rubrik")
    assert widths["Id"] == 8
    assert widths["Datum"] == 10
    assert widths["Rubrik"] >= 14
    assert all(w >= 2 for w in widths.values())
    assert all(word in output for word in LONG_TITLE.split())


def test_the_avvikelse_board_keeps_status_severity_and_description_readable(world: Cli) -> None:
    """The issue's example: status, severity and description keep their width beside the id."""
    output = human(world, "avvikelse", "board")

    widths = column_widths(output, "Id", "Kvittens senast", "Status", "Beskrivning", "Rapporterad av")
    assert all(w >= USEFUL for w in widths.values()), widths
    assert widths["Beskrivning"] >= 14
    assert "rapporterad" in output
    assert "Nattbemanningen" in output
    assert "undersköterskor" in output
    assert r"\x1b[2J\u202eoch" in output.replace("\n", "").replace(" ", "")


def test_the_history_shows_swedish_event_names_at_80_columns(world: Cli) -> None:
    """`audit history` with a short id: 'uppdrag givet', 'uppdrag mottaget', ids in details shortened."""
    (uppdrag,) = short_ids(
        human(world, "uppdrag", "tree", "--level", "kommundirektor", "--status", "mottaget")
    )
    output = human(world, "audit", "history", uppdrag)

    assert "uppdrag givet" in output
    assert "uppdrag mottaget" in output
    assert "Uppdrag.Issued" not in output
    widths = column_widths(output, "#", "Händelse, vem", "Registrerad", "Gäller från", "Uppgifter")
    assert widths["Uppgifter"] >= 18
    assert r"\x1b[31m" in output


def test_a_title_wider_than_its_short_table_stays_on_one_line(world: Cli) -> None:
    """'Personkatalogen (0)' above a two-column empty list, not folded to the list's width."""
    output = human(world, "katalog", "list")

    assert output.splitlines()[0].rstrip() == "Personkatalogen (0)"


def test_the_history_of_one_event_says_one_event(world: Cli) -> None:
    """'(1 händelse)', not '(1 händelser)', above a record with a single event."""
    beslut = json.loads(world("--json", "beslut", "register").stdout)["beslut"][0]["id"]

    output = human(world, "audit", "history", beslut)

    assert "(1 händelse)" in " ".join(output.split())


@pytest.mark.parametrize(
    "command",
    [
        ("delegering", "register", "--date", "2027-02-01"),
        ("uppdrag", "tree"),
        ("uppdrag", "mine", "--as", SECTOR),
        ("audit", "as-of", "2027-03-31"),
        ("audit", "authority", "kommundirektor", "--as-of", "2027-02-01"),
        ("projections", "status"),
        ("styrmodell", "show"),
        ("katalog", "list"),
    ],
    ids=lambda command: " ".join(command[:2]),
)
def test_every_other_table_fits_80_columns(world: Cli, command: tuple[str, ...]) -> None:
    """Each human table and tree fits 80 columns and shows ids at their short length."""
    output = human(world, *command)

    assert not re.search(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", output)


def test_a_short_id_from_the_tree_works_in_trace_and_as_root(world: Cli) -> None:
    """The id the tree prints for the sub-uppdrag traces it to its decision and roots a smaller tree."""
    tree = human(world, "uppdrag", "tree", "--level", SECTOR)
    (sub,) = [i for i in short_ids(tree) if f"{i} kommundirektor → {SECTOR}" in tree]

    traced = human(world, "audit", "trace", sub)
    rooted = human(world, "uppdrag", "tree", "--root", sub[:6])

    assert "KS 2026/450" in traced
    assert "Bryt ned verksamhetsplanen" in rooted
    assert "Verkställ verksamhetsplanen" not in rooted


def test_full_ids_on_request_and_always_in_json(world: Cli) -> None:
    """--full-ids and --json print the whole ids, which the short ones are the start of."""
    short = short_ids(human(world, "beslut", "register"))
    full = world("beslut", "register", "--full-ids", env=WIDTH).stdout
    data = json.loads(world("--json", "beslut", "register").stdout)

    ids = [b["id"] for b in data["beslut"]]
    assert all(any(i.startswith(s) for i in ids) for s in short)
    assert all(i in full for i in ids)


def test_an_unknown_short_id_is_refused_in_swedish_naming_the_argument(world: Cli) -> None:
    """A prefix no uppdrag has: exit 1, 'Inget uppdrag har ett id som börjar på', nothing recorded."""
    refused = world("uppdrag", "accept", "abcd1234", "--as", "kommundirektor")
    short = world("uppdrag", "accept", "abc", "--as", "kommundirektor")

    assert refused.exit_code == 1
    assert "Inget uppdrag har ett id som börjar på 'abcd1234'" in refused.stderr
    assert "gäller ID" in refused.stderr
    assert short.exit_code == 1
    assert "minst 4 tecken" in short.stderr


def test_a_short_id_and_a_full_id_record_the_same_command_once(world: Cli) -> None:
    """The command gets the full id either way, so repeating it with the other spelling is a retry."""
    data = json.loads(world("--json", "uppdrag", "mine", "--as", SECTOR).stdout)
    full = data["att_ta_emot"][0]["id"]

    first = world("uppdrag", "accept", full[:8], "--as", SECTOR, "--date", "2027-01-13")
    again = world("uppdrag", "accept", full, "--as", SECTOR, "--date", "2027-01-13")

    assert first.exit_code == 0, first.output
    assert "Redan registrerat" in again.stdout
    assert world.events(full) == ["Uppdrag.Issued", "Uppdrag.Accepted"]


def test_registers_take_a_period_and_page(world: Cli) -> None:
    """--from/--to choose the decisions of a period; --limit/--offset page and say how many remain."""
    on_the_15th = json.loads(
        world("--json", "beslut", "register", "--from", "2026-12-15", "--to", "2026-12-31").stdout
    )
    since = ("--from", "2026-01-01")  # the decisions of the chain's staffing are older
    first_page = human(world, "beslut", "register", *since, "--limit", "1")
    second = json.loads(world("--json", "beslut", "register", *since, "--limit", "1", "--offset", "1").stdout)

    assert [b["diarienummer"] for b in on_the_15th["beslut"]] == ["KS 2026/451"]
    assert "Visar 1–1 av 2; 1 till: --offset 1 --limit 1." in first_page
    assert second["antal"] == 2
    assert [b["diarienummer"] for b in second["beslut"]] == ["KS 2026/451"]


def test_the_delegation_register_takes_a_period(world: Cli) -> None:
    """A delegation from 2027-01-01 was in force during 2027 but not during December 2026."""
    in_2027 = json.loads(world("--json", "delegering", "register", "--from", "2027-01-01").stdout)
    before = json.loads(
        world("--json", "delegering", "register", "--from", "2026-12-01", "--to", "2026-12-31").stdout
    )

    assert [d["beslutsomrade"] for d in in_2027["delegeringar"]] == ["upphandling"]
    assert before["delegeringar"] == []


def test_the_tree_filters_by_status(world: Cli) -> None:
    """--status utfärdat shows only the sub-uppdrag not yet accepted; an unknown status is refused."""
    issued = human(world, "uppdrag", "tree", "--status", "utfärdat")
    unknown = world("uppdrag", "tree", "--status", "klar")

    assert "Bryt ned verksamhetsplanen" in issued
    assert "Verkställ verksamhetsplanen" not in issued
    assert unknown.exit_code == 1
    assert "Statusen 'klar' finns inte" in unknown.stderr


@pytest.mark.postgres
def test_short_ids_work_from_one_command_to_the_next_on_postgresql(
    cli: Cli, postgres_database_url: str
) -> None:
    """On PostgreSQL too: the register's short id names the decision an uppdrag comes from."""
    cli.env["LERUM_FLOW_DATABASE_URL"] = postgres_database_url
    cli.staff()
    cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "verksamhetsplan", "--matter", "verksamhetsplan",
        "--diarienummer", "KS 2026/450", "--paragraf", "§ 201", "--title", LONG_TITLE, "--date", "2026-12-14",
    )  # fmt: skip
    (plan,) = short_ids(human(cli, "beslut", "register", "--from", "2026-01-01"))
    uppdrag = cli.record(
        "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--beslut", plan,
        "--title", "Verkställ planen", "--date", "2027-01-10",
    )  # fmt: skip

    tree = human(cli, "uppdrag", "tree", "--root", plan[:5])
    history = human(cli, "audit", "history", uppdrag[:8])

    assert f"{uppdrag[:8]} ks → kommundirektor: Verkställ planen" in tree
    assert "uppdrag givet" in history
    assert plan in history  # origin_beslut_id, shown short


def _section(output: str, title: str, ends: tuple[str, ...]) -> list[str]:
    """The lines of the section that starts with `title`, up to the first line starting with one of `ends`."""
    lines = output.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(title))
    rest = lines[start + 1 :]
    end = next((n for n, line in enumerate(rest) if line.startswith(ends)), len(rest))
    return rest[:end]


def _column(lines: list[str], header: str, following: str) -> list[str]:
    """Each row's text in the column `header` (before `following`) of the tables in `lines`, a row
    being a line that starts with an id and the lines under it that start blank."""
    cells: list[str] = []
    start = end = 0
    for line in lines:
        if line.startswith("Id ") and header in line:
            start, end = line.index(header), line.index(following)
        elif SHORT_ID.match(line):
            cells.append(line[start:end])
        elif cells and line.startswith(" "):
            cells[-1] += line[start:end]
    return cells


def _named(shown: list[str], whole: list[str]) -> list[str]:
    """The whole id each short one starts, in the order shown; each must name exactly one."""
    found = []
    for short in shown:
        (one,) = [i for i in whole if i.startswith(short)]
        found.append(one)
    return found


def test_the_text_as_of_names_the_decisions_and_uppdrag_of_the_json_one(
    world: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printed a few rows a batch, the text names the same decisions as --json, in its order and
    with every word of each title, and the same pågående uppdrag."""
    governance = Governance(default_styrmodell(), env=Settings(data_dir=world.data_dir).eventsourcing_env())
    try:
        for n, title in enumerate(
            [
                "[utkast] Riktlinje för: mål :smile: och ansvar",
                "Översiktsplanen" + "ochdesslångaord" * 6,
                "Kort",
                f"{LONG_TITLE}  med  dubbla  mellanrum",
            ]
        ):
            send(
                governance, "take_beslut", "ks", person=PERSON, decided_by="ks", kind="ovrigt",
                diarienummer=f"KS 2027/{90 + n}",
                paragraf=f"§ {n + 1}", title=title, decided_on=date(2027, 2, 1 + n),
            )  # fmt: skip
    finally:
        governance.close()
    # Three rows a batch: the decisions come in several tables, each with its own labels and widths.
    monkeypatch.setattr(StateInParts.beslut, "__defaults__", (3,))
    monkeypatch.setattr(StateInParts.uppdrag, "__defaults__", (1,))

    text = human(world, "audit", "as-of", "2027-03-31")
    data = json.loads(world("--json", "audit", "as-of", "2027-03-31").stdout)

    decisions = _section(text, "Beslut (", ("Öppna avvikelser", "Styrdokument", "Internkontroll"))
    shown = [line.split()[0] for line in decisions if SHORT_ID.match(line)]
    assert _named(shown, [b["id"] for b in data["beslut"]]) == [b["id"] for b in data["beslut"]]
    assert len(shown) >= 7
    # Each title, wrapped and folded in its column, reads in full, as the record has it, over its kind.
    titles = ["".join(f"{b['rubrik']}{b['slag']}".split()) for b in data["beslut"]]
    assert ["".join(cell.split()) for cell in _column(decisions, "Rubrik", "Anmälan")] == titles
    pagaende = _section(text, "Pågående uppdrag", ("Delegeringar", "Beslut ("))
    # An uppdrag's line starts indented with its id; a long one goes on on the next lines.
    listed = [line.split()[0] for line in pagaende if line.startswith("  ") and SHORT_ID.match(line[2:])]
    open_ids = [u["id"] for u in data["uppdrag"] if u["status"] not in FINISHED]
    assert sorted(_named(listed, open_ids)) == sorted(open_ids)
    assert len(open_ids) == 2


BOARD_LABELS = re.compile(
    r"(Id|Kvittens senast|Väntat|Status|Allvarlighetsgrad|Kategori|Beskrivning|Rapporterad av): \S"
)


def test_the_avvikelse_board_at_60_columns_labels_each_thing_on_a_line_of_its_own(world: Cli) -> None:
    """Too narrow for the table: one labelled line per thing, wrapped lines indented under their value."""
    result = world("avvikelse", "board", env={"COLUMNS": "60"})

    assert result.exit_code == 0, result.output
    title, *block = [line.rstrip() for line in result.stdout.splitlines() if line.strip()]
    assert title == "Hos vard-och-omsorg (1)"
    assert all(len(line) <= 60 for line in block), block
    labelled = [line for line in block if not line.startswith(" ")]
    assert all(BOARD_LABELS.match(line) for line in labelled), labelled
    assert [line.split(":")[0] for line in labelled] == [
        "Id", "Kvittens senast", "Väntat", "Status", "Allvarlighetsgrad", "Kategori", "Beskrivning",
        "Rapporterad av",
    ]  # fmt: skip
    assert "Allvarlighetsgrad: avvikelse" in block
    assert "Kategori: verksamhet" in block
    # The description's further lines stand under its first word, not at the margin.
    further = block[block.index(next(line for line in block if line.startswith("Beskrivning: "))) + 1]
    assert further.startswith(" " * len("Beskrivning: "))
    assert not further[len("Beskrivning: ")].isspace()


def test_the_avvikelse_board_at_80_columns_is_still_the_table(world: Cli) -> None:
    """80 columns fit the table: the deadline with the wait under it, status over severity."""
    output = human(world, "avvikelse", "board")
    rows = output.splitlines()

    header = next(i for i, line in enumerate(rows) if line.startswith("Id "))
    assert rows[header].split() == ["Id", "Kvittens", "senast", "Status", "Beskrivning", "Rapporterad", "av"]
    first, second = rows[header + 2], rows[header + 3]
    assert re.match(r"[0-9a-f]{8}  \d{4}-\d\d-\d\d \d\d:\d\d  rapporterad  verksamhet: ", first), first
    assert re.match(r" {10}väntat \d+ h +avvikelse +Nattbemanningen", second), second
    assert "Allvarlighetsgrad" not in output
