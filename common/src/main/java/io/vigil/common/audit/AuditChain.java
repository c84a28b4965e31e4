package io.vigil.common.audit;

import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.AuditChainLink;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import io.vigil.schemas.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One writer's hash chain over the audit events it writes. Each event gets the writer's id, the
 * next sequence number and the SHA-256 of the previous event's bytes as written; {@link #seal} adds
 * a checkpoint event whose Ed25519 signature covers the chain head, so an event altered, removed,
 * reordered or added by someone without the key shows when the topic is verified.
 *
 * <p>A chain per writer rather than per partition: the console, every tool run and every job
 * subtask write to the same partitions at once, and a per-partition chain would need one sequencer
 * on the path of every audited change. Not thread-safe; writers serialize calls.
 */
public final class AuditChain {
    static final int HASH_BYTES = 32;
    static final String KEY_ID = "keyId";
    static final String SIGNATURE = "signature";
    static final String INTERVAL_MS = "intervalMs";
    static final String IN_DOUBT = "inDoubtSeq";

    /** A record to write as it is: key, timestamp (the event's time) and value bytes. */
    public record Written(String key, long timestamp, byte[] value) {}

    private final String writer;
    private final String actor;
    private final AuditKeys.Signer signer;
    private final Duration interval;
    private long seq;
    private byte[] prev = new byte[HASH_BYTES];
    private Instant firstUnsealed;
    private long inDoubt = -1;

    /**
     * @param component what writes (console, vigil, job-3): the start of the writer id
     * @param actor the actor of the checkpoint events ({@code system:<component>})
     * @param interval how long an event may stay unsealed; verify holds the writer to it
     */
    public AuditChain(String component, String actor, AuditKeys.Signer signer, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("checkpoint interval must be positive");
        }
        this.writer = component + "/" + UUID.randomUUID();
        this.actor = actor;
        this.signer = signer;
        this.interval = interval;
    }

    public String writer() {
        return writer;
    }

    /** Links an event into the chain and returns its bytes, to be written next. */
    public Written append(AuditEvent event) {
        if (event.getType() == AuditEventType.AUDIT_CHECKPOINT) {
            throw new IllegalArgumentException("checkpoints are written by the chain itself");
        }
        Written w = link(event, AuditEvents.key(event));
        if (firstUnsealed == null) {
            firstUnsealed = event.getTimestamp();
        }
        return w;
    }

    /** True when an event has waited a full interval for its checkpoint. */
    public boolean sealDue(Instant now) {
        return firstUnsealed != null && !now.isBefore(firstUnsealed.plus(interval));
    }

    /**
     * The last {@link #append}ed event may not have reached the topic (its write failed without a
     * clear answer); the next checkpoint says so, and verify accepts it either there or absent.
     */
    public void inDoubt() {
        inDoubt = seq - 1;
    }

    /** A signed checkpoint of the head, when anything is unsealed. */
    public Optional<Written> seal(Instant now) {
        if (firstUnsealed == null && inDoubt < 0) {
            return Optional.empty();
        }
        long at = now.toEpochMilli();
        byte[] statement =
                statement(writer, seq, prev, at, signer.keyId(), interval.toMillis(), inDoubt);
        TreeMap<String, String> d = new TreeMap<>();
        d.put(KEY_ID, signer.keyId());
        d.put(SIGNATURE, Base64.getEncoder().encodeToString(signer.sign(statement)));
        d.put(INTERVAL_MS, Long.toString(interval.toMillis()));
        if (inDoubt >= 0) {
            d.put(IN_DOUBT, Long.toString(inDoubt));
        }
        AuditEvent cp =
                AuditEvents.event(AuditEventType.AUDIT_CHECKPOINT, actor, Instant.ofEpochMilli(at))
                        .setReason("signed checkpoint of the audit chain of " + writer)
                        .setDetails(d)
                        .build();
        Written w = link(cp, writer);
        firstUnsealed = null;
        inDoubt = -1;
        return Optional.of(w);
    }

    private Written link(AuditEvent event, String key) {
        AuditEvent linked =
                AuditEvent.newBuilder(event)
                        .setDetails(new TreeMap<>(event.getDetails()))
                        .setChain(new AuditChainLink(writer, seq, new Sha256(prev)))
                        .build();
        byte[] value = SyncProducer.bytes(linked);
        prev = AuditKeys.sha256(value);
        seq++;
        return new Written(key, event.getTimestamp().toEpochMilli(), value);
    }

    /** What a checkpoint signs: its writer, its own sequence number, the head it seals. */
    static byte[] statement(
            String writer,
            long seq,
            byte[] head,
            long timestampMillis,
            String keyId,
            long intervalMs,
            long inDoubt) {
        return String.join(
                        "|",
                        "vigil-audit-checkpoint/1",
                        writer,
                        Long.toString(seq),
                        HexFormat.of().formatHex(head),
                        Long.toString(timestampMillis),
                        keyId,
                        Long.toString(intervalMs),
                        Long.toString(inDoubt))
                .getBytes(StandardCharsets.UTF_8);
    }
}
