package io.vigil.common.audit;

import io.vigil.schemas.AuditChainLink;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.nio.ByteBuffer;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;

/**
 * Checks audit records against their writers' hash chains and signed checkpoints, one record at a
 * time in any interleaving of partitions, and reports by offset what does not hold: a record that
 * is not an audit event or carries no chain, an event altered (its bytes no longer hash to what its
 * successor recorded), missing (a hole in its writer's sequence, or the start of a chain cut off),
 * claimed twice, reordered within a partition, a checkpoint with a bad or unknown signature, events
 * never covered by a checkpoint within their writer's interval plus the grace, and chain heads of
 * an earlier export that are gone.
 *
 * <p>Memory: 16 bytes per event (time and location), plus the hash of each event until its
 * successor is read; a year of a large city's audit fits in a few hundred megabytes.
 */
public final class AuditVerifier {
    private static final byte[] GENESIS = new byte[AuditChain.HASH_BYTES];
    private static final HexFormat HEX = HexFormat.of();

    /** What kind of break a finding is. */
    public enum Kind {
        UNREADABLE,
        UNCHAINED,
        ALTERED,
        MISSING,
        TRUNCATED,
        DUPLICATE,
        REORDERED,
        BAD_SIGNATURE,
        UNKNOWN_KEY,
        UNSEALED,
        CHECKPOINT_GAP,
        HEAD_GONE
    }

    /** One break, at the record where it shows (partition -1 when no record is left). */
    public record Finding(
            Kind kind,
            int partition,
            long offset,
            long time,
            String writer,
            long seq,
            String message) {
        @Override
        public String toString() {
            return kind
                    + " at "
                    + (partition < 0 ? "-" : partition + "@" + offset)
                    + ": "
                    + message;
        }
    }

    /** A writer's last event as verified: what an export keeps outside Kafka. */
    public record Head(
            String writer, long seq, String hash, int partition, long offset, long time) {}

    /** The outcome. */
    public record Result(
            long records,
            int writers,
            long checkpoints,
            long pending,
            List<Finding> findings,
            List<Head> heads) {
        public boolean intact() {
            return findings.isEmpty();
        }

        /** The findings at events before {@code to} (verify --to). */
        public Result before(Instant to) {
            return new Result(
                    records,
                    writers,
                    checkpoints,
                    pending,
                    findings.stream().filter(f -> f.time() < to.toEpochMilli()).toList(),
                    heads);
        }
    }

    private record Loc(int partition, long offset) {}

    private record Link(String writer, long seq) {}

    private record Hashed(byte[] hash, Loc at) {}

    private record Seal(long time, long intervalMs, long inDoubt) {}

    private record Signed(
            Chain chain,
            long seq,
            Seal seal,
            Loc at,
            long time,
            CompletableFuture<Boolean> valid) {}

    private static final int MAX_SIGNATURES_IN_FLIGHT = 4096;

    private final Map<String, PublicKey> keys;
    private final Duration grace;
    private final boolean fromStart;
    private final Map<Link, Head> expectedHeads = new HashMap<>();
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private final Map<Link, Hashed> hashes = new HashMap<>();
    private final Map<Link, Hashed> expects = new HashMap<>();
    private final Map<String, Long> lastSeqInPartition = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private final ArrayDeque<Signed> signatures = new ArrayDeque<>();
    private long records;
    private long checkpoints;
    private long recordTime;

    /**
     * @param publicKeys the checkpoint keys to trust (a rotated-out key stays listed)
     * @param grace added to each writer's interval before an unsigned event is reported
     * @param fromStart whether the records start at the beginning of the topic, so every chain must
     *     start at 0
     * @param earlierHeads the heads of an earlier export, each of which must still be there
     */
    public AuditVerifier(
            List<PublicKey> publicKeys,
            Duration grace,
            boolean fromStart,
            List<Head> earlierHeads) {
        this.keys = new HashMap<>();
        publicKeys.forEach(k -> keys.put(AuditKeys.keyId(k), k));
        this.grace = grace;
        this.fromStart = fromStart;
        earlierHeads.forEach(h -> expectedHeads.put(new Link(h.writer(), h.seq()), h));
    }

