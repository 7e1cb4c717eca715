package org.custody.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SigningKey;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.LedgerId;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.Policy;
import org.custody.model.RecordId;
import org.custody.model.Role;
import org.custody.record.Enrolment;
import org.custody.record.Founder;
import org.custody.record.Genesis;
import org.custody.record.PolicyRecord;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code custody init}: a new ledger, signed by its founders, with the ledger's own key file. */
@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create a ledger (建立台账): its algorithms, its founders (who enrol everyone else) and its own key.",
                "Each founder signs the first entry with their key file. The ledger's own key is written to a new,"
                        + " passphrase-protected key file for signing the ledger's checkpoints."})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    LedgerOption where;

    @Option(names = "--id", required = true, paramLabel = "LEDGER-ID", description = "the ledger's id, e.g. the exam code HN-ZSB-2021")
    String id;

    @Option(names = "--alg", defaultValue = "ed25519", paramLabel = "ALG",
            description = "signature algorithm of every key in the ledger: ed25519 (with SHA-256, default) or sm2 (with SM3)")
    Alg alg;

    @Option(names = "--roster", required = true, paramLabel = "CSV", description = "the roster holding the founders (docs/cli.md)")
    Path roster;

    @Option(names = "--founder", required = true, paramLabel = "PERSON", description = "a founder's person id (repeatable, 1-16)")
    List<String> founders;

    @Option(names = "--exam", paramLabel = "EXAM", description = "exam the roster's recusals and --mode apply to (default: the ledger id)")
    String exam;

    @Mixin
    PolicyOptions policyOptions;

    @Option(names = "--ledger-key", paramLabel = "FILE", description = "where to write the ledger's own key (default: LEDGER.ledger.key)")
    Path ledgerKey;

    @Option(names = "--ledger-key-passphrase-file", paramLabel = "FILE",
            description = "passphrase for the ledger's key, first line of FILE; else asked twice at the terminal, or the line after the founders' on standard input")
    Path ledgerKeyPassphrase;

    @Option(names = "--at", paramLabel = "TIME", description = "when the ledger starts (default: now)")
    String at;

    @Mixin
    SignerOptions signerOptions;

    /** The person id under which init enrols the ledger's own checkpoint key. */
    static final String LEDGER_SIGNER = "LEDGER";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        org.custody.ledger.LedgerLocation file = where.ledger;
        Path keyFile;
        if (file instanceof org.custody.ledger.LedgerLocation.File f) {
            keyFile = ledgerKey != null ? ledgerKey : Path.of(f.path() + ".ledger.key");
            if (Files.exists(f.path())) {
                throw new UserError(file + " already exists; choose a new file name (a ledger is never overwritten)");
            }
        } else if (ledgerKey == null) {
            throw new UserError("give --ledger-key FILE: a ledger in PostgreSQL has no file beside which to keep its key"
                    + " / PostgreSQL 账本须用 --ledger-key 指定台账密钥文件");
        } else {
            keyFile = ledgerKey;
        }
        if (Files.exists(keyFile)) {
            throw new UserError("the ledger's key file " + keyFile + " already exists; remove it or name another with --ledger-key");
        }
        LedgerId ledgerId = LedgerId.of(id);
        String examId = exam != null ? exam : ledgerId.value();
        Instant time = Times.parse("--at", at, where.zone);
        Policy.Mode mode = policyOptions.mode;
        if (mode == null && policyOptions.any()) {
            throw new UserError("--quorum, --future-tolerance and --record-within state part of the exam's policy: give --mode too");
        }
        Policy stated = policyOptions.apply(Policy.defaults(examId).withMode(mode == null ? Policy.Mode.RECORD : mode));
        Map<PersonId, Person> roll = Roster.read(roster, examId);
        Map<PersonId, Person> people = new LinkedHashMap<>();
        for (String f : founders) {
            PersonId pid = PersonId.of(f);
            Person p = roll.get(pid);
            if (p == null) {
                throw new UserError("founder " + f + " is not in " + roster + "; check the id or add the person to the roster");
            }
            if (people.put(pid, p) != null) {
                throw new UserError("founder " + f + " is given twice");
            }
        }
        Suite suite = alg.suite();
        Signers signers = new Signers(signerOptions, Custody.terminal(spec), spec.commandLine().getErr());
        List<Founder> list = new ArrayList<>();
        Map<PersonId, SigningKey> keys = new LinkedHashMap<>();
        for (Person p : people.values()) {
            SigningKey k = signers.unlock(p, "founder", suite.signature());
            keys.put(p.id(), k);
            list.add(new Founder(p, k.publicKey()));
        }
        Genesis genesis = new Genesis(RecordId.of("genesis"), ledgerId, time, suite, list);
        SignedRecord signed = SignedRecord.unsigned(genesis);
        for (SigningKey k : keys.values()) {
            signed = signed.signedBy(k);
        }
        PolicyRecord policy = mode == null ? null : new PolicyRecord(RecordId.of("policy-" + examId + "-1"), ledgerId, time,
                stated, List.copyOf(people.keySet()));

        try (SigningKey ledgerSigning = SigningKey.generate(suite.signature())) { // written encrypted, then wiped
            char[] passphrase = Passphrases.fresh(Custody.terminal(spec), ledgerKeyPassphrase, "the ledger's key " + keyFile);
            try {
                KeyFiles.write(keyFile, ledgerSigning, passphrase);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            Ledger created;
            try {
                created = Ledger.create(file, signed);
            } catch (RuntimeException e) {
                try {
                    Files.deleteIfExists(keyFile);
                } catch (IOException ignored) {
                    // the key file is encrypted; the error reported says what failed
                }
                throw e;
            }
            try (Ledger ledger = created) {
                if (policy != null) {
                    SignedRecord p = SignedRecord.unsigned(policy);
                    for (SigningKey k : keys.values()) {
                        p = p.signedBy(k);
                    }
                    ledger.append(p);
                }
                // the ledger binds its own checkpoint key: enrolled for the ledger's checkpoint signer, sponsored by
                // the first founder and signed with the new key (proof of possession), so checkpoints verify from the file
                Founder sponsor = list.get(0);
                Person signer = Person.of(LEDGER_SIGNER, "ledger checkpoint key 台账检查点密钥", Role.CHECKPOINT_SIGNER);
                ledger.append(SignedRecord.unsigned(new Enrolment(RecordId.of("enrol-ledger-key"), ledgerId, time, signer,
                        ledgerSigning.publicKey(), sponsor.person().id())).signedBy(keys.get(sponsor.person().id())).signedBy(ledgerSigning));
                out.println("created ledger " + ledgerId + " (" + suite.wire() + ") in " + file);
                for (Founder f : list) {
                    out.println("  founder " + f.person().id() + " " + f.person().name() + "  key " + f.key().id());
                }
                out.println(policy == null
                        ? "  exam " + examId + ": no policy record; rule breaches are recorded and reported (put one in force with --mode at init)"
                        : "  exam " + examId + ": policy " + mode.wire() + " (" + mode.chinese() + ")" + (mode == Policy.Mode.STRICT
                                ? ", handoffs that break a custody rule are refused" : ", rule breaches are recorded and reported"));
                out.println("  ledger key " + ledgerSigning.id() + " written to " + keyFile + ", enrolled as " + LEDGER_SIGNER
                        + " (checkpoint_signer; sign checkpoints with 'custody checkpoint make --key " + keyFile + "')");
                out.println("next: enrol people with 'custody people import --ledger " + file + " --roster " + roster + " --sponsor "
                        + list.get(0).person().id() + "'");
            }
        }
        return Exit.OK;
    }
}
