package dev.subliminal.experiments.io;

import dev.subliminal.results.Texts;
import dev.subliminal.results.io.IoErrors;
import dev.subliminal.theory.model.Batch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a data set of input vectors from a text file: one vector per line, numbers separated by
 * commas and/or whitespace; blank lines and lines starting with '#' are skipped. Every row must have
 * the same length and every value must be a finite number. The file's SHA-256 goes into the records
 * of what was run with it.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /**
     * A data set as read.
     *
     * @param file the file, as given
     * @param batch its rows
     * @param sha256 the SHA-256 of its bytes, in hex
     */
    public record DataSet(Path file, Batch batch, String sha256) {
    }

    /** The rows of {@code file}. */
    public static DataSet read(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("cannot read data file " + file + ": it is a folder");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read data file " + file + ": no such file");
        } catch (IOException e) {
            throw IoErrors.unchecked("cannot read data file " + file, file, e);
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("[,\\s]+");
            double[] row = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                try {
                    row[j] = Double.parseDouble(cells[j]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": '" + Texts.quote(cells[j])
                            + "' is not a number");
                }
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": value " + (j + 1) + " is "
                            + Texts.quote(cells[j]) + "; data must be finite");
                }
            }
            if (!rows.isEmpty() && row.length != rows.get(0).length) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + " has " + row.length
                        + " values, earlier lines have " + rows.get(0).length);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("data file " + file + " holds no rows");
        }
        return new DataSet(file, Batch.of(rows.toArray(new double[0][])), sha256(bytes));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
