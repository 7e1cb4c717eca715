package org.custody.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.custody.crypto.HashAlgorithm;
import org.custody.crypto.PublicKey;
import org.custody.failure.MalformedInputException;

/**
 * A note verifier key: a name, a {@link NoteKeyType} and a public key. Its id is the first 4 bytes of
 * {@code SHA-256(name || 0x0A || type identifier || public key)}; its text form ({@link #toString()}, read by
 * {@link #parse}) is the signed-note verifier key {@code <name>+<8 hex digits of the id>+<base64(type || key)>}.
 */
public final class NoteKey {
    /** Longest verifier key string accepted by {@link #parse}. */
    static final int MAX_LENGTH = 1024;

    private final String name;
    private final NoteKeyType type;
    private final PublicKey key;
    private final int id;

    private NoteKey(String name, NoteKeyType type, PublicKey key) {
        this.name = name;
        this.type = type;
        this.key = key;
        this.id = keyId(name, type.identifier(), key.encoded());
    }

    /**
     * The key {@code name} uses to sign notes or cosign checkpoints.
     *
     * @throws org.custody.failure.MalformedInputException if the name is not a valid key name or the key is not of the type's algorithm
     */
    public static NoteKey of(String name, NoteKeyType type, PublicKey key) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        String problem = NoteText.nameProblem(Objects.requireNonNull(name, "name"));
        if (problem != null) {
            throw new MalformedInputException("key name '" + name + "' " + problem);
        }
        if (key.algorithm() != type.algorithm()) {
            throw new MalformedInputException("a " + type + " note key is " + type.algorithm().wire() + ", got "
                    + key.algorithm().wire());
        }
        return new NoteKey(name, type, key);
    }

    /**
     * Parses a verifier key {@code <name>+<id>+<base64>}: the id must be 8 lowercase hex digits and match the key, the
     * base64 canonical, the type one of {@link NoteKeyType} and the public key valid.
     *
     * @throws MalformedNoteException if it is not such a key
     */
    public static NoteKey parse(String vkey) {
        if (vkey.length() > MAX_LENGTH) {
            throw new MalformedNoteException(0, "verifier key is longer than " + MAX_LENGTH + " characters");
        }
        int plus1 = vkey.indexOf('+');
        int plus2 = plus1 < 0 ? -1 : vkey.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new MalformedNoteException(0, "a verifier key is <name>+<key id>+<base64 key>, got '" + vkey + "'");
        }
        String name = vkey.substring(0, plus1);
        String hex = vkey.substring(plus1 + 1, plus2);
        String base64 = vkey.substring(plus2 + 1);
        String problem = NoteText.nameProblem(name);
        if (problem != null) {
            throw new MalformedNoteException(0, "verifier key name '" + name + "' " + problem);
        }
        if (hex.length() != 8 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new MalformedNoteException(0, "verifier key id '" + hex + "' is not 8 lowercase hex digits");
        }
        byte[] typeAndKey = NoteText.canonicalBase64(base64);
        if (typeAndKey == null || typeAndKey.length == 0) {
            throw new MalformedNoteException(0, "verifier key material is not canonical base64 (standard, padded)");
        }
        NoteKeyType type = NoteKeyType.identify(typeAndKey);
        if (type == null) {
            throw new MalformedNoteException(0, "verifier key type 0x" + String.format("%02x", typeAndKey[0] & 0xff)
                    + " is not one Custody supports (0x01, 0x04, or 0xff with a Custody SM2 label)");
        }
        byte[] raw = Arrays.copyOfRange(typeAndKey, type.identifier().length, typeAndKey.length);
        PublicKey key;
        try {
            key = PublicKey.of(type.algorithm(), raw);
        } catch (MalformedInputException e) {
            throw new MalformedNoteException("verifier key '" + name + "': " + e.getMessage(), e);
        }
        NoteKey parsed = new NoteKey(name, type, key);
        if (!parsed.id().equals(hex)) {
            throw new MalformedNoteException(0, "verifier key id " + hex + " does not match the key, whose id is "
                    + parsed.id());
        }
        return parsed;
    }

    static int keyId(String name, byte[] typeIdentifier, byte[] publicKey) {
        byte[] digest = HashAlgorithm.SHA_256.digest(name.getBytes(StandardCharsets.UTF_8), new byte[] {'\n'},
                typeIdentifier, publicKey).bytes();
        return ((digest[0] & 0xff) << 24) | ((digest[1] & 0xff) << 16) | ((digest[2] & 0xff) << 8) | (digest[3] & 0xff);
    }

    static String hex(int id) {
        return HexFormat.of().toHexDigits(id);
    }

    public String name() {
        return name;
    }

    public NoteKeyType type() {
        return type;
    }

    public PublicKey publicKey() {
        return key;
    }

    /** The key id as 8 lowercase hex digits. */
    public String id() {
        return hex(id);
    }

    int idValue() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteKey k && name.equals(k.name) && type == k.type && key.equals(k.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, key);
    }

    /** The verifier key string, {@code <name>+<id>+<base64(type identifier || public key)>}. */
    @Override
    public String toString() {
        byte[] typeId = type.identifier();
        byte[] raw = key.encoded();
        byte[] typeAndKey = Arrays.copyOf(typeId, typeId.length + raw.length);
        System.arraycopy(raw, 0, typeAndKey, typeId.length, raw.length);
        return name + "+" + id() + "+" + NoteText.base64(typeAndKey);
    }
}
