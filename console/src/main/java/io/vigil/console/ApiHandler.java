package io.vigil.console;

import java.io.IOException;

/** The API routes of one concern, under one first path segment; returns the status sent. */
@FunctionalInterface
interface ApiHandler {
    int handle(ApiCall call) throws IOException;

    static HttpError noSuchEndpoint() {
        return new HttpError(404, "no such endpoint");
    }
}
