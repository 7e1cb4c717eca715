package org.custody.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.custody.crypto.Hash;
import org.custody.crypto.Suite;
import org.custody.ledger.Ledger;
import org.custody.model.BagId;
import org.custody.model.PersonId;
import org.custody.model.Place;
import org.custody.model.RecordId;
import org.custody.model.Step;
import org.custody.record.BagMove;
import org.custody.record.Handoff;

/**
 * A second writer in its own JVM, for tests of two processes appending to one ledger file. Usage:
 * {@code AppendMain <ledger file> <name> <count>}: opens the ledger, prints {@code ready}, waits for a line
 * on standard input, then appends {@code count} handoffs of bag {@link #bag}({@code name}), which the
 * parent registered, and prints {@code done}. Keys come from {@code new Cast(ED25519_SHA256, CAST_SEED)}.
 */
public final class AppendMain {
    /** Seed of the cast whose keys both processes sign with. */
    public static final long CAST_SEED = 42;
    /** Prefix of the bag ids this main moves. */
    public static final String BAG_PREFIX = "PROC-";

    private AppendMain() {}

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        Cast cast = new Cast(Suite.ED25519_SHA256, CAST_SEED);
        BagId bag = BagId.of("K01.01.S1." + BAG_PREFIX + name);
        try (Ledger ledger = Ledger.open(file)) {
            // warm up (class loading, first signature) so that appending starts at once on the go signal
            ledger.bagHead(bag);
            cast.sign(handoff(name, 0, bag, Hash.ZERO));
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            Hash prev = ledger.bagHead(bag).orElseThrow(() -> new IllegalStateException("bag " + bag + " is not registered"));
            for (int i = 0; i < count; i++) {
                prev = ledger.append(cast.sign(handoff(name, i, bag, prev))).hash();
            }
        }
        System.out.println("done");
    }

    private static Handoff handoff(String name, int i, BagId bag, Hash prev) {
        return Handoff.builder(Step.VAULT_IN).id(RecordId.of("child-" + name + "-" + i)).ledger(Cast.LEDGER).at(Cast.T0.plusSeconds(7200 + i))
                .from(PersonId.of(i % 2 == 0 ? "P004" : "P005")).to(PersonId.of(i % 2 == 0 ? "P005" : "P004")).witnesses(List.of(PersonId.of("P006")))
                .place(Place.of("VAULT-1", null)).bags(List.of(BagMove.of(bag, prev))).build();
    }

    /**
     * Starts this main in a new JVM with the test's class path and waits until it has opened the ledger;
     * it starts appending on {@link Child#go}.
     */
    public static Child start(Path file, String name, int count) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AppendMain.class.getName(), file.toString(), name, String.valueOf(count));
        pb.redirectErrorStream(true);
        Child child = new Child(pb.start());
        String line = child.out.readLine();
        if (!"ready".equals(line)) {
            String rest = child.finish(10);
            child.close();
            throw new IllegalStateException("the second process did not start: " + line + "\n" + rest);
        }
        return child;
    }

    /** A running {@code AppendMain}. */
    public static final class Child implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Lets the child begin appending. */
        public void go() {
            try {
                process.getOutputStream().write('\n');
                process.getOutputStream().flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits up to {@code seconds} for the child to exit and returns the rest of its output. */
        public String finish(long seconds) {
            try {
                if (!process.waitFor(seconds, java.util.concurrent.TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the second process did not finish in " + seconds + " s");
                }
                StringBuilder rest = new StringBuilder();
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    rest.append(line).append('\n');
                }
                return rest.toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public int exitValue() {
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
