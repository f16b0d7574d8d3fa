#!/usr/bin/env python3
"""The export endpoints (th1/export, th2/export) against a running MLPlayground whose catalog holds the fixture tree,
read as users read them (requests, numpy.load, pandas/csv). Run by scripts/test-http.sh on SQLite and PostgreSQL:

    python Tests/Client/export_test.py --base-url URL --token TOKEN --fixtures Tests/Fixtures/dqmio
        [--workspace NAME --workspace-prefix PREFIX]     # a workspace selecting the MEs under PREFIX
        [--disconnect-psql URL --server-log FILE]         # a client leaving mid-export (PostgreSQL)

Checks: every fixture ME's exported arrays equal ROOT's truth (every bin, every (run, LS), binning, labels); the
CSV says the same; each filter and the Workspace header select exactly what the list endpoint selects; float32 is
exact where allowed and refused elsewhere; bad parameters are 400s naming them; a client that goes away mid-export
stops it and leaves no query running.
"""
import argparse
import csv
import io
import math
import pathlib
import socket
import subprocess
import time
import urllib.parse

import numpy as np
import requests
from fixture_truth import check, finish, truth

def same(got, expected):
    """Exact doubles, element by element; the truth files spell non-finite bins as null."""
    got = np.asarray(got, dtype=np.float64).ravel()
    expected = [v for row in expected for v in row] if expected and isinstance(expected[0], list) else expected
    if got.shape[0] != len(expected):
        return False
    for a, b in zip(got, expected):
        if b is None:
            if math.isfinite(a):
                return False
        elif math.isnan(b):
            if not math.isnan(a):
                return False
        elif a != b:
            return False
    return True


def root_edges(axis):
    """An axis's nx + 1 edges as ROOT gives them (TAxis::GetBinLowEdge), or its variable edges."""
    if axis.get("edges"):
        return axis["edges"]
    width = (axis["max"] - axis["min"]) / axis["bins"]
    return [axis["min"] + k * width for k in range(axis["bins"] + 1)]


class Client:
    def __init__(self, base_url, token):
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, params=None, headers=None):
        return self.session.get(self.base + path, params=params or {}, headers=headers or {}, timeout=120)

    def npz(self, table, params=None, headers=None):
        answer = self.get(f"{table}/export/", params, headers)
        check(answer.status_code == 200, f"{table}/export {params}: status {answer.status_code} {answer.text[:300]}")
        check(answer.headers.get("Content-Type") == "application/zip", f"{table}/export content type {answer.headers.get('Content-Type')}")
        check("attachment; filename=" in answer.headers.get("Content-Disposition", ""), f"{table}/export names no file")
        return np.load(io.BytesIO(answer.content), allow_pickle=False)

    def all(self, path, params, headers=None):
        items, url, query = [], self.base + path, dict(params, page_size=500)
        while url:
            answer = self.session.get(url, params=query, headers=headers or {}, timeout=120)
            check(answer.status_code == 200, f"{path} {params}: status {answer.status_code} {answer.text[:300]}")
            if answer.status_code != 200:
                return items
            page = answer.json()
            items += page["results"]
            url, query = page["next"], None
        return items


def groups(archive):
    """Per ME: (name, arrays by short name)."""
    names = list(archive["names"])
    out = []
    for index, name in enumerate(names):
        arrays = {key.split("/", 1)[1]: archive[key] for key in archive.files if key.startswith(f"{index}/")}
        out.append((str(name), arrays))
    return out


