package io.vigil.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.common.kafka.SyncProducer;
import io.vigil.schemas.AuditEvent;
import io.vigil.schemas.AuditEventType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditChainTest {
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private static AuditKeys.Signer signer;
    private static PublicKey publicKey;

    @BeforeAll
    static void keys(@TempDir Path dir) {
        KeyPair pair = AuditKeys.generate();
        Path file = AuditKeys.write(pair, dir);
        signer = AuditKeys.signer(file, "test.key");
        publicKey = AuditKeys.publicKey(AuditKeys.publicKeyBeside(file));
    }

    /** A record as it lies on one partition. */
    private record Rec(long offset, long time, byte[] value) {}

    private static AuditEvent event(int i) {
        return AuditEvents.event(AuditEventType.WATCHLIST_SHOW, "ana", T0.plusSeconds(i))
                .setWatchlistEntryId("entry-" + i)
                .setDetails(AuditEvents.details("z", "last", "a", "first", "n", i))
                .build();
    }

    /** n events of one writer, then its checkpoint, on one partition. */
    private static List<Rec> sealedRun(AuditChain chain, int n) {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AuditChain.Written w = chain.append(event(i));
            out.add(new Rec(out.size(), w.timestamp(), w.value()));
        }
        AuditChain.Written seal = chain.seal(T0.plusSeconds(n)).orElseThrow();
        out.add(new Rec(out.size(), seal.timestamp(), seal.value()));
        return out;
    }

    private static AuditVerifier.Result verify(List<Rec> recs, Instant now) {
        AuditVerifier v = new AuditVerifier(List.of(publicKey), Duration.ZERO, true, List.of());
        recs.forEach(r -> v.accept(0, r.offset(), r.time(), r.value()));
        return v.finish(now);
    }

    private static AuditChain chain() {
        return new AuditChain("test", "system:test", signer, INTERVAL);
    }

    private static List<AuditVerifier.Kind> kinds(AuditVerifier.Result r) {
        return r.findings().stream().map(AuditVerifier.Finding::kind).toList();
    }

    @Test
    void anUntouchedChainVerifies() {
        AuditVerifier.Result r = verify(sealedRun(chain(), 5), T0.plusSeconds(3600));
        assertThat(r.findings()).isEmpty();
        assertThat(r.records()).isEqualTo(6);
        assertThat(r.checkpoints()).isEqualTo(1);
        assertThat(r.heads()).singleElement().satisfies(h -> assertThat(h.seq()).isEqualTo(5));
    }

    @Test
    void eventsAreWrittenWithSortedDetailsAndTheirLink() throws Exception {
        AuditChain chain = chain();
        AuditChain.Written first = chain.append(event(0));
        AuditEvent decoded = AuditEvent.getDecoder().decode(ByteBuffer.wrap(first.value()));
        assertThat(decoded.getChain().getSeq()).isZero();
        assertThat(decoded.getChain().getWriter()).startsWith("test/");
        // Canonical bytes: details sorted, so decoding and encoding again gives the same bytes.
        decoded.setDetails(new java.util.TreeMap<>(decoded.getDetails()));
        assertThat(SyncProducer.bytes(decoded)).isEqualTo(first.value());
        assertThat(first.key()).isEqualTo("entry-0");
        AuditEvent second =
                AuditEvent.getDecoder().decode(ByteBuffer.wrap(chain.append(event(1)).value()));
        assertThat(second.getChain().getPrev().bytes()).isEqualTo(AuditKeys.sha256(first.value()));
    }

    @Test
    void anAlteredEventIsReportedAtItsOffset() throws Exception {
        List<Rec> recs = sealedRun(chain(), 5);
        AuditEvent e = AuditEvent.getDecoder().decode(ByteBuffer.wrap(recs.get(2).value()));
        e.setDetails(Map.of("a", "first", "n", "2", "z", "rewritten"));
        recs.set(2, new Rec(2, recs.get(2).time(), SyncProducer.bytes(e)));
        AuditVerifier.Result r = verify(recs, T0.plusSeconds(3600));
        assertThat(kinds(r)).containsExactly(AuditVerifier.Kind.ALTERED);
        assertThat(r.findings().get(0).offset()).isEqualTo(2);
    }

    @Test
    void theLastEventBeforeACheckpointIsProtectedByIt() throws Exception {
        List<Rec> recs = sealedRun(chain(), 3);
        AuditEvent e = AuditEvent.getDecoder().decode(ByteBuffer.wrap(recs.get(2).value()));
        e.setActor("someone-else");
        recs.set(2, new Rec(2, recs.get(2).time(), SyncProducer.bytes(e)));
        assertThat(kinds(verify(recs, T0.plusSeconds(3600))))
                .containsExactly(AuditVerifier.Kind.ALTERED);
    }

    @Test
    void removedAndTruncatedEventsAreReported() {
        List<Rec> recs = sealedRun(chain(), 6);
        List<Rec> holed = new ArrayList<>(recs);
        holed.remove(3);
        AuditVerifier.Result r = verify(holed, T0.plusSeconds(3600));
        assertThat(kinds(r)).containsExactly(AuditVerifier.Kind.MISSING);
        assertThat(r.findings().get(0).offset()).isEqualTo(4);

        AuditVerifier.Result cut = verify(recs.subList(2, recs.size()), T0.plusSeconds(3600));
        assertThat(kinds(cut)).containsExactly(AuditVerifier.Kind.TRUNCATED);
        assertThat(cut.findings().get(0).offset()).isEqualTo(2);

        AuditVerifier fromMiddle =
                new AuditVerifier(List.of(publicKey), Duration.ZERO, false, List.of());
        recs.subList(2, recs.size())
                .forEach(x -> fromMiddle.accept(0, x.offset(), x.time(), x.value()));
        assertThat(fromMiddle.finish(T0.plusSeconds(3600)).findings()).isEmpty();
    }

    @Test
    void eventsAddedWithoutTheKeyAreReported() {
        List<Rec> recs = new ArrayList<>(sealedRun(chain(), 3));
        // A forger can compute hashes, so a new chain of its own links correctly; it has no seal.
        AuditChain forger = chain();
        AuditChain.Written forged = forger.append(event(9));
        recs.add(new Rec(recs.size(), forged.timestamp(), forged.value()));
        assertThat(verify(recs, T0.plusSeconds(9)).findings()).isEmpty();
        assertThat(verify(recs, T0.plusSeconds(9)).pending()).isEqualTo(1);
        AuditVerifier.Result late = verify(recs, T0.plusSeconds(3600));
        assertThat(kinds(late)).containsExactly(AuditVerifier.Kind.UNSEALED);
        assertThat(late.findings().get(0).offset()).isEqualTo(4);

        // A checkpoint signed with a key nobody published.
        AuditKeys.Signer other =
                AuditKeys.signer(AuditKeys.write(AuditKeys.generate(), tmp()), "other");
        AuditChain alien = new AuditChain("test", "system:test", other, INTERVAL);
        List<Rec> alienRun = sealedRun(alien, 1);
        List<Rec> mixed = new ArrayList<>(sealedRun(chain(), 1));
        alienRun.forEach(x -> mixed.add(new Rec(mixed.size(), x.time(), x.value())));
        assertThat(kinds(verify(mixed, T0.plusSeconds(3600))))
                .containsExactlyInAnyOrder(
                        AuditVerifier.Kind.UNKNOWN_KEY, AuditVerifier.Kind.UNSEALED);
    }

    @Test
    void aForgedSignatureAndAClaimedSequenceNumberAreReported() throws Exception {
        List<Rec> recs = new ArrayList<>(sealedRun(chain(), 2));
        AuditEvent seal = AuditEvent.getDecoder().decode(ByteBuffer.wrap(recs.get(2).value()));
        seal.getDetails().put(AuditChain.INTERVAL_MS, "86400000");
        recs.set(2, new Rec(2, recs.get(2).time(), SyncProducer.bytes(seal)));
        assertThat(kinds(verify(recs, T0.plusSeconds(3600))))
                .contains(AuditVerifier.Kind.BAD_SIGNATURE);

        List<Rec> dup = new ArrayList<>(sealedRun(chain(), 2));
        dup.add(new Rec(3, dup.get(1).time(), dup.get(1).value()));
        AuditVerifier.Result r = verify(dup, T0.plusSeconds(3600));
        assertThat(kinds(r)).containsExactly(AuditVerifier.Kind.DUPLICATE);
        assertThat(r.findings().get(0).offset()).isEqualTo(3);
    }

    @Test
    void reorderedEventsAreReported() {
        List<Rec> recs = sealedRun(chain(), 4);
        List<Rec> swapped = new ArrayList<>();
        for (int i : new int[] {0, 2, 1, 3, 4}) {
            swapped.add(new Rec(swapped.size(), recs.get(i).time(), recs.get(i).value()));
        }
        AuditVerifier.Result r = verify(swapped, T0.plusSeconds(3600));
        assertThat(kinds(r)).containsExactly(AuditVerifier.Kind.REORDERED);
        assertThat(r.findings().get(0).offset()).isEqualTo(2);
    }

    @Test
    void aWriteInDoubtIsAcceptedAbsentOnceTheCheckpointSaysSo() {
        AuditChain chain = chain();
        List<Rec> recs = new ArrayList<>();
        AuditChain.Written a = chain.append(event(0));
        recs.add(new Rec(0, a.timestamp(), a.value()));
        chain.append(event(1));
        chain.inDoubt();
        AuditChain.Written seal = chain.seal(T0.plusSeconds(5)).orElseThrow();
        recs.add(new Rec(1, seal.timestamp(), seal.value()));
        assertThat(verify(recs, T0.plusSeconds(3600)).findings()).isEmpty();
    }

    @Test
    void aCheckpointLaterThanTheIntervalIsAGap() {
        AuditChain chain = chain();
        List<Rec> recs = new ArrayList<>();
        AuditChain.Written a = chain.append(event(0));
        recs.add(new Rec(0, a.timestamp(), a.value()));
        AuditChain.Written seal = chain.seal(T0.plus(Duration.ofHours(2))).orElseThrow();
        recs.add(new Rec(1, seal.timestamp(), seal.value()));
        assertThat(kinds(verify(recs, T0.plus(Duration.ofHours(3)))))
                .containsExactly(AuditVerifier.Kind.CHECKPOINT_GAP);
        assertThat(chain.seal(T0.plus(Duration.ofHours(3)))).isEmpty();
    }

    @Test
    void exportedHeadsThatAreGoneAreReported() {
        List<Rec> first = sealedRun(chain(), 2);
        AuditVerifier.Result r = verify(first, T0.plusSeconds(3600));
        List<Rec> later = sealedRun(chain(), 2);
        AuditVerifier v = new AuditVerifier(List.of(publicKey), Duration.ZERO, true, r.heads());
        later.forEach(x -> v.accept(0, x.offset(), x.time(), x.value()));
        assertThat(kinds(v.finish(T0.plusSeconds(3600))))
                .containsExactly(AuditVerifier.Kind.HEAD_GONE);
        AuditVerifier same = new AuditVerifier(List.of(publicKey), Duration.ZERO, true, r.heads());
        first.forEach(x -> same.accept(0, x.offset(), x.time(), x.value()));
        assertThat(same.finish(T0.plusSeconds(3600)).findings()).isEmpty();
    }

    @Test
    void keysFromOpensslAreRead(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("k.pem");
        Process p =
                new ProcessBuilder(
                                "openssl",
                                "genpkey",
                                "-algorithm",
                                "ed25519",
                                "-out",
                                key.toString())
                        .inheritIO()
                        .start();
        assertThat(p.waitFor()).isZero();
        Path pub = dir.resolve("k.pub.pem");
        Process q =
                new ProcessBuilder(
                                "openssl",
                                "pkey",
                                "-in",
                                key.toString(),
                                "-pubout",
                                "-out",
                                pub.toString())
                        .inheritIO()
                        .start();
        assertThat(q.waitFor()).isZero();
        AuditKeys.Signer s = AuditKeys.signer(key, "k");
        PublicKey pk = AuditKeys.publicKey(pub);
        assertThat(s.keyId()).isEqualTo(AuditKeys.keyId(pk));
        assertThat(AuditKeys.verify(pk, new byte[] {1, 2}, s.sign(new byte[] {1, 2}))).isTrue();
    }

    private static Path tmp() {
        try {
            return java.nio.file.Files.createTempDirectory("audit-keys");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
