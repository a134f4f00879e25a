"""The styrmodell file format: pydantic models whose field names are the file's Swedish keys.

These models check each value on its own (types, allowed values, real dates);
how the parts refer to each other is checked in `references`. Lists are kept in
file order, so an index in a problem's location ("befattning[3]") is the
position in the file, counting from 0.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from lerum_flow.domain.law import Matter
from lerum_flow.domain.styrkedja import Position, PositionKind, Styrkedja
from lerum_flow.domain.values import BeslutKind
from lerum_flow.input_dates import EARLIEST, LATEST
from lerum_flow.styrmodell.file_fields import (
    ERROR_TYPE_PREFIX,
    Beskrivning,
    BeslutsomradeKategori,
    Kind,
    KindName,
    Kommunkod,
    Manad,
    Namn,
    OrganKindName,
    Ref,
    Slug,
)

# Deadlines recur every year, so a date that exists only in leap years would
# silently vanish three years in four: check against a common year.
_COMMON_YEAR = 2023
_WEEKDAYS = ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag")
_BESLUT_KINDS = frozenset(kind.value for kind in BeslutKind)


class _Fil(BaseModel):
    # TOML values are already typed, so coercing "51" to 51 would only hide a
    # mistake; an unknown key is usually a misspelt known one.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Kommun(_Fil):
    kod: Kommunkod
    namn: Namn


class Befattning(_Fil):
    """An organ or an office in the fixed upper part of the styrkedja."""

    id: Slug
    namn: Namn
    slag: Kind
    under: Ref | None = None
    ledamoter: Annotated[int, Field(ge=1, le=1000)] | None = None
    ordforande: Ref | None = None

    def position(self) -> Position:
        return Position(
            id=self.id,
            name=self.namn,
            kind=self.slag,
            parent=self.under,
            members=self.ledamoter,
            chair=self.ordforande,
        )


class Bedomningsniva(_Fil):
    kod: Slug
    namn: Namn
    farg: Beskrivning | None = None


class Beslutsomrade(_Fil):
    """A kind of matter, the organ that holds it originally (by law or reglemente), and the kinds
    of decision taken in it: all that a delegate in the matter may take."""

    kod: Slug
    namn: Namn
    innehavare: Ref
    kategori: Annotated[BeslutsomradeKategori, Strict(False)]
    beslutsslag: Annotated[list[Annotated[BeslutKind, Strict(False)]], Field(min_length=1)]

    @model_validator(mode="before")
    @classmethod
    def _default_beslutsslag(cls, data: object) -> object:
        # Files written before matters named their kinds still load: a matter named
        # after a kind of decision ('budget') covers that kind, any other one
        # individual cases ('ovrigt').
        if isinstance(data, dict) and "beslutsslag" not in data:
            kod = data.get("kod")
            kind = kod if isinstance(kod, str) and kod in _BESLUT_KINDS else BeslutKind.OVRIGT.value
            return {**data, "beslutsslag": [kind]}
        return data

    def matter(self) -> Matter:
        """The matter as the law's rules read it."""
        return Matter(
            code=self.kod,
            category=self.kategori,
            holder=self.innehavare,
            kinds=frozenset(str(kind) for kind in self.beslutsslag),
        )


class Dokumenttyp(_Fil):
    """A kind of governing document: the decision that adopts it and by whom, what it derives
    from, and how often it is reviewed (aktualitetsprövas); without an interval it is not."""

    kod: Slug
    namn: Namn
    beslutsslag: Annotated[BeslutKind, Strict(False)]
    antas_av: Annotated[list[KindName], Field(min_length=1)]
    aktualitetsprovas_ar: Annotated[int, Field(ge=1, le=20)] | None = None
    # The owner is reminded this many days before the review is due.
    paminnelse_dagar: Annotated[int, Field(ge=1, le=365)] = 90
    # The types a document of this type may derive from (empty: any), and whether it must.
    overordnade: list[Slug] = Field(default_factory=list)
    kraver_overordnad: bool = False


class Allvarlighetsgrad(_Fil):
    """A severity of avvikelse; with `direkt_till` it skips the levels below that kind."""

    kod: Slug
    namn: Namn
    direkt_till: Kind | None = None


class Eskaleringsniva(_Fil):
    """A level of the escalation and how long it has to acknowledge: in hours, or in minutes
    (`kvittens_minuter`, for a drill that runs in real time); one of the two."""

    slag: Kind
    kvittens_timmar: Annotated[int, Field(gt=0, le=8760)] | None = None
    kvittens_minuter: Annotated[int, Field(gt=0, le=8760 * 60)] | None = None

    @model_validator(mode="after")
    def _one_time_to_acknowledge(self) -> Eskaleringsniva:
        if (self.kvittens_timmar is None) == (self.kvittens_minuter is None):
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "kvittens_en_tid",
                "Ange tiden att kvittera med antingen kvittens_timmar eller kvittens_minuter, en av dem.",
            )
        return self

    def time_to_acknowledge(self) -> timedelta:
        if self.kvittens_minuter is not None:
            return timedelta(minutes=self.kvittens_minuter)
        return timedelta(hours=self.kvittens_timmar or 0)


