"""The arrows between the wings (docs/arkitektur.md), read from every import in the code.

Every `import` counts, also those inside functions (the CLI loads its commands
lazily) and those only for type checking: a dependency is a dependency. A
known exception names the importer, the imported module and why it is still
there; any other import against an arrow fails, and so does an exception
that is no longer true (remove it then).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# The three top-level folders and the package name each is imported under.
ROOTS = {
    REPOSITORY / "src" / "lerum_flow": "lerum_flow",
    REPOSITORY / "workflows": "lerum_flow.workflows",
    REPOSITORY / "projections": "lerum_flow.projections",
}
# src/lerum_flow/{workflows,projections} are symlinks to the folders above.
LINKED = {"workflows", "projections"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root, package in ROOTS.items():
        for path in sorted(root.rglob("*.py")):
            relative = path.relative_to(root)
            if package == "lerum_flow" and relative.parts[0] in LINKED:
                continue
            parts = [p for p in relative.with_suffix("").parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _imported(module: str, path: Path) -> Iterator[str]:
    """The project's modules that `module` imports, anywhere in its body."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")[: len(module.split(".")) - node.level + is_package]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from lerum_flow import commands` imports the module lerum_flow.commands.
                candidate = f"{base}.{alias.name}"
                yield candidate if candidate in MODULES else base


def _edges() -> set[tuple[str, str]]:
    return {
        (module, imported)
        for module, path in MODULES.items()
        for imported in _imported(module, path)
        if imported == "lerum_flow" or imported.startswith("lerum_flow.")
    }


EDGES = _edges()


def within(*prefixes: str) -> Callable[[str], bool]:
    """A wing: the modules named by `prefixes` and everything below them."""

    def contains(module: str) -> bool:
        return any(module == p or module.startswith(f"{p}.") for p in prefixes)

    return contains


@dataclass(frozen=True)
class Arrow:
    """No module of `importer` may import a module of `imported`, but `unless` (also a wing)."""

    name: str
    importer: Callable[[str], bool]
    imported: Callable[[str], bool]
    unless: Callable[[str, str], bool] = lambda importer, imported: False

    def broken_by(self) -> set[tuple[str, str]]:
        return {
            (a, b)
            for a, b in EDGES
            if self.importer(a) and self.imported(b) and not self.unless(a, b) and a != b
        }


DOMAIN = within("lerum_flow.domain")
APPLICATION = within(
    "lerum_flow.application",
    "lerum_flow.governing_model",
    "lerum_flow.recording",
    "lerum_flow.reading",
    "lerum_flow.styrdokument_use_cases",
    "lerum_flow.avvikelse_use_cases",
    "lerum_flow.internkontroll_cases",
    "lerum_flow.internkontroll_commands",
    "lerum_flow.appointments",
    "lerum_flow.staffing",
)
PROJECTIONS = within("lerum_flow.projections")
INTEGRITY = within("lerum_flow.integrity")
WORKFLOWS = within("lerum_flow.workflows")
CLI = within("lerum_flow.cli")
DEMO = within("lerum_flow.demo")
BENCH = within("lerum_flow.bench")
REPORTS = within("lerum_flow.reports")
RELAY = within("lerum_flow.relay", "lerum_flow.relay_routes", "lerum_flow.relay_styrdokument")
# What an entrypoint may start or serve of the workflows: starters, the worker and their messages,
# and the escalation's standing (`read_lage`: where a deviation lies and until when), a plain read
# of the record without Temporal that the board and the escalation's activity share.
WORKFLOW_DOORS = within(
    "lerum_flow.workflows.starter",
    "lerum_flow.workflows.worker",
    "lerum_flow.workflows.worker_process",  # the worker as deployed: probes, metrics, graceful stop
    "lerum_flow.workflows.fleet",  # one worker process for every municipality of a deployment
    "lerum_flow.workflows.models",
    "lerum_flow.workflows.arshjul.models",
    "lerum_flow.workflows.mandatperiod.models",
    "lerum_flow.workflows.uppfoljning.models",  # the follow-up's step of the årshjul's plan
    "lerum_flow.workflows.eskalering.models",
    "lerum_flow.workflows.eskalering.lage",
    "lerum_flow.workflows.internkontroll.starter",
    "lerum_flow.workflows.internkontroll.models",
)

