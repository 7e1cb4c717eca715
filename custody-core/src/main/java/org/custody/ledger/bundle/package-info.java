/**
 * The files an inspector takes away: a {@link org.custody.ledger.bundle.Bundle} (the whole ledger, verified offline
 * without a database) and {@link org.custody.ledger.bundle.Evidence} (one bag's entries with inclusion proofs), read
 * by one strict line reader.
 */
package org.custody.ledger.bundle;
