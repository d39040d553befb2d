package dev.imapsync.internal.mail;

/**
 * What an {@link IdleConnection} reports while it idles, on the thread that called
 * {@link IdleConnection#idle}. Implementations should return quickly: while they run, the
 * connection's responses wait in the socket.
 */
public interface IdleListener {
    /** The server accepted IDLE (its continuation arrived): changes are pushed from now on. */
    void idling();

    /**
     * The folder holds more messages than before ({@code * n EXISTS} with a larger n).
     *
     * @param exists how many messages the folder holds now
     */
    void newMail(long exists);
}
