package org.custody.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.Bag;
import org.custody.model.BagId;
import org.custody.model.BagKind;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.model.Secrecy;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.PolicyRecord;
import org.custody.record.Record;
import org.custody.record.Registration;
import org.custody.record.SignedRecord;

/**
 * A real ledger file with people, keys and bags, a token file, and the real server on a loopback port.
 * Exam {@value #EXAM} runs under the default record-what-happened policy; exam {@value #STRICT_EXAM}
 * under a strict policy. Bags: {@link #Q1} and {@link #BOX} at site K01, {@link #Q2} at K02,
 * {@link #S1} (strict exam) at K01.
 */
final class Fixture implements AutoCloseable {
    static final String EXAM = "HN-2021";
    static final String STRICT_EXAM = "HN-2021-STRICT";
    static final LedgerId LEDGER = LedgerId.of("SERVER-TEST");
    static final BagId Q1 = BagId.of("HN-2021.K01.01.ENG.A");
    static final BagId Q2 = BagId.of("HN-2021.K02.01.ENG.A");
    static final BagId BOX = BagId.of("HN-2021.BOX.K01");
    static final BagId S1 = BagId.of("STRICT.K01.01.ENG.A");
    static final Instant T0 = Instant.parse("2021-06-01T00:00:00Z");
    static final char[] PASSPHRASE = "correct horse battery".toCharArray();

    final Path dir;
    final Path ledgerFile;
    final Ledger ledger;
    final Map<PersonId, Person> people = new LinkedHashMap<>();
    final Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
    final Map<String, String> tokens = new LinkedHashMap<>();
    final Path tokenFile;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    CustodyServer server;

    final Suite suite;
    /** The ledger's id ({@link #LEDGER} unless made with another). */
    final LedgerId id;

    Fixture(Path dir) throws Exception {
        this(dir, Suite.ED25519_SHA256);
    }

    Fixture(Path dir, Suite suite) throws Exception {
        this(dir, suite, LEDGER);
    }

