package dev.subliminal.lm.tokenizer;

import static dev.subliminal.lm.tokenizer.ReferenceTokenizers.FIXTURES;
import static dev.subliminal.lm.tokenizer.ReferenceTokenizers.ints;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Exact token ids against the reference implementations on the fixture corpus (ASCII prose,
 * numbers, contractions, Unicode with emoji, CJK, RTL scripts and combining marks, whitespace runs,
 * control characters, text holding special-token strings, a long mixed document):
 * tiktoken for the gpt2 and cl100k_base rank files, Hugging Face tokenizers.js for GPT-2's
 * tokenizer.json and a Qwen2-style variant (NFC, Split regex, merges as pairs, ChatML tokens).
 */
class TokenizerFixturesTest {

    @Test
    void fixturesCoverTheCorpusAndTheReferencesAgreed() {
        assertThat(FIXTURES.get("cases").size()).isGreaterThan(60);
        assertThat(FIXTURES.get("disagreements").size()).isZero();
    }

    @Test
    void gpt2RankFileGivesTiktokensIds() {
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            assertThat(ReferenceTokenizers.GPT2_TIKTOKEN.encode(text)).as(text).containsExactly(ints(c.get("gpt2").get("ordinary")));
            assertThat(ReferenceTokenizers.GPT2_TIKTOKEN.encodeWithSpecials(text)).as(text)
                    .containsExactly(ints(c.get("gpt2").get("all_special")));
        }
    }

    @Test
    void gpt2TokenizerJsonGivesHuggingFacesIds() {
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            assertThat(ReferenceTokenizers.GPT2_HF.encodeWithSpecials(text)).as(text).containsExactly(ints(c.get("gpt2").get("hf")));
            assertThat(ReferenceTokenizers.GPT2_HF.encode(text)).as(text).containsExactly(ints(c.get("gpt2").get("ordinary")));
        }
    }

    @Test
    void cl100kRankFileGivesTiktokensIds() {
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            assertThat(ReferenceTokenizers.CL100K.encode(text)).as(text).containsExactly(ints(c.get("cl100k").get("ordinary")));
            assertThat(ReferenceTokenizers.CL100K.encodeWithSpecials(text)).as(text)
                    .containsExactly(ints(c.get("cl100k").get("all_special")));
        }
    }

    @Test
    void qwenStyleTokenizerJsonGivesHuggingFacesIds() {
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            assertThat(ReferenceTokenizers.QWEN_STYLE.encodeWithSpecials(text)).as(text)
                    .containsExactly(ints(c.get("qwen_style").get("hf")));
        }
    }

    @Test
    void decodeInvertsEncodeOnTheCorpus() {
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            for (Tokenizer t : new Tokenizer[] {ReferenceTokenizers.GPT2_TIKTOKEN, ReferenceTokenizers.GPT2_HF,
                ReferenceTokenizers.CL100K}) {
                assertThat(t.decode(t.encode(text))).isEqualTo(text);
                assertThat(t.decode(t.encodeWithSpecials(text))).isEqualTo(text);
            }
            // the Qwen-style tokenizer normalizes to NFC first
            String nfc = Normalizer.normalize(text, Normalizer.Form.NFC);
            assertThat(ReferenceTokenizers.QWEN_STYLE.decode(ReferenceTokenizers.QWEN_STYLE.encode(text))).isEqualTo(nfc);
        }
    }

    @Test
    void plainTextNeverYieldsSpecialTokens() {
        int withSpecialStrings = 0;
        for (JsonNode c : FIXTURES.get("cases")) {
            String text = c.get("text").asText();
            for (Tokenizer t : new Tokenizer[] {ReferenceTokenizers.GPT2_TIKTOKEN, ReferenceTokenizers.GPT2_HF,
                ReferenceTokenizers.CL100K, ReferenceTokenizers.QWEN_STYLE}) {
                int[] ids = t.encode(text);
                assertThat(Arrays.stream(ids).noneMatch(t::isSpecial)).as(text).isTrue();
                if (t.specialTokens().keySet().stream().anyMatch(text::contains)) {
                    withSpecialStrings++;
                    assertThat(t.encodeWithSpecials(text)).isNotEqualTo(ids);
                }
            }
        }
        assertThat(withSpecialStrings).isGreaterThanOrEqualTo(8);
    }

    @Test
    void onlyTheAllowedSpecialTokensAreRecognised() {
        Tokenizer t = ReferenceTokenizers.CL100K;
        String text = "<|fim_prefix|>a<|endoftext|>";
        int[] ids = t.encode(text, Set.of("<|endoftext|>"));
        assertThat(ids[ids.length - 1]).isEqualTo(100257);
        assertThat(Arrays.stream(ids).filter(t::isSpecial).count()).isEqualTo(1);
        assertThat(t.decode(ids)).isEqualTo(text);
    }

    @Test
    void invalidUtf8RunsDecodeAsTheReferencesDo() {
        assertThat(FIXTURES.get("decodes").size()).isGreaterThan(50);
        for (JsonNode d : FIXTURES.get("decodes")) {
            int[] ids = ints(d.get("ids"));
            assertThat(ReferenceTokenizers.GPT2_TIKTOKEN.decode(ids)).as(d.toString()).isEqualTo(d.get("text").asText());
            assertThat(ReferenceTokenizers.GPT2_HF.decode(ids)).as(d.toString()).isEqualTo(d.get("hf").asText());
        }
    }
}
