package dev.subliminal.experiments.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.CertifiedRange;
import dev.subliminal.certify.CertifyBatch;
import dev.subliminal.certify.Certification;
import dev.subliminal.certify.ExactAffineProof;
import dev.subliminal.certify.ExactCertification;
import dev.subliminal.certify.format.CertificateWriter;
import dev.subliminal.certify.verify.CertificateVerifier;
import dev.subliminal.certify.verify.Verdict;
import dev.subliminal.experiments.io.Provenance;
import dev.subliminal.reports.table.TextTable;
import dev.subliminal.results.io.Outputs;
import dev.subliminal.simulation.check.CheckCase;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.Replay;
import dev.subliminal.results.stats.Proportion;
import dev.subliminal.theory.check.CheckSetup;
import dev.subliminal.theory.check.Kinks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.commons.numbers.fraction.BigFraction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code subliminal certify}: proofs, valid for a whole range of ε, that the trait-carrying part is
 * positive (interval arithmetic; exact fractions for linear models with {@code --exact}), their
 * independent re-check ({@code --verify}) and batches that measure how often a range is found. The
 * work is done by the {@code certify} module; this command parses options and prints. Takes every
 * case option of {@code check}.
 */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.CertifyOptions.class,
        description = {"Certify that (Δ_S − Δ_S^c)·Δ_T > 0 for every ε in (0, ε*] (Δ_S·Δ_T at the same init) and, at the "
                + "same init, that L_T(θ_S) < L_T(θ_S0) for the given α, with interval arithmetic whose rounding is "
                + "accounted for; ε* is the largest range the method proves. The case options are those of check, "
                + "for the models certificates support (linear, and MLPs with a certifiable activation) and a "
                + "student of the teacher's architecture.",
            "--exact: for a linear model with mse, prove Δ_S·Δ_T = ε·Δ_Tᵀ G Δ_T ≥ 0 in exact fractions (--epsilon is "
                + "the ε at which the identity is checked and the double-precision result compared; interval "
                + "certificates find their own range and ignore it).",
            "--verify FILE: re-check a certificate independently, recomputing every quantity it states from its "
                + "seed, configuration and tensors; exit 0 verified, 1 not verified, 2 malformed or edited.",
            "--cases N --out FILE.jsonl: certify N generated same-architecture MLP cases with every certifiable "
                + "activation (init from --init) and write a resumable subliminal.certify/1 results file."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:certified (or, with --verify, verified)", "1:no range could be certified (with --verify: "
                + "the certificate does not re-check)", "2:bad input, or a malformed or edited certificate"},
        footerHeading = "%nExamples:%n",
        footer = {"  ./subliminal certify --widths 4,8,3 --activation tanh --seed 1 --out cert.json",
            "  ./subliminal certify --verify cert.json",
            "  ./subliminal certify --model linear --loss mse --exact --seed 3",
            "  ./subliminal certify --cases 100 --seed 1 --out certify.jsonl"})
final class CertifyCommand extends CaseCommand {

    /** Exit status when a well-formed certificate does not re-check. */
    static final int NOT_VERIFIED = 1;

