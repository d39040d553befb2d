package dev.imapsync.internal.content;

import java.util.List;

/**
 * One item of an IMAP parenthesized value: a list, a string (quoted, literal or atom), or NIL.
 * Strings are decoded as UTF-8 when they are valid UTF-8 (RFC 6855 servers, and what most servers
 * pass through from 8-bit headers), else as ISO-8859-1.
 */
final class Sexp {
    static final Sexp NIL = new Sexp(null, null);

    private final String text;
    private final List<Sexp> items;

    private Sexp(String text, List<Sexp> items) {
        this.text = text;
        this.items = items;
    }

    static Sexp string(String text) {
        return new Sexp(text, null);
    }

    static Sexp list(List<Sexp> items) {
        return new Sexp(null, List.copyOf(items));
    }

    boolean isList() {
        return items != null;
    }

    boolean isNil() {
        return this == NIL;
    }

    /** The string, or {@code null} for NIL and lists. */
    String text() {
        return text;
    }

    /** The items of a list; empty for anything else. */
    List<Sexp> items() {
        return items == null ? List.of() : items;
    }

    /** Item {@code i} of a list, or NIL when there is no such item. */
    Sexp get(int i) {
        return items != null && i < items.size() ? items.get(i) : NIL;
    }

    int size() {
        return items == null ? 0 : items.size();
    }
}
