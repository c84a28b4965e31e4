package io.vigil.watchlist.camera;

import io.vigil.schemas.CameraRegistration;
import java.util.Map;

/** Where registrations are kept: the compacted registry topic in production. */
public interface CameraStore {

    /** The latest registration of every camera. */
    Map<String, CameraRegistration> all();

    /** Stores a registration; returns once it is durable. */
    void put(CameraRegistration registration);
}
