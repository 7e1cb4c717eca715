package org.custody.ledger.verify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.checkpoint.MalformedNoteException;
import org.custody.checkpoint.SignedNote;
import org.custody.crypto.Hash;
import org.custody.failure.MalformedInputException;
import org.custody.model.Policy;
import org.custody.record.Entry;
import org.custody.timestamp.TimestampToken;
import org.custody.timestamp.TimestampVerificationException;
import org.custody.timestamp.TimestampVerifier;
import org.custody.timestamp.VerifiedTimestamp;

/**
 * The RFC 3161 tokens stored beside checkpoints (docs/formats.md §6.3, §7.6), in a ledger file or a bundle. Every token
 * must parse and be about its checkpoint's note text (I08); with the TSA certificates the inspector trusts, it must
 * also verify under them (I08, naming the failed check), and then bounds the append time of every entry (I12): an
 * entry a timestamped checkpoint contains was appended before the TSA's time, and one it does not contain after it,
 * each give or take the clock tolerance of cosignatures ({@link Policy#FUTURE_TOLERANCE}) and the token's accuracy.
 */
final class TimestampAudit {
    private final List<EntrySource.StoredCheckpoint> checkpoints;
    private final List<EntrySource.StoredTimestamp> timestamps;
    private final TimestampVerifier tsa;
    /** The verified times, by checkpoint size. */
    private final TreeMap<Long, VerifiedTimestamp> trusted = new TreeMap<>();

    TimestampAudit(List<EntrySource.StoredCheckpoint> checkpoints, List<EntrySource.StoredTimestamp> timestamps,
                   TimestampVerifier tsa) {
        this.checkpoints = checkpoints;
        this.timestamps = timestamps;
        this.tsa = tsa;
    }

    /** Checks every stored token, before the entries; the verified ones bound the entries' append times. */
    void start(Consumer<Finding> report) {
        Map<Long, byte[]> notes = new HashMap<>();
        checkpoints.forEach(c -> notes.put(c.size(), c.note()));
        for (EntrySource.StoredTimestamp stored : timestamps) {
            long size = stored.size();
            long position = Math.max(0, size - 1);
            byte[] note = notes.get(size);
            if (note == null) {
                report.accept(Finding.of(FindingCode.I08, position, null, "a time-stamp token is stored for a checkpoint of size "
                        + size + ", but no checkpoint of that size is stored").inChinese("存在时间戳，但没有对应的检查点")
                        .comparing("a checkpoint of size " + size, "none"));
                continue;
            }
            byte[] text;
            try {
                text = SignedNote.parse(note).text().getBytes(StandardCharsets.UTF_8);
            } catch (MalformedNoteException e) {
                continue; // TreeAudit reports the checkpoint (I08); its token has nothing to be about
            }
            TimestampToken token;
            try {
                token = TimestampToken.parse(stored.token());
            } catch (MalformedInputException e) {
                report.accept(Finding.of(FindingCode.I08, position, null, "the time-stamp token stored with the checkpoint of"
                        + " size " + size + " is damaged: " + e.getMessage()).inChinese("检查点的时间戳已损坏")
                        .comparing("an RFC 3161 time-stamp token", stored.token().length + " bytes that are not one"));
                continue;
            }
            try {
                if (tsa == null) {
                    token.checkImprint(text);
                } else {
                    trusted.put(size, tsa.verify(token, text));
                }
            } catch (TimestampVerificationException e) {
                report.accept(Finding.of(FindingCode.I08, position, null, "the time-stamp token stored with the checkpoint of"
                        + " size " + size + " does not verify (" + e.reason() + "): " + e.getMessage())
                        .inChinese("检查点的时间戳验证失败（伪造、损坏或非受信时间戳服务）")
                        .comparing(expected(e.reason(), size), e.reason().toString()));
            }
        }
    }

    private static String expected(TimestampVerificationException.Reason reason, long size) {
        return switch (reason) {
            case IMPRINT_MISMATCH -> "the SHA-256 of the note text of the checkpoint of size " + size;
            case NO_CERTIFICATE, UNTRUSTED -> "a token by a TSA chaining to the trusted TSA certificates";
            case NOT_TIMESTAMPING -> "a TSA certificate with the critical extended key usage timeStamping";
            case BAD_SIGNATURE -> "a valid signature by the TSA";
        };
    }

    private TimeBounds bounds;
    private List<VerifiedTimestamp> times;

    private TimeBounds bounds() {
        if (bounds == null) {
            int n = trusted.size();
            long[] sizes = new long[n];
            Instant[] latest = new Instant[n];
            Instant[] earliest = new Instant[n];
            times = List.copyOf(trusted.values());
            int i = 0;
            for (Map.Entry<Long, VerifiedTimestamp> t : trusted.entrySet()) {
                sizes[i] = t.getKey();
                latest[i] = t.getValue().time().plus(slack(t.getValue()));
                earliest[i] = t.getValue().time().minus(slack(t.getValue()));
                i++;
            }
            bounds = new TimeBounds(sizes, latest, earliest);
        }
        return bounds;
    }

    /** The decoded entry at {@code position}: its append time within the verified times around it. */
    void entry(long position, Hash hash, Entry entry, List<Finding> out) {
        if (trusted.isEmpty() || entry.appended().isEmpty()) {
            return;
        }
        TimeBounds b = bounds();
        Instant appended = entry.appended().get();
        int by = b.containing(position);
        if (by >= 0 && appended.isAfter(b.latest(by))) {
            out.add(Finding.of(FindingCode.I12, position, hash, "entry " + position + " claims to have been appended at "
                    + appended + ", but the checkpoint of size " + b.size(by) + ", which contains it, was timestamped at "
                    + times.get(by) + " (clocks may differ by " + slack(times.get(by)).toSeconds() + " s)")
                    .inChinese("记录的入账时间晚于包含该记录的检查点的可信时间戳").comparing("appended by " + b.latest(by), appended));
        }
        by = b.preceding(position);
        if (by >= 0 && appended.isBefore(b.earliest(by))) {
            out.add(Finding.of(FindingCode.I12, position, hash, "entry " + position + " claims to have been appended at "
                    + appended + ", but the checkpoint of size " + b.size(by) + ", which does not contain it yet, was"
                    + " timestamped at " + times.get(by) + " (clocks may differ by " + slack(times.get(by)).toSeconds()
                    + " s)").inChinese("记录的入账时间早于其之前检查点的可信时间戳").comparing("appended after " + b.earliest(by), appended));
        }
    }

    private static Duration slack(VerifiedTimestamp t) {
        return Policy.FUTURE_TOLERANCE.plus(t.accuracy());
    }

    /** The number of tokens verified under the trusted TSA certificates. */
    int verified() {
        return trusted.size();
    }
}
