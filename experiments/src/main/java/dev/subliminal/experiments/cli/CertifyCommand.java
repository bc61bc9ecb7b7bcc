package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.experiments.certify.CertificateRecord;
import dev.subliminal.experiments.certify.CertificateVerification;
import dev.subliminal.experiments.certify.CertifyBatch;
import dev.subliminal.experiments.certify.Certification;
import dev.subliminal.experiments.certify.ExactCertification;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.experiments.check.Replay;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.theory.certify.CertifiedRange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subliminal certify}: proofs, valid for a whole range of ε, that the trait-carrying part is
 * positive (interval arithmetic; exact fractions for linear models with {@code --exact}), their
 * independent re-check ({@code --verify}) and batches that measure how often a range is found.
 * Takes every case option of {@code check}.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.CheckOptions.class,
        description = {"Certify that (Δ_S − Δ_S^c)·Δ_T > 0 for every ε in (0, ε*] (Δ_S·Δ_T at the same init) and, at the "
                + "same init, that L_T(θ_S) < L_T(θ_S0) for the given α, with interval arithmetic whose rounding is "
                + "accounted for; ε* is the largest range the method proves. The case options are those of check.",
            "--exact: for a linear model with mse, prove Δ_S·Δ_T = ε·Δ_Tᵀ G Δ_T ≥ 0 in exact fractions (--epsilon is "
                + "the ε at which the identity is checked and the double-precision result compared; interval "
                + "certificates find their own range and ignore it).",
            "--verify FILE: re-check a certificate independently; exit 0 verified, 1 not verified, 2 malformed or edited.",
            "--cases N --out FILE.jsonl: certify N generated same-architecture tanh and relu MLP cases (init from "
                + "--init) and write a resumable subliminal.certify/1 results file.",
            "Exit status 1 when no range could be certified."})
final class CertifyCommand extends CaseCommand {

    @Option(names = "--exact", description = "Exact rational proof for a linear model with mse imitation.")
    boolean exact;

    @Option(names = "--verify", paramLabel = "FILE", description = "Re-check the certificate in FILE.")
    Path verify;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write the certificate (or, with --cases, the results file) to FILE.")
    Path out;

    @Option(names = "--cases", paramLabel = "N", description = "Certify N generated cases (needs --out).")
    Integer cases;

    @Override
    public Integer call() {
        PrintWriter pw = spec.commandLine().getOut();
        String[] args = args();
        if (verify != null) {
            return CertificateVerification.run(verify, pw);
        }
        if (cases != null) {
            if (out == null) {
                throw new IllegalArgumentException("--cases needs --out FILE.jsonl for the results");
            }
            CertifyBatch.run(cases, seed, config().get(CheckConfig.INIT), out, args, pw);
            return 0;
        }
        if (out != null) {
            Outputs.requireDistinct(out, java.util.Collections.singletonList(data));
            Outputs.requireAbsent(out);
        }
        CheckCase c = checkCase();
        if (exact) {
            ExactCertification e = ExactCertification.of(c);
            e.print(pw);
            write(e.certificate(Replay.check(c, data), args), pw);
            return e.proof().quadraticForm().signum() > 0 ? 0 : 1;
        }
        long start = System.nanoTime();
        Certification cert = Certification.of(c);
        double seconds = (System.nanoTime() - start) / 1e9;
        print(pw, cert, seconds);
        write(cert.certificate(Replay.check(c, data), args), pw);
        return cert.traitPart().certified() ? 0 : 1;
    }

    private void write(ObjectNode certificate, PrintWriter pw) {
        if (out != null) {
            Outputs.writeNew(out, CertificateRecord.toJson(certificate));
            pw.println("certificate written to " + out + "; re-check it with: ./subliminal certify --verify " + out);
        }
        pw.flush();
    }

    private static void print(PrintWriter pw, Certification cert, double seconds) {
        var s = cert.setup();
        pw.println("model " + s.teacherModel().describe() + " (p = " + s.teacherModel().parameterCount() + "), init "
                + CheckConfig.INIT.format(cert.checkCase().config().get(CheckConfig.INIT)) + ", loss " + s.imitation().describe() + ", trait "
                + s.trait().describe() + ", " + s.studentInputs().rows() + " student inputs, seed "
                + cert.checkCase().seed());
        TextTable t = new TextTable("claim", "certified for ε in", "enclosure over the range", "limit ε → 0");
        row(t, "(Δ_S − Δ_S^c)·Δ_T / ε > 0", cert.traitPart());
        if (cert.traitLoss() != null) {
            row(t, "(L_T(θ_S) − L_T(θ_S0)) / (αε) < 0, α = " + s.alpha(), cert.traitLoss());
        }
        pw.print(t.render());
        pw.printf(Locale.ROOT, "certified in %.2f s%n", seconds);
    }

    private static void row(TextTable t, String claim, CertifiedRange r) {
        t.add(claim, r.certified() ? String.format(Locale.ROOT, "(0, %.6g]", r.epsilon()) : "none",
                interval(r.enclosure().lo(), r.enclosure().hi()), interval(r.limit().lo(), r.limit().hi()));
    }

    private static String interval(double lo, double hi) {
        return String.format(Locale.ROOT, "[%.6g, %.6g]", lo, hi);
    }
}
