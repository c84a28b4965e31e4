package io.vigil.watchlist.gallery;

import io.vigil.common.audit.AuditEvents;
import io.vigil.common.audit.AuditLog;
import io.vigil.index.IndexedEntry;
import io.vigil.schemas.AuditEventType;
import java.time.Instant;
import java.util.List;

/** The gallery's retention: every booking whose purge date has passed goes, with its face crops. */
public final class GalleryRetention {
    private GalleryRetention() {}

    /** What a purge removed. */
    public record Purged(List<String> bookingIds, long faces, long cropBytes) {}

    /** Purges what is due at {@code now}, audited before anything is removed. */
    public static Purged purge(Gallery gallery, AuditLog audit, String actor, Instant now) {
        List<IndexedEntry> due =
                gallery.index().entries().stream().filter(e -> e.entry().isExpired(now)).toList();
        audit.record(
                AuditEvents.event(AuditEventType.GALLERY_PURGE, actor, now)
                        .setReason("retention passed")
                        .setDetails(AuditEvents.details("entries", due.size()))
                        .build());
        long faces = gallery.index().purgeExpired(now);
        gallery.index().commit();
        long bytes = 0;
        for (IndexedEntry e : due) {
            bytes += gallery.faces().deleteEntry(e.entry().entryId());
        }
        return new Purged(due.stream().map(e -> e.entry().externalId()).toList(), faces, bytes);
    }
}
