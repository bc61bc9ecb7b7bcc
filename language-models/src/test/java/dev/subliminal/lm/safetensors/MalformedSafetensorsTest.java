package dev.subliminal.lm.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subliminal.lm.io.FormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed file is one {@link FormatException} whose single-line message names the file, the
 * tensor when there is one, and the problem; the same from a path (memory-mapped) and from bytes.
 */
class MalformedSafetensorsTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        String ok = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        return Stream.of(
                Arguments.of("too short", new byte[] {1, 0, 0}, null, "too short"),
                Arguments.of("header longer than file", withLength(1000, "{}", 0), null, "larger than the"),
                Arguments.of("header beyond the limit", withLength(200_000_000L, "{}", 0), null, "exceeds the limit"),
                Arguments.of("header length negative as signed", withLength(-5, "{}", 0), null, "exceeds the limit"),
                Arguments.of("not UTF-8", withHeaderBytes(new byte[] {'{', (byte) 0xC3, '}', ' '}, 0), null, "UTF-8"),
                Arguments.of("not an object", file("[1,2]", 0), null, "start with '{'"),
                Arguments.of("invalid JSON", file("{\"a\":", 0), null, "not valid JSON"),
                Arguments.of("duplicate key", file("{" + ok + "," + ok + "}", 8), null, "Duplicate field 'a'"),
                Arguments.of("trailing data in header", file("{" + ok + "} x", 8), null, "not valid JSON"),
                Arguments.of("NaN offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[NaN,8]}}", 8),
                        null, "not valid JSON"),
                Arguments.of("unknown dtype", file("{\"a\":{\"dtype\":\"F12\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                        "a", "unknown dtype 'F12'"),
                Arguments.of("unknown field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
                        "a", "unknown field 'x'"),
                Arguments.of("negative dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                        "a.shape[0]", "outside"),
                Arguments.of("fractional dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", 8),
                        "a.shape[0]", "must be an integer"),
                Arguments.of("huge dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e400],\"data_offsets\":[0,8]}}", 8),
                        "a.shape[0]", "must be an integer"),
                Arguments.of("shape product overflows", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                        + "\"data_offsets\":[0,8]}}", 8), "a", "more elements than 2^63"),
                Arguments.of("bytes overflow", file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],"
                        + "\"data_offsets\":[0,8]}}", 8), "a", "overflows 2^63 bytes"),
                Arguments.of("size mismatch", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                        "a", "needs 12"),
                Arguments.of("one offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8]}}", 8),
                        "a", "[begin, end]"),
                Arguments.of("end before begin", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
                        "a", "end before they begin"),
                Arguments.of("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8),
                        "a.shape", "must be a JSON array"),
                Arguments.of("overlap", file("{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                        "b", "overlap tensor 'a'"),
                Arguments.of("gap", file("{" + ok + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16),
                        "b", "gap of 4 bytes"),
                Arguments.of("gap at start", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                        "a", "gap of 4 bytes after the header"),
                Arguments.of("offset outside the file", file("{" + ok + "}", 4), "a", "outside the file"),
                Arguments.of("trailing bytes", file("{" + ok + "}", 12), null, "4 bytes of trailing data"),
                Arguments.of("metadata not strings", file("{\"__metadata__\":{\"k\":1}," + ok + "}", 8),
                        "__metadata__.k", "must be a string"),
                Arguments.of("empty name", file("{\"\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                        null, "empty name"),
                Arguments.of("deep nesting", file("{\"__metadata__\":" + "[".repeat(200) + "]".repeat(200) + "}", 0),
                        null, "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachMalformedFileIsOneLineNamingFileAndTensor(String what, byte[] bytes, String tensor, String problem)
            throws IOException {
        Path file = tmp.resolve("bad.safetensors");
        Files.write(file, bytes);
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOfSatisfying(FormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith(file.toString()).contains(problem).doesNotContain("\n");
                    if (tensor != null) {
                        assertThat(e.getMessage()).contains("'" + tensor + "'");
                    }
                });
        assertThatThrownBy(() -> SafetensorsFile.parse(bytes, "in-memory").close())
                .isInstanceOfSatisfying(FormatException.class, e ->
                        assertThat(e.getMessage()).startsWith("in-memory").contains(problem).doesNotContain("\n"));
    }

    private static byte[] file(String header, int dataBytes) {
        return withHeaderBytes(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private static byte[] withHeaderBytes(byte[] header, int dataBytes) {
        return withLength(header.length, header, dataBytes);
    }

    private static byte[] withLength(long n, String header, int dataBytes) {
        return withLength(n, header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    private static byte[] withLength(long n, byte[] header, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(header);
        return b.array();
    }
}
