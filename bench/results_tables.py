#!/usr/bin/env python3
"""Prints the markdown tables of docs/results.md from the JSON files bench/results.sh writes."""
import json
import os
import sys

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs")


def load(name):
    path = os.path.join(DOCS, name)
    return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else None


def code(genome):
    """A genome in a table cell: its '|' escaped so the row keeps its columns."""
    return "`" + genome.replace("|", "\\|") + "`"


def ci(o, scale=1.0, digits=4):
    return f"{o['mean'] * scale:.{digits}f} [{o['ci95_low'] * scale:.{digits}f}, {o['ci95_high'] * scale:.{digits}f}]"


def rules():
    rows = load("results-rules.json")
    if not rows:
        return
    print("| rule | lr (chosen on valid, seed 1) | test error % mean [95% CI], 3 seeds | per-seed test error % | BioTorch error % (100 epochs) | exact_gradient_fraction | angle to true gradient, last epoch, seed 1 (deg, per layer) |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        per = ", ".join(f"{x['test_error_percent']:.2f}" for x in r["runs"])
        ang = " ".join(f"{a:.0f}" for a in r["angle_to_true_gradient_degrees"])
        print(f"| {r['rule']} | {r['learning_rate']} | {ci(r['test_error_percent'], digits=2)} | {per} | "
              f"{r.get('biotorch_test_error_percent', '-')} | {r['exact_gradient_fraction']:.4f} | {ang} |")


def mixtures(name):
    d = load(name)
    if not d:
        return
    print(f"{d['seeds']} seeds, {d['epochs']} epoch(s) on the first {d['train_limit']} training images, lr {d['learning_rate']}, "
          f"wall time {d['wall_seconds']:.0f} s\n")
    print("| assignment | canonical genome | exact_gradient_fraction | valid accuracy [95% CI] | test accuracy [95% CI] |")
    print("|---|---|---|---|---|")
    for g in d["genomes"]:
        print(f"| {g['name']} | {code(g['genome'])} | {g['exact_gradient_fraction']:.4f} | {ci(g['valid_accuracy'])} | {ci(g['test_accuracy'])} |")
    if "comparison" in d:
        c = d["comparison"]
        print(f"\nBest mixture by validation: **{c['best_mixture_by_valid']}**; best single rule by validation: "
              f"**{c['best_single_by_valid']}**; test accuracy, mixture minus single, paired by seed: "
              f"**{ci(c['test_accuracy_mixture_minus_single'])}**.")


T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262]


def interval(xs):
    """Mean and 95% CI (Student's t), as the CLI's Interval computes it."""
    n = len(xs)
    m = sum(xs) / n
    if n < 2:
        return {"n": n, "mean": m, "ci95_low": float("nan"), "ci95_high": float("nan")}
    sd = (sum((x - m) ** 2 for x in xs) / (n - 1)) ** 0.5
    h = T975[n - 2] * sd / n ** 0.5
    return {"n": n, "mean": m, "ci95_low": m - h, "ci95_high": m + h}


def mixing():
    parts = [d for d in (load("results-mixing-a.json"), load("results-mixing-b.json")) if d]
    if not parts:
        return
    d = parts[0]
    runs = sorted((r for p in parts for r in p["runs"]), key=lambda r: (r["seed"], r["arm"]))
    print(f"budget {d['budget_per_arm']} networks per arm and seed, {d['strategy']} search, {d['epochs']} epochs on "
          f"{d['train_limit']} images, lr {d['learning_rate']}, rules {d['rules']}, exact_gradient_fraction at most "
          f"{d.get('max_exact_gradient_fraction', 1.0)} in both arms; winners' robustness: protocol "
          f"{d['robustness_protocol']} on {d['robustness_examples']} test images; wall time "
          f"{max(p['wall_seconds'] for p in parts):.0f} s (two processes)\n")
    print("| arm | seed | winner (by valid) | exact_gradient_fraction | valid | test | APGD-CE | APGD-T | FAB-T | Square | transfer | worst case | unreliable |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in runs:
        g = lambda k: f"{r[k]:.4f}" if k in r else "-"
        print(f"| {r['arm']} | {r['seed']} | {code(r['genome'])} | {r['exact_gradient_fraction']:.4f} | {g('valid_accuracy')} | "
              f"{g('test_accuracy')} | {g('apgd_accuracy')} | {g('apgd_t_accuracy')} | {g('fab_t_accuracy')} | "
              f"{g('square_accuracy')} | {g('transfer_accuracy')} | {g('worst_case_accuracy')} | "
              f"{'; '.join(r.get('unreliable_reasons', [])) or 'no'} |")
    print("\n| metric of the winners | mixed [95% CI] | single [95% CI] | mixed - single, paired by seed [95% CI] |")
    print("|---|---|---|---|")
    for m in ("valid_accuracy", "test_accuracy", "apgd_accuracy", "worst_case_accuracy", "exact_gradient_fraction"):
        by = {arm: {r["seed"]: r[m] for r in runs if r["arm"] == arm and m in r} for arm in ("mixed", "single")}
        seeds = sorted(set(by["mixed"]) & set(by["single"]))
        if not seeds:
            continue
        diff = [by["mixed"][k] - by["single"][k] for k in seeds]
        print(f"| {m} | {ci(interval(list(by['mixed'].values())))} | {ci(interval(list(by['single'].values())))} | "
              f"{ci(interval(diff))} |")


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("rules", "all"):
        rules()
    if what in ("lenet", "all"):
        mixtures("results-mixtures-lenet.json")
    if what in ("nb201", "all"):
        mixtures("results-mixtures-nb201.json")
    if what in ("mixing", "all"):
        mixing()
