package dev.subliminal.certify.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subliminal.certify.verify.Certificates.Kind;
import dev.subliminal.certify.verify.Certificates.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Certificates written by the tool before the certify module existed (commit 998fad2; commands in
 * {@code src/test/resources/certificates/README.md}) still verify: every check passes, the
 * recomputed enclosures lie inside the stated ones, and nothing but the provenance goes unchecked.
 */
class OldCertificatesTest {

    @ParameterizedTest
    @ValueSource(strings = {"cert-tanh.json", "cert-relu.json", "cert-exact.json", "small-tanh.json", "small-exact.json",
        "small-relu-independent.json", "small-distill-perturbed.json", "small-data.json"})
    void everyOldCertificateVerifies(String name) {
        Verdict v = CertificateVerifier.verify(Certificates.path(name));
        assertThat(v.verified()).as(String.join("\n", v.lines())).isTrue();
        assertThat(v.lines()).noneMatch(l -> l.startsWith("NOT"));
        assertThat(v.lines().get(0)).startsWith("verified: the case");
        assertThat(v.lines().get(1)).startsWith("verified: Δ_T is −∇L_T(θ0)");
        long claims = Certificates.tree(name).get("claims").size();
        assertThat(v.lines().stream().filter(l -> l.startsWith("verified: ")).count()).isEqualTo(2 + claims);
    }

    @Test
    void aCertificateThatCertifiesNothingIsWellFormedButNotVerified() {
        Verdict v = CertificateVerifier.verify(Certificates.path("kink-relu.json"));
        assertThat(v.verified()).isFalse();
        assertThat(v.lines()).anyMatch(l -> l.startsWith("note: f is not differentiable at θ0: 2 pre-activations"))
                .anyMatch(l -> l.startsWith("note: trait-part-positive is not certified"))
                .contains("NOT verified: no claim is certified, so the certificate proves nothing");
    }

    @Test
    void theReportFixturesAreTheseCertificates() throws IOException {
        Path fixtures = Path.of("..", "reports", "src", "test", "resources", "fixtures");
        for (List<String> pair : List.of(List.of("certificate.json", "small-tanh.json"),
                List.of("certificate-exact.json", "small-exact.json"))) {
            assertThat(Files.readString(fixtures.resolve(pair.get(0)))).isEqualTo(Certificates.text(pair.get(1)));
        }
    }

    @Test
    void theSameFileRewrittenByTheWriterIsUnchanged() {
        // the writer's digest over a parsed old certificate is the stored one: the format did not change
        for (String name : List.of("cert-tanh.json", "cert-exact.json", "small-data.json")) {
            Outcome o = Certificates.outcome(Certificates.forged(Certificates.tree(name)));
            assertThat(o.kind()).as(o.message()).isEqualTo(Kind.VERIFIED);
            assertThat(Certificates.forged(Certificates.tree(name))).isEqualTo(Certificates.text(name));
        }
    }
}
