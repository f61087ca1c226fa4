package io.llavaseg.topology;

import io.llavaseg.topology.image.DecodeBudget;
import java.time.Duration;

/**
 * What the tasks of one service instance share to protect it and its dependencies: a {@link
 * CircuitBreaker} per dependency (the schema registry, the image store) and the {@link DecodeBudget}
 * of decoded pixels. One per {@link ServiceConfig} (so one per running service), reached through
 * {@link io.llavaseg.topology.image.ValidationLimits#guards()} by every processor that reads images
 * or deserializes records.
 *
 * @param registry counts records that failed to deserialize because the registry did not know their
 *     schema id or could not be reached (see {@code Decoding})
 * @param imageStore counts http(s) references whose store stayed unavailable through its retries
 * @param decodeBudget the bytes of pixels being decoded at once
 */
public record InstanceGuards(CircuitBreaker registry, CircuitBreaker imageStore, DecodeBudget decodeBudget) {
  /** The dependency name of the schema registry in metrics, readiness and messages. */
  public static final String REGISTRY = "schema-registry";

  /** The dependency name of the http(s) image store. */
  public static final String IMAGE_STORE = "image-store";

  /** The default breaker threshold: consecutive failures that open a breaker. */
  public static final int DEFAULT_BREAKER_THRESHOLD = 5;

  /** The default first backoff of an open breaker. */
  public static final Duration DEFAULT_BREAKER_OPEN_FOR = Duration.ofSeconds(5);

  /** The longest backoff of an open breaker, however often its probes fail. */
  public static final Duration MAX_BREAKER_OPEN_FOR = Duration.ofMinutes(1);

  /** Guards with these settings. */
  public static InstanceGuards of(int registryThreshold, int imageStoreThreshold, Duration openFor,
      long decodeBudgetBytes, Duration decodeWait) {
    Duration max = openFor.compareTo(MAX_BREAKER_OPEN_FOR) > 0 ? openFor : MAX_BREAKER_OPEN_FOR;
    return new InstanceGuards(new CircuitBreaker(REGISTRY, registryThreshold, openFor, max),
        new CircuitBreaker(IMAGE_STORE, imageStoreThreshold, openFor, max),
        new DecodeBudget(decodeBudgetBytes, decodeWait));
  }

  /** Fresh guards with the defaults (a quarter of the heap to decode in). */
  public static InstanceGuards defaults() {
    return of(DEFAULT_BREAKER_THRESHOLD, DEFAULT_BREAKER_THRESHOLD, DEFAULT_BREAKER_OPEN_FOR, 0,
        DecodeBudget.DEFAULT_MAX_WAIT);
  }
}
