#!/usr/bin/env node
// An independent verifier of Custody export bundles (custody-bundle/v1), written from docs/formats.md,
// docs/merkle.md and docs/checkpoints.md only: it shares no code with the Java implementation.
// It checks the integrity findings I01-I08 of an ed25519-sha256 ledger, I12 for the entries' append times
// (formats.md §6.1 step 10), and those of formats.md §6.3 a bundle can show (I11 for the ledger line, I08/I05
// for inspectors' cosignatures, not I12 against them); custody rules (R01-R24) are the Java verifier's job.
//
//   node tools/independent-verifier/verify.mjs BUNDLE
//
// Prints one line per finding ("I03 seq 12: ..."), then a summary. Exit status: 0 no finding,
// 3 integrity findings, 2 the bundle cannot be read (malformed, or a suite this verifier lacks).
import { createHash, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const ascii = (s) => Buffer.from(s, 'utf8');
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts)).digest();
const hex = (b) => Buffer.from(b).toString('hex');
const ZERO_HASH = '0'.repeat(64);

class Malformed extends Error {}

// ---- canonical JSON (RFC 8785). Every number in a Custody record is an integer, which JSON.stringify
// already writes as JCS does; keys are sorted by UTF-16 code units, which is what Array.sort does.
function jcs(v) {
  if (Array.isArray(v)) return '[' + v.map(jcs).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + jcs(v[k])).join(',') + '}';
  }
  return JSON.stringify(v);
}

// ---- value rules (formats.md §2), checked on the fields this verifier relies on.
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const HASH = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{32}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function isTime(s) {
  if (typeof s !== 'string' || !TIME.test(s)) return false;
  const ms = Date.parse(s);
  if (Number.isNaN(ms) || ms < 0) return false;
  return new Date(ms).toISOString().replace('.000Z', 'Z') === s; // the one spelling Instant.toString() writes
}
// Free text (formats.md §2): a non-empty string of at most `max` UTF-16 code units, no control character but \n and \t,
// no unpaired surrogate.
function isText(s, max) {
  return typeof s === 'string' && s.length > 0 && s.length <= max && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(s)
    && s.isWellFormed();
}

function isCanonicalBase64(s, length) {
  if (typeof s !== 'string') return false;
  const b = Buffer.from(s, 'base64');
  return b.toString('base64') === s && (length === undefined || b.length === length);
}
function noNulls(v) {
  if (v === null) return false;
  if (Array.isArray(v)) return v.length > 0 && v.every(noNulls); // a present array is non-empty
  if (typeof v === 'object') return Object.values(v).every(noNulls);
  return true;
}

// RFC 6838 restricted names, lowercase, no parameters (formats.md §3.3, Attachment)
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// A file name as taken: text of at most 200 UTF-16 units, no folder (/ \ :), not . or .., no control, format (Cf),
// line or paragraph separator or private-use character, no leading or trailing white space.
function isFileName(s) {
  return typeof s === 'string' && s.length >= 1 && s.length <= 200 && s !== '.' && s !== '..' && s.trim() === s
    && !/[\/\\:]|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cs}]/u.test(s);
}

// Fields of each record type (formats.md §3.2), besides the common v, type, id, ledger, at. '?' = optional.
const FIELDS = {
  genesis: ['suite', 'founders'],
  enrol: ['person', 'key', 'sponsor'],
  revoke: ['key', 'effective', 'reason', 'by'],
  register: ['bags?', 'places?', 'by'],
  handoff: ['step', 'from?', 'to', 'witnesses?', 'place', 'bags', 'note?', 'attachments?'],
  incident: ['incident', 'bags?', 'by', 'place?', 'set?', 'refers?', 'note', 'attachments?'],
  policy: ['exam', 'mode', 'minSigners', 'distributionStaff', 'openingLeadMinutes', 'returnWithinMinutes',
    'inspectionIntervalMinutes', 'zone', 'answerSheetsScanned', 'futureToleranceMinutes?', 'recordWithinMinutes?', 'governance?', 'by'],
  schedule: ['exam', 'sessions', 'by'],
};

