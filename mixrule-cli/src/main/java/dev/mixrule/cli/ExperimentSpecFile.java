package dev.mixrule.cli;

import com.google.gson.Gson;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.mixrule.proto.ExperimentSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * An ExperimentSpec from a YAML or JSON file, with the proto's field names (snake_case, as in
 * proto/mixrule/v1/mixrule.proto and examples/experiments/). An unknown field or a value of the wrong type is an
 * error naming the file and the field; the sampler then validates values (INVALID_ARGUMENT naming the field).
 */
public final class ExperimentSpecFile {
    private ExperimentSpecFile() {}

    public static final class SpecFileException extends Exception {
        SpecFileException(String message) {
            super(message);
        }
    }

    public static ExperimentSpec.Builder read(Path file) throws SpecFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecFileException(file + ": cannot read it (" + e.getMessage() + ")");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String json = name.endsWith(".json") ? text : yamlToJson(file, text);
        ExperimentSpec.Builder b = ExperimentSpec.newBuilder();
        try {
            JsonFormat.parser().merge(json, b);
        } catch (InvalidProtocolBufferException e) {
            throw new SpecFileException(file + ": " + e.getMessage().replace("mixrule.v1.", "")
                    + " (fields are ExperimentSpec's, snake_case, see proto/mixrule/v1/mixrule.proto)");
        }
        return b;
    }

    private static String yamlToJson(Path file, String text) throws SpecFileException {
        try {
            Object tree = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
            if (!(tree instanceof Map)) {
                throw new SpecFileException(file + ": expected a mapping of ExperimentSpec fields at the top");
            }
            return new Gson().toJson(tree);
        } catch (YAMLException e) {
            throw new SpecFileException(file + ": not valid YAML: " + e.getMessage());
        }
    }
}