    /** Fractions longer than this are printed by their size only (they are in the certificate). */
    private static final int PRINTED_DIGITS = 400;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @picocli.CommandLine.Mixin
    TableOptions tables;

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
            Verdict v = CertificateVerifier.verify(verify);
            v.lines().forEach(pw::println);
            pw.println("certificate " + verify + (v.verified() ? " verified" : " NOT verified"));
            pw.flush();
            return v.verified() ? 0 : NOT_VERIFIED;
        }
        if (cases != null) {
            if (out == null) {
                throw new IllegalArgumentException("--cases needs --out FILE.jsonl for the results");
            }
            long start = System.nanoTime();
            var init = config().get(CheckConfig.INIT);
            CertifyBatch.Summary s = CertifyBatch.run(cases, seed, init, out, Provenance.json(MAPPER, args));
            printBatch(pw, s, CheckConfig.INIT.format(init), (System.nanoTime() - start) / 1e9);
            return 0;
        }
        if (out != null) {
            Outputs.requireDistinct(out, java.util.Collections.singletonList(data));
            Outputs.requireAbsent(out);
        }
        CheckCase c = checkCase();
        ObjectNode provenance = Provenance.json(MAPPER, args);
        if (exact) {
            ExactCertification e = ExactCertification.of(c);
            printExact(pw, e);
            write(CertificateWriter.exact(e, Replay.check(c, data), provenance), pw);
            return e.proof().quadraticForm().signum() > 0 ? 0 : 1;
        }
        long start = System.nanoTime();
        Certification cert = Certification.of(c);
        double seconds = (System.nanoTime() - start) / 1e9;
        print(pw, cert, seconds, tables.width());
        write(CertificateWriter.interval(cert, Replay.check(c, data), provenance), pw);
        return cert.traitPart().certified() ? 0 : 1;
    }

    private void write(ObjectNode certificate, PrintWriter pw) {
        if (out != null) {
            Outputs.writeNew(out, CertificateWriter.toJson(certificate));
            pw.println("certificate written to " + out + "; re-check it with: ./subliminal certify --verify " + out);
        }
        pw.flush();
    }

    private void printBatch(PrintWriter pw, CertifyBatch.Summary s, String init, double seconds) {
        TextTable t = new TextTable("activation", "cases", "ε* > 0 [95% CI]", "cases with trait part ≠ 0",
                "ε* > 0 among them [95% CI]");
        s.byActivation().forEach((a, k) -> t.add(a, Integer.toString(k.cases()),
                Proportion.of(k.certified(), k.cases()).format(), Integer.toString(k.nonZero()),
                Proportion.of(k.certifiedNonZero(), k.nonZero()).format()));
        pw.printf("certified %d %s-init cases (seed %d) in %.1f s; results in %s%n", cases, init, seed, seconds, out);
        pw.print(t.render());
        pw.println("cases whose double-precision trait part (at the case's ε) is negative: " + s.negative()
                + ", of which certified: " + s.negativeCertified());
        pw.flush();
    }

    private static void print(PrintWriter pw, Certification cert, double seconds, int width) {
        CheckSetup s = cert.setup();
        pw.print(TextTable.wrap("model " + s.teacherModel().describe() + " (p = " + s.teacherModel().parameterCount()
                + "), init " + CheckConfig.INIT.format(cert.checkCase().config().get(CheckConfig.INIT)) + ", loss "
                + s.imitation().describe() + ", trait " + s.trait().describe() + ", " + s.studentInputs().rows()
                + " student inputs, seed " + cert.checkCase().seed(), TextTable.TERMINAL));
        TextTable t = new TextTable("claim", "certified\nfor ε in", "enclosure\nover the range", "limit ε → 0")
                .optional(3);
        row(t, "(Δ_S − Δ_S^c)·Δ_T / ε > 0", cert.traitPart());
        if (cert.traitLoss() != null) {
            row(t, "(L_T(θ_S) − L_T(θ_S0)) / (αε) < 0, α = " + s.alpha(), cert.traitLoss());
        }
        TextTable.Rendered r = t.render(width);
        pw.print(r.text());
        pw.print(r.note("--wide prints it"));
        kinks(pw, s);
        pw.printf(Locale.ROOT, "certified in %.2f s%n", seconds);
    }

    private static void printExact(PrintWriter out, ExactCertification e) {
        CheckSetup setup = e.setup();
        BigFraction q = e.proof().quadraticForm();
        out.println("model " + setup.teacherModel().describe() + ", init "
                + CheckConfig.INIT.format(e.checkCase().config().get(CheckConfig.INIT)) + ", loss "
                + setup.imitation().describe() + ", " + setup.studentInputs().rows() + " student inputs, seed "
                + e.checkCase().seed());
        out.println("Q = Δ_Tᵀ G Δ_T = (1/N) Σ_x Σ_i 2 w_i (J_x Δ_T)_i², a sum of squares with w_i ≥ 0, exactly:");
        out.println("  Q = " + fraction(q));
        out.println("  Q ≈ " + ExactAffineProof.decimal(q, 30) + (q.signum() > 0 ? " > 0"
                : " (= 0: Δ_T is invisible on these inputs)"));
        out.println("(Δ_S − Δ_S^c)·Δ_T = ε·Q holds exactly at ε = " + setup.epsilon()
                + "; both sides are polynomials in ε (f_θT − f_θ0 = ε·J Δ_T for an affine f), so it holds for every ε"
                + (setup.sameInit() ? ", and Δ_S·Δ_T = (Δ_S − Δ_S^c)·Δ_T since Δ_S^c = 0 at the same init" : ""));
        out.printf(Locale.ROOT, "double-precision trait part %.17g, exact %s; |difference| %s ≤ stated bound %.3g: %s%n",
                e.check().traitPart(), ExactAffineProof.decimal(e.proof().traitPart(), 17), e.traitPartError(),
                e.errorBound(), e.withinBound() ? "yes" : "NO");
        out.flush();
    }

    /** The warning where f is not differentiable at θ0 (the certificate stays sound there). */
    private static void kinks(PrintWriter pw, CheckSetup s) {
        Kinks k = s.kinks();
        if (k.any()) {
            pw.println("warning: f is not differentiable at θ0: " + k.describe() + "; Δ_T is a one-sided gradient "
                    + "(φ′(0) = 0), and the enclosures hold both one-sided derivatives (ReLU′ = [0, 1]), so what is "
                    + "certified holds for this Δ_T");
        }
    }

    private static void row(TextTable t, String claim, CertifiedRange r) {
        t.add(claim, r.certified() ? String.format(Locale.ROOT, "(0, %.6g]", r.epsilon()) : "none",
                interval(r.enclosure().lo(), r.enclosure().hi()), interval(r.limit().lo(), r.limit().hi()));
    }

    private static String interval(double lo, double hi) {
        return String.format(Locale.ROOT, "[%.6g, %.6g]", lo, hi);
    }

    private static String fraction(BigFraction f) {
        String s = f.getNumerator() + " / " + f.getDenominator();
        return s.length() <= PRINTED_DIGITS ? s : "a fraction of " + f.getNumerator().toString().length() + " over "
                + f.getDenominator().toString().length() + " digits (written to the certificate)";
    }
}
