package dev.subliminal.lm.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.subliminal.lm.io.FormatException;
import dev.subliminal.lm.io.StrictJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A safetensors file, read strictly and memory-mapped.
 *
 * <p>Layout: an unsigned 64-bit little-endian length N, N bytes of UTF-8 JSON (the header, possibly
 * padded with spaces), then the data section. The header maps each tensor name to
 * {@code {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}} and may hold one
 * {@code "__metadata__"} object of string values. The tensors must tile the data section exactly:
 * sorted by offset, each begins where the previous ends, the first at 0 and the last at the end of
 * the file, and each spans dtype.size · Π shape bytes.
 *
 * <p>Every departure is a {@link FormatException} naming the file and the tensor: a header length
 * beyond the file or beyond 100,000,000 bytes (the reference limit), invalid UTF-8 or JSON, a
 * duplicate key, trailing data, an unknown dtype or field, a negative, fractional or overflowing
 * dimension or offset, a gap, an overlap, or data that does not end where the file does. Parsing
 * allocates no more than the header's size, so a hostile file cannot exhaust memory.
 *
 * <p>The data section is mapped in windows of at most 1 GiB (plus 8 bytes of overlap, so that no
 * element straddles two windows), which lifts {@link java.nio.MappedByteBuffer}'s 2 GiB limit.
 * Values convert on demand to {@code double} or {@code float}.
 */
public final class SafetensorsFile implements TensorSource {

    /** The reference implementation's bound on the header length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final int DEFAULT_WINDOW = 1 << 30;
    private static final int OVERLAP = 8;

    private final String source;
    private final Path path;
    private final Map<String, String> metadata;
    private final List<TensorInfo> tensors;
    private final Map<String, TensorInfo> byName;
    private final ByteBuffer[] windows;
    private final long window;
    private final FileChannel channel;

    private SafetensorsFile(String source, Path path, Header header, ByteBuffer[] windows, long window,
            FileChannel channel) {
        this.source = source;
        this.path = path;
        this.metadata = header.metadata;
        this.tensors = header.tensors;
        this.byName = header.byName;
        this.windows = windows;
        this.window = window;
        this.channel = channel;
    }

    /** Opens and validates a file, mapping its data section read-only. */
    public static SafetensorsFile open(Path file) {
        return open(file, DEFAULT_WINDOW);
    }