ARROWS = [
    Arrow("the domain imports nothing of the project", DOMAIN, lambda m: not DOMAIN(m)),
    Arrow(
        "nothing imports the bench but its entry point",
        lambda m: not BENCH(m),
        BENCH,
        unless=lambda a, b: a == "lerum_flow.cli.bench",
    ),
    Arrow(
        "nothing imports the demo but its entry point and the bench",
        lambda m: not (DEMO(m) or BENCH(m)),
        DEMO,
        # `bench generate` records the demo's generated Lerum.
        unless=lambda a, b: (
            a in {"lerum_flow.cli.demo", "lerum_flow.cli.demo_summary", "lerum_flow.cli.bench"}
        ),
    ),
    Arrow(
        "projections read the domain and the log, not the application, workflows or entrypoints",
        PROJECTIONS,
        within(
            "lerum_flow.application",
            "lerum_flow.recording",
            "lerum_flow.workflows",
            "lerum_flow.cli",
            "lerum_flow.demo",
            "lerum_flow.bench",
            "lerum_flow.integrity",
        ),
    ),
    Arrow(
        "the integrity chain is not a read model: it reads the stored rows, not views or the application",
        INTEGRITY,
        within(
            "lerum_flow.projections",
            "lerum_flow.application",
            "lerum_flow.recording",
            "lerum_flow.reading",
            "lerum_flow.workflows",
            "lerum_flow.cli",
            "lerum_flow.demo",
            "lerum_flow.bench",
        ),
    ),
    Arrow(
        "workflows import neither the entrypoints nor the projections",
        WORKFLOWS,
        within("lerum_flow.cli", "lerum_flow.projections", "lerum_flow.demo", "lerum_flow.bench"),
    ),
    Arrow(
        "workflows reach the relay through its contract; only the worker runs the relay",
        lambda m: WORKFLOWS(m) and m != "lerum_flow.workflows.worker",
        RELAY,
    ),
    Arrow(
        "the application imports no wing that depends on it",
        APPLICATION,
        within(
            "lerum_flow.projections",
            "lerum_flow.workflows",
            "lerum_flow.cli",
            "lerum_flow.demo",
            "lerum_flow.bench",
            "lerum_flow.relay",
            "lerum_flow.relay_routes",
        ),
    ),
    Arrow(
        "nothing of the engine imports the CLI",
        lambda m: not (CLI(m) or BENCH(m)),  # the bench is an entry point: it prints as the CLI does
        CLI,
    ),
    Arrow(
        "reports read the record through the as-of replay: not the application, the chain or an entry point",
        REPORTS,
        within(
            "lerum_flow.application",
            "lerum_flow.recording",
            "lerum_flow.reading",
            "lerum_flow.integrity",
            "lerum_flow.cli",
            "lerum_flow.demo",
            "lerum_flow.bench",
            "lerum_flow.relay",
        ),
    ),
    Arrow(
        "reports reach workflows only through their doors (the årshjul's plan)",
        REPORTS,
        lambda m: WORKFLOWS(m) and not WORKFLOW_DOORS(m),
    ),
    Arrow(
        "a report's figures are pure: they read nothing, draw nothing and write nothing",
        within("lerum_flow.reports.figures"),
        within(
            "lerum_flow.reports.gather",
            "lerum_flow.reports.making",
            "lerum_flow.reports.charts",
            "lerum_flow.reports.html",
            "lerum_flow.reports.pdf",
            "lerum_flow.log_pages",
            "lerum_flow.projections.log",
            "lerum_flow.projections.store",
            "lerum_flow.projections.runner",
        ),
    ),
    Arrow(
        "entrypoints reach workflows only through starters, the worker and their messages",
        CLI,
        lambda m: WORKFLOWS(m) and not WORKFLOW_DOORS(m),
    ),
]

# Imports against an arrow that work under way removes; each with why it is still there.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("lerum_flow.projections.log", "lerum_flow.application"): (
        "The log pager names its Application after Governance (`Governance.name`) to read the same "
        "store; the split of Governance gives that name a home below the application."
    ),
}


@pytest.mark.parametrize("arrow", ARROWS, ids=lambda arrow: arrow.name)
def test_no_import_goes_against_an_arrow(arrow: Arrow) -> None:
    """Every import between wings goes the way docs/arkitektur.md allows, known exceptions aside."""
    broken = arrow.broken_by() - KNOWN_EXCEPTIONS.keys()
    assert not broken, f"{arrow.name}: " + ", ".join(f"{a} -> {b}" for a, b in sorted(broken))


def test_every_known_exception_is_still_an_import_against_an_arrow() -> None:
    """An exception that no longer breaks an arrow is removed from the list, so it cannot hide a new one."""
    still = {edge for arrow in ARROWS for edge in arrow.broken_by()}
    assert set(KNOWN_EXCEPTIONS) <= still, sorted(set(KNOWN_EXCEPTIONS) - still)


def test_the_imports_read_include_lazy_ones_inside_functions() -> None:
    """The reader sees what the CLI imports inside its functions and `from package import module`."""
    assert ("lerum_flow.cli.command_index", "lerum_flow.cli.bench") in EDGES
    assert ("lerum_flow.cli.bench", "lerum_flow.bench.suite") in EDGES
    assert ("lerum_flow.workflows.governance_steps", "lerum_flow.commands") in EDGES
    assert all(module.startswith("lerum_flow") for module in MODULES)
    assert {
        "lerum_flow.domain.values",
        "lerum_flow.workflows.arshjul.workflow",
        "lerum_flow.projections.log",
    } <= set(MODULES)


ARCHITECTURE = REPOSITORY / "docs" / "arkitektur.md"
CITATION = re.compile(r'docs/arkitektur\.md, (?:"(?P<section>[^"]+)"|rule (?P<rule>\d))')


def test_the_architecture_document_stands_alone() -> None:
    """It points to no document outside the repository."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    assert "../" not in text
    assert not re.search(r"DESIGN\.md|STYRMODELL\.md|GLOSSARY|TECH-NOTES|STYLE\.md", text)


def test_every_section_and_rule_the_code_cites_is_in_the_architecture_document() -> None:
    """A comment citing `docs/arkitektur.md, "Time"` or `rule 2` finds that heading or rule there."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    headings = {line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")}
    rules = set(re.findall(r"^(\d)\. \*\*", text, flags=re.MULTILINE))
    sources = [*MODULES.values(), *(REPOSITORY / "tests").rglob("*.py")]
    cited = [m for path in sources for m in CITATION.finditer(path.read_text(encoding="utf-8"))]
    assert cited, "no citation found: the scan is broken"
    for citation in cited:
        if citation["section"]:
            assert citation["section"] in headings, citation[0]
        else:
            assert citation["rule"] in rules, citation[0]
