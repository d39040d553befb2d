package dev.imapsync.examples.cli;

import dev.imapsync.connect.ConnectionProber;
import dev.imapsync.connect.ProbeResult;
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
}
