#!/usr/bin/env python3
"""Generate a synthetic CMS DQMIO file with real ROOT (PyROOT), for benchmarks and large-file tests.

The file has the layout CMSSW's DQMRootOutputModule writes: a `cms::edm::GUID` std::string key, an `Indices` tree
(Run, Lumi, ProcessHistoryIndex, BeginTime, EndTime, Type, FirstIndex, LastIndex), the 14 typed ME trees (Ints ...
TH2Is) each with FullName (std::string), Flags (uint32) and Value (the object, split level 0, 128 KiB baskets), and a
MetaData directory with ProcessHistories and ParameterSets trees.

Contents are random but shaped like DQM data: 1D MEs are Poisson counts over a per-ME shape (peaks, falling spectra,
flat occupancies with dead bins), 2D MEs are occupancy maps with dead cells and hot spots, so many bins are zero and
compression ratios are realistic. A fraction of float/double MEs hold weighted (non-integer) values. Every stored value
is a dyadic rational small enough that any summation order gives the same double, so a multi-threaded reader's
checksum matches ROOT's exactly.

Histogram objects are created once per ME and refilled every lumisection from numpy arrays by a small C++ helper
(SetContent + ResetStats + TTree::Fill), so writing ~1 GB takes minutes, not hours.

Needs the ROOT wheel (python3 -m venv V && V/bin/pip install --pre ROOT numpy); run with that venv's python.

  generate_dqmio.py OUT.root [--seed 1] [--runs 1] [--lumis 10] [--th1 100] [--th1-bins 100]
      [--th2 10] [--th2-bins 50x40] [--th1-kinds TH1F,TH1D,...] [--th2-kinds TH2F,TProfile2D,...]
      [--codec zstd] [--level 5] [--truth-summary OUT.txt]

--truth-summary writes the line ROOT's anchor reader (root_read.C) prints for the file: `mes=N sum=S`.
"""
import argparse
import hashlib
import math
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore", message=".*alpha stage.*")
import numpy as np  # noqa: E402
import ROOT  # noqa: E402

ROOT.gROOT.SetBatch(True)
ROOT.TH1.AddDirectory(False)

# DQMIO type codes: position of the tree in DQMRootOutputModule's list.
TREE_NAMES = ["Ints", "Floats", "Strings", "TH1Fs", "TH1Ss", "TH1Ds", "TH2Fs", "TH2Ss", "TH2Ds", "TH3Fs",
              "TProfiles", "TProfile2Ds", "TH1Is", "TH2Is"]
KIND_TYPE = {"TH1F": 3, "TH1S": 4, "TH1D": 5, "TH1I": 12, "TProfile": 10,
             "TH2F": 6, "TH2S": 7, "TH2D": 8, "TH2I": 13, "TProfile2D": 11}
ONE_D_KINDS = ("TH1F", "TH1S", "TH1D", "TH1I", "TProfile")
TWO_D_KINDS = ("TH2F", "TH2S", "TH2D", "TH2I", "TProfile2D")
INT_KINDS = {"TH1S", "TH1I", "TH2S", "TH2I"}
PROFILE_KINDS = {"TProfile", "TProfile2D"}
CODECS = {"none": (0, 0), "zlib": (1, 1), "lzma": (2, 7), "lz4": (4, 4), "zstd": (5, 5)}  # ROOT algorithm, default level
LUMI_FLAG = 0x1
WEIGHT_QUANTUM = 64.0  # non-integer values are multiples of 1/64: exact in float32 below 2^17
SHORT_MAX = 32767

