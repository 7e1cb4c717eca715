/**
 * Verification of a whole ledger, from a ledger file or a bundle: {@link org.custody.ledger.verify.LedgerVerifier}
 * streams the entries once and reports every integrity finding and custody-rule finding in an
 * {@link org.custody.audit.AuditReport}.
 */
package org.custody.ledger.verify;
