"""Spelling (hunspell, fr_FR) and grammar (Grammalecte) of the French text of every built page
and download. What they do not know is allowed only by name: allowlist.txt (proper names, brand
and technical terms) and grammar-allowlist.txt (rules reviewed as false positives here, with why)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from frenchtext import Block, prose

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[^\W\d_](?:[\w’'-]*[^\W_])?")
# « 1ᵉʳ », « 2ᵉ », « XXIᵉ »: ordinals, not words.
ORDINAL = re.compile(r"(?<=\d)(?:ᵉʳ|ʳᵉ|ᵉ|er|re|e)\b")


def allowlist(name: str) -> list[str]:
    lines = (HERE / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]


@pytest.fixture(scope="module")
def blocks(site_text) -> list[Block]:
    # A released version's pages show its frozen text as it was published: it is not corrected.
    return [b for b in site_text if "/versions/" not in b.where]


def unique_texts(blocks: list[Block]) -> dict[str, str]:
    """Each distinct text (the same clause comes back in every charter and format), with the
    first place it was read; non-breaking spaces kept (Grammalecte checks them)."""
    out: dict[str, str] = {}
    for block in blocks:
        out.setdefault(prose(block.text), block.where)
    return out


# An elided article or pronoun before a name the dictionary does not know: « d’Élouan ».
ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu|quoiqu)[’']", re.I)


def words_of(text: str) -> list[str]:
    """The words of a text to spell-check: not the references with digits (« L1321-1 »), and
    a name after an elision on its own."""
    return [ELISION.sub("", w) for w in WORD.findall(ORDINAL.sub("", text)) if not any(c.isdigit() for c in w)]


def unknown_words(command: list[str], texts: list[str]) -> set[str]:
    words = sorted({w for text in texts for w in words_of(text)})
    result = subprocess.run(command, input="\n".join(words) + "\n", capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_spelling(blocks, hunspell) -> None:
    texts = unique_texts(blocks)
    allowed = set(allowlist("allowlist.txt"))
    unknown = unknown_words(hunspell, list(texts)) - allowed
    where = {}
    for text, place in texts.items():
        for word in words_of(text):
            if word in unknown:
                where.setdefault(word, f"{place} : « {text[:120]} »")
    assert not unknown, "mots inconnus de hunspell (fr_FR) ; une faute, ou un nom à ajouter à allowlist.txt :\n" + "\n".join(
        f"- {word} ({where.get(word, '?')})" for word in sorted(unknown)
    )


def test_allowlist_is_used(blocks, hunspell) -> None:
    """Every allowed word is still printed somewhere: an entry nothing uses is removed."""
    printed = {w for text in unique_texts(blocks) for w in words_of(text)}
    stale = sorted(set(allowlist("allowlist.txt")) - printed)
    assert not stale, f"plus employés nulle part, à retirer de allowlist.txt : {stale}"


def test_spelling_check_finds_a_mistake(hunspell) -> None:
    assert unknown_words(hunspell, ["Une règle écrite évite les eureurs de publicasion."]) == {"eureurs", "publicasion"}


def test_allowlist_has_no_french_word(hunspell) -> None:
    """The allow-list holds only what the dictionary does not know: a word it knows does not
    belong there (it would hide nothing, and say the list was not reviewed)."""
    words = allowlist("allowlist.txt")
    known = set(words) - unknown_words(hunspell, words)
    assert not known, f"déjà dans le dictionnaire, à retirer de allowlist.txt : {sorted(known)}"


def grammar_errors(command: list[str], texts: list[str]) -> list[dict]:
    result = subprocess.run(command, input=json.dumps(texts), capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def allowed_grammar() -> list[tuple[str, str | None, str | None]]:
    """(rule id, text flagged, words around it): a rule allowed everywhere, or only for that
    text, or only for that text in that context."""
    out = []
    for line in allowlist("grammar-allowlist.txt"):
        parts = [part.strip() for part in line.split("|")] + [None, None]
        out.append((parts[0], parts[1] or None, parts[2] or None))
    return out


def is_allowed(error: dict, allowed: list[tuple[str, str | None, str | None]]) -> bool:
    around = error["context"].replace("\u00a0", " ").replace("\u202f", " ")  # the list is typed with plain spaces
    return any(
        rule == error["rule"] and text in (None, error["text"]) and (context is None or context in around)
        for rule, text, context in allowed
    )


def test_grammar(blocks, grammalecte) -> None:
    # A PDF's text comes back from pypdf as lines, not sentences: Grammalecte would read
    # fragments (a line that starts with its verb). Its words are spelled above, and its
    # sentences are those of the Word document, from the same model, read here whole.
    texts = unique_texts([b for b in blocks if ".pdf (page " not in b.where])
    ordered = list(texts)
    allowed = allowed_grammar()
    found = [e for e in grammar_errors(grammalecte, ordered) if not is_allowed(e, allowed)]
    assert not found, "Grammalecte signale (une faute, ou une règle à examiner dans grammar-allowlist.txt) :\n" + "\n".join(
        f"- {e['rule']} : {e['message']} « {e['text']} » dans « …{e['context']}… » ({texts[ordered[e['index']]]})"
        for e in found[:60]
    )


def test_grammar_check_finds_a_mistake(grammalecte) -> None:
    errors = grammar_errors(grammalecte, ["Les équipe utilise déjà l’IA."])
    assert errors and all(e["text"] for e in errors)
