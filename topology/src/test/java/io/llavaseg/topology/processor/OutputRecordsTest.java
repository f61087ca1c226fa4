package io.llavaseg.topology.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.llavaseg.model.NormalizedBox;
import io.llavaseg.model.TargetAttributes;
import io.llavaseg.schemas.Attributes;
import org.junit.jupiter.api.Test;

class OutputRecordsTest {

  @Test
  void shouldCarryABoxGivenByTheReasonerIntoTheRecordAndBack() {
    TargetAttributes given = new TargetAttributes("red", "car", "", "bottom left", new NormalizedBox(0.125, 0.25, 0.5, 0.75));
    Attributes record = OutputRecords.attributes(given);
    assertEquals(0.125f, record.getBox().getX0());
    assertEquals(0.75f, record.getBox().getY1());
    assertEquals("", record.getSize());
    assertEquals(given, OutputRecords.targetAttributes(record));
  }

  @Test
  void shouldWriteNoBoxForTheProjectsOwnAttributeLine() {
    Attributes record = OutputRecords.attributes(new TargetAttributes("yellow", "heart", "small", "top left"));
    assertNull(record.getBox());
    assertNull(OutputRecords.targetAttributes(record).box());
  }
}
