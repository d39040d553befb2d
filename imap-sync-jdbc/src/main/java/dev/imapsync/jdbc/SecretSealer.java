package dev.imapsync.jdbc;

import dev.imapsync.ImapSyncException;
import dev.imapsync.schedule.AccountUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.SecretKey;

/**
 * Seals account secrets (passwords, OAuth 2.0 refresh tokens) with the application's
 * {@link SecretKeys}: AES-GCM under the current key ({@link SecretCipher}), bound to the
 * secret's {@link Owner}, so a value copied to another row does not open; and opens them with
 * whichever configured key sealed them. A missing or wrong key, or an altered value, is an
 * {@link AccountUnavailableException} that names the account and the key and says what to do,
 * never garbage. Nothing secret is logged or put in a message. Thread-safe: immutable.
 */
final class SecretSealer {
    /**
     * Whom a secret belongs to: the account, its kind of credentials ({@code PASSWORD} or
     * {@code OAUTH2}) and its login name. The sealed value is bound to all three.
     */
    record Owner(String accountId, String authKind, String user) {
        byte[] associatedData() {
            return ("imapsync-account-secret/1\0" + accountId + "\0" + authKind + "\0" + user)
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private final SecretKeys keys;

    SecretSealer(SecretKeys keys) {
        this.keys = keys;
    }

    /** The id of the key that seals, stored beside each sealed value. */
    String currentKeyId() {
        return keys.currentId();
    }

    /**
     * Seals {@code clear} under the current key.
     *
     * @throws ImapSyncException if the JVM cannot encrypt with AES-GCM
     */
    String seal(Owner owner, String clear) {
        try {
            return SecretCipher.encrypt(keys.current(), clear, owner.associatedData());
        } catch (GeneralSecurityException e) {
            throw new ImapSyncException("Could not encrypt the secret of account '" + owner.accountId() + "' with key '"
                    + keys.currentId() + "': the JVM must support AES/GCM/NoPadding", e);
        }
    }

    /**
     * Opens a value sealed under the key {@code keyId}.
     *
     * @throws AccountUnavailableException if that key is not configured, is not the one that
     *         sealed the value, or the value or its owner was altered
     */
    String open(Owner owner, String keyId, String sealed) {
        String id = owner.accountId();
        Optional<SecretKey> key = keys.key(keyId);
        if (key.isEmpty()) {
            throw new AccountUnavailableException(id, "The secret of account '" + id + "' is encrypted with key '"
                    + keyId + "', which is not configured (configured: " + keys.ids() + "): add key '" + keyId
                    + "' as a retired key (and call rotateKeys() to move it to '" + keys.currentId()
                    + "'), or save the account's credentials again");
        }
        try {
            return SecretCipher.decrypt(key.get(), sealed, owner.associatedData());
        } catch (AEADBadTagException e) {
            throw new AccountUnavailableException(id, "The secret of account '" + id + "' does not decrypt with"
                    + " key '" + keyId + "': the key configured under that id is not the one that encrypted it, or"
                    + " the row was altered. Configure the original key '" + keyId
                    + "', or save the account's credentials again");
        } catch (GeneralSecurityException e) {
            throw new AccountUnavailableException(id, "The stored secret of account '" + id + "' is unreadable"
                    + " (" + e.getMessage() + "): save the account's credentials again");
        }
    }
}
