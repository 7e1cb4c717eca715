/**
 * Handoff receipts (交接单): the one-line payload printed in a receipt's QR code ({@link org.custody.receipt.Receipt}),
 * which names one ledger entry by position and hash and, once a checkpoint covers it, that checkpoint's size and root;
 * and the check of a photographed receipt against a ledger file, a bundle or a bag's evidence
 * ({@link org.custody.receipt.ReceiptCheck}), where a receipt the ledger contradicts is an I09 finding. Parsing is
 * strict and separate from checking. No QR, image or PDF code here: that is the CLI's. See {@code docs/formats.md},
 * "Handoff receipts".
 */
package org.custody.receipt;
