package org.custody.model;

/** The seven handoff stages of a bag's life (domain.md, "The life of a bag"). */
public enum Stage implements Labelled {
    PRINT("print", "印制"),
    SEAL("seal", "封装"),
    VAULT("vault", "保密室"),
    ESCORT("escort", "押运"),
    SITE("site", "考点启封"),
    COLLECTION("collection", "回收"),
    GRADING("grading", "评卷");

    private final String wire;
    private final String chinese;

    Stage(String wire, String chinese) {
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
