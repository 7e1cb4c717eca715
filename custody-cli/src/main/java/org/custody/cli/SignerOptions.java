package org.custody.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where signers' keys (files or token keys) and, for scripts, passphrase and PIN files are: shared by every verb that signs. */
final class SignerOptions {
    /** Where the PKCS#11 module comes from when neither the key reference nor --pkcs11-module names it. */
    static final String MODULE_ENV = "CUSTODY_PKCS11_MODULE";

    @Option(names = "--key", paramLabel = "PERSON=FILE|URI",
            description = {"key of a person who signs (repeatable): a key file, or a key on a hardware token as a PKCS#11 URI"
                    + " (RFC 7512), e.g. 'pkcs11:token=P001;object=signing'. Else found in --keys-dir, else asked for at the terminal"})
    Map<String, String> keyFiles = new LinkedHashMap<>();

    @Option(names = "--keys-dir", paramLabel = "DIR", description = "find each signer's key file as DIR/PERSON.key")
    Path keysDir;

    @Option(names = "--passphrase-file", paramLabel = "PERSON=FILE",
            description = {"read PERSON's passphrase from the first line of FILE (for scripts; keep it owner-only).",
                    "Otherwise each signer types it at the terminal without echo, or, with no terminal, it is the next"
                            + " line of standard input, in signing order."})
    Map<String, Path> passphraseFiles = new LinkedHashMap<>();

    @Option(names = "--pkcs11-module", paramLabel = "FILE",
            description = "the token's PKCS#11 module (shared library) for token keys, unless their URI gives ?module-path=;"
                    + " default: $" + MODULE_ENV)
    Path pkcs11Module;

    @Option(names = "--pin-file", paramLabel = "PERSON=FILE",
            description = "read the PIN of PERSON's token key from the first line of FILE (for scripts; owner-only). Otherwise"
                    + " it is asked like a passphrase")
    Map<String, Path> pinFiles = new LinkedHashMap<>();

    /** The PKCS#11 module for a token key: the URI's module-path, else {@code option} (--pkcs11-module), else $CUSTODY_PKCS11_MODULE. */
    static Path module(org.custody.crypto.pkcs11.TokenUri uri, Path option) {
        if (uri.modulePath() != null) {
            return Path.of(uri.modulePath());
        }
        if (option != null) {
            return option;
        }
        String env = System.getenv(MODULE_ENV);
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
