package io.llavaseg.ops.cli;

import io.llavaseg.shapeworld.QueryKind;

/** A query kind's name ({@code phrase}, {@code dialogue}, ...), any case, to its {@link QueryKind}. */
public final class QueryKindConverter extends CaseInsensitiveEnumConverter<QueryKind> {
  public QueryKindConverter() {
    super(QueryKind.class);
  }
}
