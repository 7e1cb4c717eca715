package org.custody.model;

/** What the people at a handoff found when they checked a bag's seal. */
public enum SealState implements Labelled {
    INTACT("intact", "完好"),
    BROKEN("broken", "破损");

    private final Label label;

    SealState(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
