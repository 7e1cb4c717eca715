package org.custody.model;

/** A recusal declaration (回避): the person must not handle this exam's papers, and why. */
public record Recusal(String exam, String reason) {
    public Recusal {
        Ids.require("recusal exam", exam);
        Text.require("recusal reason", reason, Text.MAX_SHORT);
    }
}
