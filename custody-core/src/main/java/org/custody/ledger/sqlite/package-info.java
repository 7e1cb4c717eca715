/**
 * Internal: the SQLite {@link org.custody.store.LedgerStore} (schema and migration, rows, Merkle tiles,
 * checkpoints, WAL upkeep) and the audit that compares every table and column it derives with the signed entries.
 * Its classes are public only for the ledger's other packages; embedders use {@code org.custody.ledger}.
 */
package org.custody.ledger.sqlite;
