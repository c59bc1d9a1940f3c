"""Data errors that name the file, the field and the line, and never show a traceback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DataError:
    file: Path | str
    field: str  # dotted field path, "" for the whole document
    message: str  # what is wrong and what is expected, in plain words
    line: int | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}"


class DataErrors(Exception):
    """One or more data errors; the message lists them all, one per line."""

    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.errors)
        head = f"{count} erreur{'s' if count > 1 else ''} dans les données :"
        return "\n".join([head, *(f"  - {error}" for error in self.errors)])
