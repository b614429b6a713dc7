"""Issue 22: the marketplace README shows screenshots the real-editor e2e took (the diagnostics,
the hover, the chat with a diagram), committed as small PNGs beside it, linked in a way vsce
packages: relative links that a release rewrites to https URLs (PA_IMAGES_BASE_URL)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MARKETPLACE = REPO / "client" / "marketplace"
SHOTS = ("diagnostics", "hover", "chat-diagram")
PNG = b"\x89PNG\r\n\x1a\n"


def test_every_readme_image_is_a_small_committed_png_the_e2e_takes() -> None:
    readme = (MARKETPLACE / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)\s]+)\)", readme)
    assert images == [f"images/{name}.png" for name in SHOTS]
    for image in images:
        path = MARKETPLACE / image
        data = path.read_bytes()
        assert data.startswith(PNG), image
        assert len(data) <= 400 * 1024, f"{image} is {len(data)} bytes"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= 800 and height >= 500, f"{image} is {width} x {height}"  # a window, not a crop of one
    # The e2e saves each under the name the copy script looks for.
    e2e = (REPO / "tests" / "e2e" / "run.mjs").read_text(encoding="utf-8")
    copier = (REPO / "client" / "scripts" / "marketplace_images.mjs").read_text(encoding="utf-8")
    for name in SHOTS:
        assert f"marketplaceShot(page, '{name}')" in e2e, name
        assert f"'{name}'" in copier, name


def test_a_release_packages_the_screenshots_as_https_urls() -> None:
    package = (REPO / "client" / "scripts" / "package.mjs").read_text(encoding="utf-8")
    assert "'--baseImagesUrl'" in package and "PA_IMAGES_BASE_URL" in package
    release = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert re.search(r"PA_IMAGES_BASE_URL: \$\{\{ github\.server_url \}\}/\$\{\{ github\.repository \}\}/raw/"
                     r"\$\{\{ github\.sha \}\}/client/marketplace", release)
