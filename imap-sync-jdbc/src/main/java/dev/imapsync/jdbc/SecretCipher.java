package dev.imapsync.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-GCM for one secret: a fresh 96-bit nonce each time, a 128-bit tag, and associated data
 * that binds the ciphertext to its account, so a value copied to another row does not decrypt.
 * Stored text: {@code 1:} then Base64 of nonce and ciphertext with tag.
 */
final class SecretCipher {
    private static final String FORMAT = "1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretCipher() {
    }

    static String encrypt(SecretKey key, String plaintext, byte[] associatedData) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(associatedData);
        byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[NONCE_BYTES + sealed.length];
        System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
        System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
        return FORMAT + Base64.getEncoder().encodeToString(out);
    }

    /**
     * @throws GeneralSecurityException if the key is not the one that encrypted, or the text
     *         or its associated data were altered (the GCM tag does not match)
     */
    static String decrypt(SecretKey key, String stored, byte[] associatedData) throws GeneralSecurityException {
        if (!stored.startsWith(FORMAT)) {
            throw new GeneralSecurityException("unknown format");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(stored.substring(FORMAT.length()));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not Base64");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new GeneralSecurityException("too short");
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
        cipher.updateAAD(associatedData);
        byte[] plain = cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        return new String(plain, StandardCharsets.UTF_8);
    }
}
