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

    private final Label label;

    Stage(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