function checkShape(obj, fields, what) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Malformed(`${what} is not an object`);
  const allowed = new Set(fields.map((f) => f.replace('?', '')));
  for (const k of Object.keys(obj)) if (!allowed.has(k)) throw new Malformed(`${what} has an unknown field "${k}"`);
  for (const f of fields) if (!f.endsWith('?') && !(f in obj)) throw new Malformed(`${what} lacks "${f}"`);
}

function checkPublicKey(k, what) {
  checkShape(k, ['alg', 'public'], what);
  if (k.alg !== 'ed25519' || !isCanonicalBase64(k.public, 32)) throw new Malformed(`${what} is not a 32-byte ed25519 key in canonical base64`);
}

// Decodes one stored entry (formats.md §5) or throws Malformed: the I01 cases.
function decodeEntry(bytes) {
  if (bytes.length > 262144) throw new Malformed('entry over 262,144 bytes');
  let text, entry;
  try { text = utf8.decode(bytes); entry = JSON.parse(text); } catch { throw new Malformed('not UTF-8 JSON'); }
  if (jcs(entry) !== text) throw new Malformed('not in canonical form (RFC 8785)');
  if (!noNulls(entry)) throw new Malformed('null or empty array');
  checkShape(entry, ['appended?', 'seq', 'prev', 'record', 'signatures'], 'entry');
  // entry format version 2 (formats.md §5): the ledger's append time, optional (version 1 entries have none)
  if ('appended' in entry && !isTime(entry.appended)) throw new Malformed(`appended ${JSON.stringify(entry.appended)} is not a time in canonical form`);
  if (!Number.isSafeInteger(entry.seq) || entry.seq < 0) throw new Malformed('bad seq');
  if (!HASH.test(entry.prev)) throw new Malformed('bad prev');
  const r = entry.record;
  if (r === null || typeof r !== 'object' || !(r.type in FIELDS)) throw new Malformed('unknown record type');
  checkShape(r, ['v', 'type', 'id', 'ledger', 'at', ...FIELDS[r.type]], `${r.type} record`);
  if (r.v !== 1 || !ID.test(r.id) || !ID.test(r.ledger) || !isTime(r.at)) throw new Malformed('bad v, id, ledger or at');
  if (!Array.isArray(entry.signatures) || entry.signatures.length > 16) throw new Malformed('bad signatures');
  for (const s of entry.signatures) {
    checkShape(s, ['key', 'sig'], 'signature');
    if (!KEY_ID.test(s.key) || !isCanonicalBase64(s.sig, 64)) throw new Malformed('bad signature key id or value');
  }
  if (new Set(entry.signatures.map((s) => s.key)).size !== entry.signatures.length) throw new Malformed('a key id twice');
  if (r.type === 'genesis') r.founders.forEach((f, i) => { checkShape(f, ['person', 'key'], 'founder'); checkPublicKey(f.key, `founder ${i}`); });
  if (r.type === 'enrol') checkPublicKey(r.key, 'enrolled key');
  if (r.type === 'revoke' && (!KEY_ID.test(r.key) || !isTime(r.effective))) throw new Malformed('bad revoke key or effective');
  if (r.type === 'policy') {
    const minutes = (f, lo, hi) => !(f in r) || (Number.isInteger(r[f]) && r[f] >= lo && r[f] <= hi);
    if (!minutes('futureToleranceMinutes', 0, 10) || !minutes('recordWithinMinutes', 1, 10080)) {
      throw new Malformed('policy futureToleranceMinutes (0-10) or recordWithinMinutes (1-10080) out of range');
    }
  }
  if (r.type === 'register') {
    // bags, places (formats.md §3.2: added 2026-12), or both; an array that is present is non-empty
    for (const f of ['bags', 'places']) {
      if (f in r && (!Array.isArray(r[f]) || r[f].length === 0 || r[f].length > 1000)) throw new Malformed(`register ${f} is not an array of 1-1000`);
    }
    if (!('bags' in r) && !('places' in r)) throw new Malformed('a registration names no bag and no place');
    if (new Set((r.places ?? []).map((p) => p.id)).size !== (r.places ?? []).length) throw new Malformed('a place registered twice');
    for (const [i, p] of (r.places ?? []).entries()) {
      checkShape(p, ['id', 'kind', 'name?', 'site?', 'room?'], `place ${i}`);
      if (!ID.test(p.id) || !['vault', 'room'].includes(p.kind)) throw new Malformed(`place ${i}: bad id or kind`);
      if (p.kind === 'room' && !(ID.test(p.site ?? '') && ID.test(p.room ?? ''))) throw new Malformed(`place ${i}: a room needs its site and room`);
      if (p.kind === 'vault' && 'room' in p) throw new Malformed(`place ${i}: a vault has no room`);
      if ('site' in p && !ID.test(p.site)) throw new Malformed(`place ${i}: bad site`);
      if ('name' in p && !isText(p.name, 200)) throw new Malformed(`place ${i}: bad name`);
    }
  }
  if ('attachments' in r) {
    // files taken at the scene, by digest (formats.md §3.3, added 2026-12): 1-64, each file (alg, digest) once
    if (!Array.isArray(r.attachments) || r.attachments.length > 64) throw new Malformed('attachments is not an array of 1-64');
    const seen = new Set();
    for (const [i, a] of r.attachments.entries()) {
      checkShape(a, ['alg', 'digest', 'size', 'mediaType', 'name?'], `attachment ${i}`);
      if (!['sha-256', 'sm3'].includes(a.alg) || !HASH.test(a.digest)) throw new Malformed(`attachment ${i}: bad alg or digest`);
      if (!Number.isSafeInteger(a.size) || a.size < 0) throw new Malformed(`attachment ${i}: bad size`);
      if (!MEDIA_TYPE.test(a.mediaType)) throw new Malformed(`attachment ${i}: bad media type`);
      if ('name' in a && !isFileName(a.name)) throw new Malformed(`attachment ${i}: bad name`);
      if (seen.has(a.alg + ' ' + a.digest)) throw new Malformed(`attachment ${i}: the same file twice`);
      seen.add(a.alg + ' ' + a.digest);
    }
  }
  for (const m of bagMoves(r)) if (!ID.test(m.bag) || (r.type !== 'register' && !HASH.test(m.prev))) throw new Malformed('bad bag or prev');
  const people = parties(r);
  if (!people.every((p) => ID.test(p)) || new Set(people).size !== people.length) throw new Malformed('a party twice or a bad person id');
  return entry;
}

