package io.vigil.console;

import io.vigil.common.audit.AuditSettings;
import io.vigil.common.config.Settings;
import io.vigil.common.kafka.KafkaSettings;
import io.vigil.watchlist.settings.GallerySettings;
import io.vigil.watchlist.settings.ModelSettings;
import io.vigil.watchlist.settings.WatchlistSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The console's settings: its own (server, users, sessions, review policy) and the shared sections
 * it reads from the same properties (Kafka and topics, audit, models, watchlist), so it agrees with
 * the job on every shared key. Parsing and validation only.
 */
public final class ConsoleConfig extends AbstractConfig {
    public static final String BIND = "vigil.console.bind";
    public static final String USERS_FILE = "vigil.console.users.file";
    public static final String SESSION_IDLE_MINUTES = "vigil.console.session.idle.minutes";
    public static final String COOKIE_SECURE = "vigil.console.cookie.secure";
    public static final String HTTP_THREADS = "vigil.console.http.threads";
    public static final String MAX_LIVE_FEEDS = "vigil.console.max.live.feeds";
    public static final String REQUEST_TIMEOUT_SECONDS = "vigil.console.request.timeout.seconds";
    public static final String REVIEW_CONFIRMATIONS = "vigil.review.confirmations.required";
    public static final String AUTHORIZATION_WARN_DAYS = "vigil.console.authorization.warn.days";
    public static final String TRANSACTIONAL_ID = "vigil.console.transactional.id";
    public static final String TRANSACTIONAL_ID_DEFAULT = "vigil-console";
    public static final String REVIEW_SLA_MINUTES = "vigil.review.sla.minutes";

    public static final ConfigDef CONFIG =
            new ConfigDef()
                    .define(
                            AUTHORIZATION_WARN_DAYS,
                            Type.INT,
                            14,
                            Range.between(1, 365),
                            Importance.MEDIUM,
                            "Days before a camera's authorization ends from which the console"
                                    + " flags it (and vigil_cameras_authorization counts it as"
                                    + " ENDING_SOON), so it is renewed or the camera retired in"
                                    + " time.")
                    .define(
                            REVIEW_CONFIRMATIONS,
                            Type.INT,
                            2,
                            Range.between(1, 5),
                            Importance.HIGH,
                            "Confirmations by different reviewers an alert needs to become"
                                    + " CONFIRMED. One rejection rejects it.")
                    .define(
                            BIND,
                            Type.STRING,
                            "127.0.0.1:8480",
                            new ConfigDef.NonEmptyString(),
                            Importance.HIGH,
                            "host:port the console listens on. Serve it behind a TLS-terminating"
                                    + " proxy when it is reachable from other machines.")
                    .define(
                            USERS_FILE,
                            Type.STRING,
                            "",
                            Importance.HIGH,
                            "Accounts file (name:role:pbkdf2-sha256:iterations:salt:hash lines,"
                                    + " written by `vigil console add-user`). Required.")
                    .define(
                            SESSION_IDLE_MINUTES,
                            Type.INT,
                            30,
                            Range.between(1, 24 * 60),
                            Importance.MEDIUM,
                            "A session ends after this many minutes without a request.")
                    .define(
                            COOKIE_SECURE,
                            Type.BOOLEAN,
                            false,
                            Importance.HIGH,
                            "Mark the session cookie Secure, so browsers send it only over HTTPS."
                                    + " Set true whenever the console is served through a TLS"
                                    + " proxy (the Kubernetes manifests do).")
                    .define(
                            HTTP_THREADS,
                            Type.INT,
                            32,
                            Range.between(4, 1024),
                            Importance.MEDIUM,
                            "Threads serving requests. Connections beyond them and a short queue"
                                    + " are closed at once, so a flood cannot exhaust memory.")
                    .define(
                            MAX_LIVE_FEEDS,
                            Type.INT,
                            16,
                            Range.between(1, 1000),
                            Importance.MEDIUM,
                            "Open live alert feeds at most (each holds a thread); further feeds"
                                    + " are answered 503. Must be under "
                                    + HTTP_THREADS
                                    + ".")
                    .define(
                            REQUEST_TIMEOUT_SECONDS,
                            Type.INT,
                            30,
                            Range.between(1, 600),
                            Importance.MEDIUM,
                            "Time a client has to send a request's headers and body before its"
                                    + " connection is closed. JVM-wide: the first console started"
                                    + " in a JVM sets it.")
                    .define(
                            TRANSACTIONAL_ID,
                            Type.STRING,
                            TRANSACTIONAL_ID_DEFAULT,
                            new ConfigDef.NonEmptyString(),
                            Importance.LOW,
                            "Kafka transactional id of the console's review writer: a decision and"
                                    + " the settled alert it makes are written in one"
                                    + " transaction. Run one console per id: a second one with"
                                    + " the same id fences the first.")
                    .define(
                            REVIEW_SLA_MINUTES,
                            Type.INT,
                            15,
                            Range.between(1, 7 * 24 * 60),
                            Importance.MEDIUM,
                            "An alert waiting for review (or adjudication) longer than this is"
                                    + " flagged in the queue and counted by the"
                                    + " vigil_console_alerts_over_sla metric.");