    /** One record's value bytes, in offset order within its partition. */
    public void accept(int partition, long offset, long timestamp, byte[] value) {
        records++;
        recordTime = timestamp;
        Loc at = new Loc(partition, offset);
        AuditEvent e;
        try {
            e = AuditEvent.getDecoder().decode(ByteBuffer.wrap(value));
        } catch (Exception ex) {
            findings.add(finding(Kind.UNREADABLE, at, null, -1, "not an audit event: " + ex));
            return;
        }
        AuditChainLink link = e.getChain();
        if (link == null) {
            findings.add(
                    finding(
                            Kind.UNCHAINED,
                            at,
                            null,
                            -1,
                            e.getType() + " " + e.getEventId() + " carries no chain link"));
            return;
        }
        String w = link.getWriter();
        long seq = link.getSeq();
        if (seq < 0 || seq >= Integer.MAX_VALUE) {
            findings.add(finding(Kind.UNREADABLE, at, w, seq, "sequence number out of range"));
            return;
        }
        Chain chain = chains.computeIfAbsent(w, Chain::new);
        if (chain.has(seq)) {
            findings.add(
                    finding(
                            Kind.DUPLICATE,
                            at,
                            w,
                            seq,
                            "a second event claims "
                                    + w
                                    + " #"
                                    + seq
                                    + " (added without the key?)"));
            return;
        }
        String pk = w + "|" + partition;
        Long last = lastSeqInPartition.get(pk);
        if (last != null && last > seq) {
            findings.add(
                    finding(
                            Kind.REORDERED,
                            at,
                            w,
                            seq,
                            w
                                    + " #"
                                    + seq
                                    + " comes after #"
                                    + last
                                    + " in partition "
                                    + partition));
        }
        lastSeqInPartition.merge(pk, seq, Math::max);
        long time = e.getTimestamp().toEpochMilli();
        chain.put(seq, time, at);
        byte[] hash = AuditKeys.sha256(value);
        link(w, seq, hash, link.getPrev().bytes(), at);
        Head expected = expectedHeads.remove(new Link(w, seq));
        if (expected != null && !expected.hash().equals(HEX.formatHex(hash))) {
            findings.add(
                    finding(
                            Kind.ALTERED,
                            at,
                            w,
                            seq,
                            w + " #" + seq + " differs from the head exported earlier"));
        }
        if (e.getType() == AuditEventType.AUDIT_CHECKPOINT) {
            checkpoints++;
            checkpoint(e, w, seq, link.getPrev().bytes(), at, chain);
        }
    }

    private void link(String w, long seq, byte[] hash, byte[] prev, Loc at) {
        Link self = new Link(w, seq);
        Hashed successorSaw = expects.remove(self);
        if (successorSaw != null) {
            if (!Arrays.equals(successorSaw.hash(), hash)) {
                findings.add(altered(w, seq, at, successorSaw.at()));
            }
        } else {
            hashes.put(self, new Hashed(hash, at));
        }
        if (seq == 0) {
            if (!Arrays.equals(prev, GENESIS)) {
                findings.add(
                        finding(Kind.ALTERED, at, w, seq, "first event links to a predecessor"));
            }
            return;
        }
        Link before = new Link(w, seq - 1);
        Hashed predecessor = hashes.remove(before);
        if (predecessor != null) {
            if (!Arrays.equals(predecessor.hash(), prev)) {
                findings.add(altered(w, seq - 1, predecessor.at(), at));
            }
        } else {
            expects.put(before, new Hashed(prev, at));
        }
    }

    private Finding altered(String w, long seq, Loc event, Loc successor) {
        return finding(
                Kind.ALTERED,
                event,
                w,
                seq,
                w
                        + " #"
                        + seq
                        + " does not hash to what its successor at "
                        + successor.partition()
                        + "@"
                        + successor.offset()
                        + " recorded");
    }

