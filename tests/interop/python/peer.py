"""The Python side of the interop tests: python-cqrs 5.x and confluent-kafka, as a service uses them.

Run by tests/interop with the venv scripts/python-peers makes: ``python peer.py COMMAND`` reads one
JSON object on stdin and writes one JSON object on stdout. Protobuf payloads travel as proto3 JSON
(``json_format`` with the .proto field names), so the TypeScript side compares every field.

Commands:
  cqrs-produce       python-cqrs EventEmitter + KafkaMessageBroker publish events (JSON or plain Protobuf)
  cqrs-consume       read a topic, decode each value with python-cqrs's JsonDeserializer or ProtobufEventSerializer
  cqrs-amqp-produce  python-cqrs EventEmitter + AMQPMessageBroker publish events to RabbitMQ
  cqrs-amqp-consume  python-cqrs's AMQPConsumer reads a queue, decoding as cqrs-consume does
  confluent-produce  confluent-kafka ProtobufSerializer (registry-backed) publishes messages
  confluent-consume  confluent-kafka ProtobufDeserializer decodes a topic's messages
  register           the schema id confluent-kafka's ProtobufSerializer registers (or finds) for a type
"""

import asyncio
import datetime
import importlib.util
import json
import pathlib
import sys
import tempfile
import time
import typing
import uuid

HERE = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent.parent / "proto"
PROTO_FILE = "cqrs/interop/v1/order_events.proto"


def _load_protos() -> typing.Any:
    """Generates the _pb2 module of the interop events with grpcio-tools' protoc, into a temp dir."""
    import grpc_tools
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="interop-pb2-")
    include = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    code = protoc.main(["protoc", f"-I{PROTO_ROOT}", f"-I{include}", f"--python_out={out}", PROTO_FILE])
    if code != 0:
        raise RuntimeError(f"protoc failed with {code}")
    # Loaded by path: the proto package `cqrs` would shadow python-cqrs's `cqrs` on sys.path.
    spec = importlib.util.spec_from_file_location("order_events_pb2", pathlib.Path(out) / "cqrs/interop/v1/order_events_pb2.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


pb2 = _load_protos()

from confluent_kafka import Consumer, Producer  # noqa: E402
from confluent_kafka.schema_registry import SchemaRegistryClient  # noqa: E402
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer  # noqa: E402
from confluent_kafka.serialization import MessageField, SerializationContext  # noqa: E402
from google.protobuf import json_format  # noqa: E402

import cqrs  # noqa: E402
from cqrs.adapters.kafka import kafka_producer_factory  # noqa: E402
from cqrs.deserializers import JsonDeserializer  # noqa: E402
from cqrs.message_brokers.kafka import KafkaMessageBroker  # noqa: E402
from cqrs.serializers import ProtobufEventSerializer  # noqa: E402

TYPES = {
    "OrderCreated": pb2.OrderCreated,
    "OrderShipped": pb2.OrderShipped,
    "OrderShipped.Returned": pb2.OrderShipped.Returned,
}


def to_json(message: typing.Any) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)


class OrderEvent(cqrs.NotificationEvent[dict], frozen=True):
    """A python-cqrs 5.x dataclass event; as Protobuf it is an OrderCreated, payload as proto3 JSON."""

    def proto(self) -> typing.Any:
        message = pb2.OrderCreated(event_id=str(self.event_id), event_name=self.event_name)
        message.event_timestamp.FromDatetime(self.event_timestamp)
        json_format.ParseDict(self.payload, message.payload)
        return message

    @classmethod
    def from_proto(cls, proto: typing.Any) -> "OrderEvent":
        return cls(
            event_id=uuid.UUID(proto.event_id),
            event_timestamp=proto.event_timestamp.ToDatetime(),
            event_name=proto.event_name,
            payload=to_json(proto.payload),
        )


