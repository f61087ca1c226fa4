package io.llavaseg.model;

import java.awt.image.BufferedImage;

/**
 * One segmentation request: the image and the prompt LLaVASeg gives the segmenter, the target's
 * simple description and its attributes (null when the reasoner gave none).
 */
public record SegmentationPrompt(BufferedImage image, String description, TargetAttributes attributes) {}
