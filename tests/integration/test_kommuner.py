"""Many municipalities on one PostgreSQL: each in its own schema, none readable or writable from another.

Two municipalities are added through the command line (Lerum 1441 with its
styrmodell, Norrvik 9999 with its own); a command naming one never sees or
changes the other's records, each auditor role reads only its own schema,
and bad input to `kommun add` or `--kommun` is refused in Swedish and changes
nothing in the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from e2e.cli_world import run_in_process
from psycopg import sql
from unit.governance_world import staff, staffing_decisions

from lerum_flow.application import Governance, Outcome
from lerum_flow.settings import Settings

pytestmark = pytest.mark.postgres

MODELS = Path(__file__).resolve().parents[2] / "src" / "lerum_flow" / "styrmodell" / "modeller"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "styrmodell"
LERUM, NORRVIK = "1441", "9999"
# A third municipality with Lerum's organisation, under a kommunkod of its own.
GRANNBY = "1442"


def lerum_as(directory: Path, kod: str, namn: str) -> Path:
    """Lerum's styrmodell under another kommunkod and name, written to `directory`."""
    text = (MODELS / "lerum.toml").read_text(encoding="utf-8")
    path = directory / f"{kod}.toml"
    path.write_text(
        text.replace('kod = "1441"', f'kod = "{kod}"').replace('"Lerums kommun"', f'"{namn}"'),
        encoding="utf-8",
    )
    return path


def grannby_model(directory: Path) -> Path:
    return lerum_as(directory, GRANNBY, "Grannby kommun")


