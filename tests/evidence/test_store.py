"""The content store takes an upload as a stream: in chunks, never whole in memory."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from ketenzicht.evidence import store


class CountingReader(io.BytesIO):
    """A file whose largest single read is recorded."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            raise AssertionError("the whole file was read at once")
        self.largest = max(self.largest, size)
        return super().read(size)


def _files(base: Path) -> list[Path]:
    return [p for p in base.rglob("*") if p.is_file()]


def test_a_stream_is_stored_in_chunks_under_its_hash_once(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20_000  # 5 MB
    source = CountingReader(data)
    sha, size = store.put_stream(tmp_path, source, limit=10_000_000)
    assert (sha, size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert source.largest == store.CHUNK < len(data)
    assert store.get(tmp_path, sha) == data
    again = store.put_stream(tmp_path, io.BytesIO(data), limit=10_000_000)
    assert again == (sha, size) and len(_files(tmp_path)) == 1  # stored once


def test_a_stream_over_the_limit_or_empty_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(store.TooLarge):
        store.put_stream(tmp_path, io.BytesIO(b"x" * (3 * store.CHUNK)), limit=store.CHUNK + 1)
    assert _files(tmp_path) == []
    _sha, size = store.put_stream(tmp_path, io.BytesIO(b""), limit=10)
    assert size == 0 and _files(tmp_path) == []
