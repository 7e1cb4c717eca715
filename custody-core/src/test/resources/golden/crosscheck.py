#!/usr/bin/env python3
"""Cross-checks Custody's golden vectors with implementations Custody does not use.

Ed25519 with pyca/cryptography, SHA-256 and SM3 with hashlib, SM2 with the openssl 3 command line
(-pkeyopt distid:...), canonical JSON with json.dumps (enough here: the vectors hold no floats and only
BMP characters, so sorting by code point equals RFC 8785's UTF-16 order). Not part of the Maven build:

    python3 crosscheck.py        # needs python3 >= 3.8, 'cryptography', openssl 3 with SM2/SM3

Exits 0 and prints 'all agree', or prints each disagreement and exits 1.
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HERE = os.path.dirname(os.path.abspath(__file__))
# sm2p256v1 (GB/T 32918.5)
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0
USER_ID = b"1234567812345678"
SPKI_SM2_PREFIX = bytes.fromhex("301306072a8648ce3d020106082a811ccf5501822d")  # id-ecPublicKey, sm2p256v1

failures = []
checked = 0


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return json.load(f)


def digest(name, data):
    return hashlib.sha256(data).digest() if name in ("sha-256", "ed25519") else hashlib.new("sm3", data).digest()


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sm2_z(public, user_id=USER_ID):
    fields = b"".join(x.to_bytes(32, "big") for x in (A, B, GX, GY))
    return hashlib.new("sm3", (len(user_id) * 8).to_bytes(2, "big") + user_id + fields + public[1:]).digest()


def der_length(n):
    return bytes([n]) if n < 128 else bytes([0x81, n])


def der_integer(x):
    raw = x.to_bytes(x.bit_length() // 8 + 1, "big")
    return b"\x02" + der_length(len(raw)) + raw


def sm2_verify(public, message, raw, user_id=USER_ID):
    body = der_integer(int.from_bytes(raw[:32], "big")) + der_integer(int.from_bytes(raw[32:], "big"))
    spki_body = SPKI_SM2_PREFIX + b"\x03" + der_length(len(public) + 1) + b"\x00" + public
    spki = b"\x30" + der_length(len(spki_body)) + spki_body
    with tempfile.TemporaryDirectory() as tmp:
        paths = {n: os.path.join(tmp, n) for n in ("pub.pem", "msg.bin", "sig.der")}
        with open(paths["pub.pem"], "wb") as f:
            f.write(b"-----BEGIN PUBLIC KEY-----\n" + base64.encodebytes(spki) + b"-----END PUBLIC KEY-----\n")
        with open(paths["msg.bin"], "wb") as f:
            f.write(message)
        with open(paths["sig.der"], "wb") as f:
            f.write(b"\x30" + der_length(len(body)) + body)
        result = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", paths["pub.pem"], "-rawin",
                                 "-in", paths["msg.bin"], "-sigfile", paths["sig.der"], "-digest", "sm3",
                                 "-pkeyopt", "distid:" + user_id.decode("ascii")], capture_output=True, text=True)
    return result.returncode == 0


def verifies(alg, public, message, raw):
    global checked
    checked += 1
    if alg == "sm2":
        return sm2_verify(public, message, raw)
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(raw, message)
        return True
    except Exception:  # noqa: BLE001 - any failure means "does not verify"
        return False


def expect(condition, what):
    if not condition:
        failures.append(what)


keys = {}
for k in load("keys.json")["keys"]:
    public = base64.b64decode(k["public"])
    keys[(k["alg"], k["person"])] = k
    id_input = b"custody/key/v1\n" + k["alg"].encode("ascii") + b"\n" + public
    expect(id_input.hex() == k["keyIdInput"], k["name"] + ": keyIdInput")
    expect(digest(k["alg"], id_input)[:16].hex() == k["keyId"], k["name"] + ": keyId")
    if k["alg"] == "ed25519":
        private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k["private"]))
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        expect(raw == public, k["name"] + ": public key from the private key")
    else:
        expect(sm2_z(public).hex() == k["z"], k["name"] + ": z")

for suite in ("ed25519-sha256", "sm2-sm3"):
    ledger = load("ledger-" + suite + ".json")
    alg = suite.split("-")[0]
    prev = "00" * 32
    for e in ledger["entries"]:
        name = "%s entry %d" % (suite, e["seq"])
        record, entry, signed = e["record"].encode("utf-8"), e["entry"].encode("utf-8"), bytes.fromhex(e["signed"])
        expect(signed == b"custody/record/v1\n" + record, name + ": signed = label || record")
        expect(e["prev"] == prev, name + ": prev is the hash of the entry before")
        for h in ("sha-256", "sm3"):
            expect(digest(h, b"custody/entry/v1\n" + entry).hex() == e["hash"][h], name + ": " + h + " hash")
        prev = e["hash"][ledger["hash"]]
        tree = json.loads(entry)
        expect(canonical(tree) == entry, name + ": entry is canonical")
        expect(canonical(tree["record"]) == record, name + ": record is the entry's record")
        for s in e["signatures"]:
            k = keys[(alg, s["person"])]
            expect(s["key"] == k["keyId"], name + ": key id of " + s["person"])
            raw = base64.b64decode(s["sig"])
            expect(verifies(alg, base64.b64decode(k["public"]), signed, raw), name + ": signature of " + s["person"])
            if alg == "ed25519":
                again = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(k["private"])).sign(signed)
                expect(again == raw, name + ": Ed25519 signature of " + s["person"] + " made again")

for s in load("signatures.json")["signatures"]:
    expect(verifies(s["alg"], base64.b64decode(s["public"]), bytes.fromhex(s["message"]), base64.b64decode(s["sig"])),
           s["name"] + ": verifies")

for c in load("negative.json")["cases"]:
    if c["check"] != "verify-signature":
        continue
    public, message, raw = base64.b64decode(c["public"]), bytes.fromhex(c["message"]), base64.b64decode(c["sig"])
    valid = verifies(c["alg"], public, message, raw)
    if c["name"] == "signature-names-other-key":
        expect(valid, c["name"] + ": the value itself is valid; only the key id it names is wrong")
    else:
        expect(not valid, c["name"] + ": refused")
    if c["name"] == "sm2-signature-wrong-user-id":
        expect(sm2_verify(public, message, raw, b"ALICE123@YAHOO.COM"), c["name"] + ": verifies under ALICE123@YAHOO.COM")

# attachments.json: files taken at the scene, and entries 8 and 9 after the Ed25519 ledger carrying their digests
attached = load("attachments.json")
scene = {}
for f in attached["files"]:
    data = bytes.fromhex(f["hex"])
    expect(len(data) == f["size"], f["name"] + ": size")
    for h in ("sha-256", "sm3"):
        expect(digest(h, data).hex() == f["digest"][h], f["name"] + ": " + h + " digest")
        scene[(h, digest(h, data).hex())] = data
prev = load("ledger-ed25519-sha256.json")["entries"][-1]["hash"]["sha-256"]
for e in attached["entries"]:
    name = "attachments entry %d" % e["seq"]
    record, entry, signed = e["record"].encode("utf-8"), e["entry"].encode("utf-8"), bytes.fromhex(e["signed"])
    expect(e["prev"] == prev, name + ": prev is the hash of the entry before")
    prev = e["hash"]["sha-256"]
    expect(signed == b"custody/record/v1\n" + record, name + ": signed = label || record")
    expect(canonical(json.loads(entry)) == entry, name + ": entry is canonical")
    for h in ("sha-256", "sm3"):
        expect(digest(h, b"custody/entry/v1\n" + entry).hex() == e["hash"][h], name + ": " + h + " hash")
    for a in json.loads(record)["attachments"]:
        data = scene.get((a["alg"], a["digest"]))
        expect(data is not None and len(data) == a["size"], name + ": attachment " + a["digest"] + " is a file of the scene")
    for s in e["signatures"]:
        k = keys[("ed25519", s["person"])]
        expect(verifies("ed25519", base64.b64decode(k["public"]), signed, base64.b64decode(s["sig"])), name + ": signature of " + s["person"])

print("%d signatures checked" % checked)
for f in failures:
    print("DISAGREE: " + f)
print("all agree" if not failures else "%d disagreements" % len(failures))
sys.exit(1 if failures else 0)
