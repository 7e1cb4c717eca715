package org.custody.audit;

/** The two classes of finding: the record itself cannot be trusted, or a trusted record shows a breach. */
public enum FindingClass {
    /** The record cannot be trusted (codes I01-I12). */
    INTEGRITY,
    /** A trusted record shows a breach of a custody rule (codes R01-R25). */
    RULE
}
