#!/usr/bin/env python3
"""The official DIALS client, cmsdials 2.4.1 unchanged, against a running MLPlayground whose catalog holds the
fixture tree: every call the client makes (list, list_all over several pages, get, to_pandas, each filter) must
return what ROOT's truth files say. Run by scripts/test-http.sh on SQLite and on PostgreSQL:

    python Tests/Client/cmsdials_test.py --base-url http://127.0.0.1:PORT --token TOKEN --fixtures Tests/Fixtures/dqmio
"""
import argparse
import math
import pathlib

from cmsdials import Dials
from cmsdials.auth._base import BaseCredentials
from cmsdials.filters import (
    DatasetIndexFilters,
    FileIndexFilters,
    LumisectionFilters,
    LumisectionHistogram1DFilters,
    LumisectionHistogram2DFilters,
    MEFilters,
    RunFilters,
)
from fixture_truth import check, finish, truth


class TokenCredentials(BaseCredentials):
    """What the README shows: a static MLPlayground token sent as a bearer token."""

    def __init__(self, token):
        super().__init__()
        self.token = token

    def apply(self, headers):
        headers["Authorization"] = f"Bearer {self.token}"

    def refresh(self):
        pass


def same_bins(got, expected):
    """Exact doubles; NaN equals NaN (the client reads the server's "NaN" strings as float nan)."""
    if len(got) != len(expected):
        return False
    for a, b in zip(got, expected):
        if b is None:  # the truth files spell non-finite bins as null
            if not (isinstance(a, float) and not math.isfinite(a)):
                return False
        elif isinstance(b, float) and math.isnan(b):
            if not math.isnan(a):
                return False
        elif a != b:
            return False
    return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--fixtures", required=True)
    args = parser.parse_args()
    dials = Dials(TokenCredentials(args.token), base_url=args.base_url)
    expected = truth(args.fixtures, flatten=True)

    # Datasets: list, get, the name filters.
    datasets = dials.dataset_index.list_all(DatasetIndexFilters(page_size=1)).results
    names = {d.dataset for d in datasets}
    check(len(datasets) >= 3, f"dataset-index lists the fixture datasets, got {names}")
    check(all(d.era and d.data_tier == "DQMIO" and d.primary_ds_name for d in datasets), "datasets carry era, tier, primary dataset")
    zero_bias = next(d for d in datasets if d.primary_ds_name == "ZeroBias")
    by_name = dials.dataset_index.list(DatasetIndexFilters(dataset=zero_bias.dataset)).results
    check([d.dataset_id for d in by_name] == [zero_bias.dataset_id], "dataset-index ?dataset=")
    by_regex = dials.dataset_index.list(DatasetIndexFilters(dataset__regex="^/ZeroBias/")).results
    check({d.dataset_id for d in by_regex} == {d.dataset_id for d in datasets if d.dataset.startswith("/ZeroBias/")}, "dataset-index ?dataset__regex=")

    # Files: every filter of the client's FileIndexFilters, and get by (dataset_id, file_id).
    files = dials.file_index.list_all(FileIndexFilters(page_size=2)).results
    good = [f for f in files if f.logical_file_name.startswith("/store/")]
    good_count = len(list(pathlib.Path(args.fixtures, "store").rglob("*.truth.jsonl")))
    check(len(good) == good_count, f"file-index lists the {good_count} good fixture files, got {len(good)}")
    frame = dials.file_index.list_all(FileIndexFilters(page_size=2)).to_pandas()
    check(len(frame) == len(files) and "logical_file_name" in frame.columns, "file-index to_pandas")
    one = good[0]
    got = dials.file_index.get(dataset_id=one.dataset_id, file_id=one.file_id)
    check(got.file_id == one.file_id and got.logical_file_name == one.logical_file_name, "file-index get")
    for filters, keep in [
        (FileIndexFilters(dataset_id=one.dataset_id), lambda f: f.dataset_id == one.dataset_id),
        (FileIndexFilters(logical_file_name=one.logical_file_name), lambda f: f.logical_file_name == one.logical_file_name),
        (FileIndexFilters(logical_file_name__regex="/bad/"), lambda f: "/bad/" in f.logical_file_name),
        (FileIndexFilters(status=one.status), lambda f: f.status == one.status),
        (FileIndexFilters(min_size=one.file_size), lambda f: f.file_size >= one.file_size),
        (FileIndexFilters(dataset=one.dataset), lambda f: f.dataset == one.dataset),
        (FileIndexFilters(dataset__regex="^/ZeroBias/"), lambda f: f.dataset.startswith("/ZeroBias/")),
    ]:
        selected = dials.file_index.list_all(filters).results
        check({f.file_id for f in selected} == {f.file_id for f in files if keep(f)} and selected, f"file-index {filters.cleandict()}")

    # Runs and lumisections, per dataset.
    runs = dials.run.list_all(RunFilters(page_size=2)).results
    dataset_of = {f.logical_file_name: f.dataset_id for f in files}
    lfn_of = {f.file_id: f.logical_file_name for f in files}
    expected_lumis = {(dataset_of[lfn], r, ls) for (lfn, r, ls, _) in expected}
    check({(r.dataset_id, r.run_number) for r in runs} == {(d, r) for d, r, _ in expected_lumis}, "run lists the fixture runs per dataset")
    run = runs[0]
    check(dials.run.get(dataset_id=run.dataset_id, run_number=run.run_number).ls_count == run.ls_count, "run get")
    check({r.run_number for r in dials.run.list(RunFilters(run_number__gte=run.run_number, dataset_id=run.dataset_id)).results}
          == {r.run_number for r in runs if r.run_number >= run.run_number and r.dataset_id == run.dataset_id}, "run filters")
    check(all(r.dataset == run.dataset for r in dials.run.list(RunFilters(dataset=run.dataset)).results), "run ?dataset=")
    lumis = dials.lumi.list_all(LumisectionFilters(page_size=3)).results
    listed = {(l.dataset_id, l.run_number, l.ls_number) for l in lumis}
    # A lumisection in a file's index without histograms is listed too, with zero counts.
    check(expected_lumis <= listed and all(l.th1_count + l.th2_count == 0 for l in lumis
                                           if (l.dataset_id, l.run_number, l.ls_number) not in expected_lumis),
          "lumisection lists every (dataset, run, ls) of the truth")
    for l in lumis:
        th1 = sum(1 for (lfn, r, ls, _), rec in expected.items()
                  if (dataset_of[lfn], r, ls) == (l.dataset_id, l.run_number, l.ls_number) and "y" not in rec)
        check(l.th1_count == th1, f"lumisection {l.run_number}/{l.ls_number} th1_count {l.th1_count} == {th1}")
    lumi = lumis[0]
    check(dials.lumi.get(dataset_id=lumi.dataset_id, run_number=lumi.run_number, ls_number=lumi.ls_number).th2_count == lumi.th2_count, "lumisection get")
    window = dials.lumi.list_all(LumisectionFilters(run_number=lumi.run_number, ls_number__gte=2, ls_number__lte=2)).results
    check(window and all(l.ls_number == 2 and l.run_number == lumi.run_number for l in window), "lumisection LS range")

    # MEs: a bare array, its filters, get.
    mes = dials.mes.list()
    check(len(mes) == len({name for (_, _, _, name) in expected}), f"mes lists every ME once ({len(mes)})")
    me = mes[0]
    check(dials.mes.get(me.me_id).me == me.me, "mes get")
    check([m.me for m in dials.mes.list(MEFilters(me=me.me))] == [me.me], "mes ?me=")
    check(all(m.dim == 2 for m in dials.mes.list(MEFilters(dim=2))), "mes ?dim=2")
    subsystem = me.me.split("/")[0]
    check({m.me for m in dials.mes.list(MEFilters(me__regex=f"^{subsystem}/"))} == {m.me for m in mes if m.me.startswith(subsystem + "/")}, "mes ?me__regex=")

    # Histograms: every TH1 and TH2 against ROOT's truth, through list_all over pages of 7.
    for client, filters, dimension in [(dials.h1d, LumisectionHistogram1DFilters, 1), (dials.h2d, LumisectionHistogram2DFilters, 2)]:
        items = client.list_all(filters(page_size=7)).results
        wanted = {k: v for k, v in expected.items() if ("y" in v) == (dimension == 2)}
        check(len(items) == len(wanted), f"th{dimension}: {len(items)} items, the truth has {len(wanted)}")
        for item in items:
            record = wanted.get((lfn_of[item.file_id], item.run_number, item.ls_number, item.me))
            if record is None:
                check(False, f"th{dimension} {item.run_number}/{item.ls_number}/{item.me} is not in the truth")
                continue
            data = item.data if dimension == 1 else [v for row in item.data for v in row]
            check(same_bins(data, record["data"]), f"th{dimension} {item.me} {item.run_number}/{item.ls_number} bins")
            check(item.entries == int(record["entries"]), f"th{dimension} {item.me} entries {item.entries} == int({record['entries']})")
            check((item.x_bin, item.x_min, item.x_max) == (record["x"]["bins"], record["x"]["min"], record["x"]["max"]), f"th{dimension} {item.me} x axis")
            if dimension == 2:
                check((item.y_bin, item.y_min, item.y_max) == (record["y"]["bins"], record["y"]["min"], record["y"]["max"]), f"th2 {item.me} y axis")
        sample = items[len(items) // 2]
        got = client.get(dataset_id=sample.dataset_id, run_number=sample.run_number, ls_number=sample.ls_number, me_id=sample.me_id)
        check(got == sample, f"th{dimension} get")
        frame = client.list_all(filters(page_size=50)).to_pandas()
        check(len(frame) == len(items) and {"run_number", "ls_number", "me", "data"} <= set(frame.columns), f"th{dimension} to_pandas")
        # Each filter of the client's class selects exactly what it names (compared with the whole list).
        lfn = next(f.logical_file_name for f in files if f.file_id == sample.file_id)
        for chosen, keep in [
            (filters(dataset_id=sample.dataset_id), lambda h: h.dataset_id == sample.dataset_id),
            (filters(file_id=sample.file_id), lambda h: h.file_id == sample.file_id),
            (filters(run_number=sample.run_number), lambda h: h.run_number == sample.run_number),
            (filters(run_number__gte=sample.run_number), lambda h: h.run_number >= sample.run_number),
            (filters(run_number__lte=sample.run_number), lambda h: h.run_number <= sample.run_number),
            (filters(ls_number=sample.ls_number), lambda h: h.ls_number == sample.ls_number),
            (filters(ls_number__gte=2), lambda h: h.ls_number >= 2),
            (filters(ls_numbet__lte=1), lambda h: h.ls_number <= 1),
            (filters(me_id=sample.me_id), lambda h: h.me_id == sample.me_id),
            (filters(entries__gte=sample.entries), lambda h: h.entries >= sample.entries),
            (filters(dataset=sample.dataset), lambda h: h.dataset == sample.dataset),
            (filters(dataset__regex="^/ZeroBias/"), lambda h: h.dataset.startswith("/ZeroBias/")),
            (filters(logical_file_name=lfn), lambda h: h.file_id == sample.file_id),
            (filters(logical_file_name__regex="PromptReco"), lambda h: "PromptReco" in next(f.logical_file_name for f in files if f.file_id == h.file_id)),
            (filters(me=sample.me), lambda h: h.me == sample.me),
            (filters(me__regex=f"^{sample.me.split('/')[0]}/"), lambda h: h.me.startswith(sample.me.split("/")[0] + "/")),
        ]:
            chosen.page_size = 500
            selected = client.list_all(chosen).results
            check(sorted((h.file_id, h.run_number, h.ls_number, h.me_id) for h in selected)
                  == sorted((h.file_id, h.run_number, h.ls_number, h.me_id) for h in items if keep(h)) and selected,
                  f"th{dimension} {chosen.cleandict()}")

    finish("cmsdials", "cmsdials 2.4.1: every call answered as ROOT reads the fixtures")

if __name__ == "__main__":
    main()
