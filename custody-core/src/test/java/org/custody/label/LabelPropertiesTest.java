package org.custody.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.custody.crypto.HashAlgorithm;
import org.custody.model.BagId;
import org.custody.record.Entry;

/** Properties of label payloads against the golden ledgers' seal entries. */
class LabelPropertiesTest {
    private static final List<Entry> ENTRIES = LabelVectorsGenerator.entries(LabelVectorsGenerator.ED25519_LEDGER);
    private static final List<Entry> HISTORY = LabelVectorsGenerator.history(ENTRIES, LabelVectorsGenerator.PAPERS);
    private static final Label GOOD = LabelCheck.issue(HashAlgorithm.SHA_256, LabelVectorsGenerator.ledger(ENTRIES),
            LabelVectorsGenerator.PAPERS, HISTORY);

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<Character> first = Arbitraries.chars().range('A', 'Z').range('a', 'z').range('0', '9');
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9')
                .withChars('.', '_', ':', '-').ofMaxLength(63);
        return Combinators.combine(first, rest).as((f, r) -> f + r);
    }

    @Property(tries = 300)
    void parse_ofAnyBoundLabel_roundTrips(@ForAll("ids") String ledger, @ForAll("ids") String bag,
                                          @ForAll @net.jqwik.api.constraints.LongRange(min = 1, max = Entry.MAX_SEQ) long seq,
                                          @ForAll byte[] entry) {
        Label l = Label.bind(HashAlgorithm.SM3, org.custody.model.LedgerId.of(ledger), BagId.of(bag), seq,
                HashAlgorithm.SHA_256.digest(entry));
        assertEquals(l, Label.parse(l.payload()));
    }

    @Property(tries = 1000)
    void check_anySingleCharacterChange_neverChecksOut(@ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 70) int at,
                                                        @ForAll @net.jqwik.api.constraints.CharRange(from = ' ', to = '~') char c) {
        String good = GOOD.payload();
        int i = at % good.length();
        String changed = good.substring(0, i) + c + good.substring(i + 1);
        if (changed.equals(good)) {
            return;
        }
        Label label;
        try {
            label = Label.parse(changed);
        } catch (MalformedLabelException e) {
            return;
        }
        assertFalse(LabelCheck.check(label, GOOD.ledger(), HashAlgorithm.SHA_256,
                LabelVectorsGenerator.history(ENTRIES, label.bag())).ok(), changed);
    }
}
