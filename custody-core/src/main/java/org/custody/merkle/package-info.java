/**
 * The RFC 6962 / RFC 9162 Merkle tree over the ledger's entries, with the ledger's hash (SHA-256 or SM3):
 * leaf and node hashing ({@link org.custody.merkle.TreeHasher}), fail-closed verification of inclusion and
 * consistency proofs ({@link org.custody.merkle.ProofVerifier}), and proof generation
 * ({@link org.custody.merkle.ProofBuilder}) over stored perfect-subtree hashes ({@link org.custody.merkle.HashSource},
 * kept in memory by {@link org.custody.merkle.MemoryTree}; {@link org.custody.merkle.CompactRange} appends in
 * O(log n)). Pure logic: no storage, no SQL. See {@code docs/merkle.md}.
 */
package org.custody.merkle;
