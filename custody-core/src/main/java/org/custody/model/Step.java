package org.custody.model;

/** A handoff's sub-step within its {@link Stage}; the record names the step, the stage follows from it. */
public enum Step implements Labelled {
    PRINT("print", "印制", Stage.PRINT),
    SEAL("seal", "封装", Stage.SEAL),
    VAULT_IN("vault_in", "入库", Stage.VAULT),
    DISTRIBUTE("distribute", "出库分发", Stage.VAULT),
    ESCORT("escort", "押运", Stage.ESCORT),
    SITE_RECEIPT("site_receipt", "考点接收", Stage.SITE),
    ROOM_PICKUP("room_pickup", "监考领取", Stage.SITE),
    OPEN("open", "启封", Stage.SITE),
    COLLECT("collect", "回收封装", Stage.COLLECTION),
    RETURN_ESCORT("return_escort", "回送押运", Stage.COLLECTION),
    VAULT_RETURN("vault_return", "回库", Stage.COLLECTION),
    GRADING_OUT("grading_out", "评卷领取", Stage.GRADING),
    GRADING_RETURN("grading_return", "评卷归还", Stage.GRADING),
    DESTROY("destroy", "销毁", Stage.GRADING);

    private final Label label;
    private final Stage stage;

    Step(String wire, String chinese, Stage stage) {
        this.label = new Label(wire, chinese);
        this.stage = stage;
    }

    @Override
    public Label label() {
        return label;
    }

    public Stage stage() {
        return stage;
    }

    /** Whether this step puts bags into a vault (where they are kept and its video reviewed, R12, R24). */
    public boolean entersVault() {
        return this == VAULT_IN || this == VAULT_RETURN || this == GRADING_RETURN;
    }
}
