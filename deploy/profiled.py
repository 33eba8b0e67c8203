"""Runs a service under cProfile and writes the statistics when it stops:
    python -m deploy.profiled <statistics file> <service module>
uvicorn raises a stop signal again after its graceful shutdown, with the handler it found in
place; this one ends the process through SystemExit, so the statistics are written."""

import cProfile
import runpy
import signal
import sys

if __name__ == "__main__":
    out, module = sys.argv[1], sys.argv[2]
    sys.argv = [module]
    for stop in (signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, lambda *_: sys.exit(0))
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    finally:
        profiler.disable()
        profiler.dump_stats(out)
