/**
 * Bag labels: the one-line payload printed in a bag's QR code ({@link org.custody.label.Label}), which binds
 * the bag to its seal entry in the ledger through a truncated hash ({@link org.custody.label.LabelTag}), and the
 * check of a scanned label against a ledger ({@link org.custody.label.LabelCheck}), whose failures are I10
 * findings. Parsing is strict and separate from checking. No QR or image code here: that is the CLI's.
 * See {@code docs/formats.md}, "Bag labels".
 */
package org.custody.label;
