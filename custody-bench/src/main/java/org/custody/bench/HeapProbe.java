package org.custody.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.custody.audit.AuditReport;
import org.custody.ledger.verify.LedgerVerifier;

/**
 * Heap used by a streaming verification: {@code java -Xmx64m -cp benchmarks.jar org.custody.bench.HeapProbe
 * 1000000 [threads]}. Verifies the ledger of that size (build it first with {@link BuildLedgers}) and prints
 * the live heap at each tenth of the way (used heap right after a forced full GC, while the verifier's
 * state is still reachable), the largest heap left after any collection during the run, and the rate.
 */
public final class HeapProbe {
    private HeapProbe() {}

    public static void main(String[] args) {
        long size = Long.parseLong(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path file = BenchData.dir().resolve("verify-" + size + ".db");
        if (!Files.isRegularFile(file)) {
            System.err.println("no ledger " + file + "; build it with org.custody.bench.BuildLedgers " + size);
            System.exit(2);
        }
        AtomicLong maxAfterGc = new AtomicLong();
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info =
                        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                        .mapToLong(MemoryUsage::getUsed).sum();
                maxAfterGc.accumulateAndGet(used, Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(listener, null, null);
        }
        long baseline = liveHeap();
        maxAfterGc.set(0);
        List<String> samples = new ArrayList<>();
        long[] nextSample = {size / 10};
        long start = System.nanoTime();
        AuditReport report = LedgerVerifier.verify(file, LedgerVerifier.Options.defaults().withThreads(threads)
                .withProgress(read -> {
                    if (read >= nextSample[0]) {
                        samples.add(String.format("%,d:%.1f", read, liveHeap() / 1048576.0));
                        nextSample[0] += size / 10;
                    }
                }));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!report.intact()) {
            throw new IllegalStateException("verification was not intact: " + report.summary());
        }
        System.out.printf("entries %,d, threads %d, -Xmx %.0f MiB, clean, %.1f s (%,.0f entries/s incl. forced GCs)%n",
                report.entries(), threads, Runtime.getRuntime().maxMemory() / 1048576.0, seconds, report.entries() / seconds);
        System.out.printf("live heap before: %.1f MiB; largest heap after any GC during the run: %.1f MiB; after the run: %.1f MiB%n",
                baseline / 1048576.0, maxAfterGc.get() / 1048576.0, liveHeap() / 1048576.0);
        System.out.println("live heap (MiB) after full GC at entries read: " + String.join("  ", samples));
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
