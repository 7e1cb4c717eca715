package org.custody.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where signers' key files and (for scripts) passphrase files are: shared by every verb that signs. */
final class SignerOptions {
    @Option(names = "--key", paramLabel = "PERSON=FILE",
            description = "key file of a person who signs (repeatable); else found in --keys-dir, else asked for at the terminal")
    Map<String, Path> keyFiles = new LinkedHashMap<>();

    @Option(names = "--keys-dir", paramLabel = "DIR", description = "find each signer's key file as DIR/PERSON.key")
    Path keysDir;

    @Option(names = "--passphrase-file", paramLabel = "PERSON=FILE",
            description = {"read PERSON's passphrase from the first line of FILE (for scripts; keep it owner-only).",
                    "Otherwise each signer types it at the terminal without echo, or, with no terminal, it is the next"
                            + " line of standard input, in signing order."})
    Map<String, Path> passphraseFiles = new LinkedHashMap<>();
}
