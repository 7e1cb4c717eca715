package org.custody.audit;

/**
 * The stable codes of findings (../shared/domain.md): I01-I12 integrity, R01-R25 custody rules (I11-I12 and R15-R25 added
 * since, documented in docs/formats.md and docs/rules.md). Codes are part of the public contract: never renumbered,
 * new ones added at the end.
 */
public enum FindingCode {
    I01("entry cannot be parsed, or is not in canonical form", "记录无法解析或非规范格式"),
    I02("link to the previous entry's hash does not match (chain broken)", "前序哈希不符（链断裂）"),
    I03("signature does not verify over the entry's signed bytes", "签名验证失败"),
    I04("signature by a key that was never enrolled", "签名密钥未登记"),
    I05("signature by a key revoked before the entry's time", "签名密钥已吊销"),
    I06("sequence numbers skip, repeat or go backwards", "序号跳跃、重复或倒退"),
    I07("a bag's link to its own previous entry does not match (bag chain broken)", "试卷袋前序记录不符（袋链断裂）"),
    I08("a checkpoint, inclusion or consistency proof does not match the entries", "检查点或证明与记录不符"),
    I09("the ledger is shorter than, or diverges from, a checkpoint the verifier holds", "账本短于或偏离已保存的检查点"),
    I10("a scanned label does not match the bag's seal entry", "标签与封装记录不符"),
    R01("every handoff is signed by at least 2 people present; nobody counts twice", "交接须至少两人在场签字"),
    R02("sorting and distribution needs at least 3 staff plus a discipline inspector", "分发须三人以上并有纪检监察人员"),
    R03("an escort handoff includes a police or armed-police officer among its signers", "押运须有公安或武警"),
    R04("who receives a bag in one handoff releases it in the next", "交接须无缝衔接"),
    R05("a bag moves only along its life cycle", "试卷袋流转须符合流程"),
    R06("a question-paper bag is not opened before its session's permitted opening time", "不得提前启封"),
    R07("counts reconcile: sealed = found at opening; collected = present + absent", "份数须一致"),
    R08("a signer must not be recused and must hold the role the step needs", "签字人须无回避且具备相应职责"),
    R09("opening spare papers needs a recorded approval and 2 chief or deputy chief examiners", "启用备用试卷须审批并由两名主考或副主考在场"),
    R10("answer-sheet bags are back in the vault within the allowed time after their session", "答卷须按时回库"),
    R11("a bag checked out for grading is returned the same day", "评卷领取须当日归还"),
    R12("while bags are stored, the vault is inspected at least every 6 hours", "保密室须每6小时巡查"),
    R13("a withdrawn set is never opened afterwards", "已停用的套题不得启封"),
    R14("answer sheets are not destroyed before their retention period ends", "答卷保存期满前不得销毁"),
    /** Added after R14 (codes are never renumbered): derived data the store keeps beside the entries. */
    I11("a stored derived value (entry index column, bag head, bag link, key row, checkpoint key, metadata) disagrees with the signed entries",
            "存储的派生数据（记录索引列、袋头、袋链、密钥行、检查点密钥、元数据）与已签名记录不符"),
    /** Added after I11: a bag's own entries in ledger order never go back in time (issue #14, time integrity). */
    R15("a bag's entries do not go back in time: each is dated no earlier than the bag's entry before it",
            "试卷袋的记录时间不得早于其前一条记录"),
    /** Added after R15: the seal applied at sealing is the one every later check sees (issue #14, seals). */
    R16("a bag's seal number is the one recorded when it was sealed, unless a broken seal was recorded and it was re-sealed",
            "试卷袋封条编号须与封装时一致（封条破损经记录后重新封装的除外）"),
    /** Added after R16: governance records are signed by their quorum, never by one person alone (issue #14, authority). */
    R17("a governance record (policy, timetable, revocation, compromise declaration, set withdrawn, spare-paper approval, "
            + "correction, enrolment) is signed by the people in charge of it, never by one person alone",
            "治理类记录（政策、时间表、吊销、密钥泄露声明、停用套题、备用试卷审批、更正、人员登记）须由相应负责人共同签署，不得一人决定"),
    /**
     * Added after R17: an entry signed, before the declaration was recorded, with a key a compromise declaration (a
     * revocation effective earlier than it was recorded) revokes from before the entry's time (issue #14, authority).
     * Listed for the inspector; the ledger itself is not failed.
     */
    R18("an entry was signed with a key later declared compromised from before the entry's time: whoever held the key may have signed it",
            "该记录所用密钥事后被声明自记录时间之前已泄露：签名可能并非本人所为"),
    /** Added after R18: papers are opened in their own room (issue #14, place and people). */
    R19("a room's question papers are opened in that room (place SITE-ROOM); spare papers in a room of their own site",
            "试卷须在本考场启封（备用试卷须在本考点的考场启封）"),
    /** Added after R19: as many invigilators as the room needs open its papers (issue #14, place and people). */
    R20("a room's question papers are opened by as many invigilators as the room needs: 2 in a standard room, 3 in a non-standard one",
            "启封时监考员人数须达到考场要求：标准化考场2人，非标准化考场3人"),
    /** Added after R20: a transport box holds bags of its own site and session only (issue #14, place and people). */
    R21("a bag goes only into a container of its own exam, site and session", "试卷袋只能装入本考点、本场次的运送箱"),
    /**
     * Added after R21: a record may not claim a time ahead of the clock of the ledger that appends it by more than
     * the policy's tolerance (issue #14, time). Refused at append under every policy; the verifier repeats the check
     * against each entry's append time.
     */
    R22("a record claims a time later than the moment it is appended (beyond the clock tolerance)", "记录时间晚于入账时间（超出时钟误差）"),
    /**
     * Added after R22: a record is appended within the policy's time of the moment it claims (issue #14, time): a
     * record appended much later may be backdated. Stored and reported, never refused (refusing would hide it).
     */
    R23("a record was appended later after the time it claims than the policy allows (recorded late, or backdated)",
            "记录入账时间晚于其所记时间超过政策允许的时限（补记或倒签）"),
    /**
     * Added after R23: the append times the ledger wrote into its entries (format version 2) are consistent: they never
     * go back, every entry after the first stamped one has one, and none is later than an inspector's cosignature of a
     * checkpoint that already contained the entry (issue #14, time).
     */
    I12("an entry's append time is missing, goes back in time, or is later than an inspector's cosigned checkpoint that contains the entry",
            "记录入账时间缺失、倒退，或晚于已包含该记录的纪检监察见证检查点时间"),
    /**
     * Added after I12: once a ledger registers its vaults (or a site's exam rooms), records name them by a registered
     * place, so a place typed wrong is not silently a second vault or room (issue #14, place).
     */
    R24("a vault or exam room a record names is one the ledger registered (once it registers places of that kind)",
            "记录所称保密室或考场须为账本已登记的地点"),
    /**
     * Added after R24: a file a handoff or incident vouches for by its digest (an attachment: a photo of the seal, a
     * vault-camera segment) is not among the evidence files given to {@code verify --attachments}, or a file of the
     * name it was taken under holds other bytes (issue #18, evidence attachments). Like I10, a check of something
     * outside the ledger against it: the ledger is intact, the evidence is not.
     */
    I13("a file a handoff or incident vouches for (an attachment) is missing from the evidence given, or a file of its name holds other bytes",
            "记录所附证据文件缺失，或同名文件内容与记录不符"),
    /**
     * Added after R24: a question-paper bag is at its exam site before its session starts (issue #17, the exam-day
     * board's "not yet received by session start"). A time limit like R10: judged when the bag arrives and, while it
     * has not, at the end of a verification; reported, never refused.
     */
    R25("a question-paper bag is received at its exam site before its session starts", "试卷袋须在开考前送达考点");

    private final String english;
    private final String chinese;

    FindingCode(String english, String chinese) {
        this.english = english;
        this.chinese = chinese;
    }

    /** Critical for every integrity finding and for early opening or opening a withdrawn set; minor for time limits. */
    public Severity severity() {
        if (findingClass() == FindingClass.INTEGRITY || this == R06 || this == R13) {
            return Severity.CRITICAL;
        }
        return this == R11 || this == R12 || this == R23 ? Severity.MINOR : Severity.MAJOR;
    }

    public FindingClass findingClass() {
        return name().charAt(0) == 'I' ? FindingClass.INTEGRITY : FindingClass.RULE;
    }

    /** What the code means, in English. */
    public String english() {
        return english;
    }

    /** What the code means, in Chinese. */
    public String chinese() {
        return chinese;
    }
}
