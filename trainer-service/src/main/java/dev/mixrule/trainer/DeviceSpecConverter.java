package dev.mixrule.trainer;

import dev.mixrule.core.pipeline.TrainingJob;
import dev.mixrule.kernel.device.DeviceSpec;
import org.eclipse.microprofile.config.spi.Converter;

/** mixrule.trainer.device as a {@link DeviceSpec}: auto, cpu or gpu(N); anything else stops the start, naming the setting. */
public class DeviceSpecConverter implements Converter<DeviceSpec> {
    @Override
    public DeviceSpec convert(String value) {
        return DeviceSpec.parse(TrainingJob.DEVICE_SETTING, value);
    }
}
