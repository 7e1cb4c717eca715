package org.custody.model;

/** Kinds of exception entries (异常记录): events recorded as they happened, never as edits. */
public enum IncidentType implements Labelled {
    SEAL_BROKEN("seal_broken", "封条破损"),
    MISCOUNT("miscount", "份数不符"),
    LOST("lost", "丢失"),
    SUSPECTED_LEAK("suspected_leak", "疑似泄密"),
    SET_WITHDRAWN("set_withdrawn", "启用备用套题"),
    SPARE_OPENING_APPROVAL("spare_opening_approval", "备用试卷启用审批"),
    VAULT_INSPECTION("vault_inspection", "保密室巡查"),
    CORRECTION("correction", "更正");

    private final Label label;

    IncidentType(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
