package dev.imapsync.oauth;

import dev.imapsync.account.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparing secrets by value, in time that does not depend on where they differ. */
final class Tokens {
    private Tokens() {
    }

    static boolean same(Secret a, Secret b) {
        if (a == null || b == null) {
            return a == b;
        }
        return MessageDigest.isEqual(a.reveal().getBytes(StandardCharsets.UTF_8), b.reveal().getBytes(StandardCharsets.UTF_8));
    }
}
