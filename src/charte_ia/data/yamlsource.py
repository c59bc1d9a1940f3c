"""Safe YAML loading, bounded, that can tell on which line each value stands.

A data file is read by one walk over the nodes PyYAML's composer makes (with their marks), which
builds the data and refuses, with the line, what a data file must not hold:
- more than MAX_FILE_BYTES, values longer than MAX_SCALAR characters, more than MAX_NODES values
  (aliases counted as many times as they are expanded: "billion laughs"), more than MAX_ALIASES
  aliases of a list or dictionary, nesting deeper than MAX_DEPTH, an anchor that contains itself;
- explicit tags (`!!timestamp`, `!!binary`, `!!python/...`, `!!float "1"`, `!!seq` on a value):
  a value is what it reads as, and only text, numbers, true/false, lists and dictionaries exist;
- keys that YAML reads as something else than text (`on:` and `yes:` are booleans, `1:` a number);
- duplicate keys.
The map field path -> line, for the errors the models find later, is built lazily, by parsing
the text again, the first time an error needs a line: most files never need one.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import yaml

from charte_ia.data.errors import DataError, DataErrors

MAX_FILE_BYTES = 1_000_000
MAX_SCALAR = 20_000  # characters in one value (the longest text type, data/text.py)
MAX_NUMBER = 100  # characters in a number
MAX_NODES = 20_000  # values in one file, aliases expanded (the clause library has about 800)
MAX_ALIASES = 100  # aliases of a list or a dictionary
MAX_DEPTH = 16  # levels of nesting (the clause library has 7)

# The C loader is about seven times faster (measured: 0.18 s against 1.32 s for 834 KB).
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SafeLoader(_BaseLoader):  # type: ignore[misc]
    """The safe loader without YAML's own timestamps: dates stay text, and pydantic parses
    them, so that an impossible date (2026-02-30) is reported with its field and line."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }


_Y = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP, _MERGE = _Y + "str", _Y + "seq", _Y + "map", _Y + "merge"
_INT, _FLOAT, _BOOL, _NULL = _Y + "int", _Y + "float", _Y + "bool", _Y + "null"
_SCALARS = {_INT: "un nombre entier", _FLOAT: "un nombre", _BOOL: "un booléen (true/false)", _NULL: "une valeur vide"}

PathKey = tuple[str | int, ...]


class _Refused(Exception):
    """What the walk refuses; `loc` is filled in as the exception leaves each level."""

    def __init__(self, node: yaml.Node, message: str):
        self.line = node.start_mark.line + 1
        self.message = message
        self.loc: list[str | int] = []


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_Y) :] if tag.startswith(_Y) else tag


