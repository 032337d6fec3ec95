"""What cleanlab flags on given labels and predicted probabilities, as JSON on stdout.

Usage: python cleanlab_reference.py labels.csv pred_probs.csv
labels.csv: one integer label per line. pred_probs.csv: one row of K probabilities per line.
"""
import json
import sys

import numpy as np
from cleanlab.count import compute_confident_joint, estimate_latent
from cleanlab.filter import find_label_issues

labels = np.loadtxt(sys.argv[1], dtype=int, ndmin=1)
pred_probs = np.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
result = {"cleanlab": __import__("cleanlab").__version__, "flagged": {}, "ranked": {}}
for filter_by in ["prune_by_noise_rate", "prune_by_class", "both", "confident_learning", "predicted_neq_given"]:
    mask = find_label_issues(labels, pred_probs, filter_by=filter_by, n_jobs=1)
    result["flagged"][filter_by] = np.flatnonzero(mask).tolist()
for rank_by in ["self_confidence", "normalized_margin"]:
    ranked = find_label_issues(labels, pred_probs, return_indices_ranked_by=rank_by, n_jobs=1)
    result["ranked"][rank_by] = ranked.tolist()
joint = compute_confident_joint(labels, pred_probs)
result["confident_joint"] = joint.tolist()
py, noise_matrix, inverse = estimate_latent(joint, labels)
result["noise_matrix"] = noise_matrix.tolist()
result["inverse_noise_matrix"] = inverse.tolist()
result["prior"] = py.tolist()
print(json.dumps(result))
