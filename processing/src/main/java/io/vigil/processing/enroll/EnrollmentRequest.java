package io.vigil.processing.enroll;

import java.time.Duration;
import java.time.Instant;

/** Who enrolls, on what legal basis, and for how long; required for every watchlist entry. */
public record EnrollmentRequest(String enrolledBy, String legalBasis, Instant expiresAt) {

    /** Longest allowed lifetime of an entry; re-enrol to extend. */
    public static final Duration MAX_LIFETIME = Duration.ofDays(365);

    public EnrollmentRequest {
        if (enrolledBy == null || enrolledBy.isBlank()) {
            throw new IllegalArgumentException("enrolledBy is required");
        }
        if (legalBasis == null || legalBasis.isBlank()) {
            throw new IllegalArgumentException("legalBasis (legal basis / case reference) is required");
        }
        if (expiresAt == null) {
            throw new IllegalArgumentException("expiresAt is required");
        }
    }

    void validateAt(Instant now) {
        if (!expiresAt.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is not in the future");
        }
        if (expiresAt.isAfter(now.plus(MAX_LIFETIME))) {
            throw new IllegalArgumentException("expiresAt " + expiresAt + " is more than " + MAX_LIFETIME.toDays() + " days ahead");
        }
    }
}
