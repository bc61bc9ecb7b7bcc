package dev.subliminal.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.sweep.SweepCell;
import dev.subliminal.spec.Setting;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings as the command line and records give them: each value through its setting's
 * {@code parse} (command-line text) and {@code fromJson} (grids and records), which must read back
 * what they write; the settings together through {@link CheckConfig#read} with the command line's
 * text reader; and a record's configuration object through {@link CheckConfig#fromJson}, which must
 * read its own {@code toJson} back to an equal configuration.
 */
class SettingsFuzzTest {

    private static final List<Setting<?>> ALL = SweepCell.axisSettings();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads command-line text, as {@code check} and {@code certify} do. */
    private static final CheckConfig.Reader FROM_TEXT = new CheckConfig.Reader() {
        @Override
        public <T> T read(Setting<T> setting, JsonNode value) {
            return setting.parse(value.textValue());
        }
    };

    @FuzzTest(maxDuration = "10m")
    void settings(FuzzedDataProvider data) throws Exception {
        Map<String, JsonNode> given = new LinkedHashMap<>();
        int n = data.consumeInt(0, 6);
        for (int i = 0; i < n; i++) {
            Setting<?> s = ALL.get(data.consumeInt(0, ALL.size() - 1));
            String text = data.consumeString(64);
            given.put(s.key(), TextNode.valueOf(text));
            BadInput.allowed(() -> fromText(s, text));
        }
        BadInput.allowed(() -> roundTrip(CheckConfig.read(given, FROM_TEXT)));
        Setting<?> s = ALL.get(data.consumeInt(0, ALL.size() - 1));
        JsonNode node;
        try {
            node = JSON.readTree(data.consumeRemainingAsBytes());
        } catch (IOException e) {
            return; // not JSON (a JsonProcessingException, or bytes that are no text: CharConversionException)
        }
        if (node == null || node.isMissingNode()) {
            return;
        }
        BadInput.allowed(() -> fromJson(s, node));
        BadInput.allowed(() -> roundTrip(CheckConfig.fromJson(node)));
    }

    private static <T> void fromText(Setting<T> s, String text) {
        same(s, s.parse(text), text);
    }

    private static <T> void fromJson(Setting<T> s, JsonNode node) {
        same(s, s.fromJson(node), node);
    }

    /** The value reads back from its command-line text and from its JSON. */
    private static <T> void same(Setting<T> s, T value, Object given) {
        JsonNode json = s.toJson(value);
        if (!s.toJson(s.parse(s.format(value))).equals(json) || !s.toJson(s.fromJson(json)).equals(json)) {
            throw new AssertionError(s.key() + ": " + given + " reads as " + json + ", which does not read back");
        }
    }

    private static void roundTrip(CheckConfig c) {
        CheckConfig again = CheckConfig.fromJson(c.toJson());
        if (!again.equals(c)) {
            throw new AssertionError(c + " written and read back is " + again);
        }
    }
}
