#!/usr/bin/env python3
"""Prints the JMH results of one run (bench/results/jmh.json) as a table, and the issue's targets as ratios.

    python3 bench/summarize.py bench/results/jmh.json
"""
import json
import sys

runs = json.load(open(sys.argv[1] if len(sys.argv) > 1 else "bench/results/jmh.json"))
results = {}
for r in runs:
    name = r["benchmark"].rsplit(".", 2)
    key = name[-2] + "." + name[-1]
    alg = r.get("params", {}).get("alg")
    if alg:
        key += "[" + alg + "]"
    m = r["primaryMetric"]
    entry = {"mode": r["mode"], "unit": m["scoreUnit"], "score": m["score"], "error": m["scoreError"]}
    if r["mode"] == "sample":
        entry["p50"] = m["scorePercentiles"]["50.0"]
        entry["p99"] = m["scorePercentiles"]["99.0"]
    results[key] = entry

print("| benchmark | mode | p50 | p99 | mean / score ± 99.9% | unit |")
print("|---|---|---|---|---|---|")
for k in sorted(results):
    e = results[k]
    p50 = "%.1f" % e["p50"] if "p50" in e else ""
    p99 = "%.1f" % e["p99"] if "p99" in e else ""
    print("| %s | %s | %s | %s | %.1f ± %.1f | %s |" % (k, e["mode"], p50, p99, e["score"], e["error"], e["unit"]))


def get(key, field):
    e = results.get(key)
    return None if e is None else e.get(field)


print()
print("| target | ours | floor | ratio | goal | met |")
print("|---|---|---|---|---|---|")


def row(name, ours, floor, goal, higher_is_better=False):
    if ours is None or floor is None:
        print("| %s | n/a | n/a | | %s | |" % (name, goal))
        return
    ratio = ours / floor
    met = ratio >= goal if higher_is_better else ratio <= goal
    print("| %s | %.1f | %.1f | %.2f | %s %.2f | %s |" % (name, ours, floor, ratio, ">=" if higher_is_better else "<=", goal,
                                                          "yes" if met else "no"))


append = get("AppendFloorBench.rawAppendFdatasync", "p50")
for alg in ("RS256", "ES256"):
    sign = get("CryptoFloorBench.rawSign[%s]" % alg, "p50")
    row("%s mint p50 (us) vs raw sign p50 + raw append p50" % alg, get("MintBench.mint[%s]" % alg, "p50"),
        None if sign is None or append is None else sign + append, 1.25)
    row("%s 2-thread mint (ops/s) vs 2-thread raw sign" % alg, get("MintBench.mint2Threads[%s]" % alg, "score"),
        get("CryptoFloorBench.rawSign2Threads[%s]" % alg, "score"), 0.8, True)
    row("%s introspect valid p50 (us) vs raw verify p50" % alg, get("VerifyBench.coreIntrospectValid[%s]" % alg, "p50"),
        get("CryptoFloorBench.rawVerify[%s]" % alg, "p50"), 1.15)
    row("%s introspect valid p50 (us) vs raw verify+claims p50" % alg, get("VerifyBench.coreIntrospectValid[%s]" % alg, "p50"),
        get("CryptoFloorBench.rawVerifyWithClaims[%s]" % alg, "p50"), 1.15)
replay = get("ReplayBench.replay1M", "score")
if replay is not None:
    print("| replay of 1,000,000 events (ms) | %.0f | | | <= 3000 ms | %s |" % (replay, "yes" if replay <= 3000 else "no"))
