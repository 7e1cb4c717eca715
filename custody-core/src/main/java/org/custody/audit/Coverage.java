package org.custody.audit;

import java.time.Instant;
import java.util.List;

/**
 * What an incremental verification covered (docs/formats.md §8 {@code coverage}, §14): it started from a verification
 * state the inspector kept after the first {@code from} entries, checked those entries only to be the same bytes (their
 * Merkle root and last hash), and checked the entries from {@code from} to {@code to - 1} in full.
 *
 * @param from        the size of the kept verification state: the first entry checked in full
 * @param to          the number of entries the ledger holds
 * @param stateDigest SHA-256 of the kept verification state read, as hex (for the inspector to match with their notes)
 * @param reachesBack revocations among the entries checked whose effective time is before the latest record time of the
 *                    kept state: the earlier entries they condemn (R18) are not listed by an incremental verification
 */
public record Coverage(long from, long to, String stateDigest, List<ReachBack> reachesBack) {
    public Coverage {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("coverage from " + from + " to " + to);
        }
        reachesBack = List.copyOf(reachesBack);
    }

    /** A revocation at entry {@code seq} of the key {@code key}, effective from {@code effective}. */
    public record ReachBack(long seq, String key, Instant effective) {}

    /** A sentence in English and Chinese. */
    public record Line(String en, String zh) {}

    /** What was checked, in English and Chinese. */
    public List<Line> checked() {
        return List.of(
                new Line("entries 0 to " + (from - 1) + ": their stored bytes hash to the Merkle root and last hash of the kept"
                        + " verification state (I09 otherwise); the stored tree tiles, checkpoints and cosignatures over them and"
                        + " their stored hash column are checked as in a full verification",
                        "第0至" + (from - 1) + "条记录：其存储内容的默克尔根与最后哈希须与已保存的核验状态一致（否则为I09）；其上的树瓦片、检查点、见证签名及哈希列照常核验"),
                new Line("entries " + from + " to " + (to - 1) + ": everything a full verification checks (form, links, signatures,"
                        + " keys, custody rules, append times, index columns, bag links, kept findings)",
                        "第" + from + "至" + (to - 1) + "条记录：与完整核验相同（格式、链接、签名、密钥、保管规则、入账时间、索引列、袋链、已存规则发现）"),
                new Line("after the last entry: the head, bag heads, keys, checkpoint keys and every row of the rules' state the"
                        + " file keeps, against the kept state carried forward by the new entries; what is overdue, over every bag",
                        "最后一条记录之后：账本头、袋头、密钥、检查点密钥及全部规则状态，与已保存状态加新记录推得的结果比对；逾期情况覆盖所有袋"));
    }

    /** What was not checked again, in English and Chinese. */
    public List<Line> notChecked() {
        return List.of(new Line("entries 0 to " + (from - 1) + ": their signatures, form, links, keys and custody rules, their bag"
                        + " links, index columns other than the hash, and kept findings (the verification that saved the state"
                        + " checked them; run a full verification to check them again)",
                "第0至" + (from - 1) + "条记录的签名、格式、链接、密钥、保管规则、袋链、哈希以外的索引列及已存规则发现未重新核验（保存状态时已核验；如需重新核验请做完整核验）"));
    }
}