    /** The fixture's ledger under another ledger id (a server of several exams serves one such ledger per exam). */
    Fixture(Path dir, Suite suite, LedgerId id) throws Exception {
        this.dir = dir;
        this.suite = suite;
        this.id = id;
        person("P001", "于涵敏", Role.CONFIDENTIALITY_OFFICER);
        person("P002", "许春娜", Role.CONFIDENTIALITY_OFFICER);
        person("P003", "杨丹", Role.DISCIPLINE_INSPECTOR);
        person("P010", "吴怡晓", Role.PRINT_SUPERVISOR);
        person("P011", "周立", Role.PRINTER_STAFF);
        person("P020", "陈志刚", Role.ESCORT);
        person("P021", "刘洋", Role.POLICE);
        person("P030", "赵敏", Role.CHIEF_EXAMINER);
        PersonId officer = PersonId.of("P001");
        PersonId inspector = PersonId.of("P003");
        ledgerFile = dir.resolve("ledger.db");
        ledger = Ledger.create(ledgerFile, sign(new Genesis(RecordId.of("genesis"), id, T0, suite,
                List.of(new Founder(people.get(officer), keys.get(officer).publicKey()),
                        new Founder(people.get(inspector), keys.get(inspector).publicKey())))));
        List<SignedRecord> setup = new ArrayList<>();
        for (Person p : people.values()) {
            if (!p.id().equals(officer) && !p.id().equals(inspector)) {
                setup.add(sign(new Enrolment(RecordId.of("enrol-" + p.id()), id, T0.plusSeconds(1), p,
                        keys.get(p.id()).publicKey(), officer)));
            }
        }
        setup.add(sign(new PolicyRecord(RecordId.of("policy-strict"), id, T0.plusSeconds(2),
                Policy.defaults(STRICT_EXAM).withMode(Policy.Mode.STRICT), List.of(officer, inspector))));
        setup.add(sign(new Registration(RecordId.of("register"), id, T0.plusSeconds(5), List.of(
                Bag.papers(Q1, BagKind.QUESTION_PAPER, EXAM, "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.papers(Q2, BagKind.QUESTION_PAPER, EXAM, "K02", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL),
                Bag.container(BOX, BagKind.TRANSPORT_BOX, EXAM, "K01"),
                Bag.papers(S1, BagKind.QUESTION_PAPER, STRICT_EXAM, "K01", "01", "S1", "ENG", "A", 30, Secrecy.CONFIDENTIAL)),
                List.of(officer, inspector))));
        ledger.appendAll(setup);
        List<String> lines = new ArrayList<>();
        token(lines, "officer-k01", Set.of(ApiRole.OFFICER), Set.of("K01"));
        token(lines, "officer-k02", Set.of(ApiRole.OFFICER), Set.of("K02"));
        token(lines, "inspector", Set.of(ApiRole.INSPECTOR), Set.of());
        token(lines, "admin", Set.of(ApiRole.ADMIN), Set.of());
        tokenFile = dir.resolve("tokens");
        Files.write(tokenFile, lines);
    }

    private void token(List<String> lines, String name, Set<ApiRole> roles, Set<String> sites) {
        String token = Tokens.newToken();
        tokens.put(name, token);
        lines.add(Tokens.line(token, EnumSet.copyOf(roles), name, sites));
    }

    private void person(String id, String name, Role role) {
        Person p = Person.of(id, name, role);
        people.put(p.id(), p);
        keys.put(p.id(), SigningKey.generate(suite.signature()));
    }

    /** The record signed by every party, with the keys the fixture holds. */
    SignedRecord sign(Record record) {
        SignedRecord s = SignedRecord.unsigned(record);
        for (PersonId p : record.parties()) {
            s = s.signedBy(keys.get(p));
        }
        return s;
    }

    SigningKey key(String person) {
        return keys.get(PersonId.of(person));
    }

    /** Starts the server with {@code ttl} drafts and {@code maxBody} byte bodies. */
    Fixture start(Duration ttl, long maxBody) {
        return start(ttl, maxBody, c -> c);
    }

    /** Starts the server with the default limits and the configuration changed by {@code tweak}. */
    Fixture start(java.util.function.UnaryOperator<ServerConfig> tweak) {
        return start(Duration.ofMinutes(15), 64 * 1024, tweak);
    }

    private Fixture start(Duration ttl, long maxBody, java.util.function.UnaryOperator<ServerConfig> tweak) {
        ServerConfig config = tweak.apply(new ServerConfig(ledgerFile, "127.0.0.1", 0, tokenFile, ttl, maxBody, 100, false));
        server = CustodyServer.start(ledger, config, clock);
        return this;
    }

    /**
     * Enrols {@code id} as a person with {@code role} and a new key, sponsored by the officer P001, and returns the key.
     * Used to add the ledger's checkpoint signer, and to make the ledger grow.
     */
    SigningKey enrol(String id, Role role) {
        person(id, "检查点 " + id, role);
        PersonId pid = PersonId.of(id);
        ledger.append(sign(new Enrolment(RecordId.of("enrol-" + id), this.id, T0.plusSeconds(10), people.get(pid),
                keys.get(pid).publicKey(), PersonId.of("P001"))));
        return keys.get(pid);
    }

    Fixture start() {
        return start(Duration.ofMinutes(15), 64 * 1024);
    }

    Client client(String tokenName) {
        return new Client(server.port(), tokenName == null ? null : tokens.get(tokenName));
    }

    /** A person's "device": their key in its own encrypted key file, read back by the device. */
    Device device(String person, String tokenName) {
        return device(person, client(tokenName));
    }

    /** A person's "device" talking to the server {@code client} reaches (one of several instances, say). */
    Device device(String person, Client client) {
        Path file = dir.resolve("device-" + person).resolve("key.pem");
        try {
            Files.createDirectories(file.getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (!Files.exists(file)) {
            KeyFiles.write(file, keys.get(PersonId.of(person)), PASSPHRASE, KeyFiles.MIN_ITERATIONS);
        }
        return new Device(file, PASSPHRASE, client);
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        ledger.close();
    }

    /** A clock the test moves by hand, to expire drafts without waiting. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
