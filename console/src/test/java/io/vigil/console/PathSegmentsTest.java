package io.vigil.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathSegmentsTest {
    @Test
    void splitsBeforeDecodingSoAnEncodedSlashStaysInItsSegment() {
        assertThat(PathSegments.decode("/api/watchlist/case%2F7", "/api/"))
                .containsExactly("watchlist", "case/7");
    }

    @Test
    void decodesOnceAndKeepsPlus() {
        assertThat(PathSegments.decode("/api/watchlist/a+b%2541%20c", "/api/"))
                .containsExactly("watchlist", "a+b%41 c");
        assertThat(PathSegments.decode("/api/cameras/caf%C3%A9/suspend", "/api/"))
                .isEqualTo(List.of("cameras", "café", "suspend"));
    }

    @Test
    void malformedEscapesAndUtf8AreBadRequests() {
        for (String bad :
                List.of("/api/x/%", "/api/x/%4", "/api/x/%zz", "/api/x/%C3", "/api/x/%FF")) {
            assertThatThrownBy(() -> PathSegments.decode(bad, "/api/"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
