package io.vigil.common.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys for audit checkpoints, in the PEM files {@code openssl genpkey -algorithm ed25519}
 * writes (PKCS#8 private, X.509 public), so a key can be made and rotated with standard tools. The
 * JDK has Ed25519 since 15, so no library is needed.
 */
public final class AuditKeys {
    static final String ALGORITHM = "Ed25519";

    private AuditKeys() {}

    /** A private key and the id of its public half. */
    public record Signer(PrivateKey key, String keyId) {
        public byte[] sign(byte[] message) {
            try {
                Signature s = Signature.getInstance(ALGORITHM);
                s.initSign(key);
                s.update(message);
                return s.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign an audit checkpoint", e);
            }
        }
    }

    /** A new key pair (for {@code vigil audit keygen} and local stacks). */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /**
     * Writes {@code dir/audit-signing.pem} (owner-only) and {@code dir/audit-signing.pub.pem};
     * returns the private key's path.
     */
    public static Path write(KeyPair pair, Path dir) {
        try {
            Files.createDirectories(dir);
            Path priv = dir.resolve("audit-signing.pem");
            Files.deleteIfExists(priv);
            Files.createFile(priv);
            try {
                Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system; the directory's permissions are all there is.
            }
            Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(
                    dir.resolve("audit-signing.pub.pem"),
                    pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            return priv;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audit keys to " + dir, e);
        }
    }

    /** The public key file that {@link #write} puts beside a private key file. */
    public static Path publicKeyBeside(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
        return privateKey.resolveSibling(base + ".pub.pem");
    }

    /**
     * Reads a PKCS#8 PEM private key.
     *
     * @param setting the setting that named the file, for the error
     */
    public static Signer signer(Path file, String setting) {
        try {
            PrivateKey key =
                    KeyFactory.getInstance(ALGORITHM)
                            .generatePrivate(
                                    new PKCS8EncodedKeySpec(der(file, "PRIVATE KEY", setting)));
            return new Signer(key, keyId(publicOf(key)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    setting + ": " + file + " is not an Ed25519 private key: " + e.getMessage(), e);
        }
    }

    /** Reads an X.509 PEM public key. */
    public static PublicKey publicKey(Path file) {
        try {
            return KeyFactory.getInstance(ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(der(file, "PUBLIC KEY", "public key")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    file + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** The first 16 hex digits of the SHA-256 of the public key's X.509 encoding. */
    public static String keyId(PublicKey key) {
        return HexFormat.of().formatHex(sha256(key.getEncoded()), 0, 8);
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(message);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The public half of an Ed25519 private key. PKCS#8 v1 files (what openssl writes) do not carry
     * it and the JDK has no call for it, so the key pair is generated again from the private seed.
     */
    private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
        byte[] seed =
                ((EdECPrivateKey) key)
                        .getBytes()
                        .orElseThrow(() -> new InvalidKeyException("no private key bytes"));
        KeyPairGenerator g = KeyPairGenerator.getInstance(ALGORITHM);
        g.initialize(
                NamedParameterSpec.ED25519,
                new SecureRandom() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public void nextBytes(byte[] bytes) {
                        System.arraycopy(seed, 0, bytes, 0, bytes.length);
                    }
                });
        KeyPair pair = g.generateKeyPair();
        if (!Arrays.equals(((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(), seed)) {
            throw new InvalidKeyException("cannot derive the public key");
        }
        return pair.getPublic();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN "
                + type
                + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END "
                + type
                + "-----\n";
    }

    private static byte[] der(Path file, String type, String setting) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    setting + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalArgumentException(
                    setting + ": " + file + " is not a PEM file with a " + type + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
    }
}
