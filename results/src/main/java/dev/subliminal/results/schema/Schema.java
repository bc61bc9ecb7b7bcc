package dev.subliminal.results.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A kind of result and the shape its files must have ({@code docs/results.md}): either a results
 * file (a header line {@code {"schema", "config", "provenance"}} then one record per line, each
 * with a unique {@code key}) or a single JSON record that is its own header. It checks a header's
 * configuration and every record, with errors that name the field.
 */
public final class Schema {

    /** The header's (or a single record's) schema name, e.g. {@code subliminal.sweep/1}. */
    public static final Field NAME = Field.text("schema");
    /** The header's full configuration of the run. */
    public static final Field CONFIG = Field.object("config");
    /** Where the results came from: tool, version, revision, machine, arguments. */
    public static final Field PROVENANCE = Field.object("provenance");
    /** Every record's key, unique in its file. */
    public static final Field KEY = Field.text("key");

    /** Checks one record of a file whose header holds {@code config}. */
    @FunctionalInterface
    public interface RecordCheck {
        void check(JsonNode config, JsonNode record);
    }

    private final String name;
    private final boolean family;
    private final Predicate<String> matches;
    private final boolean singleRecord;
    private final Consumer<JsonNode> configCheck;
    private final RecordCheck recordCheck;

    private Schema(String name, boolean family, boolean singleRecord, Consumer<JsonNode> configCheck,
            RecordCheck recordCheck) {
        this.name = name;
        this.family = family;
        this.matches = family ? s -> s.startsWith(name) : name::equals;
        this.singleRecord = singleRecord;
        this.configCheck = configCheck;
        this.recordCheck = recordCheck;
    }

    /** A results file: {@code configCheck} checks the header's configuration, {@code recordCheck} each record. */
    public static Schema results(String name, Consumer<JsonNode> configCheck, RecordCheck recordCheck) {
        return new Schema(name, false, false, configCheck, recordCheck);
    }

    /** A results file whose records must have these fields (besides {@code key}). */
    public static Schema results(String name, List<Field> fields) {
        return results(name, config -> { }, (config, record) -> fields.forEach(f -> f.check(record)));
    }

    /** Single records of schema {@code name}, each checked by {@code check}. */
    public static Schema single(String name, Consumer<JsonNode> check) {
        return new Schema(name, false, true, config -> { }, (config, record) -> check.accept(record));
    }

    /** Single records whose schema name starts with {@code prefix} (every version of a kind), each checked by {@code check}. */
    public static Schema singleFamily(String prefix, Consumer<JsonNode> check) {
        return new Schema(prefix, true, true, config -> { }, (config, record) -> check.accept(record));
    }

    /** The schema name written in files (for single records, the prefix of the names it reads). */
    public String name() {
        return name;
    }

    /** The schema names it reads: its name, or {@code prefix*} for a family of versions. */
    public String pattern() {
        return family ? name + "*" : name;
    }

    /** Whether a file whose {@code schema} is {@code schemaName} is of this kind. */
    public boolean matches(String schemaName) {
        return matches.test(schemaName);
    }

    /** True for a kind whose file is one JSON record, false for a results file. */
    public boolean singleRecord() {
        return singleRecord;
    }

    /** Checks a results file's header configuration. */
    public void checkConfig(JsonNode config) {
        configCheck.accept(config);
    }

    /** Checks a record (for a single record, the whole file) against this schema. */
    public void check(JsonNode config, JsonNode record) {
        if (!singleRecord) {
            KEY.check(record);
        }
        recordCheck.check(config, record);
    }

    @Override
    public String toString() {
        return name;
    }
}
