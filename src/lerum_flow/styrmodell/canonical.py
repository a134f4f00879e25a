"""A styrmodell's canonical content and digest: what a store records of the model it is governed by.

The content is the model's values as JSON with sorted keys, without values left
at their defaults: the same model gives the same content and digest however the
file is laid out or commented, and a key added to the format later (with a
default) leaves the digests of existing models as they were. The content is
enough to rebuild the model (`model_from_content`).
"""

from __future__ import annotations

import hashlib
import json

from lerum_flow.domain.styrmodell_record import ModelIdentity
from lerum_flow.styrmodell.loading import parse_styrmodell
from lerum_flow.styrmodell.model import Styrmodell


def canonical_content(model: Styrmodell) -> str:
    values = model.model_dump(mode="json", exclude_defaults=True)
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def identity_of(content: str, model: Styrmodell) -> ModelIdentity:
    """The model's identity: the sha256 of its canonical content and the municipality it names."""
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return ModelIdentity(digest=digest, municipality_code=model.kommun.kod, municipality=model.kommun.namn)


def model_from_content(content: str) -> Styrmodell:
    """The styrmodell a store recorded, rebuilt from its canonical content and checked again."""
    return parse_styrmodell(json.loads(content))
