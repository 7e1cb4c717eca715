package org.custody.ledger.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.Checkpoint;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.NoteKey;
import org.custody.checkpoint.NoteVerifier;
import org.custody.checkpoint.SignedNote;
import org.custody.checkpoint.VerifiedNote;
import org.custody.crypto.BadSignatureException;
import org.custody.crypto.Hash;
import org.custody.crypto.Signature;
import org.custody.crypto.Suite;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.LedgerStoreException;
import org.custody.ledger.gate.KeyFolder;
import org.custody.ledger.gate.KeyState;
import org.custody.ledger.sqlite.CheckpointStore;
import org.custody.ledger.sqlite.Meta;
import org.custody.ledger.sqlite.Sqlite;
import org.custody.ledger.sqlite.TreeStore;
import org.custody.merkle.InclusionProof;
import org.custody.merkle.MerkleProofException;
import org.custody.merkle.ProofBuilder;
import org.custody.merkle.ProofVerifier;
import org.custody.merkle.TreeHasher;
import org.custody.model.BagId;
import org.custody.model.LedgerId;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Entry;
import org.custody.record.MalformedRecordException;
import org.custody.record.Registration;

/**
 * The per-bag evidence bundle ({@code custody-evidence/v1}, docs/formats.md §12): one bag's entries, the entries that
 * enrolled (and revoked) the keys that signed them, an inclusion proof of each in a signed, cosigned checkpoint, and
 * the checkpoint. Small enough to attach to an incident report, and verifiable alone by anyone who trusts the
 * checkpoint's signers.
 */
public final class Evidence {
    /** Largest evidence file read (a bag has at most a few hundred entries of at most 256 KiB). */
    static final int MAX_BYTES = 64 << 20;
    /** The first line of every evidence bundle. */
    public static final String MAGIC = "custody-evidence/v1";

    private Evidence() {}

    /**
     * What verifying an evidence bundle found.
     *
     * @param bag        the bag
     * @param suite      the ledger's suite, from the evidence's {@code ledger} line (its hash gives the entries' hashes)
     * @param checkpoint the checkpoint every entry is proven in
     * @param entries    the bag's entries, oldest first
     * @param findings   integrity findings (I01, I03-I05, I07, I08), empty if the evidence holds
     */
    public record Report(BagId bag, Suite suite, Checkpoint checkpoint, List<Entry> entries, List<Finding> findings) {
        public Report {
            entries = List.copyOf(entries);
            findings = List.copyOf(findings);
        }

        /**
         * Whether the evidence holds: every entry is in the checkpoint, validly signed, and the bag's chain links. An
         * entry signed with a key later declared compromised (R18) is listed but does not break it.
         */
        public boolean intact() {
            return findings.stream().noneMatch(f -> f.code().findingClass() == org.custody.audit.FindingClass.INTEGRITY);
        }
    }

