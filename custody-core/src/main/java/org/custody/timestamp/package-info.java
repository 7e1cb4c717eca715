/**
 * Trusted time for checkpoints (RFC 3161): a {@link org.custody.timestamp.TsaClient} asks a time-stamping authority for
 * a {@link org.custody.timestamp.TimestampToken} over a checkpoint's signed note text, and a
 * {@link org.custody.timestamp.TimestampVerifier}, configured with the TSA certificates a reader trusts, checks one and
 * makes a {@link org.custody.timestamp.VerifiedTimestamp}. Bouncy Castle's TSP classes do the ASN.1 and CMS work; no
 * SQL. See {@code docs/checkpoints.md} §6c and {@code docs/formats.md} §15.
 */
package org.custody.timestamp;
