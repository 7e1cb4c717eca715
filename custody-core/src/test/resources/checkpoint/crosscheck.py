#!/usr/bin/env python3
"""Cross-checks Custody's checkpoint vectors (vectors.json) with code written here from the C2SP texts.

Notes are split and their signature lines read as signed-note says, checkpoint bodies as tlog-checkpoint says,
cosigned messages built as tlog-cosignature says; Ed25519 with pyca/cryptography, SHA-256 and SM3 with hashlib,
SM2 with the openssl 3 command line (as ../golden/crosscheck.py does), consistency proofs with RFC 9162 2.1.4.2
from ../merkle/crosscheck.py. Every accepted case must verify here; every refused case must be refused here too
(the reason is Custody's; this script checks that some rule refuses it). Not part of the Maven build:

    python3 crosscheck.py        # needs python3 >= 3.8, 'cryptography', openssl 3 with SM2/SM3

Exits 0 and prints 'all agree', or prints each disagreement and exits 1.
"""
import base64
import binascii
import hashlib
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HERE = os.path.dirname(os.path.abspath(__file__))


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


merkle = load_module("merkle_crosscheck", os.path.join(HERE, "..", "merkle", "crosscheck.py"))

TYPES = {  # signed-note type identifier, algorithm, cosignature header (None: plain note signature)
    "ed25519": (b"\x01", "ed25519", None),
    "cosignature-ed25519": (b"\x04", "ed25519", b"cosignature/v1\n"),
    "sm2": (b"\xffcustody/note-sm2/v1\n", "sm2", None),
    "cosignature-sm2": (b"\xffcustody/cosignature-sm2/v1\n", "sm2", b"custody/cosignature-sm2/v1\n"),
}
SPACES = re.compile(r"[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")

failures = []


def expect(condition, what):
    if not condition:
        failures.append(what)


def b64(text):
    """Canonical standard base64, or None."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if base64.b64encode(raw).decode() == text else None


def parse_vkey(vkey):
    name, key_id, material = vkey.split("+", 2)
    raw = b64(material)
    for type_name, (identifier, alg, header) in TYPES.items():
        if raw.startswith(identifier):
            public = raw[len(identifier):]
            expect(hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == key_id, vkey + ": key id")
            return {"name": name, "id": key_id, "type": type_name, "alg": alg, "header": header, "public": public}
    raise ValueError("unknown key type in " + vkey)


def der(tag, body):
    length = bytes([len(body)]) if len(body) < 128 else bytes([0x81, len(body)])
    return bytes([tag]) + length + body


def der_integer(raw):
    x = int.from_bytes(raw, "big")
    return der(0x02, x.to_bytes(x.bit_length() // 8 + 1, "big"))


def sm2_verify(public, message, signature):
    """SM2 with SM3, user id 1234567812345678, signature r || s, by the openssl 3 command line."""
    algorithm = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")  # id-ecPublicKey, sm2p256v1
    spki = der(0x30, algorithm + der(0x03, b"\x00" + public))
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("pub.pem", "msg.bin", "sig.der")}
        with open(paths["pub.pem"], "wb") as f:
            f.write(b"-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki) + b"-----END PUBLIC KEY-----\n")
        with open(paths["msg.bin"], "wb") as f:
            f.write(message)
        with open(paths["sig.der"], "wb") as f:
            f.write(der(0x30, der_integer(signature[:32]) + der_integer(signature[32:])))
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.pem"], "-rawin",
                                 "-in", paths["msg.bin"], "-sigfile", paths["sig.der"], "-digest", "sm3",
                                 "-pkeyopt", "distid:1234567812345678"], capture_output=True, text=True)
    return result.returncode == 0


def verify_signature(key, text, payload):
    if key["header"] is not None:
        if len(payload) != 72:
            return False
        (timestamp,) = struct.unpack(">Q", payload[:8])
        if timestamp >= 2 ** 63:
            return False
        message = key["header"] + b"time " + str(timestamp).encode() + b"\n" + text
        signature = payload[8:]
    else:
        if len(payload) != 64:
            return False
        message, signature = text, payload
    if key["alg"] == "sm2":
        return sm2_verify(key["public"], message, signature)
    try:
        Ed25519PublicKey.from_public_bytes(key["public"]).verify(signature, message)
        return True
    except Exception:  # noqa: BLE001 - any failure means "does not verify"
        return False


def split_note(data):
    """(text, [(name, key id hex, payload)]) per signed-note, or a string saying why the note is malformed."""
    try:
        note = data.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8"
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        return "control character"
    split = note.rfind("\n\n")
    if split < 0:
        return "no blank line"
    text, block = note[:split + 1], note[split + 2:]
    if text.endswith("\n\n") or text == "\n":
        return "blank line at the end of the text"
    if not block or not block.endswith("\n"):
        return "no signature lines, or no final newline"
    lines = block[:-1].split("\n")
    if len(lines) > 100:
        return "more than 100 signatures"
    out, seen = [], set()
    for line in lines:
        if not line.startswith("\u2014 "):
            return "no em dash"
        name, _, sig = line[2:].partition(" ")
        raw = b64(sig)
        if not name or "+" in name or SPACES.search(name) or raw is None or len(raw) < 5:
            return "bad signature line"
        if (name, raw[:4]) in seen:
            return "key twice"
        seen.add((name, raw[:4]))
        out.append((name, raw[:4].hex(), raw[4:]))
    return text.encode("utf-8"), out


def parse_checkpoint(text):
    """(origin, size, root base64, extensions) per tlog-checkpoint and Custody's strictness, or a string."""
    text = text.decode("utf-8")
    if not text.endswith("\n"):
        return "no final newline"
    lines = text[:-1].split("\n")
    if len(lines) < 3:
        return "fewer than 3 lines"
    if any(line and SPACES.match(line[-1]) for line in lines):
        return "trailing space"
    origin, size, root = lines[:3]
    if not origin or SPACES.search(origin) or len(origin.encode()) > 255:
        return "bad origin"
    if not re.fullmatch(r"0|[1-9][0-9]{0,18}", size) or int(size) >= 2 ** 63:
        return "bad size"
    raw = b64(root)
    if raw is None or len(raw) != 32:
        return "bad root"
    if any(not e for e in lines[3:]):
        return "empty extension line"
    return origin, int(size), root, lines[3:]


