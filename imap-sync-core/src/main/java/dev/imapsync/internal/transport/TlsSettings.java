package dev.imapsync.internal.transport;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The one definition of how imap-sync speaks TLS: TLS 1.2 or 1.3 only, the certificate chain
 * verified against the JDK's trust anchors plus the certificates one account explicitly
 * trusts, and the host name verified during the handshake. There is no way to turn
 * verification off.
 */
public final class TlsSettings {
    /** The protocols imap-sync enables. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The host name check used by the JDK during the handshake (the one Angus uses too). */
    public static final String ENDPOINT_IDENTIFICATION = "LDAPS";

    private final SSLSocketFactory socketFactory;

    private TlsSettings(SSLSocketFactory socketFactory) {
        this.socketFactory = socketFactory;
    }

    /**
     * Settings that trust the JDK's default trust anchors and, in addition, the given
     * certificates (for this account only).
     */
    public static TlsSettings trusting(List<X509Certificate> extraTrusted) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers(extraTrusted), null);
            return new TlsSettings(context.getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's TLS support is not usable: " + e.getMessage(), e);
        }
    }

    /** The socket factory, for Jakarta Mail's {@code ssl.socketFactory} property. */
    public SSLSocketFactory socketFactory() {
        return socketFactory;
    }

    /**
     * Layers TLS over a connected socket (implicit TLS right after connect, or after STARTTLS)
     * and completes the handshake, verifying chain and host name.
     */
    public SSLSocket handshake(Socket plain, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) socketFactory.createSocket(plain, host, port, true);
        SSLParameters params = ssl.getSSLParameters();
        params.setProtocols(PROTOCOLS.toArray(String[]::new));
        params.setEndpointIdentificationAlgorithm(ENDPOINT_IDENTIFICATION);
        if (!isIpLiteral(host)) {
            params.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static TrustManager[] trustManagers(List<X509Certificate> extraTrusted) throws GeneralSecurityException {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        if (extraTrusted.isEmpty()) {
            return defaults.getTrustManagers();
        }
        // One trust store: the JDK's anchors plus the account's own certificates. Verification
        // (chain, validity, host name) stays the JDK's, only the set of anchors grows.
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty trust store", e);
        }
        int n = 0;
        for (TrustManager tm : defaults.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                for (X509Certificate anchor : ((X509TrustManager) tm).getAcceptedIssuers()) {
                    anchors.setCertificateEntry("jdk-" + n++, anchor);
                }
            }
        }
        for (X509Certificate certificate : extraTrusted) {
            anchors.setCertificateEntry("account-" + n++, certificate);
        }
        TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        combined.init(anchors);
        return combined.getTrustManagers();
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        return host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
