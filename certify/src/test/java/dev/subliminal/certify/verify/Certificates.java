package dev.subliminal.certify.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.format.CertificateWriter;
import dev.subliminal.certify.format.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The certificates under {@code src/test/resources/certificates} and the outcome of verifying a text. */
final class Certificates {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Certificates() {
    }

    /** What the verifier made of a certificate. */
    enum Kind {
        /** Refused as malformed or edited (the command line's exit status 2). */
        MALFORMED,
        /** Well-formed, but something it states does not re-check (exit status 1). */
        NOT_VERIFIED,
        /** Verified (exit status 0). */
        VERIFIED
    }

    /** The outcome and its message (the error, or the verdict's lines). */
    record Outcome(Kind kind, String message) {
    }

    static Path path(String name) {
        try {
            return Path.of(Certificates.class.getResource("/certificates/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode tree(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(text(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificate's text with its digest recomputed, as a forger would write it. */
    static String forged(ObjectNode tree) {
        return CertificateWriter.toJson(tree.deepCopy());
    }

    /** Verifies a certificate's text as {@code certify --verify} would. */
    static Outcome outcome(String text) {
        try {
            JsonNode json = StrictJson.parse(text);
            Verdict v = CertificateVerifier.verify(json);
            return new Outcome(v.verified() ? Kind.VERIFIED : Kind.NOT_VERIFIED, String.join("\n", v.lines()));
        } catch (IllegalArgumentException e) {
            return new Outcome(Kind.MALFORMED, e.getMessage());
        }
    }
}