// The parties of a record, in order (formats.md §3.2).
function parties(r) {
  switch (r.type) {
    case 'genesis': return r.founders.map((f) => f.person.id);
    case 'enrol': return [r.sponsor, r.person.id];
    case 'handoff': return [...(r.from ? [r.from] : []), r.to, ...(r.witnesses ?? [])];
    default: return r.by;
  }
}
// The bags a record names: registered (register) or moved (handoff, incident).
function bagMoves(r) {
  if (r.type === 'register') return (r.bags ?? []).map((b) => ({ bag: b.id }));
  if (r.type === 'handoff' || r.type === 'incident') return r.bags ?? [];
  return [];
}

const raw = (publicKey) => Buffer.from(publicKey.public, 'base64');
const keyIdOf = (bytes) => hex(sha256(ascii('custody/key/v1\ned25519\n'), bytes).subarray(0, 16));
const publicKeyOf = (raw) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
const verifies = (raw, message, sig) => cryptoVerify(null, message, publicKeyOf(raw), sig);

// ---- Merkle tree (merkle.md): leaf = H(0x00 || entry bytes), node = H(0x01 || l || r)
const leafHash = (d) => sha256(Buffer.from([0]), d);
const nodeHash = (l, r) => sha256(Buffer.from([1]), l, r);
function mth(leaves, from = 0, to = leaves.length) {
  const n = to - from;
  if (n === 0) return sha256(Buffer.alloc(0));
  if (n === 1) return leaves[from];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return nodeHash(mth(leaves, from, from + k), mth(leaves, from + k, to));
}
// Every perfect subtree, by level: levels[l][i] covers leaves i*2^l .. (i+1)*2^l - 1.
function perfectSubtrees(leaves) {
  const levels = [leaves];
  while (levels.at(-1).length > 1) {
    const below = levels.at(-1), up = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i], below[i + 1]));
    levels.push(up);
  }
  return levels;
}

