package io.llavaseg.topology.inference;

import java.awt.image.BufferedImage;

/** One query for the reasoning stage: the decoded image and the user's question. */
public record ReasoningRequest(BufferedImage image, String question) {}
