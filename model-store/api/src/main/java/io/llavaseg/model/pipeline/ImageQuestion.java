package io.llavaseg.model.pipeline;

import java.awt.image.BufferedImage;

/** One query to the pipeline: the decoded image and the user's question about it. */
public record ImageQuestion(BufferedImage image, String question) {}
