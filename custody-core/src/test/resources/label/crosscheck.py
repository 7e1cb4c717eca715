#!/usr/bin/env python3
"""Cross-checks the label vectors with an implementation written from docs/formats.md ("Bag labels") alone.

SHA-256 and SM3 with hashlib, base32 with the base64 module, the payload grammar with a regular expression,
the seal entry by reading the golden ledger's records as JSON. Not part of the Maven build:

    python3 crosscheck.py        # needs python3 >= 3.8 with hashlib's sm3 (OpenSSL 3)

Exits 0 and prints 'all agree', or prints each disagreement and exits 1.
"""
import base64
import hashlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ID = r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
PAYLOAD = re.compile(r"CUSTODY1/(" + ID + r")/(" + ID + r")/([1-9][0-9]{0,15})/([A-Z2-7]{32})")
MAX_SEQ = 2**53 - 1


def digest(name, data):
    return hashlib.new("sha256" if name == "sha-256" else "sm3", data).digest()


def load_ledger(path):
    with open(os.path.join(HERE, "..", path), encoding="utf-8") as f:
        return json.load(f)


def seal_entry(ledger, bag):
    """The latest 'seal' handoff that moved the bag, else its registration."""
    seal = None
    for e in ledger["entries"]:
        r = json.loads(e["record"])
        if r["type"] == "register" and seal is None and any(b["id"] == bag for b in r["bags"]):
            seal = e
        elif r["type"] == "handoff" and r["step"] == "seal" and any(m["bag"] == bag for m in r["bags"]):
            seal = e
    return seal


def tag(hash_name, ledger_id, bag, seq, entry_hash_hex):
    text = "custody/label/v1\n%s\n%s\n%d\n%s" % (ledger_id, bag, seq, entry_hash_hex)
    return base64.b32encode(digest(hash_name, text.encode("ascii"))[:20]).decode("ascii"), text


def parse(payload):
    m = PAYLOAD.fullmatch(payload)
    if not m or int(m.group(3)) > MAX_SEQ:
        return None
    return m.group(1), m.group(2), int(m.group(3)), m.group(4)


def check(payload, ledger_file):
    ledger = load_ledger(ledger_file)
    hash_name = ledger["hash"]
    genesis = json.loads(ledger["entries"][0]["record"])
    ledger_id, bag, seq, t = parse(payload)
    if ledger_id != genesis["ledger"]:
        return "other-ledger"
    seal = seal_entry(ledger, bag)
    if seal is None:
        return "unknown-bag"
    entry_hash = digest(hash_name, b"custody/entry/v1\n" + seal["entry"].encode("utf-8")).hex()
    want, _ = tag(hash_name, ledger_id, bag, seal["seq"], entry_hash)
    return "ok" if (seq, t) == (seal["seq"], want) else "mismatch"


def main():
    with open(os.path.join(HERE, "vectors.json"), encoding="utf-8") as f:
        vectors = json.load(f)
    bad = []
    for v in vectors["labels"]:
        ledger = load_ledger(v["ledgerFile"])
        entry = ledger["entries"][v["seq"]]
        entry_hash = digest(v["hash"], b"custody/entry/v1\n" + entry["entry"].encode("utf-8")).hex()
        t, text = tag(v["hash"], v["ledger"], v["bag"], v["seq"], entry_hash)
        if entry_hash != v["entryHash"] or text != v["tagInput"] or t != v["tag"]:
            bad.append("label %s %s: tag" % (v["hash"], v["bag"]))
        if "CUSTODY1/%s/%s/%d/%s" % (v["ledger"], v["bag"], v["seq"], t) != v["payload"]:
            bad.append("label %s %s: payload" % (v["hash"], v["bag"]))
        if check(v["payload"], v["ledgerFile"]) != "ok":
            bad.append("label %s %s: does not check out" % (v["hash"], v["bag"]))
    for v in vectors["checks"]:
        got = check(v["payload"], v["ledgerFile"])
        if got != v["status"]:
            bad.append("check %s: %s, expected %s" % (v["name"], got, v["status"]))
    for v in vectors["malformed"]:
        if parse(v["payload"]) is not None:
            bad.append("malformed %s: accepted" % v["name"])
    for b in bad:
        print(b)
    if bad:
        sys.exit(1)
    print("all agree")


if __name__ == "__main__":
    main()
