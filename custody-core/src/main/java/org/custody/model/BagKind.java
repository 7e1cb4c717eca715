package org.custody.model;

/** What a tracked item is: a bag of papers, or a container that holds bags (domain.md, "Things that move"). */
public enum BagKind implements Labelled {
    QUESTION_PAPER("question_paper", "试卷袋", false),
    ANSWER_SHEET("answer_sheet", "答卷袋", false),
    SPARE_PAPER("spare_paper", "备用试卷", false),
    MARKING_REFERENCE("marking_reference", "评分参考", false),
    TRANSPORT_BOX("transport_box", "试卷运送专用箱", true),
    VAULT_CABINET("vault_cabinet", "保密柜", true);

    private final Label label;
    private final boolean container;

    BagKind(String wire, String chinese, boolean container) {
        this.label = new Label(wire, chinese);
        this.container = container;
    }

    @Override
    public Label label() {
        return label;
    }

    /** True for transport boxes and vault cabinets, which hold bags rather than papers. */
    public boolean isContainer() {
        return container;
    }
}
