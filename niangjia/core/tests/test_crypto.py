"""Tests for field encryption, key rotation and blind indexes (no settings needed)."""

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from niangjia.core.crypto import (
    DecryptionError,
    Keyring,
    KeyringError,
    blind_index,
    decrypt,
    dev_keyring,
    encrypt,
    generate_key,
    needs_rotation,
)

K1, K2, H, H2 = (generate_key() for _ in range(4))
CONTEXT = "registry.worker.id_number"
RING_K1 = Keyring.from_string(f"k1:{K1},hash:{H}")
RING_K2_FIRST = Keyring.from_string(f"k2:{K2},k1:{K1},hash:{H}")
TOKEN_RE = re.compile(r"v1\.(?P<key_id>[A-Za-z0-9_-]+)\.(?P<payload>[A-Za-z0-9_-]+)")
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@given(plaintext=st.text())
def test_round_trip(plaintext: str) -> None:
    token = encrypt(RING_K1, plaintext, context=CONTEXT)
    assert TOKEN_RE.fullmatch(token)
    assert decrypt(RING_K1, token, context=CONTEXT) == plaintext


def test_token_format_and_random_nonce() -> None:
    first = encrypt(RING_K1, "11010519491231002X", context=CONTEXT)
    second = encrypt(RING_K1, "11010519491231002X", context=CONTEXT)
    assert first != second
    match = TOKEN_RE.fullmatch(first)
    assert match is not None
    assert match["key_id"] == "k1"
    raw = base64.urlsafe_b64decode(match["payload"] + "=" * (-len(match["payload"]) % 4))
    assert len(raw) == 12 + len("11010519491231002X") + 16  # nonce + ciphertext + tag


def test_wrong_context_fails() -> None:
    token = encrypt(RING_K1, "13812345678", context="registry.worker.phone")
    with pytest.raises(DecryptionError):
        decrypt(RING_K1, token, context="registry.worker.id_number")


@given(plaintext=st.text(max_size=40), data=st.data())
def test_any_tampered_payload_character_fails(plaintext: str, data: st.DataObject) -> None:
    token = encrypt(RING_K1, plaintext, context=CONTEXT)
    start = token.rindex(".") + 1
    position = data.draw(st.integers(start, len(token) - 1))
    replacement = data.draw(st.sampled_from([c for c in B64URL if c != token[position]]))
    with pytest.raises(DecryptionError):
        decrypt(RING_K1, token[:position] + replacement + token[position + 1 :], context=CONTEXT)


