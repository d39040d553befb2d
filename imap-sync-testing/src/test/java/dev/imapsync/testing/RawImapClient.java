package dev.imapsync.testing;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal line-level IMAP client for the fixtures' own tests: unbuffered, so a STARTTLS
 * upgrade never swallows bytes, and with host-name verification on for every TLS socket.
 */
final class RawImapClient implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private RawImapClient(Socket socket) throws IOException {
        use(socket);
    }

    /** Connects in cleartext to 127.0.0.1. */
    static RawImapClient connect(int port) throws IOException {
        return new RawImapClient(new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port));
    }

    /**
     * Connects to 127.0.0.1 and handshakes TLS at once, verifying the certificate for
     * {@code hostName} (a name or an IP literal).
     */
    static RawImapClient connectTls(int port, SSLContext context, String hostName) throws IOException {
        RawImapClient client = connect(port);
        client.startTls(context, hostName);
        return client;
    }

    /** Layers TLS over the current connection, verifying the certificate for {@code hostName}. */
    void startTls(SSLContext context, String hostName) throws IOException {
        SSLSocket secure = (SSLSocket) context.getSocketFactory()
                .createSocket(socket, hostName, socket.getPort(), true);
        SSLParameters parameters = secure.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        secure.setSSLParameters(parameters);
        use(secure);
        secure.startHandshake();
    }

    private void use(Socket next) throws IOException {
        socket = next;
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A TLS client context whose only PKIX trust anchor is the certificate in {@code pem}. */
    static SSLContext sslContextTrusting(String pem) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustManagerTrusting(pem)}, null);
        return context;
    }

    /** A PKIX trust manager whose only trust anchor is the certificate in {@code pem}. */
    static X509TrustManager trustManagerTrusting(String pem) throws GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try {
            trustStore.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        trustStore.setCertificateEntry("anchor", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(US_ASCII))));
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(trustStore);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    Socket socket() {
        return socket;
    }

    /** Sends {@code line} and CRLF. */
    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(UTF_8));
        out.flush();
    }

    /** One line without CRLF; null if the server closed the connection first. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(UTF_8);
            }
            line.write(b);
        }
        String text = line.toString(UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Sends {@code tag + " " + command} and returns every response line up to the tagged one. */
    List<String> command(String tag, String command) throws IOException {
        send(tag + " " + command);
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("connection closed before the response to " + tag + "; got " + lines);
            }
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
