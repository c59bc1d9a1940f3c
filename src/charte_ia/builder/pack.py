"""The compiled library as the page receives it: `library.js`, a script holding the library's JSON
compressed (a script works from file://, where a page may not fetch a JSON file).

Two steps, each undone by the page's script (ui.js, `unpack`) before the engine sees the library:

1. `view`: what the page reads of the library, and nothing else. The slots the page fills from
   its own plan (a clause's number and condition line, a section's number) are not described
   one by one: the clause or section names its slot and the page writes the description back.
   Slot names lose the private-use characters that mark them in the renders.
2. `pack`: the documents' text clause by clause. Each clause's fragments in every format follow
   one another in the JSON, inside the clause's entry, and leave `{"clause": id}` in each
   format's token list: the same sentence in the .md, the preview and the Word document is
   then a short back-reference for the compressor.

The JSON is compressed by Zstandard at its highest level (zstd 1.5.7 through the pinned
`zstandard` package: the same bytes for the same library) and the page decompresses it with
fzstd (vendored, docs/assets/vendor/fzstd/): 56.8 KB served against 68.5 KB for zopfli's
deflate of the same JSON, the best a browser's own DecompressionStream reads (7.8 KB less with
the decoder's 3.9 KB).
"""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

# Token lists inside a token (engine.js reads the same names).
LISTS = ("body", "head", "cond", "then", "else", "empty", "pre", "post", "row")
# Slots filled from the page's plan rather than from the organisation: the clause or section
# names its slot (`_PLANNED`: the key it goes under, and the slot's path).
_PLANNED = {"number": "number", "condition": "condition", "section": "number"}
# What the compiler keeps on a slot for itself: the page never reads it.
_COMPILER_ONLY = ("never_blank", "none")


class PackError(Exception):
    """The library holds something the page's unpacking would not give back as it was."""


def _name(slot_id: str) -> str:
    return slot_id.strip("\ue000\ue001")


def _tokens(tokens: list[Any], fn: Any) -> list[Any]:
    """The token list with each token given to `fn` (texts pass through), nested lists too."""
    out: list[Any] = []
    for t in tokens:
        if isinstance(t, dict):
            t = fn(dict(t))
            for name in LISTS:
                if isinstance(t.get(name), list):
                    t[name] = _tokens(t[name], fn)
            if "switch" in t:
                t["switch"] = {f: {o: _tokens(b, fn) for o, b in by.items()} for f, by in t["switch"].items()}
        out.append(t)
    return out


def view(lib: dict[str, Any]) -> dict[str, Any]:
    """The library as the page's engine reads it once unpacked."""
    lib = copy.deepcopy(lib)

    def slot_ref(t: dict[str, Any]) -> dict[str, Any]:
        if "s" in t:
            t["s"] = _name(t["s"])
            # Most values have no text around them: the engine reads a missing one as empty.
            t = {k: v for k, v in t.items() if not (k in ("pre", "post") and v == "")}
        if "cases" in t:
            t["cases"] = {f: {o: slot_ref(dict(c)) for o, c in by.items()} for f, by in t["cases"].items()}
        return t

    lib["formats"] = {fmt: _tokens(tokens, slot_ref) for fmt, tokens in lib["formats"].items()}
    slots = {}
    for sid, slot in lib["slots"].items():
        slot = {k: v for k, v in slot.items() if k not in _COMPILER_ONLY}
        if "fallback" in slot:
            slot["fallback"] = _name(slot["fallback"])
        slots[_name(sid)] = slot
    lib["slots"] = slots
    for clause in lib["clauses"].values():
        clause["number"] = _name(clause["number"])
    for section in lib["sections"]:
        section["number"] = _name(section["number"])
    text = json.dumps(lib, ensure_ascii=False)
    if "\ue000" in text or "\ue001" in text:
        raise PackError("un nom d’emplacement marqué reste dans la bibliothèque")
    return lib


def pack_json(lib: dict[str, Any]) -> dict[str, Any]:
    """The page's view of the library, laid out for the compressor (ui.js `unpack` undoes it)."""
    lib = view(lib)
    clauses, sections = lib["clauses"], {s["id"]: s for s in lib["sections"]}
    # Planned slots: named by their clause or section, described again by the page.
    for sid, slot in list(lib["slots"].items()):
        key = _PLANNED.get(slot["transform"])
        if key is None:
            continue
        owner = slot["path"][1]
        entry = sections.get(owner[1:]) if owner.startswith("§") else (
            sections.get(owner) if slot["transform"] == "section" else clauses.get(owner)
        )
        if entry is None or entry.get(key, sid) != sid or slot != {"path": slot["path"], "transform": slot["transform"]}:
            raise PackError(f"emplacement {sid} : la page ne saurait pas le décrire à nouveau")
        entry[key] = sid
        del lib["slots"][sid]
    # The documents' text clause by clause: each clause's fragments in every format together.
    moved: set[tuple[str, str]] = set()

    def take(fmt: str) -> Any:
        def fn(t: dict[str, Any]) -> dict[str, Any]:
            cid = t.get("clause")
            if cid is None or (cid, fmt) in moved or cid not in clauses:
                return t
            moved.add((cid, fmt))
            own = {k: v for k, v in t.items() if k != "clause"}
            clauses[cid].setdefault("formats", {})[fmt] = _tokens([own], _own(cid, clauses[cid]))[0]
            return {"clause": cid}

        return fn

    lib["formats"] = {fmt: _tokens(tokens, take(fmt)) for fmt, tokens in lib["formats"].items()}
    # The clauses (with their text) after the formats' skeletons, the rest as it was.
    ordered = {k: v for k, v in lib.items() if k != "clauses"}
    ordered["clauses"] = clauses
    return ordered


# Inside a clause, its own number and condition line are `#` and `?`, and its condition block
# names no clause: the same few bytes in every clause (slot names are letters).
_OWN_NUMBER, _OWN_CONDITION = "#", "?"


def _own(cid: str, clause: dict[str, Any]) -> Any:
    def fn(t: dict[str, Any]) -> dict[str, Any]:
        if t == {"s": clause["number"]}:
            return {"s": _OWN_NUMBER}
        if "condition" in clause and t == {"s": clause["condition"]}:
            return {"s": _OWN_CONDITION}
        if "cond" in t:
            if t.get("of") != cid:
                raise PackError(f"clause {cid} : un bloc de condition nomme une autre clause")
            del t["of"]
        return t

    return fn


def compress(data: bytes) -> bytes:
    """A Zstandard frame at level 22, its size written (fzstd then allocates it once), no
    checksum (the page does not check one) and no dictionary."""
    import zstandard

    params = zstandard.ZstdCompressionParameters.from_level(
        22, source_size=len(data), write_content_size=True, write_checksum=False, write_dict_id=False
    )
    return zstandard.ZstdCompressor(compression_params=params).compress(data)


def pack(lib: dict[str, Any]) -> str:
    """`library.js`: the packed library, compressed, as base64 in a script."""
    data = json.dumps(pack_json(lib), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return f'window.CHARTE_LIBRARY={{"zstd":"{base64.b64encode(compress(data)).decode("ascii")}"}};\n'
