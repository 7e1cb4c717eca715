/**
 * Keys on hardware tokens through PKCS#11: a token key named by an RFC 7512 URI ({@link org.custody.crypto.pkcs11.TokenUri})
 * signs through the JDK's own PKCS#11 wrapper (module {@code jdk.crypto.cryptoki}) and never leaves the token
 * ({@link org.custody.crypto.pkcs11.TokenKeys}). Ed25519 only (CKM_EDDSA): PKCS#11 defines no SM2 mechanism, so an SM2
 * ledger's signers use key files. The JVM must run with
 * {@code --add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED} (custody.jar's manifest says so).
 */
package org.custody.crypto.pkcs11;
