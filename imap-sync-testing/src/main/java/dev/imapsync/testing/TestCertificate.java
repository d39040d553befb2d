package dev.imapsync.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * A self-signed server certificate and its private key, made at test time.
 *
 * <p>The certificate is an EC P-256 leaf (CA=false, key usage digitalSignature, extended key
 * usage serverAuth), valid from one day ago for ten years, with CN = the first name and one
 * subjectAltName per name: an iPAddress entry for IP literals, a dNSName entry otherwise. The
 * JDK's PKIX trust manager accepts it as a trust anchor when it is itself in the trust store,
 * and checks host names against its subjectAltNames as it would for a real server.
 *
 * <p>Instances are immutable and thread-safe. Key generation takes a few milliseconds; tests
 * that only need "a certificate for localhost" share {@link TestCertificates#localhost()}.
 * Only the JDK's own providers are used: no BouncyCastle provider is registered.
 */
public final class TestCertificate {

    /** The alias of the key entry in {@link #keyStore(char[])}. */
    public static final String KEY_ALIAS = "server";

    /** The TLS versions the fixtures' server sockets enable. */
    static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(3653);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<String> names;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private TestCertificate(List<String> names, X509Certificate certificate, PrivateKey privateKey) {
        this.names = names;
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /**
     * Makes a new key pair and a self-signed certificate for the given host names and IP
     * literals; the first one is also the subject's CN.
     */
    public static TestCertificate selfSigned(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("give at least one host name or IP literal");
        }
        List<String> nameList = List.of(names);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keyPair = generator.generateKeyPair();
            return new TestCertificate(nameList, sign(nameList, keyPair), keyPair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a test certificate for " + nameList, e);
        }
    }

    private static X509Certificate sign(List<String> names, KeyPair keyPair)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, names.get(0))
                .addRDN(BCStyle.O, "imap-sync tests")
                .build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(BACKDATE)),
                Date.from(now.plus(VALIDITY)),
                subject,
                keyPair.getPublic());
        GeneralName[] altNames = names.stream()
                .map(name -> IPAddress.isValid(name)
                        ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name))
                .toArray(GeneralName[]::new);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames))
                .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keyPair.getPublic()));
        var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    /** The names the certificate was issued for, in the order given. */
    public List<String> names() {
        return names;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The certificate as PEM text ({@code -----BEGIN CERTIFICATE-----} ...). */
    public String pem() {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the certificate as PEM", e);
        }
        return text.toString();
    }

    /** Writes {@link #pem()} to {@code file} and returns the file. */
    public Path writePem(Path file) {
        try {
            return Files.writeString(file, pem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * A PKCS12 key store holding the private key and certificate under {@link #KEY_ALIAS},
     * the key protected by the same password as the store.
     */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, privateKey, password, new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key store for " + names, e);
        }
    }

    /** Writes {@link #keyStore(char[])} to {@code file} and returns the file. */
    public Path writePkcs12(Path file, char[] password) {
        try (OutputStream out = Files.newOutputStream(file)) {
            keyStore(password).store(out, password);
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode the key store for " + names, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A PKCS12 trust store holding only this certificate, as a trusted certificate entry. */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry(KEY_ALIAS, certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store for " + names, e);
        }
    }

    /**
     * A new server-side TLS context presenting this certificate. The fixtures enable
     * TLSv1.3 and TLSv1.2 on the sockets they make from it.
     */
    public SSLContext serverSslContext() {
        try {
            char[] password = "unused".toCharArray();
            KeyManagerFactory keyManagers =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore(password), password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a server TLS context for " + names, e);
        }
    }

    /**
     * A new client-side TLS context whose PKIX trust manager trusts this certificate and
     * nothing else (not the JDK's cacerts). Host names are checked only where the socket's
     * {@code SSLParameters} ask for it; meant for the fixtures' own tests.
     */
    public SSLContext clientSslContextTrustingOnlyThis() {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
            trustManagers.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a client TLS context for " + names, e);
        }
    }

    @Override
    public String toString() {
        return "TestCertificate" + names;
    }
}
