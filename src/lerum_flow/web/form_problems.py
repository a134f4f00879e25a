"""A refused form's problems as its page shows them: each message at the field it concerns, and
in the error summary above the form under the label the form gives that field.

The commands name a field by its command-line option ('text', 'assessment'); a person knows it
by the form's label ('Återrapport', 'Bedömning'). The label is written once, where the form's
field is: the field says its label here while the page is rendered, and the summary, rendered
after the form though shown above it, names the field by it. A message naming a field inside
its words (`field_named`) names it by its label too, or by its key where the form has no such field.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lerum_flow.domain.errors import Refusal, key_quoted, worded

# The part of the page holding the forms: where the summary links a problem no field carries.
FORMS_ID = "formular"


@dataclass(frozen=True)
class SummaryLine:
    target: str
    text: str


@dataclass
class FormProblems:
    refusal: Refusal | None
    # The prefix of the form that came back refused ('' for a form whose ids carry none).
    sent: str = ""
    # Each field of the sent form that the page showed: its element id and its label.
    _shown: dict[str, tuple[str, str]] = field(default_factory=dict)

    def at(self, prefix: str, name: str, label: str, target: str = "") -> str:
        """The message for the field `name` of the form `prefix` ('' when it has none), and the field
        remembered for the summary; `target` is the element to link to when it is not the field's
        own id (the first choice of a group of radio buttons)."""
        if self.refusal is None or prefix != self.sent:
            return ""
        self._shown[name] = (target or (f"{prefix}-{name}" if prefix else name), label)
        return " ".join(
            worded(message, self.named) for at_fault, message in self.refusal.problems if at_fault == name
        )

    def named(self, key: str) -> str:
        """A field named inside a message: by the label the form gives it, else by its key."""
        shown = self._shown.get(key)
        return f"'{shown[1]}'" if shown else key_quoted(key)

    def summary(self) -> list[SummaryLine]:
        """One line for each problem: the field's label and its message, linking to the field, or
        the refusal's title and message, linking to the forms, where no field of the form is at fault."""
        if self.refusal is None:
            return []
        lines = []
        for at_fault, message in self.refusal.problems:
            if at_fault in self._shown:
                target, label = self._shown[at_fault]
                lines.append(SummaryLine(target, f"{label}: {worded(message, self.named)}"))
            else:
                lines.append(SummaryLine(FORMS_ID, f"{self.refusal.title}: {worded(message, self.named)}"))
        return lines
