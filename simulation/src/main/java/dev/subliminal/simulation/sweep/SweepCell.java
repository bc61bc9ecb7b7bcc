package dev.subliminal.simulation.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.subliminal.simulation.check.Architecture;
import dev.subliminal.simulation.check.CheckConfig;
import dev.subliminal.simulation.check.ImitationSpec;
import dev.subliminal.simulation.check.InputDistribution;
import dev.subliminal.simulation.check.StudentInit;
import dev.subliminal.simulation.check.TraitKind;
import dev.subliminal.simulation.mlp.Activation;
import dev.subliminal.simulation.optim.OptimizerKind;
import dev.subliminal.theory.param.Initialization;
import java.util.Arrays;
import java.util.Map;

/**
 * One cell of a sweep grid: a check configuration and a training regime.
 *
 * @param check the architectures, losses, inputs, ε and α
 * @param regime the steps, the student's optimizer, weight decay and labels
 */
public record SweepCell(CheckConfig check, Regime regime) {

    /** The cell for one value per axis (normalized by {@link Axis#normalize}); every axis must be present. */
    public static SweepCell of(Map<Axis, JsonNode> v) {
        Architecture teacher = architecture(text(v, Axis.MODEL), text(v, Axis.WIDTHS), text(v, Axis.ACTIVATION));
        Architecture student = architecture(orTeacher(v, Axis.STUDENT_MODEL, Axis.MODEL),
                orTeacher(v, Axis.STUDENT_WIDTHS, Axis.WIDTHS), orTeacher(v, Axis.STUDENT_ACTIVATION, Axis.ACTIVATION));
        CheckConfig check = new CheckConfig(teacher, student, Initialization.parse(text(v, Axis.WEIGHTS)),
                StudentInit.parse(text(v, Axis.INIT)), v.get(Axis.PERTURBATION).doubleValue(),
                new ImitationSpec(ImitationSpec.Kind.parse(text(v, Axis.LOSS)), v.get(Axis.TEMPERATURE).doubleValue(),
                        v.get(Axis.DISTILL).intValue()),
                TraitKind.parse(text(v, Axis.TRAIT)), v.get(Axis.TRAIT_SAMPLES).intValue(),
                InputDistribution.parse(text(v, Axis.INPUTS)), v.get(Axis.SAMPLES).intValue(),
                v.get(Axis.EPSILON).doubleValue(), v.get(Axis.ALPHA).doubleValue());
        Regime regime = new Regime(v.get(Axis.TEACHER_STEPS).intValue(), v.get(Axis.STUDENT_STEPS).intValue(),
                OptimizerKind.parse(text(v, Axis.OPTIMIZER)), v.get(Axis.WEIGHT_DECAY).doubleValue(),
                Regime.Labels.parse(text(v, Axis.LABELS)));
        return new SweepCell(check, regime);
    }

    /**
     * Every axis's value for this cell, in axis order, as the configuration normalizes it: e.g.
     * {@code perturbation} is 0 unless the init is perturbed, {@code temperature} 1 and
     * {@code distill} 0 under squared error, and the student axes name the student's actual architecture.
     */
    public ObjectNode axes() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        CheckConfig c = check;
        o.put(Axis.MODEL.key(), c.teacher().family().cliName());
        o.put(Axis.WIDTHS.key(), c.teacher().sizesText());
        o.put(Axis.ACTIVATION.key(), c.teacher().activation().cliName());
        o.put(Axis.STUDENT_MODEL.key(), c.student().family().cliName());
        o.put(Axis.STUDENT_WIDTHS.key(), c.student().sizesText());
        o.put(Axis.STUDENT_ACTIVATION.key(), c.student().activation().cliName());
        o.put(Axis.WEIGHTS.key(), c.initialization().cliName());
        o.put(Axis.INIT.key(), c.studentInit().cliName());
        o.put(Axis.PERTURBATION.key(), c.perturbation());
        o.put(Axis.LOSS.key(), c.imitation().kind().cliName());
        o.put(Axis.TEMPERATURE.key(), c.imitation().temperature());
        o.put(Axis.DISTILL.key(), c.imitation().distilled());
        o.put(Axis.TRAIT.key(), c.trait().cliName());
        o.put(Axis.TRAIT_SAMPLES.key(), c.traitSamples());
        o.put(Axis.INPUTS.key(), c.inputs().cliName());
        o.put(Axis.SAMPLES.key(), c.samples());
        o.put(Axis.EPSILON.key(), c.epsilon());
        o.put(Axis.ALPHA.key(), c.alpha());
        o.put(Axis.TEACHER_STEPS.key(), regime.teacherSteps());
        o.put(Axis.STUDENT_STEPS.key(), regime.studentSteps());
        o.put(Axis.OPTIMIZER.key(), regime.optimizer().cliName());
        o.put(Axis.WEIGHT_DECAY.key(), regime.weightDecay());
        o.put(Axis.LABELS.key(), regime.labels().cliName());
        return o;
    }

    private static String text(Map<Axis, JsonNode> v, Axis a) {
        JsonNode n = v.get(a);
        if (n == null) {
            throw new IllegalArgumentException("no value for axis " + a.key());
        }
        return n.asText();
    }

    private static String orTeacher(Map<Axis, JsonNode> v, Axis student, Axis teacher) {
        String s = text(v, student);
        return s.equals(Axis.SAME) ? text(v, teacher) : s;
    }

    private static Architecture architecture(String family, String sizes, String activation) {
        int[] s = Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        return new Architecture(Architecture.Family.parse(family), s, Activation.parse(activation));
    }
}
