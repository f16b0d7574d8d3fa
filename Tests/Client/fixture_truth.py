"""What the client tests share: collected failures, and ROOT's truth files of the fixture tree."""
import json
import pathlib
import sys

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"FAIL: {message}", file=sys.stderr)


def truth(fixtures, flatten=False):
    """(logical file name, run, ls, ME name) -> the truth record, for every good fixture file; with `flatten`, 2D
    bins as one row-by-row list."""
    records = {}
    root = pathlib.Path(fixtures)
    for path in sorted(root.joinpath("store").rglob("*.truth.jsonl")):
        lfn = "/" + str(path.relative_to(root)).removesuffix(".truth.jsonl") + ".root"
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if flatten and record["data"] and isinstance(record["data"][0], list):
                record["data"] = [v for row in record["data"] for v in row]
            records[(lfn, record["run"], record["lumi"], record["name"])] = record
    return records


def finish(name, success):
    """Exits 1 after listing how many checks failed, or prints `success`."""
    if FAILURES:
        print(f"{name}: {len(FAILURES)} failures", file=sys.stderr)
        sys.exit(1)
    print(success)