def check_against_truth(client, table, records, lfns):
    archive = client.npz(table)
    two_d = table == "th2"
    seen = set()
    names = [name for name, _ in groups(archive)]
    check(names == sorted(names), f"{table}: MEs not in name order")
    for name, arrays in groups(archive):
        data = arrays["data"]
        n = data.shape[0]
        check(data.dtype == np.float64 and data.ndim == (3 if two_d else 2), f"{table} {name}: data {data.dtype} {data.shape}")
        for key in ("run_number", "ls_number", "entries", "dataset_id", "file_id"):
            check(arrays[key].shape == (n,), f"{table} {name}: {key} shape {arrays[key].shape}, data has {n} rows")
        order = list(zip(arrays["dataset_id"], arrays["run_number"], arrays["ls_number"]))
        check(order == sorted(order), f"{table} {name}: rows not ordered by dataset, run, LS")
        for row in range(n):
            key = (lfns.get(int(arrays["file_id"][row])), int(arrays["run_number"][row]), int(arrays["ls_number"][row]), name)
            record = records.get(key)
            check(record is not None, f"{table}: exported {key} is not in ROOT's truth")
            if record is None:
                continue
            seen.add(key)
            check(same(data[row], record["data"]), f"{table} {key}: bins differ from ROOT's")
            check(float(arrays["entries"][row]) == record["entries"], f"{table} {key}: entries {arrays['entries'][row]} != {record['entries']}")
            x = record["x"]
            check(data.shape[-1] == x["bins"], f"{table} {key}: {data.shape[-1]} x bins, ROOT {x['bins']}")
            check(list(arrays["x_edges"]) == root_edges(x), f"{table} {key}: x edges differ from ROOT's")
            check(("x_labels" in arrays) == bool(x.get("labels")), f"{table} {key}: x labels present {('x_labels' in arrays)}")
            if x.get("labels"):
                check(list(arrays["x_labels"]) == x["labels"], f"{table} {key}: x labels differ")
            if two_d:
                y = record["y"]
                check(data.shape[1] == y["bins"], f"{table} {key}: {data.shape[1]} y bins, ROOT {y['bins']}")
                check(list(arrays["y_edges"]) == root_edges(y), f"{table} {key}: y edges differ from ROOT's")
                if y.get("labels"):
                    check(list(arrays["y_labels"]) == y["labels"], f"{table} {key}: y labels differ")
    expected = {key for key, record in records.items() if (record.get("y") is not None) == two_d}
    check(seen == expected, f"{table}: {len(expected - seen)} truth histograms not exported, e.g. {sorted(expected - seen)[:2]}")
    return archive


def check_csv(client, table, archive, datasets):
    answer = client.get(f"{table}/export/", {"format": "csv"})
    check(answer.status_code == 200 and answer.headers.get("Content-Type", "").startswith("text/csv"),
          f"{table} csv: {answer.status_code} {answer.headers.get('Content-Type')}")
    rows = list(csv.reader(io.StringIO(answer.text)))
    header, body = rows[0], rows[1:]
    check(header[:5] == ["me", "dataset", "run_number", "ls_number", "entries"], f"{table} csv header {header[:6]}")
    expected = []
    for name, arrays in groups(archive):
        for row in range(arrays["data"].shape[0]):
            expected.append((name, datasets[int(arrays["dataset_id"][row])], int(arrays["run_number"][row]),
                             int(arrays["ls_number"][row]), float(arrays["entries"][row]), arrays["data"][row].ravel()))
    check(len(body) == len(expected), f"{table} csv: {len(body)} rows, npz {len(expected)}")
    for got, (name, dataset, run, ls, entries, bins) in zip(body, expected):
        ok = got[0] == name and got[1] == dataset and int(got[2]) == run and int(got[3]) == ls and float(got[4]) == entries
        values = np.array([float(v) for v in got[5:]])
        ok = ok and values.shape == bins.shape and bool(np.all((values == bins) | (np.isnan(values) & np.isnan(bins))))
        check(ok, f"{table} csv row {got[:4]} differs from the npz")


def keys_of_export(archive):
    return {(name, int(arrays["file_id"][i]), int(arrays["run_number"][i]), int(arrays["ls_number"][i]))
            for name, arrays in groups(archive) for i in range(arrays["data"].shape[0])}


def check_filters(client, table, headers=None, label=""):
    sample = client.all(table + "/", {"fields": "me,me_id,dataset,dataset_id,file_id,run_number,ls_number"}, headers)
    check(len(sample) > 0, f"{table}{label}: the list is empty")
    if not sample:
        return
    first, last = sample[0], sample[-1]
    queries = [
        {},
        {"run_number": first["run_number"]},
        {"run_number__gte": first["run_number"], "run_number__lte": last["run_number"]},
        {"ls_number__gte": 2, "ls_number__lte": 2},
        {"me": first["me"]},
        {"me_id": first["me_id"]},
        {"me__regex": first["me"].split("/")[0]},
        {"dataset": last["dataset"]},
        {"dataset_id": last["dataset_id"]},
        {"file_id": first["file_id"]},
        {"entries__gte": 1000},
        {"me__regex": "/", "ls_number": 1, "run_number__lte": last["run_number"]},
    ]
    for query in queries:
        listed = {(item["me"], item["file_id"], item["run_number"], item["ls_number"])
                  for item in client.all(table + "/", dict(query, fields="me,file_id,run_number,ls_number"), headers)}
        exported = keys_of_export(client.npz(table, query, headers))
        check(listed == exported, f"{table}{label} {query}: export selects {len(exported)}, the list {len(listed)}")


