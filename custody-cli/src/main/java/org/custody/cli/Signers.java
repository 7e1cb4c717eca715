package org.custody.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.custody.crypto.KeyFileException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.ledger.EnrolledKey;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.Record;
import org.custody.record.SignedRecord;

/**
 * Unlocks the key files of the people who sign, one person at a time at the same terminal, and checks
 * that each key is the person's current enrolled key before anything is signed. Keys stay in memory only
 * for the one command.
 */
final class Signers {
    private static final int ATTEMPTS = 3;

    private final SignerOptions options;
    private final Terminal terminal;
    private final PrintWriter err;
    private final Map<PersonId, SigningKey> unlocked = new HashMap<>();

    Signers(SignerOptions options, Terminal terminal, PrintWriter err) {
        this.options = options == null ? new SignerOptions() : options;
        this.terminal = terminal;
        this.err = err;
    }

    /** The key file given for {@code person}, or {@code null} if none was given or found. */
    Path keyFileOf(PersonId person) {
        Path given = options.keyFiles.get(person.value());
        if (given != null) {
            return given;
        }
        if (options.keysDir != null) {
            Path inDir = options.keysDir.resolve(person.value() + ".key");
            if (Files.exists(inDir)) {
                return inDir;
            }
        }
        return null;
    }

    /**
     * The key of {@code person}, unlocked with their passphrase. With {@code enrolled} given, the key must be
     * one of them, of this person and not revoked; with {@code algorithm} given, of that algorithm.
     */
    SigningKey unlock(Person person, String capacity, List<EnrolledKey> enrolled, SignatureAlgorithm algorithm) {
        SigningKey known = unlocked.get(person.id());
        if (known != null) {
            return known;
        }
        String who = person.id() + " " + person.name() + (capacity == null ? "" : " (" + capacity + ")");
        Path file = keyFileOf(person.id());
        if (file == null) {
            if (!terminal.interactive()) {
                throw new UserError("no key file for " + who + ": give --key " + person.id() + "=FILE or --keys-dir DIR holding "
                        + person.id() + ".key");
            }
            String typed = terminal.readLine(who + ", your key file: ");
            if (typed == null || typed.isBlank()) {
                throw new UserError("no key file for " + who + "; nothing was signed");
            }
            file = Path.of(typed.strip());
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("key file " + file + " of " + who + " does not exist; check the path (create one with 'custody keys new')");
        }
        Path passFile = options.passphraseFiles.get(person.id().value());
        SigningKey key = Keyring.known(file); // unlocked earlier in the same 'custody batch'
        for (int attempt = 1; key == null; attempt++) {
            char[] passphrase = Passphrases.existing(terminal, passFile, who + ", passphrase for " + file + ": ", who);
            try {
                key = KeyFiles.read(file, passphrase);
            } catch (KeyFileException e) {
                if (!terminal.interactive() || passFile != null || attempt >= ATTEMPTS) {
                    throw new UserError(e.getMessage() + " (key of " + who + "); nothing was signed");
                }
                err.println("Cannot unlock " + file + " (wrong passphrase?); try again.");
                err.flush();
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
        Keyring.remember(file, key);
        if (algorithm != null && key.algorithm() != algorithm) {
            throw new UserError("key file " + file + " of " + who + " holds an " + key.algorithm().wire() + " key but the ledger uses "
                    + algorithm.wire() + "; create an " + algorithm.wire() + " key with 'custody keys new --alg " + algorithm.wire() + "'");
        }
        if (enrolled != null) {
            requireCurrent(person, who, file, key, enrolled);
        }
        unlocked.put(person.id(), key);
        return key;
    }

    private static void requireCurrent(Person person, String who, Path file, SigningKey key, List<EnrolledKey> enrolled) {
        EnrolledKey found = enrolled.stream().filter(k -> k.id().equals(key.id())).findFirst().orElse(null);
        if (found == null) {
            throw new UserError("key file " + file + " of " + who + " holds key " + key.id() + ", which is not enrolled in this ledger;"
                    + " enrol it first ('custody people import' or 'custody keys rotate')");
        }
        if (!found.person().equals(person.id())) {
            throw new UserError("key file " + file + " holds key " + key.id() + " of " + found.person() + ", not of " + who
                    + "; each person signs with their own key");
        }
        if (found.revoked().isPresent()) {
            throw new UserError("key " + key.id() + " of " + who + " was revoked from " + found.revokedFrom()
                    + "; sign with the person's current key ('custody keys list' shows it)");
        }
    }

    /** {@code record} signed by each of its parties in turn, each unlocking their own key. */
    SignedRecord sign(Record record, Map<PersonId, Person> people, Map<PersonId, String> capacities,
                      List<EnrolledKey> enrolled, SignatureAlgorithm algorithm) {
        SignedRecord signed = SignedRecord.unsigned(record);
        for (PersonId party : record.parties()) {
            Person person = people.get(party);
            if (person == null) {
                throw new UserError(party + " is not enrolled in this ledger; check the person id, or enrol them with 'custody people import'");
            }
            signed = signed.signedBy(unlock(person, capacities.get(party), enrolled, algorithm));
        }
        return signed;
    }
}
