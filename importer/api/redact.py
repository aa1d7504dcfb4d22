"""The token taken out of whatever a server says, before the importer reads a word of it.

A server can echo the Authorization header back (a debugging proxy, a misconfigured gateway,
a hostile address): its words then reach the terminal, the results file, the summary, the
journal. So every answer is screened where it enters, in the API client: its body, its
headers and its reason phrase, with ``Secret.hidden_from`` applied to each.

What is hidden is any stretch of at least eight characters of the token, in any case (an
echo cut short, or shouted, still gives most of the token away), and so its Bearer form and
any part of the header. A JSON body is screened after decoding, so an escape (\\u0070it-)
hides nothing.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

__all__ = ["HIDDEN", "Secret", "screened"]

HIDDEN = "[token hidden]"
# Parts shorter than this are not hidden: eight characters of a random token give little away,
# and shorter stretches would hide ordinary words.
_PART = 8
# Lower case for the 26 ASCII letters only, so that a text keeps its length and positions.
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class Secret:
    """A token, and how to find any part of it in a text."""

    def __init__(self, token: str) -> None:
        lowered = token.translate(_LOWER)
        self._width = min(_PART, len(lowered))
        self._parts = frozenset(
            lowered[start : start + self._width]
            for start in range(len(lowered) - self._width + 1)
            if self._width
        )

    def __repr__(self) -> str:
        return "Secret(...)"

    def found_in(self, text: str) -> bool:
        """Whether ``text`` holds a part of the token."""
        lowered = text.translate(_LOWER)
        return any(part in lowered for part in self._parts)

    def hidden_from(self, text: str) -> str:
        """``text`` with each stretch holding parts of the token replaced by ``HIDDEN``."""
        if not self.found_in(text):
            return text
        lowered = text.translate(_LOWER)
        covered = bytearray(len(text))
        for part in self._parts:
            start = lowered.find(part)
            while start != -1:
                covered[start : start + self._width] = b"\x01" * self._width
                start = lowered.find(part, start + 1)
        kept: list[str] = []
        at = 0
        while at < len(text):
            if covered[at]:
                end = covered.find(b"\x00", at)
                end = len(text) if end == -1 else end
                kept.append(HIDDEN)
                at = end
            else:
                end = covered.find(b"\x01", at)
                end = len(text) if end == -1 else end
                kept.append(text[at:end])
                at = end
        return "".join(kept)

    def hidden_in(self, value: Any) -> Any:
        """A decoded JSON value with the token hidden from every string, keys included."""
        if isinstance(value, str):
            return self.hidden_from(value)
        if isinstance(value, list):
            return [self.hidden_in(item) for item in value]
        if isinstance(value, dict):
            return {self.hidden_from(str(k)): self.hidden_in(v) for k, v in value.items()}
        return value


def screened(response: httpx.Response, secret: Secret) -> httpx.Response:
    """``response``, or a copy with the token hidden from its body, headers and reason."""
    text = response.text
    body_holds = secret.found_in(text)
    decoded: Any = None
    if not body_holds and "\\" in text:
        # Escapes in JSON (\u0070, \/) hide the token from a look at the text.
        try:
            decoded = json.loads(text)
        except ValueError:
            decoded = None
        body_holds = decoded is not None and secret.found_in(
            json.dumps(decoded, ensure_ascii=False)
        )
    reason = response.reason_phrase
    headers_hold = any(secret.found_in(f"{k}: {v}") for k, v in response.headers.items())
    if not (body_holds or headers_hold or secret.found_in(reason)):
        return response
    content = response.content
    if body_holds:
        try:
            decoded = json.loads(text) if decoded is None else decoded
        except ValueError:
            content = secret.hidden_from(text).encode("utf-8")
        else:
            content = json.dumps(secret.hidden_in(decoded)).encode("utf-8")
    headers = [
        (secret.hidden_from(name), secret.hidden_from(value))
        for name, value in response.headers.multi_items()
        # The body is given decoded, and its length is that of the new one.
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    extensions = {**response.extensions, "reason_phrase": secret.hidden_from(reason).encode()}
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=content,
        request=response.request,
        extensions=extensions,
    )
