package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.subliminal.reports.analysis.CheckAnalysis;
import dev.subliminal.results.check.CheckSchema;
import dev.subliminal.results.store.ResultsReader;
import java.nio.file.Path;

/**
 * Check records ({@code check --json}, docs/check-record.md) as {@code report} reads them: the one
 * reader held to the check schema, into the check analysis, then its tables and plots.
 */
class CheckRecordFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("check.json", data);
        BadInput.allowed(() -> {
            CheckAnalysis analysis = new CheckAnalysis();
            ResultsReader.read(file, CheckSchema.SCHEMA, analysis);
            analysis.tables();
            analysis.plots();
        });
    }
}