// ---- the bundle (formats.md §11)
function readBundle(file) {
  const data = readFileSync(file);
  let text;
  try { text = utf8.decode(data); } catch { throw new Malformed('not UTF-8'); }
  if (data.length === 0 || data[data.length - 1] !== 0x0a) throw new Malformed(`line ${text.split('\n').length}: the last line does not end in \\n`);
  const lines = text.slice(0, -1).split('\n');
  let n = 0;
  const next = () => lines[n++];
  const fail = (why) => { throw new Malformed(`line ${n}: ${why}`); };
  const num = (s) => (/^(0|[1-9][0-9]*)$/.test(s ?? '') ? Number(s) : fail(`"${s}" is not a number`));
  const b64 = (s) => (isCanonicalBase64(s ?? '') ? Buffer.from(s, 'base64') : fail('not canonical base64 (standard alphabet, padded)'));
  const fields = (line, count) => { const f = line.split(' '); return f.length === count ? f : fail(`expected ${count} fields`); };
  if (next() !== 'custody-bundle/v1') fail('not custody-bundle/v1');
  const [tag, ledger, suite, ...rest] = next().split(' ');
  if (tag !== 'ledger' || rest.length || !ID.test(ledger ?? '')) fail('expected "ledger <id> <suite>"');
  const b = { ledger, suite, entries: [], head: null, tiles: [], checkpoints: [] };
  let line;
  while ((line = next()) !== undefined && line.startsWith('e ')) {
    const sp = line.indexOf(' ', 2);
    const body = line.slice(sp + 1), seq = num(line.slice(2, sp));
    if (b.entries.length && seq <= b.entries.at(-1).seq) fail(`entry ${seq} does not come after entry ${b.entries.at(-1).seq}`);
    b.entries.push({ seq, bytes: body.startsWith('!') ? b64(body.slice(1)) : ascii(body) });
  }
  const head = (line ?? '').split(' ');
  if (head[0] !== 'head') fail('expected the head line');
  if (!(head.length === 2 && head[1] === '-') && head.length !== 3) fail('the head line is "head <seq> <hash>" or "head -"');
  if (head[1] !== '-') b.head = { seq: num(head[1]), hash: HASH.test(head[2]) ? head[2] : fail('bad head hash') };
  const tileIds = new Set(), sizes = new Set();
  while ((line = next()) !== undefined && line.startsWith('t ')) {
    const [, level, idx, hashes] = fields(line, 4);
    const tile = { level: num(level), idx: num(idx), hashes: b64(hashes) };
    if (tileIds.has(`${tile.level}/${tile.idx}`)) fail(`tile (${tile.level}, ${tile.idx}) repeated`);
    tileIds.add(`${tile.level}/${tile.idx}`);
    b.tiles.push(tile);
  }
  while (line !== undefined && line.startsWith('c ')) {
    const [, size, root, note] = fields(line, 4);
    if (!HASH.test(root)) fail('the checkpoint root is not 64 lowercase hex digits');
    const c = { size: num(size), root, note: b64(note) };
    try { c.note = utf8.decode(c.note); } catch { fail('the checkpoint note is not UTF-8'); }
    if (sizes.has(c.size)) fail(`checkpoint size ${c.size} repeated`);
    sizes.add(c.size);
    b.checkpoints.push(c);
    line = next();
  }
  // RFC 3161 time-stamp tokens of checkpoints (formats.md §11, §15): read for the bundle's structure only; this
  // verifier does not check them (it has no TSA certificates to trust): custody verify --tsa-cert does
  b.timestamps = [];
  while (line !== undefined && line.startsWith('s ')) {
    const [, size, token] = fields(line, 3);
    const t = { size: num(size), token: b64(token) };
    if (b.timestamps.length && t.size <= b.timestamps.at(-1).size) fail(`time-stamp token of size ${t.size} does not come after the one of size ${b.timestamps.at(-1).size}`);
    b.timestamps.push(t);
    line = next();
  }
  const end = (line ?? '').split(' ');
  if (end[0] !== 'end' || !(end.length === 4 || (end.length === 5 && b.timestamps.length > 0))) fail('expected the end line');
  if (num(end[1]) !== b.entries.length || num(end[2]) !== b.tiles.length || num(end[3]) !== b.checkpoints.length
      || (end.length === 5 ? num(end[4]) : 0) !== b.timestamps.length) fail('counts differ: truncated bundle');
  if (n !== lines.length) { n++; fail('lines after the end line'); }
  return b;
}

