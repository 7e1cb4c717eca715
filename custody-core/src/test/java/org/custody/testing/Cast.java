package org.custody.testing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.Record;
import org.custody.record.SignedRecord;

/** A cast of people with deterministic keys, for tests: founders and everyone else, and a signing helper. */
public final class Cast {
    public static final LedgerId LEDGER = LedgerId.of("HN-ZSB-2021");
    public static final Instant T0 = Instant.parse("2021-06-01T00:00:00Z");

    private final Suite suite;
    private final Map<PersonId, Person> people = new LinkedHashMap<>();
    private final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();

    public Cast(Suite suite, long seed) {
        this.suite = suite;
        SecureRandom random = seeded(seed);
        add(random, Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER));
        add(random, Person.of("P002", "许春娜", Role.CONFIDENTIALITY_OFFICER));
        add(random, Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR));
        add(random, Person.of("P004", "吴怡晓", Role.ESCORT));
        add(random, Person.of("P005", "王强", Role.POLICE));
        add(random, Person.of("P006", "李娜", Role.INVIGILATOR));
    }

    /** A SecureRandom that yields the same bytes for the same seed (test keys only). */
    public static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(SecureRandom random, Person person) {
        people.put(person.id(), person);
        keys.put(person.id(), SigningKey.generate(suite.signature(), random));
    }

    public Suite suite() {
        return suite;
    }

    public SignatureAlgorithm algorithm() {
        return suite.signature();
    }

    public Person person(String id) {
        return people.get(PersonId.of(id));
    }

    public SigningKey key(String id) {
        return keys.get(PersonId.of(id));
    }

    public List<PersonId> ids() {
        return new ArrayList<>(people.keySet());
    }

    /** The genesis record with every cast member as a founder, signed by all. */
    public SignedRecord genesis() {
        List<Founder> founders = new ArrayList<>();
        people.forEach((id, p) -> founders.add(new Founder(p, keys.get(id).publicKey())));
        return sign(new Genesis(RecordId.of("genesis"), LEDGER, T0, suite, founders));
    }

    /** {@code record} signed by each of its parties. */
    public SignedRecord sign(Record record) {
        SignedRecord signed = SignedRecord.unsigned(record);
        for (PersonId party : record.parties()) {
            SigningKey key = keys.get(party);
            if (key == null) {
                throw new IllegalArgumentException("no key for " + party);
            }
            signed = signed.signedBy(key);
        }
        return signed;
    }
}
