package io.llavaseg.topology.processor;

import io.llavaseg.topology.LlavasegTopology;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;

/** Mock processor contexts with the model stages' in-flight stores (in memory, not logged). */
final class MockContexts {
  private MockContexts() {}

  static MockProcessorContext<String, Object> withInFlightStores() {
    MockProcessorContext<String, Object> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_800_000_000_000L);
    for (String name : new String[] {LlavasegTopology.REASONING_IN_FLIGHT_STORE,
        LlavasegTopology.SEGMENTATION_IN_FLIGHT_STORE}) {
      StateStore store = LlavasegTopology.inFlightStore(name).withLoggingDisabled().build();
      store.init(ctx.getStateStoreContext(), store);
      ctx.addStateStore(store);
    }
    return ctx;
  }
}