_CPP = r'''
#include <TFile.h>
#include <TTree.h>
#include <TDirectory.h>
#include <TH1.h>
#include <TH2.h>
#include <TH3.h>
#include <TProfile.h>
#include <TProfile2D.h>
#include <string>
#include <vector>

namespace mlpgen {

static const char* kTrees[14] = {"Ints","Floats","Strings","TH1Fs","TH1Ss","TH1Ds","TH2Fs","TH2Ss","TH2Ds",
                                 "TH3Fs","TProfiles","TProfile2Ds","TH1Is","TH2Is"};
static const char* kClasses[14] = {nullptr,nullptr,nullptr,"TH1F","TH1S","TH1D","TH2F","TH2S","TH2D",
                                   "TH3F","TProfile","TProfile2D","TH1I","TH2I"};

class DqmioWriter {
public:
  DqmioWriter(const char* path, int compression, const char* guid) {
    file_ = TFile::Open(path, "RECREATE", "", compression);
    if (!file_ || file_->IsZombie()) { ok_ = false; return; }
    std::string g(guid);
    file_->WriteObject(&g, "cms::edm::GUID");
    indices_ = new TTree("Indices", "Indices");
    indices_->Branch("Run", &run_);
    indices_->Branch("Lumi", &lumi_);
    indices_->Branch("ProcessHistoryIndex", &phIndex_);
    indices_->Branch("BeginTime", &beginTime_);
    indices_->Branch("EndTime", &endTime_);
    indices_->Branch("Type", &type_);
    indices_->Branch("FirstIndex", &firstIndex_);
    indices_->Branch("LastIndex", &lastIndex_);
    indices_->SetDirectory(file_);
    for (int t = 0; t < 14; ++t) {
      TTree* tree = new TTree(kTrees[t], kTrees[t]);
      tree->Branch("FullName", &namePtr_);
      tree->Branch("Flags", &flags_);
      if (t == 0) tree->Branch("Value", &intValue_);
      else if (t == 1) tree->Branch("Value", &floatValue_);
      else if (t == 2) tree->Branch("Value", &stringPtr_);
      else tree->Branch("Value", kClasses[t], (void*)&value_[t], 128 * 1024, 0);  // split 0, 128 KiB baskets
      tree->SetDirectory(file_);
      trees_[t] = tree;
      pendingFirst_[t] = -1;
    }
  }
  bool ok() const { return ok_; }

  // Registers a histogram (owned by the caller) as ME number `addME(...)` of its type.
  int addME(int type, const char* fullName, TH1* h) {
    hists_[type].push_back(h);
    names_[type].push_back(fullName);
    return (int)hists_[type].size() - 1;
  }

  // Refills every registered ME of `type` from `contents` (nME x nCells, row-major, flow bins included) and writes
  // one tree entry per ME. For profiles `contents` holds bin means and `binEntries` the bin entry counts.
  void fillType(int type, const double* contents, const double* binEntries, int nCells) {
    std::vector<TH1*>& hs = hists_[type];
    for (size_t i = 0; i < hs.size(); ++i) {
      TH1* h = hs[i];
      const double* c = contents + i * (size_t)nCells;
      if (type == 10 || type == 11) {
        const double* n = binEntries + i * (size_t)nCells;
        TProfile* p1 = type == 10 ? (TProfile*)h : nullptr;
        TProfile2D* p2 = type == 11 ? (TProfile2D*)h : nullptr;
        double* sumwy = p1 ? p1->GetArray() : p2->GetArray();
        double* sumwy2 = h->GetSumw2()->GetArray();
        double entries = 0;
        for (int b = 0; b < nCells; ++b) {
          if (p1) p1->SetBinEntries(b, n[b]); else p2->SetBinEntries(b, n[b]);
          sumwy[b] = c[b] * n[b];
          sumwy2[b] = n[b] * (c[b] * c[b] + 1.0);
          entries += n[b];
        }
        h->ResetStats();
        h->SetEntries(entries);
      } else {
        h->SetContent(c);
        h->ResetStats();
      }
      name_ = names_[type][i];
      flags_ = 0x1;
      value_[type] = h;
      trees_[type]->Fill();
      if (pendingFirst_[type] < 0) pendingFirst_[type] = trees_[type]->GetEntries() - 1;
    }
  }

  // Closes the (run, lumi) block: one Indices entry per type filled since the last call, in type order, or one entry
  // of Type 1000 for a lumisection without MEs.
  void endLumi(unsigned int run, unsigned int lumi, ULong64_t beginTime, ULong64_t endTime) {
    run_ = run; lumi_ = lumi; beginTime_ = beginTime; endTime_ = endTime; phIndex_ = 0;
    bool any = false;
    for (int t = 0; t < 14; ++t) {
      if (pendingFirst_[t] < 0) continue;
      type_ = t; firstIndex_ = pendingFirst_[t]; lastIndex_ = trees_[t]->GetEntries() - 1;
      pendingFirst_[t] = -1;
      indices_->Fill();
      any = true;
    }
    if (!any) { type_ = 1000; firstIndex_ = 0; lastIndex_ = 0; indices_->Fill(); }
  }

  void close(const char* processName, const char* release) {
    file_->cd();
    TDirectory* meta = file_->mkdir("MetaData");
    meta->cd();
    unsigned int index = 0;
    std::string proc(processName), psetID("9c1e7a0b5d2f"), rel(release), pass("");
    TTree* ph = new TTree("ProcessHistories", "ProcessHistories");
    ph->Branch("Index", &index);
    ph->Branch("ProcessName", &proc);
    ph->Branch("ParameterSetID", &psetID);
    ph->Branch("ReleaseVersion", &rel);
    ph->Branch("PassID", &pass);
    ph->Fill();
    std::string blob("<@module=+P(DQMRootOutputModule)>");
    TTree* ps = new TTree("ParameterSets", "ParameterSets");
    ps->Branch("ParameterSetBlob", &blob);
    ps->Fill();
    file_->Write();
    file_->Close();
    delete file_;
    file_ = nullptr;
  }

private:
  bool ok_ = true;
  TFile* file_ = nullptr;
  TTree* indices_ = nullptr;
  TTree* trees_[14];
  Long64_t pendingFirst_[14];
  std::vector<TH1*> hists_[14];
  std::vector<std::string> names_[14];
  std::string name_; std::string* namePtr_ = &name_;
  unsigned int flags_ = 0;
  Long64_t intValue_ = 0; double floatValue_ = 0; std::string stringValue_; std::string* stringPtr_ = &stringValue_;
  TH1* value_[14] = {nullptr};
  unsigned int run_ = 0, lumi_ = 0, phIndex_ = 0, type_ = 0;
  ULong64_t beginTime_ = 0, endTime_ = 0, firstIndex_ = 0, lastIndex_ = 0;
};

}  // namespace mlpgen
'''

