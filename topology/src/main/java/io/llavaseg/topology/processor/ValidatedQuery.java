package io.llavaseg.topology.processor;

import io.llavaseg.schemas.ImageQuery;
import java.awt.image.BufferedImage;

/**
 * A query that passed validation, with its decoded image and the original record's bytes (for a
 * dead letter further down). Lives only inside one task, between the validation, dedup and
 * reasoning processors; never serialized.
 */
public record ValidatedQuery(ImageQuery query, BufferedImage image, byte[] rawKey, byte[] rawValue) {}
