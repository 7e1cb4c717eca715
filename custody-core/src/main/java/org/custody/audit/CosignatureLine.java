package org.custody.audit;

/**
 * A signature line stored with a checkpoint that the verifier could not attribute to an enrolled discipline
 * inspector: listed in the report, never trusted, not a finding (anyone may cosign a checkpoint with a key the
 * ledger does not know; only an enrolled inspector's line is checked, and a bad one is a finding).
 *
 * @param size   the size of the checkpoint it is stored with
 * @param name   the key name the line claims
 * @param keyId  the key id the line claims, 8 hexadecimal digits
 * @param reason why it is not trusted
 */
public record CosignatureLine(long size, String name, String keyId, String reason) {}
