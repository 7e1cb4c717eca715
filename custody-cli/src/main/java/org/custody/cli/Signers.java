package org.custody.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.custody.crypto.KeyFileException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import org.custody.crypto.pkcs11.TokenException;
import org.custody.crypto.pkcs11.TokenKeys;
import org.custody.crypto.pkcs11.TokenUri;
import org.custody.audit.RefusedException;
import org.custody.ledger.Draft;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.SignedRecord;

/**
 * Unlocks the keys of the people who sign, one person at a time at the same terminal (a key file with its passphrase,
 * or a token key with its PIN), and checks that each key is the person's current enrolled key before anything is
 * signed. Keys stay in memory only for the one command, or the batch, and are wiped then ({@link Keyring}).
 */
final class Signers {
    private static final int ATTEMPTS = 3;

    private final SignerOptions options;
    private final Terminal terminal;
    private final PrintWriter err;
    private final Map<PersonId, SigningKey> unlocked = new HashMap<>();
    private final Map<PersonId, String> keyFiles = new HashMap<>();

    Signers(SignerOptions options, Terminal terminal, PrintWriter err) {
        this.options = options == null ? new SignerOptions() : options;
        this.terminal = terminal;
        this.err = err;
    }

    /** The key file or token key (a PKCS#11 URI) given for {@code person}, or {@code null} if none was given or found. */
    String keyOf(PersonId person) {
        String given = options.keyFiles.get(person.value());
        if (given != null) {
            return given;
        }
        if (options.keysDir != null) {
            Path inDir = options.keysDir.resolve(person.value() + ".key");
            if (Files.exists(inDir)) {
                return inDir.toString();
            }
        }
        return null;
    }

    /**
     * The key of {@code person}, unlocked with their passphrase (a key file) or PIN (a token key); with {@code algorithm}
     * given, of that algorithm. Whether the key may sign is the draft's decision ({@link #signAs}), not this class's.
     */
    SigningKey unlock(Person person, String capacity, SignatureAlgorithm algorithm) {
        SigningKey known = unlocked.get(person.id());
        if (known != null) {
            return known;
        }
        String who = who(person, capacity);
        String ref = keyOf(person.id());
        if (ref == null) {
            if (!terminal.interactive()) {
                throw new UserError("no key file for " + who + ": give --key " + person.id() + "=FILE or --keys-dir DIR holding "
                        + person.id() + ".key (or --key " + person.id() + "=pkcs11:URI for a key on a token)");
            }
            String typed = terminal.readLine(who + ", your key file: ");
            if (typed == null || typed.isBlank()) {
                throw new UserError("no key file for " + who + "; nothing was signed");
            }
            ref = typed.strip();
        }
        SigningKey key = TokenUri.isUri(ref) ? unlockToken(person, who, ref) : unlockFile(person, who, Path.of(ref));
        if (algorithm != null && key.algorithm() != algorithm) {
            throw new UserError((key.onDevice() ? "token key " : "key file ") + ref + " of " + who + " holds an "
                    + key.algorithm().wire() + " key but the ledger uses " + algorithm.wire() + (key.onDevice()
                    ? "; token keys are Ed25519 (PKCS#11 defines no SM2 mechanism): use an " + algorithm.wire() + " key file"
                    : "; create an " + algorithm.wire() + " key with 'custody keys new --alg " + algorithm.wire() + "'")
                    + " (密钥算法与账本不符)");
        }
        keyFiles.put(person.id(), ref);
        unlocked.put(person.id(), key);
        return key;
    }

    private SigningKey unlockFile(Person person, String who, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("key file " + file + " of " + who + " does not exist; check the path (create one with 'custody keys new')");
        }
        Path passFile = options.passphraseFiles.get(person.id().value());
        String ref = BatchScope.key(file).toString();
        SigningKey key = Keyring.known(ref); // unlocked earlier in the same 'custody batch'
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
        Keyring.remember(ref, key);
        return key;
    }

    private SigningKey unlockToken(Person person, String who, String ref) {
        SigningKey key = Keyring.known(ref);
        if (key == null) {
            key = token(terminal, ref, options.pkcs11Module, options.pinFiles.get(person.id().value()), who);
            Keyring.remember(ref, key);
        }
        return key;
    }

    /**
     * The token key {@code ref} (a PKCS#11 URI) of {@code who}, unlocked with its PIN: from {@code pinFile}, else asked like a
     * passphrase. A wrong PIN is not asked again: each wrong try counts toward the token's lock.
     */
    static SigningKey token(Terminal terminal, String ref, Path module, Path pinFile, String who) {
        try {
            TokenUri uri = TokenUri.parse(ref);
            Path from = SignerOptions.module(uri, module);
            char[] pin = Passphrases.existing(terminal, pinFile, who + ", PIN of your token key " + uri.describe() + ": ", who);
            try {
                return TokenKeys.unlock(uri, from, pin);
            } finally {
                Arrays.fill(pin, '\0');
            }
        } catch (TokenException e) {
            throw new UserError(e.getMessage() + " (key of " + who + ")" + (e.wrongPin()
                    ? "; run again with the right PIN; each wrong PIN counts toward the token's lock (每次输错 PIN 都会计入令牌锁定次数)"
                    : "; nothing was signed"));
        }
    }

    private static String who(Person person, String capacity) {
        return person.id() + " " + person.name() + (capacity == null ? "" : " (" + capacity + ")");
    }

    /**
     * {@code person}'s key, unlocked, signing {@code draft}: the draft checks it by the ledger gate's rules
     * (enrolled, not revoked, a party). A refusal names the key file and what to do; nothing is signed.
     */
    SigningKey signAs(Draft draft, Person person, String capacity, SignatureAlgorithm algorithm) {
        SigningKey key = unlock(person, capacity, algorithm);
        try {
            draft.sign(key);
        } catch (RefusedException e) {
            String file = String.valueOf(keyFiles.get(person.id()));
            String hint = switch (e.code()) {
                case I04 -> "; enrol the key first ('custody people import' or 'custody keys rotate')";
                case I05 -> "; sign with the person's current key ('custody keys list' shows it)";
                default -> "; each person signs with their own key";
            };
            throw new UserError(e.code() + " key file " + file + " of " + who(person, capacity) + ": " + e.getMessage() + hint
                    + ". Nothing was signed");
        }
        return key;
    }

    /** {@code draft} signed by each party who has not signed yet, in turn, each unlocking their own key. */
    SignedRecord sign(Draft draft, Map<PersonId, Person> people, Map<PersonId, String> capacities, SignatureAlgorithm algorithm) {
        for (PersonId party : draft.missing()) {
            Person person = people.get(party);
            if (person == null) {
                throw new UserError(party + " is not enrolled in this ledger; check the person id, or enrol them with 'custody people import'");
            }
            signAs(draft, person, capacities.get(party), algorithm);
        }
        return draft.signed();
    }
}
