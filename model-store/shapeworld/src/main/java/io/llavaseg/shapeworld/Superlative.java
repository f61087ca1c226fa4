package io.llavaseg.shapeworld;

/** The superlatives a superlative query may ask about (the order is part of the random stream). */
enum Superlative {
  LARGEST, SMALLEST, LEFTMOST, RIGHTMOST, TOPMOST, BOTTOMMOST
}