def verify_note(data, keys):
    """(text, {name: [timestamps or None]}) or a string saying why it is refused."""
    parsed = split_note(data)
    if isinstance(parsed, str):
        return parsed
    text, lines = parsed
    verified = {}
    for name, key_id, payload in lines:
        key = next((k for k in keys if k["name"] == name and k["id"] == key_id), None)
        if key is None:
            continue
        if not verify_signature(key, text, payload):
            return "bad signature by " + name
        stamp = struct.unpack(">Q", payload[:8])[0] if key["header"] is not None else None
        verified.setdefault(name, []).append(stamp)
    if not verified:
        return "no known signature"
    return text, verified


def check_verify_case(c):
    data = bytes.fromhex(c["hex"]) if "hex" in c else c["note"].encode("utf-8")
    keys = [parse_vkey(k) for k in c["keys"]]
    result = verify_note(data, keys)
    if not isinstance(result, str):
        text, verified = result
        checkpoint = parse_checkpoint(text)
        result = checkpoint if isinstance(checkpoint, str) else None
        for r in c["require"]:
            if "cosignedNotBefore" in r:
                got = [n for n in set(r["names"]) if any(t is not None and t >= r["cosignedNotBefore"] for t in verified.get(n, []))]
            else:
                got = [n for n in set(r["names"]) if n in verified]
            if result is None and len(got) < r["n"]:
                result = "policy not met"
        if result is None and c["valid"]:
            origin, size, root, extensions = checkpoint
            want = c["checkpoint"]
            expect((origin, size, root, extensions) == (want["origin"], want["size"], want["root"], want["extensions"]),
                   c["name"] + ": checkpoint values")
    expect((result is None) == c["valid"], c["name"] + ": " + ("refused here: " + result if result else "accepted here"))


def check_witness_case(c):
    logs = [parse_vkey(k) for k in c["logs"]]
    witness = parse_vkey(c["witness"])
    data = c["note"].encode("utf-8")
    text, verified = verify_note(data, logs)
    origin, size, root, _ = parse_checkpoint(text)
    log_alg = next(k["alg"] for k in logs if k["name"] == origin)
    H = merkle.hasher("sha-256" if log_alg == "ed25519" else "sm3")
    root = base64.b64decode(root)
    state = c.get("state")
    proof = c.get("proof")
    decision = "cosign"
    if size == 0 and root != H(b""):
        decision = "PROOF_MISMATCH"
    elif state is not None:
        old_size, old_root = state["size"], base64.b64decode(state["root"])
        if size < old_size:
            decision = "ROLLBACK"
        elif size == old_size and root != old_root:
            decision = "DIVERGENCE"
        elif old_size == 0 or (proof is None and size == old_size):
            decision = "cosign"
        elif proof is None or proof["size1"] != old_size or proof["size2"] != size:
            decision = "PROOF_MISMATCH"
        elif not merkle.verify_consistency(H, old_size, size, old_root, root, [bytes.fromhex(h) for h in proof["hashes"]]):
            decision = "PROOF_MISMATCH"
    want = "cosign" if c["valid"] else c["expect"]["reason"]
    expect(decision == want, c["name"] + ": decided " + decision + ", vectors say " + want)
    if "cosignature" in c:
        name, _, sig = c["cosignature"][2:].partition(" ")
        raw = b64(sig)
        expect(name == witness["name"] and raw[:4].hex() == witness["id"], c["name"] + ": cosignature key")
        expect(verify_signature(witness, text, raw[4:]), c["name"] + ": cosignature verifies")
        expect(struct.unpack(">Q", raw[4:12])[0] == c.get("time", vectors["time"]), c["name"] + ": cosignature time")


vectors = json.load(open(os.path.join(HERE, "vectors.json"), encoding="utf-8"))
for k in vectors["keys"]:
    key = parse_vkey(k["vkey"])
    expect(key["name"] == k["name"] and key["type"] == k["type"], k["name"] + ": name and type")
    if key["alg"] == "ed25519":
        public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k["private"])).public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        expect(public == key["public"], k["name"] + ": public key of the private key")
for c in vectors["cases"]:
    (check_verify_case if c["check"] == "verify" else check_witness_case)(c)

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("all agree (%d keys, %d cases)" % (len(vectors["keys"]), len(vectors["cases"])))