    private final KafkaSettings kafka;
    private final AuditSettings audit;
    private final ModelSettings models;
    private final WatchlistSettings watchlist;
    private final GallerySettings gallery;

    public ConsoleConfig(Map<?, ?> props) {
        super(CONFIG, props);
        if (getString(USERS_FILE).isBlank()) {
            throw new ConfigException(
                    USERS_FILE, "", "is required: the console has no anonymous access");
        }
        bind();
        if (getInt(MAX_LIVE_FEEDS) >= getInt(HTTP_THREADS)) {
            throw new ConfigException(
                    MAX_LIVE_FEEDS,
                    getInt(MAX_LIVE_FEEDS),
                    "must be under "
                            + HTTP_THREADS
                            + "="
                            + getInt(HTTP_THREADS)
                            + ": live feeds would hold every thread");
        }
        this.kafka = new KafkaSettings(props);
        this.audit = new AuditSettings(props);
        this.models = new ModelSettings(props);
        this.watchlist = new WatchlistSettings(props);
        this.gallery = new GallerySettings(props);
    }

    public ConsoleServer.Limits limits() {
        return new ConsoleServer.Limits(
                getInt(HTTP_THREADS), getInt(MAX_LIVE_FEEDS), getInt(REQUEST_TIMEOUT_SECONDS));
    }

    public boolean secureCookies() {
        return getBoolean(COOKIE_SECURE);
    }

    /** Properties file values overlaid with VIGIL_* environment variables and overrides. */
    public static ConsoleConfig load(
            Path file, Map<String, String> env, Map<String, String> overrides) {
        return new ConsoleConfig(
                Settings.load(
                        file,
                        env,
                        overrides,
                        CONFIG,
                        KafkaSettings.CONFIG,
                        AuditSettings.CONFIG,
                        ModelSettings.CONFIG,
                        WatchlistSettings.CONFIG,
                        GallerySettings.CONFIG));
    }

    public GallerySettings gallery() {
        return gallery;
    }

    /** Whether this console serves investigation search (a gallery is configured). */
    public boolean hasGallery() {
        return gallery.configured();
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public AuditSettings audit() {
        return audit;
    }

    public ModelSettings models() {
        return models;
    }

    public WatchlistSettings watchlist() {
        return watchlist;
    }

    public Duration authorizationWarning() {
        return Duration.ofDays(getInt(AUTHORIZATION_WARN_DAYS));
    }

    public String transactionalId() {
        return getString(TRANSACTIONAL_ID);
    }

    public Duration reviewSla() {
        return Duration.ofMinutes(getInt(REVIEW_SLA_MINUTES));
    }

    public int reviewConfirmationsRequired() {
        return getInt(REVIEW_CONFIRMATIONS);
    }

    public InetSocketAddress bind() {
        String v = getString(BIND);
        int colon = v.lastIndexOf(':');
        try {
            return new InetSocketAddress(
                    v.substring(0, colon), Integer.parseInt(v.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new ConfigException(BIND, v, "must be host:port");
        }
    }

    public Path usersFile() {
        return Path.of(getString(USERS_FILE));
    }

    public Duration sessionIdle() {
        return Duration.ofMinutes(getInt(SESSION_IDLE_MINUTES));
    }
}
