"""The Twilio-shaped adapter: the request it makes and how it reads the answers."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

import httpx
import pytest

from subgraphs.notifications.channels import PermanentDeliveryError, TwilioSms


def adapter(handler: httpx.MockTransport) -> TwilioSms:
    return TwilioSms(
        api_url="https://sms.example/",
        account_sid="AC123",
        auth_token="tok",
        sender="+15005550006",
        transport=handler,
    )


async def test_posts_a_form_with_basic_auth_and_returns_the_sid() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"sid": "SM42", "status": "queued"})

    sid = await adapter(httpx.MockTransport(answer)).send(
        to="+15550001111", body="Healthbook: hi", reference="n-1"
    )
    [request] = seen
    assert sid == "SM42"
    assert str(request.url) == "https://sms.example/2010-04-01/Accounts/AC123/Messages.json"
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"AC123:tok").decode()
    assert request.headers["i-twilio-idempotency-token"] == "n-1"
    form = parse_qs(request.content.decode())
    assert form == {"To": ["+15550001111"], "From": ["+15005550006"], "Body": ["Healthbook: hi"]}


async def test_a_refused_number_is_permanent() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(400, json={"code": 21211}))
    with pytest.raises(PermanentDeliveryError):
        await adapter(transport).send(to="+1", body="x", reference="r")


async def test_a_server_error_is_transient() -> None:
    transport = httpx.MockTransport(lambda _: httpx.Response(503))
    with pytest.raises(httpx.HTTPStatusError):
        await adapter(transport).send(to="+1", body="x", reference="r")
