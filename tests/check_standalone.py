#!/usr/bin/env python3
"""Fails when a file of the source tree points at the team's reference shelf, which a student's
clone does not have: a relative path up to a sibling `shared` folder, or a path into its seeds,
reference, testdata or hooks. Walks the files on disk rather than asking git, so a CI clone (or an
exported kit without .git) is checked the same way. Prints FILE:LINE: TEXT for each hit.

usage: check_standalone.py SOURCE_DIR"""
import os, re, sys

# Spelled in pieces so that this file does not match itself.
SHELF = "sha" + "red"
POINTER = re.compile(r"\.\./" + SHELF + r"\b|/work/" + SHELF + r"\b|\b" + SHELF + r"/(seeds|reference|testdata|hooks)\b")
# Version control, installed packages and notebook checkpoints are not the project's source.
SKIPPED_DIRS = {".git", "node_modules", ".ipynb_checkpoints", "__pycache__"}
MAX_FILE_BYTES = 4 * 1024 * 1024  # larger files are data, not text a student reads


def is_build_dir(path, names):
    """A CMake build folder (in-tree or not, whatever its name) has a CMakeCache.txt."""
    return "CMakeCache.txt" in names or re.fullmatch(r"build([-_.].*)?", os.path.basename(path)) is not None


def pointers_in(path):
    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return []
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        print(f"{path}: cannot read: {error.strerror}", file=sys.stderr)
        return []
    if b"\0" in data:
        return []  # binary
    text = data.decode("utf-8", errors="replace")
    return [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1) if POINTER.search(line)]


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: check_standalone.py SOURCE_DIR (an existing folder)", file=sys.stderr)
        return 2
    root = os.path.abspath(sys.argv[1])
    hits, files_read = [], 0
    for folder, dirs, files in os.walk(root):
        if folder != root and is_build_dir(folder, dirs + files):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            files_read += 1
            hits += [(os.path.relpath(path, root), number, line) for number, line in pointers_in(path)]
    for path, number, line in hits:
        print(f"{path}:{number}: {line[:200]}")
    if hits:
        print(f"FAIL {len(hits)} line(s) point outside the repository (at the reference shelf); "
              f"a clone does not have it: put what is needed in docs/ and point there")
        return 1
    print(f"ok: {files_read} files, none points outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main())