def describe(event: typing.Any) -> dict:
    """A decoded python-cqrs event as JSON the test compares."""
    return {
        "class": type(event).__name__,
        "event_id": str(event.event_id),
        "event_timestamp": event.event_timestamp.isoformat(),
        "event_name": event.event_name,
        "topic": event.topic,
        "payload": event.payload,
    }


async def cqrs_produce(request: dict) -> dict:
    producer = kafka_producer_factory(dsn=request["brokers"])
    try:
        return await emit_all(request, KafkaMessageBroker(producer=producer))
    finally:
        # python-cqrs's KafkaProducer has no close(); its aiokafka producer is stopped here.
        await producer._producer.stop()


async def cqrs_amqp_produce(request: dict) -> dict:
    from cqrs.adapters.amqp import amqp_publisher_factory
    from cqrs.message_brokers.amqp import AMQPMessageBroker

    broker = AMQPMessageBroker(publisher=amqp_publisher_factory(url=request["url"]), exchange_name=request["exchange"])
    return await emit_all(request, broker)


async def emit_all(request: dict, broker: typing.Any) -> dict:
    """Emits each requested event through python-cqrs's EventEmitter, as a command handler's events are."""
    serializer = ProtobufEventSerializer({OrderEvent: pb2.OrderCreated}) if request["format"] == "protobuf" else None
    emitter = cqrs.EventEmitter(event_map=cqrs.EventMap(), container=cqrs.DIContainer(), message_broker=broker, serializer=serializer)
    sent = []
    for item in request["events"]:
        fields: dict = {"event_name": item["event_name"], "topic": request["topic"], "payload": item["payload"]}
        if "event_id" in item:
            fields["event_id"] = uuid.UUID(item["event_id"])
        if "event_timestamp" in item:
            fields["event_timestamp"] = datetime.datetime.fromisoformat(item["event_timestamp"])
        event = OrderEvent(**fields)
        await emitter.emit(event)
        sent.append({"event_id": str(event.event_id), "event_timestamp": event.event_timestamp.isoformat()})
    return {"sent": sent}