FOLDERS = [
    "PixelPhase1/Tracks/PXBarrel", "PixelPhase1/Phase1_MechanicalView/PXForward", "SiStrip/MechanicalView/TOB",
    "SiStrip/MechanicalView/TEC/PLUS", "Tracking/TrackParameters/highPurityTracks/pt_1/GeneralProperties",
    "EcalBarrel/EBDigiTask", "EcalEndcap/EEClusterTask", "Hcal/RecHitTask/Energy", "CSC/CSCOfflineMonitor/Segments",
    "DT/03-LocalTrigger-TM/Wheel1", "RPC/Muon/SummaryHistograms", "JetMET/MET/pfMETT1/Cleaned", "Muons/Isolation",
    "L1T/L1TStage2CaloLayer2", "HLT/Vertexing/ValidationWRTOffline", "Egamma/Photons/GEDPhotons", "GEM/Digis",
    "PPS/TimingDiamond", "BeamSpot/Fit", "Physics/Muons/MuonMonitor",
]
QUANTITIES_1D = ["ClusterCharge", "NumberOfTracks", "TrackEta", "TrackPhi", "Chi2oNDF", "NumberOfRecHitsPerTrack",
                 "energy", "timing", "residualX", "pull", "multiplicity", "sumEt", "deltaR", "nVtx", "adc"]
QUANTITIES_2D = ["occupancy_map", "digi_occupancy_EtaPhi", "hitmap_XY", "charge_vs_module", "ladder_vs_module",
                 "clusterposition_zphi", "TkHMap_NumberValidHits", "rechit_EtaPhi"]


