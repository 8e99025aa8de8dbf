"""The recipes the engine checks run are the ones docs/scale.md shows: every
line between `# --- the recipe (docs/scale.md)` and `# ---` in a check must
appear, in the same order, in the docs' code blocks. Only the run's
parameters may differ (the docs' sizes are real, the checks' are small):
lines that set N, USERS, SEED or binary are skipped, and `USERS_`/`SEED_`
(closure-safe copies in a check) read as `USERS`/`SEED`. Lines are compared
without their end-of-line comments, without a last `> FILE` or any
`> /dev/null` (a check keeps or drops what a reader would see) and with
runs of spaces as one.

Usage: check_recipes_in_docs.py DOCS.md CHECK...
"""

import re
import sys
from pathlib import Path

START = "# --- the recipe (docs/scale.md)"
PARAMETERS = re.compile(r"^(N|USERS_?|SEED_?|binary)(\s*,\s*\w+)*\s*=")
COMMENT = re.compile(r"\s+#\s.*$")
REDIRECT = re.compile(r"\s+>\s*\S+$|\s+>\s*/dev/null\b")


def normalised(line):
    """A line without indentation, end-of-line comment, last redirection and
    repeated spaces."""
    return " ".join(REDIRECT.sub("", COMMENT.sub("", line)).split())


def recipes(text):
    """The recipe blocks of a check, as lists of normalised lines."""
    blocks, block = [], None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == START:
            block = []
        elif block is not None and stripped == "# ---":
            blocks.append(block)
            block = None
        elif block is not None and stripped and not PARAMETERS.match(stripped):
            block.append(re.sub(r"\b(USERS|SEED)_\b", r"\1", normalised(stripped)))
    return blocks


def code_lines(markdown):
    """The lines of the docs' fenced code blocks, in page order, normalised."""
    return [normalised(line) for block in re.findall(r"```[a-z]*\n(.*?)```", markdown, re.S)
            for line in block.splitlines() if line.strip()]


def in_order(needles, haystack):
    """Whether every needle appears in haystack, in order; else the first missing."""
    at = 0
    for needle in needles:
        try:
            at = haystack.index(needle, at) + 1
        except ValueError:
            return needle
    return None


def main(docs, checks):
    lines = code_lines(Path(docs).read_text())
    failures, count = [], 0
    for check in checks:
        for recipe in recipes(Path(check).read_text()):
            count += 1
            missing = in_order(recipe, lines)
            if missing is not None:
                failures.append(f"{check}: a recipe line is not in the code of {docs} (in order): {missing}")
    if failures:
        sys.exit("\n".join(failures))
    print(f"recipes: the {count} recipe blocks of {len(checks)} checks are in {docs}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
