package dev.imapsync.benchmarks;

import dev.imapsync.contact.ContactRef;
import dev.imapsync.contact.InMemoryContactMatcher;
import dev.imapsync.message.EmailAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A deterministic contact list for the address-matching benchmarks: contact {@code n} has one to
 * three addresses that depend on {@code n} alone, shaped like a CRM's (personal addresses at the
 * big providers, work addresses at company domains), normalized. Numbers from {@link #CONTACTS}
 * up give addresses of the same shape that belong to no contact: the misses.
 */
final class MatchingData {
    static final int CONTACTS = 1_000_000;

    private static final String[] FIRST = {"anna", "ben", "carla", "david", "emma", "felix", "grace", "hugo", "ines",
            "jonas", "kim", "leon", "maria", "noah", "olivia", "paul", "quinn", "rosa", "sam", "tina", "uwe", "vera",
            "will", "xenia", "yusuf", "zoe"};
    private static final String[] LAST = {"schmidt", "mueller", "smith", "johnson", "garcia", "rossi", "dubois",
            "novak", "kowalski", "jensen", "tanaka", "silva", "oconnor", "fischer", "weber", "martin", "lee", "brown"};
    private static final String[] PROVIDERS = {"gmail.com", "outlook.com", "yahoo.com", "icloud.com", "gmx.de",
            "web.de", "hotmail.com", "proton.me"};
    private static final String[] SUFFIXES = {".com", ".de", ".io", ".co.uk", ".example"};

    private MatchingData() {
    }

    /** The normalized addresses of contact (or non-contact) {@code n}: one to three. */
    static String[] addresses(int n) {
        SplittableRandom random = new SplittableRandom(0x5EED_0000L + n);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        String tag = Integer.toString(n, 36);
        String[] addresses = new String[1 + random.nextInt(3)];
        addresses[0] = first + "." + last + "." + tag + "@" + PROVIDERS[random.nextInt(PROVIDERS.length)];
        String company = "company" + Integer.toString(n % 50_000, 36) + SUFFIXES[random.nextInt(SUFFIXES.length)];
        if (addresses.length > 1) {
            addresses[1] = first.charAt(0) + last + tag + "@" + company;
        }
        if (addresses.length > 2) {
            addresses[2] = first + "_" + tag + "@mail." + company;
        }
        return addresses;
    }

    /** The matcher over contacts {@code 0} to {@code CONTACTS - 1}. */
    static InMemoryContactMatcher matcher() {
        InMemoryContactMatcher.Builder builder = InMemoryContactMatcher.builder();
        for (int n = 0; n < CONTACTS; n++) {
            builder.add(ContactRef.of("contact-" + n), List.of(addresses(n)));
        }
        return builder.build();
    }

    /**
     * {@code count} look-ups in random order, {@code hitPercent} of them addresses of contacts
     * and the rest addresses of nobody. Each is a new String, allocated in the order looked up
     * as a header parser allocates them, with its hash computed as putting it in the batch's
     * set of distinct addresses does.
     */
    static String[] lookups(int count, int hitPercent, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int hits = count * hitPercent / 100;
        List<String> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String[] own = i < hits ? addresses(random.nextInt(CONTACTS)) : addresses(CONTACTS + random.nextInt(CONTACTS));
            targets.add(own[random.nextInt(own.length)]);
        }
        Collections.shuffle(targets, new Random(seed));
        String[] lookups = new String[count];
        for (int i = 0; i < count; i++) {
            lookups[i] = new String(targets.get(i).getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII);
            lookups[i].hashCode();
        }
        return lookups;
    }

    /** The same addresses as a person might type them: capitalized, so not normalized. */
    static String[] capitalized(String[] lookups) {
        String[] typed = new String[lookups.length];
        for (int i = 0; i < lookups.length; i++) {
            String a = lookups[i];
            int at = a.indexOf('@');
            typed[i] = Character.toUpperCase(a.charAt(0)) + a.substring(1, at + 1) + a.substring(at + 1).toUpperCase();
            if (!EmailAddress.normalize(typed[i]).equals(a)) {
                throw new IllegalStateException("capitalizing changed the address " + a);
            }
        }
        return typed;
    }
}
