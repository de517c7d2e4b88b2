"""Field encryption (AES-256-GCM) and blind indexes (HMAC-SHA256) for personal data.

Key material never comes from settings at import time: callers build a
:class:`Keyring` (usually once, from an environment variable) and pass it in.

Keyring string
    ``"k2:BASE64,k1:BASE64,hash:BASE64"``: comma-separated ``id:key`` entries, each
    key 32 random bytes in URL-safe or standard base64, as made by :func:`generate_key`.
    The first data entry is the *current* key: it encrypts. The other data entries
    only decrypt. The entry named ``hash`` is the blind-index key and is required.

Why a separate hash key
    A blind index is stored next to the ciphertext and searched by equality, so it
    must stay the same when data keys rotate, or every index would need rebuilding on
    each rotation. Deriving it from "the first-ever data key" would pin that key in
    the keyring forever. A dedicated ``hash`` entry keeps the two lifecycles apart;
    rotating it is a deliberate operation that recomputes every index from the
    decrypted values. The HMAC key itself is derived from it with HKDF-SHA256.

Data-key rotation
    Put a new entry first (``"k3:NEW,k2:OLD,hash:H"``). New writes use k3, old tokens
    still decrypt with k2, :func:`needs_rotation` finds tokens to re-encrypt; once
    none remain, drop k2.

Token
    ``"v1.<key_id>.<base64url(nonce | ciphertext | tag)>"``. The 12-byte nonce is
    random; the ``context`` (e.g. ``"registry.worker.id_number"``) is authenticated as
    associated data, so a token copied into another field does not decrypt.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

CIPHERTEXT_VERSION = "v1"
HASH_KEY_ID = "hash"
KEY_BYTES = 32
NONCE_BYTES = 12
BLIND_INDEX_HEX_CHARS = 32

_TOKEN_AAD_PREFIX = b"niangjia.token.v1\x00"
_INDEX_KEY_INFO = b"niangjia.blind_index.v1"
_KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
_CONTEXT_RE = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)*")

# DEVELOPMENT ONLY: public, fixed keys so a fresh checkout runs without configuration.
# Keyring.is_dev is True whenever one is loaded, so a deploy check can refuse it.
_DEV_DATA_KEY = hashlib.sha256(b"niangjia DEVELOPMENT ONLY data key - never use in production").digest()
_DEV_HASH_KEY = hashlib.sha256(b"niangjia DEVELOPMENT ONLY hash key - never use in production").digest()


class CryptoError(Exception):
    """Base class for encryption and keyring errors."""


class KeyringError(CryptoError):
    """The keyring specification is malformed or unsafe."""


class DecryptionError(CryptoError):
    """A token is malformed, tampered with, or made for another key or context."""


@dataclass(frozen=True, repr=False, eq=False)
class Keyring:
    """Data keys by id (``current_id`` encrypts, all decrypt) and the blind-index key.

    ``index_key``, the HMAC key of blind indexes, is derived from ``hash_key``.
    """

    current_id: str
    keys: Mapping[str, bytes]
    hash_key: bytes
    is_dev: bool = field(default=False)
    index_key: bytes = field(init=False, compare=False)

    def __post_init__(self) -> None:
        keys = dict(self.keys)
        if self.current_id not in keys:
            raise KeyringError(f"current key {self.current_id!r} is not in the keyring")
        for key_id, key in keys.items():
            if not _KEY_ID_RE.fullmatch(key_id) or key_id == HASH_KEY_ID:
                raise KeyringError(f"invalid data key id {key_id!r}")
            if len(key) != KEY_BYTES:
                raise KeyringError(f"key {key_id!r} must be {KEY_BYTES} bytes, got {len(key)}")
        if len(self.hash_key) != KEY_BYTES:
            raise KeyringError(f"hash key must be {KEY_BYTES} bytes, got {len(self.hash_key)}")
        if self.hash_key in keys.values():
            raise KeyringError("the hash key must differ from every data key")
        dev = self.hash_key == _DEV_HASH_KEY or _DEV_DATA_KEY in keys.values()
        object.__setattr__(self, "keys", MappingProxyType(keys))
        object.__setattr__(self, "is_dev", self.is_dev or dev)
        # HKDF gives the HMAC its own key; the configured hash key is never used as is.
        hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_INDEX_KEY_INFO)
        object.__setattr__(self, "index_key", hkdf.derive(self.hash_key))

    def __repr__(self) -> str:
        ids = list(self.keys)
        current, dev = self.current_id, self.is_dev
        return f"Keyring(current_id={current!r}, key_ids={ids!r}, is_dev={dev})"

    @classmethod
    def from_string(cls, spec: str) -> "Keyring":
        """Parse ``"k2:BASE64,k1:BASE64,hash:BASE64"``; the first data key encrypts."""
        keys: dict[str, bytes] = {}
        hash_key: bytes | None = None
        entries = [part.strip() for part in spec.split(",") if part.strip()]
        for number, entry in enumerate(entries, start=1):
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep:  # do not echo the entry: it may be a bare key
                raise KeyringError(f"keyring entry #{number} is not id:base64key")
            if key_id in keys or (key_id == HASH_KEY_ID and hash_key is not None):
                raise KeyringError(f"key id {key_id!r} appears twice")
            if key_id == HASH_KEY_ID:
                hash_key = _decode_key(key_id, encoded)
            else:
                keys[key_id] = _decode_key(key_id, encoded)
        if not keys:
            raise KeyringError("keyring has no data key")
        if hash_key is None:
            raise KeyringError(f"keyring has no {HASH_KEY_ID!r} entry for blind indexes")
        return cls(current_id=next(iter(keys)), keys=keys, hash_key=hash_key)


def _decode_key(key_id: str, encoded: str) -> bytes:
    text = encoded.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise KeyringError(f"key {key_id!r} is not valid base64") from None


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Decode URL-safe base64 strictly: one canonical spelling per byte string."""
    padded = text + "=" * (-len(text) % 4)
    raw = base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    if _b64encode(raw) != text:
        raise ValueError("non-canonical base64")
    return raw


