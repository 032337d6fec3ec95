"""Compares two result trees written by two Flywheel revisions from the same inputs on the same
machine: every dataset and attribute of every HDF5 file, and the text reports. Only what
legitimately differs between two runs is left out: times, the commit and version strings.
Prints each difference and exits 1 if there is any.

Trials are matched by what they are (experiment, arm, variant, seed), not by id, so a revision
that changes how ids are made (the resolved config) is compared result by result: the ids and
the `config` text are mapped, not compared. What the newer tree adds (a dataset, an attribute, a
CSV column) is listed as an addition, not a difference; what it drops is a difference. Labels a
revision renamed are mapped through RENAMED. Notebooks are code, not results (NotebookTests runs
them), so they are listed as changed rather than compared when their text differs.

Usage: python compare.py BEFORE_DIR AFTER_DIR
"""
import csv
import io
import pathlib
import re
import sys

import h5py
import numpy as np

VOLATILE_ATTRIBUTES = {"started_at", "finished_at", "wall_seconds", "git_commit", "config", "trial_id"}
VOLATILE_GROUPS = {"versions"}
VOLATILE_COLUMNS = {"wall_seconds", "cpu_hours", "cost_per_seed"}
RENAMED = {"data-centric − model-centric": "data − model"}


def trial_key(attrs):
    return "/".join(str(attrs[k].decode() if isinstance(attrs[k], bytes) else attrs[k]) for k in ("experiment", "arm", "variant", "seed"))


def trial_ids(root):
    """{trial id: key} over every trial file under `root`."""
    ids = {}
    for path in root.rglob("trials/*.h5"):
        with h5py.File(path, "r") as f:
            ids[f.attrs["trial_id"] if isinstance(f.attrs["trial_id"], str) else f.attrs["trial_id"].decode()] = trial_key(f.attrs)
    return ids


def normalised_text(text, ids):
    for trial_id, key in ids.items():
        text = text.replace(trial_id, "<" + key + ">")
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    text = re.sub(r"\b[0-9a-f]{7,40}(\+dirty)?\b", "<commit>", text)
    return re.sub(r"\d+(\.\d+)? s\b", "<seconds> s", text)


def hdf5_items(path, ids):
    """Every dataset and attribute of an HDF5 file as {name: value}, trial groups named by key, volatile ones left out."""
    items = {}

    def name_of(name):
        return "/".join("<" + ids[part] + ">" if part in ids else part for part in name.split("/"))

    def visit(name, obj):
        if any(part in VOLATILE_GROUPS for part in name.split("/")):
            return
        for key, value in obj.attrs.items():
            if key not in VOLATILE_ATTRIBUTES:
                items[f"{name_of(name)}@{key}"] = value
        if isinstance(obj, h5py.Dataset) and pathlib.PurePosixPath(name).name not in VOLATILE_COLUMNS:
            value = obj[()]
            if name.startswith("summary/") and value.dtype.kind in "OS":
                value = np.array([normalised_text(v.decode() if isinstance(v, bytes) else v, ids) for v in value], dtype=object)
            items[name_of(name)] = value

    with h5py.File(path, "r") as f:
        for key, value in f.attrs.items():
            if key not in VOLATILE_ATTRIBUTES:
                items[f"@{key}"] = value
        f.visititems(visit)
        if "summary" in f and "trial_id" in f["summary"]:   # summary rows in trial-id order: reorder by trial
            order = np.argsort([ids.get(t.decode() if isinstance(t, bytes) else t, "") for t in f["summary"]["trial_id"][()]], kind="stable")
            for name in list(items):
                if name.startswith("summary/") and "@" not in name:
                    items[name] = items[name][order]
    return items


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    return np.array_equal(a, b)


def compare_hdf5(before, after, ids_before, ids_after):
    x, y = hdf5_items(before, ids_before), hdf5_items(after, ids_after)
    problems = [f"{after}: {name} is gone" for name in sorted(set(x) - set(y))]
    problems += [f"{after}: {name} differs" for name in sorted(set(x) & set(y)) if not same(x[name], y[name])]
    additions = [f"{after}: {name} added" for name in sorted(set(y) - set(x))]
    return problems, additions


def csv_table(path, ids):
    rows = list(csv.reader(io.StringIO(normalised_text(path.read_text(), ids))))
    return (rows[0], rows[1:]) if rows else ([], [])


def compare_csv(before, after, ids_before, ids_after):
    """Rows in order (ids mapped), the columns both have; a column only in `after` is an addition."""
    (head_a, rows_a), (head_b, rows_b) = csv_table(before, ids_before), csv_table(after, ids_after)
    common = [c for c in head_a if c in head_b and c not in VOLATILE_COLUMNS]
    problems = [f"{after}: column {c} is gone" for c in head_a if c not in head_b]
    additions = [f"{after}: column {c} added" for c in head_b if c not in head_a]
    index = lambda rows, head: sorted([row[head.index(c)] for c in common] for row in rows)
    if index(rows_a, head_a) != index(rows_b, head_b):
        problems.append(f"{after}: values differ from {before} in the columns both have")
    return problems, additions


def stable_text(path, ids):
    """A text report with its volatile parts masked: times, commits, the provenance line and the
    cost table (measured CPU-hours)."""
    lines, in_cost_table = [], False
    for line in normalised_text(path.read_text(), ids).splitlines():
        if line.startswith("## "):
            in_cost_table = line.startswith("## Cost per seed")   # measured CPU-hours vary like wall time
        if not in_cost_table and not line.startswith("Provenance") and not line.startswith("Code: Flywheel commit"):
            lines.append(line)
    return lines


def main(before, after):
    before, after = pathlib.Path(before), pathlib.Path(after)
    ids_before, ids_after = trial_ids(before), trial_ids(after)
    by_key_after = {key: trial_id for trial_id, key in ids_after.items()}

    def counterpart(relative):
        """The file in `after` that holds what `relative` holds in `before` (a trial file by its trial's key)."""
        if relative.parent.name == "trials" and relative.stem in ids_before and ids_before[relative.stem] in by_key_after:
            return relative.parent / (by_key_after[ids_before[relative.stem]] + ".h5")
        return relative

    files_before = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    files_after = {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    problems, additions, changed_code, compared = [], [], [], 0
    matched = set()
    for relative in files_before:
        other = counterpart(relative)
        if other not in files_after:
            problems.append(f"only in {before}: {relative}")
            continue
        matched.add(other)
        a, b = before / relative, after / other
        if relative.suffix == ".h5":
            p, n = compare_hdf5(a, b, ids_before, ids_after)
        elif relative.suffix == ".csv":
            p, n = compare_csv(a, b, ids_before, ids_after)
        elif relative.suffix == ".ipynb":
            if a.read_text() != b.read_text():
                changed_code.append(str(b))
            continue
        elif relative.suffix in {".md", ".svg", ".txt"}:
            p, n = ([f"{b}: text differs from {a}"] if stable_text(a, ids_before) != stable_text(b, ids_after) else []), []
        else:
            continue
        problems += p
        additions += n
        compared += 1
    problems += [f"only in {after}: {p}" for p in sorted(files_after - matched)]
    for line in additions:
        print("addition: " + line)
    for path in changed_code:
        print("notebook code changed (not a result): " + path)
    for problem in problems:
        print(problem)
    remapped = sum(1 for trial_id, key in ids_before.items() if by_key_after.get(key) not in (None, trial_id))
    print(f"{compared} files compared ({remapped} trials under new ids, matched by experiment, arm, variant and seed), "
          f"{len(additions)} addition(s), {len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
