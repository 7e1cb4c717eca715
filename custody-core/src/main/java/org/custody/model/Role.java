package org.custody.model;

/** Roles of the people who may touch papers, with the roster's wire names (domain.md, "People and roles"). */
public enum Role implements Labelled {
    PRINT_SUPERVISOR("print_supervisor", "监印员"),
    PRINTER_STAFF("printer_staff", "印制人员"),
    CONFIDENTIALITY_OFFICER("confidentiality_officer", "保密员"),
    DISCIPLINE_INSPECTOR("discipline_inspector", "纪检监察"),
    ESCORT("escort", "押运员"),
    POLICE("police", "公安/武警"),
    CHIEF_EXAMINER("chief_examiner", "主考"),
    DEPUTY_CHIEF_EXAMINER("deputy_chief_examiner", "副主考"),
    INVIGILATOR("invigilator", "监考员"),
    GRADING_LEADER("grading_leader", "评卷组长"),
    GRADER("grader", "评卷员"),
    PATROL_INSPECTOR("patrol_inspector", "巡视员"),
    /**
     * Not a person but the ledger's operator: a key enrolled for someone with this role signs the ledger's
     * checkpoints (docs/checkpoints.md) and may sign no custody step.
     */
    CHECKPOINT_SIGNER("checkpoint_signer", "检查点签名"),
    /**
     * Not a person but a witness (C2SP tlog-witness) that an inspector or another office runs: a key enrolled for
     * someone with this role cosigns the ledger's checkpoints (docs/checkpoints.md §6b), is kept apart from every
     * ledger signing key, and may sign no custody step and fill no quorum.
     */
    WITNESS_COSIGNER("witness_cosigner", "见证签名");

    /** Whether this role stands for a key's purpose (a checkpoint or witness key) rather than a person's duty. */
    public boolean isKeyPurpose() {
        return this == CHECKPOINT_SIGNER || this == WITNESS_COSIGNER;
    }

    private final Label label;

    Role(String wire, String chinese) {
        this.label = new Label(wire, chinese);
    }

    @Override
    public Label label() {
        return label;
    }
}
