"""Turns a public image set's repository (a git directory at a pinned commit) into the class-per-folder
tree `flywheel data import` reads: OUT/<class>/<image>.png, plus OUT/MANIFEST.tsv (class, images,
SHA-256 over the class's decoded pixels in name order, so another zlib's PNG bytes still match).

Sets (see scripts/fetch-real.sh for where each comes from):
  xsdd     X-SDD, hot-rolled steel strip surface defects: 7 classes, 63-397 images each, 128 px RGB. Copied.
  deeppcb  DeepPCB, printed-circuit-board defects: every annotated defect box of the tested images,
           cut out as a square 1.5x the box's longer side (at least 40 px), 6 classes; 300 per class drawn
           with seed 1 (the set has ~1,500-2,000 of each; 300 keeps the set near NEU's size).
  bccd     BCCD, blood-cell smears: every annotated cell box cut out as a square around it, 3 classes
           (RBC, WBC, Platelets); the red cells, ~12x the others, are capped at 1,000 drawn with seed 1,
           so the set stays imbalanced (about 1000:370:350) but the import stays small.

Exit status 2 with the file and what was expected when the repository lacks a file the set needs.
"""
import argparse
import hashlib
import io
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from PIL import Image


class SourceError(Exception):
    """A file the set needs is missing or unreadable in the repository."""


def git(git_dir, *args):
    result = subprocess.run(["git", "--git-dir", git_dir, *args], capture_output=True)
    if result.returncode != 0:
        raise SourceError(f"git {' '.join(args)} in {git_dir}: {result.stderr.decode().strip()}")
    return result.stdout


def list_files(git_dir, commit, folder):
    return [line for line in git(git_dir, "ls-tree", "-r", "--name-only", commit, folder).decode().splitlines() if line]


def read_blob(git_dir, commit, path):
    return git(git_dir, "show", f"{commit}:{path}")


def open_image(git_dir, commit, path):
    try:
        return Image.open(io.BytesIO(read_blob(git_dir, commit, path)))
    except OSError as error:
        raise SourceError(f"{path}: not a readable image ({error})")


def square_box(x1, y1, x2, y2, width, height, scale, minimum):
    """The square around a box, `scale` times its longer side (at least `minimum`), kept inside the image."""
    side = min(max(int(round(max(x2 - x1, y2 - y1) * scale)), minimum), width, height)
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    left = int(round(min(max(cx - side / 2, 0), width - side)))
    top = int(round(min(max(cy - side / 2, 0), height - side)))
    return left, top, left + side, top + side


def xsdd(git_dir, commit):
    """X-SDD's images as published, one folder per class (spaces in class names become hyphens)."""
    for path in list_files(git_dir, commit, "X-SDD/datas"):
        if not path.lower().endswith((".jpg", ".png")):
            continue
        label = path.split("/")[2].replace(" ", "-")
        image = open_image(git_dir, commit, path)
        yield label, os.path.splitext(os.path.basename(path))[0], image.convert("RGB")


DEEPPCB_CLASSES = {1: "open", 2: "short", 3: "mousebite", 4: "spur", 5: "copper", 6: "pin-hole"}


def deeppcb(git_dir, commit):
    """Each annotated defect of DeepPCB's tested images, cut out around its box."""
    lines = [line for part in ("trainval", "test") for line in read_blob(git_dir, commit, f"PCBData/{part}.txt").decode().splitlines()]
    for line in lines:
        if not line.strip():
            continue
        image_path, boxes_path = line.split()
        image_path = "PCBData/" + image_path.replace(".jpg", "_test.jpg")
        image = open_image(git_dir, commit, image_path).convert("L")
        for index, row in enumerate(read_blob(git_dir, commit, "PCBData/" + boxes_path).decode().splitlines()):
            fields = row.replace(",", " ").split()
            if len(fields) != 5:
                raise SourceError(f"PCBData/{boxes_path} line {index + 1}: expected 'x1 y1 x2 y2 type', got {row!r}")
            x1, y1, x2, y2, kind = map(int, fields)
            box = square_box(x1, y1, x2, y2, *image.size, scale=1.5, minimum=40)
            stem = os.path.splitext(os.path.basename(image_path))[0]
            yield DEEPPCB_CLASSES[kind], f"{stem}-{index}", image.crop(box)


def bccd(git_dir, commit):
    """Each annotated cell of BCCD's smears, cut out as a square around its box."""
    for path in list_files(git_dir, commit, "BCCD/Annotations"):
        root = ElementTree.fromstring(read_blob(git_dir, commit, path))
        name = root.findtext("filename")
        image = open_image(git_dir, commit, "BCCD/JPEGImages/" + name).convert("RGB")
        for index, item in enumerate(root.iter("object")):
            box = item.find("bndbox")
            x1, y1, x2, y2 = (int(float(box.findtext(key))) for key in ("xmin", "ymin", "xmax", "ymax"))
            if x2 - x1 < 4 or y2 - y1 < 4:
                continue
            crop = square_box(x1, y1, x2, y2, *image.size, scale=1.1, minimum=24)
            yield item.findtext("name").strip(), f"{os.path.splitext(name)[0]}-{index}", image.crop(crop)


SETS = {"xsdd": (xsdd, {}), "deeppcb": (deeppcb, {"*": 300}), "bccd": (bccd, {"RBC": 1000})}


def capped(items, caps, seed=1):
    """At most caps[class] (or caps['*']) items of each class, drawn with a fixed seed."""
    by_class = {}
    for label, stem, image in items:
        by_class.setdefault(label, []).append((stem, image))
    for label in sorted(by_class):
        chosen = sorted(by_class[label], key=lambda item: item[0])
        cap = caps.get(label, caps.get("*"))
        if cap is not None and len(chosen) > cap:
            chosen = sorted(random.Random(seed).sample(chosen, cap), key=lambda item: item[0])
        yield label, chosen


def write_set(name, git_dir, commit, out):
    reader, caps = SETS[name]
    manifest = []
    for label, items in capped(reader(git_dir, commit), caps):
        folder = os.path.join(out, label)
        os.makedirs(folder, exist_ok=True)
        digest = hashlib.sha256()
        for stem, image in items:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            digest.update(f"{stem} {image.mode} {image.size}".encode() + image.tobytes())
            with open(os.path.join(folder, stem + ".png"), "wb") as file:
                file.write(buffer.getvalue())
        manifest.append(f"{label}\t{len(items)}\t{digest.hexdigest()}")
    with open(os.path.join(out, "MANIFEST.tsv"), "w") as file:
        file.write("\n".join(manifest) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", choices=sorted(SETS))
    parser.add_argument("--git-dir", required=True)
    parser.add_argument("--commit", required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    try:
        write_set(arguments.set, arguments.git_dir, arguments.commit, arguments.out)
    except SourceError as error:
        print(f"prepare {arguments.set}: {error}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
