package org.custody.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.custody.ledger.Head;
import org.custody.ledger.Ledger;
import org.custody.record.Entry;
import org.custody.server.ApiRole;
import org.custody.server.CustodyServer;
import org.custody.server.ServerConfig;
import org.custody.server.Tokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sun.security.pkcs11.wrapper.CK_ATTRIBUTE;
import sun.security.pkcs11.wrapper.CK_TOKEN_INFO;
import sun.security.pkcs11.wrapper.PKCS11;
import sun.security.pkcs11.wrapper.PKCS11Exception;

/**
 * A key on a SoftHSM2 token through the real command line: its public key read from the token, enrolled (the token signs
 * its own enrolment), a handoff signed with it on a real ledger and verified, another signed with it through a server
 * ({@code custody sign --key URI}), a wrong PIN refused with nothing stored,
 * the key revoked and then refused; keys that could leave the token, or are not Ed25519, are refused; and the token
 * will not hand out the private key. (One ledger for the whole story: making one is most of the time spent.)
 */
class TokenKeyCliTest {
    private static final String BAG = "HN-ZSB-2021.K01.01.S1.ENG.ANS";
    private static final Pattern KEY_LINE = Pattern.compile("key ([0-9a-f]{32}) \\(ed25519\\) on a token\\R.*", Pattern.DOTALL);
    private static final long CKR_ATTRIBUTE_SENSITIVE = 0x11;

    private static Path module;

    @TempDir
    Path dir;

    @BeforeAll
    static void tokens() {
        module = SoftHsm.tokens();
    }

