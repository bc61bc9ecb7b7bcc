package dev.subliminal.experiments.io;

import dev.subliminal.theory.model.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a data set of input vectors from a text file: one vector per line, numbers separated by
 * commas and/or whitespace; blank lines and lines starting with '#' are skipped. Every row must have
 * the same length and every value must be a finite number.
 */
public final class DataFiles {

    private DataFiles() {
    }

    /** The rows of {@code file} as a batch. */
    public static Batch read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data file " + file + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
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
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": '" + cells[j] + "' is not a number");
                }
                if (!Double.isFinite(row[j])) {
                    throw new IllegalArgumentException(file + " line " + (i + 1) + ": value " + (j + 1) + " is "
                            + cells[j] + "; data must be finite");
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
        return Batch.of(rows.toArray(new double[0][]));
    }
}
