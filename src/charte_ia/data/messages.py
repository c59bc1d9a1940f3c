"""Pydantic's errors in plain French, by error type: one table, never one message at a time.

MESSAGES holds a French template for every error type pydantic-core can raise (its ErrorType
list) and for the custom types of data/text.py, so that no English message reaches an editor,
whatever constraint a model gains later (tests/unit/test_messages.py holds the table complete).
Templates take the error's context (`{limit}`, `{ge}`...) and `{input}`, the value read.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from charte_ia.render.typography import join_fr

_TEXT = "texte attendu (mettez la valeur entre guillemets)"
_NUMBER = "nombre attendu (sans guillemets, avec un point décimal : 12.5)"
_INTEGER = "nombre entier attendu (sans guillemets ni décimales)"
_BOOL = "true ou false attendu"
_LIST = "liste attendue (une valeur par ligne, précédée de « - », ou [a, b])"
_DICT = "dictionnaire attendu (clé : valeur, une par ligne)"
_DATE = "date attendue au format AAAA-MM-JJ (ex. 2026-01-15)"
_TIME = "heure attendue au format HH:MM"
_DATETIME = "date et heure attendues au format AAAA-MM-JJTHH:MM"
_DURATION = "durée attendue"
_ANY = "valeur d’un autre type attendue ; voyez l’exemple commenté du fichier (python -m charte_ia new)"
_INTERNAL = "valeur que le kit ne sait pas lire ; voyez l’exemple commenté du fichier (python -m charte_ia new)"

MESSAGES: dict[str, str] = {
    # --- presence and keys
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "clé inconnue « {key} » (faute de frappe ?)",
    "invalid_key": "clé non valide : une clé est un mot, sans guillemets ni espaces",
    "frozen_field": "ce champ ne peut pas être modifié",
    "frozen_instance": "cette valeur ne peut pas être modifiée",
    "no_such_attribute": "clé inconnue « {key} » (faute de frappe ?)",
    "get_attribute_error": _INTERNAL,
    "none_required": "ce champ doit rester vide",
    "default_factory_not_called": _INTERNAL,
    "missing_sentinel_error": _INTERNAL,
    # --- text
    "string_type": _TEXT,
    "string_unicode": "texte Unicode valide attendu",
    "string_too_short": "texte d’au moins {min_length} caractère(s) attendu",
    "string_too_long": "texte trop long : au plus {max_length} caractères",
    "string_pattern_mismatch": "format non reconnu « {input} »",
    "string_not_ascii": "caractères ASCII seulement (sans accents)",
    "text_too_long": "texte trop long : {length} caractères, au plus {limit} acceptés",
    "text_unwritable": "caractère invalide {char} : il ne peut pas être écrit",
    "text_empty": "texte non vide attendu",
    "text_invisible": "le texte ne contient aucun caractère visible (seulement des espaces ou des invisibles)",
    "text_line_break": "une seule ligne attendue : retirez le retour à la ligne ({char})",
    "text_control": "caractère de contrôle {char} interdit dans ce champ",
    "url_https": "adresse en https:// attendue (lu : « {start} »)",
    "url_character": "caractère {char} interdit dans une adresse (encodez-le, par exemple %20 pour une espace)",
    "url_host": "adresse mal formée : nom de domaine attendu après https:// (ex. https://www.cnil.fr/)",
    "id_too_long": "identifiant trop long : {length} caractères, au plus {limit} (il sert dans les adresses des pages)",
    "id_invalid": "identifiant non valide « {value} » ; {rule}",
    "revision_too_long": "révision trop longue : {length} caractères, au plus {limit} (elle entre dans les adresses)",
    "revision_invalid": "révision non valide « {value} » ; {rule}",
    "version_too_long": "version trop longue : {length} caractères, au plus {limit} (elle entre dans le nom des fichiers)",
    # --- numbers
    "int_type": _INTEGER,
    "int_parsing": _INTEGER,
    "int_parsing_size": "nombre entier trop grand",
    "int_from_float": _INTEGER,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": "nombre fini attendu (.inf et .nan ne sont pas des valeurs)",
    "greater_than": "nombre supérieur à {gt} attendu",
    "greater_than_equal": "nombre supérieur ou égal à {ge} attendu",
    "less_than": "nombre inférieur à {lt} attendu",
    "less_than_equal": "nombre inférieur ou égal à {le} attendu",
    "multiple_of": "multiple de {multiple_of} attendu",
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_max_digits": "au plus {max_digits} chiffres",
    "decimal_max_places": "au plus {decimal_places} décimales",
    "decimal_whole_digits": "au plus {whole_digits} chiffres avant la virgule",
    "fraction_type": _NUMBER,
    "fraction_parsing": _NUMBER,
    "complex_type": _NUMBER,
    "complex_str_parsing": _NUMBER,
    # --- true or false
    "bool_type": _BOOL,
    "bool_parsing": _BOOL,
    # --- lists and dictionaries
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "frozen_set_type": _LIST,
    "deque_type": _LIST,
    "iterable_type": _LIST,
    "iteration_error": _LIST,
    "set_item_not_hashable": "valeur simple attendue dans cette liste",
    "too_short": "au moins {min_length} élément(s) attendu(s)",
    "too_long": "au plus {max_length} élément(s) attendu(s)",
    "dict_type": _DICT,
    "frozen_dict_type": _DICT,
    "ordered_dict_type": _DICT,
    "counter_type": _DICT,
    "mapping_type": _DICT,
    "model_type": _DICT,
    "model_attributes_type": _DICT,
    "dataclass_type": _DICT,
    "dataclass_exact_type": _DICT,
    "named_tuple_type": _DICT,
    "arguments_type": _DICT,
    "missing_argument": "champ obligatoire manquant",
    "missing_keyword_only_argument": "champ obligatoire manquant",
    "missing_positional_only_argument": "champ obligatoire manquant",
    "unexpected_keyword_argument": "clé inconnue « {key} » (faute de frappe ?)",
    "unexpected_positional_argument": "valeur en trop",
    "multiple_argument_values": "valeur donnée deux fois",
    # --- choices
    "literal_error": "valeur non reconnue « {input} » ; valeurs possibles : {choices}",
    "enum": "valeur non reconnue « {input} » ; valeurs possibles : {choices}",
    "union_tag_invalid": "type non reconnu « {input} »",
    "union_tag_not_found": "clé de type manquante",
    # --- dates and times
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE + ", sans heure",
    "date_past": "date passée attendue",
    "date_future": "date à venir attendue",
    "time_type": _TIME,
    "time_parsing": _TIME,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_object_invalid": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "datetime_past": "date passée attendue",
    "datetime_future": "date à venir attendue",
    "timezone_naive": "date sans fuseau horaire attendue",
    "timezone_aware": "date avec fuseau horaire attendue",
    "timezone_offset": "fuseau horaire non valide",
    "time_delta_type": _DURATION,
    "time_delta_parsing": _DURATION,
    # --- addresses and identifiers
    "url_type": "adresse en https:// attendue",
    "url_parsing": "adresse mal formée",
    "url_syntax_violation": "adresse mal formée",
    "url_too_long": "adresse trop longue : au plus {max_length} caractères",
    "url_scheme": "adresse en https:// attendue",
    "uuid_type": "identifiant UUID attendu",
    "uuid_parsing": "identifiant UUID attendu",
    "uuid_version": "identifiant UUID attendu",
    # --- other Python types (no data file has them; a model that gains one stays French)
    "bytes_type": _TEXT,
    "bytes_too_short": "texte trop court",
    "bytes_too_long": "texte trop long",
    "bytes_invalid_encoding": "texte mal encodé",
    "callable_type": _ANY,
    "is_instance_of": _ANY,
    "is_subclass_of": _ANY,
    "json_invalid": _ANY,
    "json_type": _ANY,
    "needs_python_object": _ANY,
    "ellipsis_error": _ANY,
    "assertion_error": "{error}",
    "value_error": "{error}",
    "recursion_loop": "valeur qui se contient elle-même (ancre YAML circulaire)",
    "recursion_depth_exceeded": "imbrication trop profonde",
}

_QUOTED = re.compile(r"'([^']*)'")


def _shown(value: Any) -> str:
    """A value as the editor wrote it, cut short: a message never quotes a whole paragraph."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, (dict, list, tuple)):
        text = {dict: "un dictionnaire", list: "une liste", tuple: "une liste"}[type(value)]
    else:
        text = str(value)
    text = text.replace("\n", "⏎").replace("\r", "⏎")
    return text if len(text) <= 80 else text[:79] + "…"


