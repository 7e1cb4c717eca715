package org.custody.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.custody.crypto.KeyFileException;
import org.custody.crypto.KeyFiles;
import org.custody.crypto.Signature;
import org.custody.crypto.SigningKey;
import org.custody.ledger.EnrolledKey;
import org.custody.model.Person;
import org.custody.model.PersonId;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * Co-signing a handoff through a server: the officer opens a draft and signs with the keys at hand; every other
 * party signs the same draft on their own device. Private keys never leave the device: only signatures are posted,
 * each over bytes checked to be the canonical bytes of the record shown ({@link DraftCheck}).
 */
final class RemoteSigning {
    private final RemoteLedger server;
    private final Terminal terminal;
    private final PrintWriter out;
    private final PrintWriter err;

    RemoteSigning(RemoteLedger server, Terminal terminal, PrintWriter out, PrintWriter err) {
        this.server = server;
        this.terminal = terminal;
        this.out = out;
        this.err = err;
    }

    /** Opens a draft of {@code handoff}, signs it with every party's key found here, and says who still has to sign. */
    int open(Handoff handoff, Signers signers, java.time.ZoneId zone) {
        ServerJson.People people = server.people();
        for (PersonId party : handoff.parties()) {
            if (!people.people().containsKey(party)) {
                throw new UserError(party + " is not enrolled in ledger " + server.id() + "; check the person id. Nothing was stored");
            }
        }
        String path = Api.V1 + "/drafts";
        RemoteDraft draft = RemoteDraft.read(server.api().post(path, body(handoff)), null, server.api().url(path));
        DraftCheck.sameAsAsked(handoff, draft.handoff(), draft.id());
        err.println("draft " + draft.id() + " opened on " + server.api().url("") + " (ledger " + server.id() + ")");
        if (terminal.interactive()) {
            err.println(HandoffCommand.summary(draft.handoff(), people.people()));
        }
        err.flush();
        Map<PersonId, String> capacities = HandoffCommand.capacities(handoff);
        for (PersonId party : handoff.parties()) {
            if (signers.keyOf(party) == null || !"open".equals(draft.state())) {
                continue;
            }
            // whether the key may sign is the server's draft's decision: it answers a refusal with its code
            SigningKey key = signers.unlock(people.people().get(party), capacities.get(party), server.suite().signature());
            draft = post(draft.id(), key.sign(draft.bytes()));
        }
        return report(draft, people.people(), zone);
    }

