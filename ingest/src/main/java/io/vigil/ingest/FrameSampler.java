package io.vigil.ingest;

/**
 * Keeps frames at a target rate by media timestamp: a frame is kept when its timestamp reaches the
 * next sampling slot. Robust to variable frame rates and to sources faster or slower than the
 * target (a slower source simply yields every frame).
 */
public final class FrameSampler {
    private final long intervalMicros;
    private long nextMicros = Long.MIN_VALUE;

    public FrameSampler(double fps) {
        this.intervalMicros = Math.round(1_000_000.0 / fps);
    }

    public boolean keep(long timestampMicros) {
        if (nextMicros == Long.MIN_VALUE || timestampMicros >= nextMicros) {
            long base = nextMicros == Long.MIN_VALUE ? timestampMicros : nextMicros;
            // Skip whole slots after a gap so a stall does not cause a burst of catch-up frames.
            long slots = Math.max(1, (timestampMicros - base) / intervalMicros + 1);
            nextMicros = base + slots * intervalMicros;
            return true;
        }
        return false;
    }

    /** Starts over, e.g. after a reconnect when media timestamps restart. */
    public void reset() {
        nextMicros = Long.MIN_VALUE;
    }
}
