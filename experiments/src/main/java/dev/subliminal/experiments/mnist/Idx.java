package dev.subliminal.experiments.mnist;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST files in the IDX format of the original distribution (LeCun et al.): a big-endian
 * header {@code 0x00000803, n, 28, 28} then n·784 unsigned pixel bytes for images,
 * {@code 0x00000801, n} then n label bytes for labels. Gzip-compressed files are recognised by
 * their magic bytes. Every deviation (wrong magic number, wrong dimensions, a truncated file,
 * trailing bytes, a label outside 0–9, corrupt gzip data) is one {@link IllegalArgumentException}
 * naming the file.
 */
public final class Idx {

    /** Side of an MNIST image. */
    public static final int SIDE = 28;
    /** Pixels of an MNIST image. */
    public static final int PIXELS = SIDE * SIDE;
    /** Number of digit classes. */
    public static final int CLASSES = 10;

    /** The most items a file may declare (MNIST has 70,000, EMNIST about 815,000). */
    public static final int MAX_ITEMS = 1_000_000;

    private static final int IMAGES_MAGIC = 0x00000803;
    private static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /** The pixel bytes (n·784, row-major per image) of an IDX image file. */
    public static byte[] images(InputStream raw, String name) throws IOException {
        try {
            return readImages(raw, name);
        } catch (ZipException | EOFException e) {
            throw corrupt(name, e);
        }
    }

    /** The labels (each in 0–9) of an IDX label file. */
    public static byte[] labels(InputStream raw, String name) throws IOException {
        try {
            return readLabels(raw, name);
        } catch (ZipException | EOFException e) {
            throw corrupt(name, e);
        }
    }

    /** A gzip stream that is not one (a bad header, trailer or deflate data, cut short) is malformed content. */
    private static IllegalArgumentException corrupt(String name, IOException e) {
        return new IllegalArgumentException(name + ": corrupt gzip data ("
                + (e.getMessage() == null ? "cut short" : e.getMessage()) + ")", e);
    }

    private static byte[] readImages(InputStream raw, String name) throws IOException {
        DataInputStream in = open(raw);
        int magic = header(in, name, IMAGES_MAGIC, "an image file (idx3, unsigned bytes)");
        int n = readInt(in, name);
        int rows = readInt(in, name);
        int cols = readInt(in, name);
        items(n, name);
        if (rows != SIDE || cols != SIDE) {
            throw new IllegalArgumentException(name + ": dimensions " + Integer.toUnsignedString(n) + "×" + rows + "×"
                    + cols + ", expected n×28×28 MNIST images (magic 0x" + Integer.toHexString(magic) + ")");
        }
        return body(in, name, (long) n * PIXELS);
    }

    private static byte[] readLabels(InputStream raw, String name) throws IOException {
        DataInputStream in = open(raw);
        header(in, name, LABELS_MAGIC, "a label file (idx1, unsigned bytes)");
        int n = readInt(in, name);
        items(n, name);
        byte[] labels = body(in, name, n);
        for (int i = 0; i < n; i++) {
            if ((labels[i] & 0xFF) >= CLASSES) {
                throw new IllegalArgumentException(name + ": label " + (labels[i] & 0xFF) + " of item " + i
                        + " is outside 0–9");
            }
        }
        return labels;
    }

    private static DataInputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in);
    }

    private static int header(DataInputStream in, String name, int expected, String what) throws IOException {
        int magic = readInt(in, name);
        if (magic != expected) {
            throw new IllegalArgumentException(name + ": magic number 0x" + String.format("%08x", magic) + ", expected 0x"
                    + String.format("%08x", expected) + " for " + what);
        }
        return magic;
    }

    private static int readInt(DataInputStream in, String name) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException(name + ": truncated IDX header");
        }
    }

    private static void items(int n, String name) {
        if (n < 0 || n > MAX_ITEMS) {
            throw new IllegalArgumentException(name + ": the header declares " + Integer.toUnsignedString(n)
                    + " items; an MNIST file holds at most " + MAX_ITEMS);
        }
    }

    /**
     * The {@code length} data bytes, read in chunks so that a header that promises more than the file
     * holds costs no more memory than the file's data.
     */
    private static byte[] body(DataInputStream in, String name, long length) throws IOException {
        byte[] data = new byte[(int) Math.min(length, 1 << 20)];
        int read = 0;
        while (read < length) {
            if (read == data.length) {
                data = java.util.Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
            }
            int n = in.read(data, read, data.length - read);
            if (n < 0) {
                throw new IllegalArgumentException(name + ": truncated, " + read + " of " + length + " data bytes present");
            }
            read += n;
        }
        if (in.read() != -1) {
            throw new IllegalArgumentException(name + ": trailing bytes after the " + length + " data bytes its header announces");
        }
        return data;
    }
}
