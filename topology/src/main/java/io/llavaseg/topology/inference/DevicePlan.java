package io.llavaseg.topology.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where inference runs ({@code llavaseg.inference.devices}): {@code cpu}; a list of GPUs such as
 * {@code gpu0,gpu1}; or {@code auto}, every GPU the engine sees, else the CPU (said in one log
 * line). One model instance is loaded per device per process; worker {@code i} of a stage runs on
 * device {@code i mod n} (round-robin), each worker with its own predictor. Device names are DJL's
 * ({@code ai.djl.Device.fromName}: {@code cpu}, {@code gpu0}).
 */
public final class DevicePlan {
  private static final Logger LOG = LoggerFactory.getLogger(DevicePlan.class);

  private final List<String> devices;
  private final DeviceTurns turns;

  private DevicePlan(List<String> devices) {
    this(devices, DeviceTurns.NONE);
  }

  private DevicePlan(List<String> devices, DeviceTurns turns) {
    this.devices = List.copyOf(devices);
    this.turns = turns;
  }

  /**
   * This plan with the workers of every stage taking turns on each device ({@code
   * llavaseg.inference.exclusive-devices}, {@link DeviceTurns}) if {@code exclusive}.
   */
  public DevicePlan exclusive(boolean exclusive) {
    return new DevicePlan(devices, exclusive ? DeviceTurns.exclusive() : DeviceTurns.NONE);
  }

  /** Whether, and how, the workers on one device take turns. */
  public DeviceTurns turns() {
    return turns;
  }

  /**
   * @param spec the configured value
   * @param gpuCount how many CUDA GPUs the engine sees (only asked for {@code auto})
   */
  public static DevicePlan parse(String spec, IntSupplier gpuCount) {
    String s = normalized(spec);
    if (s.equals("auto")) {
      int gpus = gpuCount.getAsInt();
      if (gpus <= 0) {
        LOG.info("llavaseg.inference.devices=auto: no CUDA GPU visible to the engine, running on cpu");
        return new DevicePlan(List.of("cpu"));
      }
      List<String> all = new ArrayList<>();
      for (int i = 0; i < gpus; i++) {
        all.add("gpu" + i);
      }
      LOG.info("llavaseg.inference.devices=auto: {} GPU(s), running on {}", gpus, all);
      return new DevicePlan(all);
    }
    return new DevicePlan(explicit(s));
  }

  /**
   * Checks the syntax of a configured value without asking the engine for GPUs (the configuration's
   * validator): {@code auto}, {@code cpu} or distinct {@code gpuN} names.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void validate(String spec) {
    String s = normalized(spec);
    if (!s.equals("auto")) {
      explicit(s);
    }
  }

  private static String normalized(String spec) {
    String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("llavaseg.inference.devices is empty: use cpu, auto or a list like gpu0,gpu1");
    }
    return s;
  }

  private static List<String> explicit(String s) {
    List<String> list = new ArrayList<>();
    for (String part : s.split(",")) {
      String d = part.strip();
      if (d.equals("gpu")) {
        d = "gpu0";
      }
      if (!d.equals("cpu") && !d.matches("gpu\\d+")) {
        throw new IllegalArgumentException("llavaseg.inference.devices: unknown device '" + part.strip()
            + "' (use cpu, auto or gpu0,gpu1,...)");
      }
      if (list.contains(d)) {
        throw new IllegalArgumentException("llavaseg.inference.devices lists " + d + " twice");
      }
      list.add(d);
    }
    if (list.contains("cpu") && list.size() > 1) {
      throw new IllegalArgumentException("llavaseg.inference.devices: cpu cannot be mixed with GPUs");
    }
    return list;
  }

  /** The devices, one model instance each. */
  public List<String> devices() {
    return devices;
  }

  /** The device of worker {@code index} (round-robin). */
  public String deviceOf(int index) {
    return devices.get(Math.floorMod(index, devices.size()));
  }

  /** The devices of {@code workers} workers, in worker order. */
  public List<String> assign(int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      out.add(deviceOf(i));
    }
    return out;
  }

  @Override
  public String toString() {
    return String.join(",", devices);
  }
}
