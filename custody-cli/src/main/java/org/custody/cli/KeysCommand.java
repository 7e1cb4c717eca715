package org.custody.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.KeyId;
import org.custody.crypto.PublicKey;
import org.custody.crypto.pkcs11.TokenException;
import org.custody.crypto.pkcs11.TokenKeys;
import org.custody.crypto.pkcs11.TokenUri;
import org.custody.crypto.SigningKey;
import org.custody.failure.MalformedInputException;
import org.custody.ledger.Draft;
import org.custody.ledger.EnrolledKey;
import org.custody.ledger.Ledger;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.model.RecordId;
import org.custody.record.Enrolment;
import org.custody.record.Record;
import org.custody.record.Revocation;
import org.custody.record.SignedRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody keys}: people's key files and the keys enrolled in a ledger. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Key files (密钥文件): create one, show its id, re-encrypt it, list a ledger's keys, rotate or revoke a key.",
        subcommands = {KeysCommand.New.class, KeysCommand.Show.class, KeysCommand.Reencrypt.class, KeysCommand.ListKeys.class,
                KeysCommand.Rotate.class, KeysCommand.Revoke.class})
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new UserError("name what to do with keys: new, show, reencrypt, list, rotate or revoke ('custody keys --help')");
    }

    /** {@code custody keys new}: a new key in a new passphrase-protected file. */
    @Command(name = "new", mixinStandardHelpOptions = true,
            description = {"Create a person's key in a new key file protected by a passphrase, and show its id.",
                    "The file is PKCS#8, encrypted with PBKDF2-HMAC-SHA256 and AES-256 (docs/formats.md §9), owner-only."})
    static final class New implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the new key file, e.g. keys/P006.key (never overwritten)")
        Path file;

        @Option(names = "--alg", defaultValue = "ed25519", paramLabel = "ALG", description = "ed25519 (default) or sm2; must match the ledger's")
        Alg alg;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "take the passphrase from the first line of FILE; else asked twice at the terminal, or read as one line of standard input")
        Path passphraseFile;

        @Option(names = "--iterations", defaultValue = "" + KeyFiles.DEFAULT_ITERATIONS, paramLabel = "N",
                description = "PBKDF2 iterations (default ${DEFAULT-VALUE}; at least " + KeyFiles.MIN_ITERATIONS
                        + "; fewer make unlocking faster and guessing cheaper)")
        int iterations;

        @Override
        public Integer call() {
            if (Files.exists(file)) {
                throw new UserError("key file " + file + " already exists; choose another name (a key file is never overwritten)");
            }
            if (file.toAbsolutePath().getParent() != null && !Files.isDirectory(file.toAbsolutePath().getParent())) {
                throw new UserError("folder " + file.toAbsolutePath().getParent() + " does not exist; create it first");
            }
            if (iterations < KeyFiles.MIN_ITERATIONS) {
                throw new UserError("--iterations " + iterations + " is too few; use at least " + KeyFiles.MIN_ITERATIONS);
            }
            SigningKey key = SigningKey.generate(alg.algorithm);
            char[] passphrase = Passphrases.fresh(Custody.terminal(spec), passphraseFile, "key file " + file);
            try {
                KeyFiles.write(file, key, passphrase, iterations);
                Keyring.remember(file, key);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + file + ": " + key.algorithm().wire() + " key " + key.id());
            out.println("public key " + key.publicKey().base64());
            out.println("keep the file and its passphrase to yourself; enrol the key with 'custody people import' or 'custody keys rotate'");
            return Exit.OK;
        }
    }

    /** {@code custody keys show}: a key's id, and whom the ledger knows it as. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Unlock a key file and show its algorithm, key id and public key; with --ledger, whose key it is there.",
                    "For a key on a hardware token give its PKCS#11 URI instead: the public key is read from the token, no PIN needed."})
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE|URI", description = "the key file, or a token key's PKCS#11 URI (pkcs11:...)")
        String reference;

        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "take the passphrase from the first line of FILE")
        Path passphraseFile;

        @Option(names = "--pkcs11-module", paramLabel = "FILE",
                description = "the token's PKCS#11 module, unless the URI gives ?module-path= (default: $" + SignerOptions.MODULE_ENV + ")")
        Path pkcs11Module;

        @Option(names = {"-l", "--ledger"}, paramLabel = "LEDGER", converter = LedgerOption.Location.class, description = "also show the key's enrolment in this ledger")
        org.custody.ledger.LedgerLocation ledger;

        @Override
        public Integer call() {
            PublicKey shown = TokenUri.isUri(reference) ? fromToken() : fromFile(Path.of(reference));
            PrintWriter out = spec.commandLine().getOut();
            out.println("key " + shown.id() + " (" + shown.algorithm().wire() + ")" + (TokenUri.isUri(reference) ? " on a token" : ""));
            out.println("public key " + shown.base64());
            if (ledger != null) {
                try (OpenLedgers.Lease lease = OpenLedgers.open(ledger)) {
                    Ledger l = lease.ledger();
                    Optional<EnrolledKey> found = l.keys().stream().filter(k -> k.id().equals(shown.id())).findFirst();
                    if (found.isEmpty()) {
                        out.println("not enrolled in " + l.id());
                    } else {
                        EnrolledKey k = found.get();
                        Person p = l.people().get(k.person());
                        out.println("enrolled in " + l.id() + " for " + k.person() + " " + (p == null ? "" : p.name()) + " at entry "
                                + k.enrolledSeq() + (k.revokedFrom() == null ? "" : "; revoked from " + k.revokedFrom()));
                    }
                }
            }
            return Exit.OK;
        }

        private PublicKey fromToken() {
            try {
                TokenUri uri = TokenUri.parse(reference);
                return TokenKeys.publicKey(uri, SignerOptions.module(uri, pkcs11Module));
            } catch (TokenException e) {
                throw new UserError(e.getMessage());
            }
        }

        private PublicKey fromFile(Path file) {
            if (!Files.isRegularFile(file)) {
                throw new UserError("no key file " + file + "; check the path");
            }
            char[] passphrase = Passphrases.existing(Custody.terminal(spec), passphraseFile, "passphrase for " + file + ": ", file.toString());
            try (SigningKey key = KeyFiles.read(file, passphrase)) {
                return key.publicKey();
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** {@code custody keys reencrypt}: the same key, in a file encrypted as formats.md §9 specifies. */
    @Command(name = "reencrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Re-encrypt a key file (重新加密) with PBKDF2-HMAC-SHA256 and AES-256 (docs/formats.md §9), under a new"
                    + " passphrase, replacing the file in one atomic step; the key and its id stay the same.",
                    "Reads files other tools wrote more weakly (3DES, AES-128, HMAC-SHA1, PBES1, few iterations), which the other"
                            + " commands refuse; also changes a passphrase. The file must be private (chmod 600) as for any use."})
    static final class Reencrypt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the key file, replaced in place")
        Path file;

        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "take the current passphrase from the first line of FILE")
        Path passphraseFile;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE",
                description = "take the new passphrase from the first line of FILE (it may be the same); else asked twice at the"
                        + " terminal, or read as the next line of standard input")
        Path newPassphraseFile;

        @Option(names = "--iterations", defaultValue = "" + KeyFiles.DEFAULT_ITERATIONS, paramLabel = "N",
                description = "PBKDF2 iterations (default ${DEFAULT-VALUE}; at least " + KeyFiles.MIN_ITERATIONS + ")")
        int iterations;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new UserError("no key file " + file + "; check the path");
            }
            if (iterations < KeyFiles.MIN_ITERATIONS) {
                throw new UserError("--iterations " + iterations + " is too few; use at least " + KeyFiles.MIN_ITERATIONS);
            }
            Terminal terminal = Custody.terminal(spec);
            char[] passphrase = Passphrases.existing(terminal, passphraseFile, "current passphrase for " + file + ": ", file.toString());
            SigningKey key;
            try {
                key = KeyFiles.reencrypt(file, passphrase, () -> Passphrases.fresh(terminal, newPassphraseFile, "key file " + file),
                        iterations);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            PrintWriter out = spec.commandLine().getOut();
            try (key) { // the key read back, wiped once named
                out.println("re-encrypted " + file + " (PBKDF2-HMAC-SHA256, " + iterations + " iterations, AES-256-CBC): "
                        + key.algorithm().wire() + " key " + key.id() + ", unchanged");
            }
            return Exit.OK;
        }
    }

    /** {@code custody keys list}: every key enrolled in a ledger. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys enrolled in a ledger, with whose they are and whether revoked.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DateTimeFormatter time = Times.local(where.zone);
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                Map<PersonId, Person> people = l.people();
                for (EnrolledKey k : l.keys()) {
                    Person p = people.get(k.person());
                    out.printf("%s  %-7s %-6s %s  entry %d%s%n", k.id(), k.key().algorithm().wire(), k.person(),
                            p == null ? "?" : p.name(), k.enrolledSeq(),
                            k.revokedFrom() == null ? "" : "  REVOKED from " + time.format(k.revokedFrom()));
                }
            }
            return Exit.OK;
        }
    }

    /** {@code custody keys rotate}: enrol a person's new key and revoke their old ones, in one atomic step. */
    @Command(name = "rotate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Replace a person's key: enrol the new key file (signed by a sponsor and by the new key) and revoke the"
                    + " person's other keys from --at, in one atomic step.", "Create the new key first with 'custody keys new'."})
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--person", required = true, paramLabel = "PERSON", description = "whose key is replaced")
        String person;

        @Option(names = "--new-key", required = true, paramLabel = "FILE|URI",
                description = "the person's new key file, or their key on a token as a PKCS#11 URI (signs with its PIN)")
        String newKey;

        @Option(names = "--sponsor", required = true, paramLabel = "PERSON", description = "an enrolled person who vouches for the new key")
        String sponsor;

        @Option(names = "--reason", defaultValue = "key rotated", paramLabel = "TEXT", description = "why (default: ${DEFAULT-VALUE})")
        String reason;

        @Option(names = "--at", paramLabel = "TIME", description = "when (default: now); the old keys are revoked from then")
        String at;

        @Mixin
        SignerOptions signerOptions;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Instant time = Times.parse("--at", at, where.zone);
            PersonId pid = PersonId.of(person);
            PersonId sid = PersonId.of(sponsor);
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                Map<PersonId, Person> people = l.people();
                Person p = requirePerson(people, pid);
                Person s = requirePerson(people, sid);
                List<EnrolledKey> enrolled = l.keys();
                List<EnrolledKey> old = enrolled.stream().filter(k -> k.person().equals(pid) && k.revokedFrom() == null).toList();
                SignerOptions withNew = new SignerOptions();
                withNew.keyFiles.putAll(signerOptions.keyFiles);
                withNew.keyFiles.put(person, newKey);
                withNew.pkcs11Module = signerOptions.pkcs11Module;
                withNew.pinFiles.putAll(signerOptions.pinFiles);
                withNew.keysDir = signerOptions.keysDir;
                withNew.passphraseFiles.putAll(signerOptions.passphraseFiles);
                Signers signers = new Signers(withNew, Custody.terminal(spec), spec.commandLine().getErr());
                signers.unlock(s, "sponsor", l.suite().signature()); // the sponsor is asked first
                SigningKey fresh = signers.unlock(p, "new key", l.suite().signature());
                if (enrolled.stream().anyMatch(k -> k.id().equals(fresh.id()))) {
                    throw new UserError("key " + fresh.id() + " in " + newKey + " is already enrolled; create a new one with 'custody keys new'");
                }
                Draft enrolment = l.draft(new Enrolment(RecordId.random(), l.id(), time, p, fresh.publicKey(), sid));
                signers.signAs(enrolment, s, "sponsor", l.suite().signature());
                signers.signAs(enrolment, p, "new key", l.suite().signature());
                List<SignedRecord> records = new ArrayList<>();
                records.add(enrolment.signed());
                // the old keys are revoked by their owner alone, with the new key: a key's owner may revoke their own key
                // (R17), where a revocation someone else signs is a governance record that needs its quorum under a strict
                // policy; the sponsor vouches for the new key in the enrolment
                for (EnrolledKey k : old) {
                    records.add(SignedRecord.unsigned(new Revocation(RecordId.random(), l.id(), time, k.id(), time, reason,
                            List.of(pid))).signedBy(fresh));
                }
                l.appendAll(records);
                out.println("enrolled key " + fresh.id() + " for " + pid + " " + p.name() + " (sponsor " + sid + ")");
                for (EnrolledKey k : old) {
                    out.println("revoked key " + k.id() + " of " + pid + " from " + Times.local(where.zone).format(time));
                }
            }
            return Exit.OK;
        }
    }

    /** {@code custody keys revoke}: a key is no longer trusted from a point in time. */
    @Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Revoke a key from a point in time (e.g. a lost key file): signatures by it on records dated from then on,"
                    + " or appended after this, are integrity findings (I05); an --effective time before --at declares the key"
                    + " compromised, and what it signed since is listed as R18.",
                    "Name the key with --key-id, or its holder with --person. The people named with --by sign the revocation."})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LedgerOption where;

        @Option(names = "--key-id", paramLabel = "KEY-ID", description = "the key id to revoke ('custody keys list' shows them)")
        String key;

        @Option(names = "--person", paramLabel = "PERSON",
                description = "instead of --key-id: revoke this person's key (the one enrolled for them and not revoked)")
        String person;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, e.g. 'key file lost'")
        String reason;

        @Option(names = "--effective", paramLabel = "TIME", description = "from when the key is untrusted (default: --at); may be earlier")
        String effective;

        @Option(names = "--by", required = true, paramLabel = "PERSON", description = "who signs the revocation (repeatable)")
        List<String> by;

        @Option(names = "--at", paramLabel = "TIME", description = "when (default: now)")
        String at;

        @Mixin
        SignerOptions signerOptions;

        @Override
        public Integer call() {
            Instant time = Times.parse("--at", at, where.zone);
            Instant from = effective == null ? time : Times.parse("--effective", effective, where.zone);
            if ((key == null) == (person == null)) {
                throw new UserError("name the key to revoke with --key-id KEY-ID or its holder with --person PERSON (one of them);"
                        + " 'custody keys list' shows the keys");
            }
            KeyId named = null;
            if (key != null) {
                try {
                    named = KeyId.of(key);
                } catch (MalformedInputException | IllegalArgumentException e) {
                    throw new UserError("--key-id '" + key + "' is not a key id (32 lowercase hex digits); 'custody keys list' shows them");
                }
            }
            try (OpenLedgers.Lease lease = OpenLedgers.open(where.ledger)) {
                Ledger l = lease.ledger();
                List<EnrolledKey> enrolled = l.keys();
                KeyId keyId = named != null ? named : heldKey(enrolled, requirePerson(l.people(), PersonId.of(person)).id(), where.ledger);
                EnrolledKey target = enrolled.stream().filter(k -> k.id().equals(keyId)).findFirst()
                        .orElseThrow(() -> new UserError("key " + keyId + " is not enrolled in " + where.ledger + "; 'custody keys list' shows the keys"));
                if (target.revokedFrom() != null) {
                    throw new UserError("key " + keyId + " is already revoked from " + target.revokedFrom() + "; nothing to do");
                }
                Map<PersonId, Person> people = l.people();
                List<PersonId> signers = by.stream().map(PersonId::of).distinct().toList();
                signers.forEach(pid -> requirePerson(people, pid));
                Record record = new Revocation(RecordId.random(), l.id(), time, keyId, from, reason, signers);
                Draft draft = l.draft(record);
                new Signers(signerOptions, Custody.terminal(spec), spec.commandLine().getErr())
                        .sign(draft, people, new LinkedHashMap<>(), l.suite().signature());
                org.custody.ledger.Appended done = draft.append();
                spec.commandLine().getOut().println("revoked key " + keyId + " of " + target.person() + " from "
                        + Times.local(where.zone).format(from) + ": " + reason + "  (entry #" + done.seq() + ")");
                // stored with findings under a record policy (a revocation without its quorum, R17): say so, exit 1
                return Custody.recordedFindings(spec.commandLine().getOut(), done.findings(), where.zone);
            }
        }

        /** The one key enrolled for {@code person} and not revoked. */
        private static KeyId heldKey(List<EnrolledKey> enrolled, PersonId person, org.custody.ledger.LedgerLocation ledger) {
            List<KeyId> held = enrolled.stream().filter(k -> k.person().equals(person) && k.revokedFrom() == null)
                    .map(EnrolledKey::id).toList();
            if (held.isEmpty()) {
                throw new UserError(person + " holds no unrevoked key in " + ledger + "; 'custody keys list' shows the keys");
            }
            if (held.size() > 1) {
                throw new UserError(person + " holds " + held.size() + " unrevoked keys in " + ledger + " (" + held.stream()
                        .map(KeyId::toString).collect(java.util.stream.Collectors.joining(", ")) + "); name one with --key-id");
            }
            return held.get(0);
        }
    }

    static Person requirePerson(Map<PersonId, Person> people, PersonId id) {
        Person p = people.get(id);
        if (p == null) {
            throw new UserError(id + " is not enrolled in this ledger; check the id ('custody people list' shows who is)");
        }
        return p;
    }
}
