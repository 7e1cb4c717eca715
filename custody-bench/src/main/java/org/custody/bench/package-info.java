/**
 * JMH benchmarks of the ledger (docs/benchmarks.md): raw signature verification, the append gate, and
 * streaming verification; plus {@link org.custody.bench.BuildLedgers} and {@link org.custody.bench.HeapProbe},
 * plain mains for building the test ledgers and measuring the verifier's heap. The signature, append and
 * verification benchmarks fork their JVMs with the parallel garbage collector, the collector
 * {@code bin/custody} starts the JVM with (its fixed young generation left out: the append forks size their
 * heap themselves), so that the bound and what is compared with it run under the same collector.
 */
package org.custody.bench;
