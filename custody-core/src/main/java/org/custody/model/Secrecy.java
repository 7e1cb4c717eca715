package org.custody.model;

/** Secrecy level of a bag's contents (密级). */
public enum Secrecy implements Labelled {
    TOP_SECRET("top_secret", "绝密"),
    CONFIDENTIAL("confidential", "机密"),
    SECRET("secret", "秘密");

    private final String wire;
    private final String chinese;

    Secrecy(String wire, String chinese) {
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