    /**
     * Writes the evidence of {@code bag} from the ledger file, proven in its latest stored checkpoint.
     *
     * @return the number of entries written
     * @throws org.custody.failure.MalformedInputException if the bag is not in the ledger, there is no checkpoint, or the bag has entries
     *     after the latest checkpoint (make one first)
     */
    public static int export(Path ledger, BagId bag, OutputStream out) {
        if (!Files.isRegularFile(ledger)) {
            throw new LedgerStoreException("no ledger at " + ledger);
        }
        try (Connection c = Sqlite.reader(ledger)) {
            c.setAutoCommit(false);
            Meta meta = Meta.read(c, ledger);
            if (meta.schemaVersion() < 2) {
                throw new MalformedInputException(ledger + " has no checkpoints yet (schema version 1): open it for writing"
                        + " and make a checkpoint first");
            }
            SignedNote note = CheckpointStore.read(c, -1).orElseThrow(() -> new MalformedInputException(
                    "no checkpoint in " + ledger + " to prove the evidence in; make one first"));
            long size = Checkpoint.parse(note.text()).size();
            TreeMap<Long, byte[]> entries = new TreeMap<>();
            // the bag's chain of links, from its last entry back to its registration (formats.md §7)
            List<Long> bagSeqs = seqs(c, "WITH RECURSIVE chain (seq) AS (SELECT seq FROM bag_heads WHERE bag = ?1"
                    + " UNION ALL SELECT l.prev FROM chain c JOIN bag_links l ON l.seq = c.seq AND l.bag = ?1"
                    + " WHERE l.prev IS NOT NULL) SELECT seq FROM chain ORDER BY seq", bag.value());
            if (bagSeqs.isEmpty()) {
                throw new MalformedInputException("bag " + bag + " is not in " + ledger);
            }
            if (bagSeqs.get(bagSeqs.size() - 1) >= size) {
                throw new MalformedInputException("bag " + bag + " has entries after the latest checkpoint (size " + size
                        + "); make a checkpoint first");
            }
            java.util.Set<org.custody.crypto.KeyId> signingKeys = new java.util.HashSet<>();
            for (long seq : bagSeqs) {
                byte[] body = body(c, seq);
                entries.put(seq, body);
                for (Signature s : Entry.decode(body).signatures()) {
                    signingKeys.add(s.key());
                    try (PreparedStatement k = c.prepareStatement("SELECT enrolled_seq, revoked_seq FROM keys WHERE key_id = ?")) {
                        k.setString(1, s.key().hex());
                        try (ResultSet rs = k.executeQuery()) {
                            if (rs.next()) {
                                entries.computeIfAbsent(rs.getLong(1), q -> body(c, q));
                                long revoked = rs.getLong(2);
                                if (!rs.wasNull() && revoked < size) {
                                    entries.computeIfAbsent(revoked, q -> body(c, q));
                                }
                            }
                        }
                    }
                }
            }
            // every other revocation of those keys too (a compromise declaration after a plain revocation reaches back)
            try (PreparedStatement r = c.prepareStatement("SELECT seq, body FROM entries WHERE type = 'revoke' AND seq < ?")) {
                r.setLong(1, size);
                try (ResultSet rs = r.executeQuery()) {
                    while (rs.next()) {
                        byte[] body = rs.getBytes(2);
                        if (Entry.decode(body).record() instanceof org.custody.record.Revocation rev && signingKeys.contains(rev.key())) {
                            entries.putIfAbsent(rs.getLong(1), body);
                        }
                    }
                }
            }
            ProofBuilder proofs = ProofBuilder.of(meta.suite().hash(), new TreeStore(meta.suite().hash()).source(c, size));
            StringBuilder b = new StringBuilder();
            b.append(MAGIC).append('\n');
            b.append("ledger ").append(meta.ledger().value()).append(' ').append(meta.suite().wire()).append('\n');
            b.append("bag ").append(bag.value()).append('\n');
            b.append("checkpoint ").append(Base64.getEncoder().encodeToString(note.bytes())).append('\n');
            for (Map.Entry<Long, byte[]> e : entries.entrySet()) {
                b.append("e ").append(e.getKey()).append(' ').append(new String(e.getValue(), StandardCharsets.UTF_8)).append('\n');
                b.append("p ").append(e.getKey());
                for (Hash h : proofs.inclusion(e.getKey(), size).hashes()) {
                    b.append(' ').append(h.hex());
                }
                b.append('\n');
            }
            b.append("end ").append(entries.size()).append('\n');
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            c.rollback();
            return entries.size();
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot export evidence from " + ledger + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evidence: " + e.getMessage(), e);
        } catch (MalformedRecordException | MalformedNoteException e) {
            throw new LedgerStoreException("a stored entry or checkpoint is damaged (" + e.getMessage() + "); run a verification", e);
        }
    }

    private static List<Long> seqs(Connection c, String sql, String arg) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, arg);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    private static byte[] body(Connection c, long seq) {
        try (PreparedStatement s = c.prepareStatement("SELECT body FROM entries WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new LedgerStoreException("entry " + seq + " is missing; run a verification");
                }
                return rs.getBytes(1);
            }
        } catch (SQLException e) {
            throw new LedgerStoreException("cannot read entry " + seq + ": " + e.getMessage(), e);
        }
    }

    /**
     * Verifies an evidence bundle alone. The checkpoint must verify under {@code trusted} (the ledger's checkpoint key
     * and any inspectors' cosignature keys) with the ledger's signature and at least {@code cosignatures} of the
     * inspectors among {@code trusted}; then every entry is checked against it.
     *
     * @throws MalformedBundleException naming the line if the input is not an evidence bundle
     * @throws org.custody.checkpoint.NoteVerificationException if the checkpoint is not vouched for as required
     */
    public static Report verify(InputStream in, List<NoteKey> trusted, int cosignatures) {
        StrictLines r = new StrictLines(in, "evidence", Bundle.MAX_LINE, MAX_BYTES);
        r.expect(MAGIC);
        String[] ledger = r.fields("ledger", 3);
        LedgerId id;
        Suite suite;
        try {
            id = LedgerId.of(ledger[1]);
            suite = Suite.fromWire(ledger[2]);
        } catch (MalformedInputException e) {
            throw r.error("bad ledger line: " + e.getMessage());
        }
        BagId bag;
        try {
            bag = BagId.of(r.fields("bag", 2)[1]);
        } catch (MalformedInputException e) {
            throw r.error("bad bag id: " + e.getMessage());
        }
        SignedNote note;
        Checkpoint cp;
        String[] line = r.fields("checkpoint", 2);
        try {
            note = SignedNote.parse(r.base64(line[1]));
            cp = Checkpoint.parse(note.text());
        } catch (MalformedNoteException e) {
            throw r.error("the checkpoint is not a signed checkpoint: " + e.getMessage());
        }
        String origin = CheckpointStore.origin(id);
        if (!cp.origin().equals(origin)) {
            throw r.error("the checkpoint is of " + cp.origin() + ", not of ledger " + id);
        }
        VerifiedNote verified = NoteVerifier.of(trusted).verify(note).requireSignatures(1, List.of(origin));
        List<String> inspectors = trusted.stream().filter(k -> k.type().isCosignature()).map(NoteKey::name).distinct().toList();
        if (cosignatures > 0) {
            verified.requireCosignatures(cosignatures, inspectors, Instant.EPOCH);
        }

        TreeHasher hasher = TreeHasher.of(suite.hash());
        ProofVerifier proofs = ProofVerifier.of(suite.hash());
        List<Finding> findings = new ArrayList<>();
        TreeMap<Long, Entry> entries = new TreeMap<>();
        long count = 0;
        long previous = -1;
        while (r.nextStartsWith("e ")) {
            String[] e = r.split(r.next(), 3, "e <seq> <entry>");
            long seq = r.number(e[1]);
            if (seq <= previous) {
                throw r.error("entry " + seq + " does not come after entry " + previous);
            }
            previous = seq;
            byte[] body = e[2].getBytes(StandardCharsets.UTF_8);
            String[] p = r.next().split(" ", -1);
            if (p.length < 2 || !p[0].equals("p") || !p[1].equals(e[1])) {
                throw r.error("expected the inclusion proof 'p " + seq + " <hashes>' of entry " + seq);
            }
            List<byte[]> path = new ArrayList<>();
            for (int i = 2; i < p.length; i++) {
                path.add(r.hash(p[i]).bytes());
            }
            count++;
            Hash entryHash = suite.hash().digest(Entry.HASH_LABEL.getBytes(StandardCharsets.US_ASCII), body);
            try {
                proofs.verifyInclusion(seq, cp.size(), hasher.leafHash(body).bytes(), path, cp.root().bytes());
            } catch (MerkleProofException x) {
                findings.add(Finding.of(FindingCode.I08, seq, entryHash, "entry " + seq + " is not in the checkpoint of size "
                        + cp.size() + ": " + x.getMessage()));
                continue;
            }
            try {
                Entry entry = Entry.decode(body);
                if (entry.seq() != seq) {
                    findings.add(Finding.of(FindingCode.I06, seq, entryHash, "entry proven at " + seq + " says seq " + entry.seq()));
                }
                entries.put(seq, entry);
            } catch (MalformedRecordException x) {
                findings.add(Finding.of(FindingCode.I01, seq, entryHash, "entry cannot be decoded: " + x.getMessage()));
            }
        }
        if (r.number(r.fields("end", 2)[1]) != count) {
            throw r.error("the 'end' line does not give the number of entries, " + count);
        }
        r.expectEnd();
        List<Entry> bagEntries = check(bag, suite, entries, findings);
        return new Report(bag, suite, cp, bagEntries, findings);
    }

    /** Signatures by the keys the included entries enrol, and the bag's chain; returns the bag's entries. */
    private static List<Entry> check(BagId bag, Suite suite, TreeMap<Long, Entry> entries, List<Finding> findings) {
        // the key records the evidence includes, folded as the ledger folds them; a revocation anywhere in the
        // evidence counts from its effective time, as the verifier reads revocations ahead
        KeyFolder keys = new KeyFolder();
        entries.values().forEach(e -> keys.apply(e.seq(), e.record()));
        // and every revocation read ahead, as the verifier reads them (formats.md §6.1 step 6): per key the earliest
        // effective time, so a compromise declaration recorded after a plain revocation still reaches back
        Map<org.custody.crypto.KeyId, org.custody.ledger.gate.LedgerState.LaterRevocation> ahead = new java.util.HashMap<>();
        entries.values().forEach(e -> {
            if (e.record() instanceof org.custody.record.Revocation r) {
                ahead.merge(r.key(), new org.custody.ledger.gate.LedgerState.LaterRevocation(r.effective(), e.seq()),
                        org.custody.ledger.gate.LedgerState.LaterRevocation::earliest);
            }
        });
        List<Entry> out = new ArrayList<>();
        Hash last = null;
        for (Entry e : entries.values()) {
            Optional<BagMove> move = e.record().moves().stream().filter(m -> m.bag().equals(bag)).findFirst();
            boolean registers = e.record() instanceof Registration reg && reg.bags().stream().anyMatch(b -> b.id().equals(bag));
            if (move.isEmpty() && !registers) {
                continue;
            }
            Hash hash = e.hash(suite.hash());
            out.add(e);
            if (last == null && !registers) {
                findings.add(Finding.of(FindingCode.I07, e.seq(), hash, "the evidence of " + bag + " does not start with its registration"));
            } else if (last != null && (move.isEmpty() || !move.get().prev().equals(last))) {
                findings.add(Finding.of(FindingCode.I07, e.seq(), hash, bag + " does not link to its previous entry in the evidence")
                        .comparing(last, move.isEmpty() ? null : move.get().prev()));
            }
            last = hash;
            byte[] signed = e.record().signedBytes();
            List<PersonId> signers = new ArrayList<>();
            for (Signature s : e.signatures()) {
                KeyState k = keys.keys().get(s.key());
                if (k == null) {
                    findings.add(Finding.of(FindingCode.I04, e.seq(), hash, "signed with key " + s.key()
                            + ", whose enrolment is not in the evidence"));
                    continue;
                }
                var later = ahead.get(s.key());
                boolean afterRevocation = k.revokedFrom() != null && e.seq() > k.revokedSeq();
                boolean reachedBack = later != null && later.seq() != e.seq() && !e.record().at().isBefore(later.from());
                if (afterRevocation || (reachedBack && later.seq() < e.seq())) {
                    findings.add(Finding.of(FindingCode.I05, e.seq(), hash, "signed with key " + s.key() + ", revoked by entry "
                            + (afterRevocation ? k.revokedSeq() : later.seq())).withPeople(List.of(k.person())));
                } else if (reachedBack) {
                    // a compromise declaration recorded after the entry: listed, not an integrity failure
                    findings.add(Finding.of(FindingCode.R18, e.seq(), hash, "signed with key " + s.key() + ", which entry "
                            + later.seq() + " later declared compromised from " + later.from()).withPeople(List.of(k.person()))
                            .inChinese("该记录所用密钥事后被声明泄露（第" + later.seq() + "条记录）").at(e.record().at()));
                }
                try {
                    k.key().verify(signed, s);
                    signers.add(k.person());
                } catch (BadSignatureException x) {
                    findings.add(Finding.of(FindingCode.I03, e.seq(), hash, "the signature by " + k.person() + " does not verify")
                            .withPeople(List.of(k.person())));
                }
            }
            for (PersonId party : e.record().parties()) {
                if (!signers.contains(party)) {
                    findings.add(Finding.of(FindingCode.I03, e.seq(), hash, party + " did not sign").withPeople(List.of(party)));
                }
            }
        }
        if (out.isEmpty()) {
            findings.add(Finding.of(FindingCode.I07, 0, null, "the evidence holds no entry of " + bag));
        }
        return out;
    }

}
