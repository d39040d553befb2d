package dev.imapsync.benchmarks;

import dev.imapsync.account.ImapAccount;
import dev.imapsync.account.Security;
import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long it takes to learn that a mailbox works and what folders it has. The baseline is
 * what a hand-written Jakarta Mail client does (one implicit-TLS connection, LOGIN, LIST "*");
 * the probe adds parallel transport checks of the alternatives, a second connection and
 * classification. The third case asks for the wrong mode (STARTTLS on the TLS port), so the
 * probe has to fall back.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProbeLatencyBenchmark {
    private ProbeTarget target;
    private ImapAccount rightMode;
    private ImapAccount wrongMode;
    private ConnectionProber prober;
    private Session session;

    @Setup(Level.Trial)
    public void start() {
        target = ProbeTarget.start();
        rightMode = target.account(Security.SSL_TLS);
        wrongMode = target.account(Security.STARTTLS);
        prober = ConnectionProber.standard();
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", target.trustingSocketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "true");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "30000");
        session = Session.getInstance(props);
    }

    @TearDown(Level.Trial)
    public void stop() {
        target.close();
    }

    /** Baseline: Jakarta Mail connect over implicit TLS, LOGIN, LIST "*", close. */
    @Benchmark
    public int jakartaMailConnectAndList() throws MessagingException {
        Store store = session.getStore("imaps");
        try {
            store.connect(target.host, target.tlsPort, target.user, target.password);
            Folder[] folders = store.getDefaultFolder().list("*");
            return folders.length;
        } finally {
            store.close();
        }
    }

    /** The probe with the right settings. */
    @Benchmark
    public ProbeResult probe() {
        return checked(prober.probe(rightMode));
    }

    /** The probe with STARTTLS asked on the implicit-TLS port: it must fall back. */
    @Benchmark
    public ProbeResult probeWithFallback() {
        return checked(prober.probe(wrongMode));
    }

    private static ProbeResult checked(ProbeResult result) {
        if (!result.ok()) {
            throw new IllegalStateException("the benchmark's probe failed: " + result);
        }
        return result;
    }
}
