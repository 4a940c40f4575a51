"""Make the dashboard's Chinese web font: Noto Sans SC cut down to the characters it shows.

Run from the project folder after changing Chinese texts (needs ``pip install fonttools
brotli``; the tests check that every character is covered)::

    npm pack @fontsource/noto-sans-sc@5.3.0      # the OFL-1.1 font, from the npm registry
    tar xzf fontsource-noto-sans-sc-5.3.0.tgz
    python viz/assets/fonts/subset.py package/files

It writes ``noto-sans-sc-chainshift-400.woff2`` and ``-700.woff2`` beside this file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset

HERE = Path(__file__).resolve().parent
WEIGHTS = (400, 700)


def characters() -> str:
    """Every non-ASCII character of the dashboard's Chinese texts."""
    sys.path.insert(0, str(HERE.parents[2]))
    from chainshift.viz.i18n import chinese_texts

    return "".join(sorted({c for text in chinese_texts() for c in text if ord(c) > 127}))


def main(source: Path) -> None:
    """Write one subset per weight from the fontsource files in ``source``."""
    text = characters()
    for weight in WEIGHTS:
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(source / f"noto-sans-sc-chinese-simplified-{weight}-normal.woff2",
                                options)
        sub = subset.Subsetter(options)
        sub.populate(text=text)
        sub.subset(font)
        out = HERE / f"noto-sans-sc-chainshift-{weight}.woff2"
        subset.save_font(font, out, options)
        print(f"{out.name}: {len(text)} characters, {out.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
