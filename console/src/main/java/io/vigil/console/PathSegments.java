package io.vigil.console;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a raw request path into its segments and percent-decodes each exactly once. Splitting
 * before decoding keeps an encoded {@code /} inside an id; decoding once means {@code %2541} is the
 * id {@code %41}, never {@code A}; and {@code +} is a plus, not a space (that rule is for form
 * bodies, not paths). Malformed escapes or UTF-8 are the caller's error.
 */
final class PathSegments {
    private PathSegments() {}

    /** The segments of {@code rawPath} after {@code prefix}; trailing empty segments dropped. */
    static List<String> decode(String rawPath, String prefix) {
        if (!rawPath.startsWith(prefix)) {
            throw new IllegalArgumentException("path does not start with " + prefix);
        }
        String[] raw = rawPath.substring(prefix.length()).split("/");
        List<String> out = new ArrayList<>(raw.length);
        for (String s : raw) {
            out.add(decodeSegment(s));
        }
        return List.copyOf(out);
    }

    static String decodeSegment(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw new IllegalArgumentException("malformed percent-escape in the path");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // getRawPath() never holds non-ASCII, but a segment from elsewhere might.
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the path is not UTF-8 once decoded");
        }
    }
}
