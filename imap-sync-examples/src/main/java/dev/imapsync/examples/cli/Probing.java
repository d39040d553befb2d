package dev.imapsync.examples.cli;

import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
import dev.imapsync.policy.PrivacySettings;
import java.io.PrintStream;
import java.util.Map;

/** Runs the probe the connection options describe. */
final class Probing {
    private Probing() {
    }

    static ProbeResult probe(ConnectionOptions options, Map<String, String> environment, PrintStream err) {
        ConnectionProber prober = ConnectionProber.builder().deadline(options.deadline()).build();
        return prober.probeFirst(options.accounts(environment, err));
    }

    /** As above, the accounts with these privacy settings (what a sync of the working one keeps out). */
    static ProbeResult probe(ConnectionOptions options, PrivacySettings privacy, Map<String, String> environment,
                             PrintStream err) {
        ConnectionProber prober = ConnectionProber.builder().deadline(options.deadline()).build();
        return prober.probeFirst(options.accounts(environment, err).stream()
                .map(a -> a.toBuilder().privacy(privacy).build()).toList());
    }
}
