package dev.subliminal.lm.safetensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.lm.io.AtomicOutput;
import dev.subliminal.lm.io.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes safetensors files exactly as the reference implementation lays them out: tensors sorted by
 * decreasing dtype alignment ({@link DType} order) then by name (UTF-8 byte order), contiguous
 * from offset 0; a compact JSON header with {@code __metadata__} first (keys sorted) when there is
 * any, padded with spaces to a multiple of 8 bytes so that every tensor is aligned. Values are
 * rounded once from {@code double} to the stored type (nearest, ties to even).
 */
public final class SafetensorsWriter {

    private SafetensorsWriter() {
    }

    /**
     * One tensor to write: elements [offset, offset + Π shape) of {@code values}, stored as {@code dtype}.
     *
     * @param name tensor name
     * @param dtype F16, BF16, F32 or F64
     * @param shape dimensions, outermost first
     * @param values the array holding the elements (not copied)
     * @param offset index of the first element in {@code values}
     */
    public record Entry(String name, DType dtype, int[] shape, double[] values, int offset) {
        public Entry {
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            if (!dtype.isFloating()) {
                throw new IllegalArgumentException("tensor '" + name + "': cannot store numbers as " + dtype);
            }
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("tensor '" + name + "' has negative dimension in " + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            if (offset < 0 || n > values.length - (long) offset) {
                throw new IllegalArgumentException("tensor '" + name + "' needs " + n + " values from offset " + offset
                        + " but the array has " + values.length);
            }
        }

        /** A whole array as a tensor. */
        public static Entry of(String name, DType dtype, double[] values, int... shape) {
            return new Entry(name, dtype, shape, values, 0);
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Π shape. */
        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Bytes this tensor occupies in the file. */
        public long bytes() {
            return elements() * dtype.size();
        }
    }

    /** Writes {@code file} atomically (temp file + rename); an existing file is an error unless {@code replace}. */
    public static void write(Path file, List<Entry> entries, Map<String, String> metadata, boolean replace) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder != null) {
            OpenFolders.requireNotBeingRead(folder);
        }
        List<Entry> sorted = sorted(entries);
        byte[] header = header(sorted, metadata);
        AtomicOutput.write(file, replace, tmp -> {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeTo(ch, header, sorted);
                ch.force(false);
            }
        });
    }

    /** The whole file as bytes (for small files and tests). */
    public static byte[] toBytes(List<Entry> entries, Map<String, String> metadata) {
        List<Entry> sorted = sorted(entries);
        byte[] header = header(sorted, metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out), header, sorted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The reference order: decreasing dtype alignment, then name in UTF-8 byte order. */
    static List<Entry> sorted(List<Entry> entries) {
        Set<String> names = new HashSet<>();
        for (Entry e : entries) {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("duplicate tensor name '" + e.name() + "'");
            }
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(Entry::dtype, Comparator.reverseOrder())
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8(a.name()), utf8(b.name()))));
        return sorted;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] header(List<Entry> sorted, Map<String, String> metadata) {
        ObjectNode root = StrictJson.MAPPER.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode m = root.putObject("__metadata__");
            new TreeMap<>(metadata).forEach(m::put);
        }
        long offset = 0;
        for (Entry e : sorted) {
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", e.dtype().name());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(offset);
            offset += e.bytes();
            offsets.add(offset);
        }
        byte[] json;
        try {
            json = StrictJson.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeTo(WritableByteChannel ch, byte[] header, List<Entry> sorted) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(header.length);
        flush(ch, buf);
        ch.write(ByteBuffer.wrap(header));
        for (Entry e : sorted) {
            long n = e.elements();
            double[] v = e.values();
            int size = e.dtype().size();
            for (long i = 0; i < n; i++) {
                if (buf.remaining() < size) {
                    flush(ch, buf);
                }
                double x = v[(int) (e.offset() + i)];
                switch (e.dtype()) {
                    case F32 -> buf.putFloat((float) x);
                    case F64 -> buf.putDouble(x);
                    case F16 -> buf.putShort(SmallFloats.doubleToF16(x));
                    case BF16 -> buf.putShort(SmallFloats.doubleToBf16(x));
                    default -> throw new IllegalStateException(e.dtype().name());
                }
            }
        }
        flush(ch, buf);
    }

    private static void flush(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
