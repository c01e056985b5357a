"""Text files as people's programs save them: UTF-8, UTF-16 with a byte-order mark, or Windows-1252.

Excel saves "CSV" in the Windows code page (Windows-1252 in western Europe and the
Americas), "CSV UTF-8" with a UTF-8 byte-order mark and "Unicode text" as UTF-16
with a byte-order mark. Older GPS tools write Latin-1 GPX. Decoding any of these
as UTF-8 with replacement characters turns "Løp på Østmarka" into "L�p p� �stmarka";
refusing them turns away a diary the runner can see is fine. :func:`decode_text`
reads them all and says which it was.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"
LATIN_1 = "latin-1"


@dataclass(frozen=True)
class Decoded:
    """Text and how it was stored.

    Attributes
    ----------
    text : str
        Without the byte-order mark.
    codec : str
        Python codec that writes more text the same way (no byte-order mark):
        ``utf-8``, ``utf-16-le``, ``utf-16-be``, ``cp1252`` or ``latin-1``.
    bom : bytes
        The byte-order mark the file starts with (``b""`` if none).
    label : str
        The encoding in words, for a note.
    """

    text: str
    codec: str
    bom: bytes
    label: str

    @property
    def is_utf8(self) -> bool:
        return self.codec == UTF8


_BOMS = ((codecs.BOM_UTF8, UTF8, "UTF-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"))


def decode_text(data: bytes) -> Decoded:
    """Decode a text file saved as UTF-8, UTF-16 (with its mark) or a Windows code page.

    Parameters
    ----------
    data : bytes

    Returns
    -------
    Decoded

    Notes
    -----
    Order: a byte-order mark decides (UTF-8, UTF-16 LE/BE); else strict UTF-8; else
    Windows-1252; else Latin-1, which decodes any byte. Bytes that do not fit the
    encoding a byte-order mark names (a damaged or cut file) become U+FFFD, so
    decoding never fails. UTF-8 comes first because
    text in Windows-1252 beyond ASCII is almost never valid UTF-8 by chance, while
    UTF-8 text always decodes as Windows-1252 (to the wrong letters).

    >>> decode_text("Løp".encode("cp1252")).text, decode_text("Løp".encode("cp1252")).label
    ('Løp', 'Windows-1252')
    >>> decode_text(codecs.BOM_UTF16_LE + "Løp".encode("utf-16-le")).codec
    'utf-16-le'
    """
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(codec, errors="replace"), codec, bom, label)
    try:
        return Decoded(data.decode(UTF8), UTF8, b"", "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode(WINDOWS_1252), WINDOWS_1252, b"", "Windows-1252")
    except UnicodeDecodeError:
        return Decoded(data.decode(LATIN_1), LATIN_1, b"", "Latin-1")