def me_names(rng, n, quantities):
    names, used = [], set()
    while len(names) < n:
        name = f"{FOLDERS[rng.integers(len(FOLDERS))]}/{quantities[rng.integers(len(quantities))]}_{rng.integers(100000)}"
        if name not in used:
            used.add(name)
            names.append(name)
    return sorted(names)


def shapes_1d(rng, n, nbins):
    """Per-ME bin probabilities over nbins+2 cells (underflow, bins, overflow), each row summing to ~1."""
    x = (np.arange(nbins + 2) - 0.5) / nbins  # bin centres mapped to [0, 1]; flow cells just outside
    form = rng.integers(0, 4, n)[:, None]
    mu = rng.uniform(0.15, 0.85, (n, 1))
    sigma = rng.uniform(0.02, 0.25, (n, 1))
    tau = rng.uniform(0.03, 0.5, (n, 1))
    gauss = np.exp(-0.5 * ((x - mu) / sigma) ** 2)
    falling = np.exp(-np.clip(x, 0, None) / tau)
    flat = np.ones((n, nbins + 2)) * rng.uniform(0.5, 1.5, (n, nbins + 2))
    skewed = np.clip(x, 1e-3, None) ** 2 * np.exp(-np.clip(x, 0, None) / (tau * 0.5))
    w = np.select([form == 0, form == 1, form == 2], [gauss, falling, flat], skewed)
    w *= rng.random((n, nbins + 2)) > rng.uniform(0.0, 0.1, (n, 1))  # dead / masked bins
    w[:, 0] *= 0.01
    w[:, -1] *= 0.02
    return w / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)


def shapes_2d(rng, n, nx, ny):
    """Per-ME occupancy probabilities over (ny+2)*(nx+2) cells, row-major with x fastest (ROOT's cell order)."""
    gx = (np.arange(nx + 2) - 0.5) / nx - 0.5
    gy = (np.arange(ny + 2) - 0.5) / ny - 0.5
    xx, yy = np.meshgrid(gx, gy)  # (ny+2, nx+2)
    r2 = (xx ** 2 + yy ** 2)[None, :, :]
    form = rng.integers(0, 3, n)[:, None, None]
    c = rng.uniform(0.005, 0.1, (n, 1, 1))
    radial = 1.0 / (r2 + c)
    blob = np.exp(-0.5 * ((xx[None] - rng.uniform(-0.3, 0.3, (n, 1, 1))) ** 2 +
                          (yy[None] - rng.uniform(-0.3, 0.3, (n, 1, 1))) ** 2) / rng.uniform(0.01, 0.08, (n, 1, 1)))
    flat = rng.uniform(0.7, 1.3, (n, ny + 2, nx + 2))
    w = np.select([form == 0, form == 1], [radial, blob], flat)
    w = w * (rng.random((n, ny + 2, nx + 2)) > rng.uniform(0.02, 0.1, (n, 1, 1)))  # dead cells
    w = w * np.where(rng.random((n, ny + 2, nx + 2)) < 0.002, 20.0, 1.0)  # hot cells
    w[:, 0, :] *= 0.01
    w[:, -1, :] *= 0.01
    w[:, :, 0] *= 0.01
    w[:, :, -1] *= 0.01
    w = w.reshape(n, -1)
    return w / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)


