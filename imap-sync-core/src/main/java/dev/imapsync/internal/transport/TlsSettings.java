package dev.imapsync.internal.transport;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *
 * <p>Connections use {@link #forAccount}: a TLS context of the account's own, kept between its
 * connections, so that the next connection to its server resumes the TLS session
 * (RFC 8446 §2.2) instead of checking the server's certificate chain and signature again. On a
 * node that syncs thousands of accounts, that check (and building the trust managers for each
 * connection) was most of the CPU a no-change sync needed (benchmarks/README.md, "Many
 * accounts"). The context is the account's own, not one per server: the JDK's client keeps one
 * session ticket per host and port and uses a ticket once, so accounts sharing a server (all of
 * a node's Gmail accounts) would take each other's ticket and most connections would find none.
 * A session resumes only with the server that holds its secret, within the account that
 * verified it, so no account is let in by anchors it does not trust itself. The trust managers
 * are shared by every account that trusts the same certificates.
 */
public final class TlsSettings {
    /** The protocols imap-sync enables. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The host name check used by the JDK during the handshake (the one Angus uses too). */
    public static final String ENDPOINT_IDENTIFICATION = "LDAPS";

    /**
     * How many accounts keep their TLS context (about 1 KB each, plus the session it holds); past
     * that, the least recently connected account's goes, and its next connection does a full
     * handshake.
     */
    static final int ACCOUNT_CONTEXTS = 20_000;
    /** How many distinct sets of extra trusted certificates keep their trust managers. */
    static final int TRUST_SETS = 256;
    /** Sessions an account's context keeps: one per endpoint it connected to (a probe tries a few). */
    private static final int SESSIONS_PER_ACCOUNT = 8;

    private static final Map<AccountKey, TlsSettings> ACCOUNTS = lru(ACCOUNT_CONTEXTS);
    private static final Map<List<X509Certificate>, TrustManager[]> TRUST = lru(TRUST_SETS);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An account's context is found by its id and the certificates it trusts (compared by their encoding). */
    private record AccountKey(String accountId, List<X509Certificate> trusted) {
    }

    private final SSLSocketFactory socketFactory;

    private TlsSettings(SSLSocketFactory socketFactory) {
        this.socketFactory = socketFactory;
    }

    /**
     * Settings that trust the JDK's default trust anchors and, in addition, the given
     * certificates (for this account only), in a TLS context of their own: every handshake
     * through them checks the server's certificate in full.
     */
    public static TlsSettings trusting(List<X509Certificate> extraTrusted) {
        try {
            return context(trustManagers(extraTrusted), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's TLS support is not usable: " + e.getMessage(), e);
        }
    }

    /**
     * The account's settings, kept between its connections (up to {@link #ACCOUNT_CONTEXTS}
     * accounts): as {@link #trusting}, with a session cache of the account's own, so that its
     * next connection to the same endpoint resumes the TLS session. An account whose trusted
     * certificates changed gets a new context. Thread-safe.
     */
    public static TlsSettings forAccount(String accountId, List<X509Certificate> extraTrusted) {
        AccountKey key = new AccountKey(accountId, List.copyOf(extraTrusted));
        synchronized (ACCOUNTS) {
            TlsSettings known = ACCOUNTS.get(key);
            if (known != null) {
                return known;
            }
        }
        TlsSettings made;
        try {
            made = context(sharedTrustManagers(key.trusted()), RANDOM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK's TLS support is not usable: " + e.getMessage(), e);
        }
        synchronized (ACCOUNTS) {
            return ACCOUNTS.computeIfAbsent(key, k -> made);
        }
    }

    private static TlsSettings context(TrustManager[] trust, SecureRandom random) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust, random);
        context.getClientSessionContext().setSessionCacheSize(SESSIONS_PER_ACCOUNT);
        return new TlsSettings(context.getSocketFactory());
    }

    /** The trust managers for a set of extra certificates, made once: the JDK's keep their validator. */
    private static TrustManager[] sharedTrustManagers(List<X509Certificate> extraTrusted)
            throws GeneralSecurityException {
        synchronized (TRUST) {
            TrustManager[] known = TRUST.get(extraTrusted);
            if (known != null) {
                return known;
            }
        }
        TrustManager[] made = trustManagers(extraTrusted); // outside the lock: it reads the JDK's trust store
        synchronized (TRUST) {
            return TRUST.computeIfAbsent(extraTrusted, k -> made);
        }
    }

    /** A map that keeps its {@code max} most recently used entries; guarded by itself. */
    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
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
