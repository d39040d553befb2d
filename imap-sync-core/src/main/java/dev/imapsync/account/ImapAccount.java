package dev.imapsync.account;

import dev.imapsync.policy.PrivacySettings;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One mailbox that imap-sync connects to: who it belongs to, where its server is, how it
 * authenticates and how carefully to connect. Immutable; build one with {@link #builder()} and
 * change a copy with {@link #toBuilder()}. Everything is validated once, in
 * {@link Builder#build()}, with a message that says what to fix.
 *
 * <p>Security defaults: certificates and host names are always verified, a certificate the
 * account explicitly trusts ({@link Builder#trustCertificatePem}) is accepted for this account
 * only, and cleartext ({@link Security#NONE}) requires {@link Builder#allowInsecure(boolean)}.
 */
public final class ImapAccount {
    /** Default time allowed to open a TCP connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default time allowed for the server to answer a read. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Default time allowed for one write to the server. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@+\\-]{1,128}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final String id;
    private final String emailAddress;
    private final Set<String> aliases;
    private final Endpoint endpoint;
    private final Credentials credentials;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final boolean allowInsecure;
    private final List<X509Certificate> trustedCertificates;
    private final PrivacySettings privacy;

    private ImapAccount(Builder b, String id, String emailAddress) {
        this.id = id;
        this.emailAddress = emailAddress;
        Set<String> otherAddresses = new LinkedHashSet<>(b.aliases);
        otherAddresses.remove(emailAddress);
        this.aliases = Set.copyOf(otherAddresses);
        this.endpoint = b.endpoint;
        this.credentials = b.credentials;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.writeTimeout = b.writeTimeout;
        this.allowInsecure = b.allowInsecure;
        this.trustedCertificates = List.copyOf(b.trustedCertificates);
        this.privacy = b.privacy;
    }

    /** A builder with the secure defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this account's settings, to make a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.emailAddress = emailAddress;
        b.aliases.addAll(aliases);
        b.endpoint = endpoint;
        b.credentials = credentials;
        b.connectTimeout = connectTimeout;
        b.readTimeout = readTimeout;
        b.writeTimeout = writeTimeout;
        b.allowInsecure = allowInsecure;
        b.trustedCertificates.addAll(trustedCertificates);
        b.privacy = privacy;
        return b;
    }

    /** The host application's identifier for this account. */
    public String id() {
        return id;
    }

    /** The account owner's own address (lower case), or empty when not known. */
    public String emailAddress() {
        return emailAddress;
    }

    /** Further addresses of the owner (lower case): mail from these counts as sent by the owner. */
    public Set<String> aliases() {
        return aliases;
    }

    /** The configured server endpoint; probing may find a better one. */
    public Endpoint endpoint() {
        return endpoint;
    }

    /** How the account logs in. */
    public Credentials credentials() {
        return credentials;
    }

    /** Time allowed to open a TCP connection. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Time allowed for the server to answer a read. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** Time allowed for one write. */
    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** Whether cleartext connections ({@link Security#NONE}) may be used for this account. */
    public boolean allowInsecure() {
        return allowInsecure;
    }

    /** Certificates trusted for this account in addition to the JDK's trust store. */
    public List<X509Certificate> trustedCertificates() {
        return trustedCertificates;
    }

    /** What the account's syncs keep out and how much of its mail the store keeps ({@link PrivacySettings#defaults()} unless set). */
    public PrivacySettings privacy() {
        return privacy;
    }

    /** The same account at another endpoint. */
    public ImapAccount withEndpoint(Endpoint other) {
        return toBuilder().endpoint(other).build();
    }

    /** Names the account and its endpoint; never a secret. */
    @Override
    public String toString() {
        return "ImapAccount[id=" + id + ", user=" + credentials.user() + ", endpoint=" + endpoint
                + (allowInsecure ? ", allowInsecure" : "")
                + (trustedCertificates.isEmpty() ? "" : ", trustedCertificates=" + trustedCertificates.size())
                + "]";
    }

    /**
     * Collects an account's settings. Setters check their argument at once; {@link #build()}
     * checks that the whole fits together.
     */
    public static final class Builder {
        private String id;
        private String emailAddress = "";
        private final Set<String> aliases = new LinkedHashSet<>();
        private Endpoint endpoint;
        private Credentials credentials;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private boolean allowInsecure;
        private final List<X509Certificate> trustedCertificates = new ArrayList<>();
        private PrivacySettings privacy = PrivacySettings.defaults();

        private Builder() {
        }

        /** The host application's identifier: 1-128 letters, digits or {@code . _ @ + -}. */
        public Builder id(String id) {
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("Account id '" + id
                        + "' is not usable: use 1-128 letters, digits or . _ @ + -");
            }
            this.id = id;
            return this;
        }

        /** The owner's own address; also the default id when none is given. */
        public Builder emailAddress(String address) {
            this.emailAddress = requireEmail(address, "emailAddress");
            return this;
        }

        /** Another address of the owner. */
        public Builder alias(String address) {
            aliases.add(requireEmail(address, "alias"));
            return this;
        }

        /** Other addresses of the owner. */
        public Builder aliases(Collection<String> addresses) {
            addresses.forEach(this::alias);
            return this;
        }

        /** Where the server is. */
        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** Where the server is. */
        public Builder endpoint(String host, int port, Security security) {
            return endpoint(new Endpoint(host, port, security));
        }

        /** How to log in. */
        public Builder credentials(Credentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Log in with a user name and password. */
        public Builder password(String user, String password) {
            return credentials(Credentials.password(user, password));
        }

        /** Time allowed to open a TCP connection (positive, at most 5 minutes). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = requireTimeout(timeout, "connectTimeout");
            return this;
        }

        /** Time allowed for the server to answer a read (positive, at most 5 minutes). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = requireTimeout(timeout, "readTimeout");
            return this;
        }

        /** Time allowed for one write (positive, at most 5 minutes). */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = requireTimeout(timeout, "writeTimeout");
            return this;
        }

        /**
         * What the account's syncs keep out (internal mail, bulk mail) and how much of its mail
         * the store keeps; {@link PrivacySettings#defaults()} unless set.
         */
        public Builder privacy(PrivacySettings settings) {
            this.privacy = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Allow cleartext connections. Off by default: without it a server that offers only
         * cleartext is refused with {@code INSECURE_REFUSED}, and cleartext is never tried as a
         * fallback.
         */
        public Builder allowInsecure(boolean allow) {
            this.allowInsecure = allow;
            return this;
        }

        /** Trust this certificate (for example a self-signed one) for this account only. */
        public Builder trustCertificate(X509Certificate certificate) {
            trustedCertificates.add(Objects.requireNonNull(certificate, "certificate"));
            return this;
        }

        /**
         * Trust the certificates in this PEM text ({@code -----BEGIN CERTIFICATE-----} blocks)
         * for this account only. Host names are still verified.
         *
         * @throws IllegalArgumentException if the text holds no readable certificate
         */
        public Builder trustCertificatePem(String pem) {
            Objects.requireNonNull(pem, "pem");
            try {
                Collection<? extends java.security.cert.Certificate> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
                if (certs.isEmpty()) {
                    throw new IllegalArgumentException(
                            "The trusted certificate text holds no certificate: give PEM text with a -----BEGIN CERTIFICATE----- block");
                }
                for (java.security.cert.Certificate c : certs) {
                    trustCertificate((X509Certificate) c);
                }
                return this;
            } catch (CertificateException e) {
                throw new IllegalArgumentException(
                        "The trusted certificate is not readable PEM: give the server certificate as -----BEGIN CERTIFICATE----- text ("
                                + e.getMessage() + ")", e);
            }
        }

        /**
         * Checks that the settings fit together and makes the account.
         *
         * @throws IllegalStateException naming what is missing or contradictory
         */
        public ImapAccount build() {
            if (endpoint == null) {
                throw new IllegalStateException("No endpoint: call endpoint(host, port, security), "
                        + "or use MailProvider.discover(emailAddress) to find candidates");
            }
            if (credentials == null) {
                throw new IllegalStateException("No credentials for " + endpoint
                        + ": call password(user, password) or credentials(Credentials.oauth2(user, tokens))");
            }
            if (endpoint.security() == Security.NONE && !allowInsecure) {
                throw new IllegalStateException("Endpoint " + endpoint + " is cleartext: the password would be readable"
                        + " on the network. Use ssl or starttls, or call allowInsecure(true) if you accept that risk");
            }
            if (endpoint.security() == Security.NONE && credentials instanceof Credentials.OAuth2) {
                throw new IllegalStateException("Endpoint " + endpoint
                        + " is cleartext: an OAuth2 access token is never sent without TLS; use ssl or starttls");
            }
            String address = emailAddress;
            if (address.isEmpty() && EMAIL.matcher(credentials.user()).matches()) {
                address = credentials.user().toLowerCase(Locale.ROOT);
            }
            String accountId = id;
            if (accountId == null) {
                accountId = !address.isEmpty() ? address : credentials.user();
                if (!ID.matcher(accountId).matches()) {
                    throw new IllegalStateException("No account id, and '" + accountId
                            + "' cannot serve as one: call id(...) with 1-128 letters, digits or . _ @ + -");
                }
            }
            return new ImapAccount(this, accountId, address);
        }

        private static String requireEmail(String address, String what) {
            Objects.requireNonNull(address, what);
            String a = address.trim();
            if (!EMAIL.matcher(a).matches() || a.length() > 320 || a.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException(what + " '" + Endpoint.printable(address)
                        + "' is not an email address: give it as name@domain (at most 320 characters, no control"
                        + " characters)");
            }
            return a.toLowerCase(Locale.ROOT);
        }

        private static Duration requireTimeout(Duration timeout, String what) {
            Objects.requireNonNull(timeout, what);
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException(what + " " + timeout
                        + " is out of range: give a positive duration of at most 5 minutes (timeouts are never infinite)");
            }
            return timeout;
        }
    }
}
