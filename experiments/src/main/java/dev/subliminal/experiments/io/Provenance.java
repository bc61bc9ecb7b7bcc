package dev.subliminal.experiments.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;

/** Where a result came from: the tool's version, the Java runtime, the machine and the arguments. */
public final class Provenance {

    private Provenance() {
    }

    /** The toolkit's version, from the build. */
    public static String version() {
        try (InputStream in = Provenance.class.getResourceAsStream("/dev/subliminal/experiments/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The provenance object of a result file. */
    public static ObjectNode json(ObjectMapper mapper, String[] args) {
        ObjectNode o = mapper.createObjectNode();
        o.put("tool", "subliminal");
        o.put("version", version());
        o.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        o.put("java", System.getProperty("java.version"));
        o.put("javaVendor", System.getProperty("java.vendor"));
        o.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        o.put("arch", System.getProperty("os.arch"));
        o.put("cores", Runtime.getRuntime().availableProcessors());
        ArrayNode a = o.putArray("arguments");
        for (String s : args) {
            a.add(s);
        }
        return o;
    }
}
