"""Zip files whose bytes depend only on their content: fixed timestamps, modes and system.

Written by hand (the format is small) rather than with `zipfile`, so that an entry shared by
many archives can be compressed once: every Word document carries the same styles, theme and settings,
and deflating them again for each charter was most of the cost of a document. A part made of
pieces that many documents share (a clause with its values) is spliced from those pieces,
each deflated once (`Piece`, `spliced`).
"""

from __future__ import annotations

import io
import struct
from collections import OrderedDict
import zlib
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO

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


@dataclass(frozen=True, eq=False)
class Piece:
    """Text shared by many parts (a section of a charter, rendered once a build), deflated once:
    by a fresh compressor, so that its blocks refer to nothing before them, and sync-flushed, so
    that they end on a byte and any deflate blocks can follow them. The text itself is not kept:
    its checksum and length are enough to splice it (`spliced`)."""

    deflated: bytes
    crc: int
    size: int
    level: int
    info: Any = None  # what the caller learnt from the text when it was made (PieceCache)


def piece(text: str, level: int = 9, info: Any = None) -> Piece:
    data = text.encode("utf-8")
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Piece(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH), zlib.crc32(data), len(data), level, info)


# An empty final block (fixed codes): what ends a stream of sync-flushed pieces.
_FINAL_BLOCK = b"\x03\x00"
# Text shorter than this between two pieces (a line break, most often) goes in a stored block:
# five bytes more than the text, where a compressor of its own costs more time than it saves.
_STORED_BELOW = 64
_zeros = bytearray()


def _crc_after(crc: int, shared: Piece) -> int:
    """The checksum of what `crc` covers followed by the piece's text, from the piece's own
    checksum (Python has no crc32_combine): a CRC is affine in its starting value, so
    crc(A + B) = crc(B) ^ crc(zeros, crc(A)) ^ crc(zeros), zeros as long as B."""
    if len(_zeros) < shared.size:
        _zeros.extend(bytes(shared.size - len(_zeros)))
    zeros = memoryview(_zeros)[: shared.size]
    return shared.crc ^ zlib.crc32(zeros, crc) ^ zlib.crc32(zeros)


def spliced(name: str, pieces: Iterable[str | Piece], level: int = 1) -> Entry:
    """An entry whose content is the pieces in order: each `Piece` as it was deflated, the text
    between them deflated here at `level`. The bytes differ from those of the whole text
    deflated at once (no back-reference crosses a piece's edge), and are as reproducible."""
    out: list[bytes] = []
    text: list[str] = []
    crc = size = 0

    def flush() -> None:
        if text:
            data = "".join(text).encode("utf-8")
            text.clear()
            nonlocal crc, size
            crc, size = zlib.crc32(data, crc), size + len(data)
            if len(data) < _STORED_BELOW:  # a stored block: its header ends on a byte, as the last block did
                out.append(struct.pack("<BHH", 0, len(data), len(data) ^ 0xFFFF) + data)
            else:
                compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
                out.append(compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH))

    for item in pieces:
        if isinstance(item, Piece):
            flush()
            crc, size = _crc_after(crc, item), size + item.size
            out.append(item.deflated)
        elif item:
            text.append(item)
    flush()
    out.append(_FINAL_BLOCK)
    return Entry(name, crc, size, b"".join(out))


class PieceCache:
    """Pieces by key, the least recently used dropped past `limit`, each deflated at `level`.
    A piece's bytes depend on its text alone, never on what was made before it: the same
    document comes out of any process, in any order."""

    # 1,024 sections miss 27 % of the calls where 2,048 missed 24 %, for 2.5 MB less a cache,
    # at no measured cost in CPU (1,500 organisations).
    def __init__(self, level: int, limit: int = 1 << 10):
        self.level = level
        self.limit = limit
        self.pieces: OrderedDict[Hashable, Piece] = OrderedDict()

    def get(self, key: Hashable, text: Callable[[], str], info: Callable[[str], Any] | None = None) -> Piece:
        """The piece of `key`, made from `text()` when needed; `info(text)` is kept with it."""
        found = self.pieces.get(key)
        if found is not None:
            self.pieces.move_to_end(key)
            return found
        made = text()
        self.pieces[key] = shared = piece(made, self.level, info(made) if info is not None else None)
        if len(self.pieces) > self.limit:
            self.pieces.popitem(last=False)
        return shared


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
