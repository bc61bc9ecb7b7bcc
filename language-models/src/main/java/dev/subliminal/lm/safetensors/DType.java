package dev.subliminal.lm.safetensors;

import dev.subliminal.lm.io.FormatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The element types of a safetensors file, in the reference implementation's order of increasing
 * alignment (the writer stores tensors in decreasing order of this, then by name). Only the four
 * floating types hold parameters; the others are recognised so that a file holding, say, an
 * {@code I64} buffer parses, and are refused by name when read as numbers.
 */
public enum DType {
    BOOL(1, false),
    U8(1, false),
    I8(1, false),
    F8_E5M2(1, false),
    F8_E4M3(1, false),
    I16(2, false),
    U16(2, false),
    F16(2, true),
    BF16(2, true),
    I32(4, false),
    U32(4, false),
    F32(4, true),
    F64(8, true),
    I64(8, false),
    U64(8, false);

    private final int size;
    private final boolean floating;

    DType(int size, boolean floating) {
        this.size = size;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** Whether values of this type convert to {@code double} (F16, BF16, F32, F64). */
    public boolean isFloating() {
        return floating;
    }

    /** The {@code torch_dtype} name Hugging Face writes in {@code config.json} ("float32", ...). */
    public String torchName() {
        return switch (this) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case F32 -> "float32";
            case F64 -> "float64";
            default -> name().toLowerCase(Locale.ROOT);
        };
    }

    /** The type with this header name ({@code "F32"}, ...); {@code source} names the file in errors. */
    public static DType parse(String text, String source, String tensor) {
        for (DType d : values()) {
            if (d.name().equals(text)) {
                return d;
            }
        }
        throw new FormatException(source, tensor, "unknown dtype '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A floating type for storing parameters, by header or torch name (f32, float32, bf16, ...). */
    public static DType parseFloating(String text) {
        String key = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (DType d : values()) {
            if (d.floating && (d.name().equals(key) || d.torchName().toUpperCase(Locale.ROOT).equals(key))) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown parameter dtype '" + text + "'; expected f32, f16, bf16 or f64");
    }
}
