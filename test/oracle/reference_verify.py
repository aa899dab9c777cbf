#!/usr/bin/env python3
"""Independent oracle: policyengine.py's verification verdicts (interop spec section 6, restated in our own words).

Usage: reference_verify.py HISTORY_DIR > verdicts.json
For every version folder under HISTORY_DIR, finds its one *.trace.tro.jsonld, verifies it with base dir =
the folder and every https artifact skipped (no network), and prints {folder: {fingerprint, artifacts:
[[short_id, status]]}} as sorted JSON. Written from the spec, not from policyengine.py's code, so that
pe-trace's verifier is checked against a second implementation of the same rules.
"""
import hashlib
import json
import os
import sys


def fingerprint(hashes):
    return hashlib.sha256("\n".join(sorted(hashes)).encode("utf-8")).hexdigest()


def verdicts(folder):
    tros = [os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs if f.endswith(".trace.tro.jsonld")]
    if len(tros) != 1:
        raise SystemExit(f"{folder}: expected one TRO, found {len(tros)}")
    with open(tros[0], encoding="utf-8") as fh:
        doc = json.load(fh)
    node = next(n for n in doc.get("@graph", []) if n.get("@type") == "trov:TransparentResearchObject")
    comp = node.get("trov:hasComposition") or {}
    arts = comp.get("trov:hasArtifact") or []
    where = {}
    for arr in node.get("trov:hasArrangement") or []:
        for loc in arr.get("trov:hasArtifactLocation") or []:
            aid = (loc.get("trov:hasArtifact") or {}).get("@id")
            path = loc.get("trov:hasLocation")
            if aid and path and aid not in where:
                where[aid] = path
    claimed = (comp.get("trov:hasFingerprint") or {}).get("trov:sha256")
    out = []
    base = os.path.realpath(folder)
    for art in arts:
        full = art.get("@id") or ""
        short = full.split("/artifact/", 1)[1] if "/artifact/" in full else full
        loc = where.get(full)
        if loc is None:
            status = "unfetchable"
        elif loc.startswith("https://"):
            status = "skipped"
        elif loc.startswith(("http://", "file://", "hf://")) or os.path.isabs(loc):
            status = "unfetchable"
        else:
            target = os.path.realpath(os.path.join(base, loc))
            if os.path.commonpath([base, target]) != base or not os.path.isfile(target):
                status = "unfetchable"
            else:
                with open(target, "rb") as fh:
                    actual = hashlib.sha256(fh.read()).hexdigest()
                status = "ok" if actual == art.get("trov:sha256") else "mismatch"
        out.append([short, status])
    fp = "ok" if fingerprint([a["trov:sha256"] for a in arts]) == claimed else "mismatch"
    return {"fingerprint": fp, "artifacts": out}


def main():
    root = sys.argv[1]
    result = {d: verdicts(os.path.join(root, d)) for d in sorted(os.listdir(root)) if os.path.isdir(os.path.join(root, d))}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
