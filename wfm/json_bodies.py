"""Request bodies sent as JSON are read once, up front, within limits; a body that cannot be read is a 400.

Why here and not in each endpoint: webargs (the API) and Flask-WTF (the pages, which read a JSON body as
form data) each call `json.loads` themselves and only turn a syntax error into a 400. A body nested
100,000 deep raises `RecursionError`, an integer of 5,000 digits Python's `ValueError` for long integer
strings, and `NaN` or `Infinity` (not JSON at all) are accepted as floats: all of them became 500s or
reached validation as numbers no field can hold. One `before_request` hook refuses them all, for every
endpoint, with a message; the error handlers answer JSON under /api/v1 and HTML elsewhere.
"""

from __future__ import annotations

import json

from flask import Flask, abort, request

MAX_DEPTH = 32  # no body the product reads nests deeper than a few levels
MAX_DIGITS = 18  # every whole number a field holds fits in 64 bits with room to spare


class BodyRefused(ValueError):
    """Why the body cannot be read, in words for the caller."""


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise BodyRefused(f"a whole number in the body has more than {MAX_DIGITS} digits")
    return int(text)


def _real_number(text: str) -> float:
    if len(text) > 64:
        raise BodyRefused("a number in the body is more than 64 characters long")
    return float(text)


def _constant(name: str):
    raise BodyRefused(f"{name} is not a JSON value; send a number or null")


def parse_json_body(data: bytes | str):
    """The body's value, or :class:`BodyRefused` saying in plain words why it cannot be read."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyRefused("the body is not UTF-8 text") from None
    try:
        value = json.loads(data, parse_int=_whole_number, parse_float=_real_number, parse_constant=_constant)
    except BodyRefused:
        raise
    except RecursionError:
        raise BodyRefused(f"the body nests arrays or objects more than {MAX_DEPTH} deep") from None
    except json.JSONDecodeError as exc:
        raise BodyRefused(
            f"the body is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from None
    except ValueError:
        raise BodyRefused("the body holds a value that cannot be read") from None
    if _depth(value) > MAX_DEPTH:
        raise BodyRefused(f"the body nests arrays or objects more than {MAX_DEPTH} deep")
    return value


def _depth(value) -> int:
    """Nesting depth without recursion (the value may be as deep as the parser allowed)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def check_json_body() -> None:
    """before_request: refuse (400) a JSON body nobody could read; the endpoints then parse it safely."""
    if not request.is_json:
        return
    data = request.get_data(cache=True)
    if not data.strip():
        return
    try:
        parse_json_body(data)
    except BodyRefused as refusal:
        abort(400, description=f"The request body cannot be read: {refusal}.")


def install(app: Flask) -> None:
    app.before_request(check_json_body)
