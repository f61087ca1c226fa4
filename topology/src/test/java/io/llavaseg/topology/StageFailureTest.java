package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.llavaseg.schemas.registry.RegistryUnavailableException;
import io.llavaseg.schemas.registry.WireFormatError;
import io.llavaseg.schemas.registry.WireFormatException;
import org.junit.jupiter.api.Test;

class StageFailureTest {

  @Test
  void shouldTurnAnUnforeseenExceptionIntoAnUnexpectedErrorDeadLetterCode() {
    IllegalStateException bug = new IllegalStateException("bug");
    StageFailure f = StageFailure.unexpected(bug);
    assertEquals(ErrorCode.UNEXPECTED_ERROR.name(), f.code());
    assertSame(bug, f.getCause());
  }

  @Test
  void shouldRethrowRegistryAndKafkaFailuresInsteadOfDeadLetteringThem() {
    RegistryUnavailableException down = new RegistryUnavailableException("down", 503, null);
    assertSame(down, assertThrows(RegistryUnavailableException.class, () -> StageFailure.unexpected(down)));
    WireFormatException refused = new WireFormatException(WireFormatError.REGISTRY_REJECTED, "401");
    assertSame(refused, assertThrows(WireFormatException.class, () -> StageFailure.unexpected(refused)));
  }

  @Test
  void shouldReplaceAThreadOnlyForATransientRegistryFailure() {
    assertEquals(org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD,
        LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
            new WireFormatException(WireFormatError.REGISTRY_UNAVAILABLE, "down"))));
    assertEquals(org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
        LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
            new WireFormatException(WireFormatError.REGISTRY_REJECTED, "401"))));
  }

  @Test
  void shouldReplaceAThreadWhoseTransactionWasAbortedOrFencedWhileItWasPaused() {
    var replace = org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    // what a resumed zombie's commit failed with in ZombieDrillIT: the coordinator had aborted its
    // transaction at the timeout, reported as a plain StreamsException
    assertEquals(replace, LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
        "Error encountered trying to commit a transaction", new org.apache.kafka.common.errors.InvalidTxnStateException(
            "The producer attempted a transactional operation in an invalid state."))));
    assertEquals(replace, LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
        new org.apache.kafka.common.errors.InvalidProducerEpochException("epoch"))));
    assertEquals(org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
        LlavasegService.onUncaught(new org.apache.kafka.streams.errors.StreamsException(
            new org.apache.kafka.common.errors.AuthorizationException("denied"))));
  }
}