class _Builder:
    """Builds the data of one composed document, within the bounds above."""

    def __init__(self, loader: Any):
        self.loader = loader
        self.nodes = 0
        self.aliases = 0
        self.collections: set[int] = set()
        self.stack: list[int] = []

    def build(self, node: yaml.Node) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Refused(node, f"fichier trop grand une fois les alias développés : plus de {MAX_NODES} valeurs")
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, tag)
        ident = id(node)
        if ident in self.collections:
            if ident in self.stack:
                raise _Refused(node, "ancre YAML qui se contient elle-même : une valeur ne peut pas s’inclure")
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Refused(node, f"trop d’alias YAML (*nom) : au plus {MAX_ALIASES} par fichier")
        self.collections.add(ident)
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(node, f"imbrication trop profonde : au plus {MAX_DEPTH} niveaux")
        self.stack.append(ident)
        try:
            if isinstance(node, yaml.MappingNode) and tag == _MAP:
                return self.mapping(node)
            if isinstance(node, yaml.SequenceNode) and tag == _SEQ:
                return self.sequence(node)
            raise _Refused(node, _explicit_tag(tag))
        finally:
            self.stack.pop()

    def scalar(self, node: yaml.ScalarNode, tag: str) -> Any:
        value = node.value
        if tag == _STR:
            if len(value) > MAX_SCALAR:
                raise _Refused(node, f"valeur trop longue : {len(value)} caractères, au plus {MAX_SCALAR}")
            return value
        if tag not in _SCALARS:
            raise _Refused(node, _explicit_tag(tag))
        # A number, true/false or null: only as YAML reads it without a tag (`!!float "1"`,
        # `!!bool "oui"` are refused; `!!int 12` is 12 either way).
        if node.style or self.loader.resolve(yaml.ScalarNode, value, (True, False)) != tag:
            raise _Refused(node, _explicit_tag(tag))
        if len(value) > MAX_NUMBER:
            raise _Refused(node, f"nombre trop long : au plus {MAX_NUMBER} caractères")
        try:
            return self.loader.construct_object(node)
        except (ValueError, TypeError, yaml.YAMLError):
            raise _Refused(node, f"valeur illisible « {value[:40]} »") from None

    def mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        lines: dict[str, int] = {}
        merged = any(key.tag == _MERGE for key, _ in node.value)
        if merged:
            for key_node, _ in node.value:  # the node's own keys, before the merge adds others
                if key_node.tag != _MERGE:
                    self.unique(_key(key_node), key_node, lines)
            try:
                self.loader.flatten_mapping(node)  # `<<: *base`: PyYAML's merge; the node's own keys win
            except yaml.YAMLError:
                raise _Refused(node, "fusion « << » illisible : elle attend un alias de dictionnaire") from None
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            if not merged:
                self.unique(key, key_node, lines)
            try:
                out[key] = self.build(value_node)
            except _Refused as exc:
                exc.loc.insert(0, key)
                raise
        return out

    @staticmethod
    def unique(key: str, key_node: yaml.Node, lines: dict[str, int]) -> None:
        if key in lines:
            refused = _Refused(key_node, f"clé en double (déjà définie ligne {lines[key]})")
            refused.loc.append(key)
            raise refused
        lines[key] = key_node.start_mark.line + 1

    def sequence(self, node: yaml.SequenceNode) -> list[Any]:
        out = []
        for index, item in enumerate(node.value):
            try:
                out.append(self.build(item))
            except _Refused as exc:
                exc.loc.insert(0, index)
                raise
        return out


