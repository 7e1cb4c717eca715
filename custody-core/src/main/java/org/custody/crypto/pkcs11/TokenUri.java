package org.custody.crypto.pkcs11;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A private key on a token, named by a PKCS#11 URI (RFC 7512), e.g.
 * {@code pkcs11:token=custody-P001;object=signing?module-path=/usr/lib/softhsm/libsofthsm2.so}.
 *
 * <p>Path attributes read: {@code token}, {@code manufacturer}, {@code serial}, {@code model} and {@code slot-id} choose the
 * token; {@code object} (label) and {@code id} choose the key; {@code type}, if given, is {@code private}. Query attribute
 * read: {@code module-path}. Anything else is refused rather than ignored, so that a constraint the user wrote is never
 * silently dropped; {@code pin-value} and {@code pin-source} are refused because the PIN is asked for, or read from a
 * {@code --pin-file}, never written in a key reference.
 *
 * @param token        the token label, or {@code null} for any
 * @param manufacturer the token manufacturer, or {@code null}
 * @param serial       the token serial number, or {@code null}
 * @param model        the token model, or {@code null}
 * @param slotId       the slot id, or {@code null}
 * @param object       the key's label ({@code CKA_LABEL}), or {@code null}
 * @param idHex        the key's {@code CKA_ID} in lowercase hex, or {@code null}
 * @param modulePath   the PKCS#11 module (shared library) named in the URI, or {@code null}
 */
public record TokenUri(String token, String manufacturer, String serial, String model, Long slotId, String object, String idHex,
        String modulePath) {
    /** The scheme that marks a key reference as a token key rather than a key file. */
    public static final String SCHEME = "pkcs11:";
    private static final int MAX_LENGTH = 4096;

    public TokenUri {
        if (object == null && idHex == null) {
            throw new TokenException("a token key reference names the key with object=LABEL or id=HEX (e.g. pkcs11:token=T;object=K)"
                    + " (令牌密钥须以 object 或 id 指明)");
        }
    }

    /** True if {@code reference} is a PKCS#11 URI rather than a file path. */
    public static boolean isUri(String reference) {
        return reference != null && reference.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /**
     * Parses an RFC 7512 URI strictly: percent-encoded UTF-8 values, each attribute at most once.
     *
     * @throws TokenException naming the attribute at fault
     */
    public static TokenUri parse(String text) {
        if (!isUri(text)) {
            throw new TokenException("'" + text + "' is not a PKCS#11 URI: it starts with pkcs11: (不是 PKCS#11 URI)");
        }
        if (text.length() > MAX_LENGTH) {
            throw new TokenException("PKCS#11 URI longer than " + MAX_LENGTH + " characters (PKCS#11 URI 过长)");
        }
        String rest = text.substring(SCHEME.length());
        int q = rest.indexOf('?');
        Map<String, byte[]> path = attributes(q < 0 ? rest : rest.substring(0, q), ';', text);
        Map<String, byte[]> query = attributes(q < 0 ? "" : rest.substring(q + 1), '&', text);
        for (String name : path.keySet()) {
            switch (name) {
                case "token", "manufacturer", "serial", "model", "slot-id", "object", "id", "type" -> { }
                default -> throw unsupported(name, text);
            }
        }
        for (String name : query.keySet()) {
            switch (name) {
                case "module-path" -> { }
                case "pin-value", "pin-source" -> throw new TokenException("PKCS#11 URI " + text + " carries a PIN (" + name
                        + "): a PIN is typed when asked, or read with --pin-file, never written in a key reference"
                        + " (PIN 不得写入密钥引用)");
                default -> throw unsupported(name, text);
            }
        }
        String type = text(path, "type", text);
        if (type != null && !type.equals("private")) {
            throw new TokenException("PKCS#11 URI " + text + " names type=" + type + "; a signing key is type=private"
                    + " (签名密钥类型应为 private)");
        }
        Long slot = null;
        String slotText = text(path, "slot-id", text);
        if (slotText != null) {
            try {
                slot = Long.parseUnsignedLong(slotText);
            } catch (NumberFormatException e) {
                throw new TokenException("slot-id '" + slotText + "' in " + text + " is not a decimal number (slot-id 须为十进制数)");
            }
        }
        byte[] id = path.get("id");
        return new TokenUri(text(path, "token", text), text(path, "manufacturer", text), text(path, "serial", text),
                text(path, "model", text), slot, text(path, "object", text), id == null ? null : HexFormat.of().formatHex(id),
                text(query, "module-path", text));
    }

    /** The key's {@code CKA_ID}, if the URI names one. */
    public Optional<byte[]> id() {
        return Optional.ofNullable(idHex).map(HexFormat.of()::parseHex);
    }

    /** What the URI asks for, for messages: the token and key attributes given. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        append(b, "token", token);
        append(b, "manufacturer", manufacturer);
        append(b, "serial", serial);
        append(b, "model", model);
        append(b, "slot-id", slotId == null ? null : slotId.toString());
        append(b, "object", object);
        append(b, "id", idHex);
        return b.toString();
    }

    private static void append(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(b.length() == 0 ? "" : ";").append(name).append('=').append(value);
        }
    }

    private static TokenException unsupported(String name, String text) {
        return new TokenException("PKCS#11 URI " + text + " has attribute '" + name + "', which Custody does not read; use token,"
                + " manufacturer, serial, model, slot-id, object, id, type=private and ?module-path= (不支持的 URI 属性)");
    }

    private static Map<String, byte[]> attributes(String part, char separator, String text) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (part.isEmpty()) {
            return out;
        }
        for (String pair : part.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new TokenException("PKCS#11 URI " + text + ": '" + pair + "' is not NAME=VALUE (URI 属性格式不符)");
            }
            String name = pair.substring(0, eq);
            if (out.put(name, decode(pair.substring(eq + 1), text)) != null) {
                throw new TokenException("PKCS#11 URI " + text + " gives '" + name + "' twice (URI 属性重复)");
            }
        }
        return out;
    }

    private static byte[] decode(String value, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 2 >= value.length()) {
                    throw new TokenException("PKCS#11 URI " + text + ": '%' must be followed by two hex digits (百分号编码不完整)");
                }
                try {
                    out.write(HexFormat.fromHexDigits(value, i + 1, i + 3));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw new TokenException("PKCS#11 URI " + text + ": '" + value.substring(i, Math.min(value.length(), i + 3))
                            + "' is not a percent-encoded byte (百分号编码不符)");
                }
                i += 2;
            } else if (c > 0x7e || c < 0x21 || "\"<>\\^`{|}%".indexOf(c) >= 0) {
                throw new TokenException("PKCS#11 URI " + text + ": character '" + c + "' must be percent-encoded (须百分号编码)");
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static String text(Map<String, byte[]> attributes, String name, String uri) {
        byte[] raw = attributes.get(name);
        if (raw == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new TokenException("PKCS#11 URI " + uri + ": " + name + " is not UTF-8 (URI 属性不是 UTF-8)");
        }
    }
}