def check_float32(client):
    query = {"kind": "TH1F"}
    wide, narrow = client.npz("th1", query), client.npz("th1", dict(query, dtype="float32"))
    check(len(wide["names"]) > 0, "no TH1F MEs to check float32 with")
    for (name, a), (_, b) in zip(groups(wide), groups(narrow)):
        check(b["data"].dtype == np.float32, f"float32 {name}: dtype {b['data'].dtype}")
        check(np.array_equal(b["data"].astype(np.float64), a["data"], equal_nan=True), f"float32 {name}: not exact")
    refused = client.get("th1/export/", {"dtype": "float32", "kind": "TH1D"})
    check(refused.status_code == 400 and refused.json().get("parameter") == "dtype", f"float32 of TH1D: {refused.status_code} {refused.text[:200]}")


def check_bad_parameters(client):
    for table in ("th1", "th2"):
        for query, name in [({"format": "xls"}, "format"), ({"dtype": "float16"}, "dtype"), ({"run_number": "abc"}, "run_number"),
                            ({"bogus": "1"}, "bogus"), ({"me__regex": "("}, "me__regex")]:
            answer = client.get(f"{table}/export/", query)
            body = answer.json() if answer.headers.get("Content-Type") == "application/json" else {}
            check(answer.status_code == 400 and body.get("parameter") == name, f"{table}/export {query}: {answer.status_code} {answer.text[:200]}")
    empty = client.npz("th1", {"run_number": 1})
    check(list(empty["names"]) == [] and empty.files == ["names"], f"an empty selection: {empty.files}")


def check_disconnect(base_url, token, psql_url, server_log):
    """A client reading a few KiB of a large export, then leaving: the export ends early (the server's log says so)
    and no query of it stays running or holds a transaction."""
    def activity():
        query = ("SELECT count(*) FILTER (WHERE state = 'active' AND query ILIKE '%FROM th%'), "
                 "count(*) FILTER (WHERE state LIKE 'idle in transaction%') FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()")
        out = subprocess.run(["psql", psql_url, "-Atc", query], capture_output=True, text=True, check=True).stdout.strip()
        return tuple(int(v) for v in out.split("|"))

    url = urllib.parse.urlparse(base_url)
    ended = "export of th2 ended early"
    before = pathlib.Path(server_log).read_text().count(ended)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((url.hostname, url.port))
    sock.sendall(f"GET /api/v1/th2/export/?format=csv HTTP/1.1\r\nHost: {url.netloc}\r\nAuthorization: Bearer {token}\r\n\r\n".encode())
    first = sock.recv(4096)
    check(first.startswith(b"HTTP/1.1 200"), f"disconnect: the export did not start: {first[:100]!r}")
    sock.close()
    deadline = time.monotonic() + 60
    while pathlib.Path(server_log).read_text().count(ended) == before and time.monotonic() < deadline:
        time.sleep(0.05)
    check(pathlib.Path(server_log).read_text().count(ended) > before, "disconnect: the export ran on after the client left")
    state = activity()
    while state != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
        state = activity()
    check(state == (0, 0), f"disconnect: (active th queries, idle in transaction) = {state} after the client left")
    health = requests.get(base_url.rstrip("/") + "/api/v1/health", timeout=10)
    check(health.status_code == 200, f"disconnect: health {health.status_code} afterwards")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--fixtures")
    parser.add_argument("--workspace")
    parser.add_argument("--workspace-prefix")
    parser.add_argument("--disconnect-psql")
    parser.add_argument("--server-log")
    args = parser.parse_args()
    client = Client(args.base_url, args.token)

    if args.fixtures:
        records = truth(args.fixtures)
        files = client.all("file-index/", {})
        lfns = {item["file_id"]: item["logical_file_name"] for item in files}
        datasets = {0: ""}
        datasets.update({item["dataset_id"]: item["dataset"] for item in files})
        for table in ("th1", "th2"):
            archive = check_against_truth(client, table, records, lfns)
            check_csv(client, table, archive, datasets)
            check_filters(client, table)
        check_float32(client)
        check_bad_parameters(client)
        if args.workspace:
            headers = {"Workspace": args.workspace}
            for table in ("th1", "th2"):
                check_filters(client, table, headers, f" (workspace {args.workspace})")
                names = [str(n) for n in client.npz(table, {}, headers)["names"]]
                check(all(n.startswith(args.workspace_prefix) for n in names), f"{table} workspace {args.workspace}: exported {names[:3]}")
    if args.disconnect_psql:
        check_disconnect(args.base_url, args.token, args.disconnect_psql, args.server_log)

    finish("export test", "export test: every check passed")

if __name__ == "__main__":
    main()
