package org.custody.server;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time from Linux's {@code /proc}: of a process (user + system, in clock ticks), of each of its
 * threads, and of the whole machine, so the load tool can charge the server's own CPU to each handoff and
 * say how much of the machine other programs took meanwhile. Elsewhere than Linux every figure is absent.
 */
final class ProcCpu {
    /** Clock ticks per second of {@code /proc} ({@code getconf CLK_TCK}; 100 on every common Linux). */
    static final long TICKS_PER_SECOND = 100;

    private ProcCpu() {}

    /**
     * One reading.
     *
     * @param process      ticks of the process so far (user and system), or -1 without a pid or {@code /proc}
     * @param processSystem the part of {@code process} spent in the kernel, or -1
     * @param threads      ticks of each live thread, by thread id, with its name
     * @param machineBusy  ticks all cores spent on anything but idle and I/O wait, or -1
     * @param machineTotal ticks of all cores, or -1
     */
    record Reading(long process, long processSystem, Map<Long, Task> threads, long machineBusy, long machineTotal) {
        /** Nothing read. */
        static final Reading NONE = new Reading(-1, -1, Map.of(), -1, -1);
    }

    /** A thread's name (as {@code /proc} shows it, at most 15 characters) and ticks. */
    record Task(String name, long ticks) {}

    static Reading read(long pid) {
        long process = -1;
        long system = -1;
        Map<Long, Task> threads = new HashMap<>();
        if (pid > 0) {
            Path dir = Path.of("/proc", Long.toString(pid));
            String stat = readQuietly(dir.resolve("stat"));
            if (stat != null) {
                process = ticks(stat);
                system = systemTicks(stat);
            }
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(dir.resolve("task"))) {
                for (Path task : tasks) {
                    String line = readQuietly(task.resolve("stat"));
                    if (line != null) {
                        threads.put(Long.parseLong(task.getFileName().toString()), new Task(name(line), ticks(line)));
                    }
                }
            } catch (IOException | RuntimeException e) {
                threads.clear();
            }
        }
        long busy = -1;
        long total = -1;
        String machine = readQuietly(Path.of("/proc/stat"));
        if (machine != null && machine.startsWith("cpu ")) {
            String[] f = machine.substring(4, machine.indexOf('\n')).trim().split("\\s+");
            long[] v = new long[8];
            for (int i = 0; i < v.length && i < f.length; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            // user nice system idle iowait irq softirq steal
            busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
            total = busy + v[3] + v[4];
        }
        return new Reading(process, system, threads, busy, total);
    }

    /**
     * Ticks each group of threads spent between two readings, threads grouped by name without their
     * number ({@code GC Thread#1} and {@code GC Thread#0} are {@code GC Thread});
     * threads started in between count from zero.
     */
    static Map<String, Long> byThreadGroup(Reading before, Reading after) {
        Map<String, Long> out = new TreeMap<>();
        after.threads().forEach((tid, t) -> {
            Task b = before.threads().get(tid);
            long ticks = t.ticks() - (b == null ? 0 : b.ticks());
            if (ticks > 0) {
                out.merge(group(t.name()), ticks, Long::sum);
            }
        });
        return out;
    }

    /** A thread's name without its trailing number. */
    static String group(String name) {
        return name.replaceAll("[-#_ ]?\\d+$", "").strip();
    }

    /** utime + stime: fields 14 and 15 of a stat line, counted after the name's closing parenthesis. */
    static long ticks(String stat) {
        String[] f = fields(stat);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** stime, field 15: time in the kernel. */
    static long systemTicks(String stat) {
        return Long.parseLong(fields(stat)[12]);
    }

    private static String[] fields(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    static String name(String stat) {
        return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
