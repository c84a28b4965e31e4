package io.vigil.console;

import io.vigil.common.audit.AuditExport;
import io.vigil.common.audit.AuditLog;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.common.kafka.Topic;
import io.vigil.schemas.Alert;
import io.vigil.schemas.CameraRegistration;
import io.vigil.schemas.CameraStatus;
import io.vigil.schemas.ReviewDecision;
import io.vigil.watchlist.WatchlistAccess;
import io.vigil.watchlist.WatchlistService;
import io.vigil.watchlist.camera.CameraAdmin;
import io.vigil.watchlist.camera.KafkaCameraStore;
import io.vigil.watchlist.gallery.GalleryAccess;
import io.vigil.watchlist.reference.ReferenceFaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running console: its view of the alert, review, registry and camera-status topics, the review
 * desk, the watchlist service and the HTTP server, wired from a {@link ConsoleConfig}.
 */
public final class Console implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);

    private final ConsoleServer server;
    private final TopicFollower follower;
    private final KafkaReviewLog reviews;
    private final AuditLog.Closeable audit;
    private final WatchlistAccess watchlist;
    private final KafkaCameraStore cameraStore;
    private final ConsoleMetrics metrics;
    private final Optional<GalleryAccess> gallery;

    private Console(
            ConsoleServer server,
            TopicFollower follower,
            KafkaReviewLog reviews,
            AuditLog.Closeable audit,
            WatchlistAccess watchlist,
            KafkaCameraStore cameraStore,
            ConsoleMetrics metrics,
            Optional<GalleryAccess> gallery) {
        this.server = server;
        this.follower = follower;
        this.reviews = reviews;
        this.audit = audit;
        this.watchlist = watchlist;
        this.cameraStore = cameraStore;
        this.metrics = metrics;
        this.gallery = gallery;
    }

    public static Console start(ConsoleConfig config) throws IOException, InterruptedException {
        KafkaSettings k = config.kafka();
        Users users = Users.load(config.usersFile());
        if (users.size() == 0) {
            throw new IllegalStateException(
                    config.usersFile() + " has no accounts; add one with `vigil console add-user`");
        }
        AuditLog.Closeable audit = AuditLog.open(config.audit(), k, "console");
        ConsoleMetrics metrics = new ConsoleMetrics();
        metrics.describe("vigil_console_http_requests_total", "HTTP requests by status.");
        metrics.describe("vigil_console_logins_total", "Login attempts by result.");
        metrics.describe("vigil_console_reviews_total", "Review decisions by decision.");
        metrics.describe("vigil_console_alert_revisions_total", "Alert revisions read.");
        metrics.describe("vigil_console_access_denied_total", "Requests refused by role.");
        AlertBoard alerts = new AlertBoard(new ReviewPolicy(config.reviewConfirmationsRequired()));
        CameraBoard cameras = new CameraBoard(config.authorizationWarning(), Clock.systemUTC());
        metrics.gauges(
                "vigil_camera_authorization_days_left",
                "Days until each registered camera's authorization ends (negative once it has).",
                cameras::authorizationDaysLeft);
        metrics.gauges(
                "vigil_cameras_authorization",
                "Registered cameras by authorization state (ENDING_SOON: within the warning"
                        + " period).",
                cameras::authorizationCounts);
        metrics.gauges(
                "vigil_camera_frames_per_second",
                "Frames per second published by each camera's ingest (latest status report).",
                () -> cameras.perCamera(CameraStatus::getFramesPerSecond));
        metrics.gauges(
                "vigil_camera_frames_published",
                "Frames each camera's ingest has published since it started.",
                () -> cameras.perCamera(st -> st.getFramesPublished()));
        metrics.gauges(
                "vigil_camera_frames_dropped",
                "Frames dropped by the camera's publisher because Kafka lagged.",
                () -> cameras.perCamera(st -> st.getFramesDropped()));
        metrics.gauges(
                "vigil_camera_reconnects",
                "Source reconnects of each camera.",
                () -> cameras.perCamera(st -> st.getReconnects()));
        TopicFollower follower =
                new TopicFollower(
                        k.kafka(),
                        Map.of(
                                k.topic(Topic.ALERTS),
                                r -> {
                                    alerts.onAlert(decode(r.value(), Alert.getDecoder()::decode));
                                    metrics.inc("vigil_console_alert_revisions_total", "");
                                },
                                k.topic(Topic.REVIEWS),
                                r ->
                                        alerts.onDecision(
                                                decode(
                                                        r.value(),
                                                        ReviewDecision.getDecoder()::decode)),
                                k.topic(Topic.CAMERAS),
                                r ->
                                        cameras.onRegistration(
                                                decode(
                                                        r.value(),
                                                        CameraRegistration.getDecoder()::decode)),
                                k.topic(Topic.CAMERA_STATUS),
                                r ->
                                        cameras.onStatus(
                                                decode(
                                                        r.value(),
                                                        CameraStatus.getDecoder()::decode))));
        follower.start();
        if (!follower.awaitCaughtUp(Duration.ofSeconds(60))) {
            LOG.warn("the console's view is still catching up with the topics");
        }
        KafkaReviewLog reviewLog =
                KafkaReviewLog.open(
                        k.kafka(),
                        config.transactionalId(),
                        k.topic(Topic.REVIEWS),
                        k.topic(Topic.ALERTS_SETTLED));
        Clock clock = Clock.systemUTC();
        ReviewDesk desk = new ReviewDesk(alerts, reviewLog, audit, clock);
        WatchlistAccess access =
                WatchlistAccess.open(config.models(), config.watchlist(), audit, clock);
        ConsoleServer.Watchlist watchlist =
                new ConsoleServer.Watchlist() {
                    @Override
                    public <T> T with(String actor, Function<WatchlistService, T> operation) {
                        return access.with(operation);
                    }

                    @Override
                    public String store() {
                        return access.store();
                    }
                };
        KafkaCameraStore cameraStore = new KafkaCameraStore(k.kafka(), k.topic(Topic.CAMERAS));
        Optional<GalleryAccess> galleryAccess =
                config.hasGallery()
                        ? Optional.of(
                                GalleryAccess.open(
                                        config.models(),
                                        config.gallery(),
                                        config.gallery().onMilvus() ? config.watchlist() : null))
                        : Optional.empty();
        ConsoleServer server =
                ConsoleServer.start(
                        config.bind(),
                        config.limits(),
                        new ConsoleServer.Parts(
                                users,
                                new Sessions(config.sessionIdle(), clock),
                                alerts,
                                cameras,
                                desk,
                                watchlist,
                                actor -> new CameraAdmin(cameraStore, audit, clock),
                                audit,
                                (from, to) ->
                                        AuditExport.read(
                                                k.kafka(),
                                                k.topic(Topic.AUDIT),
                                                from,
                                                to,
                                                Set.of()),
                                metrics,
                                config.secureCookies(),
                                config.reviewSla(),
                                new ReferenceFaces(config.watchlist().referencesDir()),
                                galleryAccess.map(
                                        g ->
                                                new ConsoleServer.Investigations(
                                                        g.search(
                                                                GalleryAccess.auditCount(k),
                                                                audit,
                                                                clock,
                                                                k),
                                                        g.gallery().faces()))));
        return new Console(
                server, follower, reviewLog, audit, access, cameraStore, metrics, galleryAccess);
    }

    public int port() {
        return server.port();
    }

    public ConsoleMetrics metrics() {
        return metrics;
    }

    @FunctionalInterface
    private interface Decoder<T> {
        T decode(ByteBuffer b) throws IOException;
    }

    private static <T> T decode(byte[] value, Decoder<T> decoder) {
        try {
            return decoder.decode(ByteBuffer.wrap(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        follower.close();
        reviews.close();
        cameraStore.close();
        watchlist.close();
        gallery.ifPresent(GalleryAccess::close);
        audit.close();
    }
}