// ---- verification (formats.md §6). Findings name the entry's position: its `e <seq>` number.
function verifyBundle(b) {
  const findings = [];
  const find = (code, seq, message) => findings.push({ code, seq, message });
  if (b.suite !== 'ed25519-sha256') throw new Malformed(`suite ${b.suite}: this verifier knows only ed25519-sha256`);

  // First pass: decode every entry and read the revocations ahead, keeping the earliest effective time per key.
  const decoded = b.entries.map((e) => {
    try { return decodeEntry(e.bytes); } catch (x) { return x instanceof Malformed ? x : new Malformed(`malformed: ${x.message}`); }
  });
  const laterRevocations = new Map(); // key id -> { effective (ms), seq }
  decoded.forEach((entry, i) => {
    if (entry instanceof Malformed || entry.record.type !== 'revoke') return;
    const old = laterRevocations.get(entry.record.key), effective = Date.parse(entry.record.effective);
    if (!old || effective <= old.effective) laterRevocations.set(entry.record.key, { effective, seq: b.entries[i].seq });
  });

  const keys = new Map(); // key id -> { raw, person, revokedSeq }
  const checkpointKeys = new Map(); // key id -> { raw, enrolled, revoked }
  const bagHeads = new Map(); // bag -> hash of the last entry that named it
  const roles = new Map(); // person -> roles of their latest enrolment (or founder record)
  let prevHash = ZERO_HASH, expectedSeq = 0, ledger = null;
  let appended = null; // the latest append time read, { ms, text, seq }; null before the first stamped entry
  const byCode = (x, y) => (x.code < y.code ? -1 : x.code > y.code ? 1 : 0);
  // Within one entry, findings are reported in code order (formats.md §6; a stable sort keeps the rest in order).
  b.entries.forEach((stored, i) => {
    const mark = findings.length;
    checkEntry(stored, i);
    findings.push(...findings.splice(mark).sort(byCode));
  });
  function checkEntry({ seq, bytes }, i) {
    const hash = hex(sha256(ascii('custody/entry/v1\n'), bytes));
    const entry = decoded[i];
    const expectedPrev = prevHash;
    if (seq > expectedSeq) find('I06', expectedSeq, `entries ${expectedSeq} to ${seq - 1} are missing`);
    prevHash = hash;
    expectedSeq = seq + 1;
    if (entry instanceof Malformed) return find('I01', seq, entry.message);
    if (entry.seq !== seq) find('I06', seq, `entry says seq ${entry.seq}, stored at ${seq}`);
    if (entry.prev !== expectedPrev) find('I02', seq, `prev ${entry.prev.slice(0, 16)}… is not the previous entry's hash ${expectedPrev.slice(0, 16)}…`);
    const r = entry.record;
    if (r.type === 'genesis' && seq === 0 && ledger === null) {
      ledger = r.ledger;
      // the bundle's ledger line against the genesis record (formats.md §6.3 step 14)
      if (b.ledger !== r.ledger) find('I11', seq, `the ledger line names ${b.ledger}, the genesis entry ${r.ledger}`);
      if (b.suite !== r.suite) find('I11', seq, `the ledger line names the suite ${b.suite}, the genesis entry ${r.suite}`);
    }
    else if (r.type === 'genesis') find('I01', seq, 'a genesis record after the first entry');
    else if (seq === 0 && ledger === null) find('I01', seq, 'the first entry is not a genesis record');
    if (ledger !== null && r.ledger !== ledger) find('I03', seq, `signed for ledger ${r.ledger}, not ${ledger}`);

    // Signatures (step 6): which key each one names, whether it was revoked, then the signature itself.
    const signed = Buffer.concat([ascii('custody/record/v1\n'), ascii(jcs(r))]);
    const own = new Map(); // keys this record brings: a genesis's founders, an enrolment's new key
    if (r.type === 'genesis') r.founders.forEach((f) => own.set(keyIdOf(raw(f.key)), { raw: raw(f.key), person: f.person.id }));
    if (r.type === 'enrol') own.set(keyIdOf(raw(r.key)), { raw: raw(r.key), person: r.person.id });
    const partyList = parties(r), signedBy = new Set(), failed = new Set();
    let allKnown = true;
    for (const s of entry.signatures) {
      const key = own.get(s.key) ?? keys.get(s.key);
      if (!key) { allKnown = false; find('I04', seq, `key ${s.key} was never enrolled`); continue; }
      const later = own.has(s.key) ? undefined : laterRevocations.get(s.key);
      // revoked by an earlier entry, or by an earlier revocation's effective time; a revocation appended after this
      // entry that reaches back over it is a compromise declaration: the signature is checked as usual and the entry
      // listed (R18, a custody finding left to the Java verifier), not an integrity finding
      const revoked = !own.has(s.key) && (key.revokedSeq !== undefined
        || (later && later.seq < seq && Date.parse(r.at) >= later.effective));
      if (revoked) find('I05', seq, `key ${s.key} of ${key.person} was revoked`);
      if (!partyList.includes(key.person)) find('I03', seq, `${key.person} signed but is not a party`);
      else if (signedBy.has(key.person)) find('I03', seq, `${key.person} signed more than once`);
      signedBy.add(key.person);
      if (!revoked && !failed.has(key.person) && !verifies(key.raw, signed, Buffer.from(s.sig, 'base64'))) {
        failed.add(key.person);
        find('I03', seq, `signature of ${key.person} (key ${s.key}) does not verify`);
      }
    }
    if (r.type === 'enrol' && !entry.signatures.some((s) => s.key === keyIdOf(raw(r.key)))) find('I03', seq, 'the key being enrolled did not sign');
    if (allKnown) for (const p of partyList) if (!signedBy.has(p)) find('I03', seq, `signature of ${p} is missing`);

    // Bag chains (step 7); every bag named now has this entry as its last, whatever was found.
    for (const m of bagMoves(r)) {
      if (r.type === 'register') { if (bagHeads.has(m.bag)) find('I07', seq, `bag ${m.bag} is already registered`); }
      else if (!bagHeads.has(m.bag)) find('I07', seq, `bag ${m.bag} was never registered`);
      else if (bagHeads.get(m.bag) !== m.prev) find('I07', seq, `bag ${m.bag} does not link to its last entry`);
      bagHeads.set(m.bag, hash);
    }
    // Keys (steps 8-9), applied whatever the signatures turn out to be.
    if (r.type === 'genesis') r.founders.forEach((f) => keys.set(keyIdOf(raw(f.key)), { raw: raw(f.key), person: f.person.id }));
    if (r.type === 'genesis') r.founders.forEach((f) => roles.set(f.person.id, f.person.roles));
    if (r.type === 'enrol') roles.set(r.person.id, r.person.roles);
    if (r.type === 'enrol') {
      const id = keyIdOf(raw(r.key));
      if (keys.has(id)) find('I06', seq, `key ${id} is already enrolled: a repeated enrolment`);
      else keys.set(id, { raw: raw(r.key), person: r.person.id });
      if (r.person.roles.includes('checkpoint_signer') && !checkpointKeys.has(id)) checkpointKeys.set(id, { raw: raw(r.key), enrolled: seq, revoked: -1 });
    }
    if (r.type === 'revoke') {
      const key = keys.get(r.key);
      if (!key) find('I04', seq, `revokes key ${r.key}, which was never enrolled`);
      else if (key.revokedSeq === undefined) { key.revokedSeq = seq; key.revokedFrom = Date.parse(r.effective); }
      const ck = checkpointKeys.get(r.key);
      if (ck && ck.revoked < 0) ck.revoked = seq;
    }
    // Append times (step 10, I12): once an entry has one, every later entry has one, and none goes back; a time
    // that goes back does not lower the latest, against which the later entries are judged.
    if (entry.appended === undefined) {
      if (appended) find('I12', seq, `entry ${seq} has no append time, but entry ${appended.seq} before it has one: entries are stamped from the first on`);
    } else {
      const ms = Date.parse(entry.appended);
      if (appended && ms < appended.ms) find('I12', seq, `entry ${seq} was appended at ${entry.appended}, before entry ${appended.seq} (${appended.text}): append times never go back`);
      else appended = { ms, text: entry.appended, seq };
    }
  }

  // The store's head record (step 11).
  const last = expectedSeq - 1;
  if (b.head === null) { if (b.entries.length > 0) find('I06', last, 'entries but no head record'); }
  else if (b.head.seq !== last) find('I06', Math.min(b.head.seq, expectedSeq), `the head record names ${b.head.seq + 1} entries, the last entry is ${last}`);
  else if (b.head.hash !== prevHash) find('I02', last, `the head record's hash is not the last entry's`);

  // The Merkle tree (step 12), leaf i = the i-th entry in the bundle: stored tiles and checkpoints.
  const leaves = b.entries.map((e) => leafHash(e.bytes));
  const positions = b.entries.map((e) => e.seq);
  const levels = perfectSubtrees(leaves);
  const tiles = new Map(b.tiles.map((t) => [`${t.level}/${t.idx}`, t.hashes]));
  let expectedTiles = 0;
  for (let t = 0; 4 * t < levels.length; t++) {
    const nodes = levels[4 * t];
    for (let i = 0; 16 * i + 15 < nodes.length; i++) {
      expectedTiles++;
      const at = positions[(16 * i + 16) * 2 ** (4 * t) - 1]; // the entry that completed the tile
      const got = tiles.get(`${t}/${i}`);
      if (!got) find('I08', at, `tree tile (${t}, ${i}) is missing`);
      else if (!got.equals(Buffer.concat(nodes.slice(16 * i, 16 * i + 16)))) find('I08', at, `tree tile (${t}, ${i}) does not match the entries`);
    }
  }
  if (b.tiles.length !== expectedTiles) find('I08', last, `${b.tiles.length} tree tiles stored, the entries make ${expectedTiles}`);
  const origin = `custody/ledger/${b.ledger}`;
  for (const c of [...b.checkpoints].sort((x, y) => x.size - y.size)) {
    const at = c.size > leaves.length ? last : positions[c.size - 1];
    const why = c.size > leaves.length ? `larger than the ledger (${leaves.length} entries)` : checkCheckpoint(c, origin, leaves, checkpointKeys);
    if (why) find('I08', at, `checkpoint of size ${c.size}: ${why}`);
  }
  // Inspectors' cosignatures (formats.md §6.3 step 15), after the entries' findings; the I12 of that step
  // (an entry appended after an inspector cosigned a checkpoint containing it) is not checked here.
  for (const c of [...b.checkpoints].sort((x, y) => x.size - y.size)) {
    const at = Math.max(0, Math.min(c.size - 1, last));
    for (const f of checkCosignatures(c, origin, keys, roles, checkpointKeys)) find(f.code, at, f.message);
  }
  return { findings, entries: b.entries.length, root: hex(mth(leaves)), head: prevHash };
}

