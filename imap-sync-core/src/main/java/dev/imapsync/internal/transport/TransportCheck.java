package dev.imapsync.internal.transport;

import dev.imapsync.FailureKind;
import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Security;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one endpoint's transport without sending credentials: TCP connect, implicit TLS or
 * STARTTLS, the greeting and CAPABILITY. STARTTLS is held to the strict rules that defeat
 * downgrade and injection attacks: it must be announced, answered with a tagged OK, and
 * nothing may follow that answer before the handshake; PREAUTH on a connection that should
 * be upgraded is refused.
 */
public final class TransportCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TransportCheck.class);
    private static final int MAX_LINE = 16 * 1024;

    private final TlsSettings tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param tls            how to speak TLS
     * @param connectTimeout time allowed for the TCP connect
     * @param readTimeout    time allowed for each answer (greeting, CAPABILITY, STARTTLS)
     */
    public TransportCheck(TlsSettings tls, Duration connectTimeout, Duration readTimeout) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /**
     * Checks the endpoint; never throws for anything the network or server does. The check's
     * sockets are closed when {@code deadline} passes, and the check then ends as TIMEOUT.
     */
    public TransportOutcome check(Endpoint endpoint, SocketDeadline deadline) {
        long started = System.nanoTime();
        Attempt attempt = new Attempt(endpoint, deadline);
        Optional<Classified> failure;
        try {
            failure = attempt.run();
        } catch (IOException | RuntimeException e) {
            failure = Optional.of(deadline.expired()
                    ? new Classified(FailureKind.TIMEOUT, "no answer within the probe's deadline (it passed while "
                            + attempt.stage + ")", e)
                    : FailureClassifier.classify(e, attempt.stage));
        } finally {
            attempt.close();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return new TransportOutcome(endpoint, failure.isPresent() ? List.of() : attempt.capabilities, failure,
                attempt.cleartextOnly, took);
    }

    private final class Attempt {
        private final Endpoint endpoint;
        private final SocketDeadline deadline;
        private final Socket tcp;
        private Socket active;
        private ImapLineReader reader;
        private OutputStream out;
        private int tagCounter;
        private String stage = "connecting";
        private List<String> capabilities = List.of();
        private boolean cleartextOnly;

        Attempt(Endpoint endpoint, SocketDeadline deadline) {
            this.endpoint = endpoint;
            this.deadline = deadline;
            this.tcp = deadline.track(new Socket());
            this.active = tcp;
        }

        Optional<Classified> run() throws IOException {
            String host = endpoint.host();
            InetAddress address = InetAddress.getByName(host);
            tcp.connect(new InetSocketAddress(address, endpoint.port()), millis(connectTimeout));
            tcp.setSoTimeout(millis(readTimeout));
            if (endpoint.security() == Security.SSL_TLS) {
                stage = "negotiating TLS";
                useStreamsOf(tls.handshake(tcp, host, endpoint.port()));
            } else {
                useStreamsOf(tcp);
            }

            stage = "waiting for the greeting";
            String greeting = reader.readLine();
            String upper = greeting.toUpperCase(Locale.ROOT);
            if (upper.startsWith("* BYE")) {
                return Optional.of(Classified.of(ServerText.isThrottling(greeting) ? FailureKind.THROTTLED
                        : FailureKind.PROTOCOL_ERROR, "the server refused the connection: " + ImapLineReader.printable(greeting)));
            }
            boolean preauth = upper.startsWith("* PREAUTH");
            if (!preauth && !upper.startsWith("* OK")) {
                return Optional.of(Classified.of(FailureKind.PROTOCOL_ERROR,
                        "the server's greeting is not IMAP: " + ImapLineReader.printable(greeting)));
            }
            if (preauth && endpoint.security() == Security.STARTTLS) {
                return Optional.of(Classified.of(FailureKind.STARTTLS_UNAVAILABLE, "the server greeted with PREAUTH"
                        + " before TLS, which makes STARTTLS impossible (a known downgrade attack); refused"));
            }

            stage = "asking for capabilities";
            // over implicit TLS the greeting's capabilities (Dovecot, Cyrus send them) are as good as
            // CAPABILITY's answer (RFC 9051 §7.1): asking again would cost the probe a round trip
            List<String> greeted = endpoint.security() == Security.SSL_TLS ? greetingCapabilities(greeting) : List.of();
            List<String> plainCapabilities = greeted.isEmpty() ? capability() : greeted;
            if (endpoint.security() == Security.STARTTLS) {
                if (!plainCapabilities.contains("STARTTLS")) {
                    cleartextOnly = true;
                    return Optional.of(Classified.of(FailureKind.STARTTLS_UNAVAILABLE,
                            "the server does not offer STARTTLS"));
                }
                stage = "starting TLS";
                Optional<Classified> refused = startTls();
                if (refused.isPresent()) {
                    return refused;
                }
                stage = "asking for capabilities after STARTTLS";
                capabilities = capability();
            } else {
                capabilities = plainCapabilities;
                cleartextOnly = endpoint.security() == Security.NONE && !plainCapabilities.contains("STARTTLS");
            }
            logout();
            return Optional.empty();
        }

        /**
         * The capabilities a greeting lists as {@code * OK [CAPABILITY …] text}; empty when it
         * lists none, or a list without IMAP4rev1 or IMAP4rev2 (which every server's must name):
         * then CAPABILITY is asked for.
         */
        private List<String> greetingCapabilities(String greeting) {
            String upper = greeting.toUpperCase(Locale.ROOT);
            String prefix = upper.startsWith("* OK [CAPABILITY ") ? "* OK [CAPABILITY "
                    : upper.startsWith("* PREAUTH [CAPABILITY ") ? "* PREAUTH [CAPABILITY " : null;
            int end = upper.indexOf(']');
            if (prefix == null || end < prefix.length()) {
                return List.of();
            }
            List<String> found = new ArrayList<>();
            for (String c : upper.substring(prefix.length(), end).trim().split(" +")) {
                if (!c.isEmpty()) {
                    found.add(c);
                }
            }
            return found.contains("IMAP4REV1") || found.contains("IMAP4REV2") ? List.copyOf(found) : List.of();
        }

        private Optional<Classified> startTls() throws IOException {
            String tag = send("STARTTLS");
            String answer = readTagged(tag);
            String status = answer.substring(tag.length()).trim().toUpperCase(Locale.ROOT);
            if (!status.startsWith("OK")) {
                return Optional.of(Classified.of(FailureKind.STARTTLS_UNAVAILABLE,
                        "the server answered STARTTLS with: " + ImapLineReader.printable(answer)));
            }
            if (reader.hasBufferedBytes()) {
                return Optional.of(Classified.of(FailureKind.PROTOCOL_ERROR, "the server sent data after"
                        + " accepting STARTTLS and before the TLS handshake (a known injection attack); refused"));
            }
            stage = "negotiating TLS after STARTTLS";
            useStreamsOf(tls.handshake(tcp, endpoint.host(), endpoint.port()));
            return Optional.empty();
        }

        private List<String> capability() throws IOException {
            String tag = send("CAPABILITY");
            List<String> found = new ArrayList<>();
            while (true) {
                String line = reader.readLine();
                if (line.startsWith(tag + " ")) {
                    if (!line.substring(tag.length() + 1).toUpperCase(Locale.ROOT).startsWith("OK")) {
                        throw new ImapLineReader.ProtocolViolation("the server refused CAPABILITY: "
                                + ImapLineReader.printable(line));
                    }
                    return List.copyOf(found);
                }
                if (line.toUpperCase(Locale.ROOT).startsWith("* CAPABILITY ")) {
                    for (String c : line.substring("* CAPABILITY ".length()).trim().split(" +")) {
                        found.add(c.toUpperCase(Locale.ROOT));
                    }
                }
            }
        }

        /** Reads until the tagged answer, ignoring untagged lines (which must not be trusted anyway). */
        private String readTagged(String tag) throws IOException {
            while (true) {
                String line = reader.readLine();
                if (line.startsWith(tag + " ")) {
                    return line;
                }
                if (!line.startsWith("* ")) {
                    throw new ImapLineReader.ProtocolViolation("the server sent an unexpected line: "
                            + ImapLineReader.printable(line));
                }
            }
        }

        private String send(String command) throws IOException {
            String tag = "p" + (++tagCounter);
            out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return tag;
        }

        private void logout() {
            try {
                send("LOGOUT");
            } catch (IOException e) {
                // The check already succeeded; a server that drops us at LOGOUT changes nothing.
                LOG.debug("{}: LOGOUT after a successful check failed: {}", endpoint, e.toString());
            }
        }

        private void useStreamsOf(Socket socket) throws IOException {
            active = deadline.track(socket);
            reader = new ImapLineReader(socket.getInputStream(), MAX_LINE);
            out = socket.getOutputStream();
        }

        void close() {
            try {
                active.close();
                tcp.close();
            } catch (IOException e) {
                LOG.debug("{}: closing the check's connection failed: {}", endpoint, e.toString());
            }
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