    /** As {@link #open(Path)} with a chosen window size (tests use small windows). */
    static SafetensorsFile open(Path file, int windowBytes) {
        if (windowBytes < OVERLAP || windowBytes % OVERLAP != 0) {
            throw new IllegalArgumentException("window of " + windowBytes + " bytes must be a positive multiple of 8");
        }
        String name = FormatException.name(file);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            long n = headerLength(readFully(ch, 0, (int) Math.min(8, size), name), size, name);
            Header header = Header.parse(readFully(ch, 8, (int) n, name), name, size - 8 - n);
            long dataStart = 8 + n;
            long dataLength = size - dataStart;
            int count = (int) Math.max(1, (dataLength + windowBytes - 1) / windowBytes);
            ByteBuffer[] windows = new ByteBuffer[count];
            for (int i = 0; i < count; i++) {
                long from = (long) i * windowBytes;
                long length = Math.min((long) windowBytes + OVERLAP, dataLength - from);
                windows[i] = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + from, Math.max(0, length))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            SafetensorsFile f = new SafetensorsFile(name, file, header, windows, windowBytes, ch);
            OpenFolders.opened(file);
            return f;
        } catch (NoSuchFileException e) {
            closeQuietly(ch);
            throw new FormatException(name, null, "does not exist", e);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new FormatException(name, null, "cannot be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Parses a whole file held in memory; {@code source} names it in errors (fuzzing entry point). */
    public static SafetensorsFile parse(byte[] bytes, String source) {
        long n = headerLength(bytes.length < 8 ? bytes : java.util.Arrays.copyOf(bytes, 8), bytes.length, source);
        byte[] headerBytes = java.util.Arrays.copyOfRange(bytes, 8, (int) (8 + n));
        Header header = Header.parse(headerBytes, source, bytes.length - 8 - n);
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), (int) (bytes.length - 8 - n)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new SafetensorsFile(source, null, header, new ByteBuffer[] {data}, Long.MAX_VALUE, null);
    }

    private static long headerLength(byte[] first8, long fileSize, String name) {
        if (first8.length < 8) {
            throw new FormatException(name, "is " + fileSize + " bytes, too short for the 8-byte header length");
        }
        long n = ByteBuffer.wrap(first8).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new FormatException(name, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (n > fileSize - 8) {
            throw new FormatException(name, "header length " + n + " is larger than the " + (fileSize - 8)
                    + " bytes that follow it (truncated file?)");
        }
        if (n < 2) {
            throw new FormatException(name, "header length " + n + " is too short for a JSON object");
        }
        return n;
    }

    private static byte[] readFully(FileChannel ch, long position, int length, String name) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, position + buf.position());
            if (r < 0) {
                throw new FormatException(name, "ended after " + (position + buf.position()) + " bytes while reading");
            }
        }
        return buf.array();
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the original error is more useful
            }
        }
    }

    @Override
    public String source() {
        return source;
    }

    /** The path this file was opened from, or {@code null} if it was parsed from memory. */
    public Path path() {
        return path;
    }

    @Override
    public List<TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public TensorInfo find(String name) {
        return byName.get(name);
    }

    @Override
    public String fileOf(String name) {
        return source;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public void read(String name, double[] dst, int offset) {
        TensorInfo t = floating(name, dst.length, offset);
        Reader r = new Reader(t);
        for (int i = 0; i < r.count; i++) {
            dst[offset + i] = r.next();
        }
    }

    @Override
    public void read(String name, float[] dst, int offset) {
        TensorInfo t = floating(name, dst.length, offset);
        Reader r = new Reader(t);
        for (int i = 0; i < r.count; i++) {
            dst[offset + i] = (float) r.next();
        }
    }

    /** The raw little-endian bytes of a tensor (any dtype), as a new array. */
    public byte[] bytes(String name) {
        TensorInfo t = require(name);
        byte[] out = new byte[Math.toIntExact(t.end() - t.begin())];
        for (int i = 0; i < out.length; i++) {
            long pos = t.begin() + i;
            int w = (int) (pos / window);
            out[i] = windows[w].get((int) (pos - w * window));
        }
        return out;
    }

    private TensorInfo floating(String name, int length, int offset) {
        TensorInfo t = require(name);
        if (!t.dtype().isFloating()) {
            throw new FormatException(source, name, "has dtype " + t.dtype() + ", not a floating type (F16, BF16, F32, F64)");
        }
        if (t.elements() > Integer.MAX_VALUE - 8) {
            throw new FormatException(source, name, "has " + t.elements() + " elements, more than one Java array holds");
        }
        if (offset < 0 || t.elements() > length - (long) offset) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + t.elements()
                    + " elements, more than the " + (length - offset) + " places left at offset " + offset);
        }
        return t;
    }

    /** Walks the elements of one tensor across the mapped windows. */
    private final class Reader {
        final int count;
        private final DType dtype;
        private long pos;
        private int w = -1;
        private ByteBuffer buf;
        private int local;
        private long windowEnd = -1;

        Reader(TensorInfo t) {
            this.count = Math.toIntExact(t.elements());
            this.dtype = t.dtype();
            this.pos = t.begin();
        }

        double next() {
            if (pos >= windowEnd) {
                w = (int) (pos / window);
                buf = windows[w];
                local = (int) (pos - w * window);
                windowEnd = window == Long.MAX_VALUE ? Long.MAX_VALUE : (w + 1) * window;
            }
            double v = switch (dtype) {
                case F32 -> buf.getFloat(local);
                case F64 -> buf.getDouble(local);
                case F16 -> SmallFloats.f16ToDouble(buf.getShort(local));
                case BF16 -> SmallFloats.bf16ToDouble(buf.getShort(local));
                default -> throw new IllegalStateException(dtype.name());
            };
            local += dtype.size();
            pos += dtype.size();
            return v;
        }
    }

    @Override
    public void close() {
        if (channel != null && channel.isOpen()) {
            OpenFolders.closed(path);
            closeQuietly(channel);
        }
    }

    @Override
    public String toString() {
        return source + " (" + tensors.size() + " tensors)";
    }

    /** The parsed and validated header. */
    private static final class Header {
        final Map<String, String> metadata;
        final List<TensorInfo> tensors;
        final Map<String, TensorInfo> byName;

        private Header(Map<String, String> metadata, List<TensorInfo> tensors) {
            this.metadata = metadata;
            this.tensors = tensors;
            Map<String, TensorInfo> m = new LinkedHashMap<>();
            for (TensorInfo t : tensors) {
                m.put(t.name(), t);
            }
            this.byName = Collections.unmodifiableMap(m);
        }

        static Header parse(byte[] bytes, String source, long dataLength) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new FormatException(source, null, "header is not valid UTF-8", e);
            }
            if (text.isEmpty() || text.charAt(0) != '{') {
                throw new FormatException(source, "header does not start with '{'");
            }
            JsonNode root = StrictJson.parse(bytes, source + " (header)");
            StrictJson.object(root, source, "header");
            Map<String, String> metadata = Map.of();
            List<TensorInfo> list = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    metadata = metadata(e.getValue(), source);
                } else {
                    list.add(tensor(e.getKey(), e.getValue(), source));
                }
            }
            list.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
            long expected = 0;
            TensorInfo previous = null;
            for (TensorInfo t : list) {
                if (t.begin() < expected) {
                    throw new FormatException(source, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                            + "] overlap tensor '" + previous.name() + "' at [" + previous.begin() + ", "
                            + previous.end() + "]");
                }
                if (t.begin() > expected) {
                    throw new FormatException(source, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                            + "] leave a gap of " + (t.begin() - expected) + " bytes after "
                            + (previous == null ? "the header" : "tensor '" + previous.name() + "'"));
                }
                expected = t.end();
                previous = t;
            }
            if (expected > dataLength) {
                throw new FormatException(source, previous.name(), "data_offsets end at byte " + expected
                        + ", outside the file's " + dataLength + " bytes of data (truncated file?)");
            }
            if (expected < dataLength) {
                throw new FormatException(source, (dataLength - expected) + " bytes of trailing data after the last tensor"
                        + (previous == null ? "" : " '" + previous.name() + "'"));
            }
            return new Header(metadata, Collections.unmodifiableList(list));
        }

        private static Map<String, String> metadata(JsonNode node, String source) {
            StrictJson.object(node, source, "__metadata__");
            Map<String, String> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), StrictJson.string(e.getValue(), source, "__metadata__." + e.getKey()));
            }
            return Collections.unmodifiableMap(m);
        }

        private static TensorInfo tensor(String name, JsonNode node, String source) {
            if (name.isEmpty()) {
                throw new FormatException(source, "a tensor has an empty name");
            }
            StrictJson.object(node, source, name);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                    throw new FormatException(source, name, "unknown field '" + key
                            + "'; a tensor has dtype, shape and data_offsets");
                }
            }
            DType dtype = DType.parse(StrictJson.string(node.get("dtype"), source, name + ".dtype"), source, name);
            JsonNode shapeNode = StrictJson.array(node.get("shape"), source, name + ".shape");
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = StrictJson.integer(shapeNode.get(i), source, name + ".shape[" + i + "]", 0, Long.MAX_VALUE);
                try {
                    elements = Math.multiplyExact(elements, shape[i]);
                } catch (ArithmeticException e) {
                    throw new FormatException(source, name, "shape " + shapeNode + " has more elements than 2^63");
                }
            }
            JsonNode offsets = StrictJson.array(node.get("data_offsets"), source, name + ".data_offsets");
            if (offsets.size() != 2) {
                throw new FormatException(source, name, "data_offsets must hold [begin, end], found " + offsets);
            }
            long begin = StrictJson.integer(offsets.get(0), source, name + ".data_offsets[0]", 0, Long.MAX_VALUE);
            long end = StrictJson.integer(offsets.get(1), source, name + ".data_offsets[1]", 0, Long.MAX_VALUE);
            if (end < begin) {
                throw new FormatException(source, name, "data_offsets [" + begin + ", " + end + "] end before they begin");
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(elements, dtype.size());
            } catch (ArithmeticException e) {
                throw new FormatException(source, name, "shape " + shapeNode + " of " + dtype + " overflows 2^63 bytes");
            }
            if (end - begin != bytes) {
                throw new FormatException(source, name, "data_offsets [" + begin + ", " + end + "] hold "
                        + (end - begin) + " bytes, but shape " + shapeNode + " of " + dtype + " needs " + bytes);
            }
            return new TensorInfo(name, dtype, shape, begin, end);
        }
    }
}
