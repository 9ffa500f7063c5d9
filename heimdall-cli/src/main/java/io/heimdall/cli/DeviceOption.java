package io.heimdall.cli;

import io.heimdall.inference.Device;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --device auto|cpu|cuda}: where ONNX Runtime runs a model. A command adds it as a field
 * {@code @Mixin DeviceOption device;} and passes {@link #device()} to the engine builder's {@code
 * device}. Default {@code auto}; an unknown value is bad input (exit 2).
 */
public final class DeviceOption {

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda",
      converter = DeviceConverter.class,
      description =
          "auto (CUDA if it loads, else CPU), cpu, or cuda (fail without CUDA). Default:"
              + " ${DEFAULT-VALUE}.")
  Device device;

  /** Creates the option; picocli sets it. */
  public DeviceOption() {}

  /**
   * The device policy given, {@link Device#AUTO} by default.
   *
   * @return the device policy
   */
  public Device device() {
    return device;
  }

  /** Parses {@code --device} with the engine's own parser and its message. */
  static final class DeviceConverter implements CommandLine.ITypeConverter<Device> {
    @Override
    public Device convert(String value) {
      try {
        return Device.parse(value);
      } catch (IllegalArgumentException | io.heimdall.InvalidInputException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
