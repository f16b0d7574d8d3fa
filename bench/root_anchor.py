#!/usr/bin/env python3
"""Compile and time ROOT's C++ anchor reader (root_read.C) for bench_reader.sh. Run with the ROOT venv's python.

  root_anchor.py compile SRC.C BUILD_DIR   copy SRC.C into BUILD_DIR, compile it with ACLiC (+O) unless the library
                                           there is newer; prints the library path
  root_anchor.py run LIB FILE              load LIB (already compiled), time root_read(FILE) inside this process;
                                           root_read's `mes=N sum=S` goes to stdout, timings to stderr as
                                           `startup_s=X read_s=Y`
  root_anchor.py baseline LIB              start-up only (import ROOT, load LIB): for ROOT's own start-up time and RSS
"""
import os
import shutil
import sys
import time
import warnings

warnings.filterwarnings("ignore")
t_start = time.perf_counter()


def load_root():
    import ROOT
    ROOT.gROOT.SetBatch(True)
    return ROOT


def compile_anchor(src, build_dir):
    os.makedirs(build_dir, exist_ok=True)
    dst = os.path.join(build_dir, os.path.basename(src))
    if not os.path.exists(dst) or open(dst, "rb").read() != open(src, "rb").read():
        shutil.copyfile(src, dst)
        os.chmod(dst, 0o644)
    stem = os.path.splitext(os.path.basename(dst))[0]
    lib = os.path.join(build_dir, f"{stem}_C.so")
    ROOT = load_root()
    # k: keep the library, O: optimise; ACLiC rebuilds only when the source is newer than the library
    if ROOT.gSystem.CompileMacro(dst, "kO") != 1 or not os.path.exists(lib):
        sys.exit(f"root_anchor: ACLiC failed to compile {dst}")
    print(lib)


def load_lib(ROOT, lib):
    if ROOT.gSystem.Load(lib) < 0:
        sys.exit(f"root_anchor: cannot load {lib}")
    return ROOT.root_read  # binds the function now, outside the timed region


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "compile":
        compile_anchor(os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        ROOT = load_root()
        root_read = load_lib(ROOT, sys.argv[2])
        t0 = time.perf_counter()
        root_read(sys.argv[3])
        t1 = time.perf_counter()
        ROOT.gROOT.ProcessLine("fflush(stdout);")  # root_read printed with C stdio
        print(f"startup_s={t0 - t_start:.3f} read_s={t1 - t0:.3f}", file=sys.stderr)
    elif len(sys.argv) == 3 and sys.argv[1] == "baseline":
        ROOT = load_root()
        load_lib(ROOT, sys.argv[2])
        print(f"startup_s={time.perf_counter() - t_start:.3f}", file=sys.stderr)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