class KindBlock:
    """All MEs of one kind: names, reusable histogram objects, fixed shapes and per-ME scales."""

    def __init__(self, kind, names, rng, nbins=None, nx=None, ny=None):
        self.kind, self.type, self.names = kind, KIND_TYPE[kind], names
        n = len(names)
        self.two_d = kind in TWO_D_KINDS
        if self.two_d:
            self.nx, self.ny = nx, ny
            self.shape = shapes_2d(rng, n, nx, ny)
            self.scale = np.exp(rng.uniform(math.log(1e3), math.log(3e5), n))  # entries per lumi
        else:
            self.nx, self.ny = nbins, 1
            self.shape = shapes_1d(rng, n, nbins)
            self.scale = np.exp(rng.uniform(math.log(10), math.log(2e5), n))
        self.scale[rng.random(n) < 0.05] = 0.0  # some MEs never fill
        self.ncells = self.shape.shape[1]
        self.weighted = np.zeros(n, bool)
        if kind in ("TH1F", "TH1D", "TH2F", "TH2D"):
            self.weighted = rng.random(n) < 0.2
            self.scale[self.weighted] = np.minimum(self.scale[self.weighted], 5e4)
            self.weight = np.round(rng.uniform(0.05, 2.0, n) * WEIGHT_QUANTUM) / WEIGHT_QUANTUM
        if kind in INT_KINDS and kind.endswith("S"):
            self.scale = np.minimum(self.scale, 3e4)
        if kind in PROFILE_KINDS:
            self.pmean = rng.uniform(-10, 50, (n, 1))
            self.pspread = rng.uniform(0.5, 5, (n, 1))
        self.hists = [self._make_hist(name) for name in names]
        if self.two_d:
            mask = np.zeros((ny + 2, nx + 2), bool)
            mask[1:-1, 1:-1] = True
            self.in_range = mask.reshape(-1)
        else:
            self.in_range = np.zeros(nbins + 2, bool)
            self.in_range[1:-1] = True

    def _make_hist(self, fullname):
        cls = getattr(ROOT, self.kind)
        name = fullname.rsplit("/", 1)[-1]
        title = name.replace("_", " ")
        if self.two_d:
            return cls(name, title, self.nx, -0.5 * self.nx, 0.5 * self.nx, self.ny, 0.0, float(self.ny))
        return cls(name, title, self.nx, 0.0, 0.5 * self.nx)

    def generate(self, rng, lumi_factor):
        """Contents (and bin entries for profiles) for one lumisection, float64 arrays (nME, ncells)."""
        lam = self.shape * (self.scale * lumi_factor)[:, None]
        counts = rng.poisson(lam).astype(np.float64)
        if self.kind in PROFILE_KINDS:
            means = self.pmean + self.pspread * rng.standard_normal(counts.shape) / np.sqrt(np.maximum(counts, 1))
            means = np.where(counts > 0, np.round(means * WEIGHT_QUANTUM) / WEIGHT_QUANTUM, 0.0)
            return means, counts
        if self.kind.endswith("S"):
            np.minimum(counts, SHORT_MAX, out=counts)
        if self.weighted.any():
            rows = self.weighted
            counts[rows] = np.round(counts[rows] * self.weight[rows, None] * WEIGHT_QUANTUM) / WEIGHT_QUANTUM
        return counts, None

    def checksum(self, contents):
        """Sum of in-range bin contents as ROOT's GetBinContent returns them (exact: values are dyadic)."""
        return float(contents[:, self.in_range].sum())


def make_guid(seed, path):
    base = os.path.basename(path).removesuffix(".tmp")
    h = hashlib.sha1(f"mlplayground-{seed}-{base}".encode()).hexdigest().upper()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def parse_bins2d(text):
    try:
        nx, ny = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected NXxNY, got {text!r}")
    if nx < 1 or ny < 1:
        raise argparse.ArgumentTypeError("bins must be positive")
    return nx, ny


