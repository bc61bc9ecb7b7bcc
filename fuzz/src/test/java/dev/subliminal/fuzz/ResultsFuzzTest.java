package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.subliminal.reports.Report;
import dev.subliminal.reports.analysis.Analysis;
import dev.subliminal.results.mnist.MnistSummary;
import dev.subliminal.results.sweep.SweepSummary;
import dev.subliminal.simulation.sweep.SweepMerge;
import java.nio.file.Path;
import java.util.List;

/**
 * Results files and records as {@code report}, {@code summarize} and {@code merge} read them: the one
 * reader ({@code ResultsReader}) with every schema, then the analyses' tables and plots, the sweep
 * and MNIST summaries, and a merge of the file as the only shard.
 */
class ResultsFuzzTest {

    private static final int MAX_INPUT = 1 << 16;

    @FuzzTest(maxDuration = "10m")
    void read(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("results.jsonl", data);
        BadInput.allowed(() -> {
            for (Analysis a : Report.read(List.of(file)).analyses()) {
                a.tables();
                a.plots();
            }
        });
        BadInput.allowed(() -> SweepSummary.of(file));
        BadInput.allowed(() -> MnistSummary.of(file));
        Path merged = Scratch.absent("merged.jsonl");
        BadInput.allowed(() -> SweepMerge.merge(List.of(file), merged, JsonNodeFactory.instance.objectNode()));
    }
}
