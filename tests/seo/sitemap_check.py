"""A strict check of sitemap documents against the sitemaps.org 0.9 protocol (what its XSD,
sitemap.xsd and siteindex.xsd, allows): the namespace, the root element, only the allowed
children in order, a `loc` that is an absolute http(s) URL of at most 2,048 characters,
`lastmod` as a W3C date or date-time, at most 50,000 entries and 50 MB."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ENTRY = {"urlset": "url", "sitemapindex": "sitemap"}
CHILDREN = {"url": ("loc", "lastmod", "changefreq", "priority"), "sitemap": ("loc", "lastmod")}
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
MAX_ENTRIES = 50_000
MAX_BYTES = 50 * 1024 * 1024


def tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def check_document(data: bytes, root_name: str) -> list[str]:
    """Every `loc` of a valid sitemap (or index) document; AssertionError on anything else."""
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), "the XML declaration must come first"
    assert len(data) <= MAX_BYTES
    root = ET.fromstring(data)  # noqa: S314 (our own server's output, in a test)
    assert root.tag == tag(root_name), f"root is {root.tag}, not {root_name} in the sitemap namespace"
    assert not root.attrib, f"unexpected attributes {root.attrib}"
    entries = list(root)
    assert 1 <= len(entries) <= MAX_ENTRIES, f"{len(entries)} entries (1 to {MAX_ENTRIES} allowed)"
    locations = []
    for entry in entries:
        assert entry.tag == tag(ENTRY[root_name]), f"unexpected element {entry.tag}"
        names = [child.tag.removeprefix(f"{{{NS}}}") for child in entry]
        allowed = CHILDREN[ENTRY[root_name]]
        assert names and names[0] == "loc", f"an entry must start with loc: {names}"
        assert len(set(names)) == len(names) and all(name in allowed for name in names), names
        assert names == sorted(names, key=allowed.index), f"children out of order: {names}"
        for child in entry:
            assert (child.text or "").strip(), f"empty {child.tag}"
            assert len(child) == 0, "no nested elements"
        loc = entry.find(tag("loc")).text
        parts = urlsplit(loc)
        assert parts.scheme in ("http", "https") and parts.netloc and len(loc) <= 2048, loc
        lastmod = entry.find(tag("lastmod"))
        if lastmod is not None:
            assert W3C_DATE.match(lastmod.text), lastmod.text
        locations.append(loc)
    return locations
