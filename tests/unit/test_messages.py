"""Every message the loader prints is French: pydantic's errors are translated by their type.

Three checks: the table has every error type pydantic-core can raise; a walk over the core
schemas of every data file's model lists the types the models can produce, each with a message
of its own; and Hypothesis feeds the models values of every YAML type in every field, so that
each error they actually raise is seen translated, with its field.
"""

from __future__ import annotations

import re
import typing
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic_core.core_schema import ErrorType

from charte_ia.data import messages
from charte_ia.data.messages import MESSAGES, french
from charte_ia.data.models import (
    ChangelogFile,
    Library,
    Organization,
    PlatformsFile,
    RecommendationsFile,
    SourcesFile,
    StudyFile,
)

MODELS: tuple[type[BaseModel], ...] = (
    SourcesFile,
    StudyFile,
    RecommendationsFile,
    Library,
    PlatformsFile,
    ChangelogFile,
    Organization,
)

# Error types each kind of core schema can raise (with its constraints, when it has them).
_BY_SCHEMA = {
    "str": {"string_type"},
    "int": {"int_type", "int_parsing", "int_from_float"},
    "float": {"float_type", "float_parsing"},
    "bool": {"bool_type", "bool_parsing"},
    "date": {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"},
    "list": {"list_type"},
    "tuple": {"tuple_type"},
    "dict": {"dict_type"},
    "literal": {"literal_error"},
    "model": {"model_type"},
    "model-fields": {"model_attributes_type", "missing", "extra_forbidden"},
    "function-after": {"value_error"},
}
_BY_CONSTRAINT = {
    "pattern": "string_pattern_mismatch",
    "min_length": "too_short",
    "max_length": "too_long",
    "gt": "greater_than",
    "ge": "greater_than_equal",
    "lt": "less_than",
    "le": "less_than_equal",
}
ENGLISH = re.compile(r"\b(Input should|should be|Field required|valid|Value error|Extra inputs|at least|at most)\b")


def reachable_error_types() -> set[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            if isinstance(kind, str):
                found.update(_BY_SCHEMA.get(kind, ()))
                for key, error in _BY_CONSTRAINT.items():
                    if key in node:
                        if kind == "str" and error in ("too_short", "too_long"):
                            error = "string_" + error
                        found.add(error)
                if kind == "float" and node.get("allow_inf_nan") is False:
                    found.add("finite_number")
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)):
            for value in node:
                walk(value)

    for model in MODELS:
        walk(model.__pydantic_core_schema__)
    return found


def test_every_pydantic_error_type_has_a_french_message() -> None:
    missing = set(typing.get_args(ErrorType)) - set(MESSAGES)
    assert not missing, f"error types without a French message: {sorted(missing)}"
    for kind, template in MESSAGES.items():
        assert not ENGLISH.search(template), (kind, template)


def test_the_models_errors_have_messages_of_their_own() -> None:
    reachable = reachable_error_types()
    assert {"missing", "extra_forbidden", "literal_error", "string_type", "finite_number"} <= reachable
    generic = {messages._ANY, messages._INTERNAL}
    for kind in reachable:
        assert MESSAGES[kind] not in generic, kind


# Values of every type YAML can give a field (text of every kind, numbers, .inf, .nan, booleans,
# null, dates read as text, lists, dictionaries).
SCALARS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "\u200b", "a\nb", "x" * 400, "2026-02-30", "2026-13", "http://x", "https://x.fr/\"<"]),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)


def field_names(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


@st.composite
def documents(draw: st.DrawFn, model: type[BaseModel]) -> dict[str, Any]:
    """A dictionary with some of the model's fields (and nested models' fields), each with any value."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if draw(st.booleans()):
            continue
        nested = _nested_model(info.annotation)
        if nested is not None and draw(st.booleans()):
            item = draw(documents(nested))
            out[name] = [item] if _is_list(info.annotation) else item
        else:
            out[name] = draw(VALUES)
    if draw(st.integers(0, 9)) == 0:
        out[draw(st.text(min_size=1, max_size=6))] = 1  # an unknown key
    return out


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (list, tuple)





@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(MODELS).flatmap(lambda model: st.tuples(st.just(model), documents(model))))
def test_every_error_the_models_raise_is_translated(case: tuple[type[BaseModel], dict[str, Any]]) -> None:
    model, data = case
    try:
        model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):

            assert err["type"] in MESSAGES, err
            message = french(err)
            assert message and not ENGLISH.search(message), (err, message)
