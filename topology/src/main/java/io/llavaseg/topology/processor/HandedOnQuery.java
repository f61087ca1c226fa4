package io.llavaseg.topology.processor;

import io.llavaseg.schemas.ReasonedQuery;
import java.awt.image.BufferedImage;

/**
 * What the reasoning step forwards to the segmentation step of the same task (fused stages): the
 * reasoned query and the image the reasoning stage already fetched and decoded, so that the
 * segmentation step neither fetches a referenced image again nor decodes it a second time. Only the
 * query is kept in the segmentation stage's in-flight store; a query taken back from it after a
 * restart is fetched and decoded again.
 */
record HandedOnQuery(ReasonedQuery reasoned, BufferedImage image) {}
