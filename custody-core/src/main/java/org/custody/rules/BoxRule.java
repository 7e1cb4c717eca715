package org.custody.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.custody.audit.Finding;
import org.custody.audit.FindingCode;
import org.custody.model.Bag;
import org.custody.record.BagMove;

/**
 * R21: a bag goes only into a container of its own exam, site and session: a transport box is packed for one site
 * and session (the plan's {@code BOX.SITE.SESSION}). Judged where both name the site or session; a container
 * registered without a session (before boxes carried one) is judged by its site alone.
 */
final class BoxRule implements Rule {
    @Override
    public FindingCode code() {
        return FindingCode.R21;
    }

    @Override
    public String source() {
        return "000; 004 Art.36";
    }

    @Override
    public void check(RuleInput in, List<Finding> out) {
        for (BagMove move : in.record().moves()) {
            if (move.container() == null) {
                continue;
            }
            BagState bag = in.state().bags.get(move.bag());
            BagState box = in.state().bags.get(move.container());
            if (bag == null || box == null) {
                continue;
            }
            List<String> wrong = mismatches(bag.bag, box.bag);
            if (!wrong.isEmpty()) {
                out.add(in.finding(code(), move.bag() + " put into " + move.container() + " of another " + String.join(" and ", wrong)
                        + " / 试卷袋装入了其他考点或场次的运送箱", List.of(move.bag(), move.container()), in.record().parties())
                        .comparing(where(bag.bag), where(box.bag)));
            }
        }
    }

    private static List<String> mismatches(Bag bag, Bag box) {
        List<String> out = new ArrayList<>(0);
        if (!bag.exam().equals(box.exam())) {
            out.add("exam");
        }
        if (bag.site() != null && box.site() != null && !bag.site().equals(box.site())) {
            out.add("site");
        }
        if (bag.session() != null && box.session() != null && !bag.session().equals(box.session())) {
            out.add("session");
        }
        return out;
    }

    private static String where(Bag b) {
        return b.exam() + " " + Objects.requireNonNullElse(b.site(), "-") + " " + Objects.requireNonNullElse(b.session(), "-");
    }
}
