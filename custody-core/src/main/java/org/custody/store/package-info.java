/**
 * Where a ledger keeps its entries: the {@link org.custody.store.LedgerStore} interface that the ledger's facade and
 * append gate use, and the values it stores. A store keeps bytes and the indexes derived from them; it decides
 * nothing about who may sign or what custody allows (that is the gate's, in {@code org.custody.ledger.gate}). The SQLite
 * store is the embedded default; a server store (PostgreSQL) implements the same interface.
 */
package org.custody.store;
