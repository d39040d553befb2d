package dev.imapsync.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretKeysTest {

    @Test
    void readsTheCurrentKeyFirstAndRetiredKeysAfter() {
        String spec = SecretKeys.generate("k2026") + ", " + SecretKeys.generate("k2025");

        SecretKeys keys = SecretKeys.parse(spec);

        assertThat(keys.currentId()).isEqualTo("k2026");
        assertThat(keys.ids()).containsExactly("k2026", "k2025");
        assertThat(keys.current().getEncoded()).hasSize(32);
    }

    @Test
    void generatesADifferentKeyEachTime() {
        assertThat(SecretKeys.generate("a")).isNotEqualTo(SecretKeys.generate("a")).startsWith("a:");
    }

    @Test
    void neverPrintsKeyMaterial() {
        String spec = SecretKeys.generate("k1");
        String material = spec.substring(3);

        assertThat(SecretKeys.parse(spec).toString()).isEqualTo("SecretKeys[current=k1, all=[k1]]").doesNotContain(material);
        assertThatThrownBy(() -> SecretKeys.parse("k1:" + material.substring(0, 20) + "!"))
                .hasMessage("Key 'k1' is not valid Base64: give its 16, 24 or 32 bytes in standard Base64"
                        + " (SecretKeys.generate makes one)");
    }

    @Test
    void rejectsUnusableKeysSayingWhatToFix() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[10]);
        assertThatThrownBy(() -> SecretKeys.parse("k1:" + shortKey))
                .hasMessageContaining("Key 'k1' is 10 bytes: AES needs 16, 24 or 32");
        assertThatThrownBy(() -> SecretKeys.parse("just-some-text"))
                .hasMessageContaining("Key entry 1 is not id:base64key");
        assertThatThrownBy(() -> SecretKeys.parse(SecretKeys.generate("k1") + "," + SecretKeys.generate("k1")))
                .hasMessageContaining("Key id 'k1' is given twice");
        assertThatThrownBy(() -> SecretKeys.of("has space", new byte[32]))
                .hasMessageContaining("Key id 'has space' is not usable");
        assertThatThrownBy(() -> SecretKeys.builder().retired("old", new byte[16]).build())
                .hasMessageContaining("No current key");
    }

    @Test
    void copiesTheKeyItIsGiven() {
        byte[] key = new byte[16];
        SecretKeys keys = SecretKeys.of("k", key);
        key[0] = 1;

        assertThat(keys.current().getEncoded()[0]).isZero();
    }
}