// A stored checkpoint (checkpoints.md §1-3, §6a): its body and root, and the ledger's signature by a key
// enrolled for a checkpoint_signer before entry `size` and not revoked before it.
function checkCheckpoint(c, origin, leaves, checkpointKeys) {
  const cut = c.note.lastIndexOf('\n\n');
  if (cut < 0) return 'not a signed note';
  const text = c.note.slice(0, cut + 1);
  const [name, size, root64] = text.split('\n');
  const root = mth(leaves, 0, c.size);
  if (name !== origin || size !== String(c.size) || root64 !== root.toString('base64') || c.root !== hex(root)) {
    return `does not match the entries: it says ${name} size ${size} root ${root64}`;
  }
  const valid = [...checkpointKeys.values()].filter((k) => k.enrolled < c.size && (k.revoked < 0 || k.revoked >= c.size));
  if (valid.length === 0) return 'no checkpoint key was enrolled before it and left unrevoked';
  let good = 0;
  for (const line of c.note.slice(cut + 2).split('\n').filter((l) => l)) {
    const [dash, keyName, sig] = line.split(' ');
    if (dash !== '\u2014' || keyName !== origin) continue; // another key (an inspector's cosignature): ignored
    const blob = Buffer.from(sig, 'base64');
    for (const k of valid) {
      const noteKeyId = sha256(ascii(origin + '\n'), Buffer.from([1]), k.raw).subarray(0, 4); // type 0x01: Ed25519
      if (!noteKeyId.equals(blob.subarray(0, 4))) continue;
      if (blob.length !== 68 || !verifies(k.raw, ascii(text), blob.subarray(4))) return `the signature by key ${hex(noteKeyId)} does not verify`;
      good++;
    }
  }
  return good > 0 ? null : 'not signed by a checkpoint key valid at its size';
}

