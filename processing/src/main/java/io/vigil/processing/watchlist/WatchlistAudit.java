package io.vigil.processing.watchlist;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every watchlist change and lookup with its actor and reason. The default writes them to
 * the {@code io.vigil.audit} logger; the append-only audit topic is a separate issue.
 */
@FunctionalInterface
public interface WatchlistAudit {

    void record(String action, String actor, String externalId, String detail);

    static WatchlistAudit logging() {
        Logger log = LoggerFactory.getLogger("io.vigil.audit");
        return (action, actor, externalId, detail) ->
                log.info("action={} actor={} externalId={} {}", action, actor, externalId, detail);
    }
}
