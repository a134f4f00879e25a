"""Authority as a user meets it: a revocation names what falls with it, and the command and
`audit authority` give the same answer for the same day, naming the broken link."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e.cli_world import Cli

from lerum_flow.styrmodell import shipped_styrmodell_path


@dataclass(frozen=True)
class Chain:
    cli: Cli
    to_director: str
    to_sector: str


@pytest.fixture
def chain(cli: Cli) -> Chain:
    """KS delegates procurement to the director from 2027-01-01; the director passes it on to the
    sektorschef for lärande from 2027-01-04."""
    ordning = cli.record(
        "beslut", "take", "--organ", "ks", "--kind", "delegationsordning", "--matter", "delegationsordning",
        "--diarienummer", "KS 2026/451", "--paragraf", "§ 202", "--title", "Delegationsordning",
        "--date", "2026-12-14",
    )  # fmt: skip
    to_director = cli.record(
        "delegering", "grant", "--as", "ks", "--to", "kommundirektor", "--matter", "upphandling",
        "--beslut", ordning, "--valid-from", "2027-01-01",
    )  # fmt: skip
    own = cli.record(
        "beslut", "take", "--organ", "kommundirektor", "--kind", "delegationsordning",
        "--diarienummer", "KS 2027/3", "--title", "Vidaredelegation av upphandling",
        "--delegering", to_director, "--date", "2027-01-04",
    )  # fmt: skip
    to_sector = cli.record(
        "delegering", "grant", "--as", "kommundirektor", "--to", "larande", "--matter", "upphandling",
        "--beslut", own, "--under", to_director, "--valid-from", "2027-01-04",
    )  # fmt: skip
    return Chain(cli, to_director, to_sector)


def revoke(chain: Chain, *flags: str) -> str:
    result = chain.cli(
        *flags, "delegering", "revoke", chain.to_director, "--as", "ks", "--reason", "Ny ordning.",
        "--valid-from", "2027-03-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_revocation_names_the_vidaredelegationer_that_fall_with_it(chain: Chain) -> None:
    """The text says from which day which vidaredelegation falls; --json lists it under faller_med."""
    text = revoke(chain)
    assert "Faller med den från 2027-03-01: delegeringen" in text
    assert chain.to_sector in text
    again = json.loads(chain.cli("--json", "audit", "history", chain.to_director).stdout)
    assert [e["handelse"] for e in again] == ["Delegering.Granted", "Delegering.Revoked"]


def test_a_revocation_lists_what_falls_in_its_json(chain: Chain) -> None:
    """With --json the one document holds the outcome and the fallen vidaredelegationer."""
    outcome = json.loads(revoke(chain, "--json"))
    assert outcome["registrerad"] is True
    assert outcome["faller_med"] == [
        {"id": chain.to_sector, "delegat": "larande", "beviljad_av": "kommundirektor"}
    ]


def test_the_command_and_audit_authority_agree_on_a_fallen_vidaredelegation(chain: Chain) -> None:
    """The sektorschef's decision after the revocation is refused, recording nothing; `audit authority`
    for that day says the chain is broken at the same delegation, in the same words."""
    revoke(chain)
    before = chain.cli.event_count()
    refused = chain.cli(
        "--json", "beslut", "take", "--organ", "larande", "--kind", "ovrigt", "--diarienummer", "KS 2027/40",
        "--title", "Avtal om skolskjuts", "--delegering", chain.to_sector, "--date", "2027-04-01",
    )  # fmt: skip
    assert refused.exit_code == 1
    assert chain.cli.event_count() == before
    refusal = json.loads(refused.stdout)
    assert refusal["regel"] == "delegeringskedja"
    assert "återkallades från 2027-03-01" in refusal["meddelande"]

    audit = chain.cli("--json", "audit", "authority", "larande", "--as-of", "2027-04-01")
    [procurement] = json.loads(audit.stdout)["beslutanderatt"]
    assert procurement["giltig"] is False
    assert procurement["bruten_lank"]["delegering"] == chain.to_director
    assert procurement["bruten_lank"]["meddelande"] == refusal["meddelande"]
    text = chain.cli("audit", "authority", "larande", "--as-of", "2027-04-01").stdout
    assert "Kedjan är bruten" in text


def test_a_styrmodell_that_lets_kf_delegate_ansvarsfrihet_is_refused(cli: Cli, tmp_path: Path) -> None:
    """`styrmodell validate` exits 1 and names the reserved matter declared delegable."""
    shipped = shipped_styrmodell_path("lerum").read_text(encoding="utf-8")
    broken = tmp_path / "lerum.toml"
    broken.write_text(shipped.replace('kategori = "fullmaktige"', 'kategori = "arende"'), encoding="utf-8")
    result = cli("--json", "styrmodell", "validate", str(broken))
    assert result.exit_code == 1
    [problem] = json.loads(result.stdout)["problem"]
    assert problem["plats"] == "beslutsomraden[3].kategori"
    assert "'ansvarsfrihet'" in problem["meddelande"]
    assert "KL 5 kap. 1 § 7" in problem["meddelande"]


def test_as_of_and_audit_authority_agree_that_a_vidaredelegation_fell_with_its_parent(chain: Chain) -> None:
    """After the revocation `audit as-of` no longer lists the sektorschef's delegation as in force,
    as `audit authority` calls its chain broken; before it, both show it in force."""
    revoke(chain)

    def in_force(day: str) -> set[str]:
        shown = chain.cli("--json", "audit", "as-of", day)
        assert shown.exit_code == 0, shown.output
        return {d["id"] for d in json.loads(shown.stdout)["delegeringar"]}

    def carried(day: str) -> bool:
        audit = chain.cli("--json", "audit", "authority", "larande", "--as-of", day)
        [procurement] = json.loads(audit.stdout)["beslutanderatt"]
        return bool(procurement["giltig"])

    assert chain.to_sector in in_force("2027-02-01")
    assert carried("2027-02-01")
    assert chain.to_sector not in in_force("2027-04-01")
    assert not carried("2027-04-01")
