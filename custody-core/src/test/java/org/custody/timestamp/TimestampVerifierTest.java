package org.custody.timestamp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.custody.failure.MalformedInputException;
import org.custody.testing.Scratch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 3161 tokens from a local Bouncy Castle TSA, requested over HTTP and checked against test PKIs. */
class TimestampVerifierTest {
    static final Instant NOW = Instant.parse("2026-12-07T08:30:00Z");
    static final byte[] TEXT = "custody/ledger/HN-ZSB-2021\n13\nwMEonwBgX419h4C59CZMc2zPuEzpFwjCsn5kJr/H2Kg=\n"
            .getBytes(StandardCharsets.UTF_8);
    static TestPki pki;
    static TestPki other;
    static LocalTsa tsa;

    @BeforeAll
    static void start() throws Exception {
        pki = TestPki.generate("Custody test");
        other = TestPki.generate("Untrusted");
        tsa = LocalTsa.start(pki.tsa(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    @Test
    void stamp_byTheLocalTsa_verifiesUnderItsRoot_atTheTsasTime() {
        TimestampToken token = TsaClient.of(tsa.url()).stamp(TEXT);
        VerifiedTimestamp t = TimestampVerifier.of(List.of(pki.root())).verify(token, TEXT);
        assertEquals(NOW, t.time());
        assertTrue(t.tsa().contains("Custody test TSA"), t.tsa());
        assertEquals(token, TimestampToken.parse(token.bytes()), "a token round-trips through its bytes");
        assertArrayEquals(token.bytes(), TimestampToken.parse(token.bytes()).bytes());
    }

    @Test
    void verify_theTsaCertificateItselfAsAnchor_verifies() {
        TimestampToken token = TsaClient.of(tsa.url()).stamp(TEXT);
        assertEquals(NOW, TimestampVerifier.of(List.of(pki.tsa().certificate())).verify(token, TEXT).time());
    }

    @Test
    void verify_anotherText_isImprintMismatch() {
        TimestampToken token = TsaClient.of(tsa.url()).stamp(TEXT);
        byte[] other = "custody/ledger/HN-ZSB-2021\n14\nwMEonwBgX419h4C59CZMc2zPuEzpFwjCsn5kJr/H2Kg=\n".getBytes(StandardCharsets.UTF_8);
        TimestampVerificationException e = assertThrows(TimestampVerificationException.class,
                () -> TimestampVerifier.of(List.of(pki.root())).verify(token, other));
        assertEquals(TimestampVerificationException.Reason.IMPRINT_MISMATCH, e.reason());
        assertEquals(TimestampVerificationException.Reason.IMPRINT_MISMATCH,
                assertThrows(TimestampVerificationException.class, () -> token.checkImprint(other)).reason());
    }

    @Test
    void verify_underAnotherRoot_isUntrusted() {
        TimestampToken token = TsaClient.of(tsa.url()).stamp(TEXT);
        TimestampVerificationException e = assertThrows(TimestampVerificationException.class,
                () -> TimestampVerifier.of(List.of(other.root())).verify(token, TEXT));
        assertEquals(TimestampVerificationException.Reason.UNTRUSTED, e.reason());
        assertTrue(e.getMessage().contains("时间戳校验失败"), e.getMessage());
    }

    @Test
    void verify_aTokenOfAnUntrustedTsa_isUntrusted() throws Exception {
        try (LocalTsa rogue = LocalTsa.start(other.tsa(), Clock.fixed(NOW, ZoneOffset.UTC))) {
            TimestampToken token = TsaClient.of(rogue.url()).stamp(TEXT);
            assertEquals(TimestampVerificationException.Reason.UNTRUSTED, assertThrows(TimestampVerificationException.class,
                    () -> TimestampVerifier.of(List.of(pki.root())).verify(token, TEXT)).reason());
        }
    }

    @Test
    void verify_aTamperedSignature_isRefused() {
        byte[] bytes = TsaClient.of(tsa.url()).stamp(TEXT).bytes();
        // the ECDSA signature is the token's last element: change one of its last bytes (an INTEGER's content)
        bytes[bytes.length - 3] ^= 0x01;
        TimestampToken token;
        try {
            token = TimestampToken.parse(bytes);
        } catch (MalformedInputException e) {
            return; // refused as malformed: also fail-closed
        }
        TimestampToken tampered = token;
        assertEquals(TimestampVerificationException.Reason.BAD_SIGNATURE, assertThrows(TimestampVerificationException.class,
                () -> TimestampVerifier.of(List.of(pki.root())).verify(tampered, TEXT)).reason());
    }

    @Test
    void parse_trailingBytes_orGarbage_isMalformed() {
        byte[] bytes = TsaClient.of(tsa.url()).stamp(TEXT).bytes();
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedInputException.class, () -> TimestampToken.parse(longer));
        assertThrows(MalformedInputException.class, () -> TimestampToken.parse(new byte[] {0x30, 0x00}));
        assertThrows(MalformedInputException.class, () -> TimestampToken.parse(new byte[0]));
    }

    @Test
    void stamp_aTsaThatFails_isUnavailable_inBothLanguages() {
        tsa.failing(true);
        try {
            TimestampUnavailableException e = assertThrows(TimestampUnavailableException.class,
                    () -> TsaClient.of(tsa.url()).stamp(TEXT));
            assertTrue(e.getMessage().contains("HTTP status 500") && e.getMessage().contains("时间戳服务"), e.getMessage());
        } finally {
            tsa.failing(false);
        }
        assertThrows(TimestampUnavailableException.class, () -> TsaClient.of("http://127.0.0.1:1/tsa").stamp(TEXT));
    }

    @Test
    void of_aUrlThatIsNotHttp_isMalformed() {
        assertThrows(MalformedInputException.class, () -> TsaClient.of("ftp://tsa.example/"));
        assertThrows(MalformedInputException.class, () -> TsaClient.of("tsa.example"));
    }

    @Test
    void readPem_aChainFile_trustsEachCertificate_andAnEmptyFileIsRefused() throws Exception {
        try (Scratch scratch = new Scratch()) {
            Path chain = Files.writeString(scratch.file("chain.pem"), TestPki.pem(List.of(pki.tsa().certificate(), pki.root())));
            TimestampToken token = TsaClient.of(tsa.url()).stamp(TEXT);
            assertEquals(NOW, TimestampVerifier.readPem(chain).verify(token, TEXT).time());
            Path empty = Files.writeString(scratch.file("empty.pem"), "");
            MalformedInputException e = assertThrows(MalformedInputException.class, () -> TimestampVerifier.readPem(empty));
            assertTrue(e.getMessage().contains("没有证书"), e.getMessage());
        }
    }
}
