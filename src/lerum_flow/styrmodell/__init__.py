"""The municipality's styrmodell as a validated data file, with Lerum's as the shipped default."""

from lerum_flow.styrmodell.file_fields import BeslutsomradeKategori
from lerum_flow.styrmodell.loading import (
    default_styrmodell,
    load_styrmodell,
    parse_styrmodell,
    shipped_styrmodell_path,
    template_text,
    validate_styrmodell_file,
)
from lerum_flow.styrmodell.model import (
    Allvarlighetsgrad,
    Bedomningsniva,
    Befattning,
    Beslutsomrade,
    Dag,
    Dokumenttyp,
    Eskaleringsniva,
    Internkontroll,
    Kalender,
    Kommun,
    Styrmodell,
    Uppfoljningsled,
    Valordning,
)
from lerum_flow.styrmodell.problems import Problem, StyrmodellInvalid

__all__ = [
    "Allvarlighetsgrad",
    "Bedomningsniva",
    "Befattning",
    "Beslutsomrade",
    "BeslutsomradeKategori",
    "Dag",
    "Dokumenttyp",
    "Eskaleringsniva",
    "Internkontroll",
    "Kalender",
    "Kommun",
    "Problem",
    "Styrmodell",
    "StyrmodellInvalid",
    "Uppfoljningsled",
    "Valordning",
    "default_styrmodell",
    "load_styrmodell",
    "parse_styrmodell",
    "shipped_styrmodell_path",
    "template_text",
    "validate_styrmodell_file",
]
