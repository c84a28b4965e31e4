package io.vigil.index.milvus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.index.TestVectors;
import io.vigil.index.WatchlistEntry;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Milvus over TLS with the real SDK and real gRPC: the watchlist is reached over https only when
 * the configured certificate vouches for the server; an unknown certificate or plain http fails.
 * The key pair is made by the JDK's own keytool, so the test needs nothing outside the JDK.
 */
class MilvusTlsTest {
    static final int DIM = 8;
    @TempDir static Path dir;
    static MilvusTestServer server;
    static Path trusted;
    static Path stranger;

    static KeyStore keyPair(String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                name,
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-dname",
                                "CN=localhost",
                                "-ext",
                                "SAN=ip:127.0.0.1,dns:localhost",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                "changeit")
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        return ks;
    }

    static Path pem(KeyStore ks, String name) throws Exception {
        Certificate cert = ks.getCertificate(name);
        Path file = dir.resolve(name + ".pem");
        Files.writeString(
                file,
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(cert.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    @BeforeAll
    static void start() throws Exception {
        KeyStore milvus = keyPair("milvus");
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(milvus, "changeit".toCharArray());
        server = MilvusTestServer.startTls(kmf);
        trusted = pem(milvus, "milvus");
        stranger = pem(keyPair("stranger"), "stranger");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theWatchlistIsReachedOverTlsWhenTheCertificateIsTrusted() {
        MilvusSettings s =
                MilvusSettings.defaults(server.uri(), DIM)
                        .withCollection("tls")
                        .withTrustedCert(trusted.toString());
        assertThat(server.uri()).startsWith("https://");
        try (MilvusVectorIndex index = MilvusVectorIndex.connect(s)) {
            index.upsert(
                    new WatchlistEntry(
                            "entry-1",
                            "ext-1",
                            "tester",
                            Instant.now(),
                            "CASE-1",
                            Instant.now().plusSeconds(3600),
                            "model-a",
                            List.of("missing persons")),
                    "f1",
                    TestVectors.gaussian(DIM, new Random(1)));
            assertThat(index.faceCount()).isEqualTo(1);
        }
        assertThat(server.rows("tls")).isEqualTo(1);
    }

    @Test
    void anUntrustedCertificateOrPlainHttpIsRefused() {
        // A refused handshake is retried until the connect timeout: a short one keeps this quick.
        MilvusSettings untrusted =
                MilvusSettings.defaults(server.uri(), DIM)
                        .withCollection("tls_refused")
                        .withTrustedCert(stranger.toString());
        assertThatThrownBy(() -> MilvusVectorIndex.connect(untrusted, 1_000).close())
                .isInstanceOf(RuntimeException.class);
        MilvusSettings plain =
                MilvusSettings.defaults(server.uri().replace("https://", "http://"), DIM)
                        .withCollection("tls_refused");
        assertThatThrownBy(() -> MilvusVectorIndex.connect(plain, 1_000).close())
                .isInstanceOf(RuntimeException.class);
        assertThat(server.rows("tls_refused")).isZero();
        assertThatThrownBy(
                        () ->
                                MilvusSettings.defaults("http://milvus:19530", DIM)
                                        .withTrustedCert(trusted.toString()))
                .hasMessageContaining("https://");
    }
}
