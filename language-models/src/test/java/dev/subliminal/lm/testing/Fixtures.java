package dev.subliminal.lm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/** Test resources committed next to the tests (made by the scripts in src/test/python and src/test/node). */
public final class Fixtures {

    private Fixtures() {
    }

    /** The bytes of a resource, gunzipped if its name ends in .gz. */
    public static byte[] bytes(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies a resource (gunzipped if needed) into {@code dir} under {@code name}. */
    public static Path copy(String resource, Path dir, String name) {
        try (InputStream in = open(resource)) {
            Path out = dir.resolve(name);
            Files.createDirectories(out.getParent());
            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resource as a stream, gunzipped if its name ends in .gz. */
    public static InputStream open(String resource) throws IOException {
        InputStream in = Fixtures.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("missing test resource " + resource);
        }
        return resource.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }
}
