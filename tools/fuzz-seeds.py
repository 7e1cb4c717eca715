#!/usr/bin/env python3
"""Writes the seed corpora of custody-core's fuzz targets from the committed golden vectors (docs/fuzzing.md).

Each seed is one file under src/test/resources/<package>/<Target>Inputs/<method>/, named after the vector it comes
from. Run from the repository root: python3 tools/fuzz-seeds.py. Findings that Jazzer adds to the same folders
(crash-*, timeout-*) and corpus files copied there by hand are left alone; seed-* files are rewritten.
"""
import base64
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORE = ROOT / "custody-core/src/test/resources"
CLI = ROOT / "custody-cli/src/test/resources"
SERVER = ROOT / "custody-server/src/test/resources"


def load(path):
    return json.loads((CORE / path).read_text(encoding="utf-8"))


def seeds(module, package, target, method, items):
    folder = module / package / (target + "Inputs") / method
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("seed-*"):
        old.unlink()
    for name, data in items:
        if isinstance(data, str):
            data = data.encode("utf-8")
        (folder / ("seed-" + name)).write_bytes(data)


ledgers = {s: load(f"golden/ledger-{s}.json") for s in ("ed25519-sha256", "sm2-sm3")}
negative = load("golden/negative.json")["cases"]
records = [(f"{s}-{e['seq']}-{e['type']}", e["record"]) for s, l in ledgers.items() for e in l["entries"]]
entries = [(f"{s}-{e['seq']}-{e['type']}", e["entry"]) for s, l in ledgers.items() for e in l["entries"]]
bad_entries = [("negative-" + c["name"], c["text"] if "text" in c else bytes.fromhex(c["hex"])) for c in negative if c["check"] == "decode-entry"]
seeds(CORE, "org/custody/record", "RecordFuzzTest", "decode", records)
seeds(CORE, "org/custody/record", "RecordFuzzTest", "decodeUnsigned", records)
seeds(CORE, "org/custody/record", "EntryFuzzTest", "decode", entries + bad_entries)

checkpoints = load("checkpoint/vectors.json")
notes = [(c["name"], c["note"] if "note" in c else bytes.fromhex(c["hex"]))
         for c in checkpoints["cases"] if c["check"] == "verify"]
seeds(CORE, "org/custody/checkpoint", "NoteFuzzTest", "verify", notes)
seeds(CORE, "org/custody/checkpoint", "NoteFuzzTest", "noteKey",
      [(k["name"].replace("/", "_"), k["vkey"]) for k in checkpoints["keys"]])

labels = load("label/vectors.json")
seeds(CORE, "org/custody/label", "LabelFuzzTest", "parse",
      [(l["bag"], l["payload"]) for l in labels["labels"]]
      + [("malformed-" + m["name"], m["payload"]) for m in labels["malformed"]])

seeds(CORE, "org/custody/crypto", "KeyFileFuzzTest", "read",
      [(p.stem, p.read_bytes()) for p in sorted((CORE / "keyfile").glob("*.key"))])

bundle = CORE / "bundle"
seeds(CORE, "org/custody/ledger", "BundleFuzzTest", "verify",
      [(p.stem, p.read_bytes()) for p in sorted(bundle.glob("*.bundle"))])
seeds(CORE, "org/custody/ledger", "EvidenceFuzzTest", "verify", [("bag-evidence", (bundle / "bag-evidence.txt").read_bytes())])

sample = CLI / "sample-exam"
if sample.is_dir():
    seeds(CLI, "org/custody/cli", "CsvFuzzTest", "roster", [("sample-exam-roster", (sample / "roster.csv").read_bytes())])
    seeds(CLI, "org/custody/cli", "CsvFuzzTest", "roomPlan", [("sample-exam-plan", (sample / "plan.csv").read_bytes())])
    seeds(CLI, "org/custody/cli", "CsvFuzzTest", "bagsImport", [("sample-exam-plan", (sample / "plan.csv").read_bytes())])

# the server's bodies: fully signed records of the golden ledger (another ledger than the test server's, so refused),
# the drafts and signatures the API tests send
sigs = lambda e: json.dumps([{"key": s["key"], "sig": s["sig"]} for s in e["signatures"]], separators=(",", ":"))
seeds(SERVER, "org/custody/server", "HttpBodyFuzzTest", "records",
      [(f"golden-{e['seq']}-{e['type']}", '{"record":' + e["record"] + ',"signatures":' + sigs(e) + "}")
       for e in ledgers["ed25519-sha256"]["entries"]])
draft = {"step": "print", "to": "P010", "witnesses": ["P011", "P001"], "at": "2021-06-02T01:00:00Z",
         "place": {"id": "K01", "name": "湘江学院考点"}, "bags": [{"bag": "HN-2021.K01.01.ENG.A", "count": 30}]}
seal = dict(draft, step="seal", **{"from": "P010"}, bags=[{"bag": "HN-2021.K01.01.ENG.A", "count": 30, "seal": "SN-1",
                                                           "sealState": "intact", "in": "HN-2021.BOX.K01"}])
seeds(SERVER, "org/custody/server", "HttpBodyFuzzTest", "drafts",
      [("print", json.dumps(draft, ensure_ascii=False)), ("seal", json.dumps(seal, ensure_ascii=False))])
first = ledgers["ed25519-sha256"]["entries"][3]["signatures"][0]
seeds(SERVER, "org/custody/server", "HttpBodyFuzzTest", "signatures",
      [("golden-signature", json.dumps({"key": first["key"], "sig": first["sig"]}))])
cosigned = [c["note"] for c in checkpoints["cases"] if c["name"] in ("checkpoint-cosigned", "checkpoint-sm2-cosigned")]
seeds(SERVER, "org/custody/server", "HttpBodyFuzzTest", "cosignatures",
      [(f"{n}-line-{i}", line) for n, note in zip(("ed25519", "sm2"), cosigned)
       for i, line in enumerate(l for l in note.split("\n\n", 1)[1].splitlines() if l.startswith("\u2014 inspector"))])
