#!/usr/bin/env python3
"""Ask a running llavaseg service one question about one image, from Python.

A third-party client of the service's topics, with Debian's packages only
(apt-get install python3-confluent-kafka python3-avro python3-requests):

1. takes the ImageQuery schema from the repository's .avsc files and registers it (or, with
   --schema-from-registry or outside a checkout, fetches the latest under <topic>-value),
2. encodes an ImageQuery in the Confluent wire format: byte 0 = 0x00, bytes 1-4 = the schema id
   (big-endian), then the Avro binary body (Apache Avro's own Python library),
3. produces it to image-queries, keyed by its source_id,
4. reads image-answers, image-masks and image-queries-dlq with isolation.level=read_committed,
   from their ends as they were before the send, until the answer and the mask carrying its
   query_id arrive (or its dead letter), decoding each record with the writer's schema fetched by
   the id in its first five bytes,
5. prints the answer and the mask's area and bbox and, with --mask-out, writes the mask as a PNG
   (COCO uncompressed RLE, column-major, decoded here; zlib only).

Exit code 0 with an answer and a mask, 1 on a dead letter or a timeout, 2 on a usage error.

    python3 docs/examples/python/ask.py --bootstrap-servers 127.0.0.1:9092 \\
        --schema-registry-url http://127.0.0.1:8081/apis/ccompat/v7 \\
        --image data/one/sw11-00000001.jpg \\
        --question "Find the shape that is the color of chocolate." --mask-out mask.png
"""

import argparse
import datetime
import io
import json
import os
import struct
import sys
import time
import uuid
import zlib

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

MAGIC = 0
DEFAULT_SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "..", "..", "..", "schemas", "src", "main", "avro")


def query_schema_from_avsc(directory):
    """ImageQuery parsed from the .avsc files, the shared types of common/ first."""
    names = avro.schema.Names()
    common = os.path.join(directory, "common")
    for name in sorted(os.listdir(common)):
        if name.endswith(".avsc"):
            with open(os.path.join(common, name), encoding="utf-8") as f:
                avro.schema.make_avsc_object(json.load(f), names)
    with open(os.path.join(directory, "ImageQuery.avsc"), encoding="utf-8") as f:
        return avro.schema.make_avsc_object(json.load(f), names)


class Registry:
    """Writer schemas by id, fetched once each from the registry."""

    def __init__(self, client):
        self.client = client
        self.by_id = {}

    def schema(self, schema_id):
        if schema_id not in self.by_id:
            self.by_id[schema_id] = avro.schema.parse(self.client.get_schema(schema_id).schema_str)
        return self.by_id[schema_id]

    def decode(self, value):
        if value is None or len(value) < 5 or value[0] != MAGIC:
            raise ValueError("not in the Confluent wire format")
        schema_id = struct.unpack(">I", value[1:5])[0]
        reader = avro.io.DatumReader(self.schema(schema_id))
        return reader.read(avro.io.BinaryDecoder(io.BytesIO(value[5:])))


def encode(schema, schema_id, datum):
    body = io.BytesIO()
    body.write(struct.pack(">bI", MAGIC, schema_id))
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(body))
    return body.getvalue()


def media_type(data):
    if data[:4] == b"\x89PNG":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    return None


