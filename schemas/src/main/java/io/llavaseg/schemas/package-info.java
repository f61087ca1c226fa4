/**
 * The records on the project's topics: Avro classes generated from {@code schemas/src/main/avro}
 * (image queries, reasoned queries, answers, masks, camera queries and frames, skipped frames,
 * dead letters), plus {@link
 * io.llavaseg.schemas.CocoRle}, the mask encoding they carry. No Kafka Streams, models or
 * registry client code here (the registry client is {@code io.llavaseg.schemas.registry}).
 */
package io.llavaseg.schemas;
