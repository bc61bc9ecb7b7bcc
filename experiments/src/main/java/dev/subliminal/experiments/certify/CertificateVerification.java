package dev.subliminal.experiments.certify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code certify --verify FILE}: reads a certificate, re-checks it and prints one line per claim. */
public final class CertificateVerification {

    /** Exit status when a well-formed certificate's claim does not re-check. */
    public static final int NOT_VERIFIED = 1;

    private CertificateVerification() {
    }

    /**
     * Verifies {@code file}; returns 0 when every claim re-checks and {@value #NOT_VERIFIED} otherwise.
     *
     * @throws IllegalArgumentException when the file is not a well-formed certificate or was edited
     */
    public static int run(Path file, PrintWriter out) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + " as JSON: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        CertificateVerifier.Verdict v;
        try {
            v = CertificateVerifier.verify(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        } catch (ArithmeticException e) {
            v = new CertificateVerifier.Verdict(false, java.util.List.of("NOT verified: " + e.getMessage()));
        }
        v.lines().forEach(out::println);
        out.println(v.verified() ? "certificate " + file + " verified" : "certificate " + file + " NOT verified");
        out.flush();
        return v.verified() ? 0 : NOT_VERIFIED;
    }
}