    private void checkpoint(AuditEvent e, String w, long seq, byte[] head, Loc at, Chain chain) {
        Map<String, String> d = e.getDetails();
        String keyId = d.get(AuditChain.KEY_ID);
        PublicKey key = keyId == null ? null : keys.get(keyId);
        if (key == null) {
            findings.add(
                    finding(
                            Kind.UNKNOWN_KEY,
                            at,
                            w,
                            seq,
                            "checkpoint signed with key " + keyId + ", which is not trusted"));
            return;
        }
        long interval;
        long inDoubt;
        byte[] signature;
        try {
            interval = Long.parseLong(d.getOrDefault(AuditChain.INTERVAL_MS, "-1"));
            inDoubt = Long.parseLong(d.getOrDefault(AuditChain.IN_DOUBT, "-1"));
            signature = Base64.getDecoder().decode(d.getOrDefault(AuditChain.SIGNATURE, ""));
        } catch (IllegalArgumentException ex) {
            findings.add(finding(Kind.BAD_SIGNATURE, at, w, seq, "malformed checkpoint: " + ex));
            return;
        }
        byte[] statement =
                AuditChain.statement(
                        w, seq, head, e.getTimestamp().toEpochMilli(), keyId, interval, inDoubt);
        Seal seal = new Seal(e.getTimestamp().toEpochMilli(), interval, inDoubt);
        // Ed25519 verification is most of verify's time: run it beside the read, in bounded
        // batches, and apply the outcomes on this thread.
        signatures.add(
                new Signed(
                        chain,
                        seq,
                        seal,
                        at,
                        recordTime,
                        CompletableFuture.supplyAsync(
                                () -> interval > 0 && AuditKeys.verify(key, statement, signature),
                                ForkJoinPool.commonPool())));
        while (signatures.size() > MAX_SIGNATURES_IN_FLIGHT) {
            settle(signatures.poll());
        }
    }

    private void settle(Signed s) {
        if (s.valid().join()) {
            s.chain().seals.put(s.seq(), s.seal());
        } else {
            findings.add(
                    new Finding(
                            Kind.BAD_SIGNATURE,
                            s.at().partition(),
                            s.at().offset(),
                            s.time(),
                            s.chain().writer,
                            s.seq(),
                            "checkpoint signature does not verify"));
        }
    }

    /** Ends the read; {@code now} decides which unsigned events are still within their time. */
    public Result finish(Instant now) {
        while (!signatures.isEmpty()) {
            settle(signatures.poll());
        }
        List<Finding> out = new ArrayList<>(findings);
        List<Map.Entry<Link, Hashed>> open = new ArrayList<>(expects.entrySet());
        open.sort(
                Comparator.comparing((Map.Entry<Link, Hashed> x) -> x.getKey().writer())
                        .thenComparingLong(x -> x.getKey().seq()));
        for (Map.Entry<Link, Hashed> x : open) {
            Link missing = x.getKey();
            Chain c = chains.get(missing.writer());
            Loc after = x.getValue().at();
            if (missing.seq() < c.min) {
                if (fromStart) {
                    out.add(
                            finding(
                                    Kind.TRUNCATED,
                                    after,
                                    c.writer,
                                    missing.seq(),
                                    "events #0.."
                                            + missing.seq()
                                            + " of "
                                            + c.writer
                                            + " are gone; the first left is here"));
                }
            } else if (!c.seals.values().stream().anyMatch(s -> s.inDoubt() == missing.seq())) {
                out.add(
                        finding(
                                Kind.MISSING,
                                after,
                                c.writer,
                                missing.seq(),
                                c.writer + " #" + missing.seq() + " (just before this) is gone"));
            }
        }
        long pending = 0;
        long nowMs = now.toEpochMilli();
        for (Chain c : chains.values()) {
            pending += c.coverage(nowMs, grace.toMillis(), out);
        }
        expectedHeads
                .values()
                .forEach(
                        h ->
                                out.add(
                                        new Finding(
                                                Kind.HEAD_GONE,
                                                -1,
                                                -1,
                                                h.time(),
                                                h.writer(),
                                                h.seq(),
                                                h.writer()
                                                        + " #"
                                                        + h.seq()
                                                        + ", exported from "
                                                        + h.partition()
                                                        + "@"
                                                        + h.offset()
                                                        + ", is no longer on the topic")));
        List<Head> heads = new ArrayList<>();
        for (Chain c : chains.values()) {
            Hashed last = hashes.get(new Link(c.writer, c.max));
            if (last != null) {
                heads.add(
                        new Head(
                                c.writer,
                                c.max,
                                HEX.formatHex(last.hash()),
                                last.at().partition(),
                                last.at().offset(),
                                c.time(c.max)));
            }
        }
        out.sort(
                Comparator.comparingInt(Finding::partition)
                        .thenComparingLong(Finding::offset)
                        .thenComparing(Finding::kind));
        return new Result(records, chains.size(), checkpoints, pending, List.copyOf(out), heads);
    }

