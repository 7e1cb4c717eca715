package org.custody.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.custody.crypto.pkcs11.TokenUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code custody sign}: one party signs a server's handoff draft on their own device. */
@Command(name = "sign", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sign a handoff draft on a Custody server (在本人设备上签署交接草稿) with your own key file: shows the"
                + " handoff (step, from, to, place, bags, counts, time), checks that the bytes the server asks you to sign"
                + " are exactly that record, asks you to confirm, signs and posts only the signature.",
                "The officer who opened the draft ('custody handoff --server') gives you its id. The last signature stores"
                        + " the handoff; its entry is printed.",
                "Exit status: 0 signed (or stored), 1 stored with custody-rule findings, 2 usage, input or connection error"
                        + " (or not confirmed), 3 integrity (the server's bytes differ from its record, or a key is refused),"
                        + " 4 refused by a strict exam policy."})
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions where;

    @Parameters(index = "0", paramLabel = "DRAFT-ID", description = "the draft's id, as the officer's screen shows it")
    String draft;

    @Option(names = "--key", required = true, paramLabel = "FILE|URI",
            description = "your key file (it never leaves this device), or your key on a hardware token as a PKCS#11 URI (pkcs11:...)")
    String key;

    @Option(names = "--pkcs11-module", paramLabel = "FILE",
            description = "the token's PKCS#11 module, unless the URI gives ?module-path= (default: $" + SignerOptions.MODULE_ENV + ")")
    Path pkcs11Module;

    @Option(names = "--pin-file", paramLabel = "FILE", description = "read the token's PIN from the first line of FILE (scripts); else it is asked")
    Path pinFile;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "read the key file's passphrase from the first line of FILE (for scripts); else it is asked for")
    Path passphraseFile;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", paramLabel = "ZONE",
            description = "time zone the handoff's time is shown in as well (default: ${DEFAULT-VALUE})")
    java.time.ZoneId zone;

    @Option(names = "--yes", description = "sign without asking for confirmation (scripts); the handoff is still shown")
    boolean yes;

    @Override
    public Integer call() {
        if (!where.remote()) {
            throw new UserError("sign needs the server holding the draft: --server URL");
        }
        RemoteLedger server = new RemoteLedger(where.api());
        return new RemoteSigning(server, Custody.terminal(spec), spec.commandLine().getOut(), spec.commandLine().getErr())
                .sign(draft, key, TokenUri.isUri(key) ? pinFile : passphraseFile, pkcs11Module, yes, zone);
    }
}
