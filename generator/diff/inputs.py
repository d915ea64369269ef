"""Read BASE or REVISION: a spec file (YAML or JSON), a split spec folder, or GITREF:PATH.

A git input is read without a checkout: the files under PATH's folder at GITREF are
written into a temporary folder with one `git cat-file --batch`, loaded from there, and
every file name in the result is given back as the repository path, so annotations and
findings point at files the user knows. Problems are located findings, never exceptions.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath

from generator.diagnostics import Finding, Findings, Location, error
from generator.diff.json_input import JsonLines, read_json
from generator.loader import LoadedSpec, SourceMap, load

ROOT_NAMES = ("openapi.yaml", "openapi.yml", "openapi.json")
_VERSION = re.compile(r"^3\.[01]\.\d+")


def read_spec(arg: str, cwd: Path | None = None) -> tuple[LoadedSpec | None, Findings]:
    """Load one side of the diff. The spec is None when it cannot be read."""
    cwd = cwd or Path.cwd()
    path = Path(arg) if Path(arg).is_absolute() else cwd / arg
    if path.exists():
        spec, findings = _load_path(path, arg)
    elif ":" in arg and not re.match(r"^[A-Za-z]:[\\/]", arg):
        spec, findings = _load_git(arg, cwd)
    else:
        findings = Findings()
        findings.add(error("input-missing", f"{arg}: no such file or folder, and not GITREF:PATH"))
        return None, findings
    if spec is not None:
        problem = _version_problem(spec, arg)
        if problem is not None:
            findings.add(problem)
            return None, findings
    return spec, findings


def _load_path(path: Path, arg: str) -> tuple[LoadedSpec | None, Findings]:
    if path.is_dir():
        root = next((path / n for n in ROOT_NAMES if (path / n).is_file()), None)
        if root is None:
            findings = Findings()
            names = ", ".join(ROOT_NAMES)
            findings.add(error("input-missing", f"{arg}: the folder has none of {names}"))
            return None, findings
        path = root
    if path.suffix.lower() == ".json":
        fast = read_json(path, _display(path))
        if fast is not None:
            return fast, Findings()
    return load(path)


def _display(path: Path) -> str:
    """The file name as the general loader shows it: relative to the working folder."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _version_problem(spec: LoadedSpec, arg: str) -> Finding | None:
    version = spec.document.get("openapi")
    if isinstance(version, str) and _VERSION.match(version):
        return None
    where = spec.source_map.locate("/openapi") or spec.source_map.locate("")
    shown = repr(version) if version is not None else "no `openapi` field"
    return error(
        "input-not-openapi-3",
        f"{arg}: not an OpenAPI 3.0 or 3.1 document ({shown})",
        where,
        "/openapi",
    )


def _git(
    args: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)


def _load_git(arg: str, cwd: Path) -> tuple[LoadedSpec | None, Findings]:
    findings = Findings()
    ref, _, raw_path = arg.partition(":")
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        findings.add(error("input-git", f"{arg}: {cwd} is not inside a git repository"))
        return None, findings
    repo = Path(top.stdout.decode().strip())
    if _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo).returncode != 0:
        findings.add(error("input-git", f"{arg}: {ref!r} is not a commit, branch or tag here"))
        return None, findings
    rel = PurePosixPath(raw_path.strip("/") or ".")
    kind = _git(["cat-file", "-t", f"{ref}:{rel}"], repo).stdout.decode().strip()
    if kind not in ("tree", "blob"):
        findings.add(error("input-git", f"{arg}: no {rel} at {ref}"))
        return None, findings
    folder = rel if kind == "tree" else rel.parent
    listing = _git(
        ["ls-tree", "-r", "--full-tree", ref, "--", f"{folder}/" if str(folder) != "." else "."],
        repo,
    )
    files = [
        line.split("\t", 1)[1]
        for line in listing.stdout.decode().splitlines()
        if "\t" in line and line.split()[1] == "blob"
    ]
    with tempfile.TemporaryDirectory(prefix="emqx-diff-") as tmp:
        tmp_root = Path(tmp).resolve()
        _extract(repo, ref, files, tmp_root)
        entry = tmp_root / rel
        if kind == "tree":
            entry = next(
                (entry / n for n in ROOT_NAMES if (entry / n).is_file()), entry / ROOT_NAMES[0]
            )
        spec, loaded = _load_path(entry, arg)
    prefix = str(tmp_root) + os.sep
    for finding in loaded:
        findings.add(_rename_finding(finding, prefix, ref))
    if spec is None:
        return None, findings
    if isinstance(spec.source_map, JsonLines):
        name = _rename(spec.source_map.name, prefix)
        return replace(spec, source_map=spec.source_map.renamed(name), files=(name,)), findings
    locations = {
        ptr: Location(_rename(loc.file, prefix), loc.line)
        for ptr, loc in spec.source_map.locations.items()
    }
    files_out = tuple(_rename(f, prefix) for f in spec.files)
    return replace(spec, source_map=SourceMap(locations), files=files_out), findings


def _extract(repo: Path, ref: str, files: list[str], into: Path) -> None:
    batch = "".join(f"{ref}:{name}\n" for name in files).encode()
    out = _git(["cat-file", "--batch"], repo, batch).stdout
    pos = 0
    for name in files:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        pos = header_end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue
        size = int(header[2])
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out[pos : pos + size])
        pos += size + 1


def _rename(name: str, prefix: str) -> str:
    return name[len(prefix) :].replace(os.sep, "/") if name.startswith(prefix) else name


def _rename_finding(finding: Finding, prefix: str, ref: str) -> Finding:
    location = finding.location
    if location is not None and location.file.startswith(prefix):
        location = Location(f"{ref}:{_rename(location.file, prefix)}", location.line)
    return replace(finding, location=location, message=finding.message.replace(prefix, f"{ref}:"))