def rle_to_rows(counts, width, height):
    """COCO uncompressed RLE (column-major: x outer, y inner; runs start with background) to rows."""
    rows = [bytearray(width) for _ in range(height)]
    i, value = 0, 0
    for run in counts:
        if value:
            for j in range(i, i + run):
                rows[j % height][j // height] = 255
        i += run
        value ^= 1
    if i != width * height:
        raise ValueError("RLE covers %d pixels, the mask has %d" % (i, width * height))
    return rows


def write_png(path, rows, width, height):
    """An 8-bit greyscale PNG, by hand: signature, IHDR, one IDAT (filter 0 per row), IEND."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(chunk(b"IEND", b""))


def model(ref):
    return "%s:%s@%s" % (ref["name"], ref["version"], ref["device"]) if ref else "-"


def print_answer(a):
    print("answer:     " + a["answer"])
    print("target:     " + (a["target"] if a.get("target") is not None
                            else "(none: %s)" % a.get("no_target_reason")))
    if a.get("attributes"):
        at = a["attributes"]
        print("attributes: color: %s; shape: %s; size: %s; location: %s"
              % (at["color"], at["shape"], at["size"], at["location"]))
    print("reasoning:  %.1f ms by %s" % (a["reasoning_ms"], model(a["reasoning_model"])))
    sys.stdout.flush()


def main():
    p = argparse.ArgumentParser(description="Send one image and question to a running llavaseg service and "
                                            "print its answer and mask when they are committed.")
    p.add_argument("--bootstrap-servers", required=True, metavar="HOST:PORT[,...]")
    p.add_argument("--schema-registry-url", required=True, metavar="URL",
                   help="e.g. http://127.0.0.1:8081/apis/ccompat/v7 (what `ops/llavaseg up` prints)")
    p.add_argument("--image", required=True, metavar="FILE", help="a PNG or JPEG image")
    p.add_argument("--question", required=True, metavar="TEXT")
    p.add_argument("--source", default="python", metavar="ID", help="source (camera) id, the record key")
    p.add_argument("--mask-out", metavar="FILE.png", help="write the mask as a PNG (white = target)")
    p.add_argument("--topic-prefix", default="", metavar="PREFIX", help="the service's llavaseg.topics.prefix")
    p.add_argument("--schemas", default=DEFAULT_SCHEMAS, metavar="DIR",
                   help="the .avsc files (default: the repository's schemas/src/main/avro)")
    p.add_argument("--schema-from-registry", action="store_true",
                   help="use the latest ImageQuery schema registered under <topic>-value instead of the .avsc files")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS")
    args = p.parse_args()

    with open(args.image, "rb") as f:
        data = f.read()
    if media_type(data) is None:
        p.error(args.image + " is neither a PNG nor a JPEG")
    queries = args.topic_prefix + "image-queries"
    answers = args.topic_prefix + "image-answers"
    masks = args.topic_prefix + "image-masks"
    dlq = args.topic_prefix + "image-queries-dlq"
    client = SchemaRegistryClient({"url": args.schema_registry_url})
    registry = Registry(client)

    # 1. The ImageQuery writer schema and its id (Confluent's TopicNameStrategy: <topic>-value).
    subject = queries + "-value"
    if args.schema_from_registry or not os.path.isdir(args.schemas):
        latest = client.get_latest_version(subject)
        schema, schema_id = avro.schema.parse(latest.schema.schema_str), latest.schema_id
    else:
        schema = query_schema_from_avsc(args.schemas)
        schema_id = client.register_schema(subject, Schema(json.dumps(schema.to_json()), "AVRO"))

    # 2. Fix the output topics' ends before sending, so only records written after count.
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": "ask-py-" + uuid.uuid4().hex,  # no offsets are committed: partitions are assigned
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
    })
    assigned = []
    for topic in (answers, masks, dlq):
        meta = consumer.list_topics(topic, timeout=30).topics[topic]
        if meta.error is not None or not meta.partitions:
            sys.exit("ask.py: topic %s does not exist at %s: is the service running there?"
                     % (topic, args.bootstrap_servers))
        for partition in meta.partitions:
            _, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=30)
            assigned.append(TopicPartition(topic, partition, high))
    consumer.assign(assigned)

    # 3. Produce the query, keyed by its source id.
    query_id = "ask-py-" + str(uuid.uuid4())
    query = {
        "query_id": query_id,
        "source_id": args.source,
        "capture_time": datetime.datetime.now(datetime.timezone.utc),
        "image": {"media_type": media_type(data), "data": data},  # the InlineImage branch of the union
        "question": args.question,
        "options": {},
    }
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True,
                         "message.max.bytes": 16 * 1024 * 1024})
    delivery = []
    sent = time.monotonic()
    producer.produce(queries, key=args.source.encode("utf-8"), value=encode(schema, schema_id, query),
                     on_delivery=lambda err, msg: delivery.append(err))
    producer.flush(30)
    if not delivery or delivery[0] is not None:
        sys.exit("ask.py: the query was not delivered: %s" % (delivery[0] if delivery else "timeout"))
    print("ask.py: query %s sent to %s (schema id %d)" % (query_id, queries, schema_id), file=sys.stderr)

    # 4. Read the committed answer and mask of this query.
    answer = mask = None
    try:
        while (answer is None or mask is None) and time.monotonic() - sent < args.timeout:
            msg = consumer.poll(0.5)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            record = registry.decode(msg.value())
            if record.get("query_id") != query_id:
                continue
            if msg.topic() == answers:
                answer = record
                print_answer(answer)
            elif msg.topic() == masks:
                mask = record
            else:
                print("dead letter: %s %s: %s" % (record["stage"], record["error_code"], record["message"]))
                return 1
    finally:
        consumer.close()
    if answer is None or mask is None:
        print("ask.py: no %s for %s within %.0f s" % ("answer" if answer is None else "mask", query_id,
                                                        args.timeout), file=sys.stderr)
        return 1

    # 5. The mask.
    print("mask:       %d px, bbox %s, score %.3f, %.1f ms by %s"
          % (mask["area"], "[" + ", ".join(str(v) for v in mask["bbox"]) + "]", mask["score"],
             mask["segmentation_ms"], model(mask.get("segmentation_model"))))
    print("latency:    %.0f ms from send to the committed mask" % ((time.monotonic() - sent) * 1000))
    if args.mask_out:
        rows = rle_to_rows(mask["rle_counts"], mask["width"], mask["height"])
        write_png(args.mask_out, rows, mask["width"], mask["height"])
        print("wrote " + args.mask_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
