package org.custody.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Role;
import org.custody.record.Founder;
import org.custody.record.Record;
import org.custody.record.SignedRecord;

/**
 * The three founders of the label and receipt tests, with fresh Ed25519 keys: P001 confidentiality officer, P002 print
 * supervisor, P003 discipline inspector; more people (keys only) on request.
 */
final class PrintCast {
    private final Map<String, SigningKey> keys = new LinkedHashMap<>();

    PrintCast(String... others) {
        for (String id : List.of("P001", "P002", "P003")) {
            keys.put(id, SigningKey.generate(SignatureAlgorithm.ED25519));
        }
        for (String id : others) {
            keys.put(id, SigningKey.generate(SignatureAlgorithm.ED25519));
        }
    }

    SigningKey key(String person) {
        return keys.get(person);
    }

    List<Founder> founders() {
        return List.of(
                new Founder(Person.of("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER), key("P001").publicKey()),
                new Founder(Person.of("P002", "许春娜", Role.PRINT_SUPERVISOR), key("P002").publicKey()),
                new Founder(Person.of("P003", "杨丹", Role.DISCIPLINE_INSPECTOR), key("P003").publicKey()));
    }

    /** {@code r} signed by each of its parties. */
    SignedRecord sign(Record r) {
        SignedRecord s = SignedRecord.unsigned(r);
        for (PersonId p : r.parties()) {
            s = s.signedBy(key(p.value()));
        }
        return s;
    }
}
