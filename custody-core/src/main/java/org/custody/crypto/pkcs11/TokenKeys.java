package org.custody.crypto.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.custody.crypto.PublicKey;
import org.custody.crypto.SignatureAlgorithm;
import org.custody.crypto.SigningKey;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_C_INITIALIZE_ARGS;
import sun.security.pkcs11.wrapper.CK_MECHANISM;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * Ed25519 keys on PKCS#11 tokens, through the JDK's own PKCS#11 wrapper (the layer under SunPKCS11, which itself offers
 * no EdDSA in Java 17). A key is found by its {@link TokenUri}; it must be an Ed25519 private key ({@code CKK_EC_EDWARDS}
 * on edwards25519) that is sensitive, not extractable and allowed to sign, with its public key object beside it. It signs
 * with {@code CKM_EDDSA}; its private part never leaves the token. SM2 keys are not offered: PKCS#11 defines no SM2
 * mechanism (vendors' UKeys use their own), so an SM2 ledger's signers use key files.
 */
public final class TokenKeys {
    // PKCS#11 v3.0 constants (pkcs11t.h), named as there
    static final long CKF_OS_LOCKING_OK = 0x2;
    static final long CKF_SERIAL_SESSION = 0x4;
    static final long CKU_USER = 1;
    static final long CKO_PUBLIC_KEY = 2;
    static final long CKO_PRIVATE_KEY = 3;
    static final long CKK_EC = 0x3;
    static final long CKK_EC_EDWARDS = 0x40;
    static final long CKA_CLASS = 0x0;
    static final long CKA_LABEL = 0x3;
    static final long CKA_KEY_TYPE = 0x100;
    static final long CKA_ID = 0x102;
    static final long CKA_SENSITIVE = 0x103;
    static final long CKA_SIGN = 0x108;
    static final long CKA_EXTRACTABLE = 0x162;
    static final long CKA_EC_PARAMS = 0x180;
    static final long CKA_EC_POINT = 0x181;
    static final long CKM_EDDSA = 0x1057;
    static final long CKR_PIN_INCORRECT = 0xA0;
    static final long CKR_PIN_INVALID = 0xA1;
    static final long CKR_PIN_LEN_RANGE = 0xA2;
    static final long CKR_PIN_EXPIRED = 0xA3;
    static final long CKR_PIN_LOCKED = 0xA4;
    static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;

    /** edwards25519 in CKA_EC_PARAMS: the OID 1.3.101.112 (RFC 8410), or the curve name as PKCS#11 v3.0 also allows. */
    private static final byte[] ED25519_OID = {0x06, 0x03, 0x2b, 0x65, 0x70};
    private static final byte[] ED25519_NAME = concat(new byte[] {0x13, 0x0c}, "edwards25519".getBytes(StandardCharsets.US_ASCII));
    private static final String ADD_EXPORTS = "--add-exports jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED";

    private TokenKeys() {}

    /**
     * The public key of the token key {@code uri} names, read without a PIN (public objects need no login): what
     * enrolment records.
     *
     * @throws TokenException if the module, the token or the key is not found, or the key is not one Custody signs with
     */
    public static PublicKey publicKey(TokenUri uri, Path module) {
        PKCS11 p11 = load(module);
        long slot = slot(p11, uri, module);
        long session = openSession(p11, slot);
        try {
            // a private key is a private object, invisible before login: enrolment reads the public key named alike
            long pub = find(p11, session, uri, CKO_PUBLIC_KEY, uri.object(), uri.id().orElse(null));
            requireEd25519(p11, session, pub, uri);
            return publicKeyAt(p11, session, pub, uri);
        } finally {
            closeQuietly(p11, session);
        }
    }

    /**
     * The token key {@code uri} names, unlocked with {@code pin}: a {@link SigningKey} that signs on the token (its session
     * stays open, logged in, until the key is destroyed). The caller wipes {@code pin}.
     *
     * @throws TokenException if the PIN is wrong ({@link TokenException#wrongPin()}) or locked, or as {@link #publicKey}
     */
    public static SigningKey unlock(TokenUri uri, Path module, char[] pin) {
        PKCS11 p11 = load(module);
        long slot = slot(p11, uri, module);
        long session = openSession(p11, slot);
        boolean ok = false;
        try {
            login(p11, session, uri, pin);
            long key = privateKey(p11, session, uri);
            PublicKey publicKey = publicKeyOf(p11, session, uri, key);
            SigningKey signing = SigningKey.onDevice(publicKey, new Session(p11, session, key, uri));
            ok = true;
            return signing;
        } finally {
            if (!ok) {
                closeQuietly(p11, session);
            }
        }
    }

    /** One logged-in session holding one key; PKCS#11 sessions are single-threaded, and SigningKey serialises calls. */
    private record Session(PKCS11 p11, long session, long key, TokenUri uri) implements SigningKey.Device {
        @Override
        public byte[] sign(byte[] message) {
            try {
                p11.C_SignInit(session, new CK_MECHANISM(CKM_EDDSA), key);
                return p11.C_Sign(session, message);
            } catch (PKCS11Exception e) {
                throw new TokenException("the token refused to sign with " + uri.describe() + ": " + e.getMessage()
                        + "; is it still plugged in? (令牌拒绝签名，请检查令牌是否仍已插入)", false, e);
            }
        }

        @Override
        public void close() {
            try {
                p11.C_Logout(session);
            } catch (PKCS11Exception e) {
                // closing the session below ends the login too (the last session of the token)
            }
            closeQuietly(p11, session);
        }
    }

    static PKCS11 load(Path module) {
        if (module == null) {
            throw new TokenException("no PKCS#11 module for the token key: give --pkcs11-module FILE, set CUSTODY_PKCS11_MODULE,"
                    + " or add ?module-path=FILE to the key reference (未指定 PKCS#11 模块)");
        }
        if (!Files.isRegularFile(module)) {
            throw new TokenException("PKCS#11 module " + module + " does not exist; install the token's driver or check the path"
                    + " (PKCS#11 模块不存在)");
        }
        try {
            CK_C_INITIALIZE_ARGS init = new CK_C_INITIALIZE_ARGS();
            init.flags = CKF_OS_LOCKING_OK;
            return PKCS11.getInstance(module.toAbsolutePath().toString(), "C_GetFunctionList", init, false);
        } catch (IOException | PKCS11Exception e) {
            throw new TokenException("cannot load PKCS#11 module " + module + ": " + e.getMessage() + " (无法加载 PKCS#11 模块)",
                    false, e);
        } catch (IllegalAccessError e) {
            throw new TokenException("this Java runtime does not let Custody use PKCS#11: run it with " + ADD_EXPORTS
                    + " (custody.jar's launcher does) (Java 运行时未开放 PKCS#11)", false, e);
        }
    }

    /** The one slot whose token matches {@code uri}. */
    static long slot(PKCS11 p11, TokenUri uri, Path module) {
        List<Long> matching = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try {
            for (long slot : p11.C_GetSlotList(true)) {
                CK_TOKEN_INFO info = p11.C_GetTokenInfo(slot);
                String label = trim(info.label);
                seen.add(label + " (serial " + trim(info.serialNumber) + ")");
                if (matches(uri.token(), label) && matches(uri.manufacturer(), trim(info.manufacturerID))
                        && matches(uri.model(), trim(info.model)) && matches(uri.serial(), trim(info.serialNumber))
                        && (uri.slotId() == null || uri.slotId() == slot)) {
                    matching.add(slot);
                }
            }
        } catch (PKCS11Exception e) {
            throw new TokenException("cannot list the tokens of " + module + ": " + e.getMessage() + " (无法列出令牌)", false, e);
        }
        if (matching.isEmpty()) {
            throw new TokenException("no token matching " + uri.describe() + " through " + module + "; tokens present: "
                    + (seen.isEmpty() ? "none (is it plugged in?)" : String.join(", ", seen)) + " (未找到匹配的令牌)");
        }
        if (matching.size() > 1) {
            throw new TokenException(matching.size() + " tokens match " + uri.describe() + " (" + String.join(", ", seen)
                    + "); name one with token=LABEL or serial=SERIAL (多个令牌匹配，请指明)");
        }
        return matching.get(0);
    }

    private static long openSession(PKCS11 p11, long slot) {
        try {
            return p11.C_OpenSession(slot, CKF_SERIAL_SESSION, null, null);
        } catch (PKCS11Exception e) {
            throw new TokenException("cannot open a session on the token: " + e.getMessage() + " (无法打开令牌会话)", false, e);
        }
    }

    private static void login(PKCS11 p11, long session, TokenUri uri, char[] pin) {
        try {
            p11.C_Login(session, CKU_USER, pin);
        } catch (PKCS11Exception e) {
            long code = e.getErrorCode();
            if (code == CKR_PIN_INCORRECT || code == CKR_PIN_INVALID || code == CKR_PIN_LEN_RANGE) {
                throw new TokenException("wrong PIN for the token key " + uri.describe() + "; nothing was signed (PIN 错误，未签名)",
                        true, e);
            }
            if (code == CKR_PIN_LOCKED || code == CKR_PIN_EXPIRED) {
                throw new TokenException("the PIN of the token holding " + uri.describe() + " is "
                        + (code == CKR_PIN_LOCKED ? "locked after too many wrong tries" : "expired")
                        + ": its security officer must reset it; nothing was signed (令牌 PIN 已锁定或过期，请联系管理员重置)", false, e);
            }
            if (code == CKR_USER_ALREADY_LOGGED_IN) {
                // the PIN was not checked: another key of this process has the token open; refuse rather than trust it
                throw new TokenException("the token holding " + uri.describe() + " is already unlocked by another key in use here;"
                        + " each signer uses their own token (令牌已被其他密钥解锁，每位签字人应使用自己的令牌)", false, e);
            }
            throw new TokenException("the token refused the login: " + e.getMessage() + " (令牌拒绝登录)", false, e);
        }
    }

    /** The handle of the one private key {@code uri} names, checked to be an Ed25519 key that cannot leave the token. */
    private static long privateKey(PKCS11 p11, long session, TokenUri uri) {
        long key = find(p11, session, uri, CKO_PRIVATE_KEY, uri.object(), uri.id().orElse(null));
        requireEd25519(p11, session, key, uri);
        CK_ATTRIBUTE[] guard = {new CK_ATTRIBUTE(CKA_SENSITIVE), new CK_ATTRIBUTE(CKA_EXTRACTABLE), new CK_ATTRIBUTE(CKA_SIGN)};
        get(p11, session, key, guard, uri);
        if (!guard[0].getBoolean() || guard[1].getBoolean()) {
            throw new TokenException("the token key " + uri.describe() + " could be exported from the token (CKA_SENSITIVE false or"
                    + " CKA_EXTRACTABLE true); generate a key that is sensitive and not extractable (令牌密钥可被导出，拒绝使用)");
        }
        if (!guard[2].getBoolean()) {
            throw new TokenException("the token key " + uri.describe() + " may not sign (CKA_SIGN false) (该令牌密钥不可用于签名)");
        }
        return key;
    }

    private static void requireEd25519(PKCS11 p11, long session, long key, TokenUri uri) {
        CK_ATTRIBUTE[] attrs = {new CK_ATTRIBUTE(CKA_KEY_TYPE), new CK_ATTRIBUTE(CKA_EC_PARAMS)};
        get(p11, session, key, attrs, uri);
        long type = attrs[0].getLong();
        if (type == CKK_EC) {
            throw new TokenException("the token key " + uri.describe() + " is an ECDSA key; Custody's ledgers sign with Ed25519 or SM2,"
                    + " and a token key must be Ed25519 (CKM_EDDSA) (令牌密钥须为 Ed25519)");
        }
        if (type != CKK_EC_EDWARDS || !isEd25519(attrs[1].getByteArray())) {
            throw new TokenException("the token key " + uri.describe() + " is not an Ed25519 key (key type 0x" + Long.toHexString(type)
                    + "); generate one on edwards25519 (令牌密钥须为 Ed25519)");
        }
    }

    /** The public key object beside {@code privateKey}: the one with its CKA_ID, else the one with the URI's label and id. */
    private static PublicKey publicKeyOf(PKCS11 p11, long session, TokenUri uri, long privateKey) {
        CK_ATTRIBUTE[] id = {new CK_ATTRIBUTE(CKA_ID)};
        get(p11, session, privateKey, id, uri);
        byte[] keyId = id[0].getByteArray();
        long pub = keyId != null && keyId.length > 0
                ? find(p11, session, uri, CKO_PUBLIC_KEY, null, keyId)
                : find(p11, session, uri, CKO_PUBLIC_KEY, uri.object(), uri.id().orElse(null));
        return publicKeyAt(p11, session, pub, uri);
    }

    private static PublicKey publicKeyAt(PKCS11 p11, long session, long pub, TokenUri uri) {
        CK_ATTRIBUTE[] point = {new CK_ATTRIBUTE(CKA_EC_POINT)};
        get(p11, session, pub, point, uri);
        byte[] raw = ecPoint(point[0].getByteArray());
        try {
            return PublicKey.of(SignatureAlgorithm.ED25519, raw);
        } catch (RuntimeException e) {
            throw new TokenException("the public key beside the token key " + uri.describe() + " is not an Ed25519 key: " + e.getMessage()
                    + " (令牌公钥无效)", false, e);
        }
    }

    /** CKA_EC_POINT of an Ed25519 key: the 32 bytes, DER-wrapped in an OCTET STRING as PKCS#11 v3.0 says, or bare. */
    static byte[] ecPoint(byte[] value) {
        if (value != null && value.length == 32) {
            return value;
        }
        try {
            return ASN1OctetString.getInstance(value).getOctets();
        } catch (RuntimeException e) {
            throw new TokenException("the token's CKA_EC_POINT is neither 32 bytes nor a DER OCTET STRING (令牌公钥编码不符)", false, e);
        }
    }

    private static long find(PKCS11 p11, long session, TokenUri uri, long objectClass, String label, byte[] id) {
        List<CK_ATTRIBUTE> template = new ArrayList<>();
        template.add(new CK_ATTRIBUTE(CKA_CLASS, objectClass));
        if (label != null) {
            template.add(new CK_ATTRIBUTE(CKA_LABEL, label.getBytes(StandardCharsets.UTF_8)));
        }
        if (id != null) {
            template.add(new CK_ATTRIBUTE(CKA_ID, id));
        }
        long[] found;
        try {
            p11.C_FindObjectsInit(session, template.toArray(CK_ATTRIBUTE[]::new));
            try {
                found = p11.C_FindObjects(session, 2);
            } finally {
                p11.C_FindObjectsFinal(session);
            }
        } catch (PKCS11Exception e) {
            throw new TokenException("cannot search the token for " + uri.describe() + ": " + e.getMessage() + " (无法查找令牌对象)", false, e);
        }
        String what = objectClass == CKO_PRIVATE_KEY ? "private key" : "public key";
        if (found.length == 0) {
            throw new TokenException("the token holds no " + what + " " + uri.describe() + "; 'pkcs11-tool --list-objects' shows what it"
                    + " holds (令牌中没有该密钥)");
        }
        if (found.length > 1) {
            throw new TokenException("the token holds more than one " + what + " matching " + uri.describe() + "; name it by object=LABEL"
                    + " and id=HEX (令牌中有多个匹配的密钥)");
        }
        return found[0];
    }

    private static void get(PKCS11 p11, long session, long object, CK_ATTRIBUTE[] attrs, TokenUri uri) {
        try {
            p11.C_GetAttributeValue(session, object, attrs);
        } catch (PKCS11Exception e) {
            throw new TokenException("cannot read the attributes of the token key " + uri.describe() + ": " + e.getMessage()
                    + " (无法读取令牌密钥属性)", false, e);
        }
    }

    private static boolean isEd25519(byte[] params) {
        return Arrays.equals(params, ED25519_OID) || Arrays.equals(params, ED25519_NAME);
    }

    private static boolean matches(String wanted, String actual) {
        return wanted == null || wanted.equals(actual);
    }

    private static String trim(char[] padded) {
        return padded == null ? "" : new String(padded).stripTrailing();
    }

    static void closeQuietly(PKCS11 p11, long session) {
        try {
            p11.C_CloseSession(session);
        } catch (PKCS11Exception e) {
            // nothing more to do: the session is gone either way
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
