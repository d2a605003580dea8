package io.github.redisessync.embedded;

/** The free port we chose was taken by someone else before the server bound it. */
final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
        super(message);
    }
}
