/**
 * Signed checkpoints of the ledger's Merkle tree, in the C2SP formats: the checkpoint body
 * ({@link org.custody.checkpoint.Checkpoint}, tlog-checkpoint), signed notes ({@link org.custody.checkpoint.SignedNote},
 * signed-note) made by a {@link org.custody.checkpoint.NoteSigner} and checked by a
 * {@link org.custody.checkpoint.NoteVerifier}, and inspectors' timestamped cosignatures (tlog-cosignature) made by a
 * {@link org.custody.checkpoint.Witness} that refuses rollbacks and split views. SM2 keys use a Custody extension of
 * the signed-note types. Parsing is strict and separate from verification. Pure logic apart from the witness's own
 * state file; no SQL. See {@code docs/checkpoints.md}.
 */
package org.custody.checkpoint;
