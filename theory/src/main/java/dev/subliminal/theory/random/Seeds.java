package dev.subliminal.theory.random;

import java.nio.charset.StandardCharsets;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Explicit, splittable seeding. Every random draw in the toolkit comes from a generator made here
 * from a user seed and a named stream ("teacher-init", "student-inputs", ...), so that adding a new
 * stream never changes the numbers of an existing one and results replay bit for bit.
 */
public final class Seeds {

    /** The generator family: xoroshiro128++ from Commons RNG. */
    public static final RandomSource SOURCE = RandomSource.XO_RO_SHI_RO_128_PP;

    private Seeds() {
    }

    /** A generator for the named stream of this seed. */
    public static UniformRandomProvider stream(long seed, String name) {
        return SOURCE.create(derive(seed, name));
    }

    /** A generator seeded directly with {@code seed}. */
    public static UniformRandomProvider of(long seed) {
        return SOURCE.create(seed);
    }

    /** A 64-bit seed for the named stream of {@code seed}, by SplitMix64 finalization of both. */
    public static long derive(long seed, String name) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xFF));
        }
        return mix(seed ^ h);
    }

    /** A 64-bit seed for the index-th child of {@code seed}. */
    public static long derive(long seed, long index) {
        return mix(mix(seed) + 0x9E3779B97F4A7C15L * (index + 1));
    }

    /** SplitMix64's finalizer: a bijection on 64-bit values with full avalanche. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
