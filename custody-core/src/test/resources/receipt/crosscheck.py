#!/usr/bin/env python3
"""Handoff receipt vectors (docs/formats.md §13), written from the format description alone.

Run with no argument to re-check vectors.json ("all agree"); with --write to regenerate it from the golden
ledgers (../golden/ledger-*.json). Python's hashlib (sha256, and sm3 where OpenSSL offers it) and zlib.crc32;
not part of the build: ReceiptGoldenVectorsTest checks the Java implementation against vectors.json.
"""
import hashlib
import json
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = "CUSTODYR1/"


def h(name, data):
    return hashlib.new({"sha-256": "sha256", "sm3": "sm3"}[name], data).digest()


def root(name, leaves):
    """RFC 6962 Merkle tree hash of the entries' canonical bytes (docs/merkle.md)."""
    if len(leaves) == 1:
        return h(name, b"\x00" + leaves[0])
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return h(name, b"\x01" + root(name, leaves[:k]) + root(name, leaves[k:]))


def payload(ledger, seq, entry_hex, size, root_hex):
    body = PREFIX + ledger + "/" + str(seq) + "/" + entry_hex.upper() + "/" + (
        (str(size) + "/" + root_hex.upper()) if size else "-/-") + "/"
    return body + "%08X" % (zlib.crc32(body.encode("ascii")) & 0xFFFFFFFF)


def receipts():
    out = []
    for f in ("ledger-ed25519-sha256.json", "ledger-sm2-sm3.json"):
        d = json.load(open(os.path.join(HERE, "..", "golden", f), encoding="utf-8"))
        entries = d["entries"]
        ledger = json.loads(entries[0]["record"])["ledger"] if isinstance(entries[0]["record"], str) else entries[0]["record"]["ledger"]
        bodies = [e["entry"].encode("utf-8") for e in entries]
        for e in entries:
            assert h(d["hash"], d["entryLabel"].encode("ascii") + e["entry"].encode("utf-8")).hex() == e["hash"][d["hash"]]
        handoff = next(e for e in entries if e["type"] == "handoff")
        seq = handoff["seq"]
        entry = handoff["hash"][d["hash"]]
        out.append({"ledgerFile": "golden/" + f, "hash": d["hash"], "ledger": ledger, "seq": seq,
                    "entryHash": entry, "checkpointSize": 0, "checkpointRoot": None,
                    "payload": payload(ledger, seq, entry, 0, None)})
        size = len(entries)
        r = root(d["hash"], bodies).hex()
        out.append({"ledgerFile": "golden/" + f, "hash": d["hash"], "ledger": ledger, "seq": seq,
                    "entryHash": entry, "checkpointSize": size, "checkpointRoot": r,
                    "payload": payload(ledger, seq, entry, size, r)})
    return out


def malformed(valid):
    good = valid[1]["payload"]
    none = valid[0]["payload"]
    body = good[:good.rindex("/") + 1]
    fix = lambda b: b + "%08X" % (zlib.crc32(b.encode("ascii")) & 0xFFFFFFFF)
    parts = body[len(PREFIX):-1].split("/")
    def with_part(i, value):
        p = list(parts)
        p[i] = value
        return fix(PREFIX + "/".join(p) + "/")
    return [
        {"name": "empty", "payload": ""},
        {"name": "check-does-not-match", "payload": good[:-1] + ("0" if good[-1] != "0" else "1")},
        {"name": "one-hash-digit-changed", "payload": good[:20] + ("A" if good[20] != "A" else "B") + good[21:]},
        {"name": "check-missing", "payload": body[:-1]},
        {"name": "check-in-lower-case", "payload": good[:-8] + good[-8:].lower()},
        {"name": "trailing-line-end", "payload": good + "\r\n"},
        {"name": "space-inside", "payload": good.replace("/", " /", 1)},
        {"name": "bag-label-not-receipt", "payload": "CUSTODY1/HN-ZSB-2021/K01.01.S1.ENG.A/2/5LQGMRTZZITXIWI2DOUUG5RPRR6LJVYS"},
        {"name": "other-version", "payload": fix("CUSTODYR2/" + body[len(PREFIX):])},
        {"name": "prefix-in-lower-case", "payload": fix("custodyr1/" + body[len(PREFIX):])},
        {"name": "entry-hash-in-lower-case", "payload": with_part(2, parts[2].lower())},
        {"name": "entry-hash-too-short", "payload": with_part(2, parts[2][:-2])},
        {"name": "seq-leading-zero", "payload": with_part(1, "0" + parts[1])},
        {"name": "seq-negative", "payload": with_part(1, "-" + parts[1])},
        {"name": "checkpoint-size-without-root", "payload": with_part(4, "-")},
        {"name": "checkpoint-not-after-entry", "payload": with_part(3, parts[1])},
        {"name": "checkpoint-size-zero", "payload": with_part(3, "0")},
        {"name": "ledger-id-with-bad-character", "payload": with_part(0, "HN_ZSB@2021")},
        {"name": "field-missing", "payload": fix(PREFIX + "/".join(parts[:4]) + "/")},
        {"name": "field-extra", "payload": fix(PREFIX + "/".join(parts + ["X"]) + "/")},
        {"name": "no-checkpoint-written-as-zero", "payload": fix(none[:none.rindex("/-/-/")] + "/0/-/")},
    ]


def document():
    valid = receipts()
    return {
        "description": "Custody handoff receipts, format version 1 (docs/formats.md §13): payloads naming a handoff entry of "
                       "each golden ledger, without a checkpoint and with the checkpoint of all its entries (root as "
                       "RFC 6962 over the entries' canonical bytes), and payloads that must be refused, named after the defect.",
        "prefix": PREFIX,
        "check": "CRC-32 (zlib.crc32) of the ASCII payload up to and including the last '/', 8 upper-case hex digits",
        "receipts": valid,
        "malformed": malformed(valid),
    }


def main():
    path = os.path.join(HERE, "vectors.json")
    doc = document()
    text = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if "--write" in sys.argv:
        open(path, "w", encoding="utf-8").write(text)
        print("wrote", path)
        return
    if open(path, encoding="utf-8").read() != text:
        print("DISAGREE: vectors.json differs from what this implementation derives")
        sys.exit(1)
    print("all agree")


if __name__ == "__main__":
    main()
