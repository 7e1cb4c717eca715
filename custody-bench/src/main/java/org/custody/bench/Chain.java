package org.custody.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.custody.crypto.Hash;
import org.custody.record.Entry;
import org.custody.record.SignedRecord;

/**
 * Generates a workload's records in ledger order, ahead of the ledger: it places each record at its
 * sequence number with {@link Entry#create} to learn the entry hash, so every handoff can link to its
 * bag's previous entry before it is signed. A ledger whose clock is {@link Workload#CLOCK} and that appends exactly
 * these records, in order, ends with the same hashes.
 */
public final class Chain {
    private final Workload workload;
    private final Hash[] bagPrev;
    private long seq;
    private Hash head = Hash.ZERO;
    private long handoffs;

    /** One generated record and the entry hash it will have. */
    public record Next(SignedRecord record, Hash hash) {}

    /** A chain positioned at an empty ledger. */
    public Chain(Workload workload) {
        this.workload = workload;
        this.bagPrev = new Hash[workload.bags()];
    }

    /** The genesis and registration records, which a ledger of this workload starts with. */
    public List<Next> prologue() {
        if (seq != 0) {
            throw new IllegalStateException("the prologue comes first");
        }
        List<Next> out = new ArrayList<>(2);
        out.add(place(workload.genesis()));
        Next registration = place(workload.registration());
        java.util.Arrays.fill(bagPrev, registration.hash());
        out.add(registration);
        return out;
    }

    /** The next {@code n} handoffs, signed in parallel a round of distinct bags at a time. */
    public List<Next> next(int n) {
        if (seq < 2) {
            throw new IllegalStateException("take the prologue first");
        }
        List<Next> out = new ArrayList<>(n);
        while (out.size() < n) {
            int round = Math.min(n - out.size(), workload.bags());
            long first = handoffs;
            List<SignedRecord> signed = IntStream.range(0, round).parallel()
                    .mapToObj(i -> workload.handoff(first + i, bagPrev[workload.bagOf(first + i)]))
                    .toList();
            for (int i = 0; i < round; i++) {
                Next placed = place(signed.get(i));
                bagPrev[workload.bagOf(first + i)] = placed.hash();
                out.add(placed);
            }
            handoffs += round;
        }
        return out;
    }

    /**
     * Places one more record of the caller's (e.g. an enrolment) at the end of the chain; handoffs that follow link to
     * entries after it.
     */
    public Next place(SignedRecord record) {
        Hash hash = Entry.create(seq, head, record, Workload.APPENDED).hash(workload.suite().hash());
        seq++;
        head = hash;
        return new Next(record, hash);
    }

    /** Number of records generated so far (the size of the ledger that appends them all). */
    public long size() {
        return seq;
    }

    /** Hash of the last record generated. */
    public Hash head() {
        return head;
    }
}
