package io.vigil.job;

/**
 * Caps what Avro allocates for a length a record claims. Avro reads a string's or a byte array's
 * length and allocates it before reading the bytes, and by default accepts up to 2 GiB: a record of
 * a few bytes could make a TaskManager allocate gigabytes. Avro reads these limits once, when its
 * {@code SystemLimitException} class is initialised, so every class that decodes records from
 * outside calls {@link #apply()} in its static initialiser; a limit set on the command line wins.
 */
public final class AvroLimits {
    /** Larger than any frame the job accepts ({@code vigil.frame.max.bytes} is at most 64 MiB). */
    static final String MAX_BYTES = String.valueOf(64 * 1024 * 1024);

    static final String MAX_STRING = String.valueOf(1024 * 1024);
    static final String MAX_ITEMS = String.valueOf(100_000);

    private AvroLimits() {}

    public static void apply() {
        setIfAbsent("org.apache.avro.limits.bytes.maxLength", MAX_BYTES);
        setIfAbsent("org.apache.avro.limits.string.maxLength", MAX_STRING);
        setIfAbsent("org.apache.avro.limits.collectionItems.maxLength", MAX_ITEMS);
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
