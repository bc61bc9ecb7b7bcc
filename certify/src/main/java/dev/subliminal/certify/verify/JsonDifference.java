package dev.subliminal.certify.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;

/**
 * The first place where a JSON value differs from the expected one: objects by their set of fields
 * (in any order), arrays element by element, and numbers, strings, booleans and null by their JSON
 * text (so 1 and 1.0, or 0.0 and -0.0, differ, as they do for a reader of the file).
 */
final class JsonDifference {

    private JsonDifference() {
    }

    /** "path: the file has A where B is expected", or null when {@code actual} equals {@code expected}. */
    static String first(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject() && actual.isObject()) {
            for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String sub = path + "." + k;
                if (!actual.has(k)) {
                    return sub + " is missing";
                }
                String d = first(expected.get(k), actual.get(k), sub);
                if (d != null) {
                    return d;
                }
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!expected.has(k)) {
                    return path + "." + k + " is not expected";
                }
            }
            return null;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                return path + " holds " + actual.size() + " elements where " + expected.size() + " are expected";
            }
            for (int i = 0; i < expected.size(); i++) {
                String d = first(expected.get(i), actual.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.getNodeType() == actual.getNodeType() && !expected.isContainerNode()
                && expected.toString().equals(actual.toString())) {
            return null;
        }
        return path + ": the file has " + shortText(actual) + " where " + shortText(expected) + " is expected";
    }

    private static String shortText(JsonNode n) {
        String s = n.toString();
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
