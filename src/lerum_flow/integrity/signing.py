"""The auditors' key: checkpoints and chain links signed with Ed25519, so whoever holds the
database can rewrite events, digests, chain and checkpoints but cannot sign the result.

The private key never enters the database: `audit keygen` writes it to a file the
auditors keep, `audit seal --nyckel` reads it for one seal. The public key goes
into the auditors' checkpoint file, and verification needs nothing else.
"""

from __future__ import annotations

import hashlib
import os
import struct
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.integrity.input_files import read_input_file, shown

# Labels keep a signature over a link from passing as one over a checkpoint, and the reverse.
_LINK_LABEL = b"lerum-flow signerad lank v1"
_CHECKPOINT_LABEL = b"lerum-flow signerad kontrollpunkt v1"
_INT64 = struct.Struct(">q")
RULE = "revisorernas_nyckel"


def link_message(position: int, link: bytes) -> bytes:
    """What is signed per event: the chain link there, which vouches for every event up to it."""
    return _LINK_LABEL + _INT64.pack(position) + link


def checkpoint_message(checkpoint_hash: str) -> bytes:
    return _CHECKPOINT_LABEL + checkpoint_hash.encode()


def public_hex(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def public_key_from_hex(text: str) -> Ed25519PublicKey | None:
    try:
        return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))
    except ValueError:
        return None


def fingerprint(key: Ed25519PublicKey) -> str:
    """A short name for the key, to compare by eye with the one the auditors were given."""
    return short_text(hashlib.sha256(bytes.fromhex(public_hex(key))).hexdigest())


def short_text(hex_digest: str) -> str:
    """The first 80 bits of a digest in groups of four, short enough to copy into a report."""
    head = hex_digest[:20].upper()
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))


def verifies(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def generate(private_path: Path, public_path: Path) -> Ed25519PublicKey:
    """A new key pair in two PEM files; an existing file is never overwritten."""
    for path in (private_path, public_path):
        if path.exists():
            raise InvalidInput(
                f"{shown(path)} finns redan; en nyckel skrivs aldrig över. Välj ett annat namn.",
                field="fil",
                rule=RULE,
            )
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Readable by its owner only, from the moment it exists.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as private_file:
        private_file.write(private_pem)
    public = key.public_key()
    public_path.write_bytes(
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return public


def read_private(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path, "privata nyckeln", "privat"), password=None)
    except (ValueError, TypeError):
        raise _not_a_key(shown(path), "privat") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise _not_a_key(shown(path), "privat")
    return key


def read_public(path: Path) -> Ed25519PublicKey:
    return parse_public(_read(path, "publika nyckeln", "publik"), shown(path))


def parse_public(data: bytes, name: str) -> Ed25519PublicKey:
    """The public key in a file's bytes (read from disk, or sent to the web); `name` names the file
    in the refusal."""
    if b"-----BEGIN" not in data:
        raise _not_a_key(name, "publik")
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise _not_a_key(name, "publik") from None
    if not isinstance(key, Ed25519PublicKey):
        raise _not_a_key(name, "publik")
    return key


def _read(path: Path, what: str, kind: str) -> bytes:
    data = read_input_file(path, what=f"Filen med den {what}", field="nyckel", rule=RULE)
    if b"-----BEGIN" not in data:
        raise _not_a_key(shown(path), kind)
    return data


def _not_a_key(name: str, kind: str) -> InvalidInput:
    return InvalidInput(
        f"{name} är ingen {kind} Ed25519-nyckel; ange filen som 'lerum-flow audit keygen' skrev.",
        field="nyckel",
        rule=RULE,
    )
