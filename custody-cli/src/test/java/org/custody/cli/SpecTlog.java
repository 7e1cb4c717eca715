package org.custody.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A transparency log and a witness written for the tests from the C2SP texts alone (signed-note, tlog-checkpoint,
 * tlog-cosignature, tlog-witness) and RFC 6962/9162, with the JDK's Ed25519 and SHA-256: none of Custody's checkpoint,
 * Merkle or HTTP code, so a round trip with them shows Custody speaks the protocol, not just agrees with itself.
 */
final class SpecTlog {
    private SpecTlog() {}

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An Ed25519 key pair and its raw 32-byte public key (the end of the X.509 encoding). */
    record Ed25519(KeyPair pair, byte[] raw) {
        static Ed25519 generate() {
            try {
                KeyPair p = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                byte[] enc = p.getPublic().getEncoded();
                return new Ed25519(p, Arrays.copyOfRange(enc, enc.length - 32, enc.length));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        byte[] sign(byte[] message) {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(pair.getPrivate());
                s.update(message);
                return s.sign();
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** signed-note: key id = SHA-256(name || "\n" || type || key)[:4]. */
        byte[] keyId(String name, int type) {
            return Arrays.copyOf(sha256(utf8(name + "\n"), new byte[] {(byte) type}, raw), 4);
        }

        String vkey(String name, int type) {
            byte[] typeAndKey = new byte[33];
            typeAndKey[0] = (byte) type;
            System.arraycopy(raw, 0, typeAndKey, 1, 32);
            return name + "+" + HexFormat.of().formatHex(keyId(name, type)) + "+" + Base64.getEncoder().encodeToString(typeAndKey);
        }
    }

    /** Verifies an Ed25519 signature with a raw 32-byte public key (wrapped in its fixed X.509 prefix). */
    static boolean verify(byte[] raw, byte[] message, byte[] signature) {
        try {
            byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
            PublicKey key = java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ RFC 6962 Merkle tree over leaves "leaf i"

    static byte[] leaf(int i) {
        return sha256(new byte[] {0}, utf8("leaf " + i));
    }

    static byte[] node(byte[] l, byte[] r) {
        return sha256(new byte[] {1}, l, r);
    }

    /** MTH(D[from:to]). */
    static byte[] mth(int from, int to) {
        if (to - from == 1) {
            return leaf(from);
        }
        int k = Integer.highestOneBit(to - from - 1);
        return node(mth(from, from + k), mth(from + k, to));
    }

    /** PROOF(m, D[0:n]) of RFC 6962 §2.1.2. */
    static List<byte[]> proof(int m, int n) {
        List<byte[]> out = new ArrayList<>();
        subproof(m, 0, n, true, out);
        return out;
    }

    private static void subproof(int m, int from, int to, boolean b, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!b) {
                out.add(mth(from, to));
            }
            return;
        }
        int k = Integer.highestOneBit(n - 1);
        if (m <= k) {
            subproof(m, from, from + k, b, out);
            out.add(mth(from + k, to));
        } else {
            subproof(m - k, from + k, to, false, out);
            out.add(mth(from, from + k));
        }
    }

    /** RFC 9162 §2.1.4.2: whether {@code proof} shows the tree (size1, root1) is a prefix of (size2, root2). */
    static boolean verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
        if (size1 == size2) {
            return proof.isEmpty() && Arrays.equals(root1, root2);
        }
        if (size1 == 0 || size1 > size2 || proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(size1) == 1) {
            path.add(0, root1);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = node(c, fr);
                sr = node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, root1) && Arrays.equals(sr, root2);
    }

    // ------------------------------------------------------------------ a log

    /** A log named {@code origin} signing checkpoints of its tree with an Ed25519 note key (type 0x01). */
    record Log(String origin, Ed25519 key) {
        String body(int size) {
            return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(mth(0, size)) + "\n";
        }

        String note(int size) {
            String body = body(size);
            byte[] sig = key.sign(utf8(body));
            return body + "\n— " + origin + " " + Base64.getEncoder().encodeToString(concat(key.keyId(origin, 1), sig)) + "\n";
        }

        /** The add-checkpoint body: {@code old}, the proof lines, an empty line, the note. */
        byte[] request(int old, List<byte[]> proof, String note) {
            StringBuilder b = new StringBuilder("old " + old + "\n");
            proof.forEach(h -> b.append(Base64.getEncoder().encodeToString(h)).append('\n'));
            return utf8(b.append('\n').append(note).toString());
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /**
     * Checks a cosignature line of witness {@code name} (raw Ed25519 key {@code raw}) on checkpoint {@code body}: key id
     * with type 0x04, then the 8-byte timestamp and the signature of "cosignature/v1\ntime T\n" || body.
     *
     * @return the timestamp
     */
    static long checkCosignature(String line, String name, byte[] raw, String body) {
        String prefix = "— " + name + " ";
        if (!line.startsWith(prefix)) {
            throw new AssertionError("not a line by " + name + ": " + line);
        }
        byte[] payload = Base64.getDecoder().decode(line.substring(prefix.length()));
        byte[] id = Arrays.copyOf(sha256(utf8(name + "\n"), new byte[] {4}, raw), 4);
        if (payload.length != 4 + 8 + 64 || !Arrays.equals(Arrays.copyOf(payload, 4), id)) {
            throw new AssertionError("wrong key id or length: " + line);
        }
        long t = ByteBuffer.wrap(payload, 4, 8).getLong();
        byte[] message = utf8("cosignature/v1\ntime " + t + "\n" + body);
        if (!verify(raw, message, Arrays.copyOfRange(payload, 12, payload.length))) {
            throw new AssertionError("the cosignature does not verify: " + line);
        }
        return t;
    }

    // ------------------------------------------------------------------ a witness

    /**
     * A minimal tlog-witness for one log (Ed25519 log key given raw): answers POST /add-checkpoint as the spec says,
     * in memory. Each request is recorded (its old size) for the test to inspect.
     */
    static final class Witness implements AutoCloseable {
        final String name;
        final Ed25519 key = Ed25519.generate();
        final String origin;
        final byte[] logKey;
        final List<Long> oldSizes = new ArrayList<>();
        long size;
        byte[] root;
        final HttpServer server;

        Witness(String name, String origin, byte[] logKey) throws java.io.IOException {
            this.name = name;
            this.origin = origin;
            this.logKey = logKey;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/add-checkpoint", ex -> {
                try (ex) {
                    byte[] in = ex.getRequestBody().readAllBytes();
                    int[] status = {200};
                    String out;
                    synchronized (this) {
                        out = answer(new String(in, StandardCharsets.UTF_8), status);
                    }
                    byte[] bytes = utf8(out);
                    ex.getResponseHeaders().set("Content-Type", status[0] == 409 ? "text/x.tlog.size" : "text/plain");
                    ex.sendResponseHeaders(status[0], bytes.length);
                    ex.getResponseBody().write(bytes);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private String answer(String req, int[] status) {
            int blank = req.indexOf("\n\n");
            String[] head = req.substring(0, blank).split("\n");
            long old = Long.parseLong(head[0].substring("old ".length()));
            oldSizes.add(old);
            List<byte[]> proof = new ArrayList<>();
            for (int i = 1; i < head.length; i++) {
                proof.add(Base64.getDecoder().decode(head[i]));
            }
            String note = req.substring(blank + 2);
            int sigs = note.indexOf("\n\n");
            String body = note.substring(0, sigs + 1);
            String[] lines = body.split("\n");
            if (!lines[0].equals(origin)) {
                status[0] = 404;
                return "unknown log\n";
            }
            boolean signed = false;
            byte[] id = Arrays.copyOf(sha256(utf8(origin + "\n"), new byte[] {1}, logKey), 4);
            for (String sig : note.substring(sigs + 2).split("\n")) {
                if (sig.startsWith("— " + origin + " ")) {
                    byte[] p = Base64.getDecoder().decode(sig.substring(origin.length() + 3));
                    if (Arrays.equals(Arrays.copyOf(p, 4), id) && verify(logKey, utf8(body), Arrays.copyOfRange(p, 4, p.length))) {
                        signed = true;
                    }
                }
            }
            if (!signed) {
                status[0] = 403;
                return "no valid log signature\n";
            }
            long newSize = Long.parseLong(lines[1]);
            byte[] newRoot = Base64.getDecoder().decode(lines[2]);
            if (old > newSize) {
                status[0] = 400;
                return "old size above the checkpoint's\n";
            }
            if (old != size) {
                status[0] = 409;
                return size + "\n";
            }
            if (old == newSize ? !Arrays.equals(root, newRoot) || !proof.isEmpty()
                    : old > 0 && !verifyConsistency(old, newSize, root, newRoot, proof)) {
                status[0] = old == newSize ? 409 : 422;
                return status[0] == 409 ? size + "\n" : "bad proof\n";
            }
            size = newSize;
            root = newRoot;
            long t = java.time.Instant.now().getEpochSecond();
            byte[] sig = key.sign(utf8("cosignature/v1\ntime " + t + "\n" + body));
            byte[] payload = concat(key.keyId(name, 4), ByteBuffer.allocate(8).putLong(t).array(), sig);
            return "— " + name + " " + Base64.getEncoder().encodeToString(payload) + "\n";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
