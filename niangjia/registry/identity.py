"""Writing and reading the protected identifier fields of workers and members.

One context string per field, so a ciphertext copied to another column fails to
decrypt and hashes of different fields never match each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from niangjia.core.identifiers import mask_id_number, mask_phone, mask_text
from niangjia.core.keys import lookup_digest, protect, tail_digest, unprotect


@dataclass(frozen=True)
class ProtectedField:
    """A protected field: its model attribute stem, crypto context and mask."""

    stem: str
    context: str
    label: str
    has_hash: bool
    has_tail: bool

    def mask(self, value: str) -> str:
        if self.stem == "id_number":
            return mask_id_number(value)
        if self.stem == "phone":
            return mask_phone(value)
        if self.stem == "bank_account":
            return mask_text(value, keep=4, suffix=4)
        return mask_text(value, keep=6)


ID_NUMBER = ProtectedField("id_number", "registry.person.id_number", "身份证号", has_hash=True, has_tail=True)
PHONE = ProtectedField("phone", "registry.person.phone", "手机号", has_hash=True, has_tail=True)
ADDRESS = ProtectedField("address", "registry.person.address", "住址", has_hash=False, has_tail=False)
BANK_ACCOUNT = ProtectedField(
    "bank_account", "registry.person.bank_account", "银行卡号", has_hash=False, has_tail=False
)
FIELDS = {f.stem: f for f in (ID_NUMBER, PHONE, ADDRESS, BANK_ACCOUNT)}


def set_protected(instance: Any, spec: ProtectedField, value: str) -> None:
    """Store a cleaned value on `instance` as ciphertext, mask and hashes ("" clears it)."""
    if not value:
        setattr(instance, f"{spec.stem}_enc", "")
        setattr(instance, f"{spec.stem}_masked", "")
        if spec.has_hash:
            setattr(instance, f"{spec.stem}_hash", None if spec.stem == "id_number" else "")
        _set_tail(instance, spec, "")
        return
    stored = protect(value, context=spec.context, mask=spec.mask)
    setattr(instance, f"{spec.stem}_enc", stored.token)
    setattr(instance, f"{spec.stem}_masked", stored.masked)
    if spec.has_hash:
        setattr(instance, f"{spec.stem}_hash", stored.digest)
    _set_tail(instance, spec, stored.tail_digest)


def _set_tail(instance: Any, spec: ProtectedField, digest: str) -> None:
    if not spec.has_tail:
        return
    name = "id_tail_hash" if spec.stem == "id_number" else f"{spec.stem}_tail_hash"
    if hasattr(instance, name):
        setattr(instance, name, digest)


def read_protected(instance: Any, spec: ProtectedField) -> str:
    """Decrypt a protected field. Only `reveal` (which audits) may call this for display."""
    token = getattr(instance, f"{spec.stem}_enc")
    return unprotect(token, context=spec.context) if token else ""


def id_digest(id_number: str) -> str:
    """The lookup hash of a cleaned ID number."""
    return lookup_digest(id_number, context=ID_NUMBER.context)


def phone_digest(phone: str) -> str:
    """The lookup hash of a normalised phone number."""
    return lookup_digest(phone, context=PHONE.context)


def tail_digests(tail: str) -> tuple[str, str]:
    """Hashes of "ends with `tail`" for ID numbers and for phones."""
    return tail_digest(tail, context=ID_NUMBER.context), tail_digest(tail, context=PHONE.context)
