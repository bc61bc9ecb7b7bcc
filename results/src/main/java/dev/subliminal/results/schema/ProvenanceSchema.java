package dev.subliminal.results.schema;

/**
 * The fields of a {@code provenance} object (in every results header, check record and
 * certificate): where a result came from.
 */
public final class ProvenanceSchema {

    /** {@code subliminal}. */
    public static final Field TOOL = Field.text("tool");
    /** The toolkit's version. */
    public static final Field VERSION = Field.text("version");
    /** The source revision it was built from: {@code git <commit>...} or {@code build sha256 <hash>}. */
    public static final Field REVISION = Field.text("revision");
    /** The subcommand, e.g. {@code sweep}. */
    public static final Field COMMAND = Field.text("command").optional();
    /** When, in UTC, to the second. */
    public static final Field CREATED = Field.text("created");
    /** The Java version. */
    public static final Field JAVA = Field.text("java");
    /** The Java vendor. */
    public static final Field JAVA_VENDOR = Field.text("javaVendor");
    /** The operating system and its version. */
    public static final Field OS = Field.text("os");
    /** The processor architecture. */
    public static final Field ARCH = Field.text("arch");
    /** The number of processors. */
    public static final Field CORES = Field.integer("cores");
    /** The command line's arguments as given. */
    public static final Field ARGUMENTS = Field.array("arguments");

    private ProvenanceSchema() {
    }
}
