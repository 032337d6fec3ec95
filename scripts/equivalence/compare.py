"""Compares two result trees written by two Flywheel revisions from the same inputs on the same
machine: trial ids, every dataset and attribute of every HDF5 file, and the text reports. Only
what legitimately differs between two runs is left out: times, the commit and version strings.
Prints each difference and exits 1 if there is any.

Usage: python compare.py BEFORE_DIR AFTER_DIR
"""
import csv
import pathlib
import re
import sys

import h5py
import numpy as np

VOLATILE_ATTRIBUTES = {"started_at", "finished_at", "wall_seconds", "git_commit"}
VOLATILE_GROUPS = {"versions"}
VOLATILE_COLUMNS = {"wall_seconds", "cpu_hours", "cost_per_seed"}


def hdf5_items(path):
    """Every dataset and attribute of an HDF5 file as {name: value}, volatile ones left out."""
    items = {}

    def keep(name):
        return not any(part in VOLATILE_GROUPS for part in name.split("/"))

    def visit(name, obj):
        if not keep(name):
            return
        for key, value in obj.attrs.items():
            if key not in VOLATILE_ATTRIBUTES:
                items[f"{name}@{key}"] = value
        if isinstance(obj, h5py.Dataset) and pathlib.PurePosixPath(name).name not in VOLATILE_COLUMNS:
            items[name] = obj[()]

    with h5py.File(path, "r") as f:
        for key, value in f.attrs.items():
            if key not in VOLATILE_ATTRIBUTES:
                items[f"@{key}"] = value
        f.visititems(visit)
    return items


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def compare_hdf5(before, after):
    x, y = hdf5_items(before), hdf5_items(after)
    problems = [f"{after}: {name} only in one file" for name in sorted(set(x) ^ set(y))]
    problems += [f"{after}: {name} differs" for name in sorted(set(x) & set(y)) if not same(x[name], y[name])]
    return problems


def stable_text(path):
    """A text report with its volatile parts masked: times, commits, the provenance line, the cost
    table (measured CPU-hours), and the wall_seconds, cpu_hours and cost_per_seed columns of CSV files."""
    text = path.read_text()
    text = re.sub(r"\b[0-9a-f]{7,40}(\+dirty)?\b", "<commit>", text)
    text = re.sub(r"\d+(\.\d+)? s\b", "<seconds> s", text)
    lines, in_cost_table = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            in_cost_table = line.startswith("## Cost per seed")   # measured CPU-hours vary like wall time
        if not in_cost_table and not line.startswith("Provenance"):
            lines.append(line)
    if path.suffix == ".csv" and lines:
        rows = list(csv.reader(lines))
        keep = [i for i, name in enumerate(rows[0]) if name not in VOLATILE_COLUMNS]
        lines = [[row[i] for i in keep if i < len(row)] for row in rows]
    return lines


def main(before, after):
    before, after = pathlib.Path(before), pathlib.Path(after)
    files_before = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    files_after = sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    problems = [f"only in {before}: {p}" for p in sorted(set(files_before) - set(files_after))]
    problems += [f"only in {after}: {p}" for p in sorted(set(files_after) - set(files_before))]
    compared = 0
    for relative in sorted(set(files_before) & set(files_after)):
        a, b = before / relative, after / relative
        if relative.suffix == ".h5":
            problems += compare_hdf5(a, b)
        elif relative.suffix in {".md", ".csv", ".svg", ".ipynb", ".txt"}:
            if stable_text(a) != stable_text(b):
                problems.append(f"{b}: text differs from {a}")
        else:
            continue
        compared += 1
    for problem in problems:
        print(problem)
    print(f"{compared} files compared, {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
