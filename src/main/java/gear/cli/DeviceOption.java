package gear.cli;

import gear.config.Schema;
import gear.train.TrainOptions;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code --device} of the commands that compute on a device ({@code benchmark}, {@code curvature},
 * {@code bench train}, {@code bench curvature}): the option {@link TrainOptions#DEVICE} that {@code train} and {@code transfer} declare in
 * their schemas, added from the same declaration, so that its name, default and help are written once.
 */
final class DeviceOption {
    /** The one option as a schema. */
    static final Schema SCHEMA = new Schema("device", List.of(TrainOptions.DEVICE));

    private DeviceOption() {}

    /** Adds {@code --device} to a command. */
    static void add(CommandSpec spec) {
        SchemaOptions.add(spec, SCHEMA, Map.of());
    }

    /** @return the device given on the command line (trimmed, lower case), or null when none was given */
    static String explicit(CommandLine cl) {
        String v = SchemaOptions.explicit(cl, SCHEMA).get(TrainOptions.DEVICE.key());
        return v == null ? null : TrainOptions.DEVICE.parse(v).trim();
    }

    /** @return the device given on the command line, else the default ({@code cpu}) */
    static String value(CommandLine cl) {
        String v = explicit(cl);
        return v == null ? TrainOptions.DEVICE.defaultValue() : v;
    }

    /** @return whether {@code device} names the CPU (the default) */
    static boolean isCpu(String device) {
        return device == null || device.trim().equalsIgnoreCase(TrainOptions.DEVICE.defaultValue());
    }
}
