/**
 * Records and entries: what people sign and what the ledger stores, in canonical RFC 8785 JSON with
 * purpose labels ({@code custody/record/v1}, {@code custody/entry/v1}). Decoding is strict. The format is
 * specified in docs/formats.md.
 */
package org.custody.record;
