package dev.imapsync.internal.mail;

import dev.imapsync.account.Credentials;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.internal.transport.SocketDeadline;
import dev.imapsync.internal.transport.TlsSettings;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place that builds Jakarta Mail {@link Session}s. Typed settings become Angus's
 * string properties here and nowhere else, always with: certificate and host name checks,
 * no socket-factory fallback, STARTTLS required when chosen, TLS 1.2+ only, NTLM off,
 * explicit authentication mechanisms, {@code peek} so reading never sets {@code \Seen}, and
 * finite connect, read and write timeouts.
 *
 * <p>A connection's settings come in two parts. What Angus's store reads (the protocol, TLS or
 * STARTTLS, the authentication mechanisms, PEEK, the pool) is the same for many accounts, so
 * its {@link Session} is made once per combination and shared ({@link #session}): making one
 * looks up Jakarta Mail's providers on the class path, a cost each sync paid before. What
 * belongs to one connection (endpoint, timeouts, the socket factories bound to its deadline)
 * is in the {@link #connection} properties, which the protocol alone reads
 * ({@code GuardedImapStore.newIMAPProtocol}).
 */
public final class MailSessions {
    private static final ScheduledExecutorService WRITE_TIMEOUTS = writeTimeoutExecutor();
    /** The shared sessions, by their store settings; a handful at most (protocol x security x mechanisms). */
    private static final Map<Properties, Session> SESSIONS = new ConcurrentHashMap<>();

    private MailSessions() {
    }

    /** The Jakarta Mail protocol name for an endpoint: {@code imaps} for implicit TLS, else {@code imap}. */
    static String protocol(Endpoint endpoint) {
        return endpoint.security() == Security.SSL_TLS ? "imaps" : "imap";
    }

    /**
     * The shared session for an account at an endpoint: its properties are the store's
     * settings, which depend only on the endpoint's security and the kind of credentials.
     */
    static Session session(ImapAccount account, Endpoint endpoint) {
        Properties props = storeSettings(account, endpoint);
        return SESSIONS.computeIfAbsent(props, Session::getInstance);
    }

    /**
     * The properties of one connection, for its protocol: the store's settings plus the endpoint,
     * the timeouts and the socket factories.
     *
     * @param deadline closes the connection's sockets when it passes (a probe keeps its deadline
     *                 even against a server that trickles bytes); it also caps every timeout
     */
    static Properties connection(ImapAccount account, Endpoint endpoint, TlsSettings tls, SocketDeadline deadline) {
        String p = "mail." + protocol(endpoint) + ".";
        Properties props = storeSettings(account, endpoint);
        props.put(p + "host", endpoint.host());
        props.put(p + "port", Integer.toString(endpoint.port()));
        props.put(p + "connectiontimeout", millis(account.connectTimeout(), deadline));
        props.put(p + "timeout", millis(account.readTimeout(), deadline));
        props.put(p + "writetimeout", millis(account.writeTimeout(), deadline));
        props.put(p + "executor.writetimeout", WRITE_TIMEOUTS);
        props.put(p + "socketFactory", deadline.plainSockets(endpoint.security() == Security.STARTTLS));
        props.put(p + "ssl.socketFactory", deadline.tlsSockets(tls.socketFactory()));
        return props;
    }

    /** The settings Angus's store reads; plain strings, so that equal settings are equal keys. */
    private static Properties storeSettings(ImapAccount account, Endpoint endpoint) {
        String p = "mail." + protocol(endpoint) + ".";
        Properties props = new Properties();
        props.put(p + "ssl.socketFactory.fallback", "false");
        props.put(p + "socketFactory.fallback", "false");
        props.put(p + "ssl.checkserveridentity", "true");
        props.put(p + "ssl.protocols", String.join(" ", TlsSettings.PROTOCOLS));
        if (endpoint.security() == Security.SSL_TLS) {
            props.put(p + "ssl.enable", "true");
        } else if (endpoint.security() == Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }

        props.put(p + "sasl.enable", "false");
        props.put(p + "auth.ntlm.disable", "true");
        props.put(p + "auth.mechanisms",
                account.credentials() instanceof Credentials.OAuth2 ? "XOAUTH2" : "PLAIN LOGIN");
        props.put(p + "referralexception", "true");
        props.put(p + "peek", "true");
        props.put(p + "partialfetch", "true");
        props.put(p + "connectionpoolsize", "1");
        props.put(p + "connectionpooltimeout", "45000");
        props.put(p + "appendbuffersize", "0");
        return props;
    }

    private static String millis(Duration timeout, SocketDeadline deadline) {
        long wanted = Math.max(1, timeout.toMillis());
        return Long.toString(Math.min(wanted, deadline.millisLeft(wanted)));
    }

    private static ScheduledExecutorService writeTimeoutExecutor() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "imap-sync-write-timeout-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