@dataclass(frozen=True)
class Deployment:
    url: str

    def cli(self, *args: str) -> tuple[int, str]:
        result = run_in_process(["--json", "--database-url", self.url, *args], env={})
        return result.exit_code, result.stdout

    def add(self, kod: str, model: Path) -> tuple[int, str]:
        return self.cli("kommun", "add", kod, "--styrmodell", str(model), "--from", "1900-01-01")

    def governance(self, kod: str) -> Governance:
        # No model given: the one the municipality's store recorded at `kommun add` governs.
        settings = Settings(database_url=self.url, kommun=kod, create_tables=False)
        return Governance(None, env=settings.eventsourcing_env())

    def staff(self, kod: str) -> list[Outcome]:
        """The municipality's fixed chain staffed through the application, in its own store."""
        governance = self.governance(kod)
        try:
            return staff(governance)
        finally:
            governance.close()

    def listed(self) -> dict[str, dict[str, object]]:
        code, out = self.cli("kommun", "list")
        assert code == 0, out
        return {k["kod"]: k for k in json.loads(out)["kommuner"]}

    def remove(self, *kods: str) -> None:
        """Drop the municipalities' schemas and auditor roles: roles outlive the test's database."""
        database = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as connection:
            for kod in kods:
                role = sql.Identifier(f"{database}_revisor_{kod}")
                schema = sql.Identifier(f"kommun_{kod}")
                connection.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(schema))
                if connection.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{database}_revisor_{kod}",)
                ).fetchone():
                    connection.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(role))
                    connection.execute(sql.SQL("DROP ROLE {}").format(role))

    def catalog(self) -> tuple[list[str], list[str], list[tuple[str, ...]]]:
        """What `kommun add` can change: the schemas, the roles, the register's rows."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            schemas = [r[0] for r in connection.execute("SELECT nspname FROM pg_namespace ORDER BY 1")]
            # The server's roles are shared with concurrent runs: only this database's are compared.
            roles = [
                r[0]
                for r in connection.execute(
                    "SELECT rolname FROM pg_roles WHERE starts_with(rolname, current_database()) ORDER BY 1"
                )
            ]
            rows = connection.execute(
                "SELECT * FROM lerum_kommuner.kommuner ORDER BY kod"
                if "lerum_kommuner" in schemas
                else "SELECT 1 WHERE false"
            ).fetchall()
        return schemas, roles, [tuple(str(v) for v in row) for row in rows]


@pytest.fixture
def deployment(postgres_database_url: str) -> Iterator[Deployment]:
    here = Deployment(postgres_database_url)
    assert here.add(LERUM, MODELS / "lerum.toml")[0] == 0
    assert here.add(NORRVIK, MODELS / "norrvik.toml")[0] == 0
    yield here
    here.remove(LERUM, NORRVIK)


def test_each_added_municipality_has_its_own_schema_model_and_only_the_recorded_model(
    deployment: Deployment,
) -> None:
    listed = deployment.listed()
    assert {k: (v["namn"], v["schema"], v["handelser"]) for k, v in listed.items()} == {
        LERUM: ("Lerums kommun", "kommun_1441", 1),
        NORRVIK: ("Norrviks kommun", "kommun_9999", 1),
    }
    for kod, name in ((LERUM, "Lerums kommun"), (NORRVIK, "Norrviks kommun")):
        code, out = deployment.cli("--kommun", kod, "styrmodell", "show")
        assert code == 0, out
        assert json.loads(out)["kommun"] == name


def test_a_command_naming_one_municipality_neither_sees_nor_changes_another(deployment: Deployment) -> None:
    outcomes = deployment.staff(LERUM)
    recorded = outcomes[-1].id
    code, out = deployment.cli("--kommun", LERUM, "audit", "history", str(recorded))
    assert code == 0, out
    code, out = deployment.cli("--kommun", NORRVIK, "audit", "history", str(recorded))
    assert code == 1
    assert json.loads(out)["regel"] == "okant_id"
    # Norrvik's styrkedja has no such organ: Lerum's people cannot act there, nothing is recorded.
    listed = deployment.listed()
    assert listed[NORRVIK]["handelser"] == 1
    assert listed[LERUM]["handelser"] == 1 + len(outcomes) + 1  # the staffing's acts and its marker


def test_a_municipalitys_auditor_role_reads_its_schema_only_and_writes_nothing(
    deployment: Deployment,
) -> None:
    roles = {k: str(v["revisorsroll"]) for k, v in deployment.listed().items()}
    with psycopg.connect(deployment.url, autocommit=True) as connection:
        connection.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(roles[LERUM])))
        own = connection.execute("SELECT count(*) FROM kommun_1441.governance_events").fetchone()
        assert own == (1,)
        for statement in (
            "SELECT count(*) FROM kommun_9999.governance_events",
            "SELECT count(*) FROM kommun_9999.lerum_schema_versions",
            "DELETE FROM kommun_1441.governance_events",
            "DELETE FROM lerum_kommuner.kommuner",
            "CREATE TABLE kommun_1441.mine (x int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)


@pytest.mark.parametrize(
    ("args", "rule"),
    [
        (("kommun", "add", "14a1", "--styrmodell", str(MODELS / "lerum.toml")), "kommunkod"),
        (("kommun", "add", LERUM, "--styrmodell", str(MODELS / "lerum.toml")), "kommun_finns"),
        (("kommun", "add", "1442", "--styrmodell", str(MODELS / "lerum.toml")), "fel_kommun"),
        (("--kommun", "1234", "audit", "history", "00000000-0000-0000-0000-000000000000"), "okand_kommun"),
        (("--kommun", "12345", "kommun", "list"), "kommunkod"),
    ],
    ids=[
        "malformed-code",
        "duplicate",
        "model-of-another-municipality",
        "unknown-kommun",
        "malformed-kommun",
    ],
)
def test_bad_input_is_refused_in_swedish_and_changes_nothing(
    deployment: Deployment, args: tuple[str, ...], rule: str
) -> None:
    before = deployment.catalog()
    code, out = deployment.cli(*args)
    assert code == 1
    refusal = json.loads(out)
    assert refusal["regel"] == rule, refusal
    assert "kommun" in refusal["meddelande"].lower()
    assert deployment.catalog() == before


def test_an_invalid_styrmodell_names_its_problems_and_adds_nothing(deployment: Deployment) -> None:
    before = deployment.catalog()
    code, out = deployment.cli("kommun", "add", "0001", "--styrmodell", str(FIXTURES / "no_root.toml"))
    assert code == 1
    assert "fullmaktige" in out
    assert deployment.catalog() == before


def test_an_auditor_of_one_municipality_reads_it_through_the_cli_and_is_refused_the_other(
    deployment: Deployment,
) -> None:
    outcomes = deployment.staff(LERUM)
    recorded = outcomes[-1].id
    role = str(deployment.listed()[LERUM]["revisorsroll"])
    login = f"{role}_anna"
    with psycopg.connect(deployment.url, autocommit=True) as owner:
        owner.execute(
            sql.SQL("CREATE ROLE {} LOGIN IN ROLE {}").format(sql.Identifier(login), sql.Identifier(role))
        )
    try:
        auditor = Deployment(deployment.url.replace("postgresql://postgres@", f"postgresql://{login}@"))
        code, out = auditor.cli("--kommun", LERUM, "audit", "history", str(recorded))
        assert code == 0, out
        before = deployment.catalog(), deployment.listed()
        code, out = auditor.cli("--kommun", NORRVIK, "audit", "history", str(recorded))
        assert code == 1
        assert json.loads(out)["regel"] == "annan_kommun"
        assert (deployment.catalog(), deployment.listed()) == before
        listed = auditor.listed()  # the register is public; the other's store is not
        assert (listed[LERUM]["handelser"], listed[NORRVIK]["handelser"]) == (1 + len(outcomes) + 1, None)
    finally:
        with psycopg.connect(deployment.url, autocommit=True) as owner:
            owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def test_the_web_door_opens_the_store_of_the_municipality_its_settings_name(deployment: Deployment) -> None:
    from lerum_flow.web.record import WebRecord

    deployment.staff(LERUM)
    listed = deployment.listed()
    for kod, name in ((LERUM, "Lerums kommun"), (NORRVIK, "Norrviks kommun")):
        record = WebRecord(Settings(database_url=deployment.url, kommun=kod))
        try:
            assert record.governance.styrmodell.kommun.namn == name
            assert record.head() == listed[kod]["handelser"]
            with record.views() as views:  # caught up in the municipality's own schema
                assert views.projector().head() == listed[kod]["handelser"]
        finally:
            record.close()


def test_kommun_migrate_brings_every_municipalitys_schema_to_the_programs_version(
    deployment: Deployment,
) -> None:
    from lerum_flow.schema import CURRENT_VERSION

    with psycopg.connect(deployment.url, autocommit=True) as owner:  # as if made by the previous program
        owner.execute("DELETE FROM kommun_9999.lerum_schema_versions WHERE number = %s", (CURRENT_VERSION,))
    assert deployment.listed()[NORRVIK]["schemaversion"] == CURRENT_VERSION - 1
    code, out = deployment.cli("kommun", "migrate")
    assert code == 0, out
    assert json.loads(out)["tillampade"] == {LERUM: [], NORRVIK: [CURRENT_VERSION]}
    assert {k: v["schemaversion"] for k, v in deployment.listed().items()} == {
        LERUM: CURRENT_VERSION,
        NORRVIK: CURRENT_VERSION,
    }


def test_a_role_that_may_not_create_roles_adds_nothing_and_is_told_who_may(
    deployment: Deployment, tmp_path: Path
) -> None:
    database = deployment.url.rsplit("/", 1)[1]
    login = f"{database}_drift"
    with psycopg.connect(deployment.url, autocommit=True) as owner:
        owner.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
        owner.execute(
            sql.SQL("GRANT CREATE ON DATABASE {} TO {}").format(*map(sql.Identifier, (database, login)))
        )
        owner.execute(sql.SQL("GRANT ALL ON SCHEMA lerum_kommuner TO {}").format(sql.Identifier(login)))
        owner.execute(sql.SQL("GRANT ALL ON lerum_kommuner.kommuner TO {}").format(sql.Identifier(login)))
    try:
        before = deployment.catalog()
        operator = Deployment(deployment.url.replace("postgresql://postgres@", f"postgresql://{login}@"))
        code, out = operator.add(GRANNBY, grannby_model(tmp_path))
        assert code == 1
        assert json.loads(out)["regel"] == "kommun_kraver_agare"
        assert deployment.catalog() == before
    finally:
        with psycopg.connect(deployment.url, autocommit=True) as owner:
            owner.execute(sql.SQL("DROP OWNED BY {} CASCADE").format(sql.Identifier(login)))
            owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))


def test_a_command_recorded_in_one_municipality_cannot_change_the_same_record_from_another(
    deployment: Deployment,
) -> None:
    deployment.staff(LERUM)
    lerum = deployment.governance(LERUM)
    try:
        decision = staffing_decisions(lerum)[0]
    finally:
        lerum.close()
    correction = (
        "beslut", "correct", str(decision), "--as", "kf", "--person", "p-kf", "--diarienummer", "KF 2027/1",
        "--title", "Val av ledamöter, rättad rubrik", "--reason", "Rubriken var fel.",
    )  # fmt: skip
    before = deployment.listed()
    code, out = deployment.cli("--kommun", NORRVIK, *correction)
    assert code == 1, out
    assert deployment.listed() == before
    code, out = deployment.cli("--kommun", LERUM, *correction)
    assert code == 0, out
    after = deployment.listed()
    assert after[LERUM]["handelser"] == int(str(before[LERUM]["handelser"])) + 1
    assert after[NORRVIK] == before[NORRVIK]
