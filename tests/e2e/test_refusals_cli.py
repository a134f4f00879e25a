"""Input that cannot be abused, and reads that refuse what does not exist, as a user meets them.

Every refusal here exits 1 with a Swedish message and its rule, as text on
stderr and as the refusal document with --json, and records nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e.cli_world import Cli, ks_verksamhetsplan

UNKNOWN_ID = "3f2c9a1e-0000-4000-8000-000000000000"


@dataclass(frozen=True)
class World:
    cli: Cli
    plan: str
    uppdrag: str
    files: Path


@pytest.fixture
def world(cli: Cli, tmp_path: Path) -> World:
    """A store with a beslut and an uppdrag from it, and a folder of files that are no checkpoint files."""
    plan = ks_verksamhetsplan(cli)
    uppdrag = cli.record(
        "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--beslut", plan,
        "--title", "Verkställ planen", "--due", "2027-12-31", "--date", "2027-01-10",
    )  # fmt: skip
    files = tmp_path / "filer"
    (files / "en-katalog").mkdir(parents=True)
    (files / "tom.json").write_text("", encoding="utf-8")
    (files / "annan.json").write_text('{"kontrollpunkter": []}', encoding="utf-8")
    (files / "lista.json").write_text("[1, 2]", encoding="utf-8")
    (files / "text.txt").write_text("inte json\n", encoding="utf-8")
    (files / "v2.json").write_text('{"format": "lerum-flow/kontrollpunkter/v2"}', encoding="utf-8")
    return World(cli, plan, uppdrag, files)


@dataclass(frozen=True)
class Case:
    name: str
    args: Callable[[World], list[str]]
    says: str
    rule: str
    field: str | None


def issue(title: str = "Nytt uppdrag", *extra: str) -> Callable[[World], list[str]]:
    return lambda w: [
        "uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--beslut", w.plan,
        "--title", title, "--date", "2027-02-01", *extra,
    ]  # fmt: skip


def take(diarienummer: str = "KS 2027/9", paragraf: str = "§ 9", date: str = "2027-02-01") -> list[str]:
    return [
        "beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", diarienummer,
        "--paragraf", paragraf, "--title", "Ett beslut", "--date", date,
    ]  # fmt: skip


def empty_filter(*words: str) -> Case:
    """The read command `words` with its last word, a filter option, given empty."""
    *command, option = words
    return Case(
        f"empty-{'-'.join(command[:2])}-{option[2:]}",
        lambda w: [*command, option, ""],
        "Får inte vara tomt.",
        "ogiltigt_varde",
        option[2:],
    )


def verify(name: str) -> Callable[[World], list[str]]:
    return lambda w: ["audit", "verify", "--checkpoints", str(w.files / name)]


# fmt: off
CASES = [
    # Characters that act on the screen instead of being shown.
    Case("bidi-override-in-title", issue("Budget\u202e2027"), "U+202E på plats 7", "styrtecken", "title"),
    Case("escape-in-diarienummer", lambda w: take("KS\x1b[2J 2027/9"), "styrtecknet ESC", "styrtecken",
         "diarienummer"),
    Case("lone-cr-in-paragraf", lambda w: take(paragraf="§\r9"), "vagnretur", "styrtecken", "paragraf"),
    Case("newline-in-title", issue("Rad ett\nRad två"), "skriv allt på en rad", "styrtecken", "title"),
    Case("nul-in-reason", lambda w: ["uppdrag", "withdraw", w.uppdrag, "--as", "ks", "--reason", "Skäl\x00x"],
         "U+0000", "styrtecken", "reason"),
    Case("zero-width-space-in-person", lambda w: [*take(), "--person", "p-1\u200b2"], "U+200B",
         "styrtecken", "person"),
    Case("escape-in-directory-name", lambda w: ["katalog", "set", "p-1", "--name", "Anna\x1b]0;x\x07"],
         "U+001B", "styrtecken", "name"),
    Case("over-long-directory-name", lambda w: ["katalog", "set", "p-1", "--name", "A" * 201],
         "högst 200 tecken", "ogiltigt_varde", "name"),
    Case("name-as-directory-id", lambda w: ["katalog", "set", "Anna Andersson", "--name", "Anna"],
         "inget giltigt person-id", "person_id", "PERSON"),
    # Numbers and far-off years are no dates.
    Case("timestamp-as-date", lambda w: take(date="1700000000"), "tidsstämpel", "datum", "date"),
    Case("small-number-as-due", issue("Med slutdatum", "--due", "86400"), "är ett tal", "datum", "due"),
    Case("before-1900", lambda w: [
        "delegering", "grant", "--as", "ks", "--to", "kommundirektor", "--matter", "personal",
        "--beslut", w.plan, "--valid-from", "1899-12-31",
    ], "utanför de datum som tas emot", "datum", "valid-from"),
    Case("as-of-a-number", lambda w: ["audit", "as-of", "0"], "är ett tal", "datum", "on"),
    Case("export-after-2200",
         lambda w: ["audit", "export", "--as-of", "2201-01-01", "--out", str(w.files / "u.csv")],
         "2201-01-01 ligger utanför", "datum", "as-of"),
    Case("register-far-future", lambda w: ["delegering", "register", "--date", "9999-12-31"],
         "9999-12-31 ligger utanför", "datum", "date"),
    Case("authority-before-1900", lambda w: ["audit", "authority", "ks", "--as-of", "1800-01-01"],
         "1800-01-01 ligger utanför", "datum", "as-of"),
    # A day given empty (an unset shell variable) is no day, never today or no limit.
    Case("empty-date-of-an-uppdrag", issue("Utan dag", "--date", ""), "'' är inget datum", "datum", "date"),
    Case("empty-date-of-an-avvikelse", lambda w: [
        "avvikelse", "report", "--as", "kommundirektor", "--about", "uppdrag", "--ref", w.uppdrag,
        "--severity", "avvikelse", "--category", "ekonomi", "--description", "Underskott.", "--date", "",
    ], "'' är inget datum", "datum", "date"),
    Case("empty-day-of-the-organisation", lambda w: ["organisation", "list", "--date", ""],
         "'' är inget datum", "datum", "date"),
    Case("empty-start-of-the-register", lambda w: ["beslut", "register", "--from", ""],
         "'' är inget datum", "datum", "from"),
    Case("empty-end-of-the-delegations", lambda w: ["delegering", "register", "--to", ""],
         "'' är inget datum", "datum", "to"),
    # A filter given empty is no filter: answering for everything would look like an answer to it.
    empty_filter("avvikelse", "board", "--level"),
    empty_filter("uppdrag", "tree", "--level"),
    empty_filter("uppdrag", "tree", "--status"),
    empty_filter("styrdokument", "register", "--type"),
    empty_filter("styrdokument", "register", "--organ"),
    empty_filter("styrdokument", "register", "--scope"),
    empty_filter("styrdokument", "register", "--status"),
    empty_filter("styrdokument", "due", "--owner"),
    empty_filter("beslut", "register", "--organ"),
    empty_filter("internkontroll", "status", "2027", "--plan"),
    empty_filter("forordnande", "list", "--holder"),
    empty_filter("forordnande", "list", "--position"),
    empty_filter("organisation", "list", "--under"),
    # Reads refuse positions and records that do not exist.
    Case("inbox-of-unknown-position", lambda w: ["uppdrag", "mine", "--as", "nosuch"],
         "'nosuch' finns inte i styrkedjan", "okand_befattning", "as"),
    Case("authority-of-unknown-position", lambda w: ["audit", "authority", "nosuch", "--as-of", "2027-06-01"],
         "'nosuch' finns inte i styrkedjan", "okand_befattning", "role"),
    Case("escape-in-a-position-asked-about", lambda w: ["uppdrag", "mine", "--as", "ks\x1b[2J"],
         "styrtecknet ESC (U+001B på plats 3)", "styrtecken", "as"),
    Case("board-of-unknown-level", lambda w: ["avvikelse", "board", "--level", "nosuch"],
         "'nosuch' finns inte i styrkedjan", "okand_befattning", "level"),
    Case("register-of-unknown-organ", lambda w: ["beslut", "register", "--organ", "nosuch"],
         "'nosuch' finns inte i styrkedjan", "okand_befattning", "organ"),
    Case("history-of-unknown-id", lambda w: ["audit", "history", UNKNOWN_ID],
         f"ingen post med id {UNKNOWN_ID}", "okant_id", "id"),
    Case("trace-of-unknown-id", lambda w: ["audit", "trace", UNKNOWN_ID],
         f"inget uppdrag med id {UNKNOWN_ID}", "finns_inte", "uppdrag"),
    Case("as-of-unknown-id", lambda w: ["audit", "as-of", "2027-06-01", "--id", UNKNOWN_ID],
         f"ingen post med id {UNKNOWN_ID}", "okant_id", "id"),
    Case("interim-period-beyond-the-styrmodell",
         lambda w: ["rapport", "delar", "--ar", "2027", "--period", "2"],
         "Delårsperiod 2 finns inte: styrmodellen har en delårsperiod; ange --period 1 eller utelämna den.",
         "okand_delarsperiod", "period"),
    # The kind of record named with its gender: 'inget uppdrag', 'ett beslut'.
    Case("avvikelse-about-an-unknown-uppdrag", lambda w: [
        "avvikelse", "report", "--as", "kommundirektor", "--about", "uppdrag", "--ref", UNKNOWN_ID,
        "--severity", "avvikelse", "--category", "ekonomi", "--description", "Underskott.",
        "--date", "2027-02-01",
    ], f"Det finns inget uppdrag med id {UNKNOWN_ID}.", "okant_uppdrag", "ref"),
    Case("accept-of-a-beslut", lambda w: ["uppdrag", "accept", w.plan, "--as", "kommundirektor"],
         "är inte ett uppdrag utan ett beslut.", "okant_uppdrag", "uppdrag"),
    Case("tree-of-unknown-beslut", lambda w: ["uppdrag", "tree", UNKNOWN_ID],
         f"ingen post med id {UNKNOWN_ID}", "okant_id", "beslut"),
    # A file that is not a checkpoint file is a wrong argument, not evidence of tampering.
    Case("empty-checkpoint-file", verify("tom.json"), "ingen kontrollpunktsfil: den är tom",
         "kontrollpunktsfil", "checkpoints"),
    Case("other-json", verify("annan.json"), "ingen kontrollpunktsfil: den saknar formatmärket",
         "kontrollpunktsfil", "checkpoints"),
    Case("json-list", verify("lista.json"), "ingen kontrollpunktsfil: den saknar formatmärket",
         "kontrollpunktsfil", "checkpoints"),
    Case("not-json", verify("text.txt"), "ingen kontrollpunktsfil: den är inte JSON",
         "kontrollpunktsfil", "checkpoints"),
    Case("other-format", verify("v2.json"), "den har formatet 'lerum-flow/kontrollpunkter/v2'",
         "kontrollpunktsfil", "checkpoints"),
    Case("a-directory", verify("en-katalog"), "ingen kontrollpunktsfil: det är en katalog",
         "kontrollpunktsfil", "checkpoints"),
    Case("missing-file", verify("finns-inte.json"), "finns-inte.json finns inte",
         "kontrollpunktsfil", "checkpoints"),
    # A file to write where no folder is: the path named, in Swedish, never an internal error.
    Case("report-into-a-missing-folder",
         lambda w: ["rapport", "arsredovisning", "--ar", "2027", "--ut", str(w.files / "saknas" / "r.html")],
         "saknas/r.html går inte att använda: den, eller katalogen den ska ligga i, finns inte", "fil", None),
    Case("registered-report-into-a-missing-folder",
         lambda w: ["rapport", "arsredovisning", "--ar", "2027", "--registrera", "--as", "ks",
                    "--ut", str(w.files / "saknas" / "r.html")],
         "saknas/r.html går inte att använda", "fil", None),
    Case("report-onto-a-directory",
         lambda w: ["rapport", "arsredovisning", "--ar", "2027", "--ut", str(w.files / "en-katalog")],
         "en-katalog går inte att använda: det är en katalog, inte en fil", "fil", None),
    Case("keys-into-a-missing-folder", lambda w: ["audit", "keygen", str(w.files / "saknas" / "revisorer")],
         "revisorer.privat.pem går inte att använda: den, eller katalogen", "fil", None),
    Case("keys-named-by-nothing", lambda w: ["audit", "keygen", ""],
         "'.' är inget filnamn; ange början av filnamnen", "nyckelns_namn", "name"),
    Case("keys-named-by-a-folder", lambda w: ["audit", "keygen", str(w.files / "en-katalog")],
         "en-katalog' är inget filnamn; ange början av filnamnen, t.ex.", "nyckelns_namn", "name"),
    Case("template-into-a-missing-folder",
         lambda w: ["styrmodell", "init", str(w.files / "saknas" / "modell.toml")],
         "modell.toml kan inte skrivas: den, eller katalogen den ska ligga i, finns inte", "kan_inte_skriva",
         "file"),
]
# fmt: on


def _one_line(text: str) -> str:
    # Rich wraps long messages; compare the words, not the line breaks.
    return " ".join(text.split())


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_refusal_exits_1_in_swedish_as_text_and_json_and_records_nothing(
    world: World, case: Case
) -> None:
    """Text: message and rule on stderr, nothing on stdout; --json: the refusal document; no event added."""
    before = world.cli.event_count()
    args = case.args(world)

    as_text = world.cli(*args)
    as_json = world.cli("--json", *args)

    assert as_text.exit_code == 1, as_text.output
    assert case.says in _one_line(as_text.stderr)
    assert f"regel: {case.rule}" in as_text.stderr
    assert as_text.stdout == ""
    assert as_json.exit_code == 1, as_json.output
    refusal = json.loads(as_json.stdout)
    assert (refusal["regel"], refusal["falt"]) == (case.rule, case.field)
    assert case.says in refusal["meddelande"]
    assert refusal["fel"] in ("ogiltig_indata", "finns_inte")
    assert world.cli.event_count() == before


def test_a_refusal_says_once_that_nothing_was_recorded(world: World, tmp_path: Path) -> None:
    """The message itself does not end in 'inget registrerades': the line under it says so, once."""
    not_held = world.cli(*take(), "--person", "p-utan-forordnande")
    store = world.cli.data_dir / "governance.db"
    read_only = world.cli("--database-url", f"sqlite:///{store}?mode=ro", *take())

    for refused in (not_held, read_only):
        assert refused.exit_code == 1, refused.output
        assert _one_line(refused.stderr).lower().count("inget registrerades") == 1, refused.stderr


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["organisation", "list", "--date", "2027-13-01"], id="organisation-list"),
        pytest.param(["audit", "as-of", "2027-13-01"], id="audit-as-of"),
        pytest.param(["beslut", "register", "--from", "2027-13-01"], id="beslut-register"),
    ],
)
def test_a_refused_read_does_not_say_that_nothing_was_recorded(world: World, args: list[str]) -> None:
    """A read never records: its refusal names the problem and the rule, and stops there."""
    refused = world.cli(*args)

    assert refused.exit_code == 1, refused.output
    assert "regel: datum" in refused.stderr
    assert "inget registrerades" not in refused.stderr.lower()


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(lambda w: issue("Fel dag", "--date", "2027-13-01")(w), id="uppdrag-issue"),
        # Refused before the command is built: the root shows the refusal, still as a write's.
        pytest.param(lambda w: ["uppdrag", "accept", w.uppdrag, "--as", "kommundirektor", "--date", ""],
                     id="uppdrag-accept"),
        pytest.param(lambda w: ["rapport", "arsredovisning", "--ar", "2027", "--registrera",
                                "--as-of", "2027-13-01"], id="rapport-registrera"),
    ],
)  # fmt: skip
def test_a_refused_write_says_once_that_nothing_was_recorded(
    world: World, args: Callable[[World], list[str]]
) -> None:
    """A command that records ends its refusal by saying it did not."""
    refused = world.cli(*args(world))

    assert refused.exit_code == 1, refused.output
    assert _one_line(refused.stderr).count("Inget registrerades.") == 1, refused.stderr


def test_each_field_at_fault_is_named_by_its_option_in_the_text(world: World) -> None:
    """'--title: ... --date: ...' on the terminal, as typed; the JSON keeps the field names."""
    args = ["beslut", "take", "--organ", "ks", "--kind", "ovrigt", "--diarienummer", "KS 2027/9",
            "--paragraf", "§ 9", "--title", " ", "--date", "2027-02-30"]  # fmt: skip

    as_text = _one_line(world.cli(*args).stderr)
    as_json = json.loads(world.cli("--json", *args).stdout)

    assert "--title: Får inte vara tomt. --date: '2027-02-30' är inget datum som finns" in as_text
    assert as_json["meddelande"].startswith("title: Får inte vara tomt. date: '2027-02-30'")


def test_a_refusal_about_the_database_names_the_option_as_typed(world: World) -> None:
    """'gäller --database-url', not the bare field name, also for a refusal caught at the root."""
    several = world.cli("kommun", "list")

    assert several.exit_code == 1
    assert "(gäller --database-url, regel: kommun_kraver_postgresql)" in several.stderr


def test_a_refused_name_leaves_the_directory_as_it_was(world: World) -> None:
    """The directory keeps the name it had when a name with a control character is refused."""
    assert world.cli("katalog", "set", "p-1", "--name", "Anna Andersson").exit_code == 0

    refused = world.cli("katalog", "set", "p-1", "--name", "Anna\u202eAndersson")

    assert refused.exit_code == 1
    assert json.loads(world.cli("--json", "katalog", "list").stdout) == {"p-1": "Anna Andersson"}


def test_a_multi_line_text_keeps_newlines_and_tabs_and_stores_windows_line_ends_plain(world: World) -> None:
    """A reason may have several lines and tabs; CRLF is stored as LF."""
    world.cli.record(
        "uppdrag", "withdraw", world.uppdrag, "--as", "ks",
        "--reason", "Första raden.\r\nAndra raden:\tmed tabb.", "--date", "2027-02-01",
    )  # fmt: skip

    withdrawn = world.cli.history(world.uppdrag)[-1]["uppgifter"]

    assert withdrawn["skal"] == "Första raden.\nAndra raden:\tmed tabb."


def test_emoji_and_words_needing_zero_width_joiners_are_accepted(world: World) -> None:
    """ZWJ and ZWNJ are needed to write some words and emoji; they are not refused."""
    title = "Familj 👨\u200d👩\u200d👧 och می\u200cخواهم"

    recorded = world.cli("--json", *issue(title)(world))

    assert recorded.exit_code == 0, recorded.output
    assert world.cli.history(json.loads(recorded.stdout)["id"])[0]["uppgifter"]["rubrik"] == title


def test_reads_answer_for_a_position_established_since(world: World) -> None:
    """A position established at run time is known to the reads, as to the writes."""
    world.cli.record(
        "organisation", "establish", "--as", "vard-och-omsorg", "--id", "enhetschef-solgarden",
        "--name", "Enhetschef, Solgården", "--kind", "chef", "--parent", "vard-och-omsorg",
        "--date", "2027-01-10",
    )  # fmt: skip

    inbox = world.cli("uppdrag", "mine", "--as", "enhetschef-solgarden")
    board = world.cli("avvikelse", "board", "--level", "enhetschef-solgarden")

    assert inbox.exit_code == 0, inbox.output
    assert "Inget väntar på enhetschef-solgarden." in inbox.stdout
    assert board.exit_code == 0, board.output


def test_a_day_in_range_written_with_spaces_around_is_accepted(world: World) -> None:
    """The first and last accepted days, and spaces around a date, are fine."""
    first = world.cli("--json", *take("KS 1900/1", date=" 1900-01-01 "))
    last = world.cli("--json", *take("KS 2200/1", date="2200-12-31"))

    assert (first.exit_code, last.exit_code) == (0, 0), first.output + last.output


@pytest.mark.parametrize(
    "read",
    [
        ["beslut", "register"],
        ["avvikelse", "board"],
        ["uppdrag", "tree"],
        ["forordnande", "list"],
        ["audit", "authority", "ks", "--as-of", "2027-06-01"],
        ["uppdrag", "mine", "--as", "ks"],
        ["organisation", "list"],
        ["delegering", "register"],
        ["styrdokument", "register", "--organ", "ks"],
        ["internkontroll", "status", "2027"],
        ["audit", "history", UNKNOWN_ID],
    ],
    ids=lambda read: " ".join(read[:2]),
)
def test_a_read_of_a_folder_without_a_store_is_refused_and_creates_none(
    tmp_path: Path, read: list[str]
) -> None:
    """A mistyped --data-dir is named, not answered with an empty register from a store made for the read."""
    mistyped = tmp_path / "fel-katalog"
    cli = Cli(mistyped)

    as_text = cli(*read)
    as_json = cli("--json", *read)

    assert as_text.exit_code == 1, as_text.output
    assert f"Det finns inget händelselager i {mistyped / 'governance.db'}" in _one_line(as_text.stderr)
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["regel"] == "handelselager"
    assert not (mistyped / "governance.db").exists()


def test_a_field_named_inside_a_message_is_the_option_as_typed_in_the_text_and_the_key_in_json(
    world: World,
) -> None:
    """'ange --beslut' on the terminal, as before; the JSON names the key it reports as 'falt'."""
    args = ["uppdrag", "issue", "--as", "ks", "--to", "kommundirektor", "--title", "Utan ursprung",
            "--date", "2027-02-01"]  # fmt: skip

    as_text = _one_line(world.cli(*args).stderr)
    as_json = json.loads(world.cli("--json", *args).stdout)

    assert "ange --beslut, eller --part-of för ett deluppdrag." in as_text
    assert as_json["falt"] == "beslut"
    assert "ange 'beslut', eller 'part-of' för ett deluppdrag." in as_json["meddelande"]
    assert "--" not in as_json["meddelande"]