def _key(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
        return str(node.value)
    if isinstance(node, yaml.ScalarNode) and node.tag in _SCALARS and not node.style:
        raise _Refused(
            node,
            f"clé « {node.value} » lue par YAML comme {_SCALARS[node.tag]} et non comme du texte ; "
            f"écrivez-la entre guillemets (\"{node.value}\") ou corrigez-la",
        )
    if isinstance(node, yaml.ScalarNode):
        raise _Refused(node, _explicit_tag(node.tag))
    raise _Refused(node, "clé non valide : une clé est un mot (ici une liste ou un dictionnaire)")


def _explicit_tag(tag: str) -> str:
    return (
        f"étiquette YAML « {_tag_name(tag)} » refusée : écrivez la valeur sans étiquette "
        "(texte entre guillemets, nombre, true/false, liste ou dictionnaire)"
    )


class YamlDocument:
    """One loaded file: its data and, computed on first use, the line of each field path."""

    def __init__(self, path: Path, data: Any, lines: dict[PathKey, int] | None = None, text: str = "") -> None:
        self.path = path
        self.data = data
        self.text = text  # kept to build the line map later; only a few KB per file
        self._lines = lines

    @property
    def lines(self) -> dict[PathKey, int]:
        if self._lines is None:
            self._lines = _line_map(self.text)
        return self._lines

    def line_of(self, loc: PathKey) -> int | None:
        """Line of the deepest node along `loc` that exists (a missing key points at its parent)."""
        lines = self.lines
        for end in range(len(loc), -1, -1):
            line = lines.get(tuple(loc[:end]))
            if line is not None:
                return line
        return None

    def error(self, loc: PathKey, message: str) -> DataError:
        return DataError(self.path, dotted(loc), message, self.line_of(loc))


def dotted(loc: PathKey) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_OS_ERRORS = {
    errno.ENOENT: "fichier introuvable (lien symbolique cassé ?)",
    errno.ELOOP: "lien symbolique en boucle : il ne mène à aucun fichier",
    errno.EACCES: "lecture interdite (droits du fichier)",
    errno.EISDIR: "c’est un dossier, pas un fichier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def read_error(exc: OSError) -> str:
    """An OSError in French: the system's own words are English."""
    return _OS_ERRORS.get(exc.errno or 0, f"lecture impossible (erreur système {exc.errno})")


def load_yaml(path: Path, display: Path | str | None = None) -> YamlDocument:
    """Load one YAML file safely; raise DataErrors for what it must not hold (see above)."""
    shown = display if display is not None else path
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataErrors([DataError(shown, "", f"fichier trop gros : {size} octets, au plus {MAX_FILE_BYTES}")])
        with path.open("rb") as handle:
            raw = handle.read(min(size, MAX_FILE_BYTES) + 1)  # it may have grown since stat()
    except OSError as exc:
        raise DataErrors([DataError(shown, "", read_error(exc))]) from None
    if len(raw) > min(size, MAX_FILE_BYTES):
        raise DataErrors([DataError(shown, "", "fichier modifié pendant sa lecture ; relancez la commande")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataErrors([DataError(shown, "", "le fichier n’est pas en UTF-8", line)]) from None
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: Path | str) -> YamlDocument:
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = _Builder(loader).build(node) if node is not None else None
    except _Refused as exc:
        raise DataErrors([DataError(shown, dotted(tuple(exc.loc)), exc.message, exc.line)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = french_problem(exc.problem or exc.context or "")
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            problem = "tabulation : YAML n’accepte que des espaces pour indenter"
        raise DataErrors([DataError(shown, "", f"YAML invalide ({problem}) ; {_HINT}", line)]) from None
    except yaml.YAMLError as exc:
        raise DataErrors([DataError(shown, "", f"YAML invalide ({french_problem(str(exc))})")]) from None
    except RecursionError:  # the pure-Python composer, without the C loader's own depth limit
        raise DataErrors([DataError(shown, "", f"imbrication trop profonde : au plus {MAX_DEPTH} niveaux")]) from None
    finally:
        loader.dispose()
    return YamlDocument(Path(shown), data, None, text)


_HINT = "vérifiez l’indentation et les guillemets"

# PyYAML's problems, in French; the table goes by the start of its message.
_PROBLEMS = (
    ("exceeded maximum nesting depth", f"imbrication trop profonde : au plus {MAX_DEPTH} niveaux"),
    ("mapping values are not allowed", "« : » inattendu ; une valeur qui contient « : » va entre guillemets"),
    ("found character '\\t'", "tabulation : YAML n’accepte que des espaces pour indenter"),
    ("found character", "caractère interdit à cet endroit (mettez la valeur entre guillemets)"),
    ("found undefined alias", "alias (*nom) sans ancre (&nom) définie plus haut"),
    ("found duplicate anchor", "ancre (&nom) définie deux fois"),
    ("expected a single document", "un seul document attendu (retirez les « --- » en trop)"),
    ("but found another document", "un seul document attendu (retirez les « --- » en trop)"),
    ("did not find expected key", "clé attendue ; vérifiez l’alignement"),
    ("did not find expected '-' indicator", "élément de liste « - » attendu ; vérifiez l’alignement"),
    ("did not find expected node content", "valeur attendue"),
    ("did not find expected ',' or ']'", "« , » ou « ] » attendu dans une liste entre crochets"),
    ("did not find expected ',' or '}'", "« , » ou « } » attendu dans un dictionnaire entre accolades"),
    ("did not find expected <document start>", "début de document attendu"),
    ("found unexpected end of stream", "fin du fichier inattendue (guillemet ou crochet non fermé ?)"),
    ("found unknown escape character", "séquence d’échappement inconnue après « \\ » entre guillemets doubles"),
    ("found unexpected ':'", "« : » inattendu ; mettez la valeur entre guillemets"),
    ("could not find expected ':'", "« : » attendu après la clé"),
    ("block sequence entries are not allowed", "liste « - » mal placée ; vérifiez l’indentation"),
    ("control characters are not allowed", "caractère de contrôle interdit dans le fichier"),
    ("found a tab character", "tabulation : YAML n’accepte que des espaces pour indenter"),
    ("while scanning", "syntaxe invalide"),
)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def french_problem(problem: str) -> str:
    for start, french in _PROBLEMS:
        if problem.startswith(start) or start in problem:
            return french
    return "syntaxe invalide"


def _line_map(text: str) -> dict[PathKey, int]:
    """The line map of text that loaded already (so it composes, without duplicates)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[PathKey, int] = {}
        if node is not None:
            _index(node, (), lines, set())
        return lines
    finally:
        loader.dispose()


def _index(node: yaml.Node, loc: PathKey, lines: dict[PathKey, int], seen: set[int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if id(node) in seen:  # an alias: its lines are those of its anchor, mapped once
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _index(value_node, (*loc, key), lines, seen)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(item, (*loc, index), lines, seen)
