package dev.imapsync.content;

import dev.imapsync.Failure;
import java.util.Objects;

/**
 * What opening an email (or one of its attachments) came to: the thing asked for; that the
 * message is no longer in the mailbox; a refusal that says why (an attachment over the cap, a
 * part the message does not have); or the classified failure of the connection (wrong password,
 * server unreachable, …). Only the last is a problem with the account: a message that is gone
 * is an answer to show, and its timeline entry stays.
 *
 * @param <T> what was asked for: {@link MessageContent}, or the bytes written of an attachment
 */
public sealed interface OpenResult<T> permits OpenResult.Opened, OpenResult.Gone, OpenResult.Refused,
        OpenResult.Failed {

    /** The value, when this is {@link Opened}; else an {@link IllegalStateException} with this result's message. */
    default T orElseThrow() {
        if (this instanceof Opened<T> opened) {
            return opened.value();
        }
        throw new IllegalStateException(message());
    }

    /** A sentence a person reads: what was opened, or why not. */
    String message();

    /**
     * It was opened.
     *
     * @param value the content, or the bytes written
     */
    record Opened<T>(T value) implements OpenResult<T> {
        /** Validates that the value is present. */
        public Opened {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String message() {
            return "Opened.";
        }
    }

    /**
     * The message is no longer in the mailbox: deleted, or moved to a folder the account does not
     * sync. Not an error: show the sentence; the timeline entry stays.
     *
     * @param message a sentence naming the account and where it was looked for
     */
    record Gone<T>(String message) implements OpenResult<T> {
        /** Validates that the message is present. */
        public Gone {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Refused before or while reading: larger than the cap given, or a part the message does not
     * have.
     *
     * @param message a sentence saying what was refused and what to do
     */
    record Refused<T>(String message) implements OpenResult<T> {
        /** Validates that the message is present. */
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The mailbox could not be read: the classified failure of the connection or the server, with
     * what to do (the same kinds as a probe or a sync: {@code AUTH_FAILED}, {@code TIMEOUT}, …).
     *
     * @param failure what went wrong
     */
    record Failed<T>(Failure failure) implements OpenResult<T> {
        /** Validates that the failure is present. */
        public Failed {
            Objects.requireNonNull(failure, "failure");
        }

        @Override
        public String message() {
            return failure.message();
        }
    }
}