    /**
     * Signs draft {@code id} with the key in {@code keyRef} (a key file, or a token key's PKCS#11 URI, whose PIN
     * {@code secretFile} then holds), after showing the handoff and (unless {@code yes}) asking.
     */
    int sign(String id, String keyRef, Path secretFile, Path module, boolean yes, java.time.ZoneId zone) {
        boolean onToken = org.custody.crypto.pkcs11.TokenUri.isUri(keyRef);
        Path keyFile = onToken ? null : Path.of(keyRef);
        RemoteDraft draft = fetch(RemoteDraft.checkId(id));
        ServerJson.People people = server.people();
        Handoff h = draft.handoff();
        if (!"open".equals(draft.state())) {
            err.println("draft " + draft.id() + " is " + draft.state() + "; it takes no more signatures");
            return report(draft, people.people(), zone);
        }
        if (!onToken && !Files.isRegularFile(keyFile)) {
            throw new UserError("key file " + keyFile + " does not exist; check the path (create one with 'custody keys new')");
        }
        err.println("Draft " + draft.id() + " of ledger " + h.ledger() + " on " + server.api().url(""));
        err.print(HandoffCommand.summary(h, people.people()));
        err.println("  time    " + Times.local(zone).format(h.at()) + " " + zone);
        err.println("  still to sign: " + names(draft.missing(), people.people()));
        err.flush();
        SigningKey key = onToken ? Signers.token(terminal, keyRef, module, secretFile, "token key " + keyRef)
                : unlock(keyFile, secretFile);
        Keyring.remember(onToken ? keyRef : BatchScope.key(keyFile).toString(), key); // wiped when the command ends
        EnrolledKey enrolled = people.keys().stream().filter(k -> k.id().equals(key.id())).findFirst().orElseThrow(() -> new UserError(
                "key " + key.id() + " in " + keyRef + " is not enrolled in ledger " + server.id() + "; nothing was signed"));
        PersonId signer = enrolled.person();
        if (enrolled.revoked().isPresent()) {
            throw new UserError("key " + key.id() + " of " + signer + " was revoked from " + enrolled.revokedFrom()
                    + "; sign with your current key. Nothing was signed");
        }
        if (!h.parties().contains(signer)) {
            throw new UserError(signer + " (key " + key.id() + ") is not a party to draft " + draft.id() + "; its parties are "
                    + h.parties().stream().map(PersonId::value).collect(Collectors.joining(", ")) + ". Nothing was signed");
        }
        String who = name(signer, people.people()) + " (" + HandoffCommand.capacities(h).get(signer) + ")";
        if (!yes) {
            String answer = terminal.readLine("Sign this handoff as " + who + "? [y/N] ");
            if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(java.util.Locale.ROOT))) {
                err.println("not signed; nothing was posted");
                return Exit.USAGE;
            }
        }
        RemoteDraft after = post(draft.id(), key.sign(draft.bytes()));
        err.println("signed by " + who);
        return report(after, people.people(), zone);
    }

    private SigningKey unlock(Path file, Path passphraseFile) {
        char[] passphrase = Passphrases.existing(terminal, passphraseFile, "passphrase for " + file + ": ", "key file " + file);
        try {
            return KeyFiles.read(file, passphrase);
        } catch (KeyFileException e) {
            throw new UserError(e.getMessage() + "; nothing was signed");
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** The draft with its bytes to sign fetched separately and checked against the record shown. */
    RemoteDraft fetch(String id) {
        String path = Api.V1 + "/drafts/" + id;
        byte[] served = server.api().getBytes(path + "/signed-bytes");
        return RemoteDraft.read(server.api().get(path), served, server.api().url(path));
    }

    private RemoteDraft post(String id, Signature signature) {
        ObjectNode body = Api.JSON.createObjectNode().put("key", signature.key().hex()).put("sig", signature.base64());
        String path = Api.V1 + "/drafts/" + id + "/signatures";
        return RemoteDraft.read(server.api().post(path, body), null, server.api().url(path));
    }

    /** Says what became of the draft: stored (as a local handoff prints it), or who still has to sign. */
    private int report(RemoteDraft d, Map<PersonId, Person> people, java.time.ZoneId zone) {
        switch (d.state()) {
            case "committed":
                return HandoffCommand.recorded(out, d.seq(), d.hash(), d.alreadyPresent(), d.handoff(), people, d.findings(), zone);
            case "open":
                List<PersonId> signed = d.handoff().parties().stream().filter(p -> !d.missing().contains(p)).toList();
                out.println("draft " + d.id() + "  signed by " + (signed.isEmpty() ? "nobody yet" : names(signed, people))
                        + "; still to sign: " + names(d.missing(), people) + (d.expires() == null ? "" : "  (expires " + d.expires() + ")"));
                err.println("Each of them signs on their own device: custody sign " + server.api().serverOptions() + " " + d.id()
                        + " --key THEIR.key");
                return Exit.OK;
            case "committing":
                out.println("draft " + d.id() + " has every signature and is being stored; run 'custody sign "
                        + server.api().serverOptions() + " " + d.id() + "' to see where");
                return Exit.OK;
            case "refused":
                err.println("draft " + d.id() + " was refused; nothing was stored:");
                Custody.printFindings(err, d.findings(), zone);
                return d.findings().stream().anyMatch(f -> f.code().findingClass() == org.custody.audit.FindingClass.INTEGRITY)
                        ? Exit.INTEGRITY : Exit.REFUSED;
            default:
                throw new UserError("draft " + d.id() + " is " + d.state() + "; open a new one with 'custody handoff --server'");
        }
    }

    private static String names(List<PersonId> ids, Map<PersonId, Person> people) {
        return ids.isEmpty() ? "nobody" : ids.stream().map(p -> name(p, people)).collect(Collectors.joining(", "));
    }

    private static String name(PersonId id, Map<PersonId, Person> people) {
        return id + Optional.ofNullable(people.get(id)).map(p -> " " + p.name()).orElse("");
    }

    /** The request opening a draft of {@code h} (docs/server.md): the server links each bag to its head itself. */
    static ObjectNode body(Handoff h) {
        ObjectNode o = Api.JSON.createObjectNode();
        o.put("id", h.id().value());
        o.put("at", h.at().toString());
        o.put("step", h.step().wire());
        if (h.from() != null) o.put("from", h.from().value());
        o.put("to", h.to().value());
        if (!h.witnesses().isEmpty()) { // the server binds strictly: an empty array is refused, an absent one means none
            ArrayNode w = o.putArray("witnesses");
            h.witnesses().forEach(p -> w.add(p.value()));
        }
        ObjectNode place = o.putObject("place").put("id", h.place().id());
        if (h.place().name() != null) place.put("name", h.place().name());
        ArrayNode bags = o.putArray("bags");
        for (BagMove m : h.bags()) {
            ObjectNode b = bags.addObject().put("bag", m.bag().value());
            if (m.count() != null) b.put("count", m.count());
            if (m.present() != null) b.put("present", m.present());
            if (m.absent() != null) b.put("absent", m.absent());
            if (m.seal() != null) b.put("seal", m.seal());
            if (m.sealState() != null) b.put("sealState", m.sealState().wire());
            if (m.container() != null) b.put("in", m.container().value());
        }
        if (h.note() != null) o.put("note", h.note());
        if (!h.attachments().isEmpty()) {
            ArrayNode a = o.putArray("attachments");
            h.attachments().forEach(x -> a.add(org.custody.record.ModelJson.attachment(x)));
        }
        return o;
    }
}
