package org.custody.cli;

import java.util.Map;
import java.util.stream.Collectors;
import org.custody.store.BagQuery;
import picocli.CommandLine.Option;

/**
 * Which bags a question is about: each option given must match (docs/cli.md, "Questions"). No exam option: on a server
 * {@code --exam} names the exam's ledger, and a ledger's bags of one exam are those whose id starts with it.
 */
final class BagFilter {
    @Option(names = "--site", paramLabel = "SITE", description = "only bags of this exam site")
    String site;

    @Option(names = "--room", paramLabel = "ROOM", description = "only bags of this exam room")
    String room;

    @Option(names = "--session", paramLabel = "SESSION", description = "only bags of this session")
    String session;

    @Option(names = "--subject", paramLabel = "SUBJECT", description = "only bags of this subject")
    String subject;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "only bags of this kind: question_paper, answer_sheet, spare, marking_reference, transport_box")
    String kind;

    @Option(names = "--stage", paramLabel = "STAGE",
            description = "only bags whose last handoff is of this stage: print, seal, vault, escort, site, collection,"
                    + " grading; or registered (no handoff yet)")
    String stage;

    @Option(names = "--step", paramLabel = "STEP", description = "only bags whose last handoff is this step (e.g. vault_in,"
            + " open); or registered")
    String step;

    @Option(names = "--holder", paramLabel = "PERSON", description = "only bags this person holds now")
    String holder;

    BagQuery query() {
        return new BagQuery(null, kind, site, room, session, subject, stage, step, holder);
    }

    /** Whether any attribute is given. */
    boolean any() {
        return !query().given().isEmpty();
    }

    @Override
    public String toString() {
        Map<String, String> given = query().given();
        return given.entrySet().stream().map(e -> "--" + e.getKey() + " " + e.getValue()).collect(Collectors.joining(" "));
    }
}
