"""The print fonts: Noto Sans SC, fetched by the project's own set-up, never taken from the host.

A Chinese name needs a Simplified Chinese face, and a host's fonts cannot be trusted for one: with no CJK
font the name prints as boxes, with only a Japanese one in Japanese glyph forms. `make install` (so
`make run` and `make test`) runs `python -m wfm.printing.fonts`, which takes the regular and bold faces
from the npm registry's package of the Google Fonts release (SIL Open Font License 1.1, saved beside them
as OFL.txt), checks each file against its digest below, and skips what is already there. The files are
large (10 MB each) and never committed. Latin text keeps DejaVu Sans; the SC face covers the rest.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "@expo-google-fonts/noto-sans-sc@0.4.3"
FOLDER = Path(__file__).with_name("fontfiles")
FAMILY = "Noto Sans SC"


@dataclass(frozen=True)
class FontFile:
    name: str  # in FOLDER
    member: str  # inside the package's tarball
    sha256: str
    weight: int | None = None  # None: not a face (the licence)


FACES = (
    FontFile(
        "NotoSansSC-Regular.ttf",
        "package/400Regular/NotoSansSC_400Regular.ttf",
        "d45f67f0a7c0ca3f256950777ce6a61cc7ce5f9696d02900cbbaac25f8aa7d16",
        400,
    ),
    FontFile(
        "NotoSansSC-Bold.ttf",
        "package/700Bold/NotoSansSC_700Bold.ttf",
        "9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96",
        700,
    ),
)
LICENCE = FontFile(
    "OFL.txt", "package/LICENSE_FONT", "1c05c68c34f9708415aada51f17e1b0092d2cea709bf4a94cd38114f9e73d7d9"
)


class MissingFont(RuntimeError):
    """The print font is not installed: printing now would turn Chinese names into boxes."""


def missing(folder: Path | None = None) -> list[Path]:
    folder = folder or FOLDER
    return [folder / face.name for face in FACES if not (folder / face.name).is_file()]


def font_faces(folder: Path | None = None) -> str:
    """The @font-face rules naming the installed files; refuses loudly when one is missing."""
    folder = folder or FOLDER
    absent = missing(folder)
    if absent:
        raise MissingFont(
            f"The print font {FAMILY} is not installed ({', '.join(str(p) for p in absent)} missing), so "
            "Chinese text would print as boxes. Run `make install` (or `python -m wfm.printing.fonts`)."
        )
    return "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {face.weight}; '
        f'src: url("{(folder / face.name).as_uri()}"); }}'
        for face in FACES
    )


def fetch(folder: Path | None = None) -> list[str]:
    """Install the faces (and their licence) not yet in `folder` intact; the names of those fetched."""
    folder = folder or FOLDER
    wanted = [f for f in (*FACES, LICENCE) if not _intact(folder / f.name, f.sha256)]
    if not wanted:
        return []
    npm = shutil.which("npm")
    if npm is None:
        raise MissingFont(
            f"npm is needed to fetch the print font {FAMILY} ({PACKAGE}): install Node.js and npm "
            "(on Debian: apt-get install npm), then run `make install` again."
        )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([npm, "pack", "--silent", PACKAGE], cwd=work, check=True, stdout=subprocess.DEVNULL)
        (tarball,) = Path(work).glob("*.tgz")
        with tarfile.open(tarball) as archive:
            for file in wanted:
                _save(archive, file, folder)
    return [file.name for file in wanted]


def _save(archive: tarfile.TarFile, file: FontFile, folder: Path) -> None:
    member = archive.extractfile(file.member)
    if member is None:
        raise MissingFont(f"{PACKAGE} has no {file.member}")
    data = member.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != file.sha256:
        raise MissingFont(f"{PACKAGE}: {file.member} is not the expected file (sha256 {digest})")
    partial = folder / (file.name + ".part")
    partial.write_bytes(data)
    partial.replace(folder / file.name)


def _intact(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


def main() -> None:
    try:
        fetched = fetch()
    except (MissingFont, subprocess.CalledProcessError) as error:
        sys.exit(f"wfm.printing.fonts: {error}")
    for face in FACES:  # make's target: newer than this module once checked
        (FOLDER / face.name).touch()
    print(f"print fonts: fetched {', '.join(fetched)}" if fetched else "print fonts: installed")


if __name__ == "__main__":
    main()