@pytest.mark.parametrize(
    "token",
    ["", "v1", "v1.k1.", "v2.k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "v1.k1.AAAA", "v1.k1.!!!!", "v1.k 1.AAAA"],
)
def test_malformed_tokens_fail(token: str) -> None:
    with pytest.raises(DecryptionError):
        decrypt(RING_K1, token, context=CONTEXT)


def test_truncated_and_extended_tokens_fail() -> None:
    token = encrypt(RING_K1, "秘密", context=CONTEXT)
    for broken in (token[:-1], token + "A", token.replace("v1.k1.", "v1.k2.")):
        with pytest.raises(DecryptionError):
            decrypt(RING_K2_FIRST, broken, context=CONTEXT)


def test_rotation() -> None:
    old = encrypt(RING_K1, "陕西省西安市雁塔区", context=CONTEXT)
    assert not needs_rotation(RING_K1, old)
    assert decrypt(RING_K2_FIRST, old, context=CONTEXT) == "陕西省西安市雁塔区"
    assert needs_rotation(RING_K2_FIRST, old)
    new = encrypt(RING_K2_FIRST, "陕西省西安市雁塔区", context=CONTEXT)
    assert new.startswith("v1.k2.")
    assert not needs_rotation(RING_K2_FIRST, new)
    retired = Keyring.from_string(f"k2:{K2},hash:{H}")
    assert decrypt(retired, new, context=CONTEXT) == "陕西省西安市雁塔区"
    with pytest.raises(DecryptionError, match="'k1', which is not in the keyring"):
        decrypt(retired, old, context=CONTEXT)


@given(value=st.text())
def test_blind_index_is_stable_across_data_key_rotation(value: str) -> None:
    index = blind_index(RING_K1, value, context=CONTEXT)
    assert re.fullmatch(r"[0-9a-f]{32}", index)
    assert blind_index(RING_K2_FIRST, value, context=CONTEXT) == index
    assert blind_index(Keyring.from_string(f"k9:{generate_key()},hash:{H}"), value, context=CONTEXT) == index


def test_blind_index_separates_contexts_and_hash_keys() -> None:
    index = blind_index(RING_K1, "13812345678", context="registry.worker.phone")
    assert blind_index(RING_K1, "13812345678", context="registry.household_member.phone") != index
    assert blind_index(RING_K1, "13812345679", context="registry.worker.phone") != index
    rotated_hash = Keyring.from_string(f"k1:{K1},hash:{H2}")
    assert blind_index(rotated_hash, "13812345678", context="registry.worker.phone") != index


@pytest.mark.parametrize("context", ["", "Registry.Worker", "a..b", "a b", "a\x00b", ".a"])
def test_invalid_context_is_refused(context: str) -> None:
    with pytest.raises(ValueError, match="context"):
        encrypt(RING_K1, "x", context=context)
    with pytest.raises(ValueError, match="context"):
        blind_index(RING_K1, "x", context=context)


def test_keyring_parsing() -> None:
    ring = Keyring.from_string(f" k2 : {K2} , k1:{K1}, hash:{H}, ")
    assert ring.current_id == "k2"
    assert list(ring.keys) == ["k2", "k1"]
    standard_base64 = K1.replace("-", "+").replace("_", "/")
    assert Keyring.from_string(f"k1:{standard_base64},hash:{H}").keys["k1"] == RING_K1.keys["k1"]


_BAD_KEYRINGS = [
    (f"k1:{K1}", "no 'hash' entry"),
    (f"hash:{H}", "no data key"),
    (f"k1:{K1},k1:{K2},hash:{H}", "appears twice"),
    (f"k1:{K1},hash:{H},hash:{H2}", "appears twice"),
    (f"{K1},hash:{H}", "entry #1 is not id:base64key"),
    (f"k1:{K1[:20]},hash:{H}", "must be 32 bytes"),
    (f"k1:not*base64,hash:{H}", "not valid base64"),
    (f"k1:{K1},hash:{K1}", "must differ"),
    (f"k.1:{K1},hash:{H}", "invalid data key id"),
]


# The keys are random, so each case is named by its message (test ids must agree between xdist workers).
@pytest.mark.parametrize(("spec", "message"), _BAD_KEYRINGS, ids=[message for _spec, message in _BAD_KEYRINGS])
def test_bad_keyrings_are_refused(spec: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message):
        Keyring.from_string(spec)


def test_keyring_never_shows_key_material() -> None:
    shown = repr(RING_K2_FIRST)
    assert shown == "Keyring(current_id='k2', key_ids=['k2', 'k1'], is_dev=False)"
    for key in (K1, K2, H):
        assert key[:8] not in shown
    with pytest.raises(KeyringError) as caught:
        Keyring.from_string(f"{K1},hash:{H}")
    assert K1[:8] not in str(caught.value)


def test_dev_keyring_is_flagged() -> None:
    ring = dev_keyring()
    assert ring.is_dev
    assert not RING_K1.is_dev
    assert decrypt(ring, encrypt(ring, "开发", context=CONTEXT), context=CONTEXT) == "开发"
    copied = base64.urlsafe_b64encode(ring.keys["dev"]).decode()
    assert Keyring.from_string(f"prod:{copied},hash:{H}").is_dev


def test_generate_key_is_32_random_bytes() -> None:
    keys = {generate_key() for _ in range(10)}
    assert len(keys) == 10
    assert all(len(base64.urlsafe_b64decode(k)) == 32 for k in keys)
