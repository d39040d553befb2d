package dev.imapsync.jdbc;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys under which {@link JdbcAccountRepository} encrypts account secrets: one current
 * key that encrypts, and retired keys that can still decrypt rows written before a rotation.
 * Each key has an id, stored beside every encrypted value, so the right key is always chosen.
 *
 * <p>Keys come from the application (a secrets manager, an environment variable). The text form
 * read by {@link #parse} is {@code id:base64key[,id:base64key…]}, the current key first; make a
 * new one with {@link #generate}. {@link #toString()} shows the ids only, never key material.
 */
public final class SecretKeys {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String currentId;
    private final Map<String, SecretKey> keys;

    private SecretKeys(String currentId, Map<String, SecretKey> keys) {
        this.currentId = currentId;
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    /**
     * A key ring with one key, the current one.
     *
     * @param id  the key's id: 1-64 letters, digits or {@code . _ -}
     * @param key 16, 24 or 32 bytes (32 recommended); copied
     * @throws IllegalArgumentException if the id or the key length is unusable
     */
    public static SecretKeys of(String id, byte[] key) {
        return builder().current(id, key).build();
    }

    /** A builder for a key ring with retired keys. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads keys in the text form {@code id:base64key[,id:base64key…]}, the current key first.
     *
     * @throws IllegalArgumentException saying which entry is malformed (never echoing key material)
     */
    public static SecretKeys parse(String text) {
        Objects.requireNonNull(text, "text");
        Builder builder = builder();
        String[] entries = text.strip().split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip();
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("Key entry " + (i + 1) + " is not id:base64key: write each key as"
                        + " id:base64key, separated by commas, the current key first");
            }
            String id = entry.substring(0, colon);
            byte[] key;
            try {
                key = Base64.getDecoder().decode(entry.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Key '" + safeId(id) + "' is not valid Base64: give its 16, 24 or 32"
                        + " bytes in standard Base64 (SecretKeys.generate makes one)");
            }
            try {
                if (i == 0) {
                    builder.current(id, key);
                } else {
                    builder.retired(id, key);
                }
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }
        return builder.build();
    }

    /**
     * A new random 256-bit key in the text form {@link #parse} reads, for the application to keep
     * in its secrets store.
     *
     * @param id the new key's id, for example the date it was made
     */
    public static String generate(String id) {
        requireId(id);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            return id + ":" + Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The id of the key that encrypts. */
    public String currentId() {
        return currentId;
    }

    /** The ids of all keys, the current one first. */
    public Set<String> ids() {
        return keys.keySet();
    }

    SecretKey current() {
        return keys.get(currentId);
    }

    Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public String toString() {
        return "SecretKeys[current=" + currentId + ", all=" + keys.keySet() + "]";
    }

    private static String requireId(String id) {
        Objects.requireNonNull(id, "key id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("Key id '" + safeId(id) + "' is not usable: use 1-64 letters, digits or . _ -");
        }
        return id;
    }

    /** The id for a message: cut, and control characters shown as '?' so the message stays one log line. */
    private static String safeId(String id) {
        String cut = id.length() > 64 ? id.substring(0, 64) + "…" : id;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Builds a key ring: one current key, any number of retired ones. */
    public static final class Builder {
        private String currentId;
        private final Map<String, SecretKey> keys = new LinkedHashMap<>();

        private Builder() {
        }

        /** The key that encrypts (and decrypts). */
        public Builder current(String id, byte[] key) {
            if (currentId != null) {
                throw new IllegalStateException("The current key is already '" + currentId
                        + "': add older keys with retired(id, key)");
            }
            add(id, key);
            currentId = id;
            return this;
        }

        /** A key that only decrypts: rows written under it are re-encrypted by a rotation. */
        public Builder retired(String id, byte[] key) {
            add(id, key);
            return this;
        }

        /**
         * The key ring.
         *
         * @throws IllegalStateException if there is no current key
         */
        public SecretKeys build() {
            if (currentId == null) {
                throw new IllegalStateException("No current key: call current(id, key)");
            }
            Map<String, SecretKey> ordered = new LinkedHashMap<>();
            ordered.put(currentId, keys.get(currentId));
            ordered.putAll(keys);
            return new SecretKeys(currentId, ordered);
        }

        private void add(String id, byte[] key) {
            requireId(id);
            Objects.requireNonNull(key, "key");
            if (key.length != 16 && key.length != 24 && key.length != 32) {
                throw new IllegalArgumentException("Key '" + id + "' is " + key.length + " bytes: AES needs 16, 24 or 32"
                        + " (32 recommended; SecretKeys.generate makes one)");
            }
            if (keys.containsKey(id)) {
                throw new IllegalArgumentException("Key id '" + id + "' is given twice: each key needs its own id");
            }
            keys.put(id, new SecretKeySpec(key.clone(), "AES"));
        }
    }
}
