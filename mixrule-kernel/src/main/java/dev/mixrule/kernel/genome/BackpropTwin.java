package dev.mixrule.kernel.genome;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.mixrule.proto.Genome;
import dev.mixrule.proto.LearningRule;
import java.util.List;

/**
 * A genome's backprop twin: the same architecture with every learning-rule label replaced by bp (unset
 * labels, on layers without weights, stay unset). The honest source of a transfer attack: same function
 * class, trained by true gradients. Walks the genome message generically, so it knows no space's layout.
 */
public final class BackpropTwin {
    private BackpropTwin() {}

    public static Genome of(Genome genome) {
        return (Genome) allBackprop(genome);
    }

    private static Message allBackprop(Message m) {
        Message.Builder b = m.toBuilder();
        for (var e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (f.isRepeated()) {
                    b.clearField(f);
                    for (Object item : (List<?>) e.getValue()) {
                        b.addRepeatedField(f, allBackprop((Message) item));
                    }
                } else {
                    b.setField(f, allBackprop((Message) e.getValue()));
                }
            } else if (f.getJavaType() == FieldDescriptor.JavaType.ENUM
                    && f.getEnumType().equals(LearningRule.getDescriptor()) && !f.isRepeated()) {
                EnumValueDescriptor v = (EnumValueDescriptor) e.getValue();
                if (v.getNumber() != LearningRule.LEARNING_RULE_UNSPECIFIED_VALUE) {
                    b.setField(f, LearningRule.LEARNING_RULE_BP.getValueDescriptor());
                }
            }
        }
        return b.build();
    }
}
