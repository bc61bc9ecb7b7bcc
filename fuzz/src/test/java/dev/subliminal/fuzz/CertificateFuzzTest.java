package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.format.CertificateWriter;
import dev.subliminal.certify.format.StrictJson;
import dev.subliminal.certify.verify.CertificateVerifier;
import java.nio.file.Path;

/**
 * Certificates through {@code certify --verify}'s entry point {@link CertificateVerifier#verify(Path)}:
 * the strict JSON reader, the form, the case regenerated from seed and configuration, Δ_T and the
 * claims. A mutated file almost never keeps its digest, which the verifier checks first; so when the
 * input is a JSON object with a digest, the same document is verified a second time with its digest
 * recomputed, which takes the mutation past the digest into the validation. Inputs are at most 16 KiB,
 * so the models they describe stay small and each verification takes milliseconds.
 */
class CertificateFuzzTest {

    private static final int MAX_INPUT = 1 << 14;
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10m")
    void verify(byte[] data) throws Exception {
        if (data.length > MAX_INPUT) {
            return;
        }
        Path file = Scratch.file("certificate.json", data);
        BadInput.allowed(() -> CertificateVerifier.verify(file));
        JsonNode json;
        try {
            json = StrictJson.read(file);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (json instanceof ObjectNode o && o.path("digest").isTextual()) {
            o.put("digest", CertificateWriter.digest(o));
            Path resealed = Scratch.file("resealed.json", JSON.writeValueAsBytes(o));
            BadInput.allowed(() -> CertificateVerifier.verify(resealed));
        }
    }
}
