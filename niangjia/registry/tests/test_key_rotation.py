"""Rotating the data key: old tokens re-encrypted, hashes unchanged, old key removable afterwards."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from niangjia.core import keys
from niangjia.core.crypto import generate_key
from niangjia.registry.identity import ID_NUMBER, PHONE, read_protected
from niangjia.registry.models import HouseholdMember, Worker
from niangjia.registry.tests.conftest import CHILD_ID, YL_ID, YL_PHONE, build_registry


def _use(settings, data: str, hash_key: str) -> None:  # type: ignore[no-untyped-def]
    settings.NIANGJIA_DATA_KEY, settings.NIANGJIA_HASH_KEY = data, hash_key
    keys.keyring.cache_clear()


def test_rotation(settings, tree):  # type: ignore[no-untyped-def]
    old, new, hash_key = generate_key(), generate_key(), generate_key()
    _use(settings, f"k1:{old}", hash_key)
    try:
        build_registry(tree)
        worker = Worker.objects.get(name="冯建民")
        hashes = (worker.id_number_hash, worker.phone_hash)
        assert worker.id_number_enc.startswith("v1.k1.")

        _use(settings, f"k2:{new},k1:{old}", hash_key)
        out = StringIO()
        call_command("rotate_data_key", "--dry-run", stdout=out)
        assert "registry.Worker: 需要重新加密 3 行" in out.getvalue()
        call_command("rotate_data_key", stdout=StringIO())

        _use(settings, f"k2:{new}", hash_key)  # the old key is gone
        worker.refresh_from_db()
        assert worker.id_number_enc.startswith("v1.k2.") and worker.phone_enc.startswith("v1.k2.")
        assert (worker.id_number_hash, worker.phone_hash) == hashes
        assert read_protected(worker, ID_NUMBER) == YL_ID and read_protected(worker, PHONE) == YL_PHONE
        child = HouseholdMember.objects.get(name="冯小雨")
        assert read_protected(child, ID_NUMBER) == CHILD_ID
    finally:
        keys.keyring.cache_clear()
