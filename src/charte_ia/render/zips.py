"""Zip files whose bytes depend only on their content: fixed timestamps, modes and system.

Written by hand (the format is small) rather than with `zipfile`, so that an entry shared by
many archives can be compressed once: every Word document carries the same styles, theme and settings,
and deflating them again for each charter was most of the cost of a document.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

# 1980-01-01 00:00:00 in MS-DOS format (the earliest date a zip can hold).
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # Unix, whatever the host, so that the bytes do not vary
_MODE = 0o644 << 16
_UTF8_NAME = 0x800
_LIMIT = 0xFFFFFFFF  # no ZIP64: an archive of this site stays far below 4 GB


@dataclass(frozen=True)
class Entry:
    """A file of the archive, deflated once (`deflated()`), ready to be written into any number
    of archives."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate stream, or the bytes themselves when `method` is 0 (stored)
    method: int = 8  # deflate


def deflated(name: str, data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> Entry:
    # Raw deflate, at zlib's default level unless told (9 costs twice the time for ~1 % less).
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Entry(name, zlib.crc32(data), len(data), compressor.compress(data) + compressor.flush())


def stored(name: str, data: bytes) -> Entry:
    """An entry kept as it is (ODF's `mimetype`, which must be readable at a fixed offset)."""
    return Entry(name, zlib.crc32(data), len(data), data, method=0)


def write_zip(entries: Iterable[tuple[str, bytes] | Entry]) -> bytes:
    """A zip of the entries in the order given (callers sort when the order is theirs to pick);
    (name, data) pairs are deflated at the default level."""
    out = io.BytesIO()
    write_zip_to(out, entries)
    return out.getvalue()


def write_zip_to(out: BinaryIO, entries: Iterable[tuple[str, bytes] | Entry]) -> None:
    """The same, written as it goes: an entry is in memory only while it is written (the offline
    site's zip holds the whole site: 230 MB at 1,000 organisations)."""
    central: list[bytes] = []
    offset = 0
    count = 0
    for item in entries:
        entry = item if isinstance(item, Entry) else deflated(*item)
        name = entry.name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        if max(entry.size, len(entry.data), offset) > _LIMIT:
            raise ValueError(f"zip trop gros pour ce format (plus de 4 Go) : {entry.name}")
        fields = (_VERSION, flags, entry.method, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(name))
        local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fields, 0) + name
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_BY, *fields, 0, 0, 0, 0, _MODE, offset) + name)
        out.write(local)
        out.write(entry.data)
        offset += len(local) + len(entry.data)
        count += 1
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    out.write(directory + end)