def parse_kinds(allowed):
    def parse(text):
        kinds = [k.strip() for k in text.split(",") if k.strip()]
        bad = [k for k in kinds if k not in allowed]
        if bad or not kinds:
            raise argparse.ArgumentTypeError(f"kinds must be among {', '.join(allowed)}; got {text!r}")
        return kinds
    return parse


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="output .root path")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-run", type=int, default=380000)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--lumis", type=int, default=10, help="lumisections per run")
    ap.add_argument("--th1", type=int, default=100, help="number of 1D MEs (per lumisection)")
    ap.add_argument("--th1-bins", type=int, default=100)
    ap.add_argument("--th2", type=int, default=10, help="number of 2D MEs (per lumisection)")
    ap.add_argument("--th2-bins", type=parse_bins2d, default=(50, 40), metavar="NXxNY")
    ap.add_argument("--th1-kinds", type=parse_kinds(ONE_D_KINDS), default=["TH1F"],
                    help="comma list of " + ",".join(ONE_D_KINDS) + " (1D MEs are spread over them)")
    ap.add_argument("--th2-kinds", type=parse_kinds(TWO_D_KINDS), default=["TH2F"],
                    help="comma list of " + ",".join(TWO_D_KINDS))
    ap.add_argument("--codec", choices=sorted(CODECS), default="zstd")
    ap.add_argument("--level", type=int, help="compression level (default per codec: zlib 1, lzma 7, lz4 4, zstd 5)")
    ap.add_argument("--truth-summary", metavar="FILE", help="write `mes=N sum=S` as root_read.C prints it")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.th1 < 0 or a.th2 < 0 or a.th1_bins < 1 or a.runs < 1 or a.lumis < 1:
        ap.error("counts must be non-negative, bins/runs/lumis positive")

    algo, default_level = CODECS[a.codec]
    level = default_level if a.level is None else a.level
    compression = 0 if a.codec == "none" else algo * 100 + level

    ROOT.gInterpreter.Declare(_CPP)
    rng = np.random.default_rng(a.seed)
    blocks = []
    for kinds, total, quantities in ((a.th1_kinds, a.th1, QUANTITIES_1D), (a.th2_kinds, a.th2, QUANTITIES_2D)):
        names = me_names(rng, total, quantities)
        for i, kind in enumerate(kinds):
            subset = names[i::len(kinds)]
            if subset:
                blocks.append(KindBlock(kind, subset, rng, nbins=a.th1_bins, nx=a.th2_bins[0], ny=a.th2_bins[1]))
    blocks.sort(key=lambda b: b.type)

    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    writer = ROOT.mlpgen.DqmioWriter(a.out, compression, make_guid(a.seed, a.out))
    if not writer.ok():
        sys.exit(f"generate_dqmio: cannot create {a.out}")
    for b in blocks:
        for name, h in zip(b.names, b.hists):
            writer.addME(b.type, name, h)

    t_start = time.monotonic()
    n_mes, checksum = 0, 0.0
    epoch = 1_700_000_000  # edm::Timestamp: seconds in the high 32 bits
    lumi_seconds = 23
    total_lumis = a.runs * a.lumis
    done = 0
    for r in range(a.runs):
        run = a.first_run + 3 * r
        run_start = epoch + r * (a.lumis + 10) * lumi_seconds
        for lumi in range(1, a.lumis + 1):
            lumi_factor = 1.0 - 0.4 * (lumi - 1) / max(a.lumis, 1)  # instantaneous luminosity decays over a fill
            for b in blocks:
                contents, entries = b.generate(rng, lumi_factor)
                contents = np.ascontiguousarray(contents)
                entries_arr = np.ascontiguousarray(entries) if entries is not None else np.zeros(1)
                writer.fillType(b.type, contents, entries_arr, b.ncells)
                n_mes += len(b.names)
                checksum += b.checksum(contents)
            begin = run_start + (lumi - 1) * lumi_seconds
            writer.endLumi(run, lumi, begin << 32, (begin + lumi_seconds) << 32)
            done += 1
            if not a.quiet and (done % max(1, total_lumis // 20) == 0 or done == total_lumis):
                el = time.monotonic() - t_start
                size = os.path.getsize(a.out) if os.path.exists(a.out) else 0
                print(f"  lumi {done}/{total_lumis}  {el:6.1f} s  ~{size / 1e6:7.1f} MB flushed", file=sys.stderr)
    writer.close("DQM", "CMSSW_14_0_7")
    elapsed = time.monotonic() - t_start
    line = f"mes={n_mes} sum={checksum:.6f}"
    if a.truth_summary:
        with open(a.truth_summary, "w") as f:
            f.write(line + "\n")
    if not a.quiet:
        size = os.path.getsize(a.out)
        print(f"wrote {a.out}: {size / 1e6:.1f} MB, {n_mes} MEs, {elapsed:.1f} s ({line})", file=sys.stderr)


if __name__ == "__main__":
    main()
