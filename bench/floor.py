"""The floor: the pipeline's own gazetteer matcher alone over the same articles, nothing else.

Reads the same input the pipeline reads (a folder of .txt files or a .jsonl file), one article
at a time, and runs ``Matcher.scan`` (fold, one Aho-Corasick pass, word boundaries, longest
match first) on each text: no filtering, no dates, no output. That is the physical limit of
this design: every other step of ``incident-map build`` comes on top of it. Prints JSON.

    python -m bench.floor bench/corpus/10000/txt
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def _texts(path: Path):
    if path.is_dir():
        for name in sorted(os.listdir(path)):
            if name.endswith(".txt"):
                with open(path / name, "rb") as fh:
                    yield fh.read().decode("utf-8")
    else:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield json.loads(line)["text"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__.split("\n\n")[0])
    p.add_argument("input", type=Path, help="folder of .txt files or a .jsonl file")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    from geodata import gazetteer
    from pipeline.match import Matcher, fast_fold

    matcher = Matcher(gazetteer.load())
    automaton = matcher._automaton
    startup = time.perf_counter() - t0
    articles = chars = size = names = 0
    scan_s = bare_s = 0.0
    clock = time.perf_counter
    t1 = clock()
    for text in _texts(args.input):
        a = clock()
        names += len(matcher.scan(text))
        b = clock()
        for _ in automaton.iter(fast_fold(text)):  # the automaton pass alone, no boundaries
            pass
        bare_s += clock() - b
        scan_s += b - a
        articles += 1
        chars += len(text)
        size += len(text.encode("utf-8", "surrogatepass"))
    loop = clock() - t1 - bare_s  # reading + scanning, without the extra automaton-only pass
    json.dump({
        "articles": articles, "chars": chars, "bytes": size, "names_found": names,
        "startup_s": startup, "read_and_scan_s": loop, "scan_s": scan_s, "automaton_only_s": bare_s,
    }, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
