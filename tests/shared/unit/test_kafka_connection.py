"""How clients reach Kafka: plain on loopback, SASL over TLS where production needs it."""

import ssl

import pytest

from shared.kafka import KafkaConnection, kafka_options
from shared.settings import CommonSettings

pytestmark = pytest.mark.unit


def test_a_bare_bootstrap_is_a_plain_connection() -> None:
    assert kafka_options("127.0.0.1:9092") == {
        "bootstrap_servers": "127.0.0.1:9092",
        "security_protocol": "PLAINTEXT",
    }


def test_sasl_ssl_gives_every_client_tls_and_its_credentials() -> None:
    options = KafkaConnection(
        "kafka-0:9093", security_protocol="SASL_SSL", username="anxin-intake", password="pw"
    ).client_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("anxin-intake", "pw")


def production(**env: str) -> CommonSettings:
    return CommonSettings(_env_file=None, mode="production", **env)  # type: ignore[arg-type]


def test_production_refuses_plain_kafka_off_this_machine() -> None:
    problems = production(kafka_bootstrap="kafka-0:9092,kafka-1:9092").kafka_problems()
    assert any("SASL_SSL" in p for p in problems)
    assert any("SASL_USERNAME" in p for p in problems)


def test_production_accepts_sasl_ssl_with_credentials_and_plain_loopback() -> None:
    secured = production(
        kafka_bootstrap="kafka-0:9093",
        kafka_security_protocol="SASL_SSL",
        kafka_sasl_username="anxin-notify",
        kafka_sasl_password="pw",
    )
    assert secured.kafka_problems() == []
    assert secured.kafka_connection().password == "pw"
    assert "pw" not in repr(secured)
    assert production(kafka_bootstrap="127.0.0.1:9092,[::1]:9092").kafka_problems() == []