    @Test
    void tokenKey_enrolledSignsAHandoffVerifiesThenRevokedIsRefused() throws Exception {
        Path ledger = Cli.vaultExam(dir);
        Path keys = dir.resolve("keys");
        Path pin = Cli.secret(dir.resolve("P007.pin"), SoftHsm.P007_PIN + "\n");
        Path wrongPin = Cli.secret(dir.resolve("wrong.pin"), "0000-bad\n");
        String uri = SoftHsm.uri(SoftHsm.P007);
        List<String> token = List.of("--key", "P007=" + uri, "--pkcs11-module", module.toString());

        // the public key, read from the token without a PIN
        Cli.Result show = Cli.run("", "keys", "show", uri, "--pkcs11-module", module.toString(), "--ledger", ledger.toString());
        assertEquals(0, show.status(), show.toString());
        Matcher m = KEY_LINE.matcher(show.out());
        assertTrue(m.matches(), show.out());
        String keyId = m.group(1);
        assertTrue(show.out().contains("not enrolled in HN-ZSB-2021"), show.out());

        // a key that could leave its token is refused, nothing stored
        Path loosePin = Cli.secret(dir.resolve("loose.pin"), SoftHsm.PIN + "\n");
        Head fresh = head(ledger);
        Cli.Result extractable = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006"), "keys", "rotate", "--ledger", ledger.toString(),
                "--person", "P007", "--new-key", SoftHsm.uri(SoftHsm.LOOSE), "--sponsor", "P006", "--pkcs11-module", module.toString(),
                "--pin-file", "P007=" + loosePin));
        assertEquals(2, extractable.status(), extractable.toString());
        assertTrue(extractable.err().contains("could be exported from the token") && extractable.err().contains("令牌密钥可被导出"),
                extractable.err());
        assertEquals(fresh, head(ledger), "nothing stored");

        // enrolled: P007's key file is replaced by the token key, which signs its own enrolment with its PIN
        Cli.Result rotate = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006"), "keys", "rotate", "--ledger", ledger.toString(),
                "--person", "P007", "--new-key", uri + "?module-path=" + module, "--sponsor", "P006", "--pin-file", "P007=" + pin));
        assertEquals(0, rotate.status(), rotate.toString());
        assertEquals("enrolled key " + keyId + " for P007 李红秀 (sponsor P006)", rotate.lines().get(0), rotate.out());

        // a wrong PIN: refused, bilingual, nothing stored
        String[] vaultIn = {"handoff", "--ledger", ledger.toString(), "--step", "vault_in", "--from", "P006", "--to", "P007",
                "--witness", "P009", "--place", "VAULT", "--at", "2021-06-09 04:00", "--bag", BAG};
        Head before = head(ledger);
        Cli.Result wrong = Cli.run("", Cli.args(concat(Cli.signerArgs(keys, "P006", "P009"), token, List.of("--pin-file",
                "P007=" + wrongPin)), vaultIn));
        assertEquals(2, wrong.status(), wrong.toString());
        assertTrue(wrong.err().contains("wrong PIN for the token key token=custody-P007;object=signing")
                && wrong.err().contains("PIN 错误") && wrong.err().contains("P007 李红秀"), wrong.err());
        assertFalse(wrong.err().contains("0000-bad"), "a PIN is never shown");
        assertEquals(before, head(ledger), "nothing stored after a wrong PIN");

        // the handoff, signed on the token with the PIN asked like a passphrase (standard input here), recorded and verified
        Cli.Result handoff = Cli.run(SoftHsm.P007_PIN + "\n", Cli.args(concat(Cli.signerArgs(keys, "P006", "P009"), token,
                List.of()), vaultIn));
        assertEquals(0, handoff.status(), handoff.toString());
        assertTrue(handoff.out().startsWith("recorded entry #"), handoff.out());
        try (Ledger l = Ledger.open(ledger)) {
            Entry last = l.entriesOfType("handoff").get(l.entriesOfType("handoff").size() - 1);
            assertTrue(last.signatures().stream().anyMatch(s -> s.key().toString().equals(keyId)), "P007 signed with the token key");
        }
        assertIntact(ledger);

        // through a server: P006 and P009 open the next handoff, P007 signs it on their own device with the token
        signThroughAServer(ledger, keys, uri, pin);

        // revoked: the token key can sign no more
        Cli.Result revoke = Cli.run("", Cli.args(Cli.signerArgs(keys, "P006", "P009"), "keys", "revoke", "--ledger",
                ledger.toString(), "--key-id", keyId, "--reason", "token lost", "--by", "P006", "--by", "P009"));
        assertEquals(0, revoke.status(), revoke.toString());
        Head revoked = head(ledger);
        Cli.Result after = Cli.run("", Cli.args(concat(Cli.signerArgs(keys, "P006"), token, List.of("--pin-file", "P007=" + pin)),
                "bags", "import", "--ledger", ledger.toString(), "--plan", dir.resolve("plan.csv").toString(), "--by", "P006",
                "--by", "P007"));
        assertEquals(2, after.status(), after.toString());
        assertTrue(after.err().contains("I05") && after.err().contains("was revoked from"), after.err());
        assertEquals(revoked, head(ledger));
        assertIntact(ledger);
    }

    @Test
    void tokenKey_ecdsaOrMissingOrPinInUri_refusedNamingWhy() {
        Cli.Result ecdsa = Cli.run("", "keys", "show", SoftHsm.uri(SoftHsm.ECDSA), "--pkcs11-module", module.toString());
        assertEquals(2, ecdsa.status(), ecdsa.toString());
        assertTrue(ecdsa.err().contains("is an ECDSA key") && ecdsa.err().contains("令牌密钥须为 Ed25519"), ecdsa.err());

        Cli.Result absent = Cli.run("", "keys", "show", "pkcs11:token=no-such-token;object=signing", "--pkcs11-module", module.toString());
        assertEquals(2, absent.status(), absent.toString());
        assertTrue(absent.err().contains("no token matching token=no-such-token;object=signing") && absent.err().contains(SoftHsm.P007)
                && absent.err().contains("未找到匹配的令牌"), absent.err());

        Cli.Result pinInUri = Cli.run("", "keys", "show", SoftHsm.uri(SoftHsm.P007) + "?pin-value=1234");
        assertEquals(2, pinInUri.status(), pinInUri.toString());
        assertTrue(pinInUri.err().contains("never written in a key reference"), pinInUri.err());

        Cli.Result noModule = Cli.run("", "keys", "show", SoftHsm.uri(SoftHsm.P007));
        assertTrue(System.getenv(SignerOptions.MODULE_ENV) != null || noModule.err().contains("no PKCS#11 module"), noModule.err());
    }

    /** What the token itself says, and does, when asked for the private key: sensitive, never extractable, value refused. */
    @Test
    void tokenKey_privatePartIsNotExtractable() throws Exception {
        PKCS11 p11 = PKCS11.getInstance(module.toString(), "C_GetFunctionList", null, false);
        long slot = -1;
        for (long s : p11.C_GetSlotList(true)) {
            CK_TOKEN_INFO info = p11.C_GetTokenInfo(s);
            if (new String(info.label).strip().equals(SoftHsm.P007)) {
                slot = s;
            }
        }
        long session = p11.C_OpenSession(slot, 0x4, null, null);
        try {
            p11.C_Login(session, 1, SoftHsm.P007_PIN.toCharArray());
            p11.C_FindObjectsInit(session, new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(0x0, 3L),
                new CK_ATTRIBUTE(0x3, "signing".getBytes(StandardCharsets.UTF_8))});
            long[] found = p11.C_FindObjects(session, 2);
            p11.C_FindObjectsFinal(session);
            assertEquals(1, found.length);
            CK_ATTRIBUTE[] flags = {new CK_ATTRIBUTE(0x103), new CK_ATTRIBUTE(0x162), new CK_ATTRIBUTE(0x165)};
            p11.C_GetAttributeValue(session, found[0], flags);
            assertTrue(flags[0].getBoolean(), "CKA_SENSITIVE");
            assertFalse(flags[1].getBoolean(), "CKA_EXTRACTABLE");
            assertTrue(flags[2].getBoolean(), "CKA_NEVER_EXTRACTABLE");
            PKCS11Exception refused = assertThrows(PKCS11Exception.class,
                    () -> p11.C_GetAttributeValue(session, found[0], new CK_ATTRIBUTE[] {new CK_ATTRIBUTE(0x11)}));
            assertEquals(CKR_ATTRIBUTE_SENSITIVE, refused.getErrorCode(), refused.getMessage());
        } finally {
            try {
                p11.C_Logout(session);
            } finally {
                p11.C_CloseSession(session);
            }
        }
    }

    /** The distribution of the bag opened on a server by P006 and P009, then signed by P007 with {@code custody sign --key URI}. */
    private void signThroughAServer(Path ledger, Path keys, String uri, Path pin) throws Exception {
        String secret = Tokens.newToken();
        Path tokens = Files.write(dir.resolve("tokens"), List.of(Tokens.line(secret, EnumSet.of(ApiRole.OFFICER), "desk", Set.of("*"))));
        Path officerToken = Cli.secret(dir.resolve("officer.token"), secret + "\n");
        try (CustodyServer server = CustodyServer.start(new ServerConfig(ledger, "127.0.0.1", 0, tokens, Duration.ofMinutes(15),
                1 << 20, 100, false))) {
            String url = "http://127.0.0.1:" + server.port();
            Cli.Result opened = Cli.run("", "handoff", "--server", url, "--token-file", officerToken.toString(), "--step", "distribute",
                    "--from", "P007", "--to", "P006", "--witness", "P009", "--place", "VAULT", "--at", "2021-06-09 06:00", "--bag", BAG,
                    "--key", "P006=" + keys.resolve("P006.key"), "--passphrase-file", "P006=" + keys.resolve("P006.pass"),
                    "--key", "P009=" + keys.resolve("P009.key"), "--passphrase-file", "P009=" + keys.resolve("P009.pass"));
            Matcher draft = RemoteCliTest.DRAFT.matcher(opened.out());
            assertTrue(draft.find(), opened.toString());
            assertTrue(opened.out().contains("still to sign: P007 李红秀"), opened.out());
            Cli.Result signed = Cli.run("", "sign", "--server", url, "--token-file", officerToken.toString(), draft.group(1), "--key", uri,
                    "--pkcs11-module", module.toString(), "--pin-file", pin.toString(), "--yes");
            // stored with the exam's one rule finding (two staff at a distribution, R02: recorded, exit 1), signed by the token
            assertEquals(1, signed.status(), signed.toString());
            assertTrue(signed.err().contains("signed by P007 李红秀"), signed.err());
            assertTrue(signed.out().startsWith("recorded entry #8 ") && signed.out().contains("signed by P007 李红秀, P006 郝桂兰, P009 邱国英")
                    && signed.out().contains("recorded with 1 custody-rule finding") && signed.out().contains("R02 "), signed.out());
        }
    }

    /**
     * Every signature verifies and the chain holds: the sample exam's own rule findings (a timetable signed by one
     * officer, a vault not inspected since) are exit 1, an integrity finding (I01-I12) would be exit 3.
     */
    private static void assertIntact(Path ledger) {
        Cli.Result verify = Cli.run("", "verify", ledger.toString());
        assertEquals(1, verify.status(), verify.toString());
        assertTrue(verify.out().contains("intact with rule findings") && !verify.out().matches("(?s).*\\bI[01][0-9]\\b.*"),
                verify.out());
    }

    private static Head head(Path ledger) {
        try (Ledger l = Ledger.open(ledger)) {
            return l.head();
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        return java.util.stream.Stream.of(a, b, c).flatMap(List::stream).toList();
    }
}
