package io.vigil.index.lucene;

import io.vigil.index.WatchlistEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.List;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.util.BytesRef;

/**
 * How an enrolled face is stored: one Lucene document per face with the entry's metadata, its unit
 * vector (float32 little-endian) and its {@link SignSketch} in doc values.
 */
final class FaceDocuments {
    static final String F_FACE_ID = "faceId";
    static final String F_ENTRY_ID = "entryId";
    static final String F_EXTERNAL_ID = "externalId";
    static final String F_ENROLLED_BY = "enrolledBy";
    static final String F_ENROLLED_AT = "enrolledAt";
    static final String F_LEGAL_BASIS = "legalBasis";
    static final String F_EXPIRES_AT = "expiresAt";
    static final String F_MODEL_ID = "modelId";
    static final String F_PURPOSE = "purpose";

    /** Doc values of the purposes, for the scan. */
    static final String F_PURPOSE_DV = "purpose.dv";

    /** The cameras an entry may be matched on, or {@link WatchlistEntry#ANY_CAMERA}. */
    static final String F_CAMERA = "camera";

    static final String F_CAMERA_DV = "camera.dv";

    /** Doc values of the model id and expiry for the scan. */
    static final String F_MODEL_DV = "modelId.dv";

    static final String F_EXPIRES_DV = "expiresAt.dv";

    /** Unit vector, float32 little-endian, in binary doc values. */
    static final String F_VECTOR = "vector.f32";

    static final String F_SKETCH = "sketch.v" + SignSketch.VERSION;

    private static final VarHandle F32 =
            MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private FaceDocuments() {}

    static Document document(WatchlistEntry entry, String faceId, float[] unit, long[] sketch) {
        Document doc = new Document();
        doc.add(new StringField(F_FACE_ID, faceId, Field.Store.YES));
        doc.add(new StringField(F_ENTRY_ID, entry.entryId(), Field.Store.YES));
        doc.add(new StoredField(F_EXTERNAL_ID, entry.externalId()));
        doc.add(new StoredField(F_ENROLLED_BY, entry.enrolledBy()));
        doc.add(new StoredField(F_ENROLLED_AT, entry.enrolledAt().toEpochMilli()));
        doc.add(new StoredField(F_LEGAL_BASIS, entry.legalBasis()));
        long expires = entry.expiresAt().toEpochMilli();
        doc.add(new LongPoint(F_EXPIRES_AT, expires));
        doc.add(new StoredField(F_EXPIRES_AT, expires));
        doc.add(new NumericDocValuesField(F_EXPIRES_DV, expires));
        doc.add(new StringField(F_MODEL_ID, entry.modelId(), Field.Store.YES));
        for (String p : entry.purposes()) {
            doc.add(new StringField(F_PURPOSE, p, Field.Store.YES));
            doc.add(new SortedSetDocValuesField(F_PURPOSE_DV, new BytesRef(p)));
        }
        for (String c : entry.cameraTokens()) {
            doc.add(new StringField(F_CAMERA, c, Field.Store.YES));
            doc.add(new SortedSetDocValuesField(F_CAMERA_DV, new BytesRef(c)));
        }
        doc.add(new SortedDocValuesField(F_MODEL_DV, new BytesRef(entry.modelId())));
        byte[] vector = new byte[unit.length * Float.BYTES];
        for (int i = 0; i < unit.length; i++) {
            F32.set(vector, i * Float.BYTES, unit[i]);
        }
        doc.add(new BinaryDocValuesField(F_VECTOR, new BytesRef(vector)));
        byte[] sketchBytes = new byte[sketch.length * Long.BYTES];
        for (int i = 0; i < sketch.length; i++) {
            I64.set(sketchBytes, i * Long.BYTES, sketch[i]);
        }
        doc.add(new BinaryDocValuesField(F_SKETCH, new BytesRef(sketchBytes)));
        return doc;
    }

    static float dot(float[] unit, BytesRef vector, int doc) {
        if (vector.length != unit.length * Float.BYTES) {
            throw new IllegalArgumentException(
                    "dimension mismatch: query has "
                            + unit.length
                            + ", enrolled face (doc "
                            + doc
                            + ") has "
                            + vector.length / Float.BYTES);
        }
        byte[] b = vector.bytes;
        int o = vector.offset;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < unit.length; i += 4, o += 16) {
            s0 += unit[i] * (float) F32.get(b, o);
            s1 += unit[i + 1] * (float) F32.get(b, o + 4);
            s2 += unit[i + 2] * (float) F32.get(b, o + 8);
            s3 += unit[i + 3] * (float) F32.get(b, o + 12);
        }
        for (; i < unit.length; i++, o += 4) {
            s0 += unit[i] * (float) F32.get(b, o);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Word {@code w} of a stored sketch. */
    static long word(BytesRef sketch, int w) {
        return (long) I64.get(sketch.bytes, sketch.offset + w * Long.BYTES);
    }

    static WatchlistEntry toEntry(Document doc) {
        return new WatchlistEntry(
                doc.get(F_ENTRY_ID),
                doc.get(F_EXTERNAL_ID),
                doc.get(F_ENROLLED_BY),
                Instant.ofEpochMilli(doc.getField(F_ENROLLED_AT).numericValue().longValue()),
                doc.get(F_LEGAL_BASIS),
                Instant.ofEpochMilli(doc.getField(F_EXPIRES_AT).numericValue().longValue()),
                doc.get(F_MODEL_ID),
                List.of(doc.getValues(F_PURPOSE)),
                WatchlistEntry.fromCameraTokens(List.of(doc.getValues(F_CAMERA))));
    }
}
