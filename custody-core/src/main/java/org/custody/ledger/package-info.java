/**
 * The ledger's API: {@link org.custody.ledger.Ledger} (create or open a ledger file, draft and append records, read
 * bags and people, build proofs and checkpoints), {@link org.custody.ledger.Draft}, the
 * {@link org.custody.ledger.KeyDirectory} and the values an append returns. Its parts live below it: the append
 * gate ({@code gate}) and the SQLite store ({@code sqlite}) are internal; verification ({@code verify}) and bundles and
 * evidence ({@code bundle}) have a public entry point each.
 */
package org.custody.ledger;