    private Finding finding(Kind kind, Loc at, String w, long seq, String message) {
        Chain c = w == null ? null : chains.get(w);
        long t = c != null && c.has(seq) ? c.time(seq) : recordTime;
        return new Finding(kind, at.partition(), at.offset(), t, w, seq, message);
    }

    /** One writer's events seen so far: time and location by sequence number, and its seals. */
    private static final class Chain {
        private static final long ABSENT = Long.MIN_VALUE;
        final String writer;
        final TreeMap<Long, Seal> seals = new TreeMap<>();
        long min = Long.MAX_VALUE;
        long max = -1;
        private long base = -1;
        private long[] times = new long[0];
        private long[] locs = new long[0];

        Chain(String writer) {
            this.writer = writer;
        }

        boolean has(long seq) {
            int i = (int) (seq - base);
            return base >= 0 && i >= 0 && i < times.length && times[i] != ABSENT;
        }

        long time(long seq) {
            return times[(int) (seq - base)];
        }

        Loc loc(long seq) {
            long l = locs[(int) (seq - base)];
            return new Loc((int) (l >>> 48), l & 0xFFFF_FFFF_FFFFL);
        }

        void put(long seq, long time, Loc at) {
            if (base < 0) {
                base = seq;
            }
            if (seq < base) {
                grow((int) (base - seq), 0);
                base = seq;
            }
            int i = (int) (seq - base);
            if (i >= times.length) {
                grow(0, Math.max(i + 1 - times.length, times.length));
            }
            times[i] = time;
            locs[i] = ((long) at.partition() << 48) | at.offset();
            min = Math.min(min, seq);
            max = Math.max(max, seq);
        }

        private void grow(int front, int back) {
            long[] t = new long[times.length + front + back];
            long[] l = new long[t.length];
            Arrays.fill(t, ABSENT);
            System.arraycopy(times, 0, t, front, times.length);
            System.arraycopy(locs, 0, l, front, locs.length);
            times = t;
            locs = l;
        }

        /** Adds unsealed and late-sealed runs to out; returns events still within their time. */
        long coverage(long nowMs, long graceMs, List<Finding> out) {
            long pending = 0;
            long runStart = -1;
            long runEnd = -1;
            Kind runKind = null;
            for (long s = min; s <= max; s++) {
                if (!has(s) || seals.containsKey(s)) {
                    continue;
                }
                Map.Entry<Long, Seal> cover = seals.higherEntry(s);
                Kind k = null;
                long t = time(s);
                if (cover == null) {
                    long interval = seals.isEmpty() ? 0 : seals.lastEntry().getValue().intervalMs();
                    if (t + interval + graceMs < nowMs) {
                        k = Kind.UNSEALED;
                    } else {
                        pending++;
                    }
                } else if (cover.getValue().time() - t > cover.getValue().intervalMs() + graceMs) {
                    k = Kind.CHECKPOINT_GAP;
                }
                if (k != runKind || (k != null && s != runEnd + 1)) {
                    flush(runKind, runStart, runEnd, out);
                    runStart = s;
                    runKind = k;
                }
                runEnd = s;
            }
            flush(runKind, runStart, runEnd, out);
            return pending;
        }

        private void flush(Kind k, long from, long to, List<Finding> out) {
            if (k == null) {
                return;
            }
            Loc at = loc(from);
            String what =
                    k == Kind.UNSEALED
                            ? " were never covered by a signed checkpoint (a writer that stopped"
                                    + " without one, or events added without the key)"
                            : " waited longer than their writer's interval for a checkpoint";
            out.add(
                    new Finding(
                            k,
                            at.partition(),
                            at.offset(),
                            time(from),
                            writer,
                            from,
                            writer
                                    + " #"
                                    + from
                                    + (to > from ? "..#" + to : "")
                                    + " ("
                                    + (to - from + 1)
                                    + " events from "
                                    + Instant.ofEpochMilli(time(from))
                                    + ")"
                                    + what));
        }
    }
}