def _token_aad(context: str) -> bytes:
    return _TOKEN_AAD_PREFIX + _context_bytes(context)


def _context_bytes(context: str) -> bytes:
    if not _CONTEXT_RE.fullmatch(context):
        raise ValueError(f"context must look like 'app.model.field', got {context!r}")
    return context.encode("ascii")


def generate_key() -> str:
    """Return a new random 32-byte key in URL-safe base64, for a keyring entry."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def dev_keyring() -> Keyring:
    """Return the fixed keyring for DEVELOPMENT ONLY (``is_dev`` is True).

    Its keys are public; never use it where real personal data is stored.
    """
    return Keyring(current_id="dev", keys={"dev": _DEV_DATA_KEY}, hash_key=_DEV_HASH_KEY)


def encrypt(keyring: Keyring, plaintext: str, *, context: str) -> str:
    """Encrypt ``plaintext`` with the current key, binding it to ``context``."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(keyring.keys[keyring.current_id]).encrypt(nonce, plaintext.encode("utf-8"), _token_aad(context))
    return f"{CIPHERTEXT_VERSION}.{keyring.current_id}.{_b64encode(nonce + sealed)}"


def _parse_token(token: str) -> tuple[str, bytes]:
    version, _, rest = token.partition(".")
    key_id, _, payload = rest.partition(".")
    if version != CIPHERTEXT_VERSION or not _KEY_ID_RE.fullmatch(key_id) or not payload:
        raise DecryptionError("not a niangjia v1 encrypted token")
    try:
        raw = _b64decode(payload)
    except (binascii.Error, ValueError):
        raise DecryptionError("token payload is not valid base64") from None
    if len(raw) < NONCE_BYTES + 16:
        raise DecryptionError("token payload is too short")
    return key_id, raw


def decrypt(keyring: Keyring, token: str, *, context: str) -> str:
    """Return the plaintext of ``token``; raise ``DecryptionError`` if it is unsound."""
    key_id, raw = _parse_token(token)
    key = keyring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"token was encrypted with key {key_id!r}, which is not in the keyring")
    try:
        plain = AESGCM(key).decrypt(
            raw[:NONCE_BYTES],
            raw[NONCE_BYTES:],
            _token_aad(context),
        )
    except InvalidTag:
        raise DecryptionError("token was tampered with or belongs to another context") from None
    return plain.decode("utf-8")


def needs_rotation(keyring: Keyring, token: str) -> bool:
    """Return True if ``token`` was not encrypted with the keyring's current key."""
    key_id, _ = _parse_token(token)
    return key_id != keyring.current_id


def blind_index(keyring: Keyring, value: str, *, context: str) -> str:
    """Return a keyed hash of ``value`` for equality search (32 hex characters).

    The value is hashed as given: pass its canonical form (from ``validate_id_number``,
    ``normalize_phone``…).
    ``context`` separates indexes, so equal values in different fields do not match.
    """
    message = _context_bytes(context) + b"\x00" + value.encode("utf-8")
    digest = hmac.new(keyring.index_key, message, hashlib.sha256).hexdigest()
    return digest[:BLIND_INDEX_HEX_CHARS]
