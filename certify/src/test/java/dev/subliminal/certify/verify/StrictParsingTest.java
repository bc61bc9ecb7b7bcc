package dev.subliminal.certify.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.format.StrictJson;
import dev.subliminal.certify.verify.Certificates.Kind;
import dev.subliminal.certify.verify.Certificates.Outcome;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier reads one JSON document strictly and bounds every size before it allocates or
 * computes: each hostile input is refused at once, as malformed, with a message that names it.
 */
class StrictParsingTest {

    @TempDir
    Path dir;

    private static void malformed(String text, String because) {
        long start = System.nanoTime();
        Outcome o = Certificates.outcome(text);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(o.kind()).as(o.message()).isEqualTo(Kind.MALFORMED);
        assertThat(o.message()).contains(because);
        assertThat(seconds).as("refused in %s s", seconds).isLessThan(5);
    }

    @Test
    void duplicateKeysAreRefused() {
        String text = Certificates.text("small-tanh.json");
        malformed(text.replaceFirst("\"seed\" : 3,", "\"seed\" : 3, \"seed\" : 4,"), "Duplicate field 'seed'");
        malformed(text.replaceFirst("\"certified\" : true,", "\"certified\" : true, \"certified\" : false,"),
                "Duplicate field 'certified'");
    }

    @Test
    void trailingDataAndASecondDocumentAreRefused() {
        String text = Certificates.text("small-tanh.json");
        malformed(text + "x", "not one well-formed JSON document");
        malformed(text + text, "not one well-formed JSON document: Trailing token");
        malformed("", "is empty");
        malformed("[1, 2]", "the document must be an object");
    }

    @Test
    void aFourMillionDigitNumeratorIsRefusedAtOnce() {
        ObjectNode c = Certificates.tree("cert-exact.json");
        ((ObjectNode) c.at("/claims/0/quadraticForm")).put("numerator", "7".repeat(4_000_000));
        malformed(Certificates.forged(c), "exceeds the maximum allowed (100000");
        ((ObjectNode) c.at("/claims/0/quadraticForm")).put("numerator", "7".repeat(20_000));
        malformed(Certificates.forged(c), "claims[0].quadraticForm.numerator must be a decimal integer of at most 10000 digits");
        ((ObjectNode) c.at("/claims/0/quadraticForm")).put("numerator", "+12");
        malformed(Certificates.forged(c), "claims[0].quadraticForm.numerator must be a decimal integer");
    }

    @Test
    void aHugeShapeWithEmptyDataIsAnErrorNotAnOutOfMemory() {
        ObjectNode c = Certificates.tree("small-tanh.json");
        ObjectNode inputs = (ObjectNode) c.get("studentInputs");
        inputs.putArray("shape").add(65536).add(65536);
        inputs.putArray("data");
        malformed(Certificates.forged(c), "studentInputs has shape [65536, 65536], which holds 4294967296 numbers, but "
                + "its data holds 0");
        ObjectNode m = Certificates.tree("small-tanh.json");
        ((ObjectNode) m.at("/config/teacher")).putArray("sizes").add(3).add(65536).add(65536).add(2);
        ((ObjectNode) m.at("/config/student")).putArray("sizes").add(3).add(65536).add(65536).add(2);
        malformed(Certificates.forged(m), "more than a certificate of at most 268435456 bytes can hold three times");
        ObjectNode s = Certificates.tree("small-tanh.json");
        ((ObjectNode) s.get("config")).put("samples", 2_000_000_000);
        malformed(Certificates.forged(s), "studentInputs.shape is [6, 3] where [2000000000, 3] is expected");
        ObjectNode t = Certificates.tree("small-tanh.json");
        ((ObjectNode) t.get("config")).put("traitSamples", 2_000_000_000);
        malformed(Certificates.forged(t), "traitLoss.inputs has shape [4, 3] where [2000000000, 3] is expected");
    }

    @Test
    void unknownFieldsWrongTypesAndNonNumbersAreRefused() {
        ObjectNode c = Certificates.tree("small-tanh.json");
        c.put("note", "trust me");
        malformed(Certificates.forged(c), "note is not a field of the format, which the verifier cannot check");
        ObjectNode d = Certificates.tree("small-tanh.json");
        ((ObjectNode) d.at("/claims/0")).put("epsilonStar", "1");
        malformed(Certificates.forged(d), "claims[0].epsilonStar must be a finite number");
        ObjectNode e = Certificates.tree("small-tanh.json");
        e.remove("parameters");
        malformed(Certificates.forged(e), "parameters is missing");
        String text = Certificates.text("small-tanh.json");
        malformed(text.replaceFirst("\"epsilonStar\" : [0-9.E-]+", "\"epsilonStar\" : NaN"),
                "not one well-formed JSON document: Non-standard token 'NaN'");
        malformed(text.replaceFirst("\"seed\" : 3,", "\"seed\" : 3" + "0".repeat(1000) + ","),
                "Number value length (1001) exceeds the maximum allowed (40");
        malformed("[".repeat(100) + "]".repeat(100), "Document nesting depth (17) exceeds the maximum allowed (16");
    }

    @Test
    void aFieldNameWithALineBreakIsNamedOnOneLine() {
        // found by CertificateFuzzTest: the path of the error quoted the name's carriage return raw
        ObjectNode c = Certificates.tree("small-tanh.json");
        ((ObjectNode) c.at("/claims/0")).put("epsilonSt\r", 1);
        Outcome o = Certificates.outcome(Certificates.forged(c));
        assertThat(o.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(o.message()).contains("claims[0].epsilonSt\\r is not a field of the format").doesNotContain("\r");
    }

    @Test
    void aFileLargerThanTheBoundIsNotRead() throws IOException {
        Path big = dir.resolve("big.json");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(StrictJson.MAX_BYTES + 1);
        }
        long start = System.nanoTime();
        try {
            CertificateVerifier.verify(big);
            throw new AssertionError("a file over the bound was read");
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).contains("holds 268435457 bytes, more than the 268435456 a certificate may have");
        }
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(1);
        Files.delete(big);
    }
}
