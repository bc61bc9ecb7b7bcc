package dev.subliminal.experiments.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.results.schema.ProvenanceSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/**
 * Where a result came from: the tool's version and source revision, the command, the Java runtime,
 * the machine and the arguments. The revision is fixed at build time: {@code git <commit>} when
 * the sources were built from a git checkout (with {@code with local changes} and the sources'
 * SHA-256 when they differed from that commit), else {@code build sha256 <hash>} of the sources.
 */
public final class Provenance {

    private static final String RESOURCES = "/dev/subliminal/experiments/";

    /** The tool's name in provenance. */
    public static final String TOOL = "subliminal";

    private Provenance() {
    }

    /** The toolkit's version, from the build. */
    public static String version() {
        return property("version.properties", "version");
    }

    /** The source revision the toolkit was built from. */
    public static String revision() {
        return property("revision.properties", "revision");
    }

    private static String property(String file, String key) {
        try (InputStream in = Provenance.class.getResourceAsStream(RESOURCES + file)) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provenance object of a result file; {@code command} is the first argument that is not an option. */
    public static ObjectNode json(ObjectMapper mapper, String[] args) {
        ObjectNode o = mapper.createObjectNode();
        ProvenanceSchema.TOOL.put(o, TOOL);
        ProvenanceSchema.VERSION.put(o, version());
        ProvenanceSchema.REVISION.put(o, revision());
        for (String a : args) {
            if (!a.startsWith("-")) {
                ProvenanceSchema.COMMAND.put(o, a);
                break;
            }
        }
        ProvenanceSchema.CREATED.put(o, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        ProvenanceSchema.JAVA.put(o, System.getProperty("java.version"));
        ProvenanceSchema.JAVA_VENDOR.put(o, System.getProperty("java.vendor"));
        ProvenanceSchema.OS.put(o, System.getProperty("os.name") + " " + System.getProperty("os.version"));
        ProvenanceSchema.ARCH.put(o, System.getProperty("os.arch"));
        ProvenanceSchema.CORES.put(o, Runtime.getRuntime().availableProcessors());
        ArrayNode a = o.putArray(ProvenanceSchema.ARGUMENTS.name());
        for (String s : args) {
            a.add(s);
        }
        return o;
    }
}
