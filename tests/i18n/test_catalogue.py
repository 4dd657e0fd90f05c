"""The Chinese catalogue is complete: every message written in the code and templates has a translation,
and every translation keeps the message's placeholders (a missing %(name)s would drop a figure, an extra
one would crash the page)."""

import re

from wfm.i18n import catalogue

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|%[sdif]")


def test_every_message_has_a_chinese_translation():
    left = catalogue.missing()
    listed = "\n".join(f"{catalogue._relative(path)}:{line}: {text!r}" for text, path, line in left[:60])
    assert not left, (
        f"{len(left)} messages have no Chinese translation (python -m wfm.i18n missing):\n{listed}"
    )


def test_translations_keep_their_placeholders():
    wrong = []
    for message in catalogue.merged():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if not string:
                continue
            extra = set(PLACEHOLDER.findall(string)) - wanted
            dropped = set(PLACEHOLDER.findall(ids[0])) - set(PLACEHOLDER.findall(string)) - {"num"}
            if extra or dropped:
                wrong.append((ids[0], string))
    assert not wrong, wrong[:20]


def test_parts_read_and_compile(tmp_path):
    merged = catalogue.merged()
    assert len(merged) > 0
    path = catalogue.compile_catalogue()
    assert path.stat().st_size > 0
