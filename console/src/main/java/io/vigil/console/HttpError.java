package io.vigil.console;

/** A request the console answers with {@code status} and the message as {@code {"error": …}}. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }
}
