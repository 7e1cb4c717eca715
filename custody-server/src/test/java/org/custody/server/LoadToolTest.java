package org.custody.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.LongStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The load tool's own logic: its open-loop schedule, its percentiles and its reading of {@code /proc}. */
class LoadToolTest {

    @Test
    void due_rateThatDoesNotDivideASecond_doesNotDrift() {
        LoadSchedule s = new LoadSchedule(5_000, 3);
        assertEquals(5_000, s.due(0));
        assertEquals(5_000 + 333_333_333, s.due(1));
        assertEquals(5_000 + 666_666_666, s.due(2));
        assertEquals(5_000 + 1_000_000_000, s.due(3));
        assertEquals(5_000 + 1_000_000_000L * 1_000_000, s.due(3_000_000));
    }

    @Test
    void due_thousandPerSecond_oneMillisecondApart() {
        LoadSchedule s = new LoadSchedule(0, 1000);
        assertEquals(30_000_000_000L, s.due(30_000));
        assertEquals(1_000_000, s.due(1) - s.due(0));
    }

    @Test
    void schedule_badRateOrIndex_refused() {
        assertThrows(IllegalArgumentException.class, () -> new LoadSchedule(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoadSchedule(0, 10).due(-1));
    }

    /** Request i is never due before request i - 1, and n requests take n / rate seconds, to the nanosecond. */
    @Property
    void due_isMonotoneAndKeepsTheRate(@ForAll @IntRange(min = 1, max = 100_000) int rate, @ForAll @LongRange(min = 1, max = 10_000_000) long i) {
        LoadSchedule s = new LoadSchedule(0, rate);
        long due = s.due(i);
        assertTrue(due >= s.due(i - 1), "due(" + i + ") before due(" + (i - 1) + ")");
        long exact = i * 1_000_000_000L / rate;
        assertEquals(exact, due);
    }

    @Test
    void due_ramp_risesToTheRateThenKeepsIt() {
        LoadSchedule s = new LoadSchedule(0, 1000, 20_000_000_000L);   // 1,000/s reached after 20 s
        assertEquals(10_000, s.rampCount());
        assertEquals(0, s.due(0));
        assertEquals(10_000_000_000L, s.due(2_500));                  // a quarter of the ramp's requests by half its time
        assertEquals(20_000_000_000L, s.due(10_000));
        assertEquals(1_000_000, s.due(10_001) - s.due(10_000));
        assertEquals(30_000_000_000L, s.due(20_000));
        assertEquals(20_000, LoadSchedule.count(1000, 20_000_000_000L, 30_000_000_000L));
        assertThrows(IllegalArgumentException.class, () -> new LoadSchedule(0, 10, -1));
    }

    /** The first request of a phase starting at {@code nanos} is due then or later, and the one before it earlier. */
    @Property
    void count_isTheFirstRequestDueAtOrAfter(@ForAll @IntRange(min = 1, max = 10_000) int rate, @ForAll @IntRange(min = 0, max = 240) int rampHalfSeconds,
                                             @ForAll @LongRange(min = 0, max = 120_000_000_000L) long after) {
        long ramp = rampHalfSeconds * 500_000_000L;   // as LoadTool ramps: half of a warm-up of whole seconds
        long nanos = ramp + after;
        LoadSchedule s = new LoadSchedule(0, rate, ramp);
        long count = LoadSchedule.count(rate, ramp, nanos);
        assertTrue(s.due(count) >= nanos, "request " + count + " is due at " + s.due(count) + ", before " + nanos);
        if (count > 0) {
            assertTrue(s.due(count - 1) < nanos, "request " + (count - 1) + " is due at " + s.due(count - 1) + ", not before " + nanos);
        }
    }

    /** With a ramp too, request i is never due before request i - 1. */
    @Property
    void due_ramp_isMonotone(@ForAll @IntRange(min = 1, max = 10_000) int rate, @ForAll @IntRange(min = 0, max = 120) int rampSeconds,
                             @ForAll @LongRange(min = 1, max = 2_000_000) long i) {
        LoadSchedule s = new LoadSchedule(0, rate, rampSeconds * 1_000_000_000L);
        assertTrue(s.due(i) >= s.due(i - 1), "due(" + i + ") before due(" + (i - 1) + ")");
    }

    @Test
    void percentile_oneToHundred_nearestRank() {
        long[] values = LongStream.rangeClosed(1, 100).map(v -> 101 - v).toArray();   // 100 down to 1, unsorted
        Latencies l = Latencies.of(values);
        assertEquals(50, l.percentile(50));
        assertEquals(90, l.percentile(90));
        assertEquals(99, l.percentile(99));
        assertEquals(100, l.percentile(99.9));
        assertEquals(100, l.percentile(100));
        assertEquals(1, l.percentile(0.5));
        assertEquals(100, l.max());
        assertEquals(100, values[0], "the caller's array is not sorted in place");
    }

    @Test
    void percentile_thousandValues_p999IsTheNineHundredNinetyNinth() {
        Latencies l = Latencies.of(LongStream.rangeClosed(1, 1000).toArray());
        assertEquals(999, l.percentile(99.9));
        assertEquals(990, l.percentile(99));
    }

    @Test
    void percentile_fewValues_slowestCountsForTheHighPercentiles() {
        Latencies l = Latencies.of(new long[] {7, 3, 5_000});
        assertEquals(7, l.percentile(50));
        assertEquals(5_000, l.percentile(90));
        assertEquals(5_000, l.percentile(99));
    }

    @Test
    void percentile_none_isZero() {
        Latencies l = Latencies.of(new long[0]);
        assertEquals(0, l.percentile(99));
        assertEquals(0, l.max());
        assertEquals(0, l.count());
    }

    @Test
    void percentile_outOfRange_refused() {
        Latencies l = Latencies.of(new long[] {1});
        assertThrows(IllegalArgumentException.class, () -> l.percentile(0));
        assertThrows(IllegalArgumentException.class, () -> l.percentile(100.5));
        assertThrows(IllegalArgumentException.class, () -> l.percentile(Double.NaN));
    }

    /** At least p % of the latencies are at most the p-th percentile, and fewer than p % are below it. */
    @Property
    void percentile_isTheNearestRank(@ForAll long[] values, @ForAll @IntRange(min = 1, max = 1000) int permille) {
        if (values.length == 0) {
            return;
        }
        double p = permille / 10.0;
        long v = Latencies.of(values).percentile(p);
        long atMost = LongStream.of(values).filter(x -> x <= v).count();
        long below = LongStream.of(values).filter(x -> x < v).count();
        assertTrue(atMost * 100.0 >= p * values.length - 1e-6, "fewer than " + p + " % at most " + v);
        assertTrue(below * 100.0 < p * values.length + 1e-6, "at least " + p + " % below " + v);
    }

    @Test
    void procStat_nameWithSpacesAndParentheses_ticksAndName() {
        String stat = "4242 (GC Thread#1) S 1 2 3 0 -1 4194368 10 0 0 0 125 31 0 0 20 0 40 0 100 0 0";
        assertEquals(156, ProcCpu.ticks(stat));
        assertEquals(31, ProcCpu.systemTicks(stat));
        assertEquals("GC Thread#1", ProcCpu.name(stat));
        assertEquals(7, ProcCpu.ticks("7 (a) b) R 1 2 3 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 0 0 0"));
    }

    @Test
    void group_threadNumbersStripped() {
        assertEquals("GC Thread", ProcCpu.group("GC Thread#1"));
        assertEquals("custody-signatu", ProcCpu.group("custody-signatu"));
        assertEquals("JettyServerThre", ProcCpu.group("JettyServerThre"));
        assertEquals("qtp", ProcCpu.group("qtp-17"));
        assertEquals("C2 CompilerThre", ProcCpu.group("C2 CompilerThre"));
    }

    @Test
    void byThreadGroup_countsEachGroupsTicksBetweenReadings() {
        ProcCpu.Reading before = new ProcCpu.Reading(100, 10, Map.of(1L, new ProcCpu.Task("GC Thread#0", 10), 2L, new ProcCpu.Task("main", 50)), 0, 0);
        ProcCpu.Reading after = new ProcCpu.Reading(180, 20, Map.of(1L, new ProcCpu.Task("GC Thread#0", 30), 2L, new ProcCpu.Task("main", 50),
                3L, new ProcCpu.Task("GC Thread#1", 15)), 0, 0);
        assertEquals(Map.of("GC Thread", 35L), ProcCpu.byThreadGroup(before, after));
    }

    @Test
    void read_thisProcess_seesItsOwnTicksAndTheMachine() {
        if (!java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            return;   // not Linux: nothing to read
        }
        ProcCpu.Reading r = ProcCpu.read(ProcessHandle.current().pid());
        assertTrue(r.process() >= 0, "no ticks for this process");
        assertTrue(!r.threads().isEmpty(), "no threads of this process");
        assertTrue(r.machineTotal() >= r.machineBusy() && r.machineBusy() >= 0, "machine ticks " + r);
    }
}
