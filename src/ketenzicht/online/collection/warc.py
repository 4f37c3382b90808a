"""WARC files with warcio: one record per HTTP response, rotated by size and by day.

Each record carries ``WARC-Payload-Digest`` (SHA-1, as the WARC standard has it) and our own
``WARC-Block-Digest``; the capture index keeps the SHA-256 of the payload, the file name and
the record's offset, so :func:`read_record` can replay it byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

# Hop-by-hop framing that no longer describes the stored body.
_DROP_HEADERS = frozenset({"transfer-encoding"})


@dataclass(frozen=True)
class Written:
    """Where a record went: file name (relative to the WARC directory), offset, record id."""

    file: str
    offset: int
    record_id: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Replayed:
    """A record read back: target URL, status, headers and the payload bytes."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    payload: bytes
    payload_digest: str | None
    record_id: str = ""
    date: str = ""


class RotatingWarcWriter:
    """Appends gzipped response records; starts a new file past ``max_bytes`` or a new day."""

    def __init__(self, directory: Path, *, prefix: str, max_bytes: int) -> None:
        self.directory = directory
        self.prefix = prefix
        self.max_bytes = max_bytes
        self._file: IO[bytes] | None = None
        self._name = ""
        self._day = ""
        directory.mkdir(parents=True, exist_ok=True)

    def _open(self, at: datetime) -> None:
        self.close()
        day = at.strftime("%Y%m%d")
        serial = 0
        while True:
            name = f"{self.prefix}-{day}-{serial:05d}.warc.gz"
            path = self.directory / name
            # Never append to a file a previous (perhaps killed) process left behind.
            if not path.exists():
                break
            serial += 1
        self._file = path.open("ab")
        self._name, self._day = name, day

    def write_response(
        self, *, url: str, status: int, reason: str, headers: list[tuple[str, str]],
        payload: bytes, at: datetime,
    ) -> Written:
        """Write one response record and return where it is; the file is flushed to disk."""
        day = at.strftime("%Y%m%d")
        if self._file is None or day != self._day or self._file.tell() >= self.max_bytes:
            self._open(at)
        assert self._file is not None
        kept = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
        http_headers = StatusAndHeaders(f"{status} {reason or 'OK'}", kept, protocol="HTTP/1.1")
        writer = WARCWriter(self._file, gzip=True)
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")},
        )
        offset = self._file.tell()
        writer.write_record(record)
        self._file.flush()
        # On disk before the caller indexes it: an index row must never point at bytes
        # that a power cut or kill -9 can still take away.
        os.fsync(self._file.fileno())
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        return Written(self._name, offset, record_id, hashlib.sha256(payload).hexdigest(),
                       len(payload))

    def close(self) -> None:
        """Close the current file (a new one is opened on the next write)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def read_record(path: Path, offset: int) -> Replayed:
    """Read the response record at ``offset`` of a WARC file."""
    with path.open("rb") as fh:
        fh.seek(offset)
        for record in ArchiveIterator(fh):
            if record.rec_type != "response":
                break
            http = record.http_headers
            payload = record.raw_stream.read()
            return Replayed(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(http.get_statuscode()),
                headers=list(http.headers),
                payload=payload,
                payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
                record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                date=record.rec_headers.get_header("WARC-Date") or "",
            )
    raise ValueError(f"no response record at offset {offset} of {path.name}")


def iter_responses(stream: IO[bytes]) -> Iterator[Replayed]:
    """Every response record of a WARC stream (gzipped or not), in file order."""
    for record in ArchiveIterator(stream):
        if record.rec_type != "response":
            continue
        http = record.http_headers
        yield Replayed(
            url=record.rec_headers.get_header("WARC-Target-URI") or "",
            status=int(http.get_statuscode()) if http is not None else 0,
            headers=list(http.headers) if http is not None else [],
            payload=record.content_stream().read(),
            payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
            record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
            date=record.rec_headers.get_header("WARC-Date") or "",
        )


@dataclass(frozen=True)
class Scan:
    """The gzip members (one per record) of a WARC file that are complete, and where they end."""

    offsets: list[int]
    end: int
    size: int

    @property
    def truncated(self) -> bool:
        """True when bytes after the last complete record are an unfinished record."""
        return self.end < self.size


def scan(path: Path, chunk: int = 1 << 20) -> Scan:
    """Find the complete records of a WARC file by decompressing it member by member.

    warcio reads a record cut off by a killed writer without complaint (short payload), so
    completeness is decided here: a record is complete when its gzip member has its trailer.
    """
    offsets: list[int] = []
    start = consumed = 0
    inflater = zlib.decompressobj(wbits=31)
    with path.open("rb") as fh:
        while data := fh.read(chunk):
            while data:
                try:
                    inflater.decompress(data, 1 << 16)
                    while not inflater.eof and inflater.unconsumed_tail:
                        inflater.decompress(inflater.unconsumed_tail, 1 << 16)
                except zlib.error:
                    return Scan(offsets, start, path.stat().st_size)
                if not inflater.eof:
                    consumed += len(data)
                    break
                used = len(data) - len(inflater.unused_data)
                offsets.append(start)
                start = consumed = consumed + used
                data = inflater.unused_data
                inflater = zlib.decompressobj(wbits=31)
    return Scan(offsets, start, path.stat().st_size)


def cut_tail(path: Path, end: int, keep_dir: Path) -> Path:
    """Move the unfinished bytes after ``end`` out of a WARC file into ``keep_dir``.

    The cut-off bytes are kept (never thrown away) so the repair itself can be checked.
    """
    keep_dir.mkdir(parents=True, exist_ok=True)
    kept = keep_dir / f"{path.name}.{end}.partial"
    with path.open("r+b") as fh:
        fh.seek(end)
        kept.write_bytes(fh.read())
        fh.truncate(end)
    return kept
