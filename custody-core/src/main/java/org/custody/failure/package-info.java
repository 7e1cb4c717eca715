/**
 * The four ways a Custody call fails, each a {@link org.custody.failure.CustodyException}: the input is
 * malformed ({@link org.custody.failure.MalformedInputException}), a signature, proof or checkpoint does
 * not verify ({@link org.custody.failure.VerificationException}), the store cannot be read or written
 * ({@link org.custody.failure.StoreException}), or a well-formed request is refused by an integrity or
 * custody rule, naming its code ({@link org.custody.audit.RefusedException}, beside the codes, so that this
 * package depends on nothing). Every message says what
 * was wrong and where. Anything else escaping the library (an {@code IllegalArgumentException}, a
 * {@code NullPointerException}) is a bug in Custody or in its caller.
 */
package org.custody.failure;
