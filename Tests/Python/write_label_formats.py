"""Writes one set of labels and probabilities in every format `flywheel label-issues` reads.

Usage: python write_label_formats.py labels.csv pred_probs.csv OUT_FOLDER
Writes labels-i64.npy, labels-i32.npy, probs-f64.npy, probs-f32.npy (np.save), data.h5 with
/labels (int64) and /nested/probs (float64) (h5py), and labels-excel.csv / probs-excel.csv as
Python's csv module writes them (CRLF line ends) behind a UTF-8 byte-order mark, with a header.
"""
import csv
import sys

import h5py
import numpy as np

labels = np.loadtxt(sys.argv[1], dtype=np.int64, ndmin=1)
probs = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
out = sys.argv[3]
np.save(f"{out}/labels-i64.npy", labels)
np.save(f"{out}/labels-i32.npy", labels.astype(np.int32))
np.save(f"{out}/probs-f64.npy", probs)
np.save(f"{out}/probs-f32.npy", probs.astype(np.float32))
with h5py.File(f"{out}/data.h5", "w") as f:
    f["labels"] = labels
    f.create_group("nested")["probs"] = probs
for name, header, rows in [("labels-excel.csv", ["label"], [[int(x)] for x in labels]),
                           ("probs-excel.csv", [f"p{k}" for k in range(probs.shape[1])], [[repr(float(x)) for x in row] for row in probs])]:
    with open(f"{out}/{name}", "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