class Dag(_Fil):
    """A day of the year (month and day), the same every year."""

    manad: Manad
    dag: Annotated[int, Field(ge=1, le=31)]

    @model_validator(mode="after")
    def _exists_every_year(self) -> Dag:
        last = calendar.monthrange(_COMMON_YEAR, self.manad)[1]
        if self.dag > last:
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "ogiltigt_datum",
                "Dag {dag} finns inte i månad {manad} varje år; sista dagen är {last}.",
                {"dag": self.dag, "manad": self.manad, "last": last},
            )
        return self

    def in_year(self, year: int) -> date:
        return date(year, self.manad, self.dag)


class Valordning(_Fil):
    """When the general election is held: every `intervall_ar` years from `forsta_valar`."""

    forsta_valar: Annotated[int, Field(ge=EARLIEST.year, le=LATEST.year)]
    intervall_ar: Annotated[int, Field(ge=1, le=10)]
    manad: Manad
    ordning: Annotated[int, Field(ge=1, le=4)]
    veckodag: Literal["mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"]
    beskrivning: Beskrivning | None = None

    def is_election_year(self, year: int) -> bool:
        # Years before the first are unknown to the model, not election-free by rule.
        return year >= self.forsta_valar and (year - self.forsta_valar) % self.intervall_ar == 0

    def valdag(self, year: int) -> date:
        """The election day in `year`, e.g. the 2nd Sunday of September."""
        weekday = _WEEKDAYS.index(self.veckodag)
        first = date(year, self.manad, 1)
        offset = (weekday - first.weekday()) % 7
        return first.replace(day=1 + offset + 7 * (self.ordning - 1))


class Uppfoljningsled(_Fil):
    """A routine follow-up edge: positions of kind `fran` report to the one above of kind `till`.

    The uppföljningsplan may name the day of the month the reports are due
    (`rapportdag`, the month's last day where it is shorter) and the areas
    reported on (`omraden`); without them `report_policy` decides.
    """

    fran: Kind
    till: Kind
    rapportdag: Annotated[int, Field(ge=1, le=31)] | None = None
    omraden: Annotated[list[Slug], Field(min_length=1)] | None = None


class Delarsperiod(_Fil):
    """An interim period of the year: the day it ends and the day its delårsrapport reaches KF."""

    slutar: Dag
    rapport_senast: Dag

    @model_validator(mode="after")
    def _report_after_the_period(self) -> Delarsperiod:
        if (self.rapport_senast.manad, self.rapport_senast.dag) <= (self.slutar.manad, self.slutar.dag):
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "delarsrapport_fore_perioden",
                "Delårsrapporten ska lämnas efter att perioden slutat, samma år.",
            )
        return self


class Bolagsrapportering(_Fil):
    """What each bolag owes in the årshjul: its delårsrapport and årsbokslut to KS, under KS's
    uppsikt (KL 6 kap. 1 §), `rapport_dagar_fore` days before the kommun's own report is due.
    A bolag adopts no verksamhetsplan of the kommun's: KF steers it by ägardirektiv."""

    rapport_dagar_fore: Annotated[int, Field(ge=1, le=90)] = 14


class Namndrapportering(Bolagsrapportering):
    """What each nämnd with its own förvaltning owes: its verksamhetsplan (with its internbudget),
    adopted after KF's budget and by `verksamhetsplan_senast` in year N-1, and, like a bolag, its
    delårsrapport and årsbokslut to KS ahead of the kommun's own."""

    verksamhetsplan_senast: Dag


class Kalender(_Fil):
    """The årshjul. For budget year N: the budget, verksamhetsplan and uppföljningsplan
    fall in year N-1; the interim period and report in N; the årsredovisning and
    ansvarsfrihet in N+1.
    """

    budget_senast: Dag
    budget_senast_valar: Dag
    mandatperiod_borjar: Dag
    uppfoljningsmanader: list[Manad]
    # The interim periods in the order of the year, each with its report's day. A file
    # written before there could be several names its one period with the two keys
    # below instead; `interim_periods` reads either.
    delarsperioder: list[Delarsperiod] = Field(default_factory=list)
    delarsperiod_slutar: Dag | None = None
    delarsrapport_senast: Dag | None = None
    verksamhetsplan_senast: Dag
    uppfoljningsplan_senast: Dag
    arsredovisning_senast: Dag
    ansvarsfrihet_senast: Dag
    uppfoljningsled: list[Uppfoljningsled]
    val: Valordning
    # The steps of each nämnd and each bolag; without the table none are planned.
    namnder: Namndrapportering | None = None
    bolag: Bolagsrapportering | None = None

    @model_validator(mode="after")
    def _periods_in_order(self) -> Kalender:
        single = (self.delarsperiod_slutar, self.delarsrapport_senast)
        if self.delarsperioder and any(day is not None for day in single):
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "delarsperiod_tva_satt",
                "Ange delårsperioderna antingen som listan delarsperioder eller med "
                "delarsperiod_slutar och delarsrapport_senast, inte båda.",
            )
        if not self.delarsperioder and any(day is None for day in single):
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "delarsperiod_saknas",
                "Minst en delårsperiod krävs: listan delarsperioder, eller delarsperiod_slutar "
                "och delarsrapport_senast.",
            )
        ends = [(p.slutar.manad, p.slutar.dag) for p in self.interim_periods()]
        if ends != sorted(set(ends)):
            raise PydanticCustomError(
                ERROR_TYPE_PREFIX + "delarsperioder_ordning",
                "Delårsperioderna ska stå i årets ordning och sluta på olika dagar.",
            )
        return self

    def interim_periods(self) -> list[Delarsperiod]:
        """The interim periods in the year's order, as a list in either form of the file."""
        if self.delarsperioder:
            return list(self.delarsperioder)
        # The validator has made sure both are given when the list is not.
        slutar, rapport = self.delarsperiod_slutar, self.delarsrapport_senast
        return [Delarsperiod(slutar=slutar, rapport_senast=rapport)] if slutar and rapport else []


