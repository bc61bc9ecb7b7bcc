package dev.subliminal.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of model families: every {@link ModelFamily} on the class path, found with
 * {@link ServiceLoader} and ordered by name, and the settings that choose among them.
 *
 * <p>A configuration names its family with {@link #MODEL} and gives that family's settings; a
 * student of another architecture names its own with {@link #STUDENT_MODEL} and the student twins
 * of the family settings ({@code studentWidths} for {@code widths}), which default to the teacher's.
 */
public final class ModelFamilies {

    private static final List<ModelFamily> ALL = load();

    /** The teacher's (and reference model's) family. */
    public static final Setting<String> MODEL = Setting.of("model", SettingType.name(ModelFamilies::names), "mlp",
            "Model family");

    /** The student's family, when it differs from the teacher's. */
    public static final Setting<String> STUDENT_MODEL = Setting.of("studentModel",
            SettingType.name(ModelFamilies::names), null, "Student's model family, when it differs from the teacher's");

    private static final Map<String, Setting<?>> STUDENT_TWINS = twins();

    private ModelFamilies() {
    }

    private static List<ModelFamily> load() {
        List<ModelFamily> found = new ArrayList<>();
        ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(ModelFamily::name));
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (int i = 0; i < found.size(); i++) {
            ModelFamily f = found.get(i);
            if (i > 0 && found.get(i - 1).name().equals(f.name())) {
                throw new IllegalStateException("two model families are named '" + f.name() + "'");
            }
            for (Setting<?> s : f.settings()) {
                Setting<?> other = byKey.putIfAbsent(s.key(), s);
                if (other != null && other != s) {
                    throw new IllegalStateException("model families declare two different settings named '"
                            + s.key() + "'; share one Setting instance");
                }
            }
        }
        return List.copyOf(found);
    }

    private static Map<String, Setting<?>> twins() {
        Map<String, Setting<?>> twins = new LinkedHashMap<>();
        for (Setting<?> s : settings()) {
            String key = "student" + Character.toUpperCase(s.key().charAt(0)) + s.key().substring(1);
            twins.put(s.key(), twin(s, key));
        }
        return twins;
    }

    private static <T> Setting<T> twin(Setting<T> s, String key) {
        String help = s.help();
        return Setting.of(key, s.type(), null, "Student's " + Character.toLowerCase(help.charAt(0)) + help.substring(1)
                + ", when it differs from the teacher's");
    }

    /** Every registered family, ordered by name. */
    public static List<ModelFamily> all() {
        return ALL;
    }

    /** The names of the registered families. */
    public static List<String> names() {
        return ALL.stream().map(ModelFamily::name).toList();
    }

    /** The family with this name; the error lists the registered ones. */
    public static ModelFamily of(String name) {
        for (ModelFamily f : ALL) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown model family " + SettingType.echo(name) + "; expected one of "
                + String.join(", ", names()));
    }

    /** Every family setting, each once, in family order then declaration order. */
    public static List<Setting<?>> settings() {
        Map<String, Setting<?>> byKey = new LinkedHashMap<>();
        for (ModelFamily f : ALL) {
            for (Setting<?> s : f.settings()) {
                byKey.putIfAbsent(s.key(), s);
            }
        }
        return List.copyOf(byKey.values());
    }

    /** The student's twin of a family setting ({@code studentWidths} for {@code widths}), without a default. */
    @SuppressWarnings("unchecked")
    public static <T> Setting<T> student(Setting<T> s) {
        Setting<?> t = STUDENT_TWINS.get(s.key());
        if (t == null) {
            throw new IllegalArgumentException("'" + s.key() + "' is not a model setting");
        }
        return (Setting<T>) t;
    }

    /** The architecture of a record's {@code {"family": ..., ...}} object. */
    public static Architecture fromJson(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("family").isTextual()) {
            throw new IllegalArgumentException("a model needs a \"family\" name");
        }
        return of(node.get("family").textValue()).fromJson(node);
    }
}
