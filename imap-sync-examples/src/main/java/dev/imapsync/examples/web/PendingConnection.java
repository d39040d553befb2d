package dev.imapsync.examples.web;

import dev.imapsync.account.Endpoint;
import dev.imapsync.account.Secret;
import dev.imapsync.connect.ProbeResult;
import java.util.Objects;
import java.util.Optional;

/**
 * A mailbox whose test connection worked, waiting in the person's session for its folders to be
 * chosen: the probe (with the working account, password included, kept in server memory only)
 * and the endpoint the person entered, to say which encryption worked when that one did not.
 *
 * @param probe   the successful probe
 * @param entered the endpoint as entered, or null when the server was discovered from the address (or is
 *                the OAuth 2.0 provider's)
 * @param refreshToken the OAuth 2.0 refresh token to store, for a mailbox connected with "Connect with …"
 */
record PendingConnection(ProbeResult probe, Endpoint entered, Optional<Secret> refreshToken) {
    static final String SESSION_KEY = "imapsync.pendingConnection";

    PendingConnection {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(refreshToken, "refreshToken");
        if (!probe.ok()) {
            throw new IllegalArgumentException("Only a probe that worked waits for its folders");
        }
    }

    @Override
    public String toString() {
        return "PendingConnection[" + probe.account().id() + "]";
    }
}
