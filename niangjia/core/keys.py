"""The field-encryption keyring from settings, and the one way to protect a value.

`protect` turns a cleaned identifier into what is stored: the ciphertext, the
masked form shown by default, and keyed hashes of the whole value and of its
last four characters (for exact lookup and tail search). Plaintext is never stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register

from niangjia.core.crypto import Keyring, blind_index, decrypt, dev_keyring, encrypt

TAIL_LENGTH = 4


@cache
def keyring() -> Keyring:
    """Return the keyring of NIANGJIA_DATA_KEY + NIANGJIA_HASH_KEY (a development one if unset)."""
    data, hash_key = settings.NIANGJIA_DATA_KEY, settings.NIANGJIA_HASH_KEY
    if not data and not hash_key:
        return dev_keyring()
    spec = data if "hash:" in data else f"{data},hash:{hash_key}"
    return Keyring.from_string(spec)


@dataclass(frozen=True)
class Protected:
    """What is stored for one protected value."""

    token: str
    masked: str
    digest: str
    tail_digest: str


def protect(value: str, *, context: str, mask: Callable[[str], str]) -> Protected:
    """Encrypt a cleaned value under `context` and compute its mask and lookup hashes."""
    ring = keyring()
    return Protected(
        token=encrypt(ring, value, context=context),
        masked=mask(value),
        digest=lookup_digest(value, context=context),
        tail_digest=tail_digest(value[-TAIL_LENGTH:], context=context),
    )


def lookup_digest(value: str, *, context: str) -> str:
    """Keyed hash of a whole cleaned value, for exact lookup and de-duplication."""
    return blind_index(keyring(), value, context=context)


def tail_digest(tail: str, *, context: str) -> str:
    """Keyed hash of the last characters of a value, for "ends with 1234" search."""
    return blind_index(keyring(), tail.upper(), context=f"{context}.tail")


def unprotect(token: str, *, context: str) -> str:
    """Decrypt a stored token. Callers audit the reveal; see registry.services.reveal."""
    return decrypt(keyring(), token, context=context)


@register("security", deploy=True)
def check_keys(app_configs: object = None, **kwargs: object) -> list[CheckMessage]:
    """In production, refuse the development keyring."""
    messages: list[CheckMessage] = []
    if not settings.NIANGJIA_DATA_KEY:
        messages.append(
            Error(
                "NIANGJIA_DATA_KEY 未设置：个人信息将用开发密钥加密。", hint="见 docs/operations.md", id="niangjia.E001"
            )
        )
    elif keyring().is_dev:
        messages.append(Warning("NIANGJIA_DATA_KEY 使用了开发密钥。", id="niangjia.W001"))
    return messages
