package org.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.custody.audit.Finding;
import org.custody.model.PersonId;
import org.custody.record.Handoff;

/**
 * A server's handoff draft as the CLI sees it (docs/server.md, Drafts and co-signing), read only after its bytes
 * to sign were checked against its record ({@link DraftCheck}).
 *
 * @param bytes   the exact bytes to sign: the canonical signed bytes of {@code handoff}
 * @param missing parties who have not signed yet
 * @param seq     where it was stored, once committed, else {@code null}
 * @param hash    the stored entry's hash (hex), once committed, else {@code null}
 */
record RemoteDraft(String id, String state, String expires, Handoff handoff, byte[] bytes, List<PersonId> missing, Long seq,
                   String hash, boolean alreadyPresent, List<Finding> findings) {
    RemoteDraft {
        bytes = bytes.clone();
        missing = List.copyOf(missing);
        findings = List.copyOf(findings);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Draft ids as the server makes them: letters, digits, '-' and '_' (so they are safe in a URL path). */
    static String checkId(String id) {
        if (id == null || !id.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new UserError("'" + id + "' is not a draft id (letters, digits, - and _); copy it from the officer's screen");
        }
        return id;
    }

    /**
     * Reads a draft view; {@code served} is the raw {@code signed-bytes} answer if fetched separately, else
     * {@code null} (the view's own {@code signedBytes} is used). Both, when given, must be the record's canonical bytes.
     */
    static RemoteDraft read(JsonNode view, byte[] served, String where) {
        String id;
        String state;
        org.custody.record.Record record;
        byte[] inView;
        try {
            id = checkId(ServerJson.text(view, "id", true));
            state = ServerJson.text(view, "state", true);
            record = ServerJson.record(view.get("record"));
            inView = Base64.getDecoder().decode(ServerJson.text(view, "signedBytes", true));
        } catch (RuntimeException e) {
            throw new ServerError("the draft from " + where + " cannot be read: " + e.getMessage() + "; nothing was signed", null);
        }
        Handoff handoff = DraftCheck.toSign(record, inView, id);
        if (served != null) {
            DraftCheck.toSign(record, served, id);
        }
        List<PersonId> missing = new ArrayList<>();
        view.path("missing").forEach(p -> missing.add(PersonId.of(p.asText())));
        JsonNode entry = view.get("entry");
        List<Finding> findings = view.path("findings").isArray() ? ServerJson.findings(view.get("findings"))
                : view.path("refusal").isArray() ? ServerJson.findings(view.get("refusal")) : List.of();
        return new RemoteDraft(id, state, ServerJson.text(view, "expires", false), handoff, inView, missing,
                entry == null ? null : entry.path("seq").asLong(), entry == null ? null : ServerJson.text(entry, "hash", true),
                entry != null && entry.path("alreadyPresent").asBoolean(), findings);
    }
}