// Every signature line of a stored checkpoint that is not the ledger's own: one whose name and key id are
// an enrolled discipline inspector's Ed25519 cosignature key (type 0x04) must verify (I08) and not be dated
// at or after the key's revocation (I05); any other is not trusted, and not a finding.
function checkCosignatures(c, origin, keys, roles, checkpointKeys) {
  const out = [];
  const cut = c.note.lastIndexOf('\n\n');
  if (cut < 0) return out;
  const text = c.note.slice(0, cut + 1);
  const logIds = new Set([...checkpointKeys.values()].map((k) => hex(sha256(ascii(origin + '\n'), Buffer.from([1]), k.raw).subarray(0, 4))));
  for (const line of c.note.slice(cut + 2).split('\n').filter((l) => l)) {
    const [, keyName, sig] = line.split(' ');
    const blob = Buffer.from(sig ?? '', 'base64');
    const id = hex(blob.subarray(0, 4));
    if (keyName === origin && logIds.has(id)) continue;
    for (const k of keys.values()) {
      if (hex(sha256(ascii(keyName + '\n'), Buffer.from([4]), k.raw).subarray(0, 4)) !== id) continue;
      if (!(roles.get(k.person) ?? []).includes('discipline_inspector')) break;
      const time = blob.length === 76 ? blob.readBigUInt64BE(4) : -1n;
      const message = Buffer.concat([ascii(`cosignature/v1\ntime ${time}\n`), ascii(text)]);
      if (time < 0n || time >= 2n ** 63n || !verifies(k.raw, message, blob.subarray(12))) {
        out.push({ code: 'I08', message: `the cosignature by ${keyName} (a key of ${k.person}) does not verify` });
      } else if (k.revokedFrom !== undefined && Number(time) * 1000 >= k.revokedFrom) {
        out.push({ code: 'I05', message: `the cosignature by ${keyName} is dated after the key of ${k.person} was revoked` });
      }
      break;
    }
  }
  return out;
}

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error('usage: node verify.mjs BUNDLE   (a custody-bundle/v1 file, from "custody export")');
  process.exit(2);
}
try {
  const report = verifyBundle(readBundle(file));
  for (const f of report.findings) console.log(`${f.code} seq ${f.seq}: ${f.message}`);
  console.log(report.findings.length === 0
    ? `intact: ${report.entries} entries, head ${report.head}, root ${report.root}`
    : `${report.findings.length} integrity findings in ${report.entries} entries`);
  process.exit(report.findings.length === 0 ? 0 : 3);
} catch (e) {
  if (!(e instanceof Malformed) && e.code !== 'ENOENT') throw e;
  console.error(`error: ${file}: ${e.message}`);
  process.exit(2);
}
