#!/usr/bin/env python3
"""Independent check of Custody's Merkle proof vectors, with hashlib (OpenSSL) only.

Roots and valid proofs are recomputed from the leaf data with RFC 6962 section 2.1 (MTH, PATH, PROOF);
every case is run through the verification algorithms of RFC 9162 sections 2.1.3.2 and 2.1.4.2, written
here from the RFC text, plus Custody's stricter preconditions (32-byte hashes, size1 >= 1). Prints
"all agree" or every disagreement. Usage: python3 crosscheck.py [folder]
"""
import hashlib
import json
import pathlib
import sys


def hasher(name):
    algorithm = {"sha-256": "sha256", "sm3": "sm3"}[name]
    return lambda data: hashlib.new(algorithm, data).digest()


def k_below(n):
    k = 1
    while 2 * k < n:
        k *= 2
    return k


def mth(H, d):
    if len(d) == 0:
        return H(b"")
    if len(d) == 1:
        return H(b"\x00" + d[0])
    k = k_below(len(d))
    return H(b"\x01" + mth(H, d[:k]) + mth(H, d[k:]))


def path(H, m, d):
    if len(d) == 1:
        return []
    k = k_below(len(d))
    if m < k:
        return path(H, m, d[:k]) + [mth(H, d[k:])]
    return path(H, m - k, d[k:]) + [mth(H, d[:k])]


def subproof(H, m, d, b):
    if m == len(d):
        return [] if b else [mth(H, d)]
    k = k_below(len(d))
    if m <= k:
        return subproof(H, m, d[:k], b) + [mth(H, d[k:])]
    return subproof(H, m - k, d[k:], False) + [mth(H, d[:k])]


def node(H, left, right):
    return H(b"\x01" + left + right)


def verify_inclusion(H, index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2; returns True if the proof verifies."""
    if any(len(h) != 32 for h in [leaf, root] + proof):
        return False
    if index < 0 or index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(H, p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(H, r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(H, first, second, first_hash, second_hash, proof):
    """RFC 9162 2.1.4.2 for 0 < first < second; equal sizes need an empty proof and equal roots."""
    if any(len(h) != 32 for h in [first_hash, second_hash] + proof):
        return False
    if first <= 0 or first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_hash] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node(H, c, fr)
            sr = node(H, c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(H, sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


def check(file, problems):
    vectors = json.loads(file.read_text(encoding="utf-8"))
    H = hasher(vectors["hash"])
    data = [bytes.fromhex(leaf["data"]) for leaf in vectors["leaves"]]
    for i, leaf in enumerate(vectors["leaves"]):
        if H(b"\x00" + data[i]).hex() != leaf["leafHash"]:
            problems.append(f"{file.name}: leaf hash {i}")
    for n, root in enumerate(vectors["roots"]):
        if mth(H, data[:n]).hex() != root:
            problems.append(f"{file.name}: root of size {n}")
    for c in vectors["inclusion"]:
        proof = [bytes.fromhex(h) for h in c["proof"]]
        ok = verify_inclusion(H, c["leafIndex"], c["treeSize"], bytes.fromhex(c["leafHash"]), proof,
                              bytes.fromhex(c["root"]))
        if ok != c["valid"]:
            problems.append(f"{file.name}: inclusion {c['name']}: verifies={ok}, valid={c['valid']}")
        if c["valid"] and proof != path(H, c["leafIndex"], data[:c["treeSize"]]):
            problems.append(f"{file.name}: inclusion {c['name']}: proof is not PATH")
    for c in vectors["consistency"]:
        proof = [bytes.fromhex(h) for h in c["proof"]]
        ok = verify_consistency(H, c["size1"], c["size2"], bytes.fromhex(c["root1"]), bytes.fromhex(c["root2"]), proof)
        if ok != c["valid"]:
            problems.append(f"{file.name}: consistency {c['name']}: verifies={ok}, valid={c['valid']}")
        if c["valid"] and proof != subproof(H, c["size1"], data[:c["size2"]], True):
            problems.append(f"{file.name}: consistency {c['name']}: proof is not PROOF")
    return len(vectors["inclusion"]) + len(vectors["consistency"])


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent)
    problems = []
    cases = sum(check(f, problems) for f in sorted(folder.glob("*.json")))
    for p in problems:
        print(p)
    print("all agree" if not problems and cases else f"{len(problems)} disagreements in {cases} cases")
    sys.exit(1 if problems or not cases else 0)


if __name__ == "__main__":
    main()
