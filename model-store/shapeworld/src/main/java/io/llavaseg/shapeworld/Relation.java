package io.llavaseg.shapeworld;

/** The relations a relational query may ask about (the order is part of the random stream). */
enum Relation {
  LEFT_OF, RIGHT_OF, ABOVE, BELOW, NEXT_TO
}
