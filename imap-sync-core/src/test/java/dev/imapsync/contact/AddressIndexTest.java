package dev.imapsync.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressIndexTest {
    private static final ContactRef ANN = ContactRef.of("c-ann");
    private static final ContactRef BOB = ContactRef.of("c-bob");

    @Test
    void findsEveryKeyAndNothingElseOneByOneAndInGroups() {
        AddressIndex.Builder builder = new AddressIndex.Builder(30_000);
        for (int i = 0; i < 30_000; i++) {
            builder.add("user" + i + "@example.com", ContactRef.of("c" + i));
        }
        AddressIndex index = builder.build();
        List<String> lookups = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            lookups.add("user" + i + "@example.com");
        }
        String[] keys = lookups.toArray(String[]::new);
        MatchedContacts[] found = new MatchedContacts[keys.length];

        index.getAll(keys, found);

        assertThat(index.size()).isEqualTo(30_000);
        for (int i = 0; i < keys.length; i++) {
            MatchedContacts one = index.get(keys[i]);
            assertThat(found[i]).as(keys[i]).isSameAs(one);
            if (i < 30_000) {
                assertThat(one).as(keys[i]).containsExactly(ContactRef.of("c" + i));
            } else {
                assertThat(one).as(keys[i]).isNull();
            }
        }
    }

    @Test
    void tellsApartKeysWithTheSameHashCode() {
        // "Aa" and "BB" have the same String.hashCode, so these share slot and tag
        assertThat("Aa@x.example".hashCode()).isEqualTo("BB@x.example".hashCode());
        AddressIndex.Builder builder = new AddressIndex.Builder(2);
        builder.add("Aa@x.example", ANN);
        builder.add("BB@x.example", BOB);
        AddressIndex index = builder.build();
        String[] keys = {"BB@x.example", "Aa@x.example", "AaBB@x.example", "BBAa@x.example"};
        MatchedContacts[] found = new MatchedContacts[keys.length];

        index.getAll(keys, found);

        assertThat(index.get("Aa@x.example")).containsExactly(ANN);
        assertThat(index.get("BB@x.example")).containsExactly(BOB);
        assertThat(found[0]).containsExactly(BOB);
        assertThat(found[1]).containsExactly(ANN);
        assertThat(found[2]).isNull();
        assertThat(found[3]).isNull();
    }

    @Test
    void answersNothingWhenEmpty() {
        AddressIndex index = new AddressIndex.Builder(0).build();
        MatchedContacts[] found = new MatchedContacts[1];

        index.getAll(new String[] {"ann@example.com"}, found);

        assertThat(index.get("ann@example.com")).isNull();
        assertThat(found[0]).isNull();
        assertThat(index.size()).isZero();
    }

    @Test
    void keepsEachKeysContactsInOrderAndOnce() {
        AddressIndex.Builder builder = new AddressIndex.Builder(5);
        builder.add("a@x.example", BOB);
        builder.add("a@x.example", ANN);
        builder.add("a@x.example", BOB);
        builder.add("b@x.example", ANN);
        builder.add("b@x.example", ANN);

        AddressIndex index = builder.build();

        assertThat(index.get("a@x.example")).containsExactly(BOB, ANN).isEqualTo(List.of(BOB, ANN));
        assertThat(index.get("b@x.example")).containsExactly(ANN).isEqualTo(List.of(ANN));
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void answersListsThatCannotBeChanged() {
        AddressIndex.Builder builder = new AddressIndex.Builder(1);
        builder.add("a@x.example", ANN);
        MatchedContacts found = builder.build().get("a@x.example");

        assertThatThrownBy(() -> found.add(BOB)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> found.set(0, BOB)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> found.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> found.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
