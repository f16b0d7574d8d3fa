#!/usr/bin/env python3
"""Pulls into NumPy arrays, side by side against one server (bench/bench_export.sh starts it): the export, the official
cmsdials 2.4.1 client's list_all, and a JSON pull trimmed to fields=run_number,ls_number,data. Prints one line per
way: seconds (best of REPEATS), bins/s, and the ratio to the export; checks that every way gives the same arrays.

    bench_export.py URL TABLE ME_REGEX [--repeats 3] [--list-mes N]
"""
import argparse
import io
import sys
import time
import urllib.parse
import urllib.request

import numpy as np
import requests
from cmsdials import Dials
from cmsdials.auth._base import BaseCredentials
from cmsdials.filters import LumisectionHistogram1DFilters, LumisectionHistogram2DFilters


class NoCredentials(BaseCredentials):
    def apply(self, headers):
        pass

    def refresh(self):
        pass


def best(repeats, pull):
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = pull()
        times.append(time.perf_counter() - start)
    return min(times), result


def by_export(url, table, regex, dtype="float64"):
    # urllib reads a large body in big blocks; requests' .content goes 10 KiB at a time (3x slower here at 1 GB).
    query = urllib.parse.urlencode({"me__regex": regex, "dtype": dtype})
    with urllib.request.urlopen(f"{url}/api/v1/{table}/export/?{query}", timeout=3600) as answer:
        archive = np.load(io.BytesIO(answer.read()))
    return {str(name): archive[f"{i}/data"] for i, name in enumerate(archive["names"])}


def by_json(url, table, names, two_d):
    out = {}
    for name in names:
        rows, link, params = [], f"{url}/api/v1/{table}/", {"me": name, "fields": "run_number,ls_number,data", "page_size": 500}
        while link:
            page = requests.get(link, params=params, timeout=3600).json()
            rows += page["results"]
            link, params = page["next"], None
        rows.sort(key=lambda r: (r["run_number"], r["ls_number"]))
        out[name] = np.array([r["data"] for r in rows], dtype=np.float64)
    return out


def by_cmsdials(url, table, names, two_d):
    dials = Dials(NoCredentials(), base_url=url)
    client, filters = (dials.h2d, LumisectionHistogram2DFilters) if two_d else (dials.h1d, LumisectionHistogram1DFilters)
    out = {}
    for name in names:
        items = client.list_all(filters(me=name, page_size=500), enable_progress=False).results
        items.sort(key=lambda h: (h.run_number, h.ls_number))
        out[name] = np.array([h.data for h in items], dtype=np.float64)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("table")
    parser.add_argument("regex")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--float32", action="store_true", help="also the export with dtype=float32 (exact for TH*F)")
    parser.add_argument("--list-mes", type=int, default=0, help="JSON pulls of the first N MEs only (0: all); bins/s compared")
    args = parser.parse_args()
    two_d = args.table == "th2"
    seconds, exported = best(args.repeats, lambda: by_export(args.url, args.table, args.regex))
    bins = sum(a.size for a in exported.values())
    if bins == 0:
        sys.exit(f"the export of {args.table} {args.regex!r} is empty: is the catalog loaded?")
    rate = bins / seconds
    print(f"export      {len(exported)} MEs {bins} bins  {seconds:.3f} s  {rate / 1e6:.1f} M bins/s  1.0")
    if args.float32:
        seconds32, narrow = best(args.repeats, lambda: by_export(args.url, args.table, args.regex, "float32"))
        for name, array in narrow.items():
            if not np.array_equal(array.astype(np.float64), exported[name], equal_nan=True):
                sys.exit(f"float32 export: {name} differs from the float64 one")
        print(f"export f32  {len(narrow)} MEs {bins} bins  {seconds32:.3f} s  {bins / seconds32 / 1e6:.1f} M bins/s  {seconds / seconds32:.1f}")
    names = sorted(exported)[: args.list_mes or None]
    for label, pull, repeats in [("json-fields", by_json, args.repeats), ("cmsdials", by_cmsdials, 1)]:
        seconds, pulled = best(repeats, lambda: pull(args.url, args.table, names, two_d))
        for name in names:
            if not np.array_equal(pulled[name], exported[name], equal_nan=True):
                sys.exit(f"{label}: {name} differs from the export")
        pulled_bins = sum(a.size for a in pulled.values())
        print(f"{label:<11} {len(names)} MEs {pulled_bins} bins  {seconds:.3f} s  {pulled_bins / seconds / 1e6:.2f} M bins/s  "
              f"export is {rate / (pulled_bins / seconds):.1f}x")


if __name__ == "__main__":
    main()
