"""`lerum-flow audit seal | verify | export | checkpoint export`: the auditors' integrity tools.

Seal the event log with a hash chain, prove later that nothing sealed was
altered, hand the auditors the checkpoints, and export evidence as of a date.
Verification and export only read: they work with the read-only revisor role.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from lerum_flow.cli import audit_offline
from lerum_flow.cli.context import existing_store, refusals, require_write, session
from lerum_flow.cli.output import console
from lerum_flow.cli.recording_command import RecordingCommand
from lerum_flow.cli.tables import safe
from lerum_flow.domain.errors import NotFound
from lerum_flow.input_dates import parse_day
from lerum_flow.integrity import (
    EVIDENCE_WRITERS,
    CheckpointFile,
    EvidenceRequest,
    Report,
    SealOutcome,
    evidence,
    open_stores,
    read_checkpoint_file,
    seal,
    signing,
    verify,
    write_checkpoint_file,
)
from lerum_flow.integrity.checkpoint_file import public_key_of
from lerum_flow.integrity.store_label import store_label
from lerum_flow.integrity.stores import CheckpointSignature
from lerum_flow.logs import get_logger
from lerum_flow.swedish_numbers import counted, number

# Beyond this many findings the text lists the first ones; --json lists all.
SHOWN_FINDINGS = 50

log = get_logger("lerum_flow.cli.audit")


class EvidenceFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"


def register(audit_app: typer.Typer) -> None:
    """Add the integrity commands to the `audit` group."""
    audit_app.command("keygen")(audit_offline.keygen_command)
    audit_app.command("seal", cls=RecordingCommand)(seal_command)
    audit_app.command("verify")(verify_command)
    audit_app.command("export")(export_command)
    audit_app.command("verify-export")(audit_offline.verify_export_command)
    checkpoint = typer.Typer(help="Kontrollpunkterna som revisorerna förvarar.", no_args_is_help=True)
    checkpoint.command("export")(checkpoint_export_command)
    audit_app.add_typer(checkpoint, name="checkpoint")


# --- composition ------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


# --- seal -------------------------------------------------------------------------


def seal_command(
    ctx: typer.Context,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--nyckel",
            metavar="FIL",
            help="Revisorernas privata nyckel (från 'audit keygen'): signerar varje ny länk och "
            "kontrollpunkten, så att ingen med tillgång till databasen kan räkna om dem.",
        ),
    ] = None,
) -> None:
    """Försegla händelselagret: kedja ihop alla nya händelser och spara en kontrollpunkt."""
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
        key = None if key_file is None else signing.read_private(key_file)
        with existing_store(cli) as governance:
            outcome = seal(*open_stores(governance, cli.settings), now=_now(), key=key)
    log.info("forseglat", new_events=outcome.new_events, checkpoint=_number_of(outcome))
    if cli.output.as_json:
        cli.output.json(outcome.as_dict())
        return
    out = console()
    checkpoint = outcome.checkpoint
    if checkpoint is None:
        out.print("Händelselagret är tomt; inget att försegla.")
    elif outcome.new_events == 0:
        out.print(
            f"Inga nya händelser sedan kontrollpunkt {checkpoint.number} "
            f"(position {number(checkpoint.position)}); ingen ny kontrollpunkt."
        )
    else:
        out.print(
            f"[green]Förseglat:[/] {counted(outcome.new_events, 'ny händelse', 'nya händelser')}, "
            f"kontrollpunkt {checkpoint.number} vid position {number(checkpoint.position)}."
        )
        out.print(f"Länk: {checkpoint.link}")
        out.print(f"Kontrollsumma att ange i revisionsrapporten: {signing.short_text(checkpoint.hash)}")
        if key_file is None:
            out.print(
                "[yellow]Osignerad:[/] utan --nyckel kan den som når databasen räkna om kontrollpunkten."
            )
        out.print("Exportera kontrollpunkterna till revisorerna: lerum-flow audit checkpoint export FIL")


def _number_of(outcome: SealOutcome) -> int | None:
    return None if outcome.checkpoint is None else outcome.checkpoint.number


# --- verify -----------------------------------------------------------------------


def verify_command(
    ctx: typer.Context,
    checkpoints: Annotated[
        Path | None,
        typer.Option(
            "--checkpoints",
            metavar="FIL",
            # Not checked by click (exit 2, English): a wrong file is refused as such, exit 1.
            help="Revisorernas kontrollpunktsfil (från 'audit checkpoint export'). Utan den "
            "prövas historiken bara mot kontrollpunkterna i databasen.",
        ),
    ] = None,
    public_key_file: Annotated[
        Path | None,
        typer.Option(
            "--publik-nyckel",
            metavar="FIL",
            help="Revisorernas publika nyckel (från 'audit keygen'). Utan den används nyckeln i "
            "kontrollpunktsfilen, om den har någon.",
        ),
    ] = None,
) -> None:
    """Bevisa att den förseglade historiken inte har ändrats; namnge varje händelse som har det.

    Slutkod 0 när allt är intakt, 1 när något har ändrats. Händelser efter den
    senaste förseglingen redovisas som ej förseglade; det är inget fel.
    """
    cli = session(ctx)
    with refusals(ctx):
        checkpoint_file = read_checkpoint_file(checkpoints) if checkpoints is not None else None
        key = _auditors_key(public_key_file, checkpoint_file)
        with existing_store(cli) as governance:
            report = verify(*open_stores(governance, cli.settings), checkpoint_file, key)
    log.info("verifierat", intact=report.intact, findings=len(report.findings), checked=report.checked)
    if cli.output.as_json:
        cli.output.json(report.as_dict())
    else:
        _show(report)
    raise typer.Exit(0 if report.intact else 1)


def _auditors_key(
    public_key_file: Path | None, checkpoint_file: CheckpointFile | None
) -> Ed25519PublicKey | None:
    if public_key_file is not None:
        return signing.read_public(public_key_file)
    return None if checkpoint_file is None else public_key_of(checkpoint_file)


def _show(report: Report) -> None:
    out = console()
    checkpoint = report.checkpoint
    against = "revisorernas kontrollpunktsfil" if report.against_file else "kontrollpunkterna i databasen"
    if report.against_key:
        against += " och revisorernas nyckel"
    if report.intact and checkpoint is not None:
        out.print(
            f"[green]Intakt:[/] {counted(report.checked, 'händelse', 'händelser')} stämmer med {against} "
            f"(kontrollpunkt {checkpoint.number}, position {number(checkpoint.position)}, "
            f"förseglad {checkpoint.sealed_at}, kontrollsumma {signing.short_text(checkpoint.hash)})."
        )
    elif report.intact:
        out.print("Inget är förseglat än; kör 'lerum-flow audit seal'.")
    else:
        out.print(
            f"[bold red]Historiken har ändrats sedan förseglingen:[/] "
            f"{number(len(report.findings) + report.omitted)} "
            f"avvikelser (prövat mot {against})."
        )
        for finding in report.findings[:SHOWN_FINDINGS]:
            out.print(f"  {safe(finding.message)}")
        hidden = len(report.findings) - SHOWN_FINDINGS
        if hidden > 0:
            out.print(f"  … och {number(hidden)} till (med --json).")
        if report.omitted:
            out.print(f"  … och {number(report.omitted)} som inte listas var för sig.")
    if report.unsealed:
        unsealed = counted(report.unsealed, "händelse", "händelser")
        out.print(f"{unsealed} efter den senaste förseglingen är ej förseglade.")


# --- checkpoint export ------------------------------------------------------------


def checkpoint_export_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FIL", dir_okay=False, help="Filen som skrivs (JSON).")],
) -> None:
    """Skriv kontrollpunkterna till en fil som lämnas till revisorerna och förvaras utanför databasen."""
    cli = session(ctx)
    with refusals(ctx):
        with existing_store(cli) as governance:
            _, seals = open_stores(governance, cli.settings)
            with seals.reading() as seal_view:
                checkpoints = seal_view.checkpoints()
                signatures = seal_view.checkpoint_signatures()
        if not checkpoints:
            raise NotFound(
                "Inget är förseglat än; kör 'lerum-flow audit seal' först.", rule="forseglat_lager"
            )
        public_key = _signing_key(signatures)
        write_checkpoint_file(
            file,
            checkpoints,
            exported_at=_now().isoformat(timespec="seconds"),
            store=store_label(cli.settings),
            public_key=public_key,
            signatures={number: signed.signature for number, signed in signatures.items()},
        )
    last = checkpoints[-1]
    if cli.output.as_json:
        cli.output.json(
            {
                "fil": str(file),
                "antal": len(checkpoints),
                "senaste": last.as_dict(),
                "kontrollsumma": signing.short_text(last.hash),
                "publik_nyckel": public_key,
            }
        )
        return
    console().print(
        f"Skrev {counted(len(checkpoints), 'kontrollpunkt', 'kontrollpunkter')} till {safe(str(file))} "
        "(senaste: nummer "
        f"{last.number}, position {number(last.position)}). Förvara filen utanför databasen."
    )
    console().print(f"Kontrollsumma för den senaste: {signing.short_text(last.hash)}")
    key = None if public_key is None else signing.public_key_from_hex(public_key)
    if key is not None:
        console().print(f"Signerad med nyckeln {signing.fingerprint(key)}; jämför med revisorernas.")


def _signing_key(signatures: dict[int, CheckpointSignature]) -> str | None:
    """The public key the latest signed checkpoint names; verification checks it against each."""
    return signatures[max(signatures)].public_key if signatures else None


# --- evidence export ----------------------------------------------------------------


def export_command(
    ctx: typer.Context,
    as_of: Annotated[
        str,
        typer.Option("--as-of", metavar="ÅÅÅÅ-MM-DD", help="Händelser som gällde denna dag eller tidigare."),
    ],
    out_file: Annotated[Path, typer.Option("--out", metavar="FIL", dir_okay=False, help="Filen som skrivs.")],
    file_format: Annotated[
        EvidenceFormat,
        typer.Option("--format", help="csv (öppnas i svenska Excel) eller jsonl (en händelse per rad)."),
    ] = EvidenceFormat.CSV,
    known_on: Annotated[
        str | None,
        typer.Option(
            "--known-on",
            metavar="ÅÅÅÅ-MM-DD",
            help="Bara det som var registrerat denna dag (svensk tid). Standard: allt som "
            "registrerats fram till exporten.",
        ),
    ] = None,
    position: Annotated[
        int | None,
        typer.Option(
            "--position",
            min=0,
            metavar="N",
            help="Läs historiken bara till denna position, för att återskapa ett tidigare underlag.",
        ),
    ] = None,
    reveal_secret: Annotated[
        bool,
        typer.Option(
            "--visa-sekretess",
            help="Ta med sekretessbelagda uppgifter i klartext; bara för den som har rätt att ta del "
            "av dem. Att de visas står i filens huvud. Utan flaggan döljs de och lagrummet visas.",
        ),
    ] = False,
) -> None:
    """Exportera revisionsunderlag: varje händelse som gällde ett datum, som den var känd ett datum."""
    cli = session(ctx)
    with refusals(ctx):
        request = EvidenceRequest(
            as_of=parse_day(as_of, field="as-of"),
            known_on=None if known_on is None else parse_day(known_on, field="known-on"),
            position=position,
            reveal_secret=reveal_secret,
        )
        with (
            existing_store(cli) as governance,
            evidence(
                *open_stores(governance, cli.settings),
                governance.mapper,
                request,
                exported_at=_now().isoformat(timespec="seconds"),
                store=store_label(cli.settings),
            ) as found,
        ):
            written = EVIDENCE_WRITERS[file_format.value](out_file, found)
    header = found.header
    log.info("revisionsunderlag", events=written, position=header.position, format=file_format.value)
    if cli.output.as_json:
        cli.output.json({"fil": str(out_file), "antal": written, **header.as_dict()})
        return
    console().print(
        f"Skrev {counted(written, 'händelse', 'händelser')} till {safe(str(out_file))} (position "
        f"{number(header.position)}, gällande per {header.as_of}"
        + (f", kända per {header.known_on})." if header.known_on else ").")
    )
