"""Check the built documentation as a reader's browser shows it.

Usage::

    python docs/check_pages.py docs/_build/html

Opens the home page, the API pages and every page of the gallery (``auto_examples/``) in
headless Chromium through Selenium and checks, in the page:

- every ``<img>`` has loaded, with a width and height above zero;
- every gallery example page (``auto_examples/plot_*.html``) shows at least one image;
- every link to a local file (``<a href>``, ``<link href>``, ``<script src>``) resolves to a
  file that exists, and every same-page ``#anchor`` to an element of the page (links to other
  sites are not followed);

then, on disk, that every PNG image of the build is not blank: it has more than one colour.

Prints one summary line (pages, images, links and PNG files checked); exits 1 with the list of
failures. Chromium and its driver are Debian's (``apt-get install chromium chromium-driver``):
the driver is given by path, so Selenium never tries to download one.
"""
import argparse
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

# What one page holds, as the browser resolved it (absolute URLs).
PAGE_CONTENTS = """
const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
for (const a of document.querySelectorAll('a[name]')) ids.add(a.name);
return {
  images: [...document.images].map(img => ({
    src: img.currentSrc || img.src, complete: img.complete,
    width: img.naturalWidth, height: img.naturalHeight})),
  links: [
    ...[...document.querySelectorAll('a[href]')].map(a => a.href),
    ...[...document.querySelectorAll('link[href]')].map(l => l.href),
    ...[...document.querySelectorAll('script[src]')].map(s => s.src)],
  ids: [...ids],
};
"""
ALL_IMAGES_SETTLED = "return [...document.images].every(img => img.complete);"


def pages_to_check(html_dir):
    pages = [html_dir / "index.html", html_dir / "api.html", html_dir / "estimators.html"]
    gallery = html_dir / "auto_examples"
    pages += sorted(gallery.glob("*.html"))
    return pages, gallery


def make_driver(chromium, chromedriver):
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--allow-file-access-from-files",
                     "--window-size=1280,1024"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def local_target(url):
    """The file a file:// URL points to (without its query or fragment), else None."""
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return Path(unquote(parts.path)), parts.fragment


def check_page(driver, page, gallery, failures):
    """Check one page in the browser; returns (images, links) counted."""
    driver.get(page.as_uri())
    try:
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(ALL_IMAGES_SETTLED))
    except Exception:  # reported below, image by image
        pass
    found = driver.execute_script(PAGE_CONTENTS)
    name = page.name if page.parent.name != gallery.name else f"{gallery.name}/{page.name}"
    for image in found["images"]:
        if not (image["complete"] and image["width"] > 0 and image["height"] > 0):
            failures.append(f"{name}: image does not render: {image['src']} "
                            f"({image['width']} x {image['height']})")
    if page.parent == gallery and page.name.startswith("plot_") and not found["images"]:
        failures.append(f"{name}: a gallery example page without any image")
    ids = set(found["ids"])
    links = 0
    for url in found["links"]:
        target = local_target(url)
        if target is None:
            continue
        links += 1
        path, fragment = target
        if not path.exists():
            failures.append(f"{name}: broken link to {path}")
        elif path.resolve() == page.resolve() and fragment and fragment not in ids:
            failures.append(f"{name}: link to #{fragment}, which is not on the page")
    return len(found["images"]), links


def check_png(path, failures):
    try:
        with Image.open(path) as image:
            pixels = np.asarray(image.convert("RGBA"))
    except Exception as exc:
        failures.append(f"{path}: not a readable image ({exc})")
        return
    if pixels.size == 0 or pixels.shape[0] < 2 or pixels.shape[1] < 2:
        failures.append(f"{path}: empty image ({pixels.shape[1]} x {pixels.shape[0]})")
    elif not np.any(pixels != pixels[0, 0]) or float(pixels[..., :3].std()) < 1.0:
        failures.append(f"{path}: a blank image (one colour)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html_dir", type=Path, help="the built HTML (sphinx-build's output)")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args(argv)
    html_dir = args.html_dir.resolve()
    pages, gallery = pages_to_check(html_dir)
    failures = [f"missing page: {page}" for page in pages if not page.exists()]
    if not any(page.name.startswith("plot_") for page in pages):
        failures.append(f"no gallery example page in {gallery}")
    pages = [page for page in pages if page.exists()]
    images = links = 0
    driver = make_driver(args.chromium, args.chromedriver)
    try:
        for page in pages:
            counted = check_page(driver, page, gallery, failures)
            images += counted[0]
            links += counted[1]
    finally:
        driver.quit()
    pngs = sorted(html_dir.rglob("*.png"))
    for png in pngs:
        check_png(png, failures)
    summary = (f"check_pages: {len(pages)} pages, {images} images, {links} local links, "
               f"{len(pngs)} PNG files checked")
    if failures:
        print(f"{summary}: {len(failures)} failures", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    print(f"{summary}: all render")
    return 0


if __name__ == "__main__":
    sys.exit(main())
