package org.custody.server;

import java.time.Instant;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.model.BagId;
import org.custody.model.Labelled;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.SealState;
import org.custody.model.Step;
import org.custody.record.Attachment;
import org.custody.record.ModelJson;

/**
 * The body of {@code POST /api/v1/drafts}, bound strictly ({@link Body}): the handoff as its officer describes it,
 * before the server fills each bag's link from the ledger. Optional values are {@code null} here only because the
 * request left them out; a request that sends {@code null} is refused.
 *
 * @param id        the record id, or {@code null} for a random one
 * @param at        the handoff's time in the canonical spelling, or {@code null} for now
 * @param witnesses the witnesses, empty when none are named
 * @param attachments files taken at the scene, by digest, size and media type (never the files), empty when none
 */
record DraftRequest(RecordId id, Instant at, Step step, PersonId from, PersonId to, List<PersonId> witnesses, Place place,
                    List<BagRequest> bags, String note, List<Attachment> attachments) {
    /** At most this many witnesses in one draft. */
    static final int MAX_WITNESSES = 16;
    /** At most this many bags in one draft. */
    static final int MAX_BAGS = 1000;

    DraftRequest {
        witnesses = List.copyOf(witnesses);
        bags = List.copyOf(bags);
        attachments = List.copyOf(attachments);
    }

    /**
     * One bag of the handoff; every field but {@code bag} is optional. {@code label} is the bag's label as scanned
     * ({@code CUSTODY1/...}): when given, it must check out against the bag's seal entry (I10) and name this bag.
     */
    record BagRequest(BagId bag, Integer count, Integer present, Integer absent, String seal, SealState sealState, BagId in,
                      String label) {
        static BagRequest read(Body m) {
            BagId bag = m.convert("bag", BagId::of, m.text("bag"));
            Integer count = m.optInt("count");
            Integer present = m.optInt("present");
            Integer absent = m.optInt("absent");
            String seal = m.optText("seal");
            SealState sealState = m.convert("sealState", s -> Labelled.fromWire(SealState.class, s), m.optText("sealState"));
            BagId container = m.convert("in", BagId::of, m.optText("in"));
            String label = m.optText("label");
            m.done();
            return new BagRequest(bag, count, present, absent, seal, sealState, container, label);
        }
    }

    static DraftRequest read(Body b) {
        RecordId id = b.convert("id", RecordId::of, b.optText("id"));
        Instant at = b.optTime("at");
        Step step = b.convert("step", s -> Labelled.fromWire(Step.class, s), b.text("step"));
        PersonId from = b.convert("from", PersonId::of, b.optText("from"));
        PersonId to = b.convert("to", PersonId::of, b.text("to"));
        List<PersonId> witnesses = b.array("witnesses", false, MAX_WITNESSES, e -> b.convert(e.path(), PersonId::of, e.text()));
        Body p = b.object("place", true);
        String placeName = p.optText("name");
        Place place = p.convert("id", s -> Place.of(s, placeName), p.text("id"));
        p.done();
        List<BagRequest> bags = b.array("bags", true, MAX_BAGS, e -> BagRequest.read(e.object()));
        String note = b.optText("note");
        List<Attachment> attachments = b.array("attachments", false, Attachment.MAX_PER_RECORD, DraftRequest::attachment);
        b.done();
        return new DraftRequest(id, at, step, from, to, witnesses, place, bags, note, attachments);
    }

    /** One attachment, read as strictly as inside a record (docs/formats.md): a 400 names the member at fault. */
    private static Attachment attachment(Body.Element e) {
        try {
            return ModelJson.attachment(e.node(), e.path());
        } catch (MalformedInputException ex) {
            throw ApiException.badRequest(ex.getMessage(), "附件 " + e.path() + " 无效：须为 alg、digest、size、mediaType（及可选 name），详见英文说明");
        }
    }
}
