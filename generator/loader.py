"""Load the split spec into one bundled document, with a source map and findings.

`$ref`s between files are resolved here. A ref to `file.yaml#/<section>/<Name>` (where
section is a components section such as `schemas`) is hoisted to
`#/components/<section>/<Name>` of the bundle; any other cross-file ref (a Path Item in
`paths/x.yaml`) is inlined. Every node of the bundle keeps the file and line it came from.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Finding, Findings, Location, error, warning
from generator.stagecache import StageCache
from generator.yamlsource import YamlDocument, escape, parse_yaml, split_pointer

_PARSED = "parsed"

COMPONENT_SECTIONS = (
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
)


@dataclass
class SourceMap:
    """JSON pointer in the bundle -> where that node was written."""

    locations: dict[str, Location] = field(default_factory=dict)

    def locate(self, pointer: str) -> Location | None:
        while True:
            if pointer in self.locations:
                return self.locations[pointer]
            if not pointer:
                return None
            pointer = pointer.rsplit("/", 1)[0]


@dataclass(frozen=True)
class LoadedSpec:
    document: dict[str, Any]
    source_map: SourceMap
    files: tuple[str, ...]

    @property
    def spec_hash(self) -> str:
        return spec_hash(self.document)


def canonical_json(document: Any) -> str:
    return json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def spec_hash(document: Any) -> str:
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _display(path: Path) -> str:
    """A path as the user would write it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def resolve_pointer(data: Any, pointer: str) -> tuple[bool, Any]:
    node = data
    for token in split_pointer(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False, None
    return True, node


class _Bundler:
    def __init__(self, root: Path, cache: StageCache | None = None) -> None:
        self.root = root.resolve()
        self.cache = cache
        self.documents: dict[Path, YamlDocument | None] = {}
        self.findings = Findings()
        self.source_map = SourceMap()
        self.hoisted: dict[tuple[str, str], tuple[Path, str]] = {}
        self.components: dict[str, dict[str, Any]] = {}
        self._inlining: list[tuple[Path, str]] = []
        self._last: tuple[Path | None, YamlDocument | None] = (None, None)
        self._resolved: dict[tuple[str, str], Path] = {}

    def read(self, path: Path) -> YamlDocument | None:
        if path in self.documents:
            return self.documents[path]
        name = _display(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            self.documents[path] = None
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.findings.add(error("file-unreadable", f"cannot read {name}: {reason}"))
            return None
        doc, problems = self.parse(text, name)
        self.findings.extend(problems)
        self.documents[path] = doc
        return doc

    def parse(self, text: str, name: str) -> tuple[YamlDocument | None, list[Finding]]:
        """parse_yaml, or the document it made of the same text before (a file that parsed
        without findings is kept in generate's stage cache)."""
        if self.cache is None:
            return parse_yaml(text, name)
        key = f"{name}\0{text}"
        kept = self.cache.get_bytes(_PARSED, key)
        if kept is not None:
            try:
                data, lines = pickle.loads(kept)
                return YamlDocument(name, data, lines), []
            except Exception:  # an entry another version wrote: parse again
                pass
        doc, problems = parse_yaml(text, name)
        if doc is not None and not problems:
            self.cache.put_bytes(_PARSED, key, pickle.dumps((doc.data, doc.lines), protocol=5))
        return doc, problems

    def bundle(self) -> dict[str, Any] | None:
        root = self.read(self.root)
        if root is None:
            return None
        if not isinstance(root.data, dict):
            self.findings.add(
                error("not-a-mapping", "the root document must be a mapping", root.location(""))
            )
            return None
        out = self.copy(root.data, self.root, "", "")
        assert isinstance(out, dict)
        if self.components:
            comps = out.setdefault("components", {})
            for section in COMPONENT_SECTIONS:
                entries = self.components.get(section)
                if not entries:
                    continue
                target = comps.setdefault(section, {})
                for name in sorted(entries):
                    if name in target:
                        self.findings.add(
                            error(
                                "duplicate-component",
                                f"{section}/{name} is defined in the root and hoisted from a component file",
                                self.source_map.locate(f"/components/{section}/{escape(name)}"),
                                f"/components/{section}/{escape(name)}",
                            )
                        )
                        continue
                    target[name] = entries[name]
        return out

    def _resolve(self, path: Path, file_part: str) -> Path:
        """The file a ref names (resolved once for each folder and name)."""
        key = (str(path.parent), file_part)
        if key not in self._resolved:
            self._resolved[key] = (path.parent / file_part).resolve()
        return self._resolved[key]

    def _document(self, path: Path) -> YamlDocument | None:
        """self.documents[path], the last one found kept at hand: copy asks for the same
        path object at every node, and comparing paths costs more than the copy."""
        if path is not self._last[0]:
            self._last = (path, self.documents[path])
        return self._last[1]

    def copy(self, value: Any, path: Path, fptr: str, optr: str) -> Any:
        doc = self._document(path)
        assert doc is not None
        self.source_map.locations.setdefault(optr, doc.location(fptr))
        if isinstance(value, dict):
            if "$ref" in value:
                return self.ref(value, path, fptr, optr)
            return {
                k: self.copy(v, path, f"{fptr}/{escape(k)}", f"{optr}/{escape(k)}")
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [self.copy(v, path, f"{fptr}/{i}", f"{optr}/{i}") for i, v in enumerate(value)]
        return value

    def ref(self, node: dict[str, Any], path: Path, fptr: str, optr: str) -> Any:
        doc = self.documents[path]
        assert doc is not None
        where = doc.location(f"{fptr}/$ref")
        ref = node["$ref"]
        extra = sorted(k for k in node if k != "$ref")
        if extra:
            self.findings.add(
                warning(
                    "ref-siblings", f"keys beside $ref are ignored: {', '.join(extra)}", where, optr
                )
            )
        if not isinstance(ref, str):
            self.findings.add(error("ref-not-string", "$ref must be a string", where, optr))
            return {}
        if "#" not in ref:
            self.findings.add(
                error(
                    "ref-without-pointer",
                    f"$ref {ref!r} has no '#/' pointer; write '#/components/schemas/{ref}' "
                    f"or 'file.yaml#/schemas/{ref}'",
                    where,
                    optr,
                )
            )
            return {}
        file_part, _, frag = ref.partition("#")
        if frag and not frag.startswith("/"):
            self.findings.add(
                error(
                    "ref-bad-pointer",
                    f"$ref {ref!r}: the pointer must start with '#/'",
                    where,
                    optr,
                )
            )
            return {}
        target_path = self._resolve(path, file_part) if file_part else path
        target = (
            self.read(target_path)
            if target_path.exists() or target_path in self.documents
            else None
        )
        if target is None:
            if not target_path.exists():
                self.findings.add(
                    error(
                        "ref-file-missing",
                        f"$ref {ref!r}: no file {_display(target_path)}",
                        where,
                        optr,
                    )
                )
            return {}
        found, value = resolve_pointer(target.data, frag)
        if not found:
            self.findings.add(
                error(
                    "ref-dangling",
                    f"$ref {ref!r}: nothing at {frag or '/'} in {target.name}",
                    where,
                    optr,
                )
            )
            return {}
        parts = split_pointer(frag)
        if target_path == self.root:
            if len(parts) == 3 and parts[0] == "components":
                return {"$ref": f"#{frag}"}
            return self.inline(value, target_path, frag, optr, ref, where)
        if len(parts) == 2 and parts[0] in COMPONENT_SECTIONS:
            return self.hoist(parts[0], parts[1], value, target_path, frag, optr, where)
        return self.inline(value, target_path, frag, optr, ref, where)

    def hoist(
        self, section: str, name: str, value: Any, path: Path, frag: str, optr: str, where: Location
    ) -> Any:
        key = (section, name)
        origin = (path, frag)
        out_ref = {"$ref": f"#/components/{section}/{escape(name)}"}
        if key in self.hoisted:
            if self.hoisted[key] != origin:
                other = self.documents[self.hoisted[key][0]]
                other_name = other.name if other else "?"
                self.findings.add(
                    error(
                        "duplicate-component",
                        f"{section}/{name} is defined both in {other_name} and in {_display(path)}",
                        where,
                        optr,
                    )
                )
            return out_ref
        self.hoisted[key] = origin
        section_entries = self.components.setdefault(section, {})
        section_entries[name] = None
        section_entries[name] = self.copy(
            value, path, frag, f"/components/{section}/{escape(name)}"
        )
        return out_ref

    def inline(
        self, value: Any, path: Path, frag: str, optr: str, ref: str, where: Location
    ) -> Any:
        if (path, frag) in self._inlining:
            self.findings.add(
                error("ref-cycle", f"$ref {ref!r} refers back to itself", where, optr)
            )
            return {}
        self._inlining.append((path, frag))
        try:
            return self.copy(value, path, frag, optr)
        finally:
            self._inlining.pop()


def load(root: Path, cache: StageCache | None = None) -> tuple[LoadedSpec | None, Findings]:
    """Read and bundle the spec rooted at `root`. Returns no spec when it cannot be built.
    With a cache (generate's), a file parsed before with the same text is not parsed again."""
    if root.is_dir():
        root = root / "openapi.yaml"
    bundler = _Bundler(root, cache)
    if not root.exists():
        bundler.findings.add(error("file-unreadable", f"no spec at {_display(root)}"))
        return None, bundler.findings
    try:
        document = bundler.bundle()
    except RecursionError:
        where = Location(_display(root), 0)
        bundler.findings.add(
            error("nesting-too-deep", "the spec nests too deeply to be bundled", where)
        )
        return None, bundler.findings
    if document is None or not bundler.findings.ok:
        return None, bundler.findings
    files = tuple(sorted(doc.name for doc in bundler.documents.values() if doc is not None))
    return LoadedSpec(document, bundler.source_map, files), bundler.findings
