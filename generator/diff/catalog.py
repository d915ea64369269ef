"""The rule catalog as Markdown (docs/DIFF-RULES.md): every rule, its level, direction and
origin, one table per family. Regenerate with `python -m generator.diff.catalog`."""

from __future__ import annotations

from generator.diff.rules import registry

FAMILIES = (
    "endpoints",
    "security",
    "parameters",
    "request-body",
    "responses",
    "schemas",
    "client",
)


def render() -> str:
    rules = registry()
    lines = [
        "# Diff rules",
        "",
        "Every rule `emqx-codegen diff` applies, with its level (ERR breaking, WARN possibly",
        "breaking, INFO), the direction it judges and where its id comes from. Ids and levels",
        "marked oasdiff are the same as oasdiff's, so its ignore lists keep working. The OpenAPI",
        "column says which versions' documents can show the change (3.1 only: its JSON Schema",
        "keywords, type lists, numeric exclusive bounds, webhooks). Generated",
        "from `generator/diff/rules.py` by `python -m generator.diff.catalog`; a test keeps it",
        "in sync. The recipe for adding a rule is in CUSTOMIZING-CHECKS.md.",
    ]
    for family in FAMILIES:
        members = [r for r in rules.values() if r.family == family]
        lines += [
            "",
            f"## {family}",
            "",
            "| Rule | Level | Direction | OpenAPI | Origin |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| `{r.id}` | {r.level.value} | {r.direction.value} | {r.versions} | {r.origin} |"
            for r in members
        ]
    counts = {
        lvl: sum(1 for r in rules.values() if r.level.value == lvl)
        for lvl in ("ERR", "WARN", "INFO")
    }
    ours = sum(1 for r in rules.values() if r.ours)
    lines += [
        "",
        f"{len(rules)} rules: {counts['ERR']} ERR, {counts['WARN']} WARN, {counts['INFO']} INFO; "
        f"{len(rules) - ours} from oasdiff, {ours} of our own.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
