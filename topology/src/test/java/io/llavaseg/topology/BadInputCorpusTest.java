package io.llavaseg.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.llavaseg.schemas.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every case of the {@link BadInputCorpus}, one by one through the topology (the same corpus that
 * {@code LlavasegServiceIT} sends to a real broker): each becomes exactly one dead letter with its
 * code, carrying its original bytes, and nothing is answered.
 */
class BadInputCorpusTest {
  @TempDir Path stateDir;
  @TempDir Path roots;
  @TempDir Path outside;

  @Test
  void shouldGiveEveryKindOfBadInputItsOwnDeadLetterCode() throws Exception {
    Map<String, String> o = new HashMap<>(BadInputCorpus.LIMITS);
    o.put(ServiceConfig.REFERENCE_ROOTS, roots.toString());
    try (TopologyFixture fx = new TopologyFixture(stateDir, o)) {
      List<BadInputCorpus.Case> corpus = BadInputCorpus.build(fx::serialize,
          a -> fx.topics.answers().valueSerde().serializer().serialize(Topics.IMAGE_ANSWERS, a), roots, outside);
      Set<String> names = new HashSet<>();
      corpus.forEach(c -> assertTrue(names.add(c.name()), "one case per kind: " + c.name()));
      assertTrue(corpus.size() >= 45, "at least 45 kinds of bad input: " + corpus.size());
      List<String> wrong = new ArrayList<>();
      for (BadInputCorpus.Case c : corpus) {
        fx.rawQueries.pipeInput(new TestRecord<>(c.key(), c.value(), new RecordHeaders(c.headers()), TestData.CAPTURED));
        List<DeadLetter> letters = fx.deadLetters.readValuesToList();
        if (letters.size() != 1 || !letters.get(0).getErrorCode().equals(c.code())) {
          wrong.add(c.name() + ": expected " + c.code() + ", got " + letters.stream()
              .map(d -> d.getErrorCode() + " (" + d.getMessage() + ")").toList());
          continue;
        }
        DeadLetter d = letters.get(0);
        if (c.value() != null && c.value().length <= io.llavaseg.topology.processor.DeadLetters.MAX_ORIGINAL_BYTES
            && !ByteBuffer.wrap(c.value()).equals(d.getOriginalValue())) {
          wrong.add(c.name() + ": the dead letter does not carry the original value");
        }
      }
      assertEquals(List.of(), wrong, "cases that did not get their dead letter");
      assertTrue(fx.answers.isEmpty() && fx.reasoned.isEmpty() && fx.masks.isEmpty(), "nothing answered");
      System.out.printf("BadInputCorpusTest: %d kinds of bad input, %d codes%n", corpus.size(),
          corpus.stream().map(BadInputCorpus.Case::code).distinct().count());
    }
  }
}
