package org.custody.model;

/** What the people at a handoff found when they checked a bag's seal. */
public enum SealState implements Labelled {
    INTACT("intact", "完好"),
    BROKEN("broken", "破损");

    private final String wire;
    private final String chinese;

    SealState(String wire, String chinese) {
        this.wire = wire;
        this.chinese = chinese;
    }

    @Override
    public String wire() {
        return wire;
    }

    @Override
    public String chinese() {
        return chinese;
    }
}
