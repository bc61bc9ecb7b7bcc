package dev.subliminal.theory.property;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Small shrinking steps shared by generators. */
public final class Shrink {

    private Shrink() {
    }

    /** 1, half, and one less than k: the distinct ones below k, most aggressive first. */
    public static List<Integer> fewer(int k) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int c : new int[] {1, k / 2, k - 1}) {
            if (c >= 1 && c < k) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }
}