def _day(manad: int, dag: int) -> Callable[[], Dag]:
    return lambda: Dag(manad=manad, dag=dag)


class Internkontroll(_Fil):
    """Internkontroll (KL 6 kap. 6 §): the kinds of organ that adopt a yearly plan, the risk scale
    (probability × consequence, level 1 first) and the deadlines of year N: the plan by `plan_senast`
    in N, the results with the delårsrapport (the kalender's day) in N and after the year by
    `rapport_senast` in N+1, KS's assessment of the whole by `bedomning_senast` in N+1.

    Every key has a default, so a file written before internkontroll was modelled still loads.
    """

    antas_av: Annotated[list[OrganKindName], Field(min_length=1)] = Field(
        default_factory=lambda: [str(PositionKind.STYRELSE), str(PositionKind.NAMND)]
    )
    sannolikhet: Annotated[list[Namn], Field(min_length=2, max_length=10)] = Field(
        default_factory=lambda: ["Osannolik", "Mindre sannolik", "Sannolik", "Mycket sannolik"]
    )
    konsekvens: Annotated[list[Namn], Field(min_length=2, max_length=10)] = Field(
        default_factory=lambda: ["Försumbar", "Lindrig", "Kännbar", "Allvarlig"]
    )
    plan_senast: Dag = Field(default_factory=_day(1, 31))
    rapport_senast: Dag = Field(default_factory=_day(2, 28))
    bedomning_senast: Dag = Field(default_factory=_day(3, 31))


class Styrmodell(_Fil):
    """A whole styrmodell file. Build it with `load_styrmodell`, which also checks
    that the parts refer to each other correctly.
    """

    kommun: Kommun
    befattning: Annotated[list[Befattning], Field(min_length=1)]
    # Kinds of position established at run time below the fixed part.
    nivaer_under: list[Kind] = Field(default_factory=lambda: [PositionKind.CHEF, PositionKind.MEDARBETARE])
    bedomningsskala: Annotated[list[Bedomningsniva], Field(min_length=2)]
    # Plural key because `beslutsomrade(kod)` is the lookup.
    beslutsomraden: list[Beslutsomrade]
    dokumenttyper: Annotated[list[Dokumenttyp], Field(min_length=1)]
    allvarlighetsgrader: Annotated[list[Allvarlighetsgrad], Field(min_length=1)]
    avvikelsekategorier: Annotated[list[Slug], Field(min_length=1)]
    eskalering: Annotated[list[Eskaleringsniva], Field(min_length=1)]
    kalender: Kalender
    internkontroll: Internkontroll = Field(default_factory=Internkontroll)

    def styrkedja(self) -> Styrkedja:
        return Styrkedja(b.position() for b in self.befattning)

    def assessment_codes(self) -> list[str]:
        return [niva.kod for niva in self.bedomningsskala]

    def severity_codes(self) -> list[str]:
        return [grad.kod for grad in self.allvarlighetsgrader]

    def beslutsomrade(self, kod: str) -> Beslutsomrade | None:
        return next((o for o in self.beslutsomraden if o.kod == kod), None)

    def allvarlighetsgrad(self, kod: str) -> Allvarlighetsgrad | None:
        return next((g for g in self.allvarlighetsgrader if g.kod == kod), None)

    def dokumenttyp(self, kod: str) -> Dokumenttyp | None:
        return next((d for d in self.dokumenttyper if d.kod == kod), None)

    def dokumenttyp_for(self, beslutsslag: str) -> Dokumenttyp | None:
        return next((d for d in self.dokumenttyper if d.beslutsslag == beslutsslag), None)

    def is_election_year(self, year: int) -> bool:
        return self.kalender.val.is_election_year(year)

    def mandate_election_year(self, day: date) -> int | None:
        """The election year whose mandate period `day` falls in (it begins on the calendar's day of
        the election year); None before the first election the calendar knows."""
        kalender = self.kalender
        for year in range(day.year, day.year - kalender.val.intervall_ar - 1, -1):
            if self.is_election_year(year) and kalender.mandatperiod_borjar.in_year(year) <= day:
                return year
        return None
