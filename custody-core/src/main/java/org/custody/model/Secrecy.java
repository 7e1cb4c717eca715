package org.custody.model;

/** Secrecy level of a bag's contents (密级). */
public enum Secrecy implements Labelled {
    TOP_SECRET("top_secret", "绝密"),
    CONFIDENTIAL("confidential", "机密"),
    SECRET("secret", "秘密");

    private final Label label;

    Secrecy(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
