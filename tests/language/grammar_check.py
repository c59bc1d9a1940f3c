"""Grammalecte over paragraphs: JSON list of texts on stdin, JSON list of errors on stdout.

Run by the system Python (/usr/bin/python3), where Debian's python3-grammalecte lives, so that
the project's virtual environment need not see it. Spelling is left to hunspell.
"""

import json
import sys

import grammalecte


def main() -> None:
    checker = grammalecte.GrammarChecker("fr")
    errors = []
    for index, text in enumerate(json.load(sys.stdin)):
        grammar, _spelling = checker.getParagraphErrors(text, bContext=False)
        for error in grammar:
            errors.append(
                {
                    "index": index,
                    "rule": error["sRuleId"],
                    "type": error["sType"],
                    "message": error["sMessage"],
                    "text": text[error["nStart"] : error["nEnd"]],
                    "context": text[max(0, error["nStart"] - 40) : error["nEnd"] + 40],
                }
            )
    json.dump(errors, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
