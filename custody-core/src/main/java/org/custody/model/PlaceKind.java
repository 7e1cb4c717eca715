package org.custody.model;

/** What a registered place is: a vault (保密室) where papers are kept, or an exam room (考场) where they are opened. */
public enum PlaceKind implements Labelled {
    VAULT("vault", "保密室"),
    ROOM("room", "考场");

    private final Label label;

    PlaceKind(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
