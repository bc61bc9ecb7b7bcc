package dev.subliminal.certify.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.certify.verify.Certificates.Kind;
import dev.subliminal.certify.verify.Certificates.Outcome;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Certificates whose side fields were made false and whose digest was recomputed, as a forger would:
 * each is refused, with a line that says what is false. (Before the certify module, {@code --verify}
 * accepted every one of them.)
 */
class ForgedCertificateTest {

    private static Outcome forge(String name, Consumer<ObjectNode> edit) {
        ObjectNode c = Certificates.tree(name);
        edit.accept(c);
        return Certificates.outcome(Certificates.forged(c));
    }

    private static ObjectNode claim(ObjectNode c, int i) {
        return (ObjectNode) c.get("claims").get(i);
    }

    private static void notVerified(Outcome o, String because) {
        assertThat(o.kind()).as(o.message()).isEqualTo(Kind.NOT_VERIFIED);
        assertThat(o.message()).contains("NOT verified: ").contains(because);
    }

    @Test
    void aLimitSetToMinusFiveMinusFour() {
        notVerified(forge("small-tanh.json", c -> claim(c, 0).putArray("limit").add(-5.0).add(-4.0)),
                "the stated limit ε → 0 [-5.0, -4.0] does not contain the recomputed enclosure");
    }

    @Test
    void anEnclosureNarrowedBelowTheRealValues() {
        notVerified(forge("small-tanh.json", c -> {
            ArrayNode e = (ArrayNode) claim(c, 0).get("enclosure");
            double lo = e.get(0).doubleValue();
            double hi = e.get(1).doubleValue();
            e.set(0, lo + (hi - lo) / 2);
        }), "which the stated enclosure");
        notVerified(forge("small-tanh.json", c -> {
            ArrayNode e = (ArrayNode) claim(c, 1).get("enclosure");
            e.set(1, e.get(1).doubleValue() * 1.5);
        }), "trait-loss-decreases on (0, ");
    }

    @Test
    void anEnclosureOfPlusMinusTenToThe300() {
        notVerified(forge("small-tanh.json", c -> claim(c, 0).putArray("enclosure").add(-1e300).add(1e300)),
                "but the stated enclosure [-1.0E300, 1.0E300] is not > 0");
    }

    @Test
    void aDeltaTChangedByFivePercent() {
        notVerified(forge("small-tanh.json", c -> scale((ObjectNode) c.at("/parameters/deltaT"), 1.05)),
                "Δ_T is not −∇L_T(θ0): coordinate 0 (0.weight[0])");
        notVerified(forge("cert-exact.json", c -> scale((ObjectNode) c.at("/parameters/deltaT"), 1.05)),
                "Δ_T is not −∇L_T(θ0)");
    }

    @Test
    void aStatementRewrittenToEveryEpsilon() {
        notVerified(forge("small-tanh.json", c -> claim(c, 0).put("statement",
                claim(c, 0).get("statement").asText().replace("for every ε in (0, ε*]", "for every ε > 0"))),
                "the statement is not what the data says");
    }

    @Test
    void aChangedInit() {
        notVerified(forge("small-tanh.json", c -> ((ObjectNode) c.get("config")).put("init", "independent")),
                "the case is not what seed 3 and its configuration generate: commandLine");
        notVerified(forge("small-relu-independent.json", c -> ((ObjectNode) c.get("config")).put("init", "perturbed")
                .put("perturbation", 0.1)), "the case is not what seed 1 and its configuration generate");
    }

    @Test
    void anExactCertificateWithTenTimesEpsilonOrAnOffDoubleTraitPart() {
        notVerified(forge("cert-exact.json", c -> claim(c, 0).put("epsilon", 10 * claim(c, 0).get("epsilon")
                .asDouble())), "epsilon is 0.001 but the case's ε is 1.0E-4");
        notVerified(forge("cert-exact.json", c -> claim(c, 0).put("doubleTraitPart",
                claim(c, 0).get("doubleTraitPart").asDouble() + 1.4e-10)),
                "doubleTraitPart is 1.3681558172807986E-4 but the double-precision check of the case computes "
                        + "1.3681544172807985E-4");
        notVerified(forge("cert-exact.json", c -> claim(c, 0).put("doubleErrorBound", 1e-3)),
                "doubleErrorBound is 0.001 but the a priori bound recomputed from the data is 5.7668");
    }

    @Test
    void everyClaimUncertified() {
        notVerified(forge("small-tanh.json", c -> {
            for (int i = 0; i < 2; i++) {
                ObjectNode claim = claim(c, i);
                claim.put("certified", false).putNull("epsilonStar");
                claim.set("enclosure", claim.get("limit").deepCopy());
            }
        }), "no claim is certified, so the certificate proves nothing");
    }

    @Test
    void certifiedAsAStringIsMalformed() {
        Outcome o = forge("small-tanh.json", c -> claim(c, 0).put("certified", "yes"));
        assertThat(o.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(o.message()).isEqualTo("malformed certificate: claims[0].certified must be true or false");
    }

    @Test
    void aClaimTheDataDoesNotMakeOrAMissingOne() {
        notVerified(forge("small-relu-independent.json", c -> ((ArrayNode) c.get("claims"))
                .add(claim(Certificates.tree("small-tanh.json"), 1))),
                "the claims are [trait-part-positive, trait-loss-decreases] but this independent-init case makes "
                        + "[trait-part-positive]");
        notVerified(forge("small-tanh.json", c -> ((ArrayNode) c.get("claims")).remove(1)),
                "but this same-init case makes [trait-part-positive, trait-loss-decreases]");
    }

    @Test
    void anUneditedDigestIsTheOnlyThingAnEditBreaksWithoutRecomputation() {
        ObjectNode c = Certificates.tree("small-tanh.json");
        claim(c, 0).put("epsilonStar", 0.1);
        Outcome o = Certificates.outcome(c.toString());
        assertThat(o.kind()).isEqualTo(Kind.MALFORMED);
        assertThat(o.message()).contains("the file was edited after it was written");
    }

    private static void scale(ObjectNode named, double factor) {
        named.fields().forEachRemaining(e -> {
            ArrayNode data = (ArrayNode) e.getValue().get("data");
            for (int i = 0; i < data.size(); i++) {
                data.set(i, data.get(i).doubleValue() * factor);
            }
        });
    }
}
