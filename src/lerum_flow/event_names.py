"""What each kind of event is called in Swedish, for people reading histories, summaries and counts.

Stored topics and --json keep the English event names (`Uppdrag.Issued`); a
person reads "uppdrag givet".
"""

from __future__ import annotations

from collections.abc import Mapping

EVENT_NAMES: Mapping[str, str] = {
    "StyrmodellRecord.Adopted": "styrmodell antagen",
    "StyrmodellRecord.Changed": "styrmodell ändrad",
    "Befattning.Established": "befattning inrättad",
    "Befattning.Discontinued": "befattning avvecklad",
    "Forordnande.Appointed": "förordnad",
    "Forordnande.Reappointed": "förordnad på nytt",
    "Forordnande.Ended": "förordnande upphört",
    "Inforande.Recorded": "registret infört",
    "Rapportutkast.Made": "rapportutkast gjort",
    "Beslut.Taken": "beslut fattat",
    "Beslut.Corrected": "beslut rättat",
    "Beslut.Reported": "delegationsbeslut anmält",
    "Delegering.Granted": "delegering given",
    "Delegering.Revoked": "delegering återkallad",
    "Uppdrag.Issued": "uppdrag givet",
    "Uppdrag.Accepted": "uppdrag mottaget",
    "Uppdrag.Reported": "uppdrag återrapporterat",
    "Uppdrag.ReportAccepted": "återrapport godkänd",
    "Uppdrag.ReportReturned": "återrapport återförvisad",
    "Uppdrag.Revised": "uppdrag ändrat",
    "Uppdrag.Completed": "uppdrag slutfört",
    "Uppdrag.Withdrawn": "uppdrag återkallat",
    "Avvikelse.Reported": "avvikelse rapporterad",
    "Avvikelse.Assessed": "avvikelse bedömd",
    "Avvikelse.Acknowledged": "avvikelse kvitterad",
    "Avvikelse.Escalated": "avvikelse eskalerad",
    "Avvikelse.DeadlineMissed": "kvittensfrist missad",
    "Avvikelse.Informed": "nivå informerad",
    "Avvikelse.ActionDecided": "åtgärd beslutad",
    "Avvikelse.Closed": "avvikelse stängd",
    "Internkontrollplan.Opened": "internkontrollplan upprättad",
    "Internkontrollplan.RiskIdentified": "risk bedömd",
    "Internkontrollplan.ControlPlanned": "kontroll planerad",
    "Internkontrollplan.Adopted": "internkontrollplan antagen",
    "Internkontrollplan.ControlHandedOver": "kontroll överlämnad",
    "Internkontrollplan.ResultRecorded": "kontroll utförd",
    "Internkontrollplan.Reported": "internkontroll rapporterad",
    "Internkontrollbedomning.Assessed": "intern kontroll bedömd av KS",
    "Styrdokument.Adopted": "styrdokument antaget",
    "Styrdokument.Revised": "styrdokument reviderat",
    "Styrdokument.Reviewed": "styrdokument aktualitetsprövat",
    "Styrdokument.Repealed": "styrdokument upphävt",
    "Styrdokument.Superseded": "styrdokument ersatt",
    "Styrdokument.ReviewFlagged": "styrdokument flaggat för översyn",
}


def event_name(event: str) -> str:
    """The Swedish name of an event given as `Uppdrag.Issued` or as its topic `lerum_flow:Uppdrag.Issued`.

    An event without a Swedish name (from a newer version) keeps its own.
    """
    short = event.rpartition(":")[2]
    return EVENT_NAMES.get(short, short)
