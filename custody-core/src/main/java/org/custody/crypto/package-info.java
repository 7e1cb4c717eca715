/**
 * Signatures and hashes: Ed25519 with SHA-256, or SM2 with SM3, fixed per ledger by its {@link org.custody.crypto.Suite};
 * key ids derived from public keys; passphrase-protected private key files.
 */
package org.custody.crypto;
