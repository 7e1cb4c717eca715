/**
 * Internal: the append gate. Every check of an append, in one store transaction (integrity, signatures, the key
 * changes, the custody rules, bag links), and the state the gate and the verifier read. Its classes are public only
 * for the ledger's other packages; embedders use {@code org.custody.ledger}.
 */
package org.custody.ledger.gate;