def french(err: Any) -> str:
    """The French message of one pydantic error (an item of ValidationError.errors())."""
    kind = err["type"]
    ctx = dict(err.get("ctx") or {})
    given = err.get("input")
    values: dict[str, Any] = {key: _shown(value) for key, value in ctx.items()}
    values["input"] = _shown(given)
    values["key"] = _shown(err["loc"][-1]) if err.get("loc") else ""
    if kind in ("literal_error", "enum"):
        values["choices"] = join_fr(_QUOTED.findall(str(ctx.get("expected", ""))), "ou") or str(ctx.get("expected"))
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        values["error"] = str(error) if error is not None else err.get("msg", "")
    if kind == "string_pattern_mismatch" and "[0-9]{4}" in str(ctx.get("pattern")):
        return f"date attendue au format AAAA, AAAA-MM ou AAAA-MM-JJ (lu : « {values['input']} »)"
    template = MESSAGES.get(kind, _ANY)
    try:
        message = template.format(**values)
    except (KeyError, IndexError, ValueError):
        message = template
    if kind.startswith(("date", "datetime")) and given is not None and not isinstance(given, (dict, list)):
        message += f" (lu : « {_shown(given)} »)"
    if kind in ("string_type", "int_type", "float_type", "bool_type") and isinstance(given, (bool, int, float, str)):
        message += f" (lu : « {_shown(given)} »)"
    return message
