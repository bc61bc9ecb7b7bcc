package dev.subliminal.theory.param;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterLayoutTest {

    /** nn.Sequential(nn.Linear(3, 4), φ, nn.Linear(4, 2)). */
    private static final ParameterLayout LAYOUT = ParameterLayout.builder()
            .add("0.weight", 4, 3).add("0.bias", 4).add("2.weight", 2, 4).add("2.bias", 2).build();

    @Test
    void tensorsAreContiguousInInsertionOrder() {
        assertThat(LAYOUT.size()).isEqualTo(12 + 4 + 8 + 2);
        assertThat(LAYOUT.names()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        assertThat(LAYOUT.tensors()).extracting(TensorSpec::offset).containsExactly(0, 12, 16, 24);
        assertThat(LAYOUT.tensor("2.weight").shape()).containsExactly(2, 4);
        assertThat(LAYOUT.tensor("2.weight").size()).isEqualTo(8);
        assertThat(LAYOUT.toString()).isEqualTo("[0.weight[4, 3]@0, 0.bias[4]@12, 2.weight[2, 4]@16, 2.bias[2]@24]");
    }

    @Test
    void splitThenJoinIsTheIdentity() {
        double[] theta = new double[LAYOUT.size()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = i + 0.5;
        }
        Map<String, double[]> named = LAYOUT.split(theta);
        assertThat(named.keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
        // row-major: element (i, j) of 0.weight [4, 3] sits at i·3 + j
        assertThat(named.get("0.weight")[1 * 3 + 2]).isEqualTo(theta[5]);
        assertThat(named.get("2.bias")).containsExactly(24.5, 25.5);
        assertThat(LAYOUT.join(named)).containsExactly(theta);
        // split returns copies
        named.get("0.bias")[0] = -1;
        assertThat(theta[12]).isEqualTo(12.5);
        // join in a different map order still puts every tensor at its offset
        Map<String, double[]> reversed = new LinkedHashMap<>();
        for (String name : new String[] {"2.bias", "2.weight", "0.bias", "0.weight"}) {
            reversed.put(name, LAYOUT.split(theta).get(name));
        }
        assertThat(LAYOUT.join(reversed)).containsExactly(theta);
    }

    /** Found by CheckpointFolderFuzzTest: a config.json's sizes overflowed as an ArithmeticException. */
    @Test
    void aLayoutOverTheIntRangeIsBadInputNotAnArithmeticError() {
        assertThatThrownBy(() -> ParameterLayout.builder().add("wte.weight", 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'wte.weight' of shape [65536, 65536] puts the layout over 2147483647 parameters");
        ParameterLayout.Builder b = ParameterLayout.builder().add("a", Integer.MAX_VALUE - 1);
        assertThatThrownBy(() -> b.add("b", 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 'b' of shape [2] puts the layout over");
    }

    @Test
    void duplicateNamesAreRejected() {
        ParameterLayout.Builder b = ParameterLayout.builder().add("0.weight", 2, 2);
        assertThatThrownBy(() -> b.add("0.weight", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate tensor name '0.weight'");
    }

    @Test
    void missingExtraAndMisshapenTensorsAreRejected() {
        Map<String, double[]> named = LAYOUT.split(new double[LAYOUT.size()]);
        named.remove("0.bias");
        assertThatThrownBy(() -> LAYOUT.join(named)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'0.bias' is missing");

        Map<String, double[]> extra = LAYOUT.split(new double[LAYOUT.size()]);
        extra.put("4.weight", new double[3]);
        assertThatThrownBy(() -> LAYOUT.join(extra)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown tensors [4.weight]");

        Map<String, double[]> wrong = LAYOUT.split(new double[LAYOUT.size()]);
        wrong.put("2.weight", new double[7]);
        assertThatThrownBy(() -> LAYOUT.join(wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'2.weight' has 7 elements, expected 8 for shape [2, 4]");

        assertThatThrownBy(() -> LAYOUT.split(new double[5])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("θ has length 5, expected 26");
        assertThatThrownBy(() -> LAYOUT.tensor("1.weight")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'1.weight'").hasMessageContaining("[0.weight, 0.bias, 2.weight, 2.bias]");
        assertThatThrownBy(() -> LAYOUT.requireVector(null, "Δ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Δ has length null");
    }

    @Test
    void tensorSpecsValidateAndAreImmutable() {
        assertThatThrownBy(() -> ParameterLayout.builder().add("w", 3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[3, 0]");
        assertThatThrownBy(() -> ParameterLayout.builder().add(" ", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        int[] shape = {2, 3};
        TensorSpec t = new TensorSpec("w", shape, 0);
        shape[0] = 9;
        t.shape()[1] = 9;
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t).isEqualTo(new TensorSpec("w", new int[] {2, 3}, 0)).isNotEqualTo(new TensorSpec("w", new int[] {3, 2}, 0));
        assertThat(LAYOUT).isEqualTo(ParameterLayout.builder()
                .add("0.weight", 4, 3).add("0.bias", 4).add("2.weight", 2, 4).add("2.bias", 2).build());
        assertThatThrownBy(() -> LAYOUT.tensors().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
