/**
 * JMH benchmarks of the ledger (docs/benchmarks.md): raw signature verification, the append gate, and
 * streaming verification; plus {@link org.custody.bench.BuildLedgers} and {@link org.custody.bench.HeapProbe},
 * plain mains for building the test ledgers and measuring the verifier's heap.
 */
package org.custody.bench;