def consume(brokers: str, topic: str, count: int, timeout: float) -> list:
    """Every message of `topic` from the start, until `count` or `timeout` seconds."""
    consumer = Consumer(
        {
            "bootstrap.servers": brokers,
            "group.id": f"interop-py-{uuid.uuid4().hex}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe([topic])
    messages: list = []
    deadline = time.monotonic() + timeout
    try:
        while len(messages) < count and time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise RuntimeError(str(message.error()))
            messages.append(message)
        # Progress on stderr: a peer killed for taking too long shows in the test's error how far it got.
        print(f"consumed {len(messages)} of {count} from {topic}", file=sys.stderr)
    finally:
        consumer.close()
    print("consumer closed", file=sys.stderr)
    return messages


def headers_of(message: typing.Any) -> dict:
    return {key: value.decode("utf-8", "replace") for key, value in (message.headers() or [])}


def cqrs_consume(request: dict) -> dict:
    out = []
    json_deserializer = JsonDeserializer(OrderEvent)
    proto_serializer = ProtobufEventSerializer({OrderEvent: pb2.OrderCreated})
    for message in consume(request["brokers"], request["topic"], request["count"], request.get("timeout", 30)):
        if request["format"] == "protobuf":
            decoded = proto_serializer.deserialize(message.value(), OrderEvent)
        else:
            decoded = json_deserializer(message.value())
        entry = {"key": message.key().decode() if message.key() else None, "headers": headers_of(message)}
        if isinstance(decoded, OrderEvent):
            entry["event"] = describe(decoded)
        else:
            entry["error"] = repr(decoded)
        out.append(entry)
    return {"messages": out}


def decode(request: dict, value: bytes) -> dict:
    if request["format"] == "protobuf":
        decoded = ProtobufEventSerializer({OrderEvent: pb2.OrderCreated}).deserialize(value, OrderEvent)
    else:
        decoded = JsonDeserializer(OrderEvent)(value)
    return {"event": describe(decoded)} if isinstance(decoded, OrderEvent) else {"error": repr(decoded)}


async def cqrs_amqp_consume(request: dict) -> dict:
    from cqrs.adapters.amqp import amqp_consumer_factory

    out: list = []
    done = asyncio.Event()

    async def handler(message: typing.Any) -> None:
        out.append({"headers": {k: str(v) for k, v in (message.headers or {}).items()}, "content_type": message.content_type, **decode(request, message.body)})
        await message.ack()
        if len(out) >= request["count"]:
            done.set()

    task = asyncio.create_task(amqp_consumer_factory(url=request["url"]).consume(handler, request["queue"]))
    try:
        await asyncio.wait_for(done.wait(), request.get("timeout", 30))
    finally:
        task.cancel()
    return {"messages": out}


def registry_client(request: dict) -> SchemaRegistryClient:
    # confluent-kafka's client has no request timeout by default: a stuck request would hang the peer until the test kills it.
    conf: dict = {"url": request["registry"], "timeout": 10}
    # A test that expects the registry's HTTP 500 asks for no retries: each would only wait (up to 7 s in all by default).
    if "registry_retries" in request:
        conf["max.retries"] = request["registry_retries"]
    return SchemaRegistryClient(conf)


def confluent_produce(request: dict) -> dict:
    message_type = TYPES[request["type"]]
    conf = {"auto.register.schemas": request.get("auto_register", True), "normalize.schemas": request.get("normalize", False)}
    serializer = ProtobufSerializer(message_type, registry_client(request), conf)
    producer = Producer({"bootstrap.servers": request["brokers"]})
    context = SerializationContext(request["topic"], MessageField.VALUE)
    frames = []
    for item in request["messages"]:
        value = serializer(json_format.ParseDict(item, message_type()), context)
        frames.append(value.hex())
        producer.produce(request["topic"], value=value)
    producer.flush(30)
    return {"frames": frames}


def confluent_consume(request: dict) -> dict:
    message_type = TYPES[request["type"]]
    plain = ProtobufDeserializer(message_type, {})
    # The registry-backed deserializer asks GET /schemas/ids/{id}?format=serialized; see docs/protobuf.md.
    with_registry = ProtobufDeserializer(message_type, {}, registry_client(request)) if request.get("try_registry") else None
    out = []
    for message in consume(request["brokers"], request["topic"], request["count"], request.get("timeout", 30)):
        context = SerializationContext(message.topic(), MessageField.VALUE)
        entry: dict = {"message": to_json(plain(message.value(), context))}
        if with_registry is not None:
            print(f"asking the registry for the schema of {message.topic()}", file=sys.stderr)
            try:
                entry["registry_message"] = to_json(with_registry(message.value(), context))
            except Exception as error:  # noqa: BLE001 - the test reports what the registry did
                entry["registry_error"] = f"{type(error).__name__}: {error}"
        out.append(entry)
    return {"messages": out}


def register(request: dict) -> dict:
    """Serializes one message and reports the schema id of its frame."""
    message_type = TYPES[request["type"]]
    conf = {"auto.register.schemas": True, "normalize.schemas": request.get("normalize", False)}
    serializer = ProtobufSerializer(message_type, registry_client(request), conf)
    value = serializer(message_type(), SerializationContext(request["topic"], MessageField.VALUE))
    return {"schema_id": int.from_bytes(value[1:5], "big")}


COMMANDS: dict = {
    "cqrs-produce": lambda request: asyncio.run(cqrs_produce(request)),
    "cqrs-consume": cqrs_consume,
    "cqrs-amqp-produce": lambda request: asyncio.run(cqrs_amqp_produce(request)),
    "cqrs-amqp-consume": lambda request: asyncio.run(cqrs_amqp_consume(request)),
    "confluent-produce": confluent_produce,
    "confluent-consume": confluent_consume,
    "register": register,
}


def main() -> None:
    command = sys.argv[1]
    request = json.load(sys.stdin)
    json.dump(COMMANDS[command](request), sys.stdout, default=str)


if __name__ == "__main__":
    main()
